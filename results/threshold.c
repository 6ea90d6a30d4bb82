#include "threshold.h"

#include <math.h>

int sh_fmr_allowed(uint64_t *out_k, uint64_t n, double target)
{
    *out_k = 0;
    if (n == 0 || (double)n * target < 1.0)
        return 0;
    /* k = the largest count with k / n <= target, decided by the same
     * division the rates use, so the two never disagree by rounding. */
    uint64_t k = (uint64_t)floor(target * (double)n);
    while (k < n && (double)(k + 1) / (double)n <= target)
        k++;
    while (k > 0 && (double)k / (double)n > target)
        k--;
    *out_k = k;
    return 1;
}

/* The threshold just above the (k+1)-th largest score s. */
static int above_score(double *out_t, double s)
{
    if (isinf(s) && s > 0)
        return 0;
    *out_t = nextafter(s, INFINITY);
    return 1;
}

int sh_threshold_at_fmr(double *out_t, const double *sorted, size_t n, double target)
{
    uint64_t k;
    *out_t = NAN;
    if (!sh_fmr_allowed(&k, n, target))
        return 0;
    if (k >= n) {
        *out_t = -INFINITY;
        return 1;
    }
    return above_score(out_t, sorted[n - 1 - k]);
}

int sh_threshold_at_fnmr(double *out_t, const double *sorted, size_t n, double target)
{
    uint64_t k;
    *out_t = NAN;
    if (!sh_fmr_allowed(&k, n, target) || k >= n || sorted[k] == -INFINITY)
        return 0;
    *out_t = sorted[k];
    return 1;
}

int sh_hist_threshold_at_fmr(double *out_t, const sh_score_hist *h,
                                 const sh_score_window *w, double target)
{
    uint64_t k;
    *out_t = NAN;
    if (!sh_fmr_allowed(&k, h->n, target))
        return 0;
    if (k >= h->n) {
        *out_t = -INFINITY;
        return 1;
    }
    double s = sh_hist_rank_value(h, w, k);
    return isnan(s) ? 0 : above_score(out_t, s);
}

int sh_hist_want_fmr(sh_score_window *w, const sh_score_hist *h, double target)
{
    uint64_t k;
    if (!sh_fmr_allowed(&k, h->n, target) || k >= h->n)
        return 0;
    return sh_window_add(w, sh_hist_bin_of_rank(h, k));
}

int sh_hist_want_fmr_range(sh_score_window *w, uint32_t *out_low,
                               const sh_score_hist *h, double target)
{
    *out_low = UINT32_MAX;
    if (!h->n)
        return 0;
    /* The threshold's rank in the full scores, seen in a sample, lies
     * within a few Poisson deviations of target x n; the sample's pairs
     * share items, so the spread is generous. */
    double k = target * (double)h->n, spread = 8.0 * sqrt(k) + 8.0;
    uint64_t top = k > spread ? (uint64_t)(k - spread) : 0;
    uint64_t bottom = k + spread < (double)(h->n - 1) ? (uint64_t)(k + spread) : h->n - 1;
    uint32_t lo = sh_hist_bin_of_rank(h, bottom);
    /* Near the top the full scores reach above the sample's highest. */
    uint32_t hi = top ? sh_hist_bin_of_rank(h, top) : SH_HIST_BINS - 1;
    *out_low = lo;
    return sh_window_add_range(w, lo, hi);
}
