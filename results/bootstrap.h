/* The subject bootstrap's building blocks: reproducible resampling weights
 * and percentile intervals. */
#ifndef SH_RESULTS_BOOTSTRAP_H
#define SH_RESULTS_BOOTSTRAP_H

#include <stddef.h>
#include <stdint.h>

/* Weights of one replicate: n draws with replacement from n subjects, as
 * the number of times each was drawn. Replicate r of a seed is the same on
 * every machine and thread count. Returns 0, or -1 when out of memory. */
int sh_boot_weights(uint32_t *out_w, size_t n, uint64_t seed, uint64_t replicate);

/* Percentile interval of the non-NaN values (sorted in place, NaNs moved
 * last) at two-sided confidence conf, with linear interpolation between
 * order statistics (an end among +inf values is +inf). Both bounds NaN
 * when every value is NaN. */
void sh_boot_percentile(double *out_lo, double *out_hi, double *values, size_t n,
                            double conf);

/* The fewest subjects a group needs for the bootstrap to judge it, by its
 * bounds or its test's p: a group of a few subjects (or with no errors, or
 * only errors) shows too little spread in the replicates, so the bootstrap
 * would take its rate as exact (one subject: every replicate the same). In
 * a reviewer's simulations of correlated null data, groups of 25 subjects
 * gave 2-7% of p below 0.05, groups of 10 up to 28%; 95% intervals covered
 * 45% of the time at 1 subject, 89% at 10. */
#define SH_TEST_BOOT_SUBJECTS 25

/* A rate's bounds from its R replicates (sorted in place) for a group of
 * `subjects` subjects: their percentile interval, except that zero (or
 * all) observed errors k of n give Clopper-Pearson's exact bounds, since no
 * replicate can show an error that was never seen. NaN when n or R is 0,
 * or under SH_TEST_BOOT_SUBJECTS subjects. */
void sh_boot_rate_bounds(double *out_lo, double *out_hi, double *reps, unsigned R, uint64_t k,
                         uint64_t n, uint64_t subjects, double conf);

#endif
