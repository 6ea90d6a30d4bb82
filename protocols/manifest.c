#include "manifest.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <csv.h>

#include "paths.h"

#define REQUIRED 3
static const char *const required[REQUIRED] = {"image_id", "subject_id", "path"};

/* Parser state shared with libcsv's callbacks. */
typedef struct reader {
    shades_manifest *m;
    const char *path;
    shades_err *err;
    int failed;
    size_t line;           /* line being fed to libcsv */
    size_t row_line;       /* line on which the current row started */
    int header_done;
    size_t n_cols;         /* header columns */
    int col_index[REQUIRED];
    char **header;
    char **fields;         /* current row */
    size_t n_fields, cap_fields;
    size_t cap_items;
} reader;

static int fail(reader *r, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int fail(reader *r, int code, const char *fmt, ...)
{
    if (r->failed)
        return code;
    char why[SHADES_ERR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    r->failed = 1;
    return shades_err_set(r->err, code, "%s:%zu: %s", r->path, r->row_line, why);
}

static void on_field(void *data, size_t len, void *ctx)
{
    reader *r = ctx;
    if (r->failed)
        return;
    if (r->n_fields == 0)
        r->row_line = r->line;
    if (r->n_fields == r->cap_fields) {
        size_t cap = r->cap_fields ? r->cap_fields * 2 : 16;
        char **grown = realloc(r->fields, cap * sizeof *grown);
        if (!grown) {
            fail(r, SHADES_E_NOMEM, "out of memory");
            return;
        }
        r->fields = grown;
        r->cap_fields = cap;
    }
    char *s = malloc(len + 1);
    if (!s) {
        fail(r, SHADES_E_NOMEM, "out of memory");
        return;
    }
    if (len)
        memcpy(s, data, len);
    s[len] = '\0';
    if (memchr(s, '\0', len)) {
        free(s);
        fail(r, SHADES_E_INPUT, "field %zu: contains a NUL byte", r->n_fields + 1);
        return;
    }
    r->fields[r->n_fields++] = s;
}

static void clear_fields(reader *r)
{
    for (size_t i = 0; i < r->n_fields; i++)
        free(r->fields[i]);
    r->n_fields = 0;
}

static void take_header(reader *r)
{
    shades_manifest *m = r->m;
    for (int k = 0; k < REQUIRED; k++)
        r->col_index[k] = -1;
    for (size_t i = 0; i < r->n_fields; i++) {
        if (!r->fields[i][0]) {
            fail(r, SHADES_E_INPUT, "header: column %zu has no name", i + 1);
            return;
        }
        for (size_t j = 0; j < i; j++)
            if (strcmp(r->fields[i], r->fields[j]) == 0) {
                fail(r, SHADES_E_INPUT, "header: column '%s' appears twice", r->fields[i]);
                return;
            }
        for (int k = 0; k < REQUIRED; k++)
            if (strcmp(r->fields[i], required[k]) == 0)
                r->col_index[k] = (int)i;
    }
    for (int k = 0; k < REQUIRED; k++)
        if (r->col_index[k] < 0) {
            fail(r, SHADES_E_INPUT, "header: missing required column '%s'", required[k]);
            return;
        }
    r->n_cols = r->n_fields;
    r->header = r->fields;
    r->fields = NULL;
    r->cap_fields = r->n_fields = 0;
    m->n_attrs = r->n_cols - REQUIRED;
    m->attr_names = calloc(m->n_attrs ? m->n_attrs : 1, sizeof *m->attr_names);
    if (!m->attr_names) {
        fail(r, SHADES_E_NOMEM, "out of memory");
        return;
    }
    size_t a = 0;
    for (size_t i = 0; i < r->n_cols; i++) {
        int is_required = 0;
        for (int k = 0; k < REQUIRED; k++)
            is_required |= r->col_index[k] == (int)i;
        if (!is_required)
            m->attr_names[a++] = r->header[i];
    }
    r->header_done = 1;
}

static int grow_items(reader *r)
{
    shades_manifest *m = r->m;
    if (m->n_items < r->cap_items)
        return 0;
    size_t cap = r->cap_items ? r->cap_items * 2 : 256;
    char ***lists[] = {&m->image_id, &m->subject_id, &m->image_path};
    for (size_t i = 0; i < 3; i++) {
        char **grown = realloc(*lists[i], cap * sizeof **lists[i]);
        if (!grown)
            return -1;
        *lists[i] = grown;
    }
    char **vals = realloc(m->attr_values, cap * (m->n_attrs ? m->n_attrs : 1) * sizeof *vals);
    if (!vals)
        return -1;
    m->attr_values = vals;
    size_t *lines = realloc(m->line, cap * sizeof *lines);
    if (!lines)
        return -1;
    m->line = lines;
    r->cap_items = cap;
    return 0;
}

static void on_row(int terminator, void *ctx)
{
    (void)terminator;
    reader *r = ctx;
    if (r->failed) {
        clear_fields(r);
        return;
    }
    if (!r->header_done) {
        take_header(r);
        return;
    }
    if (r->n_fields != r->n_cols) {
        fail(r, SHADES_E_INPUT, "row has %zu fields, the header has %zu", r->n_fields, r->n_cols);
        clear_fields(r);
        return;
    }
    for (int k = 0; k < REQUIRED; k++)
        if (!r->fields[r->col_index[k]][0]) {
            fail(r, SHADES_E_INPUT, "field '%s': empty", required[k]);
            clear_fields(r);
            return;
        }
    if (grow_items(r)) {
        fail(r, SHADES_E_NOMEM, "out of memory");
        clear_fields(r);
        return;
    }
    shades_manifest *m = r->m;
    size_t i = m->n_items, a = 0;
    for (size_t c = 0; c < r->n_cols; c++) {
        char *v = r->fields[c];
        if ((int)c == r->col_index[0])
            m->image_id[i] = v;
        else if ((int)c == r->col_index[1])
            m->subject_id[i] = v;
        else if ((int)c == r->col_index[2])
            m->image_path[i] = v;
        else
            m->attr_values[i * m->n_attrs + a++] = v;
    }
    m->line[i] = r->row_line;
    m->n_items++;
    r->n_fields = 0;
}

/* Feeds data to libcsv one physical line at a time (LF, CRLF or lone CR),
 * so that callbacks know the line they are on. */
static int feed(reader *r, struct csv_parser *p, const char *buf, size_t len)
{
    size_t start = 0;
    while (start < len && !r->failed) {
        size_t end = start;
        while (end < len && buf[end] != '\n' && buf[end] != '\r')
            end++;
        if (end < len) {
            if (buf[end] == '\r' && end + 1 < len && buf[end + 1] == '\n')
                end++;
            end++;
        }
        r->line++;
        if (csv_parse(p, buf + start, end - start, on_field, on_row, r) != end - start) {
            if (r->n_fields == 0)
                r->row_line = r->line;
            return fail(r, SHADES_E_INPUT, "malformed CSV: %s",
                        csv_error(p) == CSV_EPARSE ? "stray quote in a field"
                                                   : csv_strerror(csv_error(p)));
        }
        start = end;
    }
    return r->failed ? (r->err ? r->err->code : SHADES_E_INPUT) : 0;
}

static const char *const *sort_keys;

static int cmp_by_key(const void *a, const void *b)
{
    size_t i = *(const size_t *)a, j = *(const size_t *)b;
    int c = strcmp(sort_keys[i], sort_keys[j]);
    return c ? c : (i > j) - (i < j);
}

/* Index order sorted by keys; ties keep file order. qsort has no context
 * argument, so this runs under the caller's single thread only. */
static size_t *sorted_order(const shades_manifest *m, char *const *keys)
{
    size_t *order = malloc((m->n_items ? m->n_items : 1) * sizeof *order);
    if (!order)
        return NULL;
    for (size_t i = 0; i < m->n_items; i++)
        order[i] = i;
    sort_keys = (const char *const *)keys;
    qsort(order, m->n_items, sizeof *order, cmp_by_key);
    return order;
}

static int index_items(shades_manifest *m, const char *path, shades_err *err)
{
    size_t *order = sorted_order(m, m->image_id);
    if (!order)
        return shades_err_nomem(err);
    for (size_t k = 1; k < m->n_items; k++) {
        size_t a = order[k - 1], b = order[k];
        if (strcmp(m->image_id[a], m->image_id[b]) == 0) {
            int rc = shades_err_set(err, SHADES_E_INPUT,
                                    "%s:%zu: field 'image_id': duplicate '%s' (first on line %zu)",
                                    path, m->line[b], m->image_id[b], m->line[a]);
            free(order);
            return rc;
        }
    }
    free(order);
    order = sorted_order(m, m->subject_id);
    m->subject = malloc(m->n_items * sizeof *m->subject);
    if (!order || !m->subject) {
        free(order);
        return shades_err_nomem(err);
    }
    /* Subjects are numbered in order of first appearance in the file, so
     * numbering does not depend on the spelling of ids. */
    uint32_t *first_seen = malloc(m->n_items * sizeof *first_seen);
    if (!first_seen) {
        free(order);
        return shades_err_nomem(err);
    }
    for (size_t k = 0; k < m->n_items; k++) {
        size_t i = order[k];
        int same = k > 0 && strcmp(m->subject_id[order[k - 1]], m->subject_id[i]) == 0;
        first_seen[i] = same ? first_seen[order[k - 1]] : (uint32_t)i;
    }
    uint32_t *number = malloc(m->n_items * sizeof *number);
    if (!number) {
        free(order);
        free(first_seen);
        return shades_err_nomem(err);
    }
    m->n_subjects = 0;
    for (size_t i = 0; i < m->n_items; i++) {
        if (first_seen[i] == i)
            number[i] = (uint32_t)m->n_subjects++;
        m->subject[i] = number[first_seen[i]];
    }
    free(number);
    free(first_seen);
    free(order);
    return 0;
}

int shades_manifest_load(shades_manifest **out, const char *path, shades_err *err)
{
    *out = NULL;
    FILE *f = fopen(path, "rb");
    if (!f)
        return shades_err_set(err, SHADES_E_INPUT, "%s: cannot open manifest: %s", path,
                              strerror(errno));
    shades_manifest *m = calloc(1, sizeof *m);
    char root[PATH_MAX];
    if (!m) {
        fclose(f);
        return shades_err_nomem(err);
    }
    int rc = shades_path_dirname(root, sizeof root, path, err);
    if (rc) {
        fclose(f);
        free(m);
        return rc;
    }
    m->path = strdup(path);
    m->root = strdup(root);
    reader r = {.m = m, .path = path, .err = err};
    struct csv_parser p;
    if (!m->path || !m->root || csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL)) {
        fclose(f);
        shades_manifest_destroy(m);
        return shades_err_nomem(err);
    }
    char buf[65536];
    size_t n, carry = 0;
    rc = 0;
    /* Chunks end at the last line break so no line is split between feeds. */
    while (!rc && (n = fread(buf + carry, 1, sizeof buf - carry, f)) > 0) {
        size_t len = carry + n, cut = len;
        while (cut > 0 && buf[cut - 1] != '\n' && buf[cut - 1] != '\r')
            cut--;
        if (cut == 0 && len == sizeof buf)
            cut = len; /* a line longer than the buffer: feed it anyway */
        if (cut > 0 && buf[cut - 1] == '\r' && cut == len && !feof(f))
            cut--; /* may be the CR of a CRLF split across reads */
        rc = feed(&r, &p, buf, cut);
        memmove(buf, buf + cut, len - cut);
        carry = len - cut;
    }
    if (!rc && ferror(f))
        rc = shades_err_set(err, SHADES_E_IO, "%s: read error", path);
    if (!rc && carry)
        rc = feed(&r, &p, buf, carry);
    fclose(f);
    if (!rc) {
        /* The row being finished started where its first field did. */
        if (r.n_fields == 0)
            r.row_line = r.line;
        if (csv_fini(&p, on_field, on_row, &r) != 0)
            rc = fail(&r, SHADES_E_INPUT, "malformed CSV: %s",
                      csv_error(&p) == CSV_EPARSE ? "quoted field never closed"
                                                  : csv_strerror(csv_error(&p)));
        else if (r.failed)
            rc = err ? err->code : SHADES_E_INPUT;
    }
    csv_free(&p);
    clear_fields(&r);
    free(r.fields);
    if (!rc && !r.header_done)
        rc = shades_err_set(err, SHADES_E_INPUT, "%s:1: empty file, expected a header row", path);
    if (!rc && m->n_items == 0)
        rc = shades_err_set(err, SHADES_E_INPUT, "%s: no rows after the header", path);
    if (!rc)
        rc = index_items(m, path, err);
    /* The header's required-column names are not kept; attribute names are. */
    if (r.header) {
        for (size_t i = 0; i < r.n_cols; i++) {
            int keep = 0;
            for (size_t a = 0; a < m->n_attrs && m->attr_names; a++)
                keep |= m->attr_names[a] == r.header[i];
            if (!keep)
                free(r.header[i]);
        }
        free(r.header);
    }
    if (rc) {
        shades_manifest_destroy(m);
        return rc;
    }
    *out = m;
    return 0;
}

void shades_manifest_destroy(shades_manifest *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->n_items; i++) {
        free(m->image_id[i]);
        free(m->subject_id[i]);
        free(m->image_path[i]);
        for (size_t a = 0; a < m->n_attrs; a++)
            free(m->attr_values[i * m->n_attrs + a]);
    }
    if (m->attr_names)
        for (size_t a = 0; a < m->n_attrs; a++)
            free(m->attr_names[a]);
    free(m->attr_names);
    free(m->image_id);
    free(m->subject_id);
    free(m->image_path);
    free(m->attr_values);
    free(m->line);
    free(m->subject);
    free(m->path);
    free(m->root);
    free(m);
}

int shades_manifest_attr(const shades_manifest *m, const char *name)
{
    for (size_t a = 0; a < m->n_attrs; a++)
        if (strcmp(m->attr_names[a], name) == 0)
            return (int)a;
    return -1;
}

const char *shades_manifest_value(const shades_manifest *m, size_t i, int attr)
{
    return m->attr_values[i * m->n_attrs + (size_t)attr];
}
