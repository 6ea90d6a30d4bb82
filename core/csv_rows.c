#include "csv_rows.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <csv.h>

#include "file_read.h"
#include "utf8.h"

/* Parser state shared with libcsv's callbacks. */
typedef struct reader {
    const char *path;
    sh_csv_row_fn row;
    void *ctx;
    sh_err *err;
    int failed;
    size_t line;           /* line being fed to libcsv */
    size_t row_line;       /* line on which the current record started */
    size_t open_line;      /* line on which libcsv last began a record */
    char **fields;
    size_t n_fields, cap_fields;
    char **head;           /* the header row's fields, copied, naming columns in messages */
    size_t n_head;
    int past_head;         /* the header row has been read */
} reader;

static int fail_at(reader *r, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int fail_at(reader *r, int code, const char *fmt, ...)
{
    if (r->failed)
        return code;
    char why[SH_ERR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    r->failed = 1;
    return sh_err_set(r->err, code, "%s:%zu: %s", r->path, r->row_line, why);
}

static void clear_fields(reader *r)
{
    for (size_t i = 0; i < r->n_fields; i++)
        free(r->fields[i]);
    r->n_fields = 0;
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
            fail_at(r, SH_E_NOMEM, "out of memory");
            return;
        }
        r->fields = grown;
        r->cap_fields = cap;
    }
    size_t col = r->n_fields, ok = len ? sh_utf8_prefix(data, len) : 0;
    const char *name = col < r->n_head && r->head[col] ? r->head[col] : NULL;
    char where[96];
    if (name)
        snprintf(where, sizeof where, "field '%.64s'", name);
    else
        snprintf(where, sizeof where, "%sfield %zu", r->past_head ? "" : "header: ", col + 1);
    if (len && memchr(data, '\0', len)) {
        fail_at(r, SH_E_INPUT, "%s: contains a NUL byte", where);
        return;
    }
    /* Ids and labels go into results files and reports that declare their
     * strings UTF-8. */
    if (ok < len) {
        fail_at(r, SH_E_INPUT, "%s: byte 0x%02x is not UTF-8 (save the file as UTF-8)", where,
                ((const unsigned char *)data)[ok]);
        return;
    }
    char *s = malloc(len + 1);
    if (!s) {
        fail_at(r, SH_E_NOMEM, "out of memory");
        return;
    }
    if (len)
        memcpy(s, data, len);
    s[len] = '\0';
    r->fields[r->n_fields++] = s;
}

static void on_row(int terminator, void *ctx)
{
    (void)terminator;
    reader *r = ctx;
    if (!r->failed && !r->past_head) {
        r->past_head = 1;
        r->head = calloc(r->n_fields ? r->n_fields : 1, sizeof *r->head);
        for (size_t i = 0; r->head && i < r->n_fields; i++)
            r->head[i] = strdup(r->fields[i]); /* NULL, out of memory: a column number */
        r->n_head = r->head ? r->n_fields : 0;
        sh_err why = {0};
        if (sh_csv_header_check(r->fields, r->n_fields, &why))
            fail_at(r, SH_E_INPUT, "%s", why.msg);
    }
    if (!r->failed) {
        sh_err why = {0};
        int rc = r->row(r->ctx, r->fields, r->n_fields, r->row_line, &why);
        if (rc < 0)
            fail_at(r, rc, "%s", why.msg);
    }
    clear_fields(r);
}

/* Feeds libcsv one physical line at a time (LF, CRLF or lone CR), so the
 * callbacks know the line they are on. */
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
        /* libcsv's parser state 0 (ROW_NOT_BEGUN in libcsv.c) is between
         * records: the next begins on this line, and a quote opened there
         * that never closes is reported here, not at the file's end. */
        if (p->pstate == 0)
            r->open_line = r->line;
        if (csv_parse(p, buf + start, end - start, on_field, on_row, r) != end - start) {
            if (r->n_fields == 0)
                r->row_line = r->line;
            return fail_at(r, SH_E_INPUT, "malformed CSV: %s",
                           csv_error(p) == CSV_EPARSE ? "stray quote in a field"
                                                      : csv_strerror(csv_error(p)));
        }
        start = end;
    }
    return r->failed ? (r->err ? r->err->code : SH_E_INPUT) : 0;
}

int sh_csv_read(const char *path, const char *what, sh_csv_row_fn row, void *ctx,
                    sh_err *err)
{
    FILE *f = sh_file_open_read(path);
    if (!f)
        return sh_err_set(err, SH_E_INPUT, "%s: cannot open %s: %s", path, what,
                              strerror(errno));
    reader r = {.path = path, .row = row, .ctx = ctx, .err = err};
    struct csv_parser p;
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL)) {
        fclose(f);
        return sh_err_nomem(err);
    }
    char buf[65536];
    size_t n, carry = 0;
    int rc = 0, first = 1;
    /* Chunks end at the last line break so no line is split between feeds. */
    while (!rc && (n = fread(buf + carry, 1, sizeof buf - carry, f)) > 0) {
        size_t len = carry + n, cut = len;
        if (first && len >= 3 && !memcmp(buf, SH_UTF8_BOM, 3)) {
            memmove(buf, buf + 3, len - 3); /* a spreadsheet's byte-order mark */
            len -= 3;
            cut = len;
        }
        first = 0;
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
        rc = sh_err_set(err, SH_E_IO, "%s: read error", path);
    if (!rc && carry)
        rc = feed(&r, &p, buf, carry);
    fclose(f);
    if (!rc) {
        /* The record being finished started where its first field did, or,
         * where no field ended (a quote never closed), where it began. */
        if (r.n_fields == 0)
            r.row_line = r.open_line ? r.open_line : r.line;
        if (csv_fini(&p, on_field, on_row, &r) != 0)
            rc = fail_at(&r, SH_E_INPUT, "malformed CSV: %s",
                         csv_error(&p) == CSV_EPARSE ? "quoted field never closed"
                                                     : csv_strerror(csv_error(&p)));
        else if (r.failed)
            rc = err ? err->code : SH_E_INPUT;
    }
    csv_free(&p);
    clear_fields(&r);
    free(r.fields);
    for (size_t i = 0; i < r.n_head; i++)
        free(r.head[i]);
    free(r.head);
    return rc;
}

int sh_csv_header_check(char *const *header, size_t n, sh_err *err)
{
    for (size_t i = 0; i < n; i++)
        if (header[i] && header[i][0] && sh_csv_column(header, i, header[i]) >= 0)
            return sh_err_set(err, SH_E_INPUT, "header: column '%s' appears twice", header[i]);
    return 0;
}

int sh_csv_column(char *const *header, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (header[i] && strcmp(header[i], name) == 0)
            return (int)i;
    return -1;
}

const char *sh_csv_separator_hint(char *const *header, size_t n)
{
    if (n != 1 || !header[0])
        return "";
    if (strchr(header[0], '\t'))
        return "; the file is read as comma-separated, and its header is one field with tabs";
    if (strchr(header[0], ';'))
        return "; the file is read as comma-separated, and its header is one field with "
               "semicolons";
    return "";
}
