/* The CSV layouts: PPB metadata, FairFace labels, the BFW datatable. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "csv_rows.h"
#include "import_job.h"

struct csv_import;

/* One CSV layout: the columns its rows read, in order, the manifest
 * attributes it writes, and the function that turns a row into images. */
typedef struct csv_layout {
    const char *format;
    const char *const *cols;   /* NULL-terminated */
    const char *attrs[SH_IMPORT_MAX_ATTRS];
    size_t n_attrs;
    int (*row)(struct csv_import *ci, char **f, size_t line, sh_err *err);
} csv_layout;

/* State of one CSV import. */
typedef struct csv_import {
    sh_import_job *job;
    const csv_layout *layout;
    size_t n_cols;
    int col[16];
} csv_import;

/* Finds every named column in the header; NULL ends the list. */
static int need_columns(csv_import *ci, char **f, size_t n, const char *const *names,
                        sh_err *err)
{
    for (size_t k = 0; names[k]; k++)
        if ((ci->col[k] = sh_csv_column(f, n, names[k])) < 0)
            return sh_err_set(err, SH_E_INPUT, "header: no column '%s' (the %s layout)",
                                  names[k], ci->layout->format);
    ci->n_cols = n;
    return 0;
}

/* The columns each layout needs, in the order its row function reads them. */
static const char *const ppb_cols[] = {"image_id", "filename", "gender",
                                       "fitzpatrick skin type category", "bi.fitz", "country",
                                       NULL};
static const char *const fairface_cols[] = {"file", "age", "gender", "race", "service_test",
                                            NULL};
static const char *const bfw_cols[] = {"fold", "p1", "p2", "label", "id1", "id2", "att1", "att2",
                                       "a1", "a2", "g1", "g2", NULL};

static int csv_row(void *ctx, char **f, size_t n, size_t line, sh_err *err)
{
    csv_import *ci = ctx;
    if (!ci->n_cols)
        return need_columns(ci, f, n, ci->layout->cols, err);
    if (n != ci->n_cols)
        return sh_err_set(err, SH_E_INPUT, "row has %zu fields, the header has %zu", n,
                              ci->n_cols);
    return ci->layout->row(ci, f, line, err);
}

/* A value mapped through pairs of (from, to), case-insensitively; NULL
 * when it is none of them. */
static const char *map_value(const char *v, const char *const *map)
{
    for (size_t k = 0; map[k]; k += 2)
        if (!strcasecmp(v, map[k]))
            return map[k + 1];
    return NULL;
}

static const char *const sex_words[] = {"female", "F", "male", "M", "f", "F", "m", "M", NULL};
static const char *const roman[] = {"1", "I", "2", "II", "3", "III", "4", "IV",
                                    "5", "V", "6", "VI", NULL};
static const char *const lighter_darker[] = {"lighter", "lighter", "darker", "darker",
                                             "light", "lighter", "dark", "darker", NULL};

static int bad_value(sh_err *err, const char *field, const char *value, const char *want)
{
    return sh_err_set(err, SH_E_INPUT, "field '%s': '%s' is not %s", field, value, want);
}

/* PPB: one image per person; Fitzpatrick type as 1-6 and its binary
 * lighter/darker; gender as Female/Male. */
static int ppb_row(csv_import *ci, char **f, size_t line, sh_err *err)
{
    const char *id = f[ci->col[0]], *file = f[ci->col[1]];
    const char *sex = map_value(f[ci->col[2]], sex_words);
    const char *type = map_value(f[ci->col[3]], roman);
    const char *skin = map_value(f[ci->col[4]], lighter_darker);
    if (!id[0] || !file[0])
        return bad_value(err, id[0] ? "filename" : "image_id", "", "a name");
    if (!sex)
        return bad_value(err, "gender", f[ci->col[2]], "Female or Male");
    if (!type)
        return bad_value(err, "fitzpatrick skin type category", f[ci->col[3]], "1 to 6");
    if (!skin)
        return bad_value(err, "bi.fitz", f[ci->col[4]], "lighter or darker");
    const char *row[] = {id, id, file, sex, type, skin, f[ci->col[5]]};
    size_t r;
    return sh_import_add_image(&r, &ci->job->m, row, ci->job->input, line, "image_id",
                                   err);
}

/* FairFace: one image per person; age already binned ("20-29"). */
static int fairface_row(csv_import *ci, char **f, size_t line, sh_err *err)
{
    const char *file = f[ci->col[0]];
    const char *sex = map_value(f[ci->col[2]], sex_words);
    if (!file[0])
        return bad_value(err, "file", "", "a file name");
    if (!sex)
        return bad_value(err, "gender", f[ci->col[2]], "Female or Male");
    if (!f[ci->col[1]][0] || !f[ci->col[3]][0])
        return bad_value(err, f[ci->col[1]][0] ? "race" : "age", "", "a label");
    const char *row[] = {file, file, file, f[ci->col[1]], sex, f[ci->col[3]], f[ci->col[4]]};
    size_t r;
    return sh_import_add_image(&r, &ci->job->m, row, ci->job->input, line, "file", err);
}

/* BFW: one row per pair, both images' subjects and attributes on it; the
 * label must agree with the subject ids. */
static int bfw_row(csv_import *ci, char **f, size_t line, sh_err *err)
{
    char *end;
    long fold = strtol(f[ci->col[0]], &end, 10);
    if (!f[ci->col[0]][0] || *end || fold < 0)
        return bad_value(err, "fold", f[ci->col[0]], "a fold number");
    const char *label = f[ci->col[3]];
    if (strcmp(label, "0") && strcmp(label, "1"))
        return bad_value(err, "label", label, "0 or 1");
    int same = !strcmp(f[ci->col[4]], f[ci->col[5]]);
    if (same != (label[0] == '1'))
        return sh_err_set(err, SH_E_INPUT,
                              "field 'label': %s, but id1 '%s' and id2 '%s' are %s", label,
                              f[ci->col[4]], f[ci->col[5]], same ? "the same" : "different");
    size_t rows[2];
    for (int side = 0; side < 2; side++) {
        const char *p = f[ci->col[1 + side]];
        const char *sex = map_value(f[ci->col[10 + side]], sex_words);
        if (!p[0] || !f[ci->col[4 + side]][0])
            return bad_value(err, side ? "p2" : "p1", p, "an image with a subject id");
        if (!sex)
            return bad_value(err, side ? "g2" : "g1", f[ci->col[10 + side]], "F or M");
        const char *row[] = {p, f[ci->col[4 + side]], p, f[ci->col[6 + side]],
                             f[ci->col[8 + side]], sex};
        int rc = sh_import_add_image(&rows[side], &ci->job->m, row, ci->job->input, line,
                                         NULL, err);
        if (rc)
            return rc;
    }
    return sh_import_add_pair(&ci->job->p, &ci->job->m, rows[0], rows[1], fold,
                                  ci->job->input, line, err);
}

static const csv_layout csv_layouts[] = {
    {"ppb", ppb_cols, {"sex", "skin_type", "skin", "country"}, 4, ppb_row},
    {"fairface", fairface_cols, {"age", "sex", "race", "service_test"}, 4, fairface_row},
    {"bfw", bfw_cols, {"subgroup", "ethnicity", "sex"}, 3, bfw_row},
};

int sh_import_csv(sh_import_job *job, sh_err *err)
{
    const csv_layout *layout = NULL;
    for (size_t k = 0; k < sizeof csv_layouts / sizeof *csv_layouts; k++)
        if (!strcmp(csv_layouts[k].format, job->o->format))
            layout = &csv_layouts[k];
    if (!layout)
        return 1;
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
