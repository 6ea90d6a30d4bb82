/* The HTML report: one self-contained page (inline CSS and SVG, no script,
 * no external resource), readable on screen and in print. */
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_format.h"
#include "report_order.h"
#include "report_summary.h"
#include "report_svg.h"
#include "report_svg_density.h"
#include "report_tables.h"
#include "report_verdict.h"

static const char style[] =
    "body{font:14px/1.45 system-ui,sans-serif;color:#111;max-width:1200px;margin:2em auto;"
    "padding:0 1em}\n"
    "h1{font-size:1.6em}h2{border-bottom:2px solid #333;margin-top:2em}h3{margin-top:1.5em}\n"
    "table{border-collapse:collapse;margin:1em 0;font-variant-numeric:tabular-nums}\n"
    /* A table wider than the page scrolls inside its own box. */
    "div.table{max-width:100%;overflow-x:auto}\n"
    "caption{text-align:left;font-weight:600;padding:.3em 0}\n"
    "th,td{border-bottom:1px solid #ccc;padding:.2em .6em;text-align:left;vertical-align:top}\n"
    /* A number does not break at its exponent's sign ("7.31e-" / "157"). */
    "th{background:#f0f0f0}.num{text-align:right;white-space:nowrap}\n"
    "tr.part td{font-weight:600;padding-top:.5em}td.group{padding-left:1.6em}\n"
    "p.note{font-size:.9em;color:#444;margin-top:-.5em}\n"
    ".plots{display:flex;flex-wrap:wrap;gap:1em}figure{margin:0 0 1em}\n"
    "svg.plot{max-width:100%;height:auto;font-size:11px}\n"
    "svg .frame{fill:none;stroke:#333}svg .grid{stroke:#ddd}svg .tick{fill:#333}\n"
    "svg .axis{fill:#111;font-size:12px}svg .legend{fill:#111}svg .part{font-weight:600}\n"
    "svg .bar{fill:#7aa6cf}svg .whisker{stroke:#111;stroke-width:1.5;fill:none}\n"
    "svg .cell{stroke:#fff}svg .cellv{fill:#111}svg .cellv.light{fill:#fff}\n"
    ".verdict-fail{color:#a00;font-weight:700}.verdict-pass{color:#060;font-weight:700}\n"
    "#summary{border:2px solid #333;padding:0 1em .5em;margin:1em 0}\n"
    "#summary h2{border:0;margin:.5em 0 0;font-size:1.3em}#summary h3{margin:.8em 0 .3em}\n"
    "#summary ul{margin:.3em 0;padding-left:1.4em}#summary table{margin:.5em 0}\n"
    ".badge{display:inline-block;border:2px solid currentColor;padding:0 .5em;"
    "font-weight:700;letter-spacing:.08em;margin-left:.4em}\n"
    ".badge.fail{color:#a00;background:#fdd;border:4px double currentColor}"
    ".badge.pass{color:#060;background:#dfd}"
    ".badge.none{color:#333;font-weight:400;border-style:dashed}\n"
    ".warning{border:2px solid #333;border-left-width:8px;padding:.3em .6em;margin:.6em 0;"
    "background:#fff4e0}.warning ul{margin:.2em 0}\n"
    "p.verdicts{font-size:1.1em;font-weight:600}\n"
    "p.empty{margin:1em 0}\n"
    "@media print{body{max-width:none;margin:0;font-size:11px}h2{page-break-before:always}"
    "h2:first-of-type{page-break-before:avoid}figure,table,svg{page-break-inside:avoid}"
    "th{background:none}.badge,p.warning{background:none}\n"
    /* Side-by-side tables of many groups are wider than A4: smaller type,
     * and a cell may break inside a number rather than run off the page. */
    "table{font-size:10px}th,td{padding:.1em .3em;overflow-wrap:anywhere}"
    ".num{white-space:normal}"
    /* Paper does not scroll: the table is laid out within the page. */
    "div.table{overflow-x:visible}}\n";

static int table(FILE *out, sh_table *t)
{
    int rc = t ? sh_table_print_html(out, t) : -1;
    sh_table_destroy(t);
    return rc;
}

static void figure(FILE *out, const char *caption)
{
    fputs("<figcaption>", out);
    sh_html_escape(out, caption);
    fputs("</figcaption></figure>\n", out);
}

/* FNMR (fmr 0) or FMR (fmr 1) of every group at the k-th target. */
static int verification_bars(FILE *out, const sh_vresults *v, size_t k, int fmr)
{
    sh_vpoint target = sh_vthreshold_point(&v->thresholds[k]);
    sh_bar *bars = calloc(v->n_groups ? v->n_groups : 1, sizeof *bars);
    if (!bars)
        return -1;
    size_t n = 0;
    for (size_t i = 0; i < v->n_groups; i++) {
        const sh_vgroup *g = &v->groups[i];
        if (!sh_vpoint_same(sh_vgroup_point(g), target))
            continue;
        sh_bar *b = &bars[n++];
        b->partition = g->partition;
        b->group = g->group;
        b->rate = fmr ? g->fmr : g->fnmr;
        if (fmr)
            sh_report_fmr_bounds(v, g, &b->lo, &b->hi);
        else
            sh_report_fnmr_bounds(v, g, &b->lo, &b->hi);
    }
    char title[160], at[64];
    snprintf(title, sizeof title, "%s at %s, with intervals",
             fmr ? "FMR (same-group impostors)" : "FNMR",
             sh_vpoint_threshold_words(at, sizeof at, target));
    int rc = sh_svg_bars(out, title, bars, n, 0);
    free(bars);
    return rc;
}

/* FNIR (fpir 0) or FPIR (fpir 1) of every group at the k-th target FPIR,
 * with Wilson intervals. */
static int identification_bars(FILE *out, const sh_iresults *id, size_t k, int fpir)
{
    double target = id->thresholds[k].target_fpir;
    sh_bar *bars = calloc(id->n_groups ? id->n_groups : 1, sizeof *bars);
    if (!bars)
        return -1;
    size_t n = 0;
    for (size_t i = 0; i < id->n_groups; i++) {
        const sh_igroup *g = &id->groups[i];
        if (g->target_fpir != target)
            continue;
        bars[n++] = (sh_bar){g->partition, g->group, fpir ? g->fpir : g->fnir,
                             fpir ? g->fpir_wilson_lo : g->fnir_wilson_lo,
                             fpir ? g->fpir_wilson_hi : g->fnir_wilson_hi};
    }
    char title[128];
    snprintf(title, sizeof title, "%s at the threshold for FPIR %g, with intervals",
             fpir ? "FPIR" : "FNIR", target);
    int rc = sh_svg_bars(out, title, bars, n, 0);
    free(bars);
    return rc;
}

/* Identification: FNIR and FPIR bars per estimable target, then the
 * tables. */
static int identification_section(FILE *out, const sh_report_run *run,
                                  const sh_report_style *st)
{
    const sh_iresults *id = run->r->identification;
    int bad = 0;
    fputs("<h3>Identification error rates by group</h3>\n<div class=\"plots\">\n", out);
    for (size_t k = 0; k < id->n_thresholds; k++)
        for (int fpir = 0; fpir < 2 && id->thresholds[k].estimable; fpir++) {
            fputs("<figure>", out);
            bad |= identification_bars(out, id, k, fpir) != 0;
            char cap[200];
            snprintf(cap, sizeof cap, "%s per group at the global threshold for FPIR %g; "
                     "whiskers: the %g%% Wilson interval.",
                     fpir ? "FPIR (non-mated searches with a candidate above the threshold)"
                          : "FNIR (mated searches whose mate is not returned above it)",
                     id->thresholds[k].target_fpir, 100 * id->confidence);
            figure(out, cap);
        }
    fputs("</div>\n", out);
    for (size_t k = 0; k < id->n_thresholds; k++)
        bad |= table(out, sh_table_identification(run, k, st));
    bad |= table(out, sh_table_cmc(run));
    return bad;
}

/* Appends to the string in out (size bytes), cutting what does not fit. */
static void appendf(char *out, size_t size, const char *fmt, ...)
{
    size_t used = strlen(out);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(out + used, size - used, fmt, ap);
    va_end(ap);
}

/* Of a partition's genuine and same-group impostor pairs (0 and 1): how
 * many the densities hold (in) and how many the groups table counts
 * (all); they differ by the pairs with a failed template. */
static void density_counts(uint64_t *in, uint64_t *all, const sh_vresults *v,
                           const char *partition)
{
    in[0] = in[1] = all[0] = all[1] = 0;
    for (size_t i = 0; i < v->n_density; i++)
        if (!strcmp(v->density[i].partition, partition))
            in[strcmp(v->density[i].kind, "genuine") != 0] += v->density[i].count;
    /* Each group once: its rows at the first target. */
    for (size_t i = 0; i < v->n_groups; i++) {
        const sh_vgroup *g = &v->groups[i];
        if (!strcmp(g->partition, partition) &&
            sh_vpoint_same(sh_vgroup_point(g), sh_vgroup_point(&v->groups[0]))) {
            all[0] += g->n_genuine;
            all[1] += g->n_impostor;
        }
    }
}

/* A DET plot's caption: what it shows, and how many points it could not
 * draw and why, or that it drew every one. */
static void det_caption(char *out, size_t size, const char *partition, const sh_det_drawn *d)
{
    size_t off = d->points_zero + d->points_one;
    snprintf(out, size, "DET by %s: FNMR against FMR, both on probit axes; markers: each "
                        "group's FMR and FNMR at the global threshold of each operating point. ",
             strcmp(partition, "all") ? partition : "all images");
    if (d->no_curve)
        appendf(out, size, "No curve for %s: %s no genuine or no same-group impostor "
                           "comparisons. ",
                d->no_curve_names, d->no_curve == 1 ? "it has" : "they have");
    if (d->flat)
        appendf(out, size, "No line for %s: every point of %s has an FMR or FNMR of 0 or 1. ",
                d->flat_names, d->flat == 1 ? "its curve" : "their curves");
    if (!off && !d->marks_off) {
        appendf(out, size, "Every point is drawn.");
        return;
    }
    appendf(out, size, "Not drawn (a probit axis has no place for a rate of 0 or 1): %zu of %zu "
                       "curve points",
            off, d->points);
    if (d->points_zero && d->points_one)
        appendf(out, size, " (%zu with an FMR or FNMR of 0, %zu with a rate of 1)",
                d->points_zero, d->points_one);
    else if (off)
        appendf(out, size, ", with %s", d->points_zero ? "an FMR or FNMR of 0" : "a rate of 1");
    if (d->marks_off)
        appendf(out, size, "; %zu of %zu operating points, with a rate of 0 or 1.",
                d->marks_off, d->marks);
    else
        appendf(out, size, "; every operating point is drawn.");
}

/* The verification plots and tables of one run. */
static int verification_section(FILE *out, const sh_report_run *run,
                                const sh_report_style *st, unsigned *heat_id)
{
    const sh_vresults *v = run->r->verification;
    int bad = 0;
    fputs("<h3>Error rates by group</h3>\n<div class=\"plots\">\n", out);
    for (size_t k = 0; k < v->n_thresholds; k++) {
        if (!v->thresholds[k].estimable)
            continue;
        for (int fmr = 0; fmr < 2; fmr++) {
            fputs("<figure>", out);
            bad |= verification_bars(out, v, k, fmr);
            char cap[160], at[64];
            snprintf(cap, sizeof cap, "%s per group at %s; whiskers: the interval, where the group has one.",
                     fmr ? "FMR" : "FNMR",
                     sh_vpoint_threshold_words(at, sizeof at,
                                               sh_vthreshold_point(&v->thresholds[k])));
            figure(out, cap);
        }
    }
    fputs("</div>\n", out);
    for (size_t k = 0; k < v->n_thresholds; k++)
        bad |= table(out, sh_table_groups(run, k, st));
    if (sh_report_has_group_thresholds(v))
        bad |= table(out, sh_table_group_thresholds(run));
    if (sh_report_has_ratios(v))
        bad |= table(out, sh_table_ratios(run));

    fputs("<h3>DET curves</h3>\n<div class=\"plots\">\n", out);
    const char *parts[64];
    size_t np = sh_report_partitions(parts, 64, v);
    for (size_t p = 0; p < np; p++) {
        /* As wide as the plot, so the long caption wraps under it. */
        fputs("<figure style=\"max-width:560px\">", out);
        sh_det_drawn drawn;
        bad |= sh_svg_det(out, &drawn, v, parts[p]);
        char cap[900];
        det_caption(cap, sizeof cap, parts[p], &drawn);
        figure(out, cap);
    }
    fputs("</div>\n", out);
    for (size_t p = 0; v->n_density && p < np; p++) {
        fputs("<figure>", out);
        bad |= sh_svg_density(out, v, parts[p]);
        char cap[600];
        int w = snprintf(cap, sizeof cap, "Score distributions by %s: genuine (solid) and "
                         "same-group impostor (dashed) densities, each of area 1, on one scale; "
                         "dotted: the global threshold of each operating point.",
                         strcmp(parts[p], "all") ? parts[p] : "all images");
        uint64_t in[2], all[2];
        density_counts(in, all, v, parts[p]);
        if (w > 0 && (size_t)w < sizeof cap && (in[0] < all[0] || in[1] < all[1]))
            snprintf(cap + w, sizeof cap - (size_t)w,
                     " Pairs with a failed template have no score and are in no density: "
                     "%llu of %llu genuine pairs (the tables count each as a false non-match, "
                     "so the genuine mass below a threshold is less than the FNMR) and %llu of "
                     "%llu impostor pairs (never a false match).",
                     (unsigned long long)(all[0] - in[0]), (unsigned long long)all[0],
                     (unsigned long long)(all[1] - in[1]), (unsigned long long)all[1]);
        figure(out, cap);
    }
    bad |= table(out, sh_table_eer(run));
    if (v->n_scores)
        bad |= table(out, sh_table_scores(run));

    if (v->n_matrices) {
        fputs("<h3>Cross-group false match rates</h3>\n<p class=\"note\">Each cell: the FMR of "
              "impostor pairs with one image in the row's group and one in the column's, on a "
              "log colour scale from a tenth of the target FMR to ten times it (of the FMR of all "
              "cells, at a target FNMR or fixed threshold; wider where the data are); grey "
              "cells had no false match.</p>\n<div class=\"plots\">\n",
              out);
        for (size_t m = 0; m < v->n_matrices; m++)
            for (size_t k = 0; k < v->matrices[m].n_targets; k++) {
                if (isnan(v->matrices[m].threshold[k]))
                    continue;
                fputs("<figure>", out);
                bad |= sh_svg_heatmap(out, &v->matrices[m], k, ++*heat_id);
                char cap[240], at[64];
                const sh_vmatrix *mx = &v->matrices[m];
                size_t cells = mx->n_groups * mx->n_groups;
                int bounded = 0;
                for (size_t c = 0; mx->fmr_boot_lo && c < cells; c++)
                    bounded |= !isnan(mx->fmr_boot_lo[k * cells + c]);
                snprintf(cap, sizeof cap, "%s, %s%s", mx->partition,
                         sh_vpoint_label(at, sizeof at, sh_vmatrix_point(mx, k)),
                         bounded ? "; under each rate, its subject-bootstrap interval" : "");
                figure(out, cap);
            }
        fputs("</div>\n", out);
    }

    fputs("<h3>Differentials</h3>\n", out);
    bad |= table(out, sh_table_summaries(run));
    if (v->n_tests)
        bad |= table(out, sh_table_tests(run));
    if (v->fold_accuracy)
        bad |= table(out, sh_table_folds(run));
    return bad;
}

/* The classification plot (Gender Shades' bar chart) and tables of one run. */
static int classification_section(FILE *out, const sh_report_run *run,
                                  const sh_report_style *st)
{
    const sh_cresults *c = run->r->classification;
    size_t n = c->n_groups ? c->n_groups : 1;
    sh_bar *bars = calloc(n, sizeof *bars);
    size_t *order = calloc(n, sizeof *order);
    int bad = !bars || !order || sh_report_gender_shades_order(order, c);
    for (size_t i = 0; bars && order && i < c->n_groups; i++) {
        const sh_crow *g = &c->groups[order[i]];
        bars[i] = (sh_bar){g->partition, g->group, g->error_rate, g->error_wilson_lo,
                           g->error_wilson_hi};
    }
    char title[160];
    snprintf(title, sizeof title, "Classification error of %s by group", c->attribute);
    fputs("<h3>", out);
    sh_html_escape(out, title);
    fputs("</h3>\n<figure>", out);
    if (bars && order)
        bad |= sh_svg_bars(out, title, bars, c->n_groups, 1);
    free(bars);
    free(order);
    char cap[640];
    snprintf(cap, sizeof cap, "Error rate per group, in the order of Gender Shades' table (All, "
                              "F, M, Darker, Lighter, DF, DM, LF, LM): All; the %s groups; the "
                              "groups of each attribute an intersection crosses with it; the "
                              "intersections, %s varying fastest; each alphabetically. "
                              "Whiskers: the %g%% Wilson interval.",
             c->attribute,
             c->attribute, 100 * c->confidence);
    figure(out, cap);
    bad |= table(out, sh_table_classification(run, st));
    if (c->n_summaries)
        bad |= table(out, sh_table_class_summaries(run));
    bad |= table(out, sh_table_class_rates(run));
    return bad;
}

static int run_section(FILE *out, const sh_report_run *run, const sh_report_style *st,
                       unsigned *heat_id)
{
    const sh_vresults *v = run->r->verification;
    int bad = 0;
    fputs("<h2>", out);
    sh_html_escape(out, run->label);
    fputs(": ", out);
    sh_html_escape(out, run->r->info.run_name);
    fputs("</h2>\n", out);
    const char *verdict = sh_report_verdict(NULL, 0, run->r, run->signature);
    if (verdict) {
        int pass = !strcmp(verdict, SH_VERDICT_PASS);
        fprintf(out, "<p>Criteria: <span class=\"verdict-%s\">%s</span></p>\n",
                pass ? "pass" : "fail", verdict);
    }
    if (run->signature) {
        fputs("<p>Signature: ", out);
        sh_html_escape(out, run->signature);
        fputs("</p>\n", out);
    }
    bad |= table(out, sh_table_provenance(run));
    if (run->r->model_card)
        bad |= table(out, sh_table_model_card(run));
    if (sh_report_has_service(run->r))
        bad |= table(out, sh_table_service(run));

    if (run->r->classification)
        bad |= classification_section(out, run, st);
    if (v)
        bad |= verification_section(out, run, st, heat_id);
    if (run->r->identification)
        bad |= identification_section(out, run, st);
    if (run->r->n_verdicts)
        bad |= table(out, sh_table_criteria(run));
    bad |= table(out, sh_table_failures(run));
    return bad;
}

/* A run's verdict as a badge: the word in bold within a border (double
 * for FAIL, dashed without criteria), coloured too, so it reads in grey. */
static void badge(FILE *out, const sh_summary *s)
{
    if (!s->verdict)
        fputs(" <span class=\"badge none\">" SH_SUMMARY_NO_CRITERIA "</span>", out);
    else
        fprintf(out, " <span class=\"badge %s\">%s</span>",
                strcmp(s->verdict, SH_VERDICT_PASS) ? "fail" : "pass", s->verdict);
}

/* One run's summary panel: its verdict as a badge (word and border, not
 * colour alone), failed rules, worst differentials, FTE, warnings and
 * the model card's unstated training data. */
static int summary_block(FILE *out, const sh_summary *s)
{
    fputs("<div class=\"run-summary\">\n<h3>", out);
    sh_html_escape(out, s->label);
    fputs(", run ", out);
    sh_html_escape(out, s->run_name);
    fputs(": criteria", out);
    badge(out, s);
    fputs("</h3>\n", out);
    if (s->doubt) {
        fputs("<p class=\"warning\"><strong>Not a verdict to rely on:</strong> ", out);
        sh_html_escape(out, s->doubt);
        fputs(".</p>\n", out);
    }
    if (s->verdict && s->n_failed)
        fprintf(out, "<p>%s%zu of %zu rules failed:</p>\n<ul class=\"failed\">\n",
                s->doubt ? "As the file records them, " : "", s->n_failed, s->n_rules);
    else if (s->verdict && s->doubt)
        fprintf(out, "<p>As the file records them, all %zu rules passed.</p>\n", s->n_rules);
    else if (s->verdict)
        fprintf(out, "<p>All %zu rules passed.</p>\n", s->n_rules);
    for (size_t i = 0; i < s->n_failed; i++) {
        fputs("<li>", out);
        sh_html_escape(out, s->failed[i]);
        fputs("</li>\n", out);
    }
    if (s->verdict && s->n_failed)
        fputs("</ul>\n", out);
    if (s->warning) {
        fputs("<p class=\"warning\"><strong>Dataset warning:</strong> ", out);
        sh_html_escape(out, s->warning);
        fputs("</p>\n", out);
    }
    if (s->distances) {
        fputs("<p class=\"warning\"><strong>Score warning:</strong> ", out);
        sh_html_escape(out, s->distances);
        fputs("</p>\n", out);
    }
    if (s->model_warning) {
        fputs("<p class=\"warning\"><strong>Model warning:</strong> ", out);
        sh_html_escape(out, s->model_warning);
        fputs("</p>\n", out);
    }
    if (s->unstated) {
        fputs("<p>", out);
        sh_html_escape(out, s->unstated);
        fputs("</p>\n", out);
    }
    int rc = s->worst ? sh_table_print_html(out, s->worst) : 0;
    const char *lines[] = {s->fte, s->folds};
    for (size_t k = 0; k < 2; k++)
        if (lines[k]) {
            fputs("<p>", out);
            sh_html_escape(out, lines[k]);
            fputs("</p>\n", out);
        }
    fputs("</div>\n", out);
    return rc;
}

/* The summary section, first in the page: what differs among the runs,
 * then each run's panel. */
static int summary_section(FILE *out, const sh_report_run *runs, size_t n)
{
    char **lines = NULL;
    const char *kinds[8] = {0};
    int count = sh_summary_differences_named(&lines, kinds, runs, n), bad = count < 0;
    fputs("<section id=\"summary\">\n<h2>Summary</h2>\n", out);
    if (lines && lines[0]) {
        /* One sentence names what differs at the top; the run-by-run detail
         * follows the panels, so the verdicts stay on the first screen
         * however many runs differ. */
        fputs("<div class=\"warning\"><strong>Warning: these runs differ in ", out);
        for (int i = 0; i < count; i++) {
            fputs(i == 0 ? "" : i + 1 == count ? " and " : ", ", out);
            sh_html_escape(out, kinds[i]);
        }
        fputs(", so setting them side by side can mislead</strong> (what each run used follows "
              "the verdicts).</div>\n", out);
    }
    sh_summary *all = calloc(n ? n : 1, sizeof *all);
    size_t *order = malloc((n ? n : 1) * sizeof *order);
    bad |= !all || !order;
    if (!order) {
        free(all);
        all = NULL;
    } else
        sh_summary_order(order, runs, n);
    /* all[i] is runs[i]'s panel, built in the order the panels are shown. */
    for (size_t k = 0; all && k < n; k++)
        bad |= sh_summary_build(&all[order[k]], runs, order, k) != 0;
    /* Several runs: every verdict in one line first, so all are on the
     * first screen. */
    if (all && n > 1) {
        fputs("<p class=\"verdicts\">Criteria:", out);
        for (size_t i = 0; i < n; i++) {
            fputs(i ? "; " : " ", out);
            sh_html_escape(out, runs[i].label);
            badge(out, &all[i]);
        }
        fputs("</p>\n", out);
    }
    for (size_t k = 0; all && k < n; k++) {
        sh_summary *s = &all[order[k]];
        if (s->label) /* NULL: not built, out of memory */
            bad |= summary_block(out, s) != 0;
        sh_summary_clear(s);
    }
    free(all);
    free(order);
    if (lines && lines[0]) {
        fputs("<div class=\"warning\" id=\"differences\"><strong>What each run used</strong>\n"
              "<ul>\n", out);
        for (size_t i = 0; lines[i]; i++) {
            fputs("<li>", out);
            sh_html_escape(out, lines[i]);
            fputs("</li>\n", out);
        }
        fputs("</ul></div>\n", out);
    }
    sh_summary_free_lines(lines);
    fputs("</section>\n", out);
    return bad;
}

static int write_html(FILE *out, const sh_report_run *runs, size_t n, const sh_report_style *st,
                      const struct sh_report_options *opts)
{
    (void)opts;
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
          "<title>shades report</title>\n<style>\n",
          out);
    fputs(style, out);
    fputs("</style>\n</head>\n<body>\n<h1>shades report</h1>\n", out);
    int bad = summary_section(out, runs, n);
    fputs("<p>Error rates of face-recognition engines by demographic group: counts beside "
          "rates, intervals on every estimate. Definitions: docs/measures.md.</p>\n",
          out);
    bad |= table(out, sh_table_runs(runs, n));
    if (n > 1) {
        sh_table *tables[1024];
        size_t nt = sh_report_comparison(tables, 1024, runs, n, st);
        fputs("<h2>Engines side by side</h2>\n", out);
        if (sh_summary_any_criteria(runs, n))
            bad |= table(out, sh_table_criteria_compare(runs, n));
        for (size_t i = 0; i < nt; i++)
            bad |= table(out, tables[i]);
    }
    unsigned heat_id = 0;
    for (size_t i = 0; i < n; i++)
        bad |= run_section(out, &runs[i], st, &heat_id);
    fputs("</body>\n</html>\n", out);
    return bad ? -1 : 0;
}

static const char *const extensions[] = {"html", NULL};

const sh_report_format sh_report_html = {"html", "HTML", extensions, 0, write_html};
