#include "verification_own.h"

#include <math.h>
#include <stdlib.h>

/* A genuine pair: its subject and score. */
typedef struct own_gen {
    double score;
    uint32_t s;
} own_gen;

/* A held impostor pair: its subjects and score. */
typedef struct own_imp {
    double score;
    uint32_t a, b;
} own_imp;

/* One group: genuine pairs ascending, impostor pairs descending. */
typedef struct own_group {
    own_gen *gen;
    size_t n_gen, cap_gen;
    own_imp *imp;
    size_t n_imp, cap_imp;
} own_group;

struct sh_vown {
    size_t n_groups;
    double edge;
    own_group *g;
};

sh_vown *sh_vown_create(size_t n_groups, double edge)
{
    sh_vown *o = calloc(1, sizeof *o);
    if (!o)
        return NULL;
    o->n_groups = n_groups;
    o->edge = edge;
    o->g = calloc(n_groups ? n_groups : 1, sizeof *o->g);
    if (!o->g) {
        free(o);
        return NULL;
    }
    return o;
}

void sh_vown_destroy(sh_vown *o)
{
    if (!o)
        return;
    for (size_t g = 0; g < o->n_groups; g++) {
        free(o->g[g].gen);
        free(o->g[g].imp);
    }
    free(o->g);
    free(o);
}

/* Grows *p (n used, *cap allocated, elements of size sz) by one slot. */
static int grow(void **p, size_t n, size_t *cap, size_t sz)
{
    if (n < *cap)
        return 0;
    size_t c = *cap ? *cap * 2 : 256;
    void *q = realloc(*p, c * sz);
    if (!q)
        return -1;
    *p = q;
    *cap = c;
    return 0;
}

int sh_vown_add_genuine(sh_vown *o, size_t g, uint32_t s, double score)
{
    own_group *x = &o->g[g];
    if (grow((void **)&x->gen, x->n_gen, &x->cap_gen, sizeof *x->gen))
        return -1;
    x->gen[x->n_gen++] = (own_gen){score, s};
    return 0;
}

int sh_vown_add_impostor(sh_vown *o, size_t g, uint32_t a, uint32_t b, double score)
{
    own_group *x = &o->g[g];
    if (!(score >= o->edge))
        return 0;
    if (grow((void **)&x->imp, x->n_imp, &x->cap_imp, sizeof *x->imp))
        return -1;
    x->imp[x->n_imp++] = (own_imp){score, a, b};
    return 0;
}

/* Ascending scores, then subjects: a total order, so the sort is the same
 * however the pairs came. */
static int cmp_gen(const void *x, const void *y)
{
    const own_gen *p = x, *q = y;
    if (p->score != q->score)
        return p->score < q->score ? -1 : 1;
    return (p->s > q->s) - (p->s < q->s);
}

/* Descending scores, then subjects. */
static int cmp_imp(const void *x, const void *y)
{
    const own_imp *p = x, *q = y;
    if (p->score != q->score)
        return p->score > q->score ? -1 : 1;
    if (p->a != q->a)
        return p->a < q->a ? -1 : 1;
    return (p->b > q->b) - (p->b < q->b);
}

void sh_vown_finish(sh_vown *o)
{
    /* qsort may not be handed NULL, even for no elements. */
    for (size_t g = 0; g < o->n_groups; g++) {
        if (o->g[g].n_gen > 1)
            qsort(o->g[g].gen, o->g[g].n_gen, sizeof *o->g[g].gen, cmp_gen);
        if (o->g[g].n_imp > 1)
            qsort(o->g[g].imp, o->g[g].n_imp, sizeof *o->g[g].imp, cmp_imp);
    }
}

/* The most weighted errors a target allows among n weighted trials (whole
 * numbers): the largest k with k / n <= target, by the rates' division, as
 * sh_fmr_allowed. 0 when n x target < 1: the counts cannot support it. */
static int allowed(double *out_k, double n, double target)
{
    *out_k = 0;
    if (!(n > 0) || n * target < 1.0)
        return 0;
    double k = floor(target * n);
    while (k < n && (k + 1) / n <= target)
        k++;
    while (k > 0 && k / n > target)
        k--;
    *out_k = k;
    return 1;
}

/* Weighted impostor pairs of x scoring at or above t, where t >= the
 * edge. */
static double imp_at_or_above(const own_group *x, const uint32_t *w, double t)
{
    double c = 0;
    for (size_t i = 0; i < x->n_imp && x->imp[i].score >= t; i++)
        c += (double)w[x->imp[i].a] * (double)w[x->imp[i].b];
    return c;
}

/* Weighted genuine pairs of x scoring below t. */
static double gen_below(const own_group *x, const uint32_t *w, double t)
{
    double c = 0;
    for (size_t i = 0; i < x->n_gen && x->gen[i].score < t; i++)
        c += (double)w[x->gen[i].s];
    return c;
}

/* The threshold at target FMR a: just above the highest score at which
 * the weighted false matches exceed those allowed, every pair tied with it
 * included (sh_threshold_at_fmr's rule with weights). */
static sh_vown_status at_fmr(const sh_vown *o, const own_group *x, const uint32_t *w,
                             double n_imp, double a, double *out_t)
{
    double k;
    if (!allowed(&k, n_imp, a))
        return SH_VOWN_NONE;
    if (k >= n_imp) {
        *out_t = -INFINITY;
        return o->edge == -INFINITY ? SH_VOWN_OK : SH_VOWN_BELOW_KEPT;
    }
    double c = 0;
    for (size_t i = 0; i < x->n_imp;) {
        double s = x->imp[i].score;
        for (; i < x->n_imp && x->imp[i].score == s; i++)
            c += (double)w[x->imp[i].a] * (double)w[x->imp[i].b];
        if (c > k) {
            if (isinf(s) && s > 0)
                return SH_VOWN_NONE;
            *out_t = nextafter(s, INFINITY);
            return SH_VOWN_OK;
        }
    }
    /* The crossing lies among the pairs not held. */
    return SH_VOWN_BELOW_KEPT;
}

/* The threshold at target FNMR b: the lowest genuine score at which the
 * weighted pairs at or below it exceed those allowed (sh_threshold_at_fnmr's
 * rule with weights); none where that is a failed pair. */
static sh_vown_status at_fnmr(const own_group *x, const uint32_t *w, double n_gen, double b,
                              double *out_t)
{
    double k;
    if (!allowed(&k, n_gen, b) || k >= n_gen)
        return SH_VOWN_NONE;
    double c = 0;
    for (size_t i = 0; i < x->n_gen;) {
        double s = x->gen[i].score;
        for (; i < x->n_gen && x->gen[i].score == s; i++)
            c += (double)w[x->gen[i].s];
        if (c > k) {
            if (s == -INFINITY)
                return SH_VOWN_NONE;
            *out_t = s;
            return SH_VOWN_OK;
        }
    }
    return SH_VOWN_NONE;
}

sh_vown_status sh_vown_threshold(const sh_vown *o, size_t g, sh_vpoint p, const uint32_t *w,
                                 double n_gen, double n_imp, double *out_t,
                                 double *out_fnmr, double *out_fmr)
{
    const own_group *x = &o->g[g];
    *out_t = *out_fnmr = *out_fmr = NAN;
    sh_vown_status st = SH_VOWN_NONE;
    if (p.kind == SH_VPOINT_FMR)
        st = at_fmr(o, x, w, n_imp, p.value, out_t);
    else if (p.kind == SH_VPOINT_FNMR)
        st = at_fnmr(x, w, n_gen, p.value, out_t);
    if (st != SH_VOWN_OK) {
        *out_t = NAN;
        return st;
    }
    *out_fnmr = n_gen > 0 ? gen_below(x, w, *out_t) / n_gen : NAN;
    if (*out_t < o->edge)
        return SH_VOWN_BELOW_KEPT; /* the FMR there needs pairs not held */
    *out_fmr = n_imp > 0 ? imp_at_or_above(x, w, *out_t) / n_imp : NAN;
    return SH_VOWN_OK;
}

sh_vown_status sh_vown_eer(const sh_vown *o, size_t g, const uint32_t *w, double n_gen,
                           double n_imp, double *out_eer)
{
    const own_group *x = &o->g[g];
    *out_eer = NAN;
    if (!(n_gen > 0) || !(n_imp > 0))
        return SH_VOWN_NONE;
    /* Thresholds from the top down: the next double above the largest
     * score, then each distinct score. Going down, FNMR(t) (genuine below t)
     * falls and FMR(t) (impostors at or above t) rises, so once FMR alone
     * reaches the least max(FMR, FNMR) seen, no lower threshold does better:
     * the sweep stops there, and the answer is exact whatever lies below. A
     * sweep that reaches the edge without stopping cannot tell what the pairs
     * below it would give. */
    double top = x->n_gen ? x->gen[x->n_gen - 1].score : -INFINITY;
    if (x->n_imp && x->imp[0].score > top)
        top = x->imp[0].score;
    double best = INFINITY, imp_above = 0, gen_above = 0;
    size_t i = x->n_gen, j = 0; /* genuine ascending, read backwards; impostors descending */
    int first = !(isinf(top) && top > 0);
    for (;;) {
        double t;
        if (first) {
            t = nextafter(top, INFINITY);
            first = 0;
        } else if (i == 0 && j == x->n_imp) {
            break;
        } else {
            t = j == x->n_imp || (i > 0 && x->gen[i - 1].score >= x->imp[j].score)
                    ? x->gen[i - 1].score
                    : x->imp[j].score;
        }
        if (t < o->edge)
            break; /* the FMR there would need pairs not held */
        while (i > 0 && x->gen[i - 1].score >= t)
            gen_above += (double)w[x->gen[--i].s];
        for (; j < x->n_imp && x->imp[j].score >= t; j++)
            imp_above += (double)w[x->imp[j].a] * (double)w[x->imp[j].b];
        double fmr = imp_above / n_imp;
        best = fmin(best, fmax(fmr, (n_gen - gen_above) / n_gen));
        if (fmr >= best) {
            *out_eer = best;
            return SH_VOWN_OK;
        }
    }
    /* Every threshold was seen when every pair is held. */
    if (o->edge != -INFINITY)
        return SH_VOWN_BELOW_KEPT;
    *out_eer = best;
    return SH_VOWN_OK;
}
