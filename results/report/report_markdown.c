/* The Markdown report: GitHub-flavoured tables under headings. */
#include "report_format.h"
#include "report_sequence.h"

static int table(FILE *out, const sh_table *t)
{
    return sh_table_print_markdown(out, t, 3);
}

/* Markdown's text of a file's strings, and of sentences that quote them,
 * goes through sh_md_escape; the formatting around it is the report's. */
static void heading(FILE *out, const char *text)
{
    fputs("\n## ", out);
    sh_md_escape(out, text);
    fputc('\n', out);
}

/* Prints before, s escaped, then after. */
static void line(FILE *out, const char *before, const char *s, const char *after)
{
    fputs(before, out);
    sh_md_escape(out, s);
    fputs(after, out);
}

static int summary(FILE *out, const sh_summary *s)
{
    line(out, "\n## Summary: ", s->label, ", run ");
    line(out, "", s->run_name, "\n\n");
    if (!s->verdict)
        fprintf(out, "**Criteria: %s**\n", SH_SUMMARY_NO_CRITERIA);
    else if (s->doubt) {
        fprintf(out, "**Criteria: %s**: ", s->verdict);
        sh_md_escape(out, s->doubt);
        fprintf(out, ". As the file records them, %zu of %zu rules failed\n", s->n_failed,
                s->n_rules);
    } else if (s->n_failed)
        fprintf(out, "**Criteria: %s** (%zu of %zu rules failed)\n", s->verdict, s->n_failed,
                s->n_rules);
    else
        fprintf(out, "**Criteria: %s** (all %zu rules passed)\n", s->verdict, s->n_rules);
    if (s->n_failed)
        fputc('\n', out);
    for (size_t i = 0; i < s->n_failed; i++)
        line(out, "- ", s->failed[i], "\n");
    if (s->warning)
        line(out, "\n> **Dataset warning:** ", s->warning, "\n");
    if (s->distances)
        line(out, "\n> **Score warning:** ", s->distances, "\n");
    if (s->model_warning)
        line(out, "\n> **Model warning:** ", s->model_warning, "\n");
    if (s->unstated)
        line(out, "\n", s->unstated, "\n");
    int rc = s->worst ? table(out, s->worst) : 0;
    if (s->fte)
        line(out, "\n", s->fte, "\n");
    if (s->folds)
        line(out, "\n", s->folds, "\n");
    return rc;
}

static void warning(FILE *out, const char *text)
{
    line(out, "\n> **Warning:** ", text, "\n");
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
