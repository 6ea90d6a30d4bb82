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
    boot_match *xmatch;       /* across groups: g is the cell i * n_groups + j, i < j */
    size_t n_xmatch, cap_xmatch;
    boot_cell *xcell;         /* the same for the impostor pairs across groups */
    size_t n_xcell, cap_xcell;
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
    free(b->xmatch);
    free(b->xcell);
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

/* The cell of groups gi != gj, smaller group first. */
static uint32_t cross_cell(const sh_vboot *b, size_t gi, size_t gj)
{
    size_t i = gi < gj ? gi : gj, j = gi < gj ? gj : gi;
    return (uint32_t)(i * b->n_groups + j);
}

int sh_vboot_add_cross_impostor(sh_vboot *b, size_t gi, size_t gj, uint32_t a, uint32_t sb)
{
    if (b->complete)
        return 0;
    if (grow((void **)&b->xcell, b->n_xcell, &b->cap_xcell, sizeof *b->xcell))
        return -1;
    b->xcell[b->n_xcell++] =
        (boot_cell){cross_cell(b, gi, gj), a < sb ? a : sb, a < sb ? sb : a, 1};
    return 0;
}

int sh_vboot_add_cross_match(sh_vboot *b, size_t gi, size_t gj, uint32_t a, uint32_t sb,
                             double score)
{
    if (!(score >= b->lowest))
        return 0;
    if (grow((void **)&b->xmatch, b->n_xmatch, &b->cap_xmatch, sizeof *b->xmatch))
        return -1;
    b->xmatch[b->n_xmatch++] = (boot_match){cross_cell(b, gi, gj), a, sb, score};
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

/* Sorts n recorded pairs and merges those of the same subjects and cell
 * into one with their count; returns how many remain. */
static size_t aggregate(boot_cell *cell, size_t n)
{
    if (!n)
        return 0;
    qsort(cell, n, sizeof *cell, cmp_cell);
    size_t w = 0;
    for (size_t i = 0; i < n; i++) {
        if (w && cmp_cell(&cell[w - 1], &cell[i]) == 0)
            cell[w - 1].count++;
        else
            cell[w++] = cell[i];
    }
    return w;
}

int sh_vboot_finish(sh_vboot *b)
{
    if (b->complete)
        return 0;
    b->n_cell = aggregate(b->cell, b->n_cell);
    b->n_xcell = aggregate(b->xcell, b->n_xcell);
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

void sh_vboot_replicate_cross(const sh_vboot *b, const uint32_t *w, double *out_k,
                              double *out_n)
{
    size_t S = b->n_subjects, G = b->n_groups, K = b->n_thr;
    for (size_t i = 0; i < G; i++)
        for (size_t j = i + 1; j < G; j++) {
            out_n[i * G + j] = 0;
            for (size_t k = 0; k < K; k++)
                out_k[(i * G + j) * K + k] = 0;
        }
    if (b->complete) {
        /* Every pair of different subjects with one image in i and one in j:
         * (sum_a w_a m_ai)(sum_b w_b m_bj) - sum_a w_a^2 m_ai m_aj. */
        for (size_t s = 0; s < S; s++) {
            if (!w[s])
                continue;
            double ws = (double)w[s];
            for (size_t i = 0; i < G; i++) {
                double mi = b->images[i * S + s];
                if (mi == 0)
                    continue;
                for (size_t j = i + 1; j < G; j++) {
                    double mj = b->images[j * S + s];
                    if (mj != 0)
                        out_n[i * G + j] -= ws * ws * mi * mj;
                }
            }
        }
        double *sum = out_n + G * G - G; /* scratch: the last row has no cell i < j */
        for (size_t i = 0; i < G; i++) {
            double t = 0;
            for (size_t s = 0; s < S; s++)
                t += (double)w[s] * b->images[i * S + s];
            sum[i] = t;
        }
        for (size_t i = 0; i < G; i++)
            for (size_t j = i + 1; j < G; j++)
                out_n[i * G + j] += sum[i] * sum[j];
    }
    for (size_t i = 0; !b->complete && i < b->n_xcell; i++) {
        const boot_cell *c = &b->xcell[i];
        out_n[c->g] += (double)w[c->a] * (double)w[c->b] * (double)c->count;
    }
    for (size_t i = 0; i < b->n_xmatch; i++) {
        const boot_match *m = &b->xmatch[i];
        double wm = (double)w[m->a] * (double)w[m->b];
        if (wm == 0)
            continue;
        for (size_t k = 0; k < K; k++)
            if (m->score >= b->thr[k])
                out_k[m->g * K + k] += wm;
    }
}
