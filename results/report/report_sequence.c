#include "report_sequence.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

/* Prints and frees one table; 0, or -1 when it could not be built. */
static int emit(FILE *out, sh_table *t, const sh_report_printer *p)
{
    int rc = !t ? -1 : p->table(out, t);
    sh_table_destroy(t);
    return rc;
}

/* The tables of one run, in reading order. */
static int one_run(FILE *out, const sh_report_run *run, const sh_report_style *st,
                   const sh_report_options *o, const sh_report_printer *p)
{
    const sh_vresults *v = run->r->verification;
    int bad = 0;
    if (!o->brief)
        bad |= emit(out, sh_table_provenance(run), p);
    if (!o->brief && run->r->model_card)
        bad |= emit(out, sh_table_model_card(run), p);
    if (!o->brief && sh_report_has_service(run->r))
        bad |= emit(out, sh_table_service(run), p);
    if (run->r->classification) {
        bad |= emit(out, sh_table_classification(run, st), p);
        if (run->r->classification->n_summaries)
            bad |= emit(out, sh_table_class_summaries(run), p);
        if (!o->brief)
            bad |= emit(out, sh_table_class_rates(run), p);
    }
    const sh_iresults *id = run->r->identification;
    for (size_t k = 0; id && k < id->n_thresholds; k++)
        bad |= emit(out, sh_table_identification(run, k, st), p);
    if (id)
        bad |= emit(out, sh_table_cmc(run), p);
    for (size_t k = 0; v && k < v->n_thresholds; k++)
        bad |= emit(out, sh_table_groups(run, k, st), p);
    if (!o->brief && sh_report_has_group_thresholds(v))
        bad |= emit(out, sh_table_group_thresholds(run), p);
    if (sh_report_has_ratios(v))
        bad |= emit(out, sh_table_ratios(run), p);
    if (v)
        bad |= emit(out, sh_table_summaries(run), p);
    if (v && v->n_tests)
        bad |= emit(out, sh_table_tests(run), p);
    if (v && v->fold_accuracy)
        bad |= emit(out, sh_table_folds(run), p);
    if (!o->brief && v) {
        bad |= emit(out, sh_table_eer(run), p);
        if (v->n_scores)
            bad |= emit(out, sh_table_scores(run), p);
        for (size_t m = 0; m < v->n_matrices; m++)
            for (size_t k = 0; k < v->matrices[m].n_targets; k++)
                if (!isnan(v->matrices[m].threshold[k]))
                    bad |= emit(out, sh_table_matrix(run, &v->matrices[m], k), p);
    }
    if (!o->brief)
        bad |= emit(out, sh_table_failures(run), p);
    if (run->r->n_verdicts)
        bad |= emit(out, sh_table_criteria(run), p);
    return bad;
}

/* The Runs table, then the tables that set the runs side by side. */
static int comparison(FILE *out, const sh_report_run *runs, size_t n,
                      const sh_report_style *st, const sh_report_printer *p)
{
    sh_table *tables[1024];
    size_t nt = sh_report_comparison(tables, 1024, runs, n, st);
    int bad = emit(out, sh_table_runs(runs, n), p);
    if (sh_summary_any_criteria(runs, n))
        bad |= emit(out, sh_table_criteria_compare(runs, n), p);
    for (size_t i = 0; i < nt; i++)
        bad |= emit(out, tables[i], p);
    return bad;
}

/* What differs among the runs, then every run's summary panel. */
static int summaries(FILE *out, const sh_report_run *runs, size_t n, const sh_report_printer *p)
{
    char **lines = NULL;
    int bad = sh_summary_differences(&lines, runs, n) < 0;
    for (size_t i = 0; lines && lines[i]; i++)
        p->warning(out, lines[i]);
    sh_summary_free_lines(lines);
    size_t *order = malloc((n ? n : 1) * sizeof *order);
    if (!order)
        return 1;
    sh_summary_order(order, runs, n);
    for (size_t k = 0; k < n; k++) {
        sh_summary s;
        if (sh_summary_build(&s, runs, order, k)) {
            bad = 1;
            continue;
        }
        bad |= p->summary(out, &s) != 0;
        sh_summary_clear(&s);
    }
    free(order);
    return bad;
}

int sh_report_print_sequence(FILE *out, const sh_report_run *runs, size_t n,
                             const sh_report_style *st, const sh_report_options *opts,
                             const sh_report_printer *p)
{
    int bad = 0;
    if (p->title)
        fputs(p->title, out);
    if (!opts->brief)
        bad |= summaries(out, runs, n, p);
    if (n > 1) {
        p->heading(out, "Engines side by side");
        bad |= comparison(out, runs, n, st, p);
    } else if (!opts->brief) {
        bad |= emit(out, sh_table_runs(runs, n), p);
    }
    for (size_t i = 0; n > 1 && i < n; i++) {
        char h[PATH_MAX + 64], tail[PATH_MAX + 8];
        /* A label told apart by its file's name already ends with it. */
        snprintf(tail, sizeof tail, " (%s)", runs[i].path);
        size_t ll = strlen(runs[i].label), tl = strlen(tail);
        int has = ll >= tl && !strcmp(runs[i].label + ll - tl, tail);
        snprintf(h, sizeof h, "%s%s", runs[i].label, has ? "" : tail);
        char *shown = sh_utf8_printable_dup(h);
        bad |= !shown;
        if (shown)
            p->heading(out, shown);
        free(shown);
        bad |= one_run(out, &runs[i], st, opts, p);
    }
    if (n == 1)
        bad |= one_run(out, &runs[0], st, opts, p);
    return bad ? -1 : 0;
}
