#include "verification.h"

#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_rng.h>

/* Items of each subject, in manifest order, as offsets into one array. */
static int subject_lists(size_t **out_start, uint32_t **out_items, const shades_manifest *m)
{
    size_t *start = calloc(m->n_subjects + 1, sizeof *start);
    uint32_t *items = malloc(m->n_items * sizeof *items);
    size_t *fill = calloc(m->n_subjects, sizeof *fill);
    if (!start || !items || !fill) {
        free(start);
        free(items);
        free(fill);
        return -1;
    }
    for (size_t i = 0; i < m->n_items; i++)
        start[m->subject[i] + 1]++;
    for (size_t s = 0; s < m->n_subjects; s++)
        start[s + 1] += start[s];
    for (size_t i = 0; i < m->n_items; i++) {
        uint32_t s = m->subject[i];
        items[start[s] + fill[s]++] = (uint32_t)i;
    }
    free(fill);
    *out_start = start;
    *out_items = items;
    return 0;
}

static int cmp_pair(const void *x, const void *y)
{
    const shades_pair *p = x, *q = y;
    if (p->a != q->a)
        return p->a < q->a ? -1 : 1;
    return (p->b > q->b) - (p->b < q->b);
}

static int genuine_pairs(shades_pairs *p, const shades_manifest *m, shades_err *err)
{
    size_t *start;
    uint32_t *items;
    if (subject_lists(&start, &items, m))
        return shades_err_nomem(err);
    size_t n = 0;
    for (size_t s = 0; s < m->n_subjects; s++) {
        size_t k = start[s + 1] - start[s];
        n += k * (k - 1) / 2;
    }
    p->genuine = malloc((n ? n : 1) * sizeof *p->genuine);
    if (!p->genuine) {
        free(start);
        free(items);
        return shades_err_nomem(err);
    }
    for (size_t s = 0; s < m->n_subjects; s++)
        for (size_t x = start[s]; x < start[s + 1]; x++)
            for (size_t y = x + 1; y < start[s + 1]; y++)
                p->genuine[p->n_genuine++] = (shades_pair){items[x], items[y]};
    qsort(p->genuine, p->n_genuine, sizeof *p->genuine, cmp_pair);
    free(start);
    free(items);
    return 0;
}

static int all_impostors(shades_pairs *p, const shades_manifest *m, shades_err *err)
{
    if (p->impostor_total > SIZE_MAX / sizeof *p->impostor)
        return shades_err_set(err, SHADES_E_INPUT,
                              "%s: %llu impostor pairs are too many for 'all'; use impostors: sample",
                              m->path, (unsigned long long)p->impostor_total);
    p->impostor = malloc((p->impostor_total ? p->impostor_total : 1) * sizeof *p->impostor);
    if (!p->impostor)
        return shades_err_nomem(err);
    for (uint32_t a = 0; a < m->n_items; a++)
        for (uint32_t b = a + 1; b < m->n_items; b++)
            if (m->subject[a] != m->subject[b])
                p->impostor[p->n_impostor++] = (shades_pair){a, b};
    return 0;
}

/* Open-addressing set of pair keys, to draw a sample without repeats. */
static int sample_impostors(shades_pairs *p, const shades_manifest *m, uint64_t k, uint64_t seed,
                            shades_err *err)
{
    size_t cap = 16;
    while (cap < 2 * k)
        cap *= 2;
    uint64_t *set = calloc(cap, sizeof *set);
    p->impostor = malloc(k * sizeof *p->impostor);
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    if (!set || !p->impostor || !rng) {
        free(set);
        if (rng)
            gsl_rng_free(rng);
        return shades_err_nomem(err);
    }
    gsl_rng_set(rng, (unsigned long)seed);
    uint32_t n = (uint32_t)m->n_items;
    while (p->n_impostor < k) {
        uint32_t a = (uint32_t)gsl_rng_uniform_int(rng, n);
        uint32_t b = (uint32_t)gsl_rng_uniform_int(rng, n);
        if (a == b || m->subject[a] == m->subject[b])
            continue;
        if (a > b) {
            uint32_t t = a;
            a = b;
            b = t;
        }
        /* Key is never 0 because b > 0; 0 marks an empty slot. */
        uint64_t key = ((uint64_t)a << 32) | b;
        size_t h = (size_t)((key * 0x9e3779b97f4a7c15ULL) >> 17) & (cap - 1);
        while (set[h] && set[h] != key)
            h = (h + 1) & (cap - 1);
        if (set[h])
            continue;
        set[h] = key;
        p->impostor[p->n_impostor++] = (shades_pair){a, b};
    }
    gsl_rng_free(rng);
    free(set);
    qsort(p->impostor, p->n_impostor, sizeof *p->impostor, cmp_pair);
    return 0;
}

int shades_verification_pairs(shades_pairs **out, const shades_manifest *m,
                              const shades_config *config, shades_err *err)
{
    *out = NULL;
    if (m->n_items > UINT32_MAX)
        return shades_err_set(err, SHADES_E_INPUT, "%s: more than 2^32 images", m->path);
    shades_pairs *p = calloc(1, sizeof *p);
    if (!p)
        return shades_err_nomem(err);
    int rc = genuine_pairs(p, m, err);
    if (!rc) {
        uint64_t n = m->n_items;
        p->impostor_total = n * (n - 1) / 2 - p->n_genuine;
        uint64_t k = config->verification.impostor_sample;
        if (strcmp(config->verification.impostors, "sample") == 0 && k < p->impostor_total)
            rc = sample_impostors(p, m, k, config->run.seed, err);
        else
            rc = all_impostors(p, m, err);
    }
    if (!rc && p->n_genuine == 0)
        rc = shades_err_set(err, SHADES_E_INPUT,
                            "%s: no genuine pairs: every subject has a single image", m->path);
    if (!rc && p->n_impostor == 0)
        rc = shades_err_set(err, SHADES_E_INPUT, "%s: no impostor pairs: only one subject",
                            m->path);
    if (rc) {
        shades_pairs_destroy(p);
        return rc;
    }
    *out = p;
    return 0;
}

void shades_pairs_destroy(shades_pairs *p)
{
    if (!p)
        return;
    free(p->genuine);
    free(p->impostor);
    free(p);
}
