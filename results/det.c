#include "det.h"

#include <math.h>
#include <stdlib.h>

#include "threshold.h"

int shades_eer(double *out_eer, double *out_t, const double *genuine, size_t n_gen,
               const double *impostor, size_t n_imp)
{
    *out_eer = *out_t = NAN;
    if (!n_gen || !n_imp)
        return 0;
    /* Candidates are every distinct score, ascending, then the next double
     * above the largest. FMR falls and FNMR rises as t grows, and at each
     * candidate i genuine and j impostor scores lie below it. */
    double top = fmax(genuine[n_gen - 1], impostor[n_imp - 1]);
    double best = INFINITY, best_t = NAN;
    size_t i = 0, j = 0;
    for (;;) {
        int past_all = i == n_gen && j == n_imp;
        if (past_all && isinf(top) && top > 0)
            break;
        double t = past_all                                      ? nextafter(top, INFINITY)
                   : i < n_gen && (j == n_imp || genuine[i] <= impostor[j]) ? genuine[i]
                                                                 : impostor[j];
        double fmr = (double)(n_imp - j) / (double)n_imp;
        double fnmr = (double)i / (double)n_gen;
        double worst = fmr > fnmr ? fmr : fnmr;
        if (worst < best) {
            best = worst;
            best_t = t;
        }
        if (past_all)
            break;
        while (i < n_gen && genuine[i] == t)
            i++;
        while (j < n_imp && impostor[j] == t)
            j++;
    }
    *out_eer = best;
    *out_t = best_t;
    return 1;
}

size_t shades_det_curve(shades_det_point *out, size_t per_axis, const double *genuine,
                        size_t n_gen, const double *impostor, size_t n_imp, double eer_t)
{
    if (!n_gen || !n_imp || !per_axis)
        return 0;
    size_t n = 0;
    double *t = malloc(SHADES_DET_MAX_POINTS(per_axis) * sizeof *t);
    if (!t)
        return 0;
    for (size_t s = 0; s < per_axis; s++) {
        double e = per_axis > 1 ? (double)s / (double)(per_axis - 1) : 1.0;
        /* FMR targets from 1/N_imp up to 1: each an exact threshold. */
        double a = pow(1.0 / (double)n_imp, 1.0 - e);
        if (shades_threshold_at_fmr(&t[n], impostor, n_imp, a))
            n++;
        /* FNMR targets: the threshold just above the m-th lowest genuine
         * score makes at least m of them non-matches. */
        double b = pow(1.0 / (double)n_gen, 1.0 - e);
        size_t m = (size_t)ceil(b * (double)n_gen);
        if (m >= 1 && m <= n_gen)
            t[n++] = nextafter(genuine[m - 1], INFINITY);
    }
    if (!isnan(eer_t))
        t[n++] = eer_t;
    shades_scores_sort(t, n);
    size_t w = 0;
    for (size_t k = 0; k < n; k++) {
        if (w && t[k] == out[w - 1].threshold)
            continue;
        out[w].threshold = t[k];
        out[w].fmr = (double)shades_count_ge(impostor, n_imp, t[k]) / (double)n_imp;
        out[w].fnmr = (double)shades_count_lt(genuine, n_gen, t[k]) / (double)n_gen;
        w++;
    }
    free(t);
    return w;
}
