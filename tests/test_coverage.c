/* Coverage of the 95% intervals over many seeded synthetic data sets whose
 * true rates are known in closed form. With T trials a correct interval's
 * coverage has standard error sqrt(0.95 * 0.05 / T), 1.26% at T = 300; the
 * tests accept [0.91, 0.985], about -3 and +2.8 standard errors (the
 * percentile bootstrap with 60 subjects is known to run slightly short).
 *
 * Scores: a genuine pair of subject s is mu + u_s + e with u_s ~ N(0, rho)
 * and e ~ N(0, 1 - rho), so a subject's pairs are correlated by rho; an
 * impostor pair of subjects a, b is c_a + c_b + e with c ~ N(0, rho_i / 2),
 * e ~ N(0, 1 - rho_i). Both are N(., 1) marginally, so FNMR(t) =
 * Phi(t - mu) and FMR(t) = 1 - Phi(t) whatever the correlation.
 *
 * Two groups' FNMRs the same way: the bootstrap interval of their ratio
 * (paired replicates) covers the true ratio, and the subject bootstrap's
 * test of equal rates holds its level where Pearson's chi-square, taking
 * pairs as independent, does not.
 *
 * Classification the same way: each subject's images err with its own
 * propensity, drawn from a beta distribution around its group's rate, so
 * the subject bootstrap's interval of a group's error rate covers the
 * group's rate and its test of equal rates holds its level. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "bootstrap.h"
#include "classification_results.h"
#include "interval.h"
#include "verification_boot.h"
#include "verification_own.h"
#include "verification_tests.h"

#define SUBJECTS 60
#define IMAGES 6
#define TRIALS 300
#define REPLICATES 300
#define MU 3.0

typedef struct coverage {
    int wilson_fnmr, boot_fnmr, wilson_fmr, boot_fmr;
} coverage;

/* One data set: counts, both intervals of both rates, scored against truth. */
static void one_trial(coverage *c, gsl_rng *rng, uint64_t seed, double rho, double rho_i,
                      double t_gen, double t_imp)
{
    double thr[2] = {t_gen, t_imp};
    sh_vboot *b = sh_vboot_create(SUBJECTS, 1, thr, 2, 1);
    assert_non_null(b);
    double u[SUBJECTS], cs[SUBJECTS];
    for (int s = 0; s < SUBJECTS; s++) {
        u[s] = gsl_ran_gaussian(rng, sqrt(rho));
        cs[s] = gsl_ran_gaussian(rng, sqrt(rho_i / 2));
        for (int i = 0; i < IMAGES; i++)
            sh_vboot_add_image(b, 0, (uint32_t)s);
    }
    uint64_t gen = 0, gen_err = 0, imp = 0, imp_err = 0;
    for (int s = 0; s < SUBJECTS; s++)
        for (int p = 0; p < IMAGES * (IMAGES - 1) / 2; p++) {
            double score = MU + u[s] + gsl_ran_gaussian(rng, sqrt(1 - rho));
            sh_vboot_add_genuine(b, 0, (uint32_t)s, score);
            gen++;
            gen_err += score < t_gen;
        }
    for (int a = 0; a < SUBJECTS; a++)
        for (int bb = a + 1; bb < SUBJECTS; bb++)
            for (int p = 0; p < IMAGES * IMAGES; p++) {
                double score = cs[a] + cs[bb] + gsl_ran_gaussian(rng, sqrt(1 - rho_i));
                assert_int_equal(sh_vboot_add_match(b, 0, (uint32_t)a, (uint32_t)bb, score),
                                 0);
                imp++;
                imp_err += score >= t_imp;
            }
    sh_vboot_finish(b);
    double true_fnmr = gsl_cdf_ugaussian_P(t_gen - MU), true_fmr = gsl_cdf_ugaussian_Q(t_imp);
    double lo, hi;
    sh_wilson(&lo, &hi, gen_err, gen, 0.95);
    c->wilson_fnmr += lo <= true_fnmr && true_fnmr <= hi;
    sh_wilson(&lo, &hi, imp_err, imp, 0.95);
    c->wilson_fmr += lo <= true_fmr && true_fmr <= hi;
    static double fnmr_rep[REPLICATES], fmr_rep[REPLICATES];
    uint32_t w[SUBJECTS];
    double gk[2], gn[1], mk[2], mn[1];
    for (int r = 0; r < REPLICATES; r++) {
        sh_boot_weights(w, SUBJECTS, seed, (uint64_t)r);
        sh_vboot_replicate(b, w, gk, gn, mk, mn);
        fnmr_rep[r] = gk[0] / gn[0];
        fmr_rep[r] = mk[1] / mn[0];
    }
    sh_boot_percentile(&lo, &hi, fnmr_rep, REPLICATES, 0.95);
    c->boot_fnmr += lo <= true_fnmr && true_fnmr <= hi;
    sh_boot_percentile(&lo, &hi, fmr_rep, REPLICATES, 0.95);
    c->boot_fmr += lo <= true_fmr && true_fmr <= hi;
    sh_vboot_destroy(b);
}

static coverage run_trials(double rho, double rho_i, uint64_t seed)
{
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(rng, (unsigned long)seed);
    /* FNMR 0.10 and FMR 0.01 at their thresholds. */
    double t_gen = MU + gsl_cdf_ugaussian_Pinv(0.10), t_imp = gsl_cdf_ugaussian_Qinv(0.01);
    coverage c = {0};
    for (int k = 0; k < TRIALS; k++)
        one_trial(&c, rng, seed + (uint64_t)k, rho, rho_i, t_gen, t_imp);
    gsl_rng_free(rng);
    printf("rho %.1f rho_i %.1f over %d data sets: FNMR Wilson %.3f bootstrap %.3f; "
           "FMR Wilson %.3f bootstrap %.3f\n",
           rho, rho_i, TRIALS, (double)c.wilson_fnmr / TRIALS, (double)c.boot_fnmr / TRIALS,
           (double)c.wilson_fmr / TRIALS, (double)c.boot_fmr / TRIALS);
    return c;
}

#define ASSERT_COVERS(hits) \
    assert_true((hits) >= (int)(0.91 * TRIALS) && (hits) <= (int)(0.985 * TRIALS))

static void independent_pairs_both_intervals_cover(void **state)
{
    (void)state;
    coverage c = run_trials(0.0, 0.0, 1000);
    ASSERT_COVERS(c.wilson_fnmr);
    ASSERT_COVERS(c.wilson_fmr);
    ASSERT_COVERS(c.boot_fnmr);
    /* An impostor pair moves with both its subjects, so with no subject
     * effect at all its pair-level noise is counted twice and the FMR
     * interval is conservative (measured: 100%). It must never be short. */
    assert_true(c.boot_fmr >= (int)(0.95 * TRIALS));
}

static void correlated_subjects_need_the_subject_bootstrap(void **state)
{
    (void)state;
    /* Fifteen genuine pairs per subject sharing 60% of their variance, and
     * impostor pairs sharing 10% through subject effects: row-level Wilson
     * intervals are far too narrow; the subject bootstrap is not. */
    coverage c = run_trials(0.6, 0.1, 2000);
    assert_true(c.wilson_fnmr < (int)(0.85 * TRIALS));
    assert_true(c.wilson_fmr < (int)(0.85 * TRIALS));
    ASSERT_COVERS(c.boot_fnmr);
    ASSERT_COVERS(c.boot_fmr);
}

/* One data set of two groups of SUBJECTS / 2 subjects, impostor pairs
 * across the groups only (every pair of images, closed-form denominator),
 * scored as above with subject effects sharing rho_i: whether the
 * bootstrap interval of the cell's FMR (the FMR matrix's) covers the true
 * FMR at t_imp, and whether Wilson's does. */
static void cross_trial(int *boot, int *wilson, gsl_rng *rng, uint64_t seed, double rho_i,
                        double t_imp)
{
    double thr[1] = {t_imp};
    sh_vboot *b = sh_vboot_create(SUBJECTS, 2, thr, 1, 1);
    assert_non_null(b);
    double cs[SUBJECTS];
    for (int s = 0; s < SUBJECTS; s++) {
        cs[s] = gsl_ran_gaussian(rng, sqrt(rho_i / 2));
        for (int i = 0; i < IMAGES; i++)
            sh_vboot_add_image(b, (size_t)(s % 2), (uint32_t)s);
    }
    uint64_t imp = 0, imp_err = 0;
    for (int a = 0; a < SUBJECTS; a += 2)
        for (int bb = 1; bb < SUBJECTS; bb += 2)
            for (int p = 0; p < IMAGES * IMAGES; p++) {
                double score = cs[a] + cs[bb] + gsl_ran_gaussian(rng, sqrt(1 - rho_i));
                assert_int_equal(sh_vboot_add_cross_match(b, 0, 1, (uint32_t)a, (uint32_t)bb,
                                                          score), 0);
                imp++;
                imp_err += score >= t_imp;
            }
    sh_vboot_finish(b);
    double truth = gsl_cdf_ugaussian_Q(t_imp), lo, hi;
    sh_wilson(&lo, &hi, imp_err, imp, 0.95);
    *wilson += lo <= truth && truth <= hi;
    static double rep[REPLICATES];
    uint32_t w[SUBJECTS];
    double k[4], n[4];
    for (int r = 0; r < REPLICATES; r++) {
        sh_boot_weights(w, SUBJECTS, seed, (uint64_t)r);
        sh_vboot_replicate_cross(b, w, k, n);
        rep[r] = k[1] / n[1];
    }
    sh_boot_rate_bounds(&lo, &hi, rep, REPLICATES, imp_err, imp, SUBJECTS / 2, 0.95);
    *boot += lo <= truth && truth <= hi;
    sh_vboot_destroy(b);
}

static void cross_group_fmr_interval_covers(void **state)
{
    (void)state;
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(rng, 4000);
    int boot = 0, wilson = 0;
    for (int k = 0; k < TRIALS; k++)
        cross_trial(&boot, &wilson, rng, 4000 + (uint64_t)k, 0.1, gsl_cdf_ugaussian_Qinv(0.01));
    gsl_rng_free(rng);
    printf("FMR matrix cell, two groups of %d subjects, rho_i 0.1, over %d data sets: "
           "bootstrap covers %.3f, Wilson %.3f\n",
           SUBJECTS / 2, TRIALS, (double)boot / TRIALS, (double)wilson / TRIALS);
    ASSERT_COVERS(boot);
    assert_true(wilson < (int)(0.85 * TRIALS));
}

/* One data set as one_trial's (rho, rho_i): whether the bootstrap
 * intervals of the group's own threshold at target FMR 0.01 and of its
 * FNMR there (each replicate finding its threshold again) cover the true
 * threshold Q^-1(0.01) and the true FNMR Phi(t - MU) there. */
static void own_trial(int *thr_covers, int *fnmr_covers, int *eer_covers, gsl_rng *rng,
                      uint64_t seed, double rho, double rho_i)
{
    double t_true = gsl_cdf_ugaussian_Qinv(0.01), thr[1] = {t_true};
    sh_vboot *b = sh_vboot_create(SUBJECTS, 1, thr, 1, 1);
    sh_vown *o = sh_vown_create(1, -INFINITY);
    assert_true(b && o);
    double u[SUBJECTS], cs[SUBJECTS];
    for (int s = 0; s < SUBJECTS; s++) {
        u[s] = gsl_ran_gaussian(rng, sqrt(rho));
        cs[s] = gsl_ran_gaussian(rng, sqrt(rho_i / 2));
        for (int i = 0; i < IMAGES; i++)
            sh_vboot_add_image(b, 0, (uint32_t)s);
    }
    for (int s = 0; s < SUBJECTS; s++)
        for (int p = 0; p < IMAGES * (IMAGES - 1) / 2; p++) {
            double score = MU + u[s] + gsl_ran_gaussian(rng, sqrt(1 - rho));
            sh_vboot_add_genuine(b, 0, (uint32_t)s, score);
            assert_int_equal(sh_vown_add_genuine(o, 0, (uint32_t)s, score), 0);
        }
    for (int a = 0; a < SUBJECTS; a++)
        for (int bb = a + 1; bb < SUBJECTS; bb++)
            for (int p = 0; p < IMAGES * IMAGES; p++) {
                double score = cs[a] + cs[bb] + gsl_ran_gaussian(rng, sqrt(1 - rho_i));
                assert_int_equal(sh_vown_add_impostor(o, 0, (uint32_t)a, (uint32_t)bb, score),
                                 0);
            }
    sh_vboot_finish(b);
    sh_vown_finish(o);
    static double rt[REPLICATES], rf[REPLICATES], re[REPLICATES];
    uint32_t w[SUBJECTS];
    double gk[1], gn[1], mk[1], mn[1], fmr;
    sh_vpoint pt = {SH_VPOINT_FMR, 0.01};
    for (int r = 0; r < REPLICATES; r++) {
        sh_boot_weights(w, SUBJECTS, seed, (uint64_t)r);
        sh_vboot_replicate(b, w, gk, gn, mk, mn);
        assert_int_equal(sh_vown_threshold(o, 0, pt, w, gn[0], mn[0], &rt[r], &rf[r], &fmr),
                         SH_VOWN_OK);
        assert_int_equal(sh_vown_eer(o, 0, w, gn[0], mn[0], &re[r]), SH_VOWN_OK);
    }
    double lo, hi, f_true = gsl_cdf_ugaussian_P(t_true - MU);
    sh_boot_percentile(&lo, &hi, rt, REPLICATES, 0.95);
    *thr_covers += lo <= t_true && t_true <= hi;
    sh_boot_percentile(&lo, &hi, rf, REPLICATES, 0.95);
    *fnmr_covers += lo <= f_true && f_true <= hi;
    /* Both rates are Phi of a unit normal's, so they meet at MU / 2. */
    double e_true = gsl_cdf_ugaussian_P(-MU / 2);
    sh_boot_percentile(&lo, &hi, re, REPLICATES, 0.95);
    *eer_covers += lo <= e_true && e_true <= hi;
    sh_vboot_destroy(b);
    sh_vown_destroy(o);
}

static void own_threshold_intervals_cover(void **state)
{
    (void)state;
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(rng, 5000);
    int thr = 0, fnmr = 0, eer = 0;
    for (int k = 0; k < TRIALS; k++)
        own_trial(&thr, &fnmr, &eer, rng, 5000 + (uint64_t)k, 0.6, 0.1);
    gsl_rng_free(rng);
    printf("own threshold at FMR 0.01, %d subjects, rho 0.6, rho_i 0.1, over %d data sets: "
           "threshold interval covers %.3f, FNMR there %.3f; EER interval %.3f\n",
           SUBJECTS, TRIALS, (double)thr / TRIALS, (double)fnmr / TRIALS,
           (double)eer / TRIALS);
    ASSERT_COVERS(thr);
    ASSERT_COVERS(fnmr);
    ASSERT_COVERS(eer);
}

#define GROUP_SUBJECTS 40

/* One data set of two groups of GROUP_SUBJECTS subjects, genuine pairs
 * only, with FNMR fnmr_a and fnmr_b: whether the bootstrap interval of the
 * ratio b / a covers the truth, and whether each test's p is below 0.05. */
static void two_groups(int *covers, int *boot_rejects, int *chi2_rejects, gsl_rng *rng,
                       uint64_t seed, double rho, double fnmr_a, double fnmr_b)
{
    const size_t S = 2 * GROUP_SUBJECTS;
    double thr[1] = {MU};
    sh_vboot *b = sh_vboot_create(S, 2, thr, 1, 1);
    assert_non_null(b);
    /* Each group's mean puts its FNMR at the threshold MU. */
    double mu[2] = {MU - gsl_cdf_ugaussian_Pinv(fnmr_a), MU - gsl_cdf_ugaussian_Pinv(fnmr_b)};
    uint64_t n[2] = {0, 0}, e[2] = {0, 0};
    for (size_t s = 0; s < S; s++) {
        size_t g = s / GROUP_SUBJECTS;
        double u = gsl_ran_gaussian(rng, sqrt(rho));
        for (int p = 0; p < IMAGES * (IMAGES - 1) / 2; p++) {
            double score = mu[g] + u + gsl_ran_gaussian(rng, sqrt(1 - rho));
            sh_vboot_add_genuine(b, g, (uint32_t)s, score);
            n[g]++;
            e[g] += score < MU;
        }
    }
    sh_vboot_finish(b);
    /* Rows as the tests read them: "all", then the partition's two groups,
     * each group's replicate rates in rep[row][replicate]. */
    static double rep[3 * REPLICATES], ratio[REPLICATES];
    uint32_t w[2 * GROUP_SUBJECTS];
    double gk[2], gn[2], mk[2], mn[2];
    for (int r = 0; r < REPLICATES; r++) {
        sh_boot_weights(w, S, seed, (uint64_t)r);
        sh_vboot_replicate(b, w, gk, gn, mk, mn);
        rep[0 * REPLICATES + r] = (gk[0] + gk[1]) / (gn[0] + gn[1]);
        rep[1 * REPLICATES + r] = gk[0] / gn[0];
        rep[2 * REPLICATES + r] = gk[1] / gn[1];
        ratio[r] = rep[2 * REPLICATES + r] / rep[1 * REPLICATES + r];
    }
    sh_vboot_destroy(b);
    double lo, hi;
    sh_boot_percentile(&lo, &hi, ratio, REPLICATES, 0.95);
    *covers += lo <= fnmr_b / fnmr_a && fnmr_b / fnmr_a <= hi;
    char *names[] = {"A", "B"};
    int32_t item_group[1] = {0};
    sh_partition part = {"p", 2, names, item_group, NULL, NULL, -1};
    sh_groups groups = {1, &part};
    sh_vthreshold th = {.target_fmr = 1e-3, .estimable = 1, .threshold = MU,
                        .point = "target_fmr", .target_fnmr = NAN};
    sh_vgroup rows[3];
    for (int i = 0; i < 3; i++)
        rows[i] = (sh_vgroup){.target_fmr = 1e-3, .threshold = MU, .point = "target_fmr",
                              .target_fnmr = NAN, .n_subjects = i ? GROUP_SUBJECTS : S,
                              .n_genuine = i ? n[i - 1] : n[0] + n[1],
                              .n_false_nonmatch = i ? e[i - 1] : e[0] + e[1]};
    sh_vresults res = {.confidence = 0.95, .n_thresholds = 1, .thresholds = &th, .n_groups = 3,
                       .groups = rows};
    sh_err err = {0};
    assert_int_equal(sh_verification_tests(&res, &groups, rep, rep, REPLICATES, &err), 0);
    *boot_rejects += res.tests[0].p_boot < 0.05;
    *chi2_rejects += res.tests[0].p_chi2 < 0.05;
    free(res.tests);
    free(res.pairwise);
}

static void two_groups_ratio_covers_and_the_bootstrap_test_holds_its_level(void **state)
{
    (void)state;
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(rng, 3000);
    int covers = 0, null_boot = 0, null_chi2 = 0, alt_boot = 0, alt_chi2 = 0, unused = 0;
    for (int k = 0; k < TRIALS; k++) {
        /* Equal FNMRs, 15 pairs a subject sharing 60% of their variance. */
        two_groups(&unused, &null_boot, &null_chi2, rng, 3000 + (uint64_t)k, 0.6, 0.2, 0.2);
        /* Group B's FNMR twice A's. */
        two_groups(&covers, &alt_boot, &alt_chi2, rng, 9000 + (uint64_t)k, 0.6, 0.1, 0.2);
    }
    gsl_rng_free(rng);
    printf("two groups of %d subjects, rho 0.6, over %d data sets: ratio interval covers %.3f; "
           "equal rates rejected at 0.05 by the bootstrap %.3f, by chi-square %.3f; "
           "B = 2 A rejected by the bootstrap %.3f, by chi-square %.3f\n",
           GROUP_SUBJECTS, TRIALS, (double)covers / TRIALS, (double)null_boot / TRIALS,
           (double)null_chi2 / TRIALS, (double)alt_boot / TRIALS, (double)alt_chi2 / TRIALS);
    ASSERT_COVERS(covers);
    /* The level: 5% nominal, with the percentile bootstrap's small-sample
     * excess; chi-square's, taking correlated pairs as independent, is far
     * above it. */
    assert_true(null_boot <= (int)(0.09 * TRIALS));
    assert_true(null_chi2 >= (int)(0.15 * TRIALS));
    /* And the bootstrap still sees a doubled FNMR often (measured 0.487; the
     * price of respecting the correlation that chi-square ignores). */
    assert_true(alt_boot >= (int)(0.35 * TRIALS));
}

#define CLASS_SUBJECTS 40
#define CLASS_IMAGES 8

/* One classification data set of two groups of CLASS_SUBJECTS subjects
 * whose error propensities are Beta(a, b) with mean rate_a or rate_b
 * (a + b = 4: a subject's images correlate by 1/5); counts the group
 * intervals (Wilson and bootstrap) that cover their group's rate, and the
 * tests that reject equal rates at 0.05. */
static void class_groups(int *boot_covers, int *wilson_covers, int *boot_rejects,
                         int *chi2_rejects, gsl_rng *rng, uint64_t seed, double rate_a,
                         double rate_b)
{
    enum { S = 2 * CLASS_SUBJECTS, N = S * CLASS_IMAGES };
    static int32_t truth[N], predicted[N], group[N];
    static uint32_t subject[N];
    double rate[2] = {rate_a, rate_b};
    for (size_t s = 0; s < S; s++) {
        size_t g = s / CLASS_SUBJECTS;
        double q = gsl_ran_beta(rng, 4 * rate[g], 4 * (1 - rate[g]));
        for (size_t k = 0; k < CLASS_IMAGES; k++) {
            size_t i = s * CLASS_IMAGES + k;
            truth[i] = 0;
            predicted[i] = gsl_rng_uniform(rng) < q;
            group[i] = (int32_t)g;
            subject[i] = (uint32_t)s;
        }
    }
    char *names[] = {"A", "B"};
    uint64_t n_subjects[2] = {CLASS_SUBJECTS, CLASS_SUBJECTS};
    sh_partition part = {"p", 2, names, group, n_subjects, NULL, -1};
    sh_groups groups = {1, &part};
    const char *classes[] = {"x", "y"};
    sh_cmeasure_options o = {.confidence = 0.95, .bootstrap = REPLICATES, .seed = seed,
                             .subject = subject, .n_subjects = S};
    sh_cresults *r;
    sh_err err = {0};
    assert_int_equal(sh_classification_results(&r, "x", classes, 2, &groups, truth, predicted, N,
                                               &o, &err),
                     0);
    for (size_t g = 0; g < 2; g++) {
        const sh_crow *row = &r->groups[1 + g];
        *boot_covers += row->error_boot_lo <= rate[g] && rate[g] <= row->error_boot_hi;
        *wilson_covers += row->error_wilson_lo <= rate[g] && rate[g] <= row->error_wilson_hi;
    }
    *boot_rejects += r->summaries[0].p_boot < 0.05;
    *chi2_rejects += r->summaries[0].p_chi2 < 0.05;
    sh_cresults_destroy(r);
}

static void classification_bootstrap_covers_and_its_test_holds_its_level(void **state)
{
    (void)state;
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(rng, 4000);
    int boot = 0, wilson = 0, null_boot = 0, null_chi2 = 0, alt_boot = 0, alt_chi2 = 0;
    int unused = 0;
    for (int k = 0; k < TRIALS; k++) {
        class_groups(&boot, &wilson, &null_boot, &null_chi2, rng, 4000 + (uint64_t)k, 0.15,
                     0.15);
        class_groups(&unused, &unused, &alt_boot, &alt_chi2, rng, 7000 + (uint64_t)k, 0.1, 0.2);
    }
    gsl_rng_free(rng);
    printf("classification, two groups of %d subjects x %d images over %d data sets: error "
           "rate covered by the bootstrap %.3f, by Wilson %.3f; equal rates rejected at 0.05 "
           "by the bootstrap %.3f, by chi-square %.3f; B = 2 A rejected by the bootstrap "
           "%.3f, by chi-square %.3f\n",
           CLASS_SUBJECTS, CLASS_IMAGES, TRIALS, (double)boot / (2 * TRIALS),
           (double)wilson / (2 * TRIALS), (double)null_boot / TRIALS,
           (double)null_chi2 / TRIALS, (double)alt_boot / TRIALS, (double)alt_chi2 / TRIALS);
    /* Two intervals a data set: 600 in all. */
    assert_true(boot >= (int)(0.91 * 2 * TRIALS) && boot <= (int)(0.985 * 2 * TRIALS));
    assert_true(wilson < boot);
    assert_true(null_boot <= (int)(0.09 * TRIALS));
    assert_true(null_chi2 >= (int)(0.15 * TRIALS));
    assert_true(alt_boot >= (int)(0.35 * TRIALS));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(independent_pairs_both_intervals_cover),
        cmocka_unit_test(correlated_subjects_need_the_subject_bootstrap),
        cmocka_unit_test(two_groups_ratio_covers_and_the_bootstrap_test_holds_its_level),
        cmocka_unit_test(classification_bootstrap_covers_and_its_test_holds_its_level),
        cmocka_unit_test(cross_group_fmr_interval_covers),
        cmocka_unit_test(own_threshold_intervals_cover),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
