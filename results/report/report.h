/* `shades report`: results files printed as text, Markdown, CSV or a
 * self-contained HTML page. */
#ifndef SH_RESULTS_REPORT_H
#define SH_RESULTS_REPORT_H

#include <stddef.h>
#include <stdio.h>

#include "error.h"
#include "h5_write.h"

typedef enum sh_report_format {
    SH_REPORT_TEXT,
    SH_REPORT_MARKDOWN,
    SH_REPORT_CSV,
    SH_REPORT_HTML
} sh_report_format;

/* What a report shows. Groups are marked too small to estimate exactly
 * as the run decided (groups.min_subjects, the file's too_small fields). */
typedef struct sh_report_options {
    sh_report_format format;
    int brief;               /* text only: groups, differentials, criteria (a run's own output) */
} sh_report_options;

/* Parses "txt", "md", "csv" or "html". */
int sh_report_format_parse(sh_report_format *out, const char *name);

/* Writes the report of n results (paths name them) to out. With several,
 * the comparison tables come first: one row per engine. */
int sh_report_write(FILE *out, const sh_results *const *runs, const char *const *paths,
                        size_t n, const sh_report_options *opts, sh_err *err);

/* Reads the results files at paths and writes their report to out_path
 * (through a temporary file renamed into place) or, when out_path is NULL,
 * to stdout. Nothing is written when any file fails to read. */
int sh_report_files(const char *const *paths, size_t n, const char *out_path,
                        const sh_report_options *opts, sh_err *err);

/* Internal: the CSV and HTML formats (report_csv.c, report_html.c). The
 * CSV holds the first run's protocol; every run must have it. */
struct sh_report_run;
struct sh_report_style;
int sh_report_csv(FILE *out, const struct sh_report_run *runs, size_t n);
int sh_report_html(FILE *out, const struct sh_report_run *runs, size_t n,
                       const struct sh_report_style *st);

#endif
