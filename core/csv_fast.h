/* A fast CSV reader for large machine-written files (scores, predictions):
 * lines split in place with no allocation per row, read through
 * text_blocks.h, so gzip and zstd files read as plain ones. The same
 * records as csv_rows.h (RFC 4180, strict) except that a quoted field may
 * not span lines. */
#ifndef SH_CORE_CSV_FAST_H
#define SH_CORE_CSV_FAST_H

#include <stddef.h>

#include "csv_rows.h"
#include "error.h"

/* The widest record sh_csv_read_fast passes on. */
#define SH_CSV_FAST_MAX_FIELDS 1024

/* Splits the line at text[*pos] (text[0..len) holds whole lines, and
 * text[len] is writable) in place:
 * fields[0..min(*n_fields, max)) point into text, NUL-terminated, their
 * lengths in lens[] (NULL: not wanted),
 * unquoted fields trimmed of spaces and tabs, quoted ones unescaped; a
 * line of nothing but blanks has 0 fields. Moves *pos past the line and
 * its ending (LF, CRLF or CR). Returns 0, or SH_E_INPUT with err set to
 * the reason alone ("malformed CSV: ...", "field 2: contains a NUL byte").
 * [thread: any, on its own text] */
int sh_csv_split(char *text, size_t len, size_t *pos, char **fields, size_t *lens,
                 size_t max, size_t *n_fields, sh_err *err);

/* Skips a UTF-8 byte-order mark at text[*pos]. */
void sh_csv_skip_bom(const char *text, size_t len, size_t *pos);

/* sh_csv_read over a plain, gzip or zstd file: row is called for each
 * record with the line it is on, blank lines skipped; its fields are the
 * reader's and may not be kept. Messages as sh_csv_read's. */
int sh_csv_read_fast(const char *path, const char *what, sh_csv_row_fn row, void *ctx,
                     sh_err *err);

/* As sh_csv_split for a line of words separated by single spaces, as
 * NIST's logs write them: no quoting, two spaces around an empty word,
 * fields untrimmed; a line of nothing but blanks has 0 fields. A NUL byte
 * fails, naming its word (from 1), as in sh_csv_split. */
int sh_words_split(char *text, size_t len, size_t *pos, char **fields, size_t *lens,
                   size_t max, size_t *n_fields, sh_err *err);

/* sh_csv_read_fast for lines of space-separated words (sh_words_split). */
int sh_words_read_fast(const char *path, const char *what, sh_csv_row_fn row, void *ctx,
                       sh_err *err);

#endif
