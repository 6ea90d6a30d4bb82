/* Significance of a difference between two error rates. */
#ifndef SH_RESULTS_PROPORTION_TEST_H
#define SH_RESULTS_PROPORTION_TEST_H

#include <stdint.h>

/* Two-sided Fisher exact test of k1 errors in n1 trials against k2 in n2:
 * the probability, under equal rates and fixed margins, of a table no more
 * likely than the one observed (tables within a relative 1e-7 of it count,
 * as R's fisher.test does). NaN when either n is 0. */
double sh_fisher_exact(uint64_t k1, uint64_t n1, uint64_t k2, uint64_t n2);

#endif
