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

static int summary(FILE *out, const sh_summary *s)
{
    fprintf(out, "\n## Summary: %s, run %s\n\n", s->label, s->run_name);
    if (!s->verdict)
        fprintf(out, "**Criteria: %s**\n", SH_SUMMARY_NO_CRITERIA);
    else if (s->doubt)
        fprintf(out, "**Criteria: %s**: %s. As the file records them, %zu of %zu rules "
                     "failed\n", s->verdict, s->doubt, s->n_failed, s->n_rules);
    else if (s->n_failed)
        fprintf(out, "**Criteria: %s** (%zu of %zu rules failed)\n", s->verdict, s->n_failed,
                s->n_rules);
    else
        fprintf(out, "**Criteria: %s** (all %zu rules passed)\n", s->verdict, s->n_rules);
    if (s->n_failed)
        fputc('\n', out);
    for (size_t i = 0; i < s->n_failed; i++)
        fprintf(out, "- %s\n", s->failed[i]);
    if (s->warning)
        fprintf(out, "\n> **Dataset warning:** %s\n", s->warning);
    if (s->distances)
        fprintf(out, "\n> **Score warning:** %s\n", s->distances);
    if (s->model_warning)
        fprintf(out, "\n> **Model warning:** %s\n", s->model_warning);
    if (s->unstated)
        fprintf(out, "\n%s\n", s->unstated);
    int rc = s->worst ? table(out, s->worst) : 0;
    if (s->fte)
        fprintf(out, "\n%s\n", s->fte);
    if (s->folds)
        fprintf(out, "\n%s\n", s->folds);
    return rc;
}

static void warning(FILE *out, const char *text)
{
    fprintf(out, "\n> **Warning:** %s\n", text);
}

static int write_markdown(FILE *out, const sh_report_run *runs, size_t n,
                          const sh_report_style *st, const sh_report_options *opts)
{
    static const sh_report_printer printer = {"# shades report\n", table, heading, summary,
                                              warning};
    return sh_report_print_sequence(out, runs, n, st, opts, &printer);
}

static const char *const extensions[] = {"md", "markdown", NULL};

const sh_report_format sh_report_markdown = {"md", "Markdown", extensions, 0, write_markdown};
