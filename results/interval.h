/* Confidence intervals for proportions. */
#ifndef SHADES_RESULTS_INTERVAL_H
#define SHADES_RESULTS_INTERVAL_H

#include <stdint.h>

/* Wilson score interval for k successes in n trials at confidence conf
 * (0.95 for 95%). With n = 0 both bounds are NaN. */
void shades_wilson(double *out_lo, double *out_hi, uint64_t k, uint64_t n, double conf);

#endif
