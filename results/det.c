#include "det.h"

#include <math.h>
#include <stdlib.h>

#include "threshold.h"

/* FNMR's count at t: genuine scores below it. */
static double fnmr_at(const double *genuine, size_t n_gen, double t)
{
    return (double)sh_count_lt(genuine, n_gen, t) / (double)n_gen;
}

double sh_eer_bound(const sh_score_hist *h, const double *genuine, size_t n_gen)
{
    if (!n_gen || !h->n)
        return NAN;
    double n = (double)h->n;
    /* At any t the rates are those of the first score at or above t, so the
     * worse rate at each bin edge is attained: the least of them bounds the
     * EER from above. */
    double best = 1.0; /* above every score: FMR 0, FNMR 1 */
    for (uint32_t b = sh_hist_next_bin(h, UINT32_MAX); b != UINT32_MAX;
         b = sh_hist_next_bin(h, b)) {
        double below = fmax((sh_hist_above_bin(h, b) + sh_hist_in_bin(h, b)) / n,
                            fnmr_at(genuine, n_gen, sh_score_bin_edge(b)));
        double after = fmax(sh_hist_above_bin(h, b) / n, fnmr_at(genuine, n_gen, sh_score_bin_top(b)));
        best = fmin(best, fmin(below, after));
    }
    return best;
}

int sh_eer_want(sh_score_window *w, const sh_score_hist *h, const double *genuine,
                    size_t n_gen)
{
    if (!n_gen || !h->n)
        return 0;
    double n = (double)h->n, best = sh_eer_bound(h, genuine, n_gen);
    /* Inside bin b FMR is at least its value at the upper edge and FNMR at
     * least its value at the lower one: only bins where that bound reaches
     * the best can hold the EER's threshold. */
    if (sh_window_add(w, sh_hist_bin_of_rank(h, 0)))
        return -1;
    for (uint32_t b = sh_hist_next_bin(h, UINT32_MAX); b != UINT32_MAX;
         b = sh_hist_next_bin(h, b)) {
        double bound = fmax(sh_hist_above_bin(h, b) / n,
                            fnmr_at(genuine, n_gen, sh_score_bin_edge(b)));
        if (bound <= best && sh_window_add(w, b))
            return -1;
    }
    return 0;
}

/* Whether the impostor count at t is exact. */
static int exact_at(const sh_score_hist *h, const sh_score_window *w, double t)
{
    uint32_t b = sh_score_bin(t);
    return t == -INFINITY || sh_window_has(w, b) || !sh_hist_in_bin(h, b) ||
           t == sh_score_bin_edge(b);
}

int sh_eer(double *out_eer, double *out_t, const double *genuine, size_t n_gen,
               const sh_score_hist *h, const sh_score_window *w)
{
    *out_eer = *out_t = NAN;
    if (!n_gen || !h->n)
        return 0;
    double top = fmax(genuine[n_gen - 1], sh_hist_rank_value(h, w, 0));
    if (isnan(top))
        return 0;
    /* Candidates, ascending: every genuine score and every impostor score
     * kept in the window, then the next double above the largest. Those
     * whose count is not exact lie in bins sh_eer_want ruled out. */
    double n = (double)h->n, best = INFINITY, best_t = NAN;
    size_t i = 0, j = 0;
    for (;;) {
        int past_all = i == n_gen && j == h->n_window;
        if (past_all && isinf(top) && top > 0)
            break;
        double t = past_all ? nextafter(top, INFINITY)
                   : i < n_gen && (j == h->n_window || genuine[i] <= h->window[j]) ? genuine[i]
                                                                                 : h->window[j];
        if (exact_at(h, w, t)) {
            double worst = fmax((double)sh_hist_count_ge(h, w, t) / n, fnmr_at(genuine, n_gen, t));
            if (worst < best) {
                best = worst;
                best_t = t;
            }
        }
        if (past_all)
            break;
        size_t i0 = i, j0 = j;
        while (i < n_gen && genuine[i] == t)
            i++;
        while (j < h->n_window && h->window[j] == t)
            j++;
        /* Only a NaN, which equals nothing, stays put; the runner refuses
         * every score that could be one, and a loop must end regardless. */
        if (i == i0 && j == j0)
            break;
    }
    *out_eer = best;
    *out_t = best_t;
    return 1;
}

size_t sh_det_curve(sh_det_point *out, size_t per_axis, const double *genuine,
                        size_t n_gen, const sh_score_hist *h, const sh_score_window *w,
                        double eer_t)
{
    if (!n_gen || !h->n || !per_axis)
        return 0;
    size_t n = 0;
    double *t = malloc(SH_DET_MAX_POINTS(per_axis) * sizeof *t);
    if (!t)
        return 0;
    for (size_t s = 0; s < per_axis; s++) {
        double e = per_axis > 1 ? (double)s / (double)(per_axis - 1) : 1.0;
        /* FMR targets from 1/N_imp up to 1: the upper edge of the bin that
         * holds the threshold, where FMR is at most the target. */
        uint64_t k;
        if (sh_fmr_allowed(&k, h->n, pow(1.0 / (double)h->n, 1.0 - e)))
            t[n++] = k >= h->n ? -INFINITY : sh_score_bin_top(sh_hist_bin_of_rank(h, k));
        /* FNMR targets: just above the m-th lowest genuine score, or down to
         * its bin's lower edge where the impostor count there is unknown. */
        double b = pow(1.0 / (double)n_gen, 1.0 - e);
        size_t m = (size_t)ceil(b * (double)n_gen);
        if (m >= 1 && m <= n_gen) {
            double g = nextafter(genuine[m - 1], INFINITY);
            t[n++] = exact_at(h, w, g) ? g : sh_score_bin_edge(sh_score_bin(g));
        }
    }
    if (!isnan(eer_t))
        t[n++] = eer_t;
    sh_scores_sort(t, n);
    size_t out_n = 0;
    for (size_t k = 0; k < n; k++) {
        if (out_n && t[k] == out[out_n - 1].threshold)
            continue;
        out[out_n].threshold = t[k];
        out[out_n].fmr = (double)sh_hist_count_ge(h, w, t[k]) / (double)h->n;
        out[out_n].fnmr = fnmr_at(genuine, n_gen, t[k]);
        out_n++;
    }
    free(t);
    return out_n;
}
