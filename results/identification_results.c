#include "identification_results.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "interval.h"
#include "threshold.h"

void sh_iexport_destroy(sh_iexport *x)
{
    if (!x)
        return;
    free(x->gallery);
    free(x->item);
    free(x->mate);
    free(x->score);
    free(x->slot);
    free(x);
}

void sh_iresults_destroy(sh_iresults *r)
{
    if (!r)
        return;
    sh_iexport_destroy(r->export);
    free(r->thresholds);
    free(r->groups);
    free(r->cmc);
    free(r);
}

/* The searches of one group (item_group NULL: all), gathered. */
typedef struct subset {
    size_t n_mated, n_nonmated;
    sh_mated_search *mated;
    double *top;
} subset;

static void gather(subset *out, const sh_isearches *s, const int32_t *item_group, int32_t g)
{
    out->n_mated = out->n_nonmated = 0;
    for (size_t k = 0; k < s->n_mated; k++)
        if (!item_group || item_group[s->mated_item[k]] == g)
            out->mated[out->n_mated++] = s->mated[k];
    for (size_t k = 0; k < s->n_nonmated; k++)
        if (!item_group || item_group[s->nonmated_item[k]] == g)
            out->top[out->n_nonmated++] = s->nonmated_top[k];
}

static uint64_t count_rate(double rate, size_t n)
{
    return isnan(rate) ? 0 : (uint64_t)llround(rate * (double)n);
}

static void group_rows(sh_iresults *r, const char *partition, const char *group,
                       const subset *sub, uint64_t candidates, int too_small)
{
    for (size_t k = 0; k < r->n_thresholds; k++) {
        const sh_ithreshold *t = &r->thresholds[k];
        sh_igroup *row = &r->groups[r->n_groups++];
        memset(row, 0, sizeof *row);
        snprintf(row->partition, sizeof row->partition, "%s", partition);
        snprintf(row->group, sizeof row->group, "%s", group);
        row->target_fpir = t->target_fpir;
        row->threshold = t->threshold;
        row->too_small = too_small;
        row->n_mated = sub->n_mated;
        row->n_nonmated = sub->n_nonmated;
        double fnir = t->estimable ? sh_fnir(sub->mated, sub->n_mated, (uint32_t)candidates,
                                                 t->threshold)
                                   : NAN;
        double fpir = t->estimable ? sh_fpir(sub->top, sub->n_nonmated, t->threshold) : NAN;
        row->n_miss = count_rate(fnir, sub->n_mated);
        row->n_false_positive = count_rate(fpir, sub->n_nonmated);
        row->fnir = fnir;
        row->fpir = fpir;
        row->fnir_wilson_lo = row->fnir_wilson_hi = row->fnir_cp_lo = row->fnir_cp_hi = NAN;
        row->fpir_wilson_lo = row->fpir_wilson_hi = row->fpir_cp_lo = row->fpir_cp_hi = NAN;
        if (!isnan(fnir)) {
            sh_wilson(&row->fnir_wilson_lo, &row->fnir_wilson_hi, row->n_miss, row->n_mated,
                          r->confidence);
            sh_clopper_pearson(&row->fnir_cp_lo, &row->fnir_cp_hi, row->n_miss, row->n_mated,
                                   r->confidence);
        }
        if (!isnan(fpir)) {
            sh_wilson(&row->fpir_wilson_lo, &row->fpir_wilson_hi, row->n_false_positive,
                          row->n_nonmated, r->confidence);
            sh_clopper_pearson(&row->fpir_cp_lo, &row->fpir_cp_hi, row->n_false_positive,
                                   row->n_nonmated, r->confidence);
        }
    }
}

static void cmc_rows(sh_iresults *r, const char *partition, const char *group,
                     const subset *sub, double *curve)
{
    sh_cmc(curve, sub->mated, sub->n_mated, (uint32_t)r->candidates);
    for (size_t k = 0; k < r->candidates; k++) {
        sh_icmc *row = &r->cmc[r->n_cmc++];
        memset(row, 0, sizeof *row);
        snprintf(row->partition, sizeof row->partition, "%s", partition);
        snprintf(row->group, sizeof row->group, "%s", group);
        row->rank = k + 1;
        row->n_mated = sub->n_mated;
        row->rate = sub->n_mated ? curve[k] : NAN;
        row->n_hit = count_rate(row->rate, sub->n_mated);
    }
}

/* Overall thresholds: exact, from the sorted best scores of non-mated
 * searches, as the 1:1 thresholds are from impostor scores. */
static int thresholds(sh_iresults *r, const sh_isearches *s, const double *targets,
                      size_t n_targets)
{
    double *sorted = malloc((s->n_nonmated ? s->n_nonmated : 1) * sizeof *sorted);
    if (!sorted)
        return -1;
    memcpy(sorted, s->nonmated_top, s->n_nonmated * sizeof *sorted);
    sh_scores_sort(sorted, s->n_nonmated);
    for (size_t k = 0; k < n_targets; k++) {
        sh_ithreshold *t = &r->thresholds[r->n_thresholds++];
        memset(t, 0, sizeof *t);
        t->target_fpir = targets[k];
        t->estimable = sh_threshold_at_fmr(&t->threshold, sorted, s->n_nonmated, targets[k]);
        t->n_nonmated = s->n_nonmated;
        t->n_mated = s->n_mated;
        t->fpir = t->fnir = NAN;
        if (!t->estimable)
            continue;
        t->n_false_positive = sh_count_ge(sorted, s->n_nonmated, t->threshold);
        t->fpir = (double)t->n_false_positive / (double)s->n_nonmated;
        t->fnir = sh_fnir(s->mated, s->n_mated, (uint32_t)r->candidates, t->threshold);
        t->n_miss = count_rate(t->fnir, s->n_mated);
    }
    free(sorted);
    return 0;
}

int sh_identification_results(sh_iresults **out, const sh_groups *g,
                                   const sh_isearches *s, const double *targets,
                                   size_t n_targets, uint64_t n_gallery, uint64_t candidates,
                                   double confidence, sh_err *err)
{
    *out = NULL;
    size_t rows = 1;
    for (size_t p = 0; p < g->n_partitions; p++)
        rows += g->partitions[p].n_groups;
    sh_iresults *r = calloc(1, sizeof *r);
    subset sub = {0};
    double *curve = malloc((candidates ? candidates : 1) * sizeof *curve);
    sub.mated = malloc((s->n_mated ? s->n_mated : 1) * sizeof *sub.mated);
    sub.top = malloc((s->n_nonmated ? s->n_nonmated : 1) * sizeof *sub.top);
    if (r) {
        r->thresholds = calloc(n_targets ? n_targets : 1, sizeof *r->thresholds);
        r->groups = calloc(rows * (n_targets ? n_targets : 1), sizeof *r->groups);
        r->cmc = calloc(rows * (candidates ? candidates : 1), sizeof *r->cmc);
    }
    int bad = !r || !r->thresholds || !r->groups || !r->cmc || !curve || !sub.mated || !sub.top;
    if (!bad) {
        r->confidence = confidence;
        r->n_gallery = n_gallery;
        r->candidates = candidates;
        bad = thresholds(r, s, targets, n_targets);
    }
    if (!bad) {
        gather(&sub, s, NULL, 0);
        group_rows(r, "all", "All", &sub, candidates, 0);
        cmc_rows(r, "all", "All", &sub, curve);
    }
    for (size_t p = 0; !bad && p < g->n_partitions; p++) {
        const sh_partition *part = &g->partitions[p];
        for (size_t gi = 0; gi < part->n_groups; gi++) {
            gather(&sub, s, part->item_group, (int32_t)gi);
            group_rows(r, part->name, part->group_names[gi], &sub, candidates,
                       part->too_small && part->too_small[gi]);
            cmc_rows(r, part->name, part->group_names[gi], &sub, curve);
        }
    }
    free(curve);
    free(sub.mated);
    free(sub.top);
    if (bad) {
        sh_iresults_destroy(r);
        return sh_err_nomem(err);
    }
    *out = r;
    return 0;
}
