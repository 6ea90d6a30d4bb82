/* Equal error rate and DET curves of genuine scores (sorted, exact)
 * against an impostor distribution (score_hist.h): every point is the
 * (FMR, FNMR) of a real threshold, never interpolated. */
#ifndef SH_RESULTS_DET_H
#define SH_RESULTS_DET_H

#include <stddef.h>

#include "score_hist.h"

/* One operating point: FMR = #(impostor >= t) / N_imp and
 * FNMR = #(genuine < t) / N_gen. */
typedef struct sh_det_point {
    double threshold;
    double fmr;
    double fnmr;
} sh_det_point;

/* Between the passes: adds to w the bins sh_eer needs exactly (those
 * where the least worse rate can fall, found from the counts at bin edges,
 * and the largest impostor's). h must be indexed. Returns 0, or -1 when
 * out of memory. */
int sh_eer_want(sh_score_window *w, const sh_score_hist *h, const double *genuine,
                    size_t n_gen);

/* An upper bound of the EER, attained at a bin edge, from the counts at
 * bin edges alone (h indexed); NaN when either side is empty. */
double sh_eer_bound(const sh_score_hist *h, const double *genuine, size_t n_gen);

/* The equal error rate: the least max(FMR(t), FNMR(t)) over all t, and the
 * smallest threshold that attains it, for ascending genuine scores and a
 * sealed impostor distribution whose window holds sh_eer_want's bins.
 * Returns 0 with both outputs NaN when either side is empty, else 1. */
int sh_eer(double *out_eer, double *out_t, const double *genuine, size_t n_gen,
               const sh_score_hist *h, const sh_score_window *w);

/* Most points sh_det_curve writes for `per_axis`. */
#define SH_DET_MAX_POINTS(per_axis) (2 * (per_axis) + 1)

/* A DET curve for plotting on probit axes: per_axis target FMRs log-spaced
 * from 1/N_imp to 1 and per_axis target FNMRs log-spaced from 1/N_gen to
 * 1, each at the nearest histogram bin edge on the side that keeps the
 * rate at or below its target (where counts are exact without a window),
 * and eer_t (NaN for none), deduplicated and ascending. out holds
 * SH_DET_MAX_POINTS(per_axis) points; returns how many were written (0
 * when either side is empty or memory runs out). */
size_t sh_det_curve(sh_det_point *out, size_t per_axis, const double *genuine,
                        size_t n_gen, const sh_score_hist *h, const sh_score_window *w,
                        double eer_t);

#endif
