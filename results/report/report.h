/* `shades report`: results files printed in one of the formats of the
 * table of formats (report_format.h): text, Markdown, CSV or a
 * self-contained HTML page. */
#ifndef SH_RESULTS_REPORT_REPORT_H
#define SH_RESULTS_REPORT_REPORT_H

#include <stddef.h>
#include <stdio.h>

#include "error.h"
#include "results.h"

/* A report format (report_format.h). */
typedef struct sh_report_format sh_report_format;

/* What a report shows. Groups are marked too small to estimate exactly
 * as the run decided (groups.min_subjects, the file's too_small fields). */
typedef struct sh_report_options {
    const sh_report_format *format; /* from sh_report_format_find; NULL: text */
    int brief;               /* text only: groups, differentials, criteria (a run's own output) */
} sh_report_options;

/* The format a --format name or a path extension names ("txt", "text",
 * "md", "markdown", "csv", "html"), or NULL when none does. */
const sh_report_format *sh_report_format_find(const char *name);

/* The formats' names for a message, "txt, md, csv or html", into out. */
void sh_report_format_list(char *out, size_t size);

/* Writes the report of n results (paths name them) to out. With several,
 * the comparison tables come first: one row per engine. */
int sh_report_write(FILE *out, const sh_results *const *runs, const char *const *paths,
                        size_t n, const sh_report_options *opts, sh_err *err);

/* Reads the results files at paths and writes their report to out_path
 * (through a temporary file renamed into place) or, when out_path is NULL,
 * to stdout. Nothing is written when any file fails to read. */
int sh_report_files(const char *const *paths, size_t n, const char *out_path,
                        const sh_report_options *opts, sh_err *err);

#endif
