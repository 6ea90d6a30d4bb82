/* Confidence intervals for proportions. Every function takes k errors in n
 * trials and a two-sided confidence level conf (0.95 for 95%); with n = 0
 * both bounds are NaN. */
#ifndef SH_RESULTS_INTERVAL_H
#define SH_RESULTS_INTERVAL_H

#include <stdint.h>

/* Wilson score interval. */
void sh_wilson(double *out_lo, double *out_hi, uint64_t k, uint64_t n, double conf);

/* Clopper-Pearson exact interval from beta quantiles. With k = 0 the
 * interval is one-sided: [0, sh_zero_upper(n, conf)], the exact bound
 * behind the rule of three; k = n mirrors it. */
void sh_clopper_pearson(double *out_lo, double *out_hi, uint64_t k, uint64_t n, double conf);

/* Exact one-sided upper bound on a rate with zero errors in n trials:
 * 1 - (1 - conf)^(1/n), close to 3/n at 95%. NaN when n is 0. */
double sh_zero_upper(double n, double conf);

#endif
