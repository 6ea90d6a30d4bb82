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

/* Prints prefix and text wrapped within TEXT_WIDTH, indented by `indent`. */
static void wrapped(FILE *out, const char *prefix, const char *text, size_t indent)
{
    sh_text_wrap(out, prefix, text, indent, TEXT_WIDTH);
}

static int summary(FILE *out, const sh_summary *s)
{
    char h[512];
    snprintf(h, sizeof h, "Summary: %s, run %s", s->label, s->run_name);
    heading(out, h);
    if (!s->verdict) {
        fprintf(out, "Criteria: %s\n", SH_SUMMARY_NO_CRITERIA);
    } else if (s->doubt) {
        char prefix[64];
        snprintf(prefix, sizeof prefix, "Criteria: %s: ", s->verdict);
        wrapped(out, prefix, s->doubt, 2);
        fprintf(out, "As the file records them, %zu of %zu rules failed\n", s->n_failed,
                s->n_rules);
    } else if (s->n_failed)
        fprintf(out, "Criteria: %s (%zu of %zu rules failed)\n", s->verdict, s->n_failed,
                s->n_rules);
    else
        fprintf(out, "Criteria: %s (all %zu rules passed)\n", s->verdict, s->n_rules);
    for (size_t i = 0; i < s->n_failed; i++)
        wrapped(out, "- ", s->failed[i], 2);
    if (s->warning)
        wrapped(out, "\nDataset warning: ", s->warning, 2);
    if (s->distances)
        wrapped(out, "\nScore warning: ", s->distances, 2);
    if (s->model_warning)
        wrapped(out, "\nModel warning: ", s->model_warning, 2);
    if (s->unstated)
        wrapped(out, "\n", s->unstated, 0);
    int rc = s->worst ? table(out, s->worst) : 0;
    if (s->fte)
        wrapped(out, "\n", s->fte, 0);
    if (s->folds)
        wrapped(out, "\n", s->folds, 0);
    return rc;
}

static void warning(FILE *out, const char *text)
{
    wrapped(out, "\nWARNING: ", text, 2);
}

static int write_text(FILE *out, const sh_report_run *runs, size_t n,
                      const sh_report_style *st, const sh_report_options *opts)
{
    static const sh_report_printer printer = {NULL, table, heading, summary, warning};
    return sh_report_print_sequence(out, runs, n, st, opts, &printer);
}

static const char *const extensions[] = {"txt", "text", NULL};

const sh_report_format sh_report_text = {"txt", "text", extensions, 0, write_text};
