#include "import_csv.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "csv_rows.h"

/* State of one CSV import. */
typedef struct csv_import {
    sh_import_job *job;
    const sh_import_csv_layout *layout;
    size_t n_cols;
    int col[16];
} csv_import;

/* Finds every named column in the header; NULL ends the list. */
static int need_columns(csv_import *ci, char **f, size_t n, const char *const *names,
                        sh_err *err)
{
    for (size_t k = 0; names[k]; k++)
        if ((ci->col[k] = sh_csv_column(f, n, names[k])) < 0)
            return sh_err_set(err, SH_E_INPUT, "header: no column '%s' (the %s layout)%s",
                                  names[k], ci->layout->format, sh_csv_separator_hint(f, n));
    ci->n_cols = n;
    return 0;
}

static int csv_row(void *ctx, char **f, size_t n, size_t line, sh_err *err)
{
    csv_import *ci = ctx;
    if (!ci->n_cols)
        return need_columns(ci, f, n, ci->layout->cols, err);
    if (n != ci->n_cols)
        return sh_err_set(err, SH_E_INPUT, "row has %zu fields, the header has %zu", n,
                              ci->n_cols);
    return ci->layout->row(ci->job, ci->col, f, line, err);
}

const char *sh_import_map(const char *v, const char *const *map)
{
    for (size_t k = 0; map[k]; k += 2)
        if (!strcasecmp(v, map[k]))
            return map[k + 1];
    return NULL;
}

const char *const sh_import_sex_words[] = {"female", "F", "male", "M", "f", "F", "m", "M",
                                           NULL};

int sh_import_bad_value(sh_err *err, const char *field, const char *value, const char *want)
{
    return sh_err_set(err, SH_E_INPUT, "field '%s': '%s' is not %s", field, value, want);
}

int sh_import_csv_read(sh_import_job *job, const sh_import_csv_layout *layout, sh_err *err)
{
    csv_import ci = {.job = job, .layout = layout};
    job->m.n_attrs = layout->n_attrs;
    memcpy(job->m.attr_names, layout->attrs, sizeof layout->attrs);
    const char *input = job->input;
    int rc = sh_csv_read(input, "input", csv_row, &ci, err);
    if (!rc && !ci.n_cols)
        rc = sh_err_set(err, SH_E_INPUT, "%s:1: empty file, expected a header row", input);
    if (!rc && !job->m.n)
        rc = sh_err_set(err, SH_E_INPUT, "%s: no rows after the header", input);
    return rc;
}
