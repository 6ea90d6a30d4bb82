#include "bootstrap.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_rng.h>
#include <gsl/gsl_statistics_double.h>

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
    *out_lo = gsl_stats_quantile_from_sorted_data(values, 1, m, a);
    *out_hi = gsl_stats_quantile_from_sorted_data(values, 1, m, 1.0 - a);
}
