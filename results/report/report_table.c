#include "report_table.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

sh_table *sh_table_create(const char *title, const char *heads, const char *align)
{
    sh_table *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->n_cols = strlen(align);
    t->n_key = 1;
    t->title = sh_utf8_printable_dup(title);
    t->align = strdup(align);
    t->head = calloc(t->n_cols, sizeof *t->head);
    char *one = malloc(strlen(heads) + 1);
    if (!t->title || !t->align || !t->head || !one) {
        free(one);
        sh_table_destroy(t);
        return NULL;
    }
    /* Column by column: '|' ends one, '\' takes the next byte as it is
     * (sh_table_heads_add). */
    const char *p = heads;
    for (size_t i = 0; i < t->n_cols; i++) {
        size_t n = 0;
        for (; *p && *p != '|'; p++)
            one[n++] = *p == '\\' && p[1] ? *++p : *p;
        one[n] = '\0';
        p += *p == '|';
        if (!(t->head[i] = sh_utf8_printable_dup(one)))
            t->nomem = 1;
    }
    free(one);
    return t;
}

void sh_table_heads_add(char *heads, size_t size, const char *name)
{
    size_t used = strlen(heads);
    if (used + 1 < size)
        heads[used++] = '|';
    for (; *name && used + 2 < size; name++) {
        if (*name == '|' || *name == '\\')
            heads[used++] = '\\';
        heads[used++] = *name;
    }
    heads[used] = '\0';
}

/* The text of fmt, as printable text (sh_utf8_printable_dup), or NULL. */
static char *vformat(const char *fmt, va_list ap)
{
    char *s = NULL;
    if (vasprintf(&s, fmt, ap) < 0)
        return NULL;
    char *shown = sh_utf8_printable_dup(s);
    free(s);
    return shown;
}

void sh_table_cellf(sh_table *t, const char *fmt, ...)
{
    if (!t || t->nomem)
        return;
    if (t->n_cells == t->cap) {
        size_t cap = t->cap ? 2 * t->cap : 64;
        char **grown = realloc(t->cells, cap * sizeof *grown);
        if (!grown) {
            t->nomem = 1;
            return;
        }
        t->cells = grown;
        t->cap = cap;
    }
    va_list ap;
    va_start(ap, fmt);
    char *s = vformat(fmt, ap);
    va_end(ap);
    if (!s) {
        t->nomem = 1;
        return;
    }
    t->cells[t->n_cells++] = s;
    t->n_rows = t->n_cells / t->n_cols;
}

void sh_table_note(sh_table *t, const char *fmt, ...)
{
    if (!t)
        return;
    va_list ap;
    va_start(ap, fmt);
    char *s = vformat(fmt, ap);
    va_end(ap);
    free(t->note);
    t->note = s;
    if (!s)
        t->nomem = 1;
}

void sh_table_note_add(sh_table *t, const char *fmt, ...)
{
    if (!t)
        return;
    va_list ap;
    va_start(ap, fmt);
    char *s = vformat(fmt, ap), *joined = NULL;
    va_end(ap);
    if (s && t->note && asprintf(&joined, "%s %s", t->note, s) < 0)
        joined = NULL;
    else if (s && !t->note)
        joined = s, s = NULL;
    free(s);
    free(t->note);
    t->note = joined;
    if (!joined)
        t->nomem = 1;
}

static int complete(const sh_table *t)
{
    return t && !t->nomem && t->n_cells == t->n_rows * t->n_cols;
}

/* Display width of a UTF-8 string: continuation bytes take no column. */
static size_t display_width(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

static void pad_cell(FILE *out, const char *s, size_t width, char align)
{
    size_t w = display_width(s), pad = width > w ? width - w : 0;
    if (align == 'r')
        fprintf(out, "%*s%s", (int)pad, "", s);
    else
        fprintf(out, "%s%*s", s, (int)pad, "");
}

/* Bytes of s that fit in `width` columns, cut after the last blank that
 * fits (or at the width when there is none). */
static size_t fit(const char *s, size_t width)
{
    size_t cols = 0, i = 0, cut = 0;
    for (; s[i]; i++) {
        if (((unsigned char)s[i] & 0xC0) != 0x80 && cols++ == width)
            break;
        if (s[i] == ' ')
            cut = i + 1;
    }
    return !s[i] ? i : cut ? cut : i;
}

/* One line of a block: the cells of the columns in idx, or a rule; the
 * line is built in buf so trailing blanks can be cut. A last cell wider
 * than its column is wrapped onto further lines, under itself. */
static void text_line(FILE *out, char *buf, size_t cap, const sh_table *t, const size_t *w,
                      const size_t *idx, size_t n_idx, const char *const *cells)
{
    const char *rest = NULL;
    size_t indent = 0;
    FILE *line = fmemopen(buf, cap, "w");
    if (!line)
        return;
    for (size_t k = 0; k < n_idx; k++) {
        size_t c = idx[k];
        if (k)
            fputs("  ", line);
        if (!cells) {
            for (size_t i = 0; i < w[c]; i++)
                fputc('-', line);
        } else if (k + 1 == n_idx && display_width(cells[c]) > w[c]) {
            size_t n = fit(cells[c], w[c]);
            fprintf(line, "%.*s", (int)n, cells[c]);
            rest = cells[c] + n;
        } else {
            pad_cell(line, cells[c], w[c], t->align[c]);
        }
        if (k + 1 < n_idx)
            indent += w[c] + 2;
    }
    fclose(line);
    size_t n = strlen(buf);
    while (n && buf[n - 1] == ' ')
        n--;
    fprintf(out, "%.*s\n", (int)n, buf);
    while (rest && *rest) {
        size_t k = fit(rest, w[idx[n_idx - 1]]), shown = k;
        while (shown && rest[shown - 1] == ' ')
            shown--;
        fprintf(out, "%*s%.*s\n", (int)indent, "", (int)shown, rest);
        rest += k;
    }
}

void sh_text_wrap(FILE *out, const char *prefix, const char *text, size_t indent, size_t width)
{
    fputs(prefix, out);
    const char *nl = strrchr(prefix, '\n');
    size_t col = display_width(nl ? nl + 1 : prefix);
    for (int first = 1; *text; first = 0) {
        while (*text == ' ')
            text++;
        size_t word = strcspn(text, " ");
        if (!word)
            break;
        char *w = strndup(text, word);
        size_t cols = w ? display_width(w) : word;
        free(w);
        if (!first && col + 1 + cols > width) {
            fprintf(out, "\n%*s", (int)indent, "");
            col = indent;
        } else if (!first) {
            fputc(' ', out);
            col++;
        }
        fprintf(out, "%.*s", (int)word, text);
        col += cols;
        text += word;
    }
    fputc('\n', out);
}

int sh_table_print_text(FILE *out, const sh_table *t, size_t width)
{
    if (!complete(t))
        return -1;
    size_t *w = calloc(t->n_cols, sizeof *w);
    size_t *idx = calloc(t->n_cols, sizeof *idx);
    size_t cap = 1;
    for (size_t c = 0; w && c < t->n_cols; c++) {
        w[c] = display_width(t->head[c]);
        for (size_t r = 0; r < t->n_rows; r++) {
            const char *s = t->cells[r * t->n_cols + c];
            size_t x = display_width(s);
            w[c] = x > w[c] ? x : w[c];
        }
        cap += 4 * w[c] + 2; /* a UTF-8 character takes up to four bytes */
    }
    char *buf = malloc(cap);
    if (!w || !idx || !buf) {
        free(w);
        free(idx);
        free(buf);
        return -1;
    }
    size_t keys = t->n_key < t->n_cols ? t->n_key : t->n_cols;
    /* A long title (an identification target's, with its gallery) wraps
     * too, under itself. */
    sh_text_wrap(out, "\n", t->title, 2, width);
    size_t next = keys;
    while (t->n_rows) {
        /* A block: the key columns, then as many further columns as fit. */
        size_t n_idx = 0, used = 0;
        for (; n_idx < keys; n_idx++) {
            idx[n_idx] = n_idx;
            used += w[n_idx] + (n_idx ? 2 : 0);
        }
        if (next > keys)
            fputc('\n', out); /* a continuation block */
        while (next < t->n_cols && (n_idx == keys || used + 2 + w[next] <= width)) {
            used += 2 + w[next];
            idx[n_idx++] = next++;
        }
        /* A column too wide even alone is narrowed; its cells wrap. */
        size_t last = idx[n_idx - 1];
        if (used > width && n_idx > keys && used - w[last] + 20 <= width)
            w[last] -= used - width;
        text_line(out, buf, cap, t, w, idx, n_idx, (const char *const *)t->head);
        text_line(out, buf, cap, t, w, idx, n_idx, NULL);
        for (size_t r = 0; r < t->n_rows; r++)
            text_line(out, buf, cap, t, w, idx, n_idx,
                      (const char *const *)t->cells + r * t->n_cols);
        if (next >= t->n_cols)
            break;
    }
    if (t->note)
        sh_text_wrap(out, "", t->note, 0, width);
    free(w);
    free(idx);
    free(buf);
    return 0;
}

/* Whether c after a '<' makes it an HTML tag, comment or instruction. */
static int tag_start(char c)
{
    return isalpha((unsigned char)c) || c == '/' || c == '!' || c == '?';
}

void sh_md_escape(FILE *out, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        /* Not a cell's end, and not an escape of the '|' that is one. */
        case '|': fputs("\\|", out); break;
        case '\\': fputs("\\\\", out); break;
        /* No HTML tag or entity, which a renderer that passes HTML through
         * would act on; "<= 1.5" and "A & B" stay as they read. */
        case '<': fputs(tag_start(s[1]) ? "&lt;" : "<", out); break;
        case '&': fputs(isalnum((unsigned char)s[1]) || s[1] == '#' ? "&amp;" : "&", out); break;
        /* No link: "](" starts one's target. */
        case ']': fputs(s[1] == '(' ? "]\\" : "]", out); break;
        default: fputc(*s, out);
        }
    }
}

/* A Markdown cell. */
static void md_cell(FILE *out, const char *s)
{
    fputs("| ", out);
    sh_md_escape(out, s);
    fputc(' ', out);
}

/* Whether a cell is a group's label indented under its partition. */
static int indented(const char *s)
{
    return s[0] == ' ' && s[1] == ' ' && s[2] && s[2] != ' ';
}

/* Whether row r is a partition's name over its indented groups: the
 * first cell alone filled, and the next row's label indented. */
static int partition_row(const sh_table *t, size_t r)
{
    const char *const *row = (const char *const *)t->cells + r * t->n_cols;
    int heading = row[0][0] && row[0][0] != ' ' && r + 1 < t->n_rows &&
                  indented(t->cells[(r + 1) * t->n_cols]);
    for (size_t c = 1; heading && c < t->n_cols; c++)
        heading = !row[c][0];
    return heading;
}

int sh_table_print_markdown(FILE *out, const sh_table *t, int level)
{
    if (!complete(t))
        return -1;
    fprintf(out, "\n%.*s ", level, "######");
    sh_md_escape(out, t->title);
    fputs("\n\n", out);
    if (!t->n_rows) {
        if (t->note) {
            sh_md_escape(out, t->note);
            fputc('\n', out);
        }
        return 0;
    }
    for (size_t c = 0; c < t->n_cols; c++)
        md_cell(out, t->head[c]);
    fputs("|\n", out);
    for (size_t c = 0; c < t->n_cols; c++)
        fputs(t->align[c] == 'r' ? "|---:" : "|:---", out);
    fputs("|\n", out);
    for (size_t r = 0; r < t->n_rows; r++) {
        const char *const *row = (const char *const *)t->cells + r * t->n_cols;
        /* Renderers strip a cell's leading blanks, so the text's layout of
         * a partition over its indented groups is said in Markdown's terms:
         * the partition's row bold, the groups indented by no-break spaces. */
        int heading = partition_row(t, r);
        for (size_t c = 0; c < t->n_cols; c++) {
            if (c == 0 && heading) {
                fputs("| **", out);
                sh_md_escape(out, row[c]);
                fputs("** ", out);
            } else if (c == 0 && indented(row[c])) {
                fputs("| &nbsp;&nbsp;", out);
                sh_md_escape(out, row[c] + 2);
                fputc(' ', out);
            } else
                md_cell(out, row[c]);
        }
        fputs("|\n", out);
    }
    if (t->note) {
        fputc('\n', out);
        sh_md_escape(out, t->note);
        fputc('\n', out);
    }
    return 0;
}

void sh_html_escape(FILE *out, const char *text)
{
    char *shown = sh_utf8_printable_dup(text);
    for (const char *s = shown ? shown : ""; *s; s++) {
        switch (*s) {
        case '<': fputs("&lt;", out); break;
        case '>': fputs("&gt;", out); break;
        case '&': fputs("&amp;", out); break;
        case '"': fputs("&quot;", out); break;
        case '\'': fputs("&#39;", out); break;
        default: fputc(*s, out);
        }
    }
    free(shown);
}

int sh_table_print_html(FILE *out, const sh_table *t)
{
    if (!complete(t))
        return -1;
    if (!t->n_rows) {
        fputs("<p class=\"empty\"><strong>", out);
        sh_html_escape(out, t->title);
        fputs("</strong>", out);
        if (t->note) {
            fputs(": ", out);
            sh_html_escape(out, t->note);
        }
        fputs("</p>\n", out);
        return 0;
    }
    /* In its own box, which scrolls sideways when the table is wider
     * than the page (report_html.c's style). */
    fputs("<div class=\"table\"><table>\n<caption>", out);
    sh_html_escape(out, t->title);
    fputs("</caption>\n<thead><tr>", out);
    for (size_t c = 0; c < t->n_cols; c++) {
        fputs(t->align[c] == 'r' ? "<th class=\"num\">" : "<th>", out);
        sh_html_escape(out, t->head[c]);
        fputs("</th>", out);
    }
    fputs("</tr></thead>\n<tbody>\n", out);
    for (size_t r = 0; r < t->n_rows; r++) {
        const char *const *row = (const char *const *)t->cells + r * t->n_cols;
        /* A partition over its indented groups: HTML collapses the blanks,
         * so the partition's row is marked and the groups' cells padded. */
        int heading = partition_row(t, r);
        fputs(heading ? "<tr class=\"part\">" : "<tr>", out);
        for (size_t c = 0; c < t->n_cols; c++) {
            if (c == 0 && indented(row[c])) {
                fputs("<td class=\"group\">", out);
                sh_html_escape(out, row[c] + 2);
            } else {
                fputs(t->align[c] == 'r' ? "<td class=\"num\">" : "<td>", out);
                sh_html_escape(out, row[c]);
            }
            fputs("</td>", out);
        }
        fputs("</tr>\n", out);
    }
    fputs("</tbody>\n</table></div>\n", out);
    if (t->note) {
        fputs("<p class=\"note\">", out);
        sh_html_escape(out, t->note);
        fputs("</p>\n", out);
    }
    return 0;
}

void sh_table_destroy(sh_table *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->n_cells; i++)
        free(t->cells[i]);
    for (size_t c = 0; t->head && c < t->n_cols; c++)
        free(t->head[c]);
    free(t->cells);
    free(t->head);
    free(t->align);
    free(t->title);
    free(t->note);
    free(t);
}
