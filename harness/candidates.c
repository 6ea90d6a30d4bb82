#include "candidates.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>

/* Scores a row tests against its bound at a time: a fixed count, so the
 * compiler's vectors take the test whatever the optimisation level. */
#define CANDIDATE_RUN 16

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
    for (size_t k = 0; k < n * length; k++) {
        c->score[k] = -INFINITY;
        c->slot[k] = UINT32_MAX;
    }
    return c;
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
     * wider than float whatever the cast says. The bound goes far below
     * every rounding on the way (2^-40 relative; 2^-900 absolute, where
     * 2^-1074 / pn is at most 2^-925). */
    if (!(pn > 0) || !isfinite(pn) || !isfinite(last))
        return -INFINITY;
    double q = last / pn;
    /* Outside float's range, the nearest bound that still passes every
     * such p (a conversion out of range is undefined in C; q may be inf). */
    if (!(fabs(q) < 0x1p200))
        return q > 0 ? FLT_MAX : -INFINITY;
    double x = q - fabs(q) * 0x1p-40 - 0x1p-900;
    if (x >= FLT_MAX)
        return FLT_MAX;
    if (x <= -FLT_MAX)
        return -INFINITY;
    float b = (float)x; /* to nearest, so it may land above x: step down */
    return b > x ? nextafterf(b, -INFINITY) : b;
}

void sh_candidates_cosine_row(double *score, uint32_t *slot, size_t L, const float *dot,
                              const float *gn, float pn, const uint32_t *ok, size_t ng)
{
    float bound = sh_candidates_cosine_bound(score[L - 1], pn);
    for (size_t k0 = 0; k0 < ng; k0 += CANDIDATE_RUN) {
        size_t m = ng - k0 < CANDIDATE_RUN ? ng - k0 : CANDIDATE_RUN;
        int any = 0;
        /* The bound holds for dot x gn rounded to float, as the cast asks,
         * and for it kept wider, as x87 keeps it whatever the cast says. */
        if (m == CANDIDATE_RUN)
            for (size_t k = 0; k < CANDIDATE_RUN; k++)
                any |= (float)(dot[k0 + k] * gn[k0 + k]) >= bound;
        else
            any = 1; /* a short run is scored whole */
        if (!any)
            continue;
        for (size_t k = k0; k < k0 + m; k++) /* sh_embedding_from_dot's, written out */
            sh_candidates_insert(score, slot, L, dot[k] * (double)gn[k] * pn, ok[k]);
        bound = sh_candidates_cosine_bound(score[L - 1], pn);
    }
}
