#include "verification_boot.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A false match at the lowest threshold: who, which group, its score. */
typedef struct boot_match {
    uint32_t g, a, b;
    double score;
} boot_match;

/* Sampled impostor pairs aggregated by subject pair: count of pairs. */
typedef struct boot_cell {
    uint32_t g, a, b;
    uint32_t count;
} boot_cell;

struct sh_vboot {
    size_t n_subjects, n_groups, n_thr;
    double *thr;              /* n_thr thresholds, NaN when not estimable */
    double lowest;            /* the smallest real threshold */
    int complete;
    double *gen_n;            /* [g][s] genuine pairs */
    double *gen_err;          /* [g][s][k] genuine pairs below threshold k */
    double *images;           /* [g][s] images, for the closed form */
    boot_match *match;
    size_t n_match, cap_match;
    boot_cell *cell;          /* not complete: every impostor pair, then cells */
    size_t n_cell, cap_cell;
};

sh_vboot *sh_vboot_create(size_t n_subjects, size_t n_groups, const double *thresholds,
                                  size_t n_thresholds, int complete)
{
    sh_vboot *b = calloc(1, sizeof *b);
    if (!b)
        return NULL;
    size_t gs = n_groups * n_subjects;
    b->n_subjects = n_subjects;
    b->n_groups = n_groups;
    b->n_thr = n_thresholds;
    b->complete = complete;
    b->thr = malloc((n_thresholds ? n_thresholds : 1) * sizeof *b->thr);
    b->gen_n = calloc(gs ? gs : 1, sizeof *b->gen_n);
    b->gen_err = calloc(gs * n_thresholds + 1, sizeof *b->gen_err);
    b->images = calloc(gs ? gs : 1, sizeof *b->images);
    if (!b->thr || !b->gen_n || !b->gen_err || !b->images) {
        sh_vboot_destroy(b);
        return NULL;
    }
    b->lowest = INFINITY;
    for (size_t k = 0; k < n_thresholds; k++) {
        b->thr[k] = thresholds[k];
        if (!isnan(thresholds[k]) && thresholds[k] < b->lowest)
            b->lowest = thresholds[k];
    }
    return b;
}

void sh_vboot_destroy(sh_vboot *b)
{
    if (!b)
        return;
    free(b->thr);
    free(b->gen_n);
    free(b->gen_err);
    free(b->images);
    free(b->match);
    free(b->cell);
    free(b);
}

void sh_vboot_add_image(sh_vboot *b, size_t g, uint32_t s)
{
    b->images[g * b->n_subjects + s] += 1;
}

void sh_vboot_add_genuine(sh_vboot *b, size_t g, uint32_t s, double score)
{
    size_t gs = g * b->n_subjects + s;
    b->gen_n[gs] += 1;
    for (size_t k = 0; k < b->n_thr; k++)
        if (score < b->thr[k])
            b->gen_err[gs * b->n_thr + k] += 1;
}

/* Grows *p (n used, *cap allocated, elements of size sz) by one slot. */
static int grow(void **p, size_t n, size_t *cap, size_t sz)
{
    if (n < *cap)
        return 0;
    size_t c = *cap ? *cap * 2 : 1024;
    void *q = realloc(*p, c * sz);
    if (!q)
        return -1;
    *p = q;
    *cap = c;
    return 0;
}

int sh_vboot_add_impostor(sh_vboot *b, size_t g, uint32_t a, uint32_t sb)
{
    if (b->complete)
        return 0;
    if (grow((void **)&b->cell, b->n_cell, &b->cap_cell, sizeof *b->cell))
        return -1;
    b->cell[b->n_cell++] = (boot_cell){(uint32_t)g, a < sb ? a : sb, a < sb ? sb : a, 1};
    return 0;
}

int sh_vboot_add_match(sh_vboot *b, size_t g, uint32_t a, uint32_t sb, double score)
{
    if (!(score >= b->lowest))
        return 0;
    if (grow((void **)&b->match, b->n_match, &b->cap_match, sizeof *b->match))
        return -1;
    b->match[b->n_match++] = (boot_match){(uint32_t)g, a, sb, score};
    return 0;
}

static int cmp_cell(const void *x, const void *y)
{
    const boot_cell *p = x, *q = y;
    if (p->g != q->g)
        return p->g < q->g ? -1 : 1;
    if (p->a != q->a)
        return p->a < q->a ? -1 : 1;
    return (p->b > q->b) - (p->b < q->b);
}

int sh_vboot_finish(sh_vboot *b)
{
    if (b->complete || !b->n_cell)
        return 0;
    qsort(b->cell, b->n_cell, sizeof *b->cell, cmp_cell);
    size_t w = 0;
    for (size_t i = 0; i < b->n_cell; i++) {
        if (w && cmp_cell(&b->cell[w - 1], &b->cell[i]) == 0)
            b->cell[w - 1].count++;
        else
            b->cell[w++] = b->cell[i];
    }
    b->n_cell = w;
    return 0;
}

void sh_vboot_replicate(const sh_vboot *b, const uint32_t *w, double *out_fnmr_k,
                            double *out_fnmr_n, double *out_fmr_k, double *out_fmr_n)
{
    size_t S = b->n_subjects, K = b->n_thr;
    memset(out_fnmr_k, 0, b->n_groups * K * sizeof *out_fnmr_k);
    memset(out_fmr_k, 0, b->n_groups * K * sizeof *out_fmr_k);
    for (size_t g = 0; g < b->n_groups; g++) {
        double n = 0, sum = 0, sum_sq = 0;
        for (size_t s = 0; s < S; s++) {
            if (!w[s])
                continue;
            size_t gs = g * S + s;
            double ws = (double)w[s];
            n += ws * b->gen_n[gs];
            for (size_t k = 0; k < K; k++)
                out_fnmr_k[g * K + k] += ws * b->gen_err[gs * K + k];
            double m = ws * b->images[gs];
            sum += m;
            sum_sq += ws * m * b->images[gs];
        }
        out_fnmr_n[g] = n;
        /* Every pair of different subjects: sum over a < b of w_a m_a w_b m_b. */
        out_fmr_n[g] = b->complete ? (sum * sum - sum_sq) / 2 : 0;
    }
    for (size_t i = 0; !b->complete && i < b->n_cell; i++) {
        const boot_cell *c = &b->cell[i];
        out_fmr_n[c->g] += (double)w[c->a] * (double)w[c->b] * (double)c->count;
    }
    for (size_t i = 0; i < b->n_match; i++) {
        const boot_match *m = &b->match[i];
        double wm = (double)w[m->a] * (double)w[m->b];
        if (wm == 0)
            continue;
        for (size_t k = 0; k < K; k++)
            if (m->score >= b->thr[k])
                out_fmr_k[m->g * K + k] += wm;
    }
}
