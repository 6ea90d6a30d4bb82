/* Confidence intervals for proportions. Every function takes k errors in n
 * trials and a two-sided confidence level conf (0.95 for 95%); with n = 0
 * both bounds are NaN. */
#ifndef SH_RESULTS_INTERVAL_H
#define SH_RESULTS_INTERVAL_H

#include <stdint.h>

/* Wilson score interval. */
void sh_wilson(double *out_lo, double *out_hi, uint64_t k, uint64_t n, double conf);

/* Clopper-Pearson exact interval from beta quantiles, two-sided at every k,
 * so that it covers the true rate with probability at least conf whatever
 * it is: with k = 0, [0, 1 - ((1 - conf) / 2)^(1/n)]; k = n mirrors it. */
void sh_clopper_pearson(double *out_lo, double *out_hi, uint64_t k, uint64_t n, double conf);

/* Exact ONE-sided upper bound at level `level` on a rate with zero errors
 * in n trials: 1 - (1 - level)^(1/n), the rule of three's 3/n at 0.95. The
 * upper end of a two-sided interval at conf is this at level (1 + conf) / 2;
 * this at level conf, paired with 0, undercovers (0.935 at n = 20, 95%).
 * NaN when n is 0. */
double sh_zero_upper_one_sided(double n, double level);

#endif
