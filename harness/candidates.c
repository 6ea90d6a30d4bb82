#include "candidates.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>

sh_candidates *sh_candidates_create(size_t n, size_t length)
{
    sh_candidates *c = calloc(1, sizeof *c);
    if (c) {
        c->n_searches = n;
        c->length = length;
        c->score = malloc((n ? n : 1) * length * sizeof *c->score);
        c->slot = malloc((n ? n : 1) * length * sizeof *c->slot);
    }
    if (!c || !c->score || !c->slot) {
        sh_candidates_destroy(c);
        return NULL;
    }
    sh_candidates_clear(c->score, c->slot, n * length);
    return c;
}

void sh_candidates_clear(double *score, uint32_t *slot, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        score[k] = -INFINITY;
        slot[k] = UINT32_MAX;
    }
}

void sh_candidates_destroy(sh_candidates *c)
{
    if (!c)
        return;
    free(c->score);
    free(c->slot);
    free(c);
}

void sh_candidates_insert(double *score, uint32_t *slot, size_t L, double s, uint32_t g)
{
    if (!(s > score[L - 1]) && !(s == score[L - 1] && g < slot[L - 1]))
        return;
    size_t k = L - 1;
    while (k > 0 && (s > score[k - 1] || (s == score[k - 1] && g < slot[k - 1]))) {
        score[k] = score[k - 1];
        slot[k] = slot[k - 1];
        k--;
    }
    score[k] = s;
    slot[k] = g;
}

float sh_candidates_cosine_bound(double last, float pn)
{
    /* A score is fl64(p x pn) with p = dot x gn exact in double (two
     * floats' product), and rounding is monotone: a score >= last needs
     * p >= (last - |last| 2^-52 - 2^-1074) / pn. The bound is a float at or
     * below that, so both fl32(p) and p itself pass it: x87 keeps dot x gn
     * wider than float whatever the cast says. */
    if (!(pn > 0) || !isfinite(pn) || !isfinite(last))
        return -INFINITY;
    double q = last / pn;
    /* Outside float's range, the nearest bound that still passes every
     * such p (a conversion out of range is undefined in C; q may be inf). */
    if (!(fabs(q) < 0x1p200))
        return q > 0 ? FLT_MAX : -INFINITY;
    /* x is |q| 2^-22 + 2^-140 below q (less double's roundings, |q| 2^-52
     * each), and the float nearest x at most |x| 2^-24 + 2^-150 above it,
     * so the bound is at least |q| 2^-23 + 2^-141 below q: below what a
     * score >= last needs, where 2^-1074 / pn is at most 2^-925. Far enough
     * below that no step down is needed: the search calls this after every
     * run that changed a list, and the step was a branch taken half the
     * time and a libm call. */
    double x = q - fabs(q) * 0x1p-22 - 0x1p-140;
    if (x >= FLT_MAX)
        return FLT_MAX;
    if (x <= -FLT_MAX)
        return -INFINITY;
    return (float)x;
}
