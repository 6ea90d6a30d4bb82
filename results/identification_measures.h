/* 1:N identification measures per group of the searched subject
 * (NIST IR 8271 terms): FNIR(N, R, T), FPIR(N, T), rank-1 and CMC. */
#ifndef SH_RESULTS_IDENTIFICATION_MEASURES_H
#define SH_RESULTS_IDENTIFICATION_MEASURES_H

#include <stddef.h>
#include <stdint.h>

/* A mated search: the rank at which the mate was returned (1-based; 0 when
 * it was not in the candidate list) and its score. */
typedef struct sh_mated_search {
    uint32_t mate_rank;
    double mate_score;
} sh_mated_search;

/* FNIR at rank R and threshold T: mated searches whose mate is not within
 * the first R candidates with a score >= T. NaN when n is 0. */
double sh_fnir(const sh_mated_search *s, size_t n, uint32_t rank, double threshold);

/* FPIR at threshold T: non-mated searches whose best candidate scores
 * >= T (-inf for an empty list). NaN when n is 0. */
double sh_fpir(const double *top_scores, size_t n, double threshold);

/* CMC: out[r - 1] = share of mated searches with the mate at rank <= r,
 * for r = 1..max_rank, regardless of score; out[0] is the rank-1 rate. */
void sh_cmc(double *out, const sh_mated_search *s, size_t n, uint32_t max_rank);

#endif
