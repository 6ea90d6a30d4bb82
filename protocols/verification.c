#include "verification.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_rng.h>

#include "csv_rows.h"
#include "pair_map.h"

/* Items of each subject, in manifest order, as offsets into one array. */
static int subject_lists(size_t **out_start, uint32_t **out_items, const sh_manifest *m)
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
    const sh_pair *p = x, *q = y;
    if (p->a != q->a)
        return p->a < q->a ? -1 : 1;
    return (p->b > q->b) - (p->b < q->b);
}

static int genuine_pairs(sh_pairs *p, const sh_manifest *m, sh_err *err)
{
    size_t *start;
    uint32_t *items;
    if (subject_lists(&start, &items, m))
        return sh_err_nomem(err);
    size_t n = 0;
    for (size_t s = 0; s < m->n_subjects; s++) {
        size_t k = start[s + 1] - start[s];
        n += k * (k - 1) / 2;
    }
    p->genuine = malloc((n ? n : 1) * sizeof *p->genuine);
    if (!p->genuine) {
        free(start);
        free(items);
        return sh_err_nomem(err);
    }
    for (size_t s = 0; s < m->n_subjects; s++)
        for (size_t x = start[s]; x < start[s + 1]; x++)
            for (size_t y = x + 1; y < start[s + 1]; y++)
                p->genuine[p->n_genuine++] = (sh_pair){items[x], items[y]};
    qsort(p->genuine, p->n_genuine, sizeof *p->genuine, cmp_pair);
    free(start);
    free(items);
    return 0;
}

static int all_impostors(sh_pairs *p, const sh_manifest *m, int implicit,
                         sh_err *err)
{
    p->all_impostors = 1;
    if (implicit) {
        p->implicit = 1;
        p->n_impostor = (size_t)p->impostor_total;
        return 0;
    }
    if (p->impostor_total > SIZE_MAX / sizeof *p->impostor)
        return sh_err_set(err, SH_E_INPUT,
                              "%s: %llu impostor pairs are too many for 'all'; use impostors: sample",
                              m->path, (unsigned long long)p->impostor_total);
    p->impostor = malloc((p->impostor_total ? p->impostor_total : 1) * sizeof *p->impostor);
    if (!p->impostor)
        return sh_err_nomem(err);
    for (uint32_t a = 0; a < m->n_items; a++)
        for (uint32_t b = a + 1; b < m->n_items; b++)
            if (m->subject[a] != m->subject[b])
                p->impostor[p->n_impostor++] = (sh_pair){a, b};
    return 0;
}

/* Draws k distinct impostor pairs, seeded, then sorts them. */
static int sample_impostors(sh_pairs *p, const sh_manifest *m, uint64_t k, uint64_t seed,
                            sh_err *err)
{
    sh_pair_map *seen = sh_pair_map_create(k);
    p->impostor = malloc(k * sizeof *p->impostor);
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    if (!seen || !p->impostor || !rng) {
        sh_pair_map_destroy(seen);
        if (rng)
            gsl_rng_free(rng);
        return sh_err_nomem(err);
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
        if (sh_pair_map_put(NULL, seen, a, b, 0) == 1)
            p->impostor[p->n_impostor++] = (sh_pair){a, b};
    }
    gsl_rng_free(rng);
    sh_pair_map_destroy(seen);
    qsort(p->impostor, p->n_impostor, sizeof *p->impostor, cmp_pair);
    return 0;
}

/* ---- explicit pair lists ---- */

static int cmp_int32(const void *x, const void *y)
{
    int32_t a = *(const int32_t *)x, b = *(const int32_t *)y;
    return (a > b) - (a < b);
}

/* Loader state for a pair list file. */
typedef struct list_reader {
    sh_pairs *p;
    const sh_manifest *m;
    const sh_pair_list *cfg;
    int col_ref, col_probe, col_fold;
    size_t n_cols;
    sh_pair_map *seen;     /* (reference, probe) -> line */
    size_t cap_genuine, cap_impostor;
    int32_t folds[SH_FOLDS_MAX]; /* the distinct folds so far, as numbered */
    size_t n_folds;
} list_reader;

static int list_header(list_reader *r, char **fields, size_t n, sh_err *err)
{
    const char *names[3] = {r->cfg->reference, r->cfg->probe, r->cfg->fold};
    int *cols[3] = {&r->col_ref, &r->col_probe, &r->col_fold};
    for (int k = 0; k < 3; k++) {
        *cols[k] = names[k] ? sh_csv_column(fields, n, names[k]) : -1;
        if (names[k] && *cols[k] < 0)
            return sh_err_set(err, SH_E_INPUT,
                                  "header: no column '%s' (verification.pairs.%s)%s", names[k],
                                  k == 0 ? "reference" : k == 1 ? "probe" : "fold",
                                  sh_csv_separator_hint(fields, n));
    }
    r->n_cols = n;
    return 0;
}

/* Appends one pair (and its fold and line) to the genuine or impostor list. */
static int list_append(list_reader *r, int genuine, sh_pair pair, int32_t fold, size_t line)
{
    sh_pairs *p = r->p;
    sh_pair **list = genuine ? &p->genuine : &p->impostor;
    int32_t **folds = genuine ? &p->genuine_fold : &p->impostor_fold;
    size_t **lines = genuine ? &p->genuine_line : &p->impostor_line;
    size_t *n = genuine ? &p->n_genuine : &p->n_impostor;
    size_t *cap = genuine ? &r->cap_genuine : &r->cap_impostor;
    if (*n == *cap) {
        size_t grown = *cap ? *cap * 2 : 1024;
        sh_pair *l = realloc(*list, grown * sizeof *l);
        if (l)
            *list = l;
        int32_t *f = realloc(*folds, grown * sizeof *f);
        if (f)
            *folds = f;
        size_t *ln = realloc(*lines, grown * sizeof *ln);
        if (ln)
            *lines = ln;
        if (!l || !f || !ln)
            return -1;
        *cap = grown;
    }
    (*list)[*n] = pair;
    (*folds)[*n] = fold;
    (*lines)[*n] = line;
    (*n)++;
    return 0;
}

static int list_row(void *ctx, char **fields, size_t n, size_t line, sh_err *err)
{
    list_reader *r = ctx;
    if (!r->n_cols)
        return list_header(r, fields, n, err);
    if (n != r->n_cols)
        return sh_err_set(err, SH_E_INPUT, "row has %zu fields, the header has %zu", n,
                              r->n_cols);
    long ref = sh_manifest_find(r->m, fields[r->col_ref]);
    long probe = sh_manifest_find(r->m, fields[r->col_probe]);
    if (ref < 0 || probe < 0) {
        const char *col = ref < 0 ? r->cfg->reference : r->cfg->probe;
        return sh_err_set(err, SH_E_INPUT, "field '%s': '%s' is not an image_id of %s",
                              col, fields[ref < 0 ? r->col_ref : r->col_probe], r->m->path);
    }
    if (ref == probe)
        return sh_err_set(err, SH_E_INPUT,
                              "field '%s': '%s' is compared with itself", r->cfg->probe,
                              fields[r->col_probe]);
    int32_t fold = -1;
    if (r->col_fold >= 0) {
        /* Digits only: strtol would take a sign or leading blanks too. */
        const char *text = fields[r->col_fold];
        char *end;
        long v = strtol(text, &end, 10);
        if (*text < '0' || *text > '9' || *end || v > INT32_MAX)
            return sh_err_set(err, SH_E_INPUT,
                              "field '%s': '%s' is not a fold number (a whole number from 0 "
                              "to 2147483647)",
                              r->cfg->fold, text);
        fold = (int32_t)v;
        size_t k = 0;
        while (k < r->n_folds && r->folds[k] != fold)
            k++;
        if (k == SH_FOLDS_MAX)
            return sh_err_set(err, SH_E_INPUT,
                              "field '%s': '%s' would be fold %d; a pair list holds at most %d "
                              "distinct folds (each is a threshold learnt on the others)",
                              r->cfg->fold, text, SH_FOLDS_MAX + 1, SH_FOLDS_MAX);
        if (k == r->n_folds)
            r->folds[r->n_folds++] = fold;
    }
    /* One comparison per unordered pair: (a, b) and (b, a) are the same
     * question put to a symmetric engine, and would count twice. */
    uint32_t lo = (uint32_t)(ref < probe ? ref : probe), hi = (uint32_t)(ref < probe ? probe : ref);
    uint64_t first = 0;
    int put = sh_pair_map_put(&first, r->seen, lo, hi, line);
    if (put == 0)
        return sh_err_set(err, SH_E_INPUT,
                              "pair '%s', '%s' is listed twice (first on line %llu)",
                              fields[r->col_ref], fields[r->col_probe], (unsigned long long)first);
    if (put < 0 || list_append(r, r->m->subject[ref] == r->m->subject[probe],
                               (sh_pair){(uint32_t)ref, (uint32_t)probe}, fold, line))
        return sh_err_nomem(err);
    return 0;
}

static int list_pairs(sh_pairs *p, const sh_manifest *m, const sh_pair_list *cfg,
                      sh_err *err)
{
    list_reader r = {.p = p, .m = m, .cfg = cfg};
    r.seen = sh_pair_map_create(1024);
    if (!r.seen)
        return sh_err_nomem(err);
    int rc = sh_csv_read(cfg->file, "pair list", list_row, &r, err);
    sh_pair_map_destroy(r.seen);
    if (!rc && !r.n_cols)
        rc = sh_err_set(err, SH_E_INPUT, "%s:1: empty file, expected a header row",
                            cfg->file);
    p->impostor_total = p->n_impostor;
    if (!rc && cfg->fold && r.n_folds) {
        /* Each pair's fold as its index among the folds in ascending order. */
        p->fold_value = malloc(r.n_folds * sizeof *p->fold_value);
        if (!p->fold_value)
            return sh_err_nomem(err);
        memcpy(p->fold_value, r.folds, r.n_folds * sizeof *p->fold_value);
        qsort(p->fold_value, r.n_folds, sizeof *p->fold_value, cmp_int32);
        p->n_folds = r.n_folds;
        for (size_t k = 0; k < p->n_genuine + p->n_impostor; k++) {
            int32_t *f = k < p->n_genuine ? &p->genuine_fold[k]
                                          : &p->impostor_fold[k - p->n_genuine];
            *f = (int32_t)((const int32_t *)bsearch(f, p->fold_value, p->n_folds,
                                                    sizeof *f, cmp_int32) -
                           p->fold_value);
        }
    }
    return rc;
}

int sh_verification_pairs(sh_pairs **out, const sh_manifest *m,
                              const sh_pairs_spec *spec, int implicit, sh_err *err)
{
    *out = NULL;
    if (m->n_items > UINT32_MAX)
        return sh_err_set(err, SH_E_INPUT, "%s: more than 2^32 images", m->path);
    sh_pairs *p = calloc(1, sizeof *p);
    if (!p)
        return sh_err_nomem(err);
    const sh_pair_list *list = spec->list;
    int rc = list ? list_pairs(p, m, list, err) : genuine_pairs(p, m, err);
    if (!rc && !list) {
        uint64_t n = m->n_items;
        p->impostor_total = n * (n - 1) / 2 - p->n_genuine;
        uint64_t k = spec->impostor_sample;
        if (spec->sample && k < p->impostor_total)
            rc = sample_impostors(p, m, k, spec->seed, err);
        else
            rc = all_impostors(p, m, implicit, err);
    }
    const char *from = list ? list->file : m->path;
    if (!rc && p->n_genuine == 0)
        rc = sh_err_set(err, SH_E_INPUT, "%s: no genuine pairs%s", from,
                            list ? " (two images of one subject)"
                                 : ": every subject has a single image");
    if (!rc && p->n_impostor == 0)
        rc = sh_err_set(err, SH_E_INPUT, "%s: no impostor pairs%s", from,
                            list ? " (images of two subjects)" : ": only one subject");
    if (rc) {
        sh_pairs_destroy(p);
        return rc;
    }
    *out = p;
    return 0;
}

void sh_pairs_destroy(sh_pairs *p)
{
    if (!p)
        return;
    free(p->genuine);
    free(p->impostor);
    free(p->genuine_fold);
    free(p->impostor_fold);
    free(p->fold_value);
    free(p->genuine_line);
    free(p->impostor_line);
    free(p);
}
