/* Exact operating points on sorted similarity scores. A decision is
 * "score >= t means match". */
#ifndef SHADES_RESULTS_THRESHOLD_H
#define SHADES_RESULTS_THRESHOLD_H

#include <stddef.h>

/* Number of scores >= t in an ascending array. */
size_t shades_count_ge(const double *sorted, size_t n, double t);

/* Number of scores < t in an ascending array. */
size_t shades_count_lt(const double *sorted, size_t n, double t);

/* The smallest double t with FMR(t) = #(impostor >= t) / n <= target, for
 * ascending impostor scores: the next double above the (k+1)-th largest
 * score, k the most false matches the target allows, so every score tied
 * with that one is a non-match. Returns 1 and sets *out_t when the target is
 * estimable, 0 (with *out_t NaN) when n < 1/target: the count cannot
 * support it. */
int shades_threshold_at_fmr(double *out_t, const double *sorted, size_t n, double target);

/* Sorts scores ascending in place (-inf first). */
void shades_scores_sort(double *scores, size_t n);

#endif
