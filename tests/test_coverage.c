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
 * Phi(t - mu) and FMR(t) = 1 - Phi(t) whatever the correlation. */
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
#include "interval.h"
#include "verification_boot.h"

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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(independent_pairs_both_intervals_cover),
        cmocka_unit_test(correlated_subjects_need_the_subject_bootstrap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
