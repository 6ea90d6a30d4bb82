/* The Markdown report: GitHub-flavoured tables under headings. */
#include "report_format.h"
#include "report_sequence.h"

static int table(FILE *out, const sh_table *t)
{
    return sh_table_print_markdown(out, t, 3);
}

static void heading(FILE *out, const char *text)
{
    fprintf(out, "\n## %s\n", text);
}

static int write_markdown(FILE *out, const sh_report_run *runs, size_t n,
                          const sh_report_style *st, const sh_report_options *opts)
{
    static const sh_report_printer printer = {"# shades report\n", table, heading};
    return sh_report_print_sequence(out, runs, n, st, opts, &printer);
}

static const char *const extensions[] = {"md", "markdown", NULL};

const sh_report_format sh_report_markdown = {"md", "Markdown", extensions, 0, write_markdown};
