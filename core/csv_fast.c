#include "csv_fast.h"

#include <string.h>

#include "text_blocks.h"

static int is_blank(char c)
{
    return c == ' ' || c == '\t';
}

/* Moves *pos past the line ending at text[*pos], if any. */
static void end_line(const char *text, size_t len, size_t *pos)
{
    size_t p = *pos;
    if (p < len && text[p] == '\r') {
        p++;
        if (p < len && text[p] == '\n')
            p++;
    } else if (p < len && text[p] == '\n') {
        p++;
    }
    *pos = p;
}

int sh_csv_split(char *text, size_t len, size_t *pos, char **fields, size_t *lens,
                 size_t max, size_t *n_fields, sh_err *err)
{
    size_t p = *pos, n = 0;
    int any = 0;           /* a quote or a delimiter: not a blank line */
    for (;;) {
        while (p < len && is_blank(text[p]))
            p++;
        char *start = text + p, *out = start;
        int quoted = p < len && text[p] == '"';
        if (quoted) {
            any = 1;
            p++;
            for (;;) {
                if (p >= len || text[p] == '\n' || text[p] == '\r') {
                    *pos = p;
                    return sh_err_set(err, SH_E_INPUT, "malformed CSV: quoted field never closed");
                }
                if (text[p] == '\0') {
                    *pos = p;
                    return sh_err_set(err, SH_E_INPUT, "field %zu: contains a NUL byte", n + 1);
                }
                if (text[p] == '"') {
                    if (p + 1 < len && text[p + 1] == '"') {
                        *out++ = '"';
                        p += 2;
                        continue;
                    }
                    p++;
                    break;
                }
                *out++ = text[p++];
            }
            while (p < len && is_blank(text[p]))
                p++;
            if (p < len && text[p] != ',' && text[p] != '\n' && text[p] != '\r') {
                *pos = p;
                return sh_err_set(err, SH_E_INPUT, "malformed CSV: stray quote in a field");
            }
        } else {
            char *last = start;     /* just past the last non-blank */
            for (; p < len; p++) {
                char c = text[p];
                if (c == ',' || c == '\n' || c == '\r')
                    break;
                if (c == '"') {
                    *pos = p;
                    return sh_err_set(err, SH_E_INPUT, "malformed CSV: stray quote in a field");
                }
                if (c == '\0') {
                    *pos = p;
                    return sh_err_set(err, SH_E_INPUT, "field %zu: contains a NUL byte", n + 1);
                }
                if (!is_blank(c))
                    last = text + p + 1;
            }
            out = last;
            any |= out > start;
        }
        int more = p < len && text[p] == ',';
        any |= more;
        if (n < max) {
            fields[n] = start;
            if (lens)
                lens[n] = (size_t)(out - start);
        }
        n++;
        if (!more) {
            /* The NUL may overwrite the line ending, once it is passed. */
            end_line(text, len, &p);
            *out = '\0';
            break;
        }
        p++;
        *out = '\0';
    }
    *pos = p;
    *n_fields = any ? n : 0;
    return 0;
}

void sh_csv_skip_bom(const char *text, size_t len, size_t *pos)
{
    if (len - *pos >= 3 && !memcmp(text + *pos, SH_UTF8_BOM, 3))
        *pos += 3;
}

/* One line's splitter: sh_csv_split's contract. */
typedef int (*split_fn)(char *text, size_t len, size_t *pos, char **fields, size_t *lens,
                        size_t max, size_t *n_fields, sh_err *err);

int sh_words_split(char *text, size_t len, size_t *pos, char **fields, size_t *lens,
                   size_t max, size_t *n_fields, sh_err *err)
{
    size_t p = *pos, end = p, words = 1;
    while (end < len && text[end] != '\n' && text[end] != '\r') {
        words += text[end] == ' ';
        if (!text[end])
            return sh_err_set(err, SH_E_INPUT, "field %zu: contains a NUL byte", words);
        end++;
    }
    size_t next = end < len && text[end] == '\r' && end + 1 < len && text[end + 1] == '\n'
                      ? end + 2
                      : end < len ? end + 1 : end;
    size_t n = 0;
    int blank = 1;
    for (size_t i = p; i < end; i++)
        blank &= text[i] == ' ' || text[i] == '\t';
    while (!blank) {
        size_t w = p;
        while (w < end && text[w] != ' ')
            w++;
        if (n < max) {
            fields[n] = text + p;
            if (lens)
                lens[n] = w - p;
        }
        n++;
        text[w] = '\0'; /* text[len] is writable, so the last word ends too */
        if (w >= end)
            break;
        p = w + 1;
    }
    *pos = next;
    *n_fields = n;
    return 0;
}

static int read_lines(const char *path, const char *what, split_fn split, sh_csv_row_fn row,
                      void *ctx, sh_err *err)
{
    sh_text_blocks *in;
    int rc = sh_text_open(&in, path, what, err);
    if (rc)
        return rc;
    char *fields[SH_CSV_FAST_MAX_FIELDS];
    size_t line = 0;
    int first = 1, header = split == sh_csv_split; /* a CSV file's first row names columns */
    for (;;) {
        char *text;
        size_t len, pos = 0;
        rc = sh_text_next(in, &text, &len, err);
        if (rc || !len)
            break;
        if (first)
            sh_csv_skip_bom(text, len, &pos);
        first = 0;
        while (!rc && pos < len) {
            size_t n;
            sh_err why = {0};
            line++;
            rc = split(text, len, &pos, fields, NULL, SH_CSV_FAST_MAX_FIELDS, &n, &why);
            if (!rc && n > SH_CSV_FAST_MAX_FIELDS)
                rc = sh_err_set(&why, SH_E_INPUT, "row has %zu fields, more than %d", n,
                                SH_CSV_FAST_MAX_FIELDS);
            if (!rc && n && header) {
                header = 0;
                rc = sh_csv_header_check(fields, n, &why);
            }
            if (!rc && n)
                rc = row(ctx, fields, n, line, &why);
            if (rc)
                rc = sh_err_set(err, rc, "%s:%zu: %s", path, line, why.msg);
        }
        if (rc)
            break;
    }
    sh_text_close(in);
    return rc;
}

int sh_csv_read_fast(const char *path, const char *what, sh_csv_row_fn row, void *ctx,
                     sh_err *err)
{
    return read_lines(path, what, sh_csv_split, row, ctx, err);
}

int sh_words_read_fast(const char *path, const char *what, sh_csv_row_fn row, void *ctx,
                       sh_err *err)
{
    return read_lines(path, what, sh_words_split, row, ctx, err);
}
