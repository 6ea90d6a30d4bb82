#include "verification_measures.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "det.h"
#include "interval.h"
#include "threshold.h"

static double rate(uint64_t k, uint64_t n)
{
    return n ? (double)k / (double)n : NAN;
}

/* Scores of one group, sorted, with the count of failed genuine pairs. */
typedef struct bucket {
    double *gen, *imp;
    size_t n_gen, n_imp, n_gen_failed;
    uint64_t n_images, n_fte, n_subjects;
} bucket;

/* Splits pairs of one partition into per-group buckets; a pair belongs to
 * a group when both its images do. */
static int fill_buckets(bucket *b, size_t n_groups, const int32_t *item_group,
                        const shades_manifest *m, const shades_pairs *pairs, const double *gs,
                        const double *is, const int32_t *outcome)
{
    for (size_t i = 0; i < m->n_items; i++) {
        b[item_group[i]].n_images++;
        if (outcome[i] != 0)
            b[item_group[i]].n_fte++;
    }
    /* Subjects per group: a subject counts in each group its images fall in. */
    uint8_t *seen = calloc(m->n_subjects * n_groups, 1);
    if (!seen)
        return -1;
    for (size_t i = 0; i < m->n_items; i++) {
        size_t key = (size_t)m->subject[i] * n_groups + (size_t)item_group[i];
        if (!seen[key]) {
            seen[key] = 1;
            b[item_group[i]].n_subjects++;
        }
    }
    free(seen);
    for (size_t k = 0; k < pairs->n_genuine; k++) {
        int32_t ga = item_group[pairs->genuine[k].a];
        if (ga == item_group[pairs->genuine[k].b])
            b[ga].n_gen++;
    }
    for (size_t k = 0; k < pairs->n_impostor; k++) {
        int32_t ga = item_group[pairs->impostor[k].a];
        if (ga == item_group[pairs->impostor[k].b])
            b[ga].n_imp++;
    }
    for (size_t g = 0; g < n_groups; g++) {
        b[g].gen = malloc((b[g].n_gen ? b[g].n_gen : 1) * sizeof(double));
        b[g].imp = malloc((b[g].n_imp ? b[g].n_imp : 1) * sizeof(double));
        if (!b[g].gen || !b[g].imp)
            return -1;
        b[g].n_gen = b[g].n_imp = 0;
    }
    for (size_t k = 0; k < pairs->n_genuine; k++) {
        int32_t ga = item_group[pairs->genuine[k].a];
        if (ga != item_group[pairs->genuine[k].b])
            continue;
        b[ga].gen[b[ga].n_gen++] = gs[k];
        if (outcome[pairs->genuine[k].a] != 0 || outcome[pairs->genuine[k].b] != 0)
            b[ga].n_gen_failed++;
    }
    for (size_t k = 0; k < pairs->n_impostor; k++) {
        int32_t ga = item_group[pairs->impostor[k].a];
        if (ga == item_group[pairs->impostor[k].b])
            b[ga].imp[b[ga].n_imp++] = is[k];
    }
    for (size_t g = 0; g < n_groups; g++) {
        shades_scores_sort(b[g].gen, b[g].n_gen);
        shades_scores_sort(b[g].imp, b[g].n_imp);
    }
    return 0;
}

static void group_row(shades_vgroup *row, const char *partition, const char *group,
                      const bucket *b, double target, const shades_vthreshold *thr,
                      double conf)
{
    memset(row, 0, sizeof *row);
    snprintf(row->partition, sizeof row->partition, "%s", partition);
    snprintf(row->group, sizeof row->group, "%s", group);
    row->target_fmr = target;
    row->threshold = thr->threshold;
    row->n_subjects = b->n_subjects;
    row->n_images = b->n_images;
    row->n_fte = b->n_fte;
    row->fte = rate(b->n_fte, b->n_images);
    shades_wilson(&row->fte_wilson_lo, &row->fte_wilson_hi, b->n_fte, b->n_images, conf);
    shades_clopper_pearson(&row->fte_cp_lo, &row->fte_cp_hi, b->n_fte, b->n_images, conf);
    row->n_genuine = b->n_gen;
    row->n_genuine_failed = b->n_gen_failed;
    row->n_impostor = b->n_imp;
    /* Bootstrap bounds are filled in later, when there are replicates. */
    row->fnmr_boot_lo = row->fnmr_boot_hi = row->fmr_boot_lo = row->fmr_boot_hi = NAN;
    double t = thr->threshold;
    if (thr->estimable) {
        /* Failed pairs hold -inf, so they are among the scores below t. */
        row->n_false_nonmatch = shades_count_lt(b->gen, b->n_gen, t);
        row->n_false_match = shades_count_ge(b->imp, b->n_imp, t);
        row->fnmr = rate(row->n_false_nonmatch, b->n_gen);
        row->fnmr_without_failures =
            rate(row->n_false_nonmatch - b->n_gen_failed, b->n_gen - b->n_gen_failed);
        row->fmr = rate(row->n_false_match, b->n_imp);
        shades_wilson(&row->fnmr_wilson_lo, &row->fnmr_wilson_hi, row->n_false_nonmatch,
                      b->n_gen, conf);
        shades_clopper_pearson(&row->fnmr_cp_lo, &row->fnmr_cp_hi, row->n_false_nonmatch,
                               b->n_gen, conf);
        shades_wilson(&row->fmr_wilson_lo, &row->fmr_wilson_hi, row->n_false_match, b->n_imp,
                      conf);
        shades_clopper_pearson(&row->fmr_cp_lo, &row->fmr_cp_hi, row->n_false_match, b->n_imp,
                               conf);
    } else {
        row->fnmr = row->fnmr_wilson_lo = row->fnmr_wilson_hi = NAN;
        row->fnmr_cp_lo = row->fnmr_cp_hi = row->fnmr_without_failures = NAN;
        row->fmr = row->fmr_wilson_lo = row->fmr_wilson_hi = row->fmr_cp_lo = row->fmr_cp_hi = NAN;
    }
    row->group_estimable = shades_threshold_at_fmr(&row->group_threshold, b->imp, b->n_imp, target);
    row->group_fnmr = row->group_estimable
                          ? rate(shades_count_lt(b->gen, b->n_gen, row->group_threshold), b->n_gen)
                          : NAN;
}

/* Appends the group's EER row and DET points to r. */
static int curve_rows(shades_vresults *r, const char *partition, const char *group,
                      const bucket *b, size_t per_axis)
{
    shades_veer *e = &r->eer[r->n_eer++];
    memset(e, 0, sizeof *e);
    snprintf(e->partition, sizeof e->partition, "%s", partition);
    snprintf(e->group, sizeof e->group, "%s", group);
    e->n_genuine = b->n_gen;
    e->n_impostor = b->n_imp;
    shades_eer(&e->eer, &e->eer_threshold, b->gen, b->n_gen, b->imp, b->n_imp);
    size_t cap = SHADES_DET_MAX_POINTS(per_axis);
    shades_det_point *pts = malloc(cap * sizeof *pts);
    shades_vdet *grown = realloc(r->det, (r->n_det + cap) * sizeof *r->det);
    if (!pts || !grown) {
        free(pts);
        return -1;
    }
    r->det = grown;
    size_t n = shades_det_curve(pts, per_axis, b->gen, b->n_gen, b->imp, b->n_imp,
                                e->eer_threshold);
    for (size_t i = 0; i < n; i++) {
        shades_vdet *d = &r->det[r->n_det++];
        memset(d, 0, sizeof *d);
        snprintf(d->partition, sizeof d->partition, "%s", partition);
        snprintf(d->group, sizeof d->group, "%s", group);
        d->threshold = pts[i].threshold;
        d->fmr = pts[i].fmr;
        d->fnmr = pts[i].fnmr;
    }
    free(pts);
    return 0;
}

static void free_buckets(bucket *b, size_t n)
{
    for (size_t g = 0; b && g < n; g++) {
        free(b[g].gen);
        free(b[g].imp);
    }
    free(b);
}

int shades_verification_measure(shades_vresults **out, const shades_manifest *m,
                                const shades_groups *g, const shades_pairs *pairs,
                                const double *genuine_scores, const double *impostor_scores,
                                const int32_t *outcome, const shades_vmeasure_options *opts,
                                shades_err *err)
{
    *out = NULL;
    size_t n_targets = opts->n_targets;
    double confidence = opts->confidence;
    shades_vresults *r = calloc(1, sizeof *r);
    int32_t *all_group = calloc(m->n_items, sizeof *all_group);
    size_t n_rows = 1;
    for (size_t p = 0; p < g->n_partitions; p++)
        n_rows += g->partitions[p].n_groups;
    if (r) {
        r->thresholds = calloc(n_targets, sizeof *r->thresholds);
        r->groups = calloc(n_rows * n_targets, sizeof *r->groups);
        r->eer = calloc(n_rows, sizeof *r->eer);
    }
    bucket *all = calloc(1, sizeof *all);
    if (!r || !all_group || !r->thresholds || !r->groups || !r->eer || !all ||
        fill_buckets(all, 1, all_group, m, pairs, genuine_scores, impostor_scores, outcome) ||
        curve_rows(r, "all", "All", all, opts->det_per_axis)) {
        free_buckets(all, 1);
        free(all_group);
        shades_vresults_destroy(r);
        return shades_err_nomem(err);
    }
    r->confidence = confidence;
    r->bootstrap = opts->bootstrap;
    r->n_thresholds = n_targets;
    for (size_t k = 0; k < n_targets; k++) {
        shades_vthreshold *t = &r->thresholds[k];
        t->target_fmr = opts->targets[k];
        t->estimable = shades_threshold_at_fmr(&t->threshold, all->imp, all->n_imp, t->target_fmr);
        t->n_impostor = all->n_imp;
        t->n_genuine = all->n_gen;
        if (t->estimable) {
            t->n_false_match = shades_count_ge(all->imp, all->n_imp, t->threshold);
            t->n_false_nonmatch = shades_count_lt(all->gen, all->n_gen, t->threshold);
            t->fmr = rate(t->n_false_match, t->n_impostor);
            t->fnmr = rate(t->n_false_nonmatch, t->n_genuine);
        } else {
            t->fmr = t->fnmr = NAN;
        }
        group_row(&r->groups[r->n_groups++], "all", "All", all, t->target_fmr, t, confidence);
    }
    free_buckets(all, 1);
    free(all_group);
    for (size_t p = 0; p < g->n_partitions; p++) {
        const shades_partition *part = &g->partitions[p];
        bucket *b = calloc(part->n_groups, sizeof *b);
        int bad = !b || fill_buckets(b, part->n_groups, part->item_group, m, pairs,
                                     genuine_scores, impostor_scores, outcome);
        for (size_t gi = 0; !bad && gi < part->n_groups; gi++) {
            for (size_t k = 0; k < n_targets; k++)
            {
                group_row(&r->groups[r->n_groups], part->name, part->group_names[gi], &b[gi],
                          opts->targets[k], &r->thresholds[k], confidence);
                r->groups[r->n_groups++].too_small = part->too_small && part->too_small[gi];
            }
            bad = curve_rows(r, part->name, part->group_names[gi], &b[gi], opts->det_per_axis);
        }
        free_buckets(b, part->n_groups);
        if (bad) {
            shades_vresults_destroy(r);
            return shades_err_nomem(err);
        }
    }
    int rc = shades_verification_summarise(r, m, g, pairs, genuine_scores, impostor_scores, opts,
                                           err);
    if (!rc && g->n_partitions && !(r->matrices = calloc(g->n_partitions, sizeof *r->matrices)))
        rc = shades_err_nomem(err);
    for (size_t p = 0; !rc && p < g->n_partitions; p++) {
        rc = shades_vmatrix_compute(&r->matrices[p], &g->partitions[p], pairs, impostor_scores,
                                    r->thresholds, r->n_thresholds, err);
        if (!rc)
            r->n_matrices++;
    }
    if (rc) {
        shades_vresults_destroy(r);
        return rc;
    }
    *out = r;
    return 0;
}

void shades_vresults_destroy(shades_vresults *r)
{
    if (!r)
        return;
    free(r->thresholds);
    free(r->groups);
    free(r->eer);
    free(r->det);
    free(r->summaries);
    for (size_t i = 0; i < r->n_matrices; i++)
        shades_vmatrix_clear(&r->matrices[i]);
    free(r->matrices);
    free(r);
}
