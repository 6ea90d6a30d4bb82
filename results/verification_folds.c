#include "verification_folds.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One pair of a bucket: its group, score (-inf: none), fold and side. */
typedef struct entry {
    double score;
    int32_t group;
    int32_t fold;
    int32_t genuine;
} entry;

/* By group, then score descending; ties in any order, as a run of equal
 * scores is decided as one. */
static int by_group_score(const void *x, const void *y)
{
    const entry *a = x, *b = y;
    if (a->group != b->group)
        return a->group < b->group ? -1 : 1;
    return (a->score < b->score) - (a->score > b->score);
}

static double score_of(const double *s, size_t k)
{
    return isnan(s[k]) ? -INFINITY : s[k];
}

/* The pairs whose two images are both in one group of item_group (NULL:
 * every pair, in group 0), into e; returns how many. */
static size_t collect(entry *e, const sh_pairs *p, const double *genuine, const double *impostor,
                      const int32_t *item_group)
{
    size_t n = 0;
    for (int side = 1; side >= 0; side--) {
        const sh_pair *pr = side ? p->genuine : p->impostor;
        const int32_t *fold = side ? p->genuine_fold : p->impostor_fold;
        size_t count = side ? p->n_genuine : p->n_impostor;
        for (size_t k = 0; k < count; k++) {
            int32_t ga = item_group ? item_group[pr[k].a] : 0;
            if (item_group && ga != item_group[pr[k].b])
                continue;
            e[n++] = (entry){score_of(side ? genuine : impostor, k), ga, fold[k], side};
        }
    }
    return n;
}

/* The threshold that maximises accuracy on the pairs of e[0..n) (one
 * group, score descending) outside fold k: +inf (nothing matches) or a
 * finite score t (scores >= t match), the highest of those that reach the
 * maximum. A failed pair's -inf is never a threshold, so it never matches. */
static double best_threshold(const entry *e, size_t n, int32_t k, int64_t impostors)
{
    int64_t correct = impostors, best = impostors;
    double t = INFINITY;
    for (size_t i = 0; i < n && e[i].score > -INFINITY;) {
        double v = e[i].score;
        for (; i < n && e[i].score == v; i++)
            if (e[i].fold != k)
                correct += e[i].genuine ? 1 : -1;
        if (correct > best) {
            best = correct;
            t = v;
        }
    }
    return t;
}

/* Appends the fold rows of one group (e[0..n), score descending; folds as
 * indices into fold_value) to r->folds and its summary to
 * r->fold_accuracy. counts: 2 x n_folds. */
static void group_rows(sh_vresults *r, const entry *e, size_t n, size_t n_folds,
                       const int32_t *fold_value, uint64_t *counts, const char *partition,
                       const char *group)
{
    uint64_t *gen = counts, *imp = counts + n_folds, all_imp = 0;
    memset(counts, 0, 2 * n_folds * sizeof *counts);
    for (size_t i = 0; i < n; i++)
        (e[i].genuine ? gen : imp)[e[i].fold]++;
    for (size_t k = 0; k < n_folds; k++)
        all_imp += imp[k];
    sh_vfold_summary *s = &r->fold_accuracy[r->n_fold_accuracy++];
    memset(s, 0, sizeof *s);
    snprintf(s->partition, sizeof s->partition, "%s", partition);
    snprintf(s->group, sizeof s->group, "%s", group);
    double sum = 0, lo = INFINITY, hi = -INFINITY;
    size_t first = r->n_folds;
    for (size_t k = 0; k < n_folds; k++) {
        if (!gen[k] && !imp[k])
            continue;
        sh_vfold *f = &r->folds[r->n_folds++];
        memset(f, 0, sizeof *f);
        memcpy(f->partition, s->partition, sizeof f->partition);
        memcpy(f->group, s->group, sizeof f->group);
        f->fold = fold_value[k];
        f->n_genuine = gen[k];
        f->n_impostor = imp[k];
        f->threshold = f->accuracy = NAN;
        if (n == gen[k] + imp[k])
            continue; /* the other folds hold no pair of the group */
        double t = best_threshold(e, n, (int32_t)k, (int64_t)(all_imp - imp[k]));
        for (size_t i = 0; i < n; i++)
            if (e[i].fold == (int32_t)k)
                f->n_correct += e[i].genuine ? e[i].score >= t : !(e[i].score >= t);
        f->threshold = t;
        f->accuracy = (double)f->n_correct / (double)(gen[k] + imp[k]);
        sum += f->accuracy;
        lo = fmin(lo, f->accuracy);
        hi = fmax(hi, f->accuracy);
        s->n_folds++;
    }
    s->mean = s->n_folds ? sum / s->n_folds : NAN;
    s->min = s->n_folds ? lo : NAN;
    s->max = s->n_folds ? hi : NAN;
    double ss = 0;
    for (size_t i = first; i < r->n_folds; i++)
        if (!isnan(r->folds[i].accuracy))
            ss += (r->folds[i].accuracy - s->mean) * (r->folds[i].accuracy - s->mean);
    s->sd = s->n_folds > 1 ? sqrt(ss / (s->n_folds - 1)) : NAN;
    s->se = s->n_folds > 1 ? s->sd / sqrt((double)s->n_folds) : NAN;
}

int sh_vfolds_measure(sh_vresults *r, const sh_pairs *p, const double *genuine,
                      const double *impostor, const sh_groups *g, sh_err *err)
{
    size_t n_pairs = p->n_genuine + p->n_impostor, n_buckets = 1;
    for (size_t q = 0; q < g->n_partitions; q++)
        n_buckets += g->partitions[q].n_groups;
    sh_vfold *folds = malloc(n_buckets * p->n_folds * sizeof *folds + 1);
    sh_vfold_summary *sums = malloc(n_buckets * sizeof *sums);
    entry *e = malloc((n_pairs ? n_pairs : 1) * sizeof *e);
    uint64_t *counts = malloc(2 * p->n_folds * sizeof *counts + 1);
    if (!folds || !sums || !e || !counts) {
        free(folds);
        free(sums);
        free(e);
        free(counts);
        return sh_err_nomem(err);
    }
    sh_vresults out = {.folds = folds, .fold_accuracy = sums};
    for (size_t q = 0; q <= g->n_partitions; q++) {
        const sh_partition *part = q ? &g->partitions[q - 1] : NULL;
        size_t n = collect(e, p, genuine, impostor, part ? part->item_group : NULL);
        qsort(e, n, sizeof *e, by_group_score);
        size_t at = 0, ng = part ? part->n_groups : 1;
        for (size_t gi = 0; gi < ng; gi++) {
            size_t end = at;
            while (end < n && e[end].group == (int32_t)gi)
                end++;
            group_rows(&out, e + at, end - at, p->n_folds, p->fold_value, counts,
                       part ? part->name : "all", part ? part->group_names[gi] : "All");
            at = end;
        }
    }
    free(e);
    free(counts);
    r->n_folds = out.n_folds;
    r->folds = out.folds;
    r->n_fold_accuracy = out.n_fold_accuracy;
    r->fold_accuracy = out.fold_accuracy;
    return 0;
}
