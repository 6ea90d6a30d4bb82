/* `shades report`: results files printed as text, Markdown, CSV or a
 * self-contained HTML page. */
#ifndef SHADES_RESULTS_REPORT_H
#define SHADES_RESULTS_REPORT_H

#include <stddef.h>
#include <stdio.h>

#include "error.h"
#include "h5_write.h"

typedef enum shades_report_format {
    SHADES_REPORT_TEXT,
    SHADES_REPORT_MARKDOWN,
    SHADES_REPORT_CSV,
    SHADES_REPORT_HTML
} shades_report_format;

/* What a report shows. Groups are marked too small to estimate exactly
 * as the run decided (groups.min_subjects, the file's too_small fields). */
typedef struct shades_report_options {
    shades_report_format format;
    int brief;               /* text only: groups, differentials, criteria (a run's own output) */
} shades_report_options;

/* Parses "txt", "md", "csv" or "html". */
int shades_report_format_parse(shades_report_format *out, const char *name);

/* Writes the report of n results (paths name them) to out. With several,
 * the comparison tables come first: one row per engine. */
int shades_report_write(FILE *out, const shades_results *const *runs, const char *const *paths,
                        size_t n, const shades_report_options *opts, shades_err *err);

/* Reads the results files at paths and writes their report to out_path
 * (through a temporary file renamed into place) or, when out_path is NULL,
 * to stdout. Nothing is written when any file fails to read. */
int shades_report_files(const char *const *paths, size_t n, const char *out_path,
                        const shades_report_options *opts, shades_err *err);

/* Internal: the CSV and HTML formats (report_csv.c, report_html.c). The
 * CSV holds the first run's protocol; every run must have it. */
struct shades_report_run;
struct shades_report_style;
int shades_report_csv(FILE *out, const struct shades_report_run *runs, size_t n);
int shades_report_html(FILE *out, const struct shades_report_run *runs, size_t n,
                       const struct shades_report_style *st);

#endif
