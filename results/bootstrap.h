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

/* A rate's bounds from its R replicates (sorted in place): their
 * percentile interval, except that zero (or all) observed errors k of n
 * give Clopper-Pearson's exact bounds, since no replicate can show an error
 * that was never seen. NaN when n or R is 0. */
void sh_boot_rate_bounds(double *out_lo, double *out_hi, double *reps, unsigned R, uint64_t k,
                         uint64_t n, double conf);

#endif
