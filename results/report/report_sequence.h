/* The tables of a report printed one after another, in reading order:
 * the body of the formats that print so (text, Markdown), each of which
 * says how it prints a table and a heading. */
#ifndef SH_RESULTS_REPORT_REPORT_SEQUENCE_H
#define SH_RESULTS_REPORT_REPORT_SEQUENCE_H

#include <stddef.h>
#include <stdio.h>

#include "report.h"
#include "report_summary.h"
#include "report_table.h"
#include "report_tables.h"

/* How a format prints the tables one after another. */
typedef struct sh_report_printer {
    const char *title;                              /* printed first, or NULL */
    int (*table)(FILE *out, const sh_table *t);     /* 0, or -1 when t is incomplete */
    void (*heading)(FILE *out, const char *text);   /* a section of several runs */
    /* One run's summary panel (report_summary.h); 0, or -1 when its table
     * is incomplete. */
    int (*summary)(FILE *out, const sh_summary *s);
    void (*warning)(FILE *out, const char *text);   /* a warning above everything */
} sh_report_printer;

/* Writes the report of n runs to out with p: what differs among several
 * runs and every run's summary panel first (not in opts->brief: a run's
 * own output), then several runs side by side, then each run's tables. 0,
 * or -1 when a table could not be built. */
int sh_report_print_sequence(FILE *out, const sh_report_run *runs, size_t n,
                             const sh_report_style *st, const sh_report_options *opts,
                             const sh_report_printer *p);

#endif
