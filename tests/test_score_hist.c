/* The bounded-memory impostor distribution gives exactly what sorting all
 * scores gives: thresholds at target FMRs, counts at any threshold in its
 * window or on a bin edge, and the same answers however the scores are
 * split between merged histograms. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "score_hist.h"
#include "threshold.h"

static void keys_keep_the_order_of_doubles(void **state)
{
    (void)state;
    double v[] = {-INFINITY, -1e300, -2.5, -1, -1e-300, -4.9e-324, -0.0, 0.0,
                  4.9e-324,  1e-300, 0.5,  1,  2.5,     1e300,     INFINITY};
    size_t n = sizeof v / sizeof v[0];
    for (size_t i = 0; i + 1 < n; i++) {
        if (v[i] == v[i + 1])
            assert_true(sh_score_key(v[i]) == sh_score_key(v[i + 1]));
        else
            assert_true(sh_score_key(v[i]) < sh_score_key(v[i + 1]));
        assert_true(sh_score_bin(v[i]) <= sh_score_bin(v[i + 1]));
    }
    /* Every value lies at or above its bin's lower edge and below the next. */
    for (size_t i = 0; i < n; i++) {
        uint32_t b = sh_score_bin(v[i]);
        assert_true(sh_score_bin_edge(b) <= v[i]);
        if (b + 1 < SH_HIST_BINS && !isinf(v[i]))
            assert_true(v[i] < sh_score_bin_edge(b + 1));
    }
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* n scores, a share of them tied or failed (-inf), counted in `parts`
 * histograms merged, refined for `targets`, compared with sorting. */
static void agrees_with_sorting(size_t n, unsigned parts, uint64_t seed)
{
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(rng, (unsigned long)seed);
    double *s = malloc(n * sizeof *s), *sorted = malloc(n * sizeof *s);
    for (size_t k = 0; k < n; k++) {
        double u = gsl_rng_uniform(rng);
        s[k] = u < 0.02 ? -INFINITY : u < 0.1 ? 0.25 : gsl_ran_gaussian(rng, 0.2);
    }
    memcpy(sorted, s, n * sizeof *s);
    qsort(sorted, n, sizeof *sorted, cmp);
    sh_score_hist *h = calloc(parts, sizeof *h), all = {0};
    sh_score_window w = {0};
    for (size_t k = 0; k < n; k++)
        assert_int_equal(sh_hist_add(&h[k % parts], s[k]), 0);
    for (unsigned p = 0; p < parts; p++)
        assert_int_equal(sh_hist_merge(&all, &h[p]), 0);
    assert_int_equal(sh_hist_index(&all), 0);
    assert_true(all.n == n);
    const double targets[] = {1e-4, 1e-3, 0.01, 0.05, 0.5, 0.9};
    size_t nt = sizeof targets / sizeof targets[0];
    for (size_t t = 0; t < nt; t++)
        assert_int_equal(sh_hist_want_fmr(&w, &all, targets[t]), 0);
    for (unsigned p = 0; p < parts; p++)
        sh_hist_clear(&h[p]);
    for (size_t k = 0; k < n; k++)
        assert_int_equal(sh_hist_keep(&h[k % parts], &w, s[k]), 0);
    for (unsigned p = 0; p < parts; p++)
        assert_int_equal(sh_hist_merge(&all, &h[p]), 0);
    assert_int_equal(sh_hist_seal(&all, &w), 0);
    /* Far fewer values kept than counted. */
    assert_true(all.n_window < n / 4);
    for (size_t t = 0; t < nt; t++) {
        double want, got;
        int ok = sh_threshold_at_fmr(&want, sorted, n, targets[t]);
        assert_int_equal(sh_hist_threshold_at_fmr(&got, &all, &w, targets[t]), ok);
        if (!ok)
            continue;
        assert_true(got == want);
        assert_true(sh_hist_count_ge(&all, &w, got) == sh_count_ge(sorted, n, want));
    }
    /* Counts on bin edges need no window. */
    for (size_t k = 0; k < n; k += n / 97) {
        double e = sh_score_bin_edge(sh_score_bin(s[k]));
        assert_true(sh_hist_count_ge(&all, &w, e) == sh_count_ge(sorted, n, e));
    }
    /* Ranks inside the window are the sorted values. */
    for (uint64_t k = 0; k < 20; k++) {
        double v = sh_hist_rank_value(&all, &w, k * (n / 100));
        if (!isnan(v))
            assert_true(v == sorted[n - 1 - k * (n / 100)]);
    }
    for (unsigned p = 0; p < parts; p++)
        sh_hist_clear(&h[p]);
    free(h);
    sh_hist_clear(&all);
    sh_window_clear(&w);
    free(s);
    free(sorted);
    gsl_rng_free(rng);
}

static void thresholds_match_sorting(void **state)
{
    (void)state;
    agrees_with_sorting(200000, 1, 1);
    agrees_with_sorting(200000, 3, 2);
    agrees_with_sorting(1000, 2, 3);
}

static void a_changed_replay_is_caught(void **state)
{
    (void)state;
    sh_score_hist h = {0};
    sh_score_window w = {0};
    for (int k = 0; k < 100; k++)
        assert_int_equal(sh_hist_add(&h, k * 0.01), 0);
    assert_int_equal(sh_hist_index(&h), 0);
    assert_int_equal(sh_hist_want_fmr(&w, &h, 0.05), 0);
    /* Pass 2 sees a score move into the window's bin (that of the 6th
     * largest, 0.94). */
    for (int k = 0; k < 100; k++)
        assert_int_equal(sh_hist_keep(&h, &w, k == 50 ? 0.94 : k * 0.01), 0);
    assert_int_equal(sh_hist_seal(&h, &w), -1);
    sh_hist_clear(&h);
    sh_window_clear(&w);
}

/* The exact sums: the mean and SD of finite scores of every sign and
 * size (negatives, subnormals, ties, both infinities among them) match
 * long double arithmetic, and the same scores split among 1, 3 or 7
 * histograms merge to the same bits. */
static void moments_are_exact_and_split_free(void **state)
{
    (void)state;
    enum { N = 20000 };
    static double s[N];
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    gsl_rng_set(rng, 77);
    long double sum = 0, ss = 0;
    size_t finite = 0;
    for (size_t k = 0; k < N; k++) {
        double u = gsl_rng_uniform(rng);
        s[k] = u < 0.01   ? -INFINITY
               : u < 0.02 ? 4.9e-320 * (double)(k % 7) /* subnormal */
               : u < 0.1  ? -0.375
               : u < 0.5  ? gsl_ran_gaussian(rng, 3.0)
                          : 1e6 * gsl_rng_uniform(rng);
    }
    s[N - 1] = INFINITY;
    for (size_t k = 0; k < N; k++)
        if (isfinite(s[k])) {
            sum += s[k];
            finite++;
        }
    long double mean = sum / finite;
    for (size_t k = 0; k < N; k++)
        if (isfinite(s[k]))
            ss += (s[k] - mean) * (s[k] - mean);
    double want_sd = (double)sqrtl(ss / finite);
    double first_mean = 0, first_sd = 0;
    const unsigned splits[] = {1, 3, 7};
    for (size_t t = 0; t < 3; t++) {
        sh_score_hist *h = calloc(splits[t], sizeof *h), all = {0};
        for (size_t k = 0; k < N; k++)
            assert_int_equal(sh_hist_add(&h[(k * 2654435761u) % splits[t]], s[k]), 0);
        for (unsigned p = 0; p < splits[t]; p++) {
            assert_int_equal(sh_hist_merge(&all, &h[p]), 0);
            sh_hist_clear(&h[p]);
        }
        free(h);
        uint64_t n;
        double m, sd;
        sh_hist_moments(&n, &m, &sd, &all);
        assert_true(n == finite);
        assert_true(fabs(m - (double)mean) <= 1e-12 * fabs((double)mean));
        assert_true(fabs(sd - want_sd) <= 1e-12 * want_sd);
        if (t == 0) {
            first_mean = m;
            first_sd = sd;
        }
        assert_memory_equal(&m, &first_mean, sizeof m);
        assert_memory_equal(&sd, &first_sd, sizeof sd);
        sh_hist_clear(&all);
    }
    gsl_rng_free(rng);
    /* Equal scores: their own value and an SD of exactly 0. */
    sh_score_hist c = {0};
    for (int k = 0; k < 945; k++)
        assert_int_equal(sh_hist_add(&c, 0.01), 0);
    uint64_t n;
    double m, sd;
    sh_hist_moments(&n, &m, &sd, &c);
    assert_true(n == 945 && m == 0.01 && sd == 0);
    sh_hist_clear(&c);
    /* Scores near 1e300 and near 1e-310 (subnormal): no overflow or
     * underflow in the squares. */
    const double big[] = {1e300, 3e300, -2e300}, small[] = {1e-310, 3e-310, 2e-310};
    for (int t = 0; t < 2; t++) {
        const double *x = t ? small : big;
        for (int k = 0; k < 3; k++)
            assert_int_equal(sh_hist_add(&c, x[k]), 0);
        long double mu = ((long double)x[0] + x[1] + x[2]) / 3, v = 0;
        for (int k = 0; k < 3; k++)
            v += (x[k] - mu) * (x[k] - mu);
        sh_hist_moments(&n, &m, &sd, &c);
        assert_true(isfinite(sd) && sd > 0);
        assert_true(fabs(sd - (double)sqrtl(v / 3)) <= 1e-12 * sd);
        assert_true(fabs(m - (double)mu) <= 1e-12 * fabs((double)mu));
        sh_hist_clear(&c);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(keys_keep_the_order_of_doubles),
        cmocka_unit_test(thresholds_match_sorting),
        cmocka_unit_test(a_changed_replay_is_caught),
        cmocka_unit_test(moments_are_exact_and_split_free),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
