/* The text report: aligned tables for a terminal, within 100 columns. */
#include "report_format.h"
#include "report_sequence.h"

/* Terminal tables stay within this many columns. */
#define TEXT_WIDTH 100

static int table(FILE *out, const sh_table *t)
{
    return sh_table_print_text(out, t, TEXT_WIDTH);
}

static void heading(FILE *out, const char *text)
{
    fprintf(out, "\n== %s ==\n", text);
}

static int write_text(FILE *out, const sh_report_run *runs, size_t n,
                      const sh_report_style *st, const sh_report_options *opts)
{
    static const sh_report_printer printer = {NULL, table, heading};
    return sh_report_print_sequence(out, runs, n, st, opts, &printer);
}

static const char *const extensions[] = {"txt", "text", NULL};

const sh_report_format sh_report_text = {"txt", "text", extensions, 0, write_text};
