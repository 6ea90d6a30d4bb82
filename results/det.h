/* Equal error rate and DET curves, exact on sorted scores: every point is
 * the (FMR, FNMR) of a real threshold, never interpolated. */
#ifndef SHADES_RESULTS_DET_H
#define SHADES_RESULTS_DET_H

#include <stddef.h>

/* One operating point: FMR = #(impostor >= t) / N_imp and
 * FNMR = #(genuine < t) / N_gen. */
typedef struct shades_det_point {
    double threshold;
    double fmr;
    double fnmr;
} shades_det_point;

/* The equal error rate: the least max(FMR(t), FNMR(t)) over all t, and the
 * smallest threshold that attains it, for ascending score arrays. Returns 0
 * with both outputs NaN when either array is empty, else 1. */
int shades_eer(double *out_eer, double *out_t, const double *genuine, size_t n_gen,
               const double *impostor, size_t n_imp);

/* Most points shades_det_curve writes for `per_axis`. */
#define SHADES_DET_MAX_POINTS(per_axis) (2 * (per_axis) + 1)

/* A DET curve for plotting on probit axes: the thresholds for per_axis
 * target FMRs log-spaced from 1/N_imp to 1, per_axis target FNMRs
 * log-spaced from 1/N_gen to 1, and eer_t (the caller's shades_eer
 * threshold; NaN for none), deduplicated and ascending. out holds
 * SHADES_DET_MAX_POINTS(per_axis) points; returns how many were written (0
 * when either array is empty or memory runs out). */
size_t shades_det_curve(shades_det_point *out, size_t per_axis, const double *genuine,
                        size_t n_gen, const double *impostor, size_t n_imp, double eer_t);

#endif
