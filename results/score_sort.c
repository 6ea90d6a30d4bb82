#include "score_sort.h"

#include <stdlib.h>

size_t sh_count_lt(const double *sorted, size_t n, double t)
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

size_t sh_count_ge(const double *sorted, size_t n, double t)
{
    return n - sh_count_lt(sorted, n, t);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

void sh_scores_sort(double *scores, size_t n)
{
    if (n > 1) /* qsort's array may not be NULL, even empty (a group of no pair) */
        qsort(scores, n, sizeof *scores, cmp_double);
}
