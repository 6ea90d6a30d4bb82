/* Reads a delimited text file record by record with libcsv, telling the
 * caller the line each record starts on, so every message can name it. */
#ifndef SH_CORE_CSV_ROWS_H
#define SH_CORE_CSV_ROWS_H

#include <stddef.h>

#include "error.h"

/* Called once per record, the header row included (it is simply the first).
 * fields[0..n_fields) are NUL-terminated and owned by the reader; the
 * callback may keep one by taking the pointer and setting the slot to NULL.
 * Returns 0 to go on, or a negative code with err set to the reason only:
 * the reader prefixes "path:line: ". */
typedef int (*sh_csv_row_fn)(void *ctx, char **fields, size_t n_fields, size_t line,
                                 sh_err *err);

/* The UTF-8 byte-order mark spreadsheets write before a CSV header. */
#define SH_UTF8_BOM "\xEF\xBB\xBF"

/* Reads path as RFC 4180 CSV (libcsv, strict), calling row for every
 * record; LF, CRLF and lone CR all end a line; blank lines are skipped;
 * a UTF-8 byte-order mark before the first record is skipped.
 * `what` names the file in an open error ("manifest", "scores file").
 * Fails on the first callback error, on malformed quoting, and on an
 * unreadable file, each naming path and line. */
int sh_csv_read(const char *path, const char *what, sh_csv_row_fn row, void *ctx,
                    sh_err *err);

/* Refuses a header row naming one column twice (the reader would take
 * either): "header: column 'x' appears twice", for the caller to prefix
 * with the file and line. sh_csv_read and sh_csv_read_fast check theirs. */
int sh_csv_header_check(char *const *header, size_t n, sh_err *err);

/* Index of the column called name among header[0..n), or -1. */
int sh_csv_column(char *const *header, size_t n, const char *name);

/* Words to add to a header's "no column" message: where the header is one
 * field holding tabs or semicolons, that the file is read as comma-separated;
 * else "". Static text. */
const char *sh_csv_separator_hint(char *const *header, size_t n);

#endif
