#include "verification_measures.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "det.h"
#include "interval.h"
#include "roc_export.h"
#include "score_density.h"
#include "score_stats.h"
#include "threshold.h"
#include "verification_matrix.h"

static double rate(uint64_t k, uint64_t n)
{
    return n ? (double)k / (double)n : NAN;
}

/* One group: its genuine scores, sorted, with the count of failed genuine
 * pairs, and its same-group impostor distribution. */
typedef struct bucket {
    double *gen;
    size_t n_gen, n_gen_failed;
    uint64_t n_images, n_fte, n_subjects;
    const sh_score_hist *imp;
} bucket;

/* Fills the genuine side of per-group buckets of one partition; a pair
 * belongs to a group when both its images do. */
static int fill_buckets(bucket *b, size_t n_groups, const int32_t *item_group,
                        const sh_manifest *m, const sh_pairs *pairs, const double *gs,
                        const int32_t *outcome)
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
    for (size_t g = 0; g < n_groups; g++) {
        b[g].gen = malloc((b[g].n_gen ? b[g].n_gen : 1) * sizeof(double));
        if (!b[g].gen)
            return -1;
        b[g].n_gen = 0;
    }
    for (size_t k = 0; k < pairs->n_genuine; k++) {
        int32_t ga = item_group[pairs->genuine[k].a];
        if (ga != item_group[pairs->genuine[k].b])
            continue;
        b[ga].gen[b[ga].n_gen++] = gs[k];
        if (outcome[pairs->genuine[k].a] != 0 || outcome[pairs->genuine[k].b] != 0)
            b[ga].n_gen_failed++;
    }
    for (size_t g = 0; g < n_groups; g++)
        sh_scores_sort(b[g].gen, b[g].n_gen);
    return 0;
}

/* The group's own threshold at point p (a target FMR or FNMR reached
 * within the group alone); 0 with NaN at a fixed threshold or where the
 * group's pairs cannot support the target. */
static int own_threshold(double *out_t, const bucket *b, const sh_score_window *w,
                         sh_vpoint p)
{
    *out_t = NAN;
    if (p.kind == SH_VPOINT_FMR)
        return sh_hist_threshold_at_fmr(out_t, b->imp, w, p.value);
    if (p.kind == SH_VPOINT_FNMR)
        return sh_threshold_at_fnmr(out_t, b->gen, b->n_gen, p.value);
    return 0;
}

static void group_row(sh_vgroup *row, const char *partition, const char *group,
                      const bucket *b, const sh_score_window *w, sh_vpoint p,
                      const sh_vthreshold *thr, double conf)
{
    memset(row, 0, sizeof *row);
    snprintf(row->partition, sizeof row->partition, "%s", partition);
    snprintf(row->group, sizeof row->group, "%s", group);
    sh_vpoint_put(row->point, &row->target_fmr, &row->target_fnmr, p);
    row->threshold = thr->threshold;
    row->n_subjects = b->n_subjects;
    row->n_images = b->n_images;
    row->n_fte = b->n_fte;
    row->fte = rate(b->n_fte, b->n_images);
    sh_wilson(&row->fte_wilson_lo, &row->fte_wilson_hi, b->n_fte, b->n_images, conf);
    sh_clopper_pearson(&row->fte_cp_lo, &row->fte_cp_hi, b->n_fte, b->n_images, conf);
    row->n_genuine = b->n_gen;
    row->n_genuine_failed = b->n_gen_failed;
    uint64_t n_imp = b->imp->n;
    row->n_impostor = n_imp;
    /* Bootstrap bounds, and ratios to a reference group, are filled in
     * later (verification_summary.c). */
    row->fnmr_boot_lo = row->fnmr_boot_hi = row->fmr_boot_lo = row->fmr_boot_hi = NAN;
    row->fnmr_ratio = row->fnmr_ratio_lo = row->fnmr_ratio_hi = NAN;
    row->fmr_ratio = row->fmr_ratio_lo = row->fmr_ratio_hi = NAN;
    row->group_threshold_lo = row->group_threshold_hi = NAN;
    row->group_fnmr_lo = row->group_fnmr_hi = row->group_fmr_lo = row->group_fmr_hi = NAN;
    double t = thr->threshold;
    if (thr->estimable) {
        /* Failed pairs hold -inf, so they are among the scores below t. */
        row->n_false_nonmatch = sh_count_lt(b->gen, b->n_gen, t);
        row->n_false_match = sh_hist_count_ge(b->imp, w, t);
        row->fnmr = rate(row->n_false_nonmatch, b->n_gen);
        row->fnmr_without_failures =
            rate(row->n_false_nonmatch - b->n_gen_failed, b->n_gen - b->n_gen_failed);
        row->fmr = rate(row->n_false_match, n_imp);
        sh_wilson(&row->fnmr_wilson_lo, &row->fnmr_wilson_hi, row->n_false_nonmatch,
                      b->n_gen, conf);
        sh_clopper_pearson(&row->fnmr_cp_lo, &row->fnmr_cp_hi, row->n_false_nonmatch,
                               b->n_gen, conf);
        sh_wilson(&row->fmr_wilson_lo, &row->fmr_wilson_hi, row->n_false_match, n_imp,
                      conf);
        sh_clopper_pearson(&row->fmr_cp_lo, &row->fmr_cp_hi, row->n_false_match, n_imp,
                               conf);
    } else {
        row->fnmr = row->fnmr_wilson_lo = row->fnmr_wilson_hi = NAN;
        row->fnmr_cp_lo = row->fnmr_cp_hi = row->fnmr_without_failures = NAN;
        row->fmr = row->fmr_wilson_lo = row->fmr_wilson_hi = row->fmr_cp_lo = row->fmr_cp_hi = NAN;
    }
    row->group_estimable = own_threshold(&row->group_threshold, b, w, p);
    double gt = row->group_threshold;
    row->group_fnmr = row->group_estimable ? rate(sh_count_lt(b->gen, b->n_gen, gt), b->n_gen)
                                           : NAN;
    row->group_fmr = row->group_estimable ? rate(sh_hist_count_ge(b->imp, w, gt), n_imp) : NAN;
}

/* Appends the group's EER row and DET points to r. */
static int curve_rows(sh_vresults *r, const char *partition, const char *group,
                      const bucket *b, const sh_score_window *w, size_t per_axis)
{
    sh_veer *e = &r->eer[r->n_eer++];
    memset(e, 0, sizeof *e);
    snprintf(e->partition, sizeof e->partition, "%s", partition);
    snprintf(e->group, sizeof e->group, "%s", group);
    e->n_genuine = b->n_gen;
    e->n_impostor = b->imp->n;
    sh_eer(&e->eer, &e->eer_threshold, b->gen, b->n_gen, b->imp, w);
    e->eer_boot_lo = e->eer_boot_hi = NAN;
    size_t cap = SH_DET_MAX_POINTS(per_axis);
    sh_det_point *pts = malloc(cap * sizeof *pts);
    sh_vdet *grown = realloc(r->det, (r->n_det + cap) * sizeof *r->det);
    if (!pts || !grown) {
        free(pts);
        return -1;
    }
    r->det = grown;
    size_t n = sh_det_curve(pts, per_axis, b->gen, b->n_gen, b->imp, w, e->eer_threshold);
    for (size_t i = 0; i < n; i++) {
        sh_vdet *d = &r->det[r->n_det++];
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
    for (size_t g = 0; b && g < n; g++)
        free(b[g].gen);
    free(b);
}

/* The buckets of every partition, "all" first: their genuine scores and
 * their same-group impostor distributions. */
typedef struct buckets {
    size_t n_parts;             /* 1 + configured partitions */
    bucket **part;              /* [p]: one bucket per group */
    size_t *n_groups;
} buckets;

static void buckets_free(buckets *bs)
{
    for (size_t p = 0; bs->part && p < bs->n_parts; p++)
        free_buckets(bs->part[p], bs->n_groups[p]);
    free(bs->part);
    free(bs->n_groups);
}

/* Points every bucket at its impostor distribution in imp. */
static void buckets_point(buckets *bs, const sh_impostors *imp)
{
    for (size_t p = 0; p < bs->n_parts; p++)
        for (size_t gi = 0; gi < bs->n_groups[p]; gi++)
            bs->part[p][gi].imp = sh_impostors_cell(imp, p ? p - 1 : SIZE_MAX, gi, gi);
}

/* The genuine side of every bucket; buckets_point adds the impostors. */
static int buckets_fill(buckets *bs, const sh_manifest *m, const sh_groups *g,
                        const sh_pairs *pairs, const double *gs, const int32_t *outcome)
{
    bs->n_parts = 1 + g->n_partitions;
    bs->part = calloc(bs->n_parts, sizeof *bs->part);
    bs->n_groups = calloc(bs->n_parts, sizeof *bs->n_groups);
    int32_t *all_group = calloc(m->n_items ? m->n_items : 1, sizeof *all_group);
    int bad = !bs->part || !bs->n_groups || !all_group;
    for (size_t p = 0; !bad && p < bs->n_parts; p++) {
        const sh_partition *part = p ? &g->partitions[p - 1] : NULL;
        size_t ng = part ? part->n_groups : 1;
        bs->n_groups[p] = ng;
        bs->part[p] = calloc(ng, sizeof **bs->part);
        bad = !bs->part[p] || fill_buckets(bs->part[p], ng, part ? part->item_group : all_group,
                                           m, pairs, gs, outcome);
    }
    free(all_group);
    return bad ? -1 : 0;
}

/* Bins the bootstrap may hold pairs from: 2^26 of 16 bytes is 1 GiB. */
#define HIT_CAP ((uint64_t)1 << 26)
/* Impostor pairs up to which the bootstrap holds them all (32 MiB of
 * pairs): the bounds of own thresholds and EERs then never lack a pair. */
#define HOLD_EVERY (UINT64_C(1) << 21)

/* The bin of bucket b's threshold at a target FNMR or fixed threshold p,
 * known before pass 1 from the genuine scores alone; UINT32_MAX where the
 * target is not estimable. */
static uint32_t known_bin(const bucket *b, sh_vpoint p)
{
    double t = p.value;
    if (p.kind == SH_VPOINT_FNMR && !sh_threshold_at_fnmr(&t, b->gen, b->n_gen, p.value))
        return UINT32_MAX;
    return sh_score_bin(t);
}

/* The lowest bin of point p's global threshold, over all pairs (`all`,
 * whose impostors are counted): where the bootstrap's false matches at p
 * begin. UINT32_MAX where p is not estimable. */
static uint32_t global_bin(const bucket *all, sh_vpoint p)
{
    uint64_t allowed;
    if (p.kind != SH_VPOINT_FMR)
        return known_bin(all, p);
    if (!sh_fmr_allowed(&allowed, all->imp->n, p.value))
        return UINT32_MAX;
    return allowed >= all->imp->n ? 0 : sh_hist_bin_of_rank(all->imp, allowed);
}

/* Adds to w the bins of the thresholds known before pass 1: each target
 * FNMR's and fixed threshold's, global (in "all") and each group's own, and
 * each group's lowest finite genuine score (ZeroFNMR's). */
static int want_known(sh_score_window *w, const buckets *bs, const sh_vmeasure_options *opts)
{
    /* ZeroFNMR's threshold in every bucket: its lowest finite genuine score. */
    for (size_t q = 0; q < bs->n_parts; q++)
        for (size_t gi = 0; gi < bs->n_groups[q]; gi++)
            if (sh_score_stats_want(w, bs->part[q][gi].gen, bs->part[q][gi].n_gen))
                return -1;
    for (size_t k = 0; k < opts->n_points; k++) {
        sh_vpoint p = opts->points[k];
        if (p.kind == SH_VPOINT_FMR)
            continue;
        for (size_t q = 0; q < bs->n_parts; q++)
            for (size_t gi = 0; gi < bs->n_groups[q]; gi++) {
                uint32_t bin = known_bin(&bs->part[q][gi], p);
                if (bin != UINT32_MAX && sh_window_add(w, bin))
                    return -1;
                if (p.kind == SH_VPOINT_FIXED)
                    break; /* one threshold for every group */
            }
    }
    return 0;
}

/* Where the bootstrap of a group's own threshold wants its impostor pairs
 * held from: the bin of the rank `factor` times the k false matches its
 * own threshold admits, plus a margin (a replicate's threshold moves with
 * the subjects drawn); UINT32_MAX where h is empty. */
static uint32_t margin_bin(const sh_score_hist *h, double k, double factor)
{
    if (!h->n)
        return UINT32_MAX;
    double r = factor * k + 8.0 * sqrt(k) + 64.0;
    return sh_hist_bin_of_rank(h, r < (double)(h->n - 1) ? (uint64_t)r : h->n - 1);
}

/* The bins the bootstrap of every group's own threshold (and its FMR
 * there) and of its EER wants its pairs held from, each bucket's lowest, into *out (n
 * of them, malloc'd). */
static int own_bins(uint32_t **out, size_t *n, const buckets *bs,
                    const sh_vmeasure_options *opts, double factor)
{
    size_t cap = 0;
    for (size_t p = 0; p < bs->n_parts; p++)
        cap += bs->n_groups[p];
    *n = 0;
    *out = malloc((cap ? cap : 1) * sizeof **out);
    if (!*out)
        return -1;
    for (size_t p = 0; p < bs->n_parts; p++)
        for (size_t gi = 0; gi < bs->n_groups[p]; gi++) {
            const bucket *b = &bs->part[p][gi];
            uint32_t low = UINT32_MAX;
            for (size_t k = 0; k < opts->n_points; k++) {
                sh_vpoint pt = opts->points[k];
                double fm = NAN;
                if (pt.kind == SH_VPOINT_FMR) {
                    fm = pt.value * (double)b->imp->n;
                } else if (pt.kind == SH_VPOINT_FNMR) {
                    uint32_t kb = known_bin(b, pt);
                    if (kb != UINT32_MAX)
                        fm = (double)(sh_hist_above_bin(b->imp, kb) + sh_hist_in_bin(b->imp, kb));
                }
                uint32_t bin = isnan(fm) ? UINT32_MAX : margin_bin(b->imp, fm, factor);
                low = bin < low ? bin : low;
            }
            /* The EER's replicates (sh_vown_eer): its threshold's rank among the
             * impostors is about the EER times their number. */
            double eer = sh_eer_bound(b->imp, b->gen, b->n_gen);
            uint32_t bin = isnan(eer) ? UINT32_MAX
                                      : margin_bin(b->imp, eer * (double)b->imp->n, factor);
            low = bin < low ? bin : low;
            if (low != UINT32_MAX)
                (*out)[(*n)++] = low;
        }
    return 0;
}

static int cmp_bin(const void *x, const void *y)
{
    uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
    return (a > b) - (a < b);
}

/* Lowers *hit_bin to the lowest bin own_bins wants whose pairs, with all
 * above, stay within HIT_CAP in `all`; leaves it where none does (those
 * bounds are then NaN, saying why). A run of at most HOLD_EVERY impostor
 * pairs (n_impostors: the run's, where bs holds a sample's) holds them all. */
static int lower_for_own(uint32_t *hit_bin, const buckets *bs, const sh_vmeasure_options *opts,
                         double factor, uint64_t n_impostors)
{
    /* A run this small holds every impostor pair, so no replicate's own
     * threshold or EER can need more, whatever subjects it draws. */
    const sh_score_hist *every = bs->part[0][0].imp;
    if (every->n && n_impostors <= HOLD_EVERY) {
        uint32_t lowest = sh_hist_bin_of_rank(every, every->n - 1);
        *hit_bin = lowest < *hit_bin ? lowest : *hit_bin;
        return 0;
    }
    uint32_t *bins;
    size_t n;
    if (own_bins(&bins, &n, bs, opts, factor))
        return -1;
    qsort(bins, n, sizeof *bins, cmp_bin);
    const sh_score_hist *all = bs->part[0][0].imp;
    for (size_t i = 0; i < n && bins[i] < *hit_bin; i++)
        if (sh_hist_in_bin(all, bins[i]) + sh_hist_above_bin(all, bins[i]) <= HIT_CAP) {
            *hit_bin = bins[i];
            break;
        }
    free(bins);
    return 0;
}

/* Between the passes: the bins every exact measure needs, and the lowest
 * bin the bootstrap's false matches can lie in (UINT32_MAX: none). Fails
 * with a message, naming the point with the lowest threshold, when the
 * bootstrap would hold more pairs than HIT_CAP. */
static int want_bins(uint32_t *out_hit_bin, sh_impostors *imp, const buckets *bs,
                     const sh_vmeasure_options *opts, sh_err *err)
{
    const bucket *all = &bs->part[0][0];
    size_t low = 0;
    *out_hit_bin = UINT32_MAX;
    for (size_t k = 0; k < opts->n_points; k++) {
        uint32_t b = global_bin(all, opts->points[k]);
        if (b < *out_hit_bin) {
            *out_hit_bin = b;
            low = k;
        }
    }
    if (want_known(&imp->window, bs, opts))
        return sh_err_nomem(err);
    if (!opts->bootstrap)
        *out_hit_bin = UINT32_MAX;
    /* Every bucket, "all" included. */
    for (size_t p = 0; p < bs->n_parts; p++)
        for (size_t gi = 0; gi < bs->n_groups[p]; gi++) {
            const bucket *b = &bs->part[p][gi];
            for (size_t k = 0; k < opts->n_points; k++)
                if (opts->points[k].kind == SH_VPOINT_FMR &&
                    sh_hist_want_fmr(&imp->window, b->imp, opts->points[k].value))
                    return sh_err_nomem(err);
            if (sh_eer_want(&imp->window, b->imp, b->gen, b->n_gen))
                return sh_err_nomem(err);
        }
    uint32_t hb = *out_hit_bin;
    uint64_t held = hb == UINT32_MAX ? 0 : sh_hist_in_bin(all->imp, hb) +
                                               sh_hist_above_bin(all->imp, hb);
    if (held > HIT_CAP) {
        char at[64];
        return sh_err_set(err, SH_E_INPUT,
                              "verification.%s %s: the subject bootstrap would hold the %llu "
                              "impostor pairs that score near or above its threshold (16 bytes "
                              "each; at most %llu): raise it, or set run.bootstrap: 0, and run "
                              "again from the start",
                              sh_vpoint_name(opts->points[low].kind),
                              sh_vpoint_value_text(at, sizeof at, opts->points[low]),
                              (unsigned long long)held, (unsigned long long)HIT_CAP);
    }
    if (opts->bootstrap && lower_for_own(out_hit_bin, bs, opts, 2.0, bs->part[0][0].imp->n))
        return sh_err_nomem(err);
    return 0;
}

/* The overall row of point p. */
static void threshold_row(sh_vthreshold *t, sh_vpoint p, const bucket *all,
                          const sh_score_window *w)
{
    sh_vpoint_put(t->point, &t->target_fmr, &t->target_fnmr, p);
    if (p.kind == SH_VPOINT_FMR) {
        t->estimable = sh_hist_threshold_at_fmr(&t->threshold, all->imp, w, p.value);
    } else if (p.kind == SH_VPOINT_FNMR) {
        t->estimable = sh_threshold_at_fnmr(&t->threshold, all->gen, all->n_gen, p.value);
    } else {
        t->estimable = 1;
        t->threshold = p.value;
    }
    t->n_impostor = all->imp->n;
    t->n_genuine = all->n_gen;
    if (t->estimable) {
        t->n_false_match = sh_hist_count_ge(all->imp, w, t->threshold);
        t->n_false_nonmatch = sh_count_lt(all->gen, all->n_gen, t->threshold);
        t->fmr = rate(t->n_false_match, t->n_impostor);
        t->fnmr = rate(t->n_false_nonmatch, t->n_genuine);
    } else {
        t->fmr = t->fnmr = NAN;
    }
}

/* Every row but the summaries and the matrices, from filled buckets. */
static int measure_rows(sh_vresults *r, const buckets *bs, const sh_groups *g,
                        const sh_score_window *w, const sh_vmeasure_options *opts)
{
    size_t n_points = opts->n_points;
    const bucket *all = &bs->part[0][0];
    sh_density_bins dens;
    sh_density_bins_make(&dens, all->gen, all->n_gen, all->imp, SH_DENSITY_BINS);
    for (size_t k = 0; k < n_points; k++) {
        threshold_row(&r->thresholds[k], opts->points[k], all, w);
        group_row(&r->groups[r->n_groups++], "all", "All", all, w, opts->points[k],
                  &r->thresholds[k], opts->confidence);
    }
    sh_score_stats_row(&r->scores[r->n_scores++], "all", "All", all->gen, all->n_gen, all->imp,
                       w, opts->moments);
    if (curve_rows(r, "all", "All", all, w, opts->det_per_axis) ||
        sh_density_append(r, &dens, "all", "All", all->gen, all->n_gen, all->imp))
        return -1;
    for (size_t p = 0; p < g->n_partitions; p++) {
        const sh_partition *part = &g->partitions[p];
        for (size_t gi = 0; gi < part->n_groups; gi++) {
            const bucket *b = &bs->part[p + 1][gi];
            for (size_t k = 0; k < n_points; k++) {
                group_row(&r->groups[r->n_groups], part->name, part->group_names[gi], b, w,
                          opts->points[k], &r->thresholds[k], opts->confidence);
                r->groups[r->n_groups++].too_small = part->too_small && part->too_small[gi];
            }
            sh_score_stats_row(&r->scores[r->n_scores], part->name, part->group_names[gi],
                               b->gen, b->n_gen, b->imp, w, opts->moments);
            r->scores[r->n_scores++].too_small = part->too_small && part->too_small[gi];
            if (curve_rows(r, part->name, part->group_names[gi], b, w, opts->det_per_axis) ||
                sh_density_append(r, &dens, part->name, part->group_names[gi], b->gen,
                                  b->n_gen, b->imp))
                return -1;
        }
    }
    return 0;
}

/* The ROC export's rows: every bucket's, "all" first, in the order of the
 * EER rows. */
static int roc_rows(sh_vresults *r, const buckets *bs, const sh_groups *g,
                    const sh_impostors *imp, const sh_score_source *src,
                    const sh_vmeasure_options *opts, sh_err *err)
{
    size_t n = 0, k = 0;
    for (size_t p = 0; p < bs->n_parts; p++)
        n += bs->n_groups[p];
    sh_roc_group *list = calloc(n ? n : 1, sizeof *list);
    if (!list)
        return sh_err_nomem(err);
    for (size_t p = 0; p < bs->n_parts; p++)
        for (size_t gi = 0; gi < bs->n_groups[p]; gi++) {
            const sh_partition *part = p ? &g->partitions[p - 1] : NULL;
            list[k++] = (sh_roc_group){part ? part->name : "all",
                                       part ? part->group_names[gi] : "All",
                                       part ? p - 1 : SIZE_MAX, gi, bs->part[p][gi].gen,
                                       bs->part[p][gi].n_gen};
        }
    int rc = sh_roc_export(r, list, n, imp, src, opts->roc_cap, opts->progress, err);
    free(list);
    return rc;
}

/* The sample that predicts pass 1's window: 1 in SAMPLE_EVERY items' pairs. */
#define SAMPLE_EVERY 16
/* Bins either side of each bin the sample's EER needs. */
#define EER_MARGIN 64

/* The bins pass 1 should keep, and the lowest bin whose pairs it should
 * keep for the bootstrap, predicted from a sample of src: around every
 * FMR target, a range of ranks wide enough for the sample's error, and
 * around the EER's bins a margin. A wrong prediction costs pass 2, never
 * exactness. */
static int predict_bins(sh_score_window *out, uint32_t *out_hit_bin, buckets *bs,
                        const sh_groups *g, const sh_score_source *src,
                        const sh_vmeasure_options *opts, sh_err *err)
{
    sh_impostors *smp = NULL;
    sh_score_window eer = {0};
    *out_hit_bin = UINT32_MAX;
    int rc = sh_impostors_sample(&smp, g, src, SAMPLE_EVERY, err), bad = 0;
    if (rc)
        return rc;
    buckets_point(bs, smp);
    for (size_t k = 0; k < opts->n_points; k++) {
        sh_vpoint p = opts->points[k];
        uint32_t low = p.kind == SH_VPOINT_FMR ? UINT32_MAX : global_bin(&bs->part[0][0], p);
        if (p.kind == SH_VPOINT_FMR)
            bad |= sh_hist_want_fmr_range(out, &low, bs->part[0][0].imp, p.value);
        *out_hit_bin = low < *out_hit_bin ? low : *out_hit_bin;
    }
    bad |= want_known(out, bs, opts);
    /* Every bucket, "all" included, as want_bins walks them. */
    for (size_t p = 0; p < bs->n_parts; p++)
        for (size_t gi = 0; gi < bs->n_groups[p]; gi++) {
            const bucket *b = &bs->part[p][gi];
            uint32_t low;
            for (size_t k = 0; k < opts->n_points; k++)
                if (opts->points[k].kind == SH_VPOINT_FMR)
                    bad |= sh_hist_want_fmr_range(out, &low, b->imp, opts->points[k].value);
            bad |= sh_eer_want(&eer, b->imp, b->gen, b->n_gen);
        }
    bad |= sh_window_widen(out, &eer, EER_MARGIN);
    /* Wider than between the passes (a factor 4 for 2): a sample's ranks are
     * noisy, and a prediction above the bin wanted costs pass 2. */
    if (opts->bootstrap && *out_hit_bin != UINT32_MAX)
        bad |= lower_for_own(out_hit_bin, bs, opts, 4.0, src->n);
    if (!opts->bootstrap)
        *out_hit_bin = UINT32_MAX;
    sh_window_clear(&eer);
    sh_impostors_destroy(smp);
    return bad ? sh_err_nomem(err) : 0;
}

/* Pass 1: restored from opts->counts where it was saved there, else
 * counted (keeping the bins a sample predicts, where the source samples),
 * then saved. */
static int impostor_counts(sh_impostors **out, buckets *bs, const sh_groups *g,
                           const sh_score_source *impostors,
                           const sh_vmeasure_options *opts, sh_err *err)
{
    const sh_count_store *store = opts->counts;
    void *saved = NULL;
    size_t len = 0;
    int rc = store ? store->load(store->ctx, &saved, &len, err) : 0;
    if (rc > 0) {
        rc = sh_impostors_unpack(out, g, impostors->n, opts->moments, saved, len, err);
        free(saved);
        return rc;
    }
    sh_score_window keep = {0};
    uint32_t hit_bin = UINT32_MAX;
    int predict = !rc && impostors->sample;
    if (predict)
        rc = predict_bins(&keep, &hit_bin, bs, g, impostors, opts, err);
    sh_progress_stage(opts->progress, "impostor pass 1", impostors->n);
    if (!rc)
        rc = sh_impostors_count(out, g, impostors, predict ? &keep : NULL, hit_bin, opts->moments,
                                    opts->progress, err);
    sh_window_clear(&keep);
    if (rc)
        return rc;
    sh_progress_end(opts->progress);
    if (store)
        rc = sh_impostors_pack(&saved, &len, *out, err);
    if (store && !rc)
        rc = store->save(store->ctx, saved, len, err);
    free(saved);
    if (rc) {
        sh_impostors_destroy(*out);
        *out = NULL;
    }
    return rc;
}

int sh_verification_measure(sh_vresults **out, const sh_manifest *m,
                                const sh_groups *g, const sh_pairs *pairs,
                                const double *genuine_scores,
                                const sh_score_source *impostors, const int32_t *outcome,
                                const sh_vmeasure_options *opts, sh_err *err)
{
    *out = NULL;
    size_t n_points = opts->n_points;
    sh_impostors *imp = NULL;
    buckets bs = {0};
    uint32_t hit_bin = UINT32_MAX;
    int rc = buckets_fill(&bs, m, g, pairs, genuine_scores, outcome) ? sh_err_nomem(err) : 0;
    if (!rc)
        rc = impostor_counts(&imp, &bs, g, impostors, opts, err);
    if (rc) {
        buckets_free(&bs);
        return rc;
    }
    buckets_point(&bs, imp);
    sh_vresults *r = calloc(1, sizeof *r);
    size_t n_rows = 1;
    for (size_t p = 0; p < g->n_partitions; p++)
        n_rows += g->partitions[p].n_groups;
    if (r) {
        r->thresholds = calloc(n_points ? n_points : 1, sizeof *r->thresholds);
        r->groups = calloc(n_rows * n_points + 1, sizeof *r->groups);
        r->eer = calloc(n_rows, sizeof *r->eer);
        r->scores = calloc(n_rows, sizeof *r->scores);
    }
    if (!r || !r->thresholds || !r->groups || !r->eer || !r->scores)
        rc = sh_err_nomem(err);
    if (!rc)
        rc = want_bins(&hit_bin, imp, &bs, opts, err);
    int settled = rc ? 0 : sh_impostors_settle(imp, hit_bin, err);
    if (settled < 0)
        rc = settled;
    if (!rc && !settled) {
        sh_progress_stage(opts->progress, "impostor pass 2", impostors->n);
        rc = sh_impostors_refine(imp, impostors, hit_bin, opts->progress, err);
        if (!rc)
            sh_progress_end(opts->progress);
    }
    imp->hit_bin = hit_bin;
    if (!rc) {
        r->confidence = opts->confidence;
        r->bootstrap = opts->bootstrap;
        r->n_thresholds = n_points;
        if (measure_rows(r, &bs, g, &imp->window, opts))
            rc = sh_err_nomem(err);
    }
    if (!rc && opts->roc)
        rc = roc_rows(r, &bs, g, imp, impostors, opts, err);
    buckets_free(&bs);
    /* The matrices before the bootstrap, which bounds their cells. */
    if (!rc && g->n_partitions && !(r->matrices = calloc(g->n_partitions, sizeof *r->matrices)))
        rc = sh_err_nomem(err);
    for (size_t p = 0; !rc && p < g->n_partitions; p++) {
        rc = sh_vmatrix_compute(&r->matrices[p], imp, p, r->thresholds, r->n_thresholds, err);
        if (!rc)
            r->n_matrices++;
    }
    if (!rc)
        rc = sh_verification_summarise(r, m, g, pairs, genuine_scores, imp, opts, err);
    sh_impostors_destroy(imp);
    if (rc) {
        sh_vresults_destroy(r);
        return rc;
    }
    *out = r;
    return 0;
}
