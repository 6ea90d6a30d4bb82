/* Exact operating points on sorted similarity scores. A decision is
 * "score >= t means match". */
#ifndef SH_RESULTS_THRESHOLD_H
#define SH_RESULTS_THRESHOLD_H

#include <stddef.h>
#include <stdint.h>

#include "score_hist.h"
#include "score_sort.h"

/* The smallest double t with FMR(t) = #(impostor >= t) / n <= target, for
 * ascending impostor scores: the next double above the (k+1)-th largest
 * score, k the most false matches the target allows, so every score tied
 * with that one is a non-match. Returns 1 and sets *out_t when the target is
 * estimable, 0 (with *out_t NaN) when n < 1/target: the count cannot
 * support it. */
int sh_threshold_at_fmr(double *out_t, const double *sorted, size_t n, double target);

/* The largest double t with FNMR(t) = #(genuine < t) / n <= target, for
 * ascending genuine scores (-inf for a failed template): the (k+1)-th
 * smallest score, k the most false non-matches the target allows (as
 * sh_fmr_allowed counts them), so the pairs tied with it match. Returns 1
 * and sets *out_t when the target is estimable; 0 (with *out_t NaN) when
 * n < 1/target or the failed templates alone exceed it (no threshold
 * reaches it). */
int sh_threshold_at_fnmr(double *out_t, const double *sorted, size_t n, double target);

/* The most false matches target allows among n impostors: the largest k
 * with k / n <= target, by the same division the rates use. Returns 0
 * (k = 0) when n < 1/target: the count cannot support the target. */
int sh_fmr_allowed(uint64_t *out_k, uint64_t n, double target);

/* sh_threshold_at_fmr on a sealed distribution: exact when the bin the
 * threshold falls in was wanted (sh_hist_want_fmr) before pass 2;
 * returns 0 with NaN otherwise. */
int sh_hist_threshold_at_fmr(double *out_t, const sh_score_hist *h,
                                 const sh_score_window *w, double target);

/* Between the passes: adds to w the bin sh_hist_threshold_at_fmr will
 * need for target. Returns 0, or -1 when out of memory. */
int sh_hist_want_fmr(sh_score_window *w, const sh_score_hist *h, double target);

/* Adds to w every bin where the threshold at `target` of scores that h
 * samples can lie, and sets *out_low to the lowest of them (UINT32_MAX
 * when h is empty). Returns 0, or -1 when out of memory. */
int sh_hist_want_fmr_range(sh_score_window *w, uint32_t *out_low,
                               const sh_score_hist *h, double target);

#endif
