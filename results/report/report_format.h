/* The report formats behind one table (as curl's TLS backends): each
 * format is one file defining one sh_report_format, and one row of
 * sh_report_formats (report.c). `shades report`'s --format, the path
 * extensions it recognises and the list its messages give all come from
 * the table. report.h, above it, finds a format by name. */
#ifndef SH_RESULTS_REPORT_REPORT_FORMAT_H
#define SH_RESULTS_REPORT_REPORT_FORMAT_H

#include <stddef.h>
#include <stdio.h>

#include "report_tables.h"

struct sh_report_options;

/* One report format (report.h names it for the CLI). */
typedef struct sh_report_format {
    const char *name;              /* "txt": the name messages list */
    const char *label;             /* "text": the format in words, for messages */
    const char *const *extensions; /* the names --format takes and the path extensions
                                    * that imply this format, name first; NULL-ended */
    int one_protocol;              /* one table: every file must hold the first's protocols */
    /* Writes the report of n runs to out; 0, or -1 when a table could not
     * be built (out of memory). */
    int (*write)(FILE *out, const sh_report_run *runs, size_t n, const sh_report_style *st,
                 const struct sh_report_options *opts);
} sh_report_format;

/* The formats, one file each: report_text.c, report_markdown.c,
 * report_csv.c, report_html.c. */
extern const sh_report_format sh_report_text;
extern const sh_report_format sh_report_markdown;
extern const sh_report_format sh_report_csv;
extern const sh_report_format sh_report_html;

/* The table of formats, in the order messages list them. */
extern const sh_report_format *const sh_report_formats[];
extern const size_t sh_report_n_formats;

#endif
