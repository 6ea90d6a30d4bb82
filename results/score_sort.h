/* Ascending arrays of scores: sorting them and counting them against a
 * threshold. Below score_hist.h and threshold.h, which both use it. */
#ifndef SH_RESULTS_SCORE_SORT_H
#define SH_RESULTS_SCORE_SORT_H

#include <stddef.h>

/* Number of scores >= t in an ascending array. */
size_t sh_count_ge(const double *sorted, size_t n, double t);

/* Number of scores < t in an ascending array. */
size_t sh_count_lt(const double *sorted, size_t n, double t);

/* Sorts scores ascending in place (-inf first). */
void sh_scores_sort(double *scores, size_t n);

#endif
