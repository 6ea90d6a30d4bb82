#include "threshold.h"

#include <math.h>
#include <stdlib.h>

size_t shades_count_lt(const double *sorted, size_t n, double t)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (sorted[mid] < t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

size_t shades_count_ge(const double *sorted, size_t n, double t)
{
    return n - shades_count_lt(sorted, n, t);
}

int shades_threshold_at_fmr(double *out_t, const double *sorted, size_t n, double target)
{
    *out_t = NAN;
    if (n == 0 || (double)n * target < 1.0)
        return 0;
    /* k = the largest count with k / n <= target, decided by the same
     * division the rates use, so the two never disagree by rounding. */
    size_t k = (size_t)floor(target * (double)n);
    while (k < n && (double)(k + 1) / (double)n <= target)
        k++;
    while (k > 0 && (double)k / (double)n > target)
        k--;
    if (k >= n) {
        *out_t = -INFINITY;
        return 1;
    }
    double s = sorted[n - 1 - k];
    if (isinf(s) && s > 0)
        return 0;
    *out_t = nextafter(s, INFINITY);
    return 1;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

void shades_scores_sort(double *scores, size_t n)
{
    qsort(scores, n, sizeof *scores, cmp_double);
}
