#include "import_table.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

static int index_grow(sh_import_manifest *m)
{
    size_t cap = m->index_cap ? m->index_cap * 2 : 1024;
    size_t *index = calloc(cap, sizeof *index);
    if (!index)
        return -1;
    for (size_t r = 0; r < m->n; r++) {
        size_t h = hash_str(m->rows[r * (3 + m->n_attrs)]) & (cap - 1);
        while (index[h])
            h = (h + 1) & (cap - 1);
        index[h] = r + 1;
    }
    free(m->index);
    m->index = index;
    m->index_cap = cap;
    return 0;
}

/* The row of image id, or SIZE_MAX; *slot receives where it would go. */
static size_t find_image(const sh_import_manifest *m, const char *id, size_t *slot)
{
    size_t h = hash_str(id) & (m->index_cap - 1);
    while (m->index[h]) {
        size_t r = m->index[h] - 1;
        if (!strcmp(m->rows[r * (3 + m->n_attrs)], id))
            return r;
        h = (h + 1) & (m->index_cap - 1);
    }
    *slot = h;
    return SIZE_MAX;
}

/* "line N" or "FILE:N" when the first mention was in another file. */
static void where(char *out, size_t cap, const sh_import_manifest *m, size_t r,
                  const char *file)
{
    if (m->first_file[r] && file && strcmp(m->first_file[r], file))
        snprintf(out, cap, "%s:%zu", m->first_file[r], m->first_line[r]);
    else
        snprintf(out, cap, "line %zu", m->first_line[r]);
}

static int grow_rows(sh_import_manifest *m, size_t w)
{
    if (m->n < m->cap)
        return 0;
    size_t cap = m->cap ? m->cap * 2 : 1024;
    char **rows = realloc(m->rows, cap * w * sizeof *rows);
    if (rows)
        m->rows = rows;
    size_t *lines = realloc(m->first_line, cap * sizeof *lines);
    if (lines)
        m->first_line = lines;
    const char **files = realloc(m->first_file, cap * sizeof *files);
    if (files)
        m->first_file = files;
    if (!rows || !lines || !files)
        return -1;
    m->cap = cap;
    return 0;
}

int sh_import_add_image(size_t *out_row, sh_import_manifest *m,
                            const char *const *fields, const char *file, size_t line,
                            const char *id_field, sh_err *err)
{
    size_t w = 3 + m->n_attrs, slot = 0;
    if ((m->n + 1) * 2 > m->index_cap && index_grow(m))
        return sh_err_nomem(err);
    size_t r = find_image(m, fields[0], &slot);
    if (r != SIZE_MAX) {
        char first[512];
        where(first, sizeof first, m, r, file);
        if (id_field)
            return sh_err_set(err, SH_E_INPUT, "field '%s': duplicate '%s' (first on %s)",
                                  id_field, fields[0], first);
        for (size_t k = 1; k < w; k++)
            if (strcmp(m->rows[r * w + k], fields[k]))
                return sh_err_set(err, SH_E_INPUT,
                                      "image '%s': %s '%s' here but '%s' on %s", fields[0],
                                      k == 1 ? "subject" : k == 2 ? "path" : m->attr_names[k - 3],
                                      fields[k], m->rows[r * w + k], first);
        *out_row = r;
        return 0;
    }
    if (grow_rows(m, w))
        return sh_err_nomem(err);
    for (size_t k = 0; k < w; k++)
        if (!(m->rows[m->n * w + k] = strdup(fields[k]))) {
            for (size_t j = 0; j < k; j++)
                free(m->rows[m->n * w + j]);
            return sh_err_nomem(err);
        }
    m->first_line[m->n] = line;
    m->first_file[m->n] = file;
    *out_row = m->n;
    m->index[slot] = ++m->n;
    return 0;
}

static int grow_pairs(sh_import_pairs *p)
{
    if (p->n < p->cap)
        return 0;
    size_t cap = p->cap ? p->cap * 2 : 1024;
    char **cells = realloc(p->cells, cap * 3 * sizeof *cells);
    if (cells)
        p->cells = cells;
    size_t *lines = realloc(p->line, cap * sizeof *lines);
    if (lines)
        p->line = lines;
    const char **files = realloc(p->file, cap * sizeof *files);
    if (files)
        p->file = files;
    if (!cells || !lines || !files)
        return -1;
    p->cap = cap;
    return 0;
}

int sh_import_add_pair(sh_import_pairs *p, const sh_import_manifest *m, size_t ref,
                           size_t probe, long fold, const char *file, size_t line,
                           sh_err *err)
{
    const char *ref_id = m->rows[ref * (3 + m->n_attrs)];
    const char *probe_id = m->rows[probe * (3 + m->n_attrs)];
    if (ref == probe)
        return sh_err_set(err, SH_E_INPUT, "image '%s' is compared with itself", ref_id);
    if (!p->seen && !(p->seen = sh_pair_map_create(1024)))
        return sh_err_nomem(err);
    if (grow_pairs(p))
        return sh_err_nomem(err);
    uint64_t first = 0;
    uint32_t lo = (uint32_t)(ref < probe ? ref : probe), hi = (uint32_t)(ref < probe ? probe : ref);
    int put = sh_pair_map_put(&first, p->seen, lo, hi, p->n);
    if (put < 0)
        return sh_err_nomem(err);
    if (put == 0) {
        char at[512];
        if (p->file[first] && file && strcmp(p->file[first], file))
            snprintf(at, sizeof at, "%s:%zu", p->file[first], p->line[first]);
        else
            snprintf(at, sizeof at, "line %zu", p->line[first]);
        return sh_err_set(err, SH_E_INPUT, "pair '%s', '%s' is listed twice (first on %s)",
                              ref_id, probe_id, at);
    }
    p->line[p->n] = line;
    p->file[p->n] = file;
    char f[24];
    snprintf(f, sizeof f, "%ld", fold);
    char **c = p->cells + p->n * 3;
    c[0] = strdup(ref_id);
    c[1] = strdup(probe_id);
    c[2] = strdup(f);
    p->n++;
    if (!c[0] || !c[1] || !c[2])
        return sh_err_nomem(err);
    return 0;
}

void sh_import_manifest_free(sh_import_manifest *m)
{
    for (size_t i = 0; i < m->n * (3 + m->n_attrs); i++)
        free(m->rows[i]);
    free(m->rows);
    free(m->first_line);
    free(m->first_file);
    free(m->index);
    memset(m, 0, sizeof *m);
}

void sh_import_pairs_free(sh_import_pairs *p)
{
    for (size_t i = 0; i < p->n * 3; i++)
        free(p->cells[i]);
    free(p->cells);
    free(p->line);
    free(p->file);
    sh_pair_map_destroy(p->seen);
    memset(p, 0, sizeof *p);
}
