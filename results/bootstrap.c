#include "bootstrap.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_rng.h>

#include "interval.h"

int sh_boot_weights(uint32_t *out_w, size_t n, uint64_t seed, uint64_t replicate)
{
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    if (!rng)
        return -1;
    /* One stream per replicate, so replicates can be computed in any order
     * or in parallel and still give the same numbers. */
    uint64_t key = seed * 0x9E3779B97F4A7C15u ^ (replicate + 1) * 0xBF58476D1CE4E5B9u;
    /* mt19937 takes 32 bits of seed: fold the 64 so both halves count. */
    gsl_rng_set(rng, (unsigned long)((key >> 32) ^ (key & 0xffffffffu)));
    memset(out_w, 0, n * sizeof *out_w);
    for (size_t i = 0; i < n; i++)
        out_w[gsl_rng_uniform_int(rng, (unsigned long)n)]++;
    gsl_rng_free(rng);
    return 0;
}

static int cmp_nan_last(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    if (isnan(x) || isnan(y))
        return isnan(x) - isnan(y);
    return (x > y) - (x < y);
}

/* The f-quantile of m sorted values, interpolated between neighbours as
 * GSL's gsl_stats_quantile_from_sorted_data does, except that a position
 * within 1e-9 of a value is that value ((1 - 0.95) / 2 is not exactly
 * 0.025, and interpolating 0 and x by 1e-15 gives 3e-16), and an end
 * among infinite values is infinite (GSL's 0 x inf is NaN). */
static double quantile(const double *v, size_t m, double f)
{
    double pos = f * (double)(m - 1);
    size_t i = (size_t)floor(pos);
    double delta = pos - (double)i;
    if (delta < 1e-9 || i + 1 >= m)
        return v[i < m ? i : m - 1];
    if (delta > 1 - 1e-9)
        return v[i + 1];
    if (isinf(v[i]) || isinf(v[i + 1]))
        return isinf(v[i + 1]) ? v[i + 1] : v[i];
    return (1 - delta) * v[i] + delta * v[i + 1];
}

void sh_boot_percentile(double *out_lo, double *out_hi, double *values, size_t n,
                            double conf)
{
    qsort(values, n, sizeof *values, cmp_nan_last);
    size_t m = 0;
    while (m < n && !isnan(values[m]))
        m++;
    if (!m) {
        *out_lo = *out_hi = NAN;
        return;
    }
    double a = (1.0 - conf) / 2.0;
    *out_lo = quantile(values, m, a);
    *out_hi = quantile(values, m, 1.0 - a);
}

void sh_boot_rate_bounds(double *out_lo, double *out_hi, double *reps, unsigned R, uint64_t k,
                         uint64_t n, uint64_t subjects, double conf)
{
    if (n == 0 || R == 0 || subjects < SH_TEST_BOOT_SUBJECTS) {
        *out_lo = *out_hi = NAN;
    } else if (k == 0 || k == n) {
        sh_clopper_pearson(out_lo, out_hi, k, n, conf);
    } else {
        sh_boot_percentile(out_lo, out_hi, reps, R, conf);
    }
}
