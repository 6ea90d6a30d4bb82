/* The CSV report: one tidy row per run, group and target, for
 * spreadsheets and papers. Each protocol's columns are one table below:
 * the heading line and every row come from it. */
#include <csv.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "report_format.h"

/* One row being written: its run, its struct and the run-wide cells. */
typedef struct csv_row {
    const sh_report_run *run;
    const char *row;             /* an sh_vgroup, sh_crow or sh_igroup */
    const sh_vresults *v;        /* verification: for the bounds shown */
    const char *attribute;       /* classification: the attribute classified */
    const char *interval;        /* the name of the interval shown */
} csv_row;

/* One column: its heading, and how a row writes its cell (without the
 * separator), from the field at offset in the row's struct where it has one. */
typedef struct csv_column {
    const char *heading;
    void (*cell)(FILE *out, const csv_row *r, size_t offset);
    size_t offset;
} csv_column;

/* A text field, quoted by libcsv (quotes doubled). */
static void text(FILE *out, const char *s)
{
    csv_fwrite(out, s, strlen(s));
}

/* A number: empty for NaN, so spreadsheets see a blank cell. */
static void number(FILE *out, double x)
{
    if (!isnan(x))
        fprintf(out, "%.17g", x);
}

/* The engine as it is, not the label that tells runs apart: a column to
 * join reports on (the file column tells runs apart). */
static void cell_engine(FILE *out, const csv_row *r, size_t offset)
{
    (void)offset;
    text(out, r->run->engine ? r->run->engine : r->run->label);
}

/* The file's signature status (h5_sign.h). */
static void cell_signature(FILE *out, const csv_row *r, size_t offset)
{
    (void)offset;
    text(out, r->run->signature ? r->run->signature : "");
}

static void cell_file(FILE *out, const csv_row *r, size_t offset)
{
    (void)offset;
    text(out, r->run->path);
}

static void cell_attribute(FILE *out, const csv_row *r, size_t offset)
{
    (void)offset;
    text(out, r->attribute);
}

static void cell_interval(FILE *out, const csv_row *r, size_t offset)
{
    (void)offset;
    text(out, r->interval);
}

static void cell_text(FILE *out, const csv_row *r, size_t offset)
{
    text(out, r->row + offset);
}

static void cell_number(FILE *out, const csv_row *r, size_t offset)
{
    double x;
    memcpy(&x, r->row + offset, sizeof x);
    number(out, x);
}

static void cell_count(FILE *out, const csv_row *r, size_t offset)
{
    uint64_t x;
    memcpy(&x, r->row + offset, sizeof x);
    fprintf(out, "%llu", (unsigned long long)x);
}

static void cell_flag(FILE *out, const csv_row *r, size_t offset)
{
    int32_t x;
    memcpy(&x, r->row + offset, sizeof x);
    fprintf(out, "%llu", (unsigned long long)(uint64_t)x);
}

/* Verification: the bounds the report shows (bootstrap, else Wilson). */
static void cell_fnmr_bound(FILE *out, const csv_row *r, size_t hi)
{
    double b[2];
    sh_report_fnmr_bounds(r->v, (const sh_vgroup *)r->row, &b[0], &b[1]);
    number(out, b[hi]);
}

static void cell_fmr_bound(FILE *out, const csv_row *r, size_t hi)
{
    double b[2];
    sh_report_fmr_bounds(r->v, (const sh_vgroup *)r->row, &b[0], &b[1]);
    number(out, b[hi]);
}

/* A group's own threshold, blank where it is not estimable. */
static void cell_group_threshold(FILE *out, const csv_row *r, size_t offset)
{
    (void)offset;
    const sh_vgroup *g = (const sh_vgroup *)r->row;
    number(out, g->group_estimable ? g->group_threshold : NAN);
}

/* Accuracy over folds (RFW's protocol) of the row's group, repeated on each
 * of its operating points' rows; blank where the run has no folds or the
 * group none with an accuracy. offset: the sh_vfold_summary member. */
static void cell_fold(FILE *out, const csv_row *r, size_t offset)
{
    const sh_vgroup *g = (const sh_vgroup *)r->row;
    const sh_vfold_summary *f = sh_vresults_fold(r->v, g->partition, g->group);
    if (!f || !f->n_folds)
        return;
    if (offset == offsetof(sh_vfold_summary, n_folds))
        fprintf(out, "%llu", (unsigned long long)f->n_folds);
    else
        cell_number(out, &(csv_row){.row = (const char *)f}, offset);
}

#define RUN(heading, cell) {heading, cell, 0}
#define FIELD(cell, type, member) {#member, cell, offsetof(type, member)}
#define FIELD_AS(heading, cell, type, member) {heading, cell, offsetof(type, member)}

static const csv_column verification_columns[] = {
    RUN("engine", cell_engine),
    RUN("file", cell_file),
    FIELD(cell_text, sh_vgroup, partition),
    FIELD(cell_text, sh_vgroup, group),
    FIELD(cell_number, sh_vgroup, target_fmr),
    FIELD(cell_number, sh_vgroup, threshold),
    FIELD(cell_count, sh_vgroup, n_subjects),
    FIELD(cell_count, sh_vgroup, n_images),
    FIELD(cell_count, sh_vgroup, n_fte),
    FIELD(cell_number, sh_vgroup, fte),
    FIELD(cell_count, sh_vgroup, n_genuine),
    FIELD(cell_count, sh_vgroup, n_false_nonmatch),
    FIELD(cell_number, sh_vgroup, fnmr),
    {"fnmr_lo", cell_fnmr_bound, 0},
    {"fnmr_hi", cell_fnmr_bound, 1},
    FIELD(cell_count, sh_vgroup, n_impostor),
    FIELD(cell_count, sh_vgroup, n_false_match),
    FIELD(cell_number, sh_vgroup, fmr),
    {"fmr_lo", cell_fmr_bound, 0},
    {"fmr_hi", cell_fmr_bound, 1},
    RUN("interval", cell_interval),
    {"group_threshold", cell_group_threshold, 0},
    FIELD(cell_number, sh_vgroup, group_fnmr),
    FIELD(cell_text, sh_vgroup, point),
    FIELD(cell_number, sh_vgroup, target_fnmr),
    FIELD(cell_number, sh_vgroup, group_fmr),
    FIELD(cell_text, sh_vgroup, reference),
    FIELD(cell_number, sh_vgroup, fnmr_ratio),
    FIELD(cell_number, sh_vgroup, fnmr_ratio_lo),
    FIELD(cell_number, sh_vgroup, fnmr_ratio_hi),
    FIELD(cell_number, sh_vgroup, fmr_ratio),
    FIELD(cell_number, sh_vgroup, fmr_ratio_lo),
    FIELD(cell_number, sh_vgroup, fmr_ratio_hi),
    FIELD(cell_number, sh_vgroup, group_threshold_lo),
    FIELD(cell_number, sh_vgroup, group_threshold_hi),
    FIELD(cell_number, sh_vgroup, group_fnmr_lo),
    FIELD(cell_number, sh_vgroup, group_fnmr_hi),
    FIELD(cell_number, sh_vgroup, group_fmr_lo),
    FIELD(cell_number, sh_vgroup, group_fmr_hi),
    FIELD(cell_text, sh_vgroup, group_boot_note),
    RUN("signature", cell_signature), /* the columns before keep their places */
    /* Added with schema 1.14, after signature for the same reason. */
    FIELD_AS("n_folds", cell_fold, sh_vfold_summary, n_folds),
    FIELD_AS("fold_accuracy", cell_fold, sh_vfold_summary, mean),
    FIELD_AS("fold_accuracy_sd", cell_fold, sh_vfold_summary, sd),
    FIELD_AS("fold_accuracy_se", cell_fold, sh_vfold_summary, se),
    FIELD_AS("fold_accuracy_lowest", cell_fold, sh_vfold_summary, min),
    FIELD_AS("fold_accuracy_highest", cell_fold, sh_vfold_summary, max),
};

static const csv_column classification_columns[] = {
    RUN("engine", cell_engine),
    RUN("file", cell_file),
    RUN("attribute", cell_attribute),
    FIELD(cell_text, sh_crow, partition),
    FIELD(cell_text, sh_crow, group),
    FIELD(cell_count, sh_crow, n),
    FIELD(cell_count, sh_crow, errors),
    FIELD(cell_count, sh_crow, n_no_prediction),
    FIELD(cell_number, sh_crow, error_rate),
    FIELD_AS("error_lo", cell_number, sh_crow, error_wilson_lo),
    FIELD_AS("error_hi", cell_number, sh_crow, error_wilson_hi),
    RUN("interval", cell_interval),
    FIELD(cell_number, sh_crow, error_share),
    FIELD(cell_number, sh_crow, error_boot_lo),
    FIELD(cell_number, sh_crow, error_boot_hi),
    RUN("signature", cell_signature), /* last: the columns before keep their places */
};

static const csv_column identification_columns[] = {
    RUN("engine", cell_engine),
    RUN("file", cell_file),
    FIELD(cell_text, sh_igroup, partition),
    FIELD(cell_text, sh_igroup, group),
    FIELD(cell_number, sh_igroup, target_fpir),
    FIELD(cell_number, sh_igroup, threshold),
    FIELD(cell_count, sh_igroup, n_mated),
    FIELD(cell_count, sh_igroup, n_miss),
    FIELD(cell_number, sh_igroup, fnir),
    FIELD_AS("fnir_lo", cell_number, sh_igroup, fnir_wilson_lo),
    FIELD_AS("fnir_hi", cell_number, sh_igroup, fnir_wilson_hi),
    FIELD(cell_count, sh_igroup, n_nonmated),
    FIELD(cell_count, sh_igroup, n_false_positive),
    FIELD(cell_number, sh_igroup, fpir),
    FIELD_AS("fpir_lo", cell_number, sh_igroup, fpir_wilson_lo),
    FIELD_AS("fpir_hi", cell_number, sh_igroup, fpir_wilson_hi),
    RUN("interval", cell_interval),
    FIELD(cell_flag, sh_igroup, too_small),
    RUN("signature", cell_signature), /* last: the columns before keep their places */
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static void heading_line(FILE *out, const csv_column *cols, size_t n)
{
    for (size_t c = 0; c < n; c++)
        fprintf(out, "%s%s", c ? "," : "", cols[c].heading);
    fputs("\r\n", out);
}

static void row_line(FILE *out, const csv_column *cols, size_t n, const csv_row *r)
{
    for (size_t c = 0; c < n; c++) {
        if (c)
            fputc(',', out);
        cols[c].cell(out, r, cols[c].offset);
    }
    fputs("\r\n", out);
}

/* Classification: one row per run and group. */
static void classification_csv(FILE *out, const sh_report_run *runs, size_t n)
{
    heading_line(out, classification_columns, NELEM(classification_columns));
    for (size_t r = 0; r < n; r++) {
        const sh_cresults *c = runs[r].r->classification;
        char iname[64];
        snprintf(iname, sizeof iname, "%g%% Wilson", 100 * c->confidence);
        csv_row row = {.run = &runs[r], .attribute = c->attribute, .interval = iname};
        for (size_t i = 0; i < c->n_groups; i++) {
            row.row = (const char *)&c->groups[i];
            row_line(out, classification_columns, NELEM(classification_columns), &row);
        }
    }
}

/* Identification: one row per run, group and target FPIR. */
static void identification_csv(FILE *out, const sh_report_run *runs, size_t n)
{
    heading_line(out, identification_columns, NELEM(identification_columns));
    for (size_t r = 0; r < n; r++) {
        const sh_iresults *id = runs[r].r->identification;
        char iname[64];
        snprintf(iname, sizeof iname, "%g%% Wilson", 100 * id->confidence);
        csv_row row = {.run = &runs[r], .interval = iname};
        for (size_t i = 0; i < id->n_groups; i++) {
            row.row = (const char *)&id->groups[i];
            row_line(out, identification_columns, NELEM(identification_columns), &row);
        }
    }
}

/* Verification: one row per run, group and operating point. */
static void verification_csv(FILE *out, const sh_report_run *runs, size_t n)
{
    heading_line(out, verification_columns, NELEM(verification_columns));
    for (size_t r = 0; r < n; r++) {
        const sh_vresults *v = runs[r].r->verification;
        char iname[64];
        sh_report_interval_name(iname, sizeof iname, v);
        csv_row row = {.run = &runs[r], .v = v, .interval = iname};
        for (size_t i = 0; i < v->n_groups; i++) {
            row.row = (const char *)&v->groups[i];
            row_line(out, verification_columns, NELEM(verification_columns), &row);
        }
    }
}

static int write_csv(FILE *out, const sh_report_run *runs, size_t n, const sh_report_style *st,
                     const struct sh_report_options *opts)
{
    (void)st;
    (void)opts;
    if (runs[0].r->identification)
        identification_csv(out, runs, n);
    else if (!runs[0].r->verification)
        classification_csv(out, runs, n);
    else
        verification_csv(out, runs, n);
    return 0;
}

static const char *const extensions[] = {"csv", NULL};

const sh_report_format sh_report_csv = {"csv", "CSV", extensions, 1, write_csv};
