/* A small table model shared by the report formats: filled once, then
 * printed as aligned text, Markdown or HTML. A table holds only printable
 * text: its title, cells and note pass through sh_utf8_printable_dup, so a
 * string read from a results file (a run's or a group's name) can neither
 * break a table's lines nor drive the terminal a text report is read in. */
#ifndef SH_RESULTS_REPORT_REPORT_TABLE_H
#define SH_RESULTS_REPORT_REPORT_TABLE_H

#include <stddef.h>
#include <stdio.h>

/* A titled table of text cells. Owns every string; not thread-safe. */
typedef struct sh_table {
    char *title;
    size_t n_cols;
    char **head;      /* n_cols headings */
    char *align;      /* n_cols of 'l' or 'r' */
    size_t n_rows, cap;
    char **cells;     /* row-major, n_rows * n_cols once complete */
    size_t n_cells;
    size_t n_key;     /* leading columns repeated in each text block; 1 by default */
    char *note;       /* printed under the table, or NULL */
    int nomem;        /* an allocation failed; printing reports it */
} sh_table;

/* Creates a table whose headings are given as one string with the columns
 * separated by '|' (a backslash takes the byte after it as text: see
 * sh_table_heads_add), and align as one character per column. NULL on
 * allocation failure. */
sh_table *sh_table_create(const char *title, const char *heads, const char *align);

/* Appends '|' and name (a group's or a run's, which may hold '|') escaped
 * to heads, a string of `size` bytes for sh_table_create; cut to fit. */
void sh_table_heads_add(char *heads, size_t size, const char *name);

/* Appends one cell, filling rows left to right. */
void sh_table_cellf(sh_table *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Sets the note under the table (replacing any). */
void sh_table_note(sh_table *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Adds a sentence to the note under the table, after any there is. */
void sh_table_note_add(sh_table *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A table without rows prints as its title and note alone (the note says
 * why it is empty), in every format. */

/* Prints t as text within `width` columns: columns that do not fit go to
 * further blocks, each repeating the key columns, and a single column too
 * wide for the rest wraps its text. Returns -1 if t is incomplete after a
 * failed allocation. Lines carry no trailing blanks; the note wraps. */
int sh_table_print_text(FILE *out, const sh_table *t, size_t width);

/* Prints prefix, then text (printable already: a table's or the summary
 * panel's) wrapped at blanks within `width` columns, further lines
 * indented by `indent` blanks, and a newline. */
void sh_text_wrap(FILE *out, const char *prefix, const char *text, size_t indent, size_t width);

/* Prints t as a GitHub-flavoured Markdown table with its title as a
 * heading of the given level. */
int sh_table_print_markdown(FILE *out, const sh_table *t, int level);

/* Prints t as an HTML table with its title as the caption, inside a
 * <div class="table"> (which the report's style scrolls sideways). */
int sh_table_print_html(FILE *out, const sh_table *t);

/* Writes s for Markdown: '|' and '\\' escaped (a table cell ends at its
 * own '|' only), a '<' or '&' that would start an HTML tag or entity as
 * HTML's entity, and "](" broken, so a name can hold neither HTML nor a
 * link for a renderer to act on. s is printable text already
 * (sh_utf8_printable_dup). */
void sh_md_escape(FILE *out, const char *s);

/* Writes text as sh_utf8_printable_dup shows it, with HTML's five special
 * characters escaped. */
void sh_html_escape(FILE *out, const char *text);

/* Frees t; NULL is allowed. */
void sh_table_destroy(sh_table *t);

#endif
