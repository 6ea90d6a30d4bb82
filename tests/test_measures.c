/* Known answers for every measure on small hand-worked inputs: intervals,
 * EER and DET, differential summaries, Fisher's exact test, the tests of
 * equal rates across groups with Holm's adjustment, the subject
 * bootstrap's weights and counts, and criteria verdicts. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bootstrap.h"
#include "classification_measures.h"
#include "criteria.h"
#include "det.h"
#include "differential.h"
#include "identification_measures.h"
#include "interval.h"
#include "proportion_test.h"
#include "rate_tests.h"
#include "threshold.h"
#include "verification_boot.h"
#include "verification_folds.h"
#include "verification_own.h"
#include "verification_tests.h"

static void clopper_pearson_known_values(void **state)
{
    (void)state;
    double lo, hi;
    sh_clopper_pearson(&lo, &hi, 5, 10, 0.95);
    assert_float_equal(lo, 0.187086, 1e-6);
    assert_float_equal(hi, 0.812914, 1e-6);
    /* Zero errors: two-sided like every other k, 1 - 0.025^(1/10); the
     * one-sided rule-of-three bound 1 - 0.05^(1/n) only under its own name. */
    sh_clopper_pearson(&lo, &hi, 0, 10, 0.95);
    assert_float_equal(lo, 0.0, 0);
    assert_float_equal(hi, 0.3084971078, 1e-9);
    assert_float_equal(sh_zero_upper_one_sided(1e6, 0.95), 2.9957277864e-6, 1e-15);
    sh_clopper_pearson(&lo, &hi, 0, 1000000, 0.95);
    assert_float_equal(hi, 3.6888726502e-6, 1e-15);
    sh_clopper_pearson(&lo, &hi, 10, 10, 0.95);
    assert_float_equal(lo, 1 - 0.3084971078, 1e-9);
    assert_float_equal(hi, 1.0, 0);
    /* One error in a million, where GSL's own beta inverse gives up: the
     * lower bound has the closed form 1 - 0.975^(1/n), and the upper bound
     * leaves 2.5% below it: P(X <= 1) = 0.025. */
    double n = 1e6;
    sh_clopper_pearson(&lo, &hi, 1, 1000000, 0.95);
    assert_float_equal(lo, -expm1(log(0.975) / n), 1e-12);
    double tail = exp(n * log1p(-hi)) + n * hi * exp((n - 1) * log1p(-hi));
    assert_float_equal(tail, 0.025, 1e-8);
    sh_clopper_pearson(&lo, &hi, 0, 0, 0.95);
    assert_true(isnan(lo) && isnan(hi));
}

/* An impostor distribution as a run builds it: counted, refined where the
 * EER needs it, sealed. */
typedef struct dist {
    sh_score_hist h;
    sh_score_window w;
} dist;

static const dist *dist_of(dist *d, const double *imp, size_t n, const double *gen, size_t ng)
{
    sh_hist_clear(&d->h);
    sh_window_clear(&d->w);
    for (size_t k = 0; k < n; k++)
        assert_int_equal(sh_hist_add(&d->h, imp[k]), 0);
    assert_int_equal(sh_hist_index(&d->h), 0);
    assert_int_equal(sh_eer_want(&d->w, &d->h, gen, ng), 0);
    for (size_t k = 0; k < n; k++)
        assert_int_equal(sh_hist_keep(&d->h, &d->w, imp[k]), 0);
    assert_int_equal(sh_hist_seal(&d->h, &d->w), 0);
    return d;
}

static void dist_free(dist *d)
{
    sh_hist_clear(&d->h);
    sh_window_clear(&d->w);
}

/* sh_eer on stored impostors, through a distribution. */
static int eer_of(double *out_eer, double *out_t, const double *g, size_t ng, const double *imp,
                  size_t n)
{
    dist d = {0};
    dist_of(&d, imp, n, g, ng);
    int rc = sh_eer(out_eer, out_t, g, ng, &d.h, &d.w);
    dist_free(&d);
    return rc;
}

static void eer_is_least_worse_rate_at_smallest_threshold(void **state)
{
    (void)state;
    double g[4] = {0.2, 0.6, 0.7, 0.9}, i[4] = {0.1, 0.3, 0.4, 0.8}, eer, t;
    /* At 0.6: FNMR 1/4 (0.2), FMR 1/4 (0.8); no threshold does better. */
    assert_int_equal(eer_of(&eer, &t, g, 4, i, 4), 1);
    assert_float_equal(eer, 0.25, 0);
    assert_float_equal(t, 0.6, 0);
    /* Ties: at 0.5 three impostors match (FMR 3/4); at 1 none do and the
     * two genuine 0.5s fail (FNMR 2/4): EER 0.5 at 1. */
    double g2[4] = {0.5, 0.5, 1, 1}, i2[4] = {0, 0.5, 0.5, 0.5};
    assert_int_equal(eer_of(&eer, &t, g2, 4, i2, 4), 1);
    assert_float_equal(eer, 0.5, 0);
    assert_float_equal(t, 1.0, 0);
    /* Perfect separation: EER 0 at the lowest genuine score. */
    double g3[2] = {2, 3}, i3[2] = {0, 1};
    assert_int_equal(eer_of(&eer, &t, g3, 2, i3, 2), 1);
    assert_float_equal(eer, 0.0, 0);
    assert_float_equal(t, 2.0, 0);
    /* Failed templates (-inf) are genuine errors at every threshold. */
    double g4[3] = {-INFINITY, 5, 6}, i4[2] = {0, 1};
    assert_int_equal(eer_of(&eer, &t, g4, 3, i4, 2), 1);
    assert_float_equal(eer, 1.0 / 3.0, 1e-15);
    assert_int_equal(eer_of(&eer, &t, g4, 3, i4, 0), 0);
    assert_true(isnan(eer) && isnan(t));
    /* A NaN (which the runner refuses) ends the search, never stalls it. */
    double g5[2] = {0.5, NAN};
    eer_of(&eer, &t, g5, 2, i4, 2);
}

static void det_points_are_exact_and_monotone(void **state)
{
    (void)state;
    enum { NG = 200, NI = 5000 };
    static double g[NG], im[NI];
    for (int k = 0; k < NG; k++)
        g[k] = 1.0 + 0.01 * (k % 150);   /* ties, on purpose */
    for (int k = 0; k < NI; k++)
        im[k] = 0.0004 * k;
    sh_scores_sort(g, NG);
    double eer, t;
    dist d = {0};
    dist_of(&d, im, NI, g, NG);
    sh_eer(&eer, &t, g, NG, &d.h, &d.w);
    sh_det_point pts[SH_DET_MAX_POINTS(20)];
    size_t n = sh_det_curve(pts, 20, g, NG, &d.h, &d.w, t);
    dist_free(&d);
    assert_true(n > 20 && n <= SH_DET_MAX_POINTS(20));
    int has_eer = 0;
    for (size_t k = 0; k < n; k++) {
        assert_float_equal(pts[k].fmr, (double)sh_count_ge(im, NI, pts[k].threshold) / NI, 0);
        assert_float_equal(pts[k].fnmr, (double)sh_count_lt(g, NG, pts[k].threshold) / NG, 0);
        has_eer |= pts[k].threshold == t;
        if (k) {
            assert_true(pts[k].threshold > pts[k - 1].threshold);
            assert_true(pts[k].fmr <= pts[k - 1].fmr && pts[k].fnmr >= pts[k - 1].fnmr);
        }
    }
    assert_true(has_eer);
    /* The curve reaches FMR 0, and its next point lies within the top
     * bin's scores (here 9 of them: the bin is 1/256 of [1, 2)) of 1/N_imp,
     * the smallest a count can show. */
    assert_float_equal(pts[n - 1].fmr, 0.0, 0);
    double least = 1;
    for (size_t k = 0; k < n; k++)
        if (pts[k].fmr > 0 && pts[k].fmr < least)
            least = pts[k].fmr;
    assert_true(least <= 9.0 / NI);
}

static void gini_and_summaries_known_values(void **state)
{
    (void)state;
    double x[3] = {0.1, 0.2, 0.3};
    assert_float_equal(sh_gini(x, 3), 1.0 / 3.0, 1e-12);
    double z[2] = {0, 0};
    assert_float_equal(sh_gini(z, 2), 0.0, 0);
    assert_true(isnan(sh_gini(x, 1)));
    /* FNMR .01 .02 .04 over 100 each; FMR 0/1000, 1/1000 and a group with
     * no impostor pairs, which is left out. */
    double gk[3] = {1, 2, 4}, gn[3] = {100, 100, 100};
    double mk[3] = {0, 1, 0}, mn[3] = {1000, 1000, 0};
    sh_differential d;
    sh_differential_compute(&d, gk, gn, mk, mn, 3, 0.5);
    assert_int_equal(d.fnmr.n_groups, 3);
    assert_float_equal(d.fnmr.max_min, 4.0, 1e-12);
    assert_float_equal(d.fnmr.max_geomean, 2.0, 1e-12); /* geomean 0.02 */
    assert_float_equal(d.fnmr.gini, 0.428571428571, 1e-10);
    assert_float_equal(d.fnmr.gap, 0.03, 1e-15);
    assert_int_equal(d.fnmr.gap_hi, 2);
    assert_int_equal(d.fnmr.gap_lo, 0);
    assert_int_equal(d.fmr.n_groups, 2);
    assert_int_equal(d.fmr.n_zero, 1);
    /* The zero rate is floored at half an error, 0.0005, for ratios only. */
    assert_float_equal(d.fmr.max_min, 2.0, 1e-12);
    assert_float_equal(d.fmr.max_geomean, sqrt(2.0), 1e-12);
    assert_float_equal(d.fmr.gini, 1.0, 1e-12);
    assert_float_equal(d.fmr.gap, 0.001, 1e-15);
    assert_float_equal(d.garbe, 0.5 * 1.0 + 0.5 * 0.428571428571, 1e-10);
    assert_float_equal(d.fdr, 1 - (0.5 * 0.001 + 0.5 * 0.03), 1e-12);
    assert_float_equal(d.inequity, sqrt(2.0) * sqrt(4.0), 1e-12);
    /* One group: nothing to compare. */
    sh_differential_compute(&d, gk, gn, mk, mn, 1, 0.5);
    assert_true(isnan(d.fnmr.max_min) && isnan(d.garbe) && isnan(d.fdr));
    /* No errors anywhere: groups of 40 and 400 show no difference (the
     * floored rates would give 10, their sizes' ratio), and the gap's two
     * ends are two groups. */
    double k0[2] = {0, 0}, n0[2] = {40, 400};
    sh_rate_summary rs;
    sh_rate_summarise(&rs, k0, n0, 2);
    assert_float_equal(rs.max_min, 1.0, 0);
    assert_float_equal(rs.max_geomean, 1.0, 0);
    assert_float_equal(rs.gap, 0.0, 0);
    assert_int_equal(rs.gap_hi, 0);
    assert_int_equal(rs.gap_lo, 1);
    /* Equal non-zero rates: the same two ends. */
    double k1[3] = {1, 2, 0}, n1[3] = {10, 20, 0};
    sh_rate_summarise(&rs, k1, n1, 3);
    assert_int_equal(rs.gap_hi, 0);
    assert_int_equal(rs.gap_lo, 1);
}

/* The omnibus test's bootstrap p is 1 where the rates are equal only when
 * every group can be judged; NaN otherwise, as where they differ. */
static void equal_rates_need_judged_groups(void **state)
{
    (void)state;
    size_t row[2] = {0, 1};
    double e[2] = {0, 0}, t[2] = {50, 60}, rep[4] = {0, 0, 0, 0};
    uint8_t no[2] = {0, 0}, yes[2] = {1, 1};
    double chi2, p, pb;
    sh_rate_family f = {2, row, e, t, no, rep, 2};
    assert_int_equal(sh_rate_omnibus(&chi2, &p, &pb, &f), 0);
    assert_float_equal(chi2, 0, 0);
    assert_float_equal(p, 1, 0);
    assert_true(isnan(pb));
    f.judged = yes;
    assert_int_equal(sh_rate_omnibus(&chi2, &p, &pb, &f), 0);
    assert_float_equal(pb, 1, 0);
}

static void fisher_exact_known_values(void **state)
{
    (void)state;
    /* Against exact sums over the hypergeometric support (as R's fisher.test). */
    assert_float_equal(sh_fisher_exact(3, 4, 1, 4), 0.4857142857, 1e-9);
    assert_float_equal(sh_fisher_exact(1, 10, 9, 10), 0.001093333911, 1e-11);
    assert_float_equal(sh_fisher_exact(2, 1000, 12, 1000), 0.0126410306, 1e-9);
    assert_float_equal(sh_fisher_exact(0, 50, 0, 60), 1.0, 0);
    assert_float_equal(sh_fisher_exact(12, 1000, 2, 1000), 0.0126410306, 1e-9);
    assert_true(isnan(sh_fisher_exact(0, 0, 1, 10)));
}

static void bootstrap_weights_are_reproducible_draws(void **state)
{
    (void)state;
    uint32_t a[50], b[50], c[50];
    assert_int_equal(sh_boot_weights(a, 50, 7, 3), 0);
    assert_int_equal(sh_boot_weights(b, 50, 7, 3), 0);
    assert_int_equal(sh_boot_weights(c, 50, 7, 4), 0);
    uint32_t sum = 0;
    for (int i = 0; i < 50; i++)
        sum += a[i];
    assert_int_equal(sum, 50);
    assert_memory_equal(a, b, sizeof a);
    assert_memory_not_equal(a, c, sizeof a);
    double v[6] = {NAN, 4, 1, 3, 2, 5};
    double lo, hi;
    /* Five values 1..5: the 2.5% and 97.5% points interpolate. */
    sh_boot_percentile(&lo, &hi, v, 6, 0.95);
    assert_float_equal(lo, 1.1, 1e-12);
    assert_float_equal(hi, 4.9, 1e-12);
    /* 41 values: the 97.5% point is the 40th exactly, though (1 - 0.95) / 2
     * is not 0.025 in binary; the largest, +inf, must not reach it, and the
     * 2.5% point is the second zero, not 3e-16. */
    double w[41];
    for (int i = 0; i < 41; i++)
        w[i] = i < 2 ? 0 : i;
    w[40] = INFINITY;
    sh_boot_percentile(&lo, &hi, w, 41, 0.95);
    assert_true(lo == 0);
    assert_true(hi == 39);
    /* An end among infinite values is infinite. */
    w[39] = INFINITY;
    sh_boot_percentile(&lo, &hi, w, 41, 0.95);
    assert_true(isinf(hi) && hi > 0);
}

/* Subjects 0..2 with 2, 1 and 3 images; impostor pairs between every two
 * images of different subjects; two genuine pairs of subject 2. */
static void fill_boot(sh_vboot *b)
{
    uint32_t subject[6] = {0, 0, 1, 2, 2, 2};
    double score[6][6] = {{0}};
    score[0][2] = 0.9; /* 0-1 false match at both thresholds */
    score[1][3] = 0.6; /* 0-2 false match at the lower only */
    for (int i = 0; i < 6; i++)
        sh_vboot_add_image(b, 0, subject[i]);
    for (int i = 0; i < 6; i++)
        for (int j = i + 1; j < 6; j++)
            if (subject[i] != subject[j]) {
                sh_vboot_add_impostor(b, 0, subject[i], subject[j]);
                sh_vboot_add_match(b, 0, subject[i], subject[j], score[i][j]);
            }
    sh_vboot_add_genuine(b, 0, 2, 0.4); /* below both thresholds */
    sh_vboot_add_genuine(b, 0, 2, 0.7); /* below the upper only */
    sh_vboot_finish(b);
}

static void subject_bootstrap_counts_move_subjects_together(void **state)
{
    (void)state;
    double thr[2] = {0.5, 0.8};
    sh_vboot *complete = sh_vboot_create(3, 1, thr, 2, 1);
    sh_vboot *cells = sh_vboot_create(3, 1, thr, 2, 0);
    fill_boot(complete);
    fill_boot(cells);
    double gk[2], gn[1], mk[2], mn[1], ck[2], cn[1], cmk[2], cmn[1];
    uint32_t ones[3] = {1, 1, 1};
    sh_vboot_replicate(complete, ones, gk, gn, mk, mn);
    /* Observed: 2 genuine (1 and 2 errors), 2+6+3 = 11 impostor pairs. */
    assert_float_equal(gn[0], 2, 0);
    assert_float_equal(gk[0], 1, 0);
    assert_float_equal(gk[1], 2, 0);
    assert_float_equal(mn[0], 11, 0);
    assert_float_equal(mk[0], 2, 0);
    assert_float_equal(mk[1], 1, 0);
    /* Subject 0 twice, 1 never, 2 once: impostor pairs 0-2 count twice
     * (w0 w2 m0 m2 = 2 * 1 * 2 * 3 = 12), 0-1 none; genuine pairs once. */
    uint32_t w[3] = {2, 0, 1};
    sh_vboot_replicate(complete, w, gk, gn, mk, mn);
    sh_vboot_replicate(cells, w, ck, cn, cmk, cmn);
    assert_float_equal(mn[0], 12, 0);
    assert_float_equal(mk[0], 2, 0);   /* the 0-2 match, twice */
    assert_float_equal(mk[1], 0, 0);
    assert_float_equal(gn[0], 2, 0);
    /* The closed form for complete impostors equals the stored pairs. */
    assert_float_equal(cmn[0], mn[0], 0);
    assert_memory_equal(cmk, mk, sizeof mk);
    sh_vboot_destroy(complete);
    sh_vboot_destroy(cells);
}

/* Groups 0 and 1: subject 0 has an image in each, subjects 1 and 2 one
 * image in group 1 and two in group 0. */
static void fill_cross(sh_vboot *b)
{
    uint32_t subject[6] = {0, 0, 1, 2, 2, 2};
    size_t group[6] = {0, 1, 1, 0, 0, 1};
    for (int i = 0; i < 6; i++)
        sh_vboot_add_image(b, group[i], subject[i]);
    for (int i = 0; i < 6; i++)
        for (int j = i + 1; j < 6; j++)
            if (subject[i] != subject[j] && group[i] != group[j]) {
                sh_vboot_add_cross_impostor(b, group[i], group[j], subject[i], subject[j]);
                /* Images 0 (subject 0, group 0) and 2 (subject 1, group 1)
                 * match at both thresholds; 3 and 1 (subjects 2 and 0) at the lower. */
                double score = i == 0 && j == 2 ? 0.9 : i == 1 && j == 3 ? 0.6 : 0.1;
                sh_vboot_add_cross_match(b, group[i], group[j], subject[i], subject[j], score);
            }
    sh_vboot_finish(b);
}

static void subject_bootstrap_counts_cells_across_groups(void **state)
{
    (void)state;
    double thr[2] = {0.5, 0.8};
    sh_vboot *complete = sh_vboot_create(3, 2, thr, 2, 1);
    sh_vboot *cells = sh_vboot_create(3, 2, thr, 2, 0);
    fill_cross(complete);
    fill_cross(cells);
    /* Cell (0, 1) is entry 1 of 2 x 2; the rest is scratch. */
    double k[8], n[4], ck[8], cn[4];
    uint32_t ones[3] = {1, 1, 1};
    sh_vboot_replicate_cross(complete, ones, k, n);
    /* Group 0 holds images 0, 3, 4; group 1 images 1, 2, 5. Pairs of
     * different subjects: 0-2, 0-5, 3-1, 3-2, 4-1, 4-2 = 6. */
    assert_float_equal(n[1], 6, 0);
    assert_float_equal(k[2], 2, 0);
    assert_float_equal(k[3], 1, 0);
    /* Subject 0 drawn twice, 1 never, 2 once: pairs 0-5 (w 2), 3-1 and
     * 4-1 (w 2 each) = 6; the 0.6 match (3-1, subjects 2 and 0) counts 2. */
    uint32_t w[3] = {2, 0, 1};
    sh_vboot_replicate_cross(complete, w, k, n);
    sh_vboot_replicate_cross(cells, w, ck, cn);
    assert_float_equal(n[1], 6, 0);
    assert_float_equal(k[2], 2, 0);
    assert_float_equal(k[3], 0, 0);
    /* The closed form for complete impostors equals the stored pairs. */
    assert_float_equal(cn[1], n[1], 0);
    assert_float_equal(ck[2], k[2], 0);
    assert_float_equal(ck[3], k[3], 0);
    sh_vboot_destroy(complete);
    sh_vboot_destroy(cells);
}

/* One group of subjects 0..3: impostor scores 0.9 (0-1), 0.8 (0-2), 0.7
 * (1-2), 0.6 (2-3), held from 0.65 up; genuine 0.5 (s0), 0.55 (s2), 0.95
 * (s1). */
static sh_vown *four_subjects(void)
{
    sh_vown *o = sh_vown_create(1, 0.65);
    assert_non_null(o);
    assert_int_equal(sh_vown_add_impostor(o, 0, 2, 3, 0.6), 0); /* below the edge */
    assert_int_equal(sh_vown_add_impostor(o, 0, 1, 2, 0.7), 0);
    assert_int_equal(sh_vown_add_impostor(o, 0, 0, 1, 0.9), 0);
    assert_int_equal(sh_vown_add_impostor(o, 0, 0, 2, 0.8), 0);
    assert_int_equal(sh_vown_add_genuine(o, 0, 0, 0.5), 0);
    assert_int_equal(sh_vown_add_genuine(o, 0, 1, 0.95), 0);
    assert_int_equal(sh_vown_add_genuine(o, 0, 2, 0.55), 0);
    sh_vown_finish(o);
    return o;
}

static void own_thresholds_from_weighted_counts(void **state)
{
    (void)state;
    sh_vown *o = four_subjects();
    uint32_t ones[4] = {1, 1, 1, 1};
    double t, fnmr, fmr;
    /* FMR 0.25 of 4 pairs allows 1: just above the second score, 0.8. */
    sh_vpoint p = {SH_VPOINT_FMR, 0.25};
    assert_int_equal(sh_vown_threshold(o, 0, p, ones, 3, 4, &t, &fnmr, &fmr), SH_VOWN_OK);
    assert_true(t == nextafter(0.8, INFINITY));
    assert_float_equal(fnmr, 2.0 / 3, 1e-15);
    assert_float_equal(fmr, 0.25, 0);
    /* Subject 0 drawn twice, 2 none: pairs weigh 2 (0-1), 0, 0, 0 of 6
     * (a made-up total); 1 allowed, the first score carries 2: above 0.9. */
    uint32_t w[4] = {2, 1, 0, 1};
    assert_int_equal(sh_vown_threshold(o, 0, p, w, 3, 6, &t, &fnmr, &fmr), SH_VOWN_OK);
    assert_true(t == nextafter(0.9, INFINITY));
    assert_float_equal(fnmr, 2.0 / 3, 1e-15);
    assert_float_equal(fmr, 0, 0);
    /* FMR 0.75 allows 3 of 4: the crossing is the 0.6 pair, not held. */
    p.value = 0.75;
    assert_int_equal(sh_vown_threshold(o, 0, p, ones, 2, 4, &t, &fnmr, &fmr),
                     SH_VOWN_BELOW_KEPT);
    assert_true(isnan(t));
    /* FNMR 0.34 of 3 allows 1: the second genuine score, 0.55, below the
     * held pairs, so its FMR cannot be counted; FNMR 0.67 allows 2: 0.95. */
    p = (sh_vpoint){SH_VPOINT_FNMR, 0.34};
    assert_int_equal(sh_vown_threshold(o, 0, p, ones, 3, 4, &t, &fnmr, &fmr),
                     SH_VOWN_BELOW_KEPT);
    p.value = 0.67;
    assert_int_equal(sh_vown_threshold(o, 0, p, ones, 3, 4, &t, &fnmr, &fmr), SH_VOWN_OK);
    assert_float_equal(t, 0.95, 0);
    assert_float_equal(fnmr, 2.0 / 3, 1e-15);
    assert_float_equal(fmr, 0, 0);
    /* Too few pairs for the target: none. */
    p = (sh_vpoint){SH_VPOINT_FMR, 0.1};
    assert_int_equal(sh_vown_threshold(o, 0, p, ones, 2, 4, &t, &fnmr, &fmr), SH_VOWN_NONE);
    sh_vown_destroy(o);
}

/* The EER of weighted counts. The group of four_subjects: every threshold from 0.8 up gives max(FMR, FNMR) = 2/3, none
 * less, and the held pairs' FMR (3/4) is above that, so it is exact. */
static void eer_from_weighted_counts(void **state)
{
    (void)state;
    sh_vown *o = four_subjects();
    uint32_t ones[4] = {1, 1, 1, 1}, w[4] = {2, 1, 0, 1};
    double eer;
    assert_int_equal(sh_vown_eer(o, 0, ones, 3, 4, &eer), SH_VOWN_OK);
    assert_float_equal(eer, 2.0 / 3, 1e-15);
    /* Subject 0 twice, 2 never: genuine weights 2, 1, 0 (of 3); only the
     * 0.9 pair weighs (2 of 2). At 0.95: FNMR 2/3, FMR 0; below it FMR 1. */
    assert_int_equal(sh_vown_eer(o, 0, w, 3, 2, &eer), SH_VOWN_OK);
    assert_float_equal(eer, 2.0 / 3, 1e-15);
    assert_int_equal(sh_vown_eer(o, 0, ones, 3, 0, &eer), SH_VOWN_NONE);
    assert_true(isnan(eer));
    sh_vown_destroy(o);
    /* Six impostor pairs, 0.9 0.8 0.7 0.6 0.3 0.2; genuine 0.65 0.85 0.95.
     * Every pair held: the least is 1/3 (at 0.8: FNMR 1/3, FMR 2/6). From
     * 0.85 up only the 0.9 pair is held (FMR 1/6 there): the least from
     * the edge up, 1/3, is above 1/6, so a lower threshold might do better
     * and the replicate cannot be told. */
    const double imp[6] = {0.9, 0.8, 0.7, 0.6, 0.3, 0.2};
    const uint32_t ia[6] = {0, 0, 1, 2, 1, 0}, ib[6] = {1, 2, 2, 3, 3, 3};
    const double gen[3] = {0.65, 0.85, 0.95};
    for (int held_all = 0; held_all < 2; held_all++) {
        sh_vown *x = sh_vown_create(1, held_all ? -INFINITY : 0.85);
        assert_non_null(x);
        for (int i = 0; i < 6; i++)
            assert_int_equal(sh_vown_add_impostor(x, 0, ia[i], ib[i], imp[i]), 0);
        for (uint32_t s = 0; s < 3; s++)
            assert_int_equal(sh_vown_add_genuine(x, 0, s, gen[s]), 0);
        sh_vown_finish(x);
        sh_vown_status st = sh_vown_eer(x, 0, ones, 3, 6, &eer);
        if (held_all) {
            assert_int_equal(st, SH_VOWN_OK);
            assert_float_equal(eer, 1.0 / 3, 1e-15);
        } else {
            assert_int_equal(st, SH_VOWN_BELOW_KEPT);
            assert_true(isnan(eer));
        }
        sh_vown_destroy(x);
    }
}

/* A results object by hand: partition "p" with groups a and b at one
 * target, and its summary row. */
static void criteria_verdicts_known(void **state)
{
    (void)state;
    sh_vthreshold thr = {.target_fmr = 1e-3, .estimable = 1, .threshold = 2.0};
    sh_vgroup rows[2] = {
        {.partition = "p", .group = "a", .target_fmr = 1e-3, .threshold = 2.0, .fnmr = 0.10,
         .fnmr_boot_lo = 0.08, .fnmr_boot_hi = 0.12, .fnmr_cp_lo = 0.07, .fnmr_cp_hi = 0.13,
         .fte = 0.01, .fte_cp_lo = 0.005, .fte_cp_hi = 0.02},
        {.partition = "p", .group = "b", .target_fmr = 1e-3, .threshold = 2.0, .fnmr = 0.20,
         .fnmr_boot_lo = 0.17, .fnmr_boot_hi = 0.23, .fnmr_cp_lo = 0.16, .fnmr_cp_hi = 0.25,
         .fte = 0.03, .fte_cp_lo = 0.02, .fte_cp_hi = 0.05},
    };
    sh_vsummary sum = {.partition = "p", .target_fmr = 1e-3, .threshold = 2.0,
                           .fnmr_max_geomean = 1.41, .fnmr_max_geomean_lo = 1.2,
                           .fnmr_max_geomean_hi = 1.6, .fmr_max_min = NAN,
                           .fmr_max_min_lo = NAN, .fmr_max_min_hi = NAN};
    sh_vresults r = {.confidence = 0.95, .bootstrap = 100, .n_thresholds = 1,
                         .thresholds = &thr, .n_groups = 2, .groups = rows, .n_summaries = 1,
                         .summaries = &sum};
    double t = 1e-3, most_15 = 1.5, most_13 = 1.3, most_025 = 0.25, least = 0.05, fte = 0.04,
           least_018 = 0.18;
    sh_criterion k[7] = {
        {.name = "ratio-upper", .measure = "fnmr_max_geomean", .partition = "p",
         .target_fmr = &t, .at_most = &most_15},
        {.name = "ratio-value", .measure = "fnmr_max_geomean", .partition = "p",
         .target_fmr = &t, .bound = "value", .at_most = &most_13},
        {.name = "fnmr-cp", .measure = "fnmr", .partition = "p", .target_fmr = &t,
         .interval = "clopper-pearson", .at_most = &most_025},
        {.name = "fnmr-floor", .measure = "fnmr", .partition = "p", .group = "a",
         .target_fmr = &t, .bound = "lower", .at_least = &least},
        {.name = "fte", .measure = "fte", .partition = "p", .at_most = &fte},
        {.name = "nan", .measure = "fmr_max_min", .partition = "p", .target_fmr = &t,
         .at_most = &most_15},
        /* no bound named: at_least is judged on the lower end, so b's 0.20
         * [0.17, 0.23] does not pass a floor of 0.18 on its upper end */
        {.name = "floor-default", .measure = "fnmr", .partition = "p", .group = "b",
         .target_fmr = &t, .at_least = &least_018},
    };
    sh_criteria_spec c = {.rules = k, .n_rules = 7, .config_path = "c.yaml"};
    sh_verdict *v;
    sh_err err = {0};
    assert_int_equal(sh_criteria_evaluate(&v, &c, &r, NULL, &err), 0);
    assert_true(!v[0].pass && v[0].value == 1.6);       /* upper 1.6 > 1.5 */
    assert_true(!v[1].pass && v[1].value == 1.41);      /* value 1.41 > 1.3 */
    assert_true(v[2].pass && v[2].value == 0.25);       /* worst group b: 0.25 <= 0.25 */
    assert_string_equal(v[2].group, "b");
    assert_true(v[3].pass && v[3].value == 0.08);       /* a's lower bound 0.08 >= 0.05 */
    assert_true(!v[4].pass && v[4].value == 0.05);      /* b's CP upper 0.05 > 0.04 */
    assert_string_equal(v[4].group, "b");
    assert_false(v[5].pass);                            /* not defined: fails */
    assert_string_equal(v[5].reason, "fmr_max_min is not defined: fewer than two groups with "
                                     "trials, or no bootstrap");
    assert_string_equal(v[0].reason, "upper fnmr_max_geomean is 1.6, limit <= 1.5");
    assert_string_equal(v[0].bound, "upper");
    assert_true(!v[6].pass && v[6].value == 0.17);      /* b's lower bound 0.17 < 0.18 */
    assert_string_equal(v[6].bound, "lower");
    assert_false(sh_criteria_passed(v, 7));
    assert_true(sh_criteria_passed(v + 2, 2));
    free(v);
}

/* Three groups' FNMR, 10, 20 and 5 errors of 100: Pearson's chi-square
 * 11.3208 on 2 df (p = exp(-x/2) = 0.003481), and each pair's Fisher p
 * with Holm's adjustment (scipy.stats.fisher_exact; R's p.adjust "holm"). */
static void tests_across_groups_known_values(void **state)
{
    (void)state;
    char *names[] = {"A", "B", "C"};
    int32_t item_group[1] = {0};
    sh_partition part = {"p", 3, names, item_group, NULL, NULL, -1};
    sh_groups g = {1, &part};
    sh_vthreshold th = {.target_fmr = 1e-3, .estimable = 1, .threshold = 0.5,
                        .point = "target_fmr", .target_fnmr = NAN};
    sh_vgroup rows[4];
    const uint64_t e[4] = {35, 10, 20, 5};
    for (int i = 0; i < 4; i++) {
        rows[i] = (sh_vgroup){.target_fmr = 1e-3, .threshold = 0.5, .point = "target_fmr",
                              .target_fnmr = NAN, .n_genuine = i ? 100 : 300,
                              .n_false_nonmatch = e[i], .n_impostor = 1000, .n_false_match = 1};
        snprintf(rows[i].partition, sizeof rows[i].partition, "%s", i ? "p" : "all");
        snprintf(rows[i].group, sizeof rows[i].group, "%s", i ? names[i - 1] : "All");
    }
    sh_vresults r = {.confidence = 0.95, .n_thresholds = 1, .thresholds = &th, .n_groups = 4,
                     .groups = rows};
    sh_err err = {0};
    assert_int_equal(sh_verification_tests(&r, &g, NULL, NULL, 0, &err), 0);
    assert_int_equal(r.n_tests, 2);
    const sh_vtest *t = &r.tests[0];
    assert_string_equal(t->rate, "fnmr");
    assert_int_equal(t->n_groups, 3);
    assert_int_equal(t->df, 2);
    assert_float_equal(t->chi2, 11.320754716981133, 1e-12);
    assert_float_equal(t->p_chi2, 0.003481202988814607, 1e-12);
    assert_true(isnan(t->p_boot));
    /* Every FMR is 1/1000: nothing to test, p = 1. */
    assert_float_equal(r.tests[1].chi2, 0, 0);
    assert_float_equal(r.tests[1].p_chi2, 1, 0);
    assert_int_equal(r.n_pairwise, 6);
    const double fisher[3] = {0.07342758972137635, 0.2827638303777806, 0.0021972325519849056};
    const double holm[3] = {0.1468551794427527, 0.2827638303777806, 0.006591697655954716};
    const char *pairs[3][2] = {{"A", "B"}, {"A", "C"}, {"B", "C"}};
    for (int i = 0; i < 3; i++) {
        const sh_vpair_test *q = &r.pairwise[i];
        assert_string_equal(q->group_a, pairs[i][0]);
        assert_string_equal(q->group_b, pairs[i][1]);
        assert_float_equal(q->p_fisher, fisher[i], 1e-7);
        assert_float_equal(q->p_fisher_holm, holm[i], 1e-7);
        assert_true(isnan(q->p_boot) && isnan(q->p_boot_holm));
    }
    free(r.tests);
    free(r.pairwise);
}

static void classification_group_known_values(void **state)
{
    (void)state;
    /* Classes F = 0, M = 1; -1 is no prediction (always an error). */
    int32_t truth[8] = {0, 0, 0, 1, 1, 1, 0, 1};
    int32_t pred[8] = {0, 1, SH_NO_PREDICTION, 1, 1, 0, 0, 1};
    int32_t group[8] = {0, 0, 0, 0, 1, 1, 0, 1};
    sh_cgroup c;
    assert_int_equal(sh_classification_measure(&c, truth, pred, group, 0, 8, 2, 3, 0.95), 0);
    assert_int_equal(c.n, 5);
    assert_int_equal(c.errors, 2);
    assert_int_equal(c.n_no_prediction, 1);
    assert_float_equal(c.error_rate, 0.4, 1e-15);
    assert_float_equal(c.error_share, 2.0 / 3.0, 1e-15);
    uint64_t want[6] = {2, 1, 1, 0, 1, 0}; /* F: F M none; M: F M none */
    assert_memory_equal(c.confusion, want, sizeof want);
    assert_float_equal(c.tpr[0], 0.5, 0);
    assert_float_equal(c.tpr[1], 1.0, 0);
    assert_float_equal(c.fpr[0], 0.0, 0);
    assert_float_equal(c.fpr[1], 0.25, 0);
    assert_float_equal(c.ppv[0], 1.0, 0);
    assert_float_equal(c.ppv[1], 0.5, 0);
    double lo, hi;
    sh_wilson(&lo, &hi, 2, 5, 0.95);
    assert_float_equal(c.error_wilson_lo, lo, 0);
    sh_cgroup_free(&c);
    int32_t bad[8] = {0, 0, 0, 2, 1, 1, 0, 1};
    assert_int_equal(sh_classification_measure(&c, bad, pred, NULL, 0, 8, 2, 3, 0.95), -1);
}

static void identification_known_values(void **state)
{
    (void)state;
    sh_mated_search m[5] = {{1, 0.9}, {2, 0.8}, {0, -INFINITY}, {1, 0.3}, {5, 0.95}};
    assert_float_equal(sh_fnir(m, 5, 1, 0.5), 0.8, 1e-15);
    assert_float_equal(sh_fnir(m, 5, 5, 0.5), 0.4, 1e-15);
    assert_float_equal(sh_fnir(m, 5, 5, -INFINITY), 0.2, 1e-15);
    double cmc[5], want[5] = {0.4, 0.6, 0.6, 0.6, 0.8};
    sh_cmc(cmc, m, 5, 5);
    for (int r = 0; r < 5; r++)
        assert_float_equal(cmc[r], want[r], 1e-15);
    double top[4] = {0.1, 0.6, -INFINITY, 0.5};
    assert_float_equal(sh_fpir(top, 4, 0.5), 0.5, 0);
    assert_true(isnan(sh_fpir(top, 0, 0.5)) && isnan(sh_fnir(m, 0, 1, 0)));
}

/* Accuracy over folds, worked by hand (docs/measures.md): 8 items of 4
 * subjects, groups A (items 0-3) and B (4-7), 3 folds (numbered 1, 2 and
 * 5 in their file; held as indices 0 to 2). Genuine pairs
 * g1 (0,1) 0.9 fold 0, g2 (4,5) 0.4 fold 1, g3 (2,3) 0.7 fold 2, g4 (6,7)
 * failed fold 0; impostor pairs i1 (0,2) 0.5 fold 0, i2 (4,6) 0.2 fold 1,
 * i3 (1,3) 0.6 fold 2, i4 (0,4) 0.1 fold 0 (across groups: "all" only). */
static void fold_accuracy_known_values(void **state)
{
    (void)state;
    sh_pair gen[] = {{0, 1}, {4, 5}, {2, 3}, {6, 7}}, imp[] = {{0, 2}, {4, 6}, {1, 3}, {0, 4}};
    int32_t gen_fold[] = {0, 1, 2, 0}, imp_fold[] = {0, 1, 2, 0}, fold_value[] = {1, 2, 5};
    double gs[] = {0.9, 0.4, 0.7, -INFINITY}, is[] = {0.5, 0.2, 0.6, 0.1};
    sh_pairs p = {.n_genuine = 4, .genuine = gen, .n_impostor = 4, .impostor = imp,
                  .genuine_fold = gen_fold, .impostor_fold = imp_fold, .n_folds = 3,
                  .fold_value = fold_value};
    char *names[] = {"A", "B"};
    int32_t item_group[] = {0, 0, 0, 0, 1, 1, 1, 1};
    sh_partition part = {"p", 2, names, item_group, NULL, NULL, -1};
    sh_groups g = {1, &part};
    sh_vresults r = {0};
    sh_err err = {0};
    assert_int_equal(sh_vfolds_measure(&r, &p, gs, is, &g, &err), 0);
    /* all, fold 0: trained on g2 g3 i2 i3, 0.7 puts 3 of 4 right; on the
     * fold g1 and i1 i4 right, g4 (failed) wrong. Fold 1: trained on
     * folds 0 and 2 (0.7: 5 of 6); g2 wrong, i2 right. Fold 2: 0.9 and 0.4
     * both put 4 of 6 right, and the higher is taken; g3 wrong, i3 right.
     * A, fold 0 from fold 2 alone (0.7), fold 2 from fold 0 (0.9); A has
     * no fold 1. B, fold 0 from fold 1 (0.4): g4 wrong; fold 1 from fold 0,
     * which holds only the failed g4: nothing matching is best (+inf). */
    struct { const char *part, *group; int32_t fold; double t; uint64_t gen, imp, ok; double acc; }
        want[] = {{"all", "All", 1, 0.7, 2, 2, 3, 0.75}, {"all", "All", 2, 0.7, 1, 1, 1, 0.5},
                  {"all", "All", 5, 0.9, 1, 1, 1, 0.5},  {"p", "A", 1, 0.7, 1, 1, 2, 1.0},
                  {"p", "A", 5, 0.9, 1, 1, 1, 0.5},      {"p", "B", 1, 0.4, 1, 0, 0, 0.0},
                  {"p", "B", 2, INFINITY, 1, 1, 1, 0.5}};
    assert_int_equal(r.n_folds, 7);
    for (size_t i = 0; i < 7; i++) {
        const sh_vfold *f = &r.folds[i];
        assert_string_equal(f->partition, want[i].part);
        assert_string_equal(f->group, want[i].group);
        assert_int_equal(f->fold, want[i].fold);
        assert_true(f->threshold == want[i].t);
        assert_int_equal(f->n_genuine, want[i].gen);
        assert_int_equal(f->n_impostor, want[i].imp);
        assert_int_equal(f->n_correct, want[i].ok);
        assert_true(f->accuracy == want[i].acc);
    }
    /* all: 0.75, 0.5, 0.5: mean 7/12, SD sqrt(1/48), SE 1/12. A: 1 and
     * 0.5; B: 0 and 0.5: SD sqrt(1/8), SE 1/4. */
    assert_int_equal(r.n_fold_accuracy, 3);
    const sh_vfold_summary *s = r.fold_accuracy;
    assert_string_equal(s[0].group, "All");
    assert_int_equal(s[0].n_folds, 3);
    assert_true(fabs(s[0].mean - 7.0 / 12) < 1e-15);
    assert_true(fabs(s[0].sd - sqrt(1.0 / 48)) < 1e-15);
    assert_true(fabs(s[0].se - 1.0 / 12) < 1e-15);
    assert_true(s[0].min == 0.5 && s[0].max == 0.75);
    assert_string_equal(s[1].group, "A");
    assert_true(s[1].n_folds == 2 && s[1].mean == 0.75 && s[1].min == 0.5 && s[1].max == 1.0);
    assert_true(fabs(s[1].sd - sqrt(0.125)) < 1e-15 && fabs(s[1].se - 0.25) < 1e-15);
    assert_string_equal(s[2].group, "B");
    assert_true(s[2].n_folds == 2 && s[2].mean == 0.25 && s[2].min == 0.0 && s[2].max == 0.5);
    assert_true(fabs(s[2].sd - sqrt(0.125)) < 1e-15 && fabs(s[2].se - 0.25) < 1e-15);
    free(r.folds);
    free(r.fold_accuracy);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(clopper_pearson_known_values),
        cmocka_unit_test(eer_is_least_worse_rate_at_smallest_threshold),
        cmocka_unit_test(det_points_are_exact_and_monotone),
        cmocka_unit_test(gini_and_summaries_known_values),
        cmocka_unit_test(equal_rates_need_judged_groups),
        cmocka_unit_test(fisher_exact_known_values),
        cmocka_unit_test(bootstrap_weights_are_reproducible_draws),
        cmocka_unit_test(subject_bootstrap_counts_move_subjects_together),
        cmocka_unit_test(subject_bootstrap_counts_cells_across_groups),
        cmocka_unit_test(own_thresholds_from_weighted_counts),
        cmocka_unit_test(eer_from_weighted_counts),
        cmocka_unit_test(criteria_verdicts_known),
        cmocka_unit_test(tests_across_groups_known_values),
        cmocka_unit_test(classification_group_known_values),
        cmocka_unit_test(identification_known_values),
        cmocka_unit_test(fold_accuracy_known_values),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
