/* What the CSV layouts (ppb, fairface, bfw) share: one reader that checks
 * the header and each row's width and hands every row to its format's row
 * function, and the value maps and messages their rows use. Internal to
 * the importers. */
#ifndef SH_PROTOCOLS_IMPORT_CSV_H
#define SH_PROTOCOLS_IMPORT_CSV_H

#include <stddef.h>

#include "error.h"
#include "importer.h"

/* One CSV layout: the columns its rows read, the manifest attributes it
 * writes, and the function that turns a row into images (and pairs). */
typedef struct sh_import_csv_layout {
    const char *format;      /* its name, for messages */
    const char *const *cols; /* at most 16, NULL-terminated, in the order row reads them */
    const char *attrs[SH_IMPORT_MAX_ATTRS];
    size_t n_attrs;
    /* Adds row f, read from line of job->input; col[k] is the field of
     * cols[k]. */
    int (*row)(sh_import_job *job, const int *col, char **f, size_t line, sh_err *err);
} sh_import_csv_layout;

/* Reads job->input, a CSV file with a header, through layout; fails on a
 * missing column, a row of the wrong width, an empty file or no rows. */
int sh_import_csv_read(sh_import_job *job, const sh_import_csv_layout *layout, sh_err *err);

/* v mapped through pairs of (from, to), case-insensitively; NULL when it
 * is none of them. */
const char *sh_import_map(const char *v, const char *const *map);

/* Female/Male and F/M, any case, to F or M (for sh_import_map). */
extern const char *const sh_import_sex_words[];

/* Fails with "field 'FIELD': 'VALUE' is not WANT". */
int sh_import_bad_value(sh_err *err, const char *field, const char *value, const char *want);

#endif
