/* The subject bootstrap and the differential summaries of 1:1 verification:
 * bootstrap bounds for every group row, and one summary row per partition
 * and target with a bootstrap interval for each summary. */
#include "verification_measures.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bootstrap.h"
#include "differential.h"
#include "interval.h"
#include "executor.h"
#include "proportion_test.h"
#include "verification_boot.h"
#include "verification_own.h"
#include "verification_tests.h"

#define N_BOUNDED SH_VSUMMARY_FIELDS

/* Writes d's summaries into the value fields of s; bounds are untouched. */
static void put_values(sh_vsummary *s, const sh_differential *d)
{
#define SH_VSUMMARY(name, value, heading) s->name = d->value;
#define SH_VSUMMARY_GAP SH_VSUMMARY
#include "vsummary_fields.def"
#undef SH_VSUMMARY
#undef SH_VSUMMARY_GAP
}

static double *field(sh_vsummary *s, size_t i)
{
    return (double *)((char *)s + sh_vsummary_fields[i].offset);
}

/* One partition as the bootstrap sees it: "all" or a configured one. */
typedef struct boot_part {
    const char *name;
    size_t n_groups;
    const char *const *group_names;
    const int32_t *item_group;
    const uint8_t *too_small;   /* groups left out of the summaries, or NULL */
    int32_t reference;          /* the group rates are divided by, or -1 */
    size_t first_row;           /* its first row in r->groups */
    size_t first_summary;       /* its first row in r->summaries, or SIZE_MAX */
    sh_vboot *boot;
    size_t first_cell;          /* its first cell i < j in the job's rep_cell, or SIZE_MAX */
    sh_vown *own;               /* the groups' own thresholds' replicates */
} boot_part;

/* Shared by the replicate workers. */
/* Replicates a block of bootstrap work draws. */
#define BOOT_BLOCK 16

typedef struct boot_job {
    const sh_vresults *r;
    const boot_part *parts;
    size_t n_parts, n_subjects, max_groups, K;
    unsigned R;
    uint64_t seed;
    double alpha;
    double *rep_fnmr, *rep_fmr; /* [group row][replicate] */
    double *rep_sum;            /* [summary row][field][replicate] */
    double *rep_cell;           /* [cell i < j of a partition's matrix][point][replicate] */
    double *rep_own;            /* [group row][3][replicate]: own threshold, FNMR, FMR */
    uint8_t *own_status;        /* [group row][replicate]: sh_vown_status */
    double *rep_eer;            /* [eer row][replicate] */
    uint8_t *eer_status;        /* [eer row][replicate]: sh_vown_status */
    sh_progress *progress;
} boot_job;

/* Scratch for one replicate worker. */
typedef struct boot_scratch {
    uint32_t *w;
    double *fnmr_k, *fnmr_n, *fmr_k, *fmr_n, *gk, *gn, *mk, *mn;
    double *xk, *xn;            /* the FMR matrix's cells, as sh_vboot_replicate_cross */
} boot_scratch;

static void scratch_free(boot_scratch *s)
{
    free(s->w);
    free(s->fnmr_k);
    free(s->fnmr_n);
    free(s->fmr_k);
    free(s->fmr_n);
    free(s->gk);
    free(s->gn);
    free(s->mk);
    free(s->mn);
    free(s->xk);
    free(s->xn);
}

static int scratch_alloc(boot_scratch *s, size_t n_subjects, size_t groups, size_t K)
{
    size_t gk = groups * (K ? K : 1);
    *s = (boot_scratch){
        .w = malloc((n_subjects ? n_subjects : 1) * sizeof *s->w),
        .fnmr_k = malloc(gk * sizeof(double)), .fnmr_n = malloc(groups * sizeof(double)),
        .fmr_k = malloc(gk * sizeof(double)),  .fmr_n = malloc(groups * sizeof(double)),
        .gk = malloc(groups * sizeof(double)), .gn = malloc(groups * sizeof(double)),
        .mk = malloc(groups * sizeof(double)), .mn = malloc(groups * sizeof(double)),
        .xk = malloc(groups * gk * sizeof(double)), .xn = malloc(groups * groups * sizeof(double)),
    };
    if (!s->w || !s->fnmr_k || !s->fnmr_n || !s->fmr_k || !s->fmr_n || !s->gk || !s->gn ||
        !s->mk || !s->mn || !s->xk || !s->xn) {
        scratch_free(s);
        return -1;
    }
    return 0;
}

/* The position of cell i < j among a matrix's cells above the diagonal of
 * n groups, row by row. */
static size_t upper_cell(size_t n, size_t i, size_t j)
{
    return i * n - i * (i + 1) / 2 + (j - i - 1);
}

/* One replicate's FMR in each cell across two groups of partition p. */
static void cross_counts(const boot_job *j, const boot_part *p, boot_scratch *s, size_t K,
                         size_t replicate)
{
    size_t G = p->n_groups;
    sh_vboot_replicate_cross(p->boot, s->w, s->xk, s->xn);
    for (size_t a = 0; a < G; a++)
        for (size_t b = a + 1; b < G; b++) {
            double n = s->xn[a * G + b];
            size_t row = (p->first_cell + upper_cell(G, a, b)) * K;
            for (size_t k = 0; k < K; k++)
                j->rep_cell[(row + k) * j->R + replicate] =
                    n > 0 ? s->xk[(a * G + b) * K + k] / n : NAN;
        }
}

/* One replicate of partition p at the weights in s->w: every group's rates
 * and the partition's summaries, into the job's replicate arrays. */
static void partition_counts(const boot_job *j, const boot_part *p, boot_scratch *s, size_t K,
                             size_t replicate)
{
    sh_vboot_replicate(p->boot, s->w, s->fnmr_k, s->fnmr_n, s->fmr_k, s->fmr_n);
    if (p->first_cell != SIZE_MAX)
        cross_counts(j, p, s, K, replicate);
    for (size_t g = 0; g < p->n_groups; g++)
        for (size_t k = 0; k < K; k++) {
            size_t row = p->first_row + g * K + k;
            double *v = j->rep_own + row * 3 * j->R;
            sh_vpoint pt = sh_vthreshold_point(&j->r->thresholds[k]);
            j->own_status[row * j->R + replicate] = (uint8_t)sh_vown_threshold(
                p->own, g, pt, s->w, s->fnmr_n[g], s->fmr_n[g], &v[replicate],
                &v[j->R + replicate], &v[2 * j->R + replicate]);
        }
    /* The EER rows follow the group rows' order, one a group (K rows each). */
    for (size_t g = 0; g < p->n_groups; g++) {
        size_t row = p->first_row / K + g;
        j->eer_status[row * j->R + replicate] = (uint8_t)sh_vown_eer(
            p->own, g, s->w, s->fnmr_n[g], s->fmr_n[g], &j->rep_eer[row * j->R + replicate]);
    }
    for (size_t k = 0; k < K; k++) {
        int miss_fnmr = 0, miss_fmr = 0;
        for (size_t g = 0; g < p->n_groups; g++) {
            s->gk[g] = s->fnmr_k[g * K + k];
            s->gn[g] = s->fnmr_n[g];
            s->mk[g] = s->fmr_k[g * K + k];
            s->mn[g] = s->fmr_n[g];
            size_t row = p->first_row + g * K + k;
            j->rep_fnmr[row * j->R + replicate] = s->gn[g] > 0 ? s->gk[g] / s->gn[g] : NAN;
            j->rep_fmr[row * j->R + replicate] = s->mn[g] > 0 ? s->mk[g] / s->mn[g] : NAN;
            if (p->too_small && p->too_small[g]) {
                s->gn[g] = s->mn[g] = 0; /* no trials: left out of the summaries */
                continue;
            }
            const sh_vgroup *obs = &j->r->groups[row];
            miss_fnmr |= obs->n_genuine > 0 && s->gn[g] == 0;
            miss_fmr |= obs->n_impostor > 0 && s->mn[g] == 0;
        }
        if (p->first_summary == SIZE_MAX)
            continue;
        sh_differential d;
        sh_differential_compute(&d, s->gk, s->gn, s->mk, s->mn, p->n_groups, j->alpha);
        /* A replicate that drew none of a group's subjects summarises fewer
         * groups, a different statistic: it gives none for that rate (nor
         * for the joint measures). */
        if (miss_fnmr)
            d.fnmr.max_min = d.fnmr.max_geomean = d.fnmr.gini = d.fnmr.gap = NAN;
        if (miss_fmr)
            d.fmr.max_min = d.fmr.max_geomean = d.fmr.gini = d.fmr.gap = NAN;
        if (miss_fnmr || miss_fmr)
            d.garbe = d.fdr = d.inequity = NAN;
        sh_vsummary values;
        put_values(&values, &d);
        size_t srow = p->first_summary + k;
        for (size_t f = 0; f < N_BOUNDED; f++)
            j->rep_sum[(srow * N_BOUNDED + f) * j->R + replicate] = field(&values, f)[0];
    }
}

static int replicate_block(void *ctx, size_t begin, size_t end, sh_err *err)
{
    const boot_job *j = ctx;
    boot_scratch s;
    if (scratch_alloc(&s, j->n_subjects, j->max_groups, j->K))
        return sh_err_nomem(err);
    for (size_t rep = begin; rep < end; rep++) {
        if (sh_boot_weights(s.w, j->n_subjects, j->seed, rep)) {
            scratch_free(&s);
            return sh_err_nomem(err);
        }
        for (size_t p = 0; p < j->n_parts; p++)
            partition_counts(j, &j->parts[p], &s, j->K, rep);
        sh_progress_add(j->progress, 1);
    }
    scratch_free(&s);
    return 0;
}

/* Builds the per-subject tables of every partition. */
static int build_tables(boot_part *parts, size_t n_parts, const sh_vresults *r,
                        const sh_manifest *m, const sh_pairs *pairs, const double *gs,
                        const sh_impostors *imp)
{
    size_t K = r->n_thresholds;
    double *thr = malloc((K ? K : 1) * sizeof *thr);
    if (!thr)
        return -1;
    for (size_t k = 0; k < K; k++)
        thr[k] = r->thresholds[k].threshold;
    int complete = pairs->all_impostors;
    int bad = 0;
    for (size_t p = 0; p < n_parts && !bad; p++) {
        boot_part *bp = &parts[p];
        bp->boot = sh_vboot_create(m->n_subjects, bp->n_groups, thr, K, complete);
        bp->own = sh_vown_create(bp->n_groups, imp->hit_bin == UINT32_MAX
                                                   ? INFINITY : sh_score_bin_edge(imp->hit_bin));
        if (!bp->boot || !bp->own) {
            bad = 1;
            break;
        }
        const int32_t *ig = bp->item_group;
        for (size_t i = 0; i < m->n_items; i++)
            sh_vboot_add_image(bp->boot, ig ? (size_t)ig[i] : 0, m->subject[i]);
        for (size_t k = 0; k < pairs->n_genuine; k++) {
            const sh_pair *q = &pairs->genuine[k];
            size_t ga = ig ? (size_t)ig[q->a] : 0, gb = ig ? (size_t)ig[q->b] : 0;
            if (ga == gb) {
                sh_vboot_add_genuine(bp->boot, ga, m->subject[q->a], gs[k]);
                bad |= sh_vown_add_genuine(bp->own, ga, m->subject[q->a], gs[k]) != 0;
            }
        }
        /* A sample or a list: which subjects met, pair by pair. */
        for (size_t k = 0; !complete && k < pairs->n_impostor && !bad; k++) {
            const sh_pair *q = &pairs->impostor[k];
            size_t ga = ig ? (size_t)ig[q->a] : 0, gb = ig ? (size_t)ig[q->b] : 0;
            if (ga == gb)
                bad = sh_vboot_add_impostor(bp->boot, ga, m->subject[q->a],
                                                m->subject[q->b]) != 0;
            else if (bp->first_cell != SIZE_MAX)
                bad = sh_vboot_add_cross_impostor(bp->boot, ga, gb, m->subject[q->a],
                                                  m->subject[q->b]) != 0;
        }
        for (size_t k = 0; k < imp->n_hits && !bad; k++) {
            const sh_pair *q = &imp->hits[k].pair;
            size_t ga = ig ? (size_t)ig[q->a] : 0, gb = ig ? (size_t)ig[q->b] : 0;
            if (ga == gb)
                bad = sh_vboot_add_match(bp->boot, ga, m->subject[q->a], m->subject[q->b],
                                             imp->hits[k].score) != 0 ||
                      sh_vown_add_impostor(bp->own, ga, m->subject[q->a], m->subject[q->b],
                                           imp->hits[k].score) != 0;
            else if (bp->first_cell != SIZE_MAX)
                bad = sh_vboot_add_cross_match(bp->boot, ga, gb, m->subject[q->a],
                                               m->subject[q->b], imp->hits[k].score) != 0;
        }
        if (!bad)
            bad = sh_vboot_finish(bp->boot) != 0;
        if (!bad)
            sh_vown_finish(bp->own);
    }
    free(thr);
    return bad ? -1 : 0;
}

/* The two groups of a rate's largest gap, by name, and the Fisher exact p
 * of their counts. */
static void name_gap(char *out_high, char *out_low, double *out_p, const sh_rate_summary *rs,
                     const boot_part *p, const double *k, const double *n)
{
    *out_p = NAN;
    if (rs->n_groups < 2)
        return;
    snprintf(out_high, SH_NAME_MAX, "%s", p->group_names[rs->gap_hi]);
    snprintf(out_low, SH_NAME_MAX, "%s", p->group_names[rs->gap_lo]);
    *out_p = sh_fisher_exact((uint64_t)k[rs->gap_hi], (uint64_t)n[rs->gap_hi],
                                 (uint64_t)k[rs->gap_lo], (uint64_t)n[rs->gap_lo]);
}

/* The observed summary row of partition p at point k; every value NaN
 * when the point is not estimable. */
static void observed_summary(sh_vsummary *out, const sh_vresults *r, const boot_part *p,
                             size_t k, double alpha, double *gk, double *gn, double *mk,
                             double *mn)
{
    size_t K = r->n_thresholds;
    memset(out, 0, sizeof *out);
    snprintf(out->partition, sizeof out->partition, "%s", p->name);
    out->target_fmr = r->thresholds[k].target_fmr;
    out->target_fnmr = r->thresholds[k].target_fnmr;
    memcpy(out->point, r->thresholds[k].point, sizeof out->point);
    out->threshold = r->thresholds[k].threshold;
    out->alpha = alpha;
    out->fnmr_gap_p = out->fmr_gap_p = NAN;
    for (size_t f = 0; f < N_BOUNDED; f++)
        field(out, f)[0] = field(out, f)[1] = field(out, f)[2] = NAN;
    if (!r->thresholds[k].estimable)
        return;
    for (size_t g = 0; g < p->n_groups; g++) {
        const sh_vgroup *row = &r->groups[p->first_row + g * K + k];
        gk[g] = (double)row->n_false_nonmatch;
        gn[g] = (double)row->n_genuine;
        mk[g] = (double)row->n_false_match;
        mn[g] = (double)row->n_impostor;
        if (p->too_small && p->too_small[g])
            gn[g] = mn[g] = 0; /* no trials: left out of the summaries */
    }
    sh_differential d;
    sh_differential_compute(&d, gk, gn, mk, mn, p->n_groups, alpha);
    put_values(out, &d);
    out->fnmr_groups = (int32_t)d.fnmr.n_groups;
    out->fnmr_zero_groups = (int32_t)d.fnmr.n_zero;
    out->fmr_groups = (int32_t)d.fmr.n_groups;
    out->fmr_zero_groups = (int32_t)d.fmr.n_zero;
    name_gap(out->fnmr_gap_high, out->fnmr_gap_low, &out->fnmr_gap_p, &d.fnmr, p, gk, gn);
    name_gap(out->fmr_gap_high, out->fmr_gap_low, &out->fmr_gap_p, &d.fmr, p, mk, mn);
}

/* a / b for a rate over its reference's: NaN where b is 0 (the reference
 * had no errors: no ratio can be estimated) or either is NaN. */
static double ratio(double a, double b)
{
    return isnan(a) || isnan(b) || b == 0 ? NAN : a / b;
}

/* The same for one replicate's rates: +inf where only b is 0 (the interval
 * then reaches infinity), NaN where both are (left out). */
static double replicate_ratio(double a, double b)
{
    if (b == 0 && a > 0)
        return INFINITY;
    return ratio(a, b);
}

/* Each group row's rates over its partition's reference group's at the
 * same point, with bootstrap bounds from the replicates' ratios where
 * there are replicates (rep_fnmr, rep_fmr: [row][replicate], or NULL). */
static int reference_ratios(sh_vresults *r, const boot_part *parts, size_t n_parts, size_t K,
                            const double *rep_fnmr, const double *rep_fmr, unsigned R,
                            double conf)
{
    double *reps = malloc((R ? R : 1) * sizeof *reps);
    if (!reps)
        return -1;
    for (size_t p = 0; p < n_parts; p++) {
        const boot_part *bp = &parts[p];
        if (bp->reference < 0)
            continue;
        for (size_t g = 0; g < bp->n_groups; g++)
            for (size_t k = 0; k < K; k++) {
                size_t i = bp->first_row + g * K + k;
                size_t ref = bp->first_row + (size_t)bp->reference * K + k;
                sh_vgroup *row = &r->groups[i];
                const sh_vgroup *rr = &r->groups[ref];
                snprintf(row->reference, sizeof row->reference, "%s", rr->group);
                row->fnmr_ratio = ratio(row->fnmr, rr->fnmr);
                row->fmr_ratio = ratio(row->fmr, rr->fmr);
                for (int fmr = 0; R && fmr < 2; fmr++) {
                    const double *rep = fmr ? rep_fmr : rep_fnmr;
                    double value = fmr ? row->fmr_ratio : row->fnmr_ratio;
                    uint64_t errors = fmr ? row->n_false_match : row->n_false_nonmatch;
                    uint64_t trials = fmr ? row->n_impostor : row->n_genuine;
                    /* No estimate, no interval; nor where the group had no
                     * errors (or only errors): its replicates cannot vary, so
                     * their ratios would bound nothing (0 [0, 0]). The
                     * reference's own ratio is 1 exactly. Nor where either
                     * group has too few subjects for bounds of its own. */
                    if (isnan(value) || (i != ref && (errors == 0 || errors == trials)) ||
                        row->n_subjects < SH_TEST_BOOT_SUBJECTS ||
                        rr->n_subjects < SH_TEST_BOOT_SUBJECTS)
                        continue;
                    for (unsigned b = 0; b < R; b++)
                        reps[b] = replicate_ratio(rep[i * R + b], rep[ref * R + b]);
                    if (fmr)
                        sh_boot_percentile(&row->fmr_ratio_lo, &row->fmr_ratio_hi, reps, R, conf);
                    else
                        sh_boot_percentile(&row->fnmr_ratio_lo, &row->fnmr_ratio_hi, reps, R,
                                           conf);
                }
            }
    }
    free(reps);
    return 0;
}

/* Bounds of an own-threshold rate whose observed errors are k of n: the
 * replicates' percentile interval, widened at no errors (or only errors)
 * to Clopper-Pearson's, since a group that showed none has not shown its
 * rate is 0 (the replicates' thresholds move, so they may show some). */
static void own_rate_bounds(double *lo, double *hi, double *reps, unsigned R, double rate,
                            uint64_t n, double conf)
{
    sh_boot_percentile(lo, hi, reps, R, conf);
    uint64_t k = (uint64_t)llround(rate * (double)n);
    if (isnan(*lo) || (k != 0 && k != n))
        return;
    double clo, chi;
    sh_clopper_pearson(&clo, &chi, k, n, conf);
    *lo = fmin(*lo, clo);
    *hi = fmax(*hi, chi);
}

/* Whether any of R replicates (status: sh_vown_status each) needed
 * impostor pairs below those held; if so, note says how many. */
static int below_held(char *note, size_t size, const uint8_t *status, unsigned R)
{
    unsigned below = 0;
    for (unsigned b = 0; b < R; b++)
        below += status[b] == SH_VOWN_BELOW_KEPT;
    if (below)
        snprintf(note, size, "%u of %u replicates need impostor pairs below those held",
                 below, R);
    return below != 0;
}

/* A group row's bounds of its own threshold and its FNMR and FMR there,
 * from the replicates' (rep: [3][R]; status: [R]); NaN without an own
 * threshold, under SH_TEST_BOOT_SUBJECTS subjects, or, saying why, where
 * a replicate needed impostor pairs below those held. */
static void own_bounds(sh_vgroup *g, double *rep, const uint8_t *status, unsigned R,
                       double conf)
{
    g->group_threshold_lo = g->group_threshold_hi = NAN;
    g->group_fnmr_lo = g->group_fnmr_hi = g->group_fmr_lo = g->group_fmr_hi = NAN;
    if (!g->group_estimable || isnan(g->group_threshold) ||
        g->n_subjects < SH_TEST_BOOT_SUBJECTS)
        return;
    if (below_held(g->group_boot_note, sizeof g->group_boot_note, status, R))
        return;
    sh_boot_percentile(&g->group_threshold_lo, &g->group_threshold_hi, rep, R, conf);
    own_rate_bounds(&g->group_fnmr_lo, &g->group_fnmr_hi, rep + R, R, g->group_fnmr,
                    g->n_genuine, conf);
    own_rate_bounds(&g->group_fmr_lo, &g->group_fmr_hi, rep + 2 * (size_t)R, R, g->group_fmr,
                    g->n_impostor, conf);
}

/* An EER row's bounds from its replicates' (status: [R]), for a group of
 * `subjects`: the percentile interval; at an EER of 0, whose replicates
 * cannot vary, up to Clopper-Pearson's bound for no errors in the smaller
 * side's pairs (at the threshold with no error the true FMR and FNMR lie
 * below their bounds, so the EER does); NaN under SH_TEST_BOOT_SUBJECTS
 * subjects or, saying why, where a replicate needed pairs not held. */
static void eer_bounds(sh_veer *e, double *rep, const uint8_t *status, unsigned R,
                       uint64_t subjects, double conf)
{
    e->eer_boot_lo = e->eer_boot_hi = NAN;
    if (isnan(e->eer))
        return;
    if (subjects < SH_TEST_BOOT_SUBJECTS) {
        snprintf(e->eer_boot_note, sizeof e->eer_boot_note,
                 "fewer than %d subjects", SH_TEST_BOOT_SUBJECTS);
        return;
    }
    if (below_held(e->eer_boot_note, sizeof e->eer_boot_note, status, R))
        return;
    sh_boot_percentile(&e->eer_boot_lo, &e->eer_boot_hi, rep, R, conf);
    if (e->eer == 0 && !isnan(e->eer_boot_lo)) {
        double lo, hi;
        uint64_t n = e->n_genuine < e->n_impostor ? e->n_genuine : e->n_impostor;
        sh_clopper_pearson(&lo, &hi, 0, n, conf);
        e->eer_boot_lo = 0;
        e->eer_boot_hi = fmax(e->eer_boot_hi, hi);
    }
}

/* The FMR matrix's bootstrap bounds of partition p, after its groups'
 * (whose rows give the diagonal): the rule of sh_boot_rate_bounds for each
 * cell across groups, with the fewer subjects of its two groups. */
static void matrix_bounds(sh_vmatrix *mx, const sh_vresults *r, const boot_part *p,
                          double *rep_cell, size_t K, unsigned R, double conf)
{
    size_t G = p->n_groups, cells = G * G;
    for (size_t k = 0; k < K; k++) {
        if (isnan(mx->threshold[k]))
            continue;
        for (size_t a = 0; a < G; a++) {
            const sh_vgroup *ga = &r->groups[p->first_row + a * K + k];
            mx->fmr_boot_lo[k * cells + a * G + a] = ga->fmr_boot_lo;
            mx->fmr_boot_hi[k * cells + a * G + a] = ga->fmr_boot_hi;
            for (size_t b = a + 1; b < G; b++) {
                const sh_vgroup *gb = &r->groups[p->first_row + b * K + k];
                size_t c = k * cells + a * G + b, c2 = k * cells + b * G + a;
                double *reps = rep_cell + ((p->first_cell + upper_cell(G, a, b)) * K + k) * R;
                uint64_t subjects = ga->n_subjects < gb->n_subjects ? ga->n_subjects
                                                                    : gb->n_subjects;
                sh_boot_rate_bounds(&mx->fmr_boot_lo[c], &mx->fmr_boot_hi[c], reps, R,
                                    mx->n_false_match[c], mx->n_impostor[a * G + b], subjects,
                                    conf);
                mx->fmr_boot_lo[c2] = mx->fmr_boot_lo[c];
                mx->fmr_boot_hi[c2] = mx->fmr_boot_hi[c];
            }
        }
    }
}

int sh_verification_summarise(sh_vresults *r, const sh_manifest *m,
                                  const sh_groups *g, const sh_pairs *pairs,
                                  const double *genuine_scores, const sh_impostors *imp,
                                  const sh_vmeasure_options *opts, sh_err *err)
{
    size_t K = r->n_thresholds, n_parts = 1 + g->n_partitions, max_groups = 1;
    static const char *const all_names[] = {"All"};
    boot_part *parts = calloc(n_parts, sizeof *parts);
    r->summaries = calloc(g->n_partitions * K + 1, sizeof *r->summaries);
    if (!parts || !r->summaries) {
        free(parts);
        return sh_err_nomem(err);
    }
    parts[0] = (boot_part){"all", 1, all_names, NULL, NULL, -1, 0, SIZE_MAX, NULL, SIZE_MAX, NULL};
    size_t row = K, n_cells = 0;
    for (size_t p = 0; p < g->n_partitions; p++) {
        const sh_partition *part = &g->partitions[p];
        parts[p + 1] = (boot_part){part->name, part->n_groups,
                                   (const char *const *)part->group_names, part->item_group,
                                   part->too_small, part->reference, row, p * K, NULL,
                                   SIZE_MAX, NULL};
        row += part->n_groups * K;
        /* The FMR matrix's cells across groups, where it was computed. */
        if (part->n_groups > 1 && p < r->n_matrices) {
            parts[p + 1].first_cell = n_cells;
            n_cells += part->n_groups * (part->n_groups - 1) / 2;
        }
        if (part->n_groups > max_groups)
            max_groups = part->n_groups;
    }
    boot_job job = {.r = r, .parts = parts, .n_parts = n_parts, .n_subjects = m->n_subjects,
                    .max_groups = max_groups, .K = K, .R = opts->bootstrap, .seed = opts->seed,
                    .alpha = opts->alpha};
    double *gk = malloc(4 * max_groups * sizeof *gk);
    int rc = gk ? 0 : sh_err_nomem(err);
    for (size_t p = 1; !rc && p < n_parts; p++)
        for (size_t k = 0; k < K; k++)
            observed_summary(&r->summaries[r->n_summaries++], r, &parts[p], k, opts->alpha, gk,
                             gk + max_groups, gk + 2 * max_groups, gk + 3 * max_groups);
    free(gk);
    if (!rc && job.R) {
        job.rep_fnmr = malloc(r->n_groups * job.R * sizeof(double));
        job.rep_fmr = malloc(r->n_groups * job.R * sizeof(double));
        job.rep_sum = malloc((r->n_summaries ? r->n_summaries : 1) * N_BOUNDED * job.R *
                             sizeof(double));
        job.rep_cell = malloc((n_cells ? n_cells : 1) * (K ? K : 1) * job.R * sizeof(double));
        job.rep_own = malloc(r->n_groups * 3 * job.R * sizeof(double));
        job.own_status = malloc(r->n_groups * job.R);
        job.rep_eer = malloc((r->n_eer + 1) * job.R * sizeof(double));
        job.eer_status = malloc((r->n_eer + 1) * job.R);
        if (!job.rep_fnmr || !job.rep_fmr || !job.rep_sum || !job.rep_cell || !job.rep_own ||
            !job.own_status || !job.rep_eer || !job.eer_status ||
            build_tables(parts, n_parts, r, m, pairs, genuine_scores, imp))
            rc = sh_err_nomem(err);
    }
    if (!rc && job.R) {
        job.progress = opts->progress;
        sh_progress_stage(job.progress, "bootstrap", job.R);
        size_t R8 = job.R * sizeof(double);
        sh_ranks_array made[] = {
            {job.rep_fnmr, sizeof(double), r->n_groups, R8},
            {job.rep_fmr, sizeof(double), r->n_groups, R8},
            {job.rep_sum, sizeof(double), r->n_summaries * N_BOUNDED, R8},
            {job.rep_cell, sizeof(double), n_cells * K, R8},
            {job.rep_own, sizeof(double), r->n_groups * 3, R8},
            {job.own_status, 1, r->n_groups, job.R},
            {job.rep_eer, sizeof(double), r->n_eer, R8},
            {job.eer_status, 1, r->n_eer, job.R},
        };
        /* Under MPI each rank draws its share of the replicates (ranks.h). */
        rc = sh_ranks_for_blocks(opts->ranks, opts->executor, 0, job.R, BOOT_BLOCK,
                                 replicate_block, &job, made, sizeof made / sizeof *made, err);
        if (!rc) {
            sh_progress_add(job.progress, sh_ranks_items_elsewhere(opts->ranks, job.R, BOOT_BLOCK));
            sh_progress_end(job.progress);
        }
    }
    /* Ratios and tests pair groups' rates replicate by replicate: before
     * the bounds below sort each row's replicates. */
    if (!rc && reference_ratios(r, parts, n_parts, K, job.rep_fnmr, job.rep_fmr, job.R,
                                opts->confidence))
        rc = sh_err_nomem(err);
    if (!rc)
        rc = sh_verification_tests(r, g, job.rep_fnmr, job.rep_fmr, job.R, err);
    if (!rc && job.R) {
        double conf = opts->confidence;
        for (size_t i = 0; i < r->n_groups; i++) {
            sh_vgroup *gr = &r->groups[i];
            if (isnan(gr->threshold))
                continue;
            sh_boot_rate_bounds(&gr->fnmr_boot_lo, &gr->fnmr_boot_hi, job.rep_fnmr + i * job.R,
                                job.R, gr->n_false_nonmatch, gr->n_genuine, gr->n_subjects,
                                conf);
            sh_boot_rate_bounds(&gr->fmr_boot_lo, &gr->fmr_boot_hi, job.rep_fmr + i * job.R,
                                job.R, gr->n_false_match, gr->n_impostor, gr->n_subjects, conf);
        }
        for (size_t i = 0; i < r->n_groups; i++)
            own_bounds(&r->groups[i], job.rep_own + i * 3 * job.R,
                       job.own_status + i * job.R, job.R, conf);
        for (size_t p = 0; p < n_parts; p++)
            for (size_t gi = 0; gi < parts[p].n_groups; gi++) {
                size_t e = parts[p].first_row / K + gi;
                eer_bounds(&r->eer[e], job.rep_eer + e * job.R, job.eer_status + e * job.R,
                           job.R, r->groups[parts[p].first_row + gi * K].n_subjects, conf);
            }
        for (size_t p = 1; p < n_parts; p++)
            if (parts[p].first_cell != SIZE_MAX)
                matrix_bounds(&r->matrices[p - 1], r, &parts[p], job.rep_cell, K, job.R, conf);
        for (size_t s = 0; s < r->n_summaries; s++) {
            if (isnan(r->summaries[s].threshold))
                continue;
            for (size_t f = 0; f < N_BOUNDED; f++) {
                double *v = field(&r->summaries[s], f);
                if (!isnan(v[0]))
                    sh_boot_percentile(&v[1], &v[2],
                                           job.rep_sum + (s * N_BOUNDED + f) * job.R, job.R,
                                           conf);
            }
        }
    }
    for (size_t p = 0; p < n_parts; p++) {
        sh_vboot_destroy(parts[p].boot);
        sh_vown_destroy(parts[p].own);
    }
    free(parts);
    free(job.rep_fnmr);
    free(job.rep_fmr);
    free(job.rep_sum);
    free(job.rep_cell);
    free(job.rep_own);
    free(job.own_status);
    free(job.rep_eer);
    free(job.eer_status);
    return rc;
}
