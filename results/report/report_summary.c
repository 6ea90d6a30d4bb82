#include "report_summary.h"
#include "report_verdict.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "criteria.h"
#include "utf8.h"

/* ---- words ---- */

void sh_summary_measure_words(char *out, size_t size, const char *measure)
{
    static const char *const whole[][2] = {
        {"fnmr", "FNMR"}, {"fmr", "FMR"}, {"fte", "FTE"}, {"garbe", "GARBE"},
        {"fdr", "FDR"},   {"inequity", "inequity rate"}, {"error_rate", "error rate"},
        {"d_prime", "d'"}, {"auc", "AUC"}, {"zero_fmr", "ZeroFMR"}, {"zero_fnmr", "ZeroFNMR"},
        {"fold_accuracy", "accuracy over folds"},
    };
    static const char *const suffix[][2] = {
        {"max_min", "max/min"}, {"max_geomean", "max/geomean"}, {"gini", "Gini"},
        {"gap", "gap (highest - lowest)"},
    };
    for (size_t i = 0; i < sizeof whole / sizeof whole[0]; i++)
        if (!strcmp(measure, whole[i][0])) {
            snprintf(out, size, "%s", whole[i][1]);
            return;
        }
    const char *rate = !strncmp(measure, "fnmr_", 5)    ? "FNMR"
                       : !strncmp(measure, "fmr_", 4)   ? "FMR"
                       : !strncmp(measure, "error_", 6) ? "error rate"
                                                        : NULL;
    const char *rest = rate ? strchr(measure, '_') + 1 : measure;
    for (size_t i = 0; rate && i < sizeof suffix / sizeof suffix[0]; i++)
        if (!strcmp(rest, suffix[i][0])) {
            snprintf(out, size, "%s %s", rate, suffix[i][1]);
            return;
        }
    snprintf(out, size, "%s", measure);
}

/* "2.41 [2.1, 2.82]", the numbers a sentence gives. */
static void estimate_words(char *out, size_t size, const double *e)
{
    if (isnan(e[0]))
        snprintf(out, size, "not estimated");
    else if (isnan(e[1]) || isnan(e[2]))
        snprintf(out, size, "%.4g", e[0]);
    else
        snprintf(out, size, "%.4g [%.4g, %.4g]%s", e[0], e[1], e[2],
                 sh_report_outside(e[0], e[1], e[2]) ? SH_REPORT_OUTSIDE : "");
}

/* One failed rule in one sentence, with its value, bound, limit and interval. */
static char *failed_sentence(const sh_verdict *v, const sh_vresults *vr,
                             const sh_cresults *cr)
{
    char what[96], where[200], at[48] = "", est[96];
    sh_summary_measure_words(what, sizeof what, v->measure);
    if (sh_criterion_kind_of(v->measure) == SH_CRITERION_SUMMARY)
        snprintf(where, sizeof where, "across %s", v->partition);
    else if (v->group[0])
        snprintf(where, sizeof where, "of %s (%s)", v->group, v->partition);
    else
        snprintf(where, sizeof where, "in %s", v->partition);
    sh_vpoint p;
    if (sh_verdict_point(&p, v)) {
        char words[40];
        snprintf(at, sizeof at, " at %s", sh_vpoint_label(words, sizeof words, p));
    }
    char *s = NULL;
    if (isnan(v->value)) {
        if (asprintf(&s, "%s: %s %s%s could not be evaluated (%s); a rule that cannot be "
                         "evaluated fails.",
                     v->name, what, where, at, v->reason) < 0)
            return NULL;
        return s;
    }
    double e[3];
    sh_verdict_estimate(e, v, vr, cr);
    estimate_words(est, sizeof est, e);
    const char *side = !strcmp(v->op, "<=") ? "above" : "below";
    char iv[48] = "";
    if (!isnan(e[1]))
        snprintf(iv, sizeof iv, " (%s interval)", v->interval[0] ? v->interval : "bootstrap");
    int rc;
    if (!strcmp(v->bound, "value")) {
        rc = asprintf(&s, "%s: %s %s%s is %s%s, %s the limit %g (the rule tests the estimate "
                          "itself).",
                      v->name, what, where, at, est, iv, side, v->limit);
    } else {
        /* An 'at most' rule on the upper bound (or 'at least' on the lower)
         * needs the whole interval within the limit; the other way round,
         * it fails only when the whole interval is beyond it. */
        int strict = (!strcmp(v->op, "<=")) == (!strcmp(v->bound, "upper"));
        rc = asprintf(&s, "%s: %s %s%s is %s%s; its %s bound %.4g is %s the limit %g (a rule "
                          "on the %s bound %s).",
                      v->name, what, where, at, est, iv, v->bound, v->value, side, v->limit,
                      v->bound,
                      strict ? "needs the whole interval within the limit"
                             : "fails only when the whole interval is beyond the limit");
    }
    return rc < 0 ? NULL : s;
}

/* ---- the worst differential ---- */

/* Whether the summaries took g in at this partition and target: not too
 * small, with trials of the rate (fmr 0: FNMR, 1: FMR). */
static int taken_in(const sh_vgroup *g, const char *partition, sh_vpoint target, int fmr)
{
    return !strcmp(g->partition, partition) && sh_vpoint_same(sh_vgroup_point(g), target) &&
           !g->too_small &&
           (fmr ? g->n_impostor : g->n_genuine);
}

/* The highest and lowest rate (fmr 0: FNMR, 1: FMR) among the groups of a
 * partition at a target that the summaries took in (not too small, with
 * trials); NULL when none. */
static void extremes(const sh_vgroup **hi, const sh_vgroup **lo, const sh_vresults *v,
                     const char *partition, sh_vpoint target, int fmr)
{
    *hi = *lo = NULL;
    for (size_t i = 0; i < v->n_groups; i++) {
        const sh_vgroup *g = &v->groups[i];
        double r = fmr ? g->fmr : g->fnmr;
        if (!taken_in(g, partition, target, fmr) || isnan(r))
            continue;
        if (!*hi || r > (fmr ? (*hi)->fmr : (*hi)->fnmr))
            *hi = g;
        if (!*lo || r < (fmr ? (*lo)->fmr : (*lo)->fnmr))
            *lo = g;
    }
}

/* x to digits significant figures, but whole numbers from 10^digits up:
 * %.2g writes an interval's end of 120 as "1.2e+02". */
static void ratio_number(char *out, size_t size, double x, int digits)
{
    if (fabs(x) >= pow(10, digits))
        snprintf(out, size, "%.0f", x);
    else
        snprintf(out, size, "%.*g", digits, x);
}

/* Names the groups the summaries took in with no errors at all into
 * out ("V", "V and VI", or "3 groups"); returns how many there are. */
static size_t errorless(char *out, size_t size, const sh_vresults *v, const char *partition,
                        sh_vpoint target, int fmr)
{
    size_t k = 0;
    const char *first = NULL, *second = NULL;
    for (size_t i = 0; i < v->n_groups; i++) {
        const sh_vgroup *g = &v->groups[i];
        if (!taken_in(g, partition, target, fmr) ||
            (fmr ? g->n_false_match : g->n_false_nonmatch))
            continue;
        if (k == 0)
            first = g->group;
        else if (k == 1)
            second = g->group;
        k++;
    }
    if (k == 1)
        snprintf(out, size, "%s", first);
    else if (k == 2)
        snprintf(out, size, "%s and %s", first, second);
    else
        snprintf(out, size, "%zu groups", k);
    return k;
}

/* The two cells of one rate: the highest group with its rate and interval,
 * and max/min with its interval against the lowest group; "-" when the
 * lowest had no errors, since a ratio to zero has no value (the
 * differentials' max/min counts half an error there, docs/measures.md, and
 * a headline figure should not rest on that convention). */
static int worst_cells(sh_table *t, const sh_vresults *v, const sh_vsummary *s, int fmr)
{
    const sh_vgroup *hi, *lo;
    extremes(&hi, &lo, v, s->partition, sh_vsummary_point(s), fmr);
    if (!hi || hi == lo) {
        sh_table_cellf(t, "-");
        sh_table_cellf(t, "-");
        return 0;
    }
    double a, b;
    char cell[64], ratio[96];
    if (fmr)
        sh_report_fmr_bounds(v, hi, &a, &b);
    else
        sh_report_fnmr_bounds(v, hi, &a, &b);
    int outside = sh_report_rate(cell, sizeof cell, fmr ? hi->fmr : hi->fnmr, a, b);
    sh_table_cellf(t, "%s %s", hi->group, cell);
    char none[2 * SH_NAME_MAX + 8];
    size_t n_none = errorless(none, sizeof none, v, s->partition, sh_vsummary_point(s), fmr);
    if (n_none) {
        sh_table_cellf(t, "- (%s had no errors)", none);
        return outside;
    }
    const double *m = (const double *)((const char *)s +
                                       sh_vsummary_fields[fmr ? SH_VS_fmr_max_min
                                                              : SH_VS_fnmr_max_min].offset);
    int off = sh_report_outside(m[0], m[1], m[2]);
    outside |= off;
    if (isnan(m[0]))
        snprintf(ratio, sizeof ratio, "n/a");
    else if (isnan(m[1]) || isnan(m[2]))
        snprintf(ratio, sizeof ratio, "%.3gx", m[0]);
    else {
        char a1[32], a2[32];
        ratio_number(a1, sizeof a1, m[1], 2);
        ratio_number(a2, sizeof a2, m[2], 2);
        snprintf(ratio, sizeof ratio, "%.3gx [%s,%s]%s", m[0], a1, a2,
                 off ? SH_REPORT_OUTSIDE : "");
    }
    sh_table_cellf(t, "%s (%s)", ratio, lo->group);
    return outside;
}

/* Verification: one row per partition and estimable target. */
static sh_table *worst_verification(const sh_vresults *v)
{
    char title[160], iname[64];
    snprintf(title, sizeof title, "Worst differential per partition");
    sh_table *t = sh_table_create(title, "partition|at|highest FNMR|times the lowest|"
                                         "highest FMR|times the lowest",
                                  "lrllll");
    if (!t)
        return NULL;
    t->n_key = 2;
    int outside = 0;
    for (size_t i = 0; i < v->n_summaries; i++) {
        const sh_vsummary *s = &v->summaries[i];
        if (isnan(s->threshold))
            continue;
        char at[64];
        sh_table_cellf(t, "%s", s->partition);
        sh_table_cellf(t, "%s", sh_vpoint_label(at, sizeof at, sh_vsummary_point(s)));
        outside |= worst_cells(t, v, s, 0);
        outside |= worst_cells(t, v, s, 1);
    }
    sh_report_interval_name(iname, sizeof iname, v);
    sh_table_note(t, "At the global threshold of each operating point: the group with the highest "
                     "rate, with its %s interval, and how many times the lowest group's rate "
                     "it is (max/min, with its %g%% bootstrap interval; '-' where a group had "
                     "no errors, since a ratio to zero has no value, or every group's rate was the "
                     "same).",
                  iname, 100 * v->confidence);
    sh_report_outside_note(t, outside);
    return t;
}

/* Classification: one row per partition, the highest error rate and how
 * many times the lowest it is. */
static sh_table *worst_classification(const sh_cresults *c)
{
    sh_table *t = sh_table_create("Worst differential per partition",
                                  "partition|highest error|times the lowest", "lll");
    if (!t)
        return NULL;
    int bounded = 0, outside = 0;
    for (size_t i = 0; i < c->n_groups;) {
        const char *part = c->groups[i].partition;
        const sh_crow *hi = NULL, *lo = NULL;
        size_t j = i, counted = 0;
        for (; j < c->n_groups && !strcmp(c->groups[j].partition, part); j++) {
            const sh_crow *g = &c->groups[j];
            if (g->too_small || !g->n || isnan(g->error_rate))
                continue;
            counted++;
            if (!hi || g->error_rate > hi->error_rate)
                hi = g;
            if (!lo || g->error_rate < lo->error_rate)
                lo = g;
        }
        i = j;
        /* Groups of equal rates are a row too (1x): a partition left out
         * would read as one not measured. */
        if (!strcmp(part, "all") || counted < 2)
            continue;
        sh_table_cellf(t, "%s", part);
        sh_table_cellf(t, "%s %.1f%% [%.1f,%.1f]", hi->group, 100 * hi->error_rate,
                       100 * hi->error_wilson_lo, 100 * hi->error_wilson_hi);
        /* The summaries' max/min is this ratio where no group had a zero
         * rate, with its bootstrap interval (schema 1.11). */
        const sh_csummary *sum = NULL;
        for (size_t k = 0; k < c->n_summaries; k++)
            if (!strcmp(c->summaries[k].partition, part))
                sum = &c->summaries[k];
        double ratio = lo->error_rate > 0 ? hi->error_rate / lo->error_rate : NAN;
        if (lo->error_rate > 0 && sum && !isnan(sum->error_max_min_lo)) {
            int out = sh_report_outside(ratio, sum->error_max_min_lo, sum->error_max_min_hi);
            sh_table_cellf(t, "%.3gx [%.3g, %.3g]%s (%s %.1f%%)", ratio, sum->error_max_min_lo,
                           sum->error_max_min_hi, out ? SH_REPORT_OUTSIDE : "", lo->group,
                           100 * lo->error_rate);
            bounded = 1;
            outside |= out;
        } else if (lo->error_rate > 0) {
            sh_table_cellf(t, "%.3gx (%s %.1f%%)", ratio, lo->group, 100 * lo->error_rate);
        } else {
            sh_table_cellf(t, "- (%s had no errors)", lo->group);
        }
    }
    if (bounded)
        sh_table_note(t, "Error rate in percent with its %g%% Wilson interval; the ratio with "
                         "its %g%% subject-bootstrap interval (max/min, "
                         "/classification/summaries).",
                      100 * c->confidence, 100 * c->confidence);
    else
        sh_table_note(t, "Error rate in percent with its %g%% Wilson interval; the ratio has no "
                         "interval of its own.",
                      100 * c->confidence);
    sh_report_outside_note(t, outside);
    return t;
}

/* Identification: the cells of one rate (fpir 0: FNIR, 1: FPIR) of a
 * partition at a target: the highest group with its Wilson interval, and
 * how many times the lowest it is. */
static void worst_search_cells(sh_table *t, const sh_iresults *id, const char *partition,
                               double target, int fpir)
{
    const sh_igroup *hi = NULL, *lo = NULL;
    for (size_t i = 0; i < id->n_groups; i++) {
        const sh_igroup *g = &id->groups[i];
        double r = fpir ? g->fpir : g->fnir;
        if (strcmp(g->partition, partition) || g->target_fpir != target || g->too_small ||
            !(fpir ? g->n_nonmated : g->n_mated) || isnan(r))
            continue;
        if (!hi || r > (fpir ? hi->fpir : hi->fnir))
            hi = g;
        if (!lo || r < (fpir ? lo->fpir : lo->fnir))
            lo = g;
    }
    if (!hi || hi == lo) {
        sh_table_cellf(t, "-");
        sh_table_cellf(t, "-");
        return;
    }
    char cell[64];
    double h = fpir ? hi->fpir : hi->fnir, l = fpir ? lo->fpir : lo->fnir;
    sh_report_rate(cell, sizeof cell, h, fpir ? hi->fpir_wilson_lo : hi->fnir_wilson_lo,
                   fpir ? hi->fpir_wilson_hi : hi->fnir_wilson_hi);
    sh_table_cellf(t, "%s %s", hi->group, cell);
    if (l > 0)
        sh_table_cellf(t, "%.3gx (%s)", h / l, lo->group);
    else
        sh_table_cellf(t, "- (%s had none)", lo->group);
}

/* Identification: one row per partition and estimable target FPIR. */
static sh_table *worst_identification(const sh_iresults *id)
{
    sh_table *t = sh_table_create("Worst differential per partition",
                                  "partition|target FPIR|highest FNIR|times the lowest|"
                                  "highest FPIR|times the lowest",
                                  "lrllll");
    if (!t)
        return NULL;
    t->n_key = 2;
    for (size_t k = 0; k < id->n_thresholds; k++) {
        if (!id->thresholds[k].estimable)
            continue;
        double target = id->thresholds[k].target_fpir;
        for (size_t i = 0; i < id->n_groups; i++) {
            const char *part = id->groups[i].partition;
            int first = id->groups[i].target_fpir == target && strcmp(part, "all");
            for (size_t j = 0; first && j < i; j++)
                first = id->groups[j].target_fpir != target || strcmp(id->groups[j].partition, part);
            if (!first)
                continue;
            sh_table_cellf(t, "%s", part);
            sh_table_cellf(t, "%g", target);
            worst_search_cells(t, id, part, target, 0);
            worst_search_cells(t, id, part, target, 1);
        }
    }
    sh_table_note(t, "At the global threshold for each target FPIR: the group with the highest "
                     "rate, with its %g%% Wilson interval, and how many times the lowest "
                     "group's rate it is (the ratio has no interval of its own).",
                  100 * id->confidence);
    return t;
}

/* Groups whose FTE is above SH_SUMMARY_FTE_SHARE, in one sentence, or NULL. */
static char *fte_sentence(const sh_vresults *v, int *nomem)
{
    if (!v->n_thresholds)
        return NULL;
    sh_vpoint target = sh_vthreshold_point(&v->thresholds[0]);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f) {
        *nomem = 1;
        return NULL;
    }
    int any = 0;
    for (size_t i = 0; i < v->n_groups; i++) {
        const sh_vgroup *g = &v->groups[i];
        if (!sh_vpoint_same(sh_vgroup_point(g), target) || !(g->fte > SH_SUMMARY_FTE_SHARE))
            continue;
        fprintf(f, "%s%s (%s) %.1f%% [%.1f, %.1f], %llu of %llu images%s", any ? "; " : "",
                g->group, g->partition, 100 * g->fte, 100 * g->fte_wilson_lo,
                100 * g->fte_wilson_hi, (unsigned long long)g->n_fte,
                (unsigned long long)g->n_images, g->too_small ? ", too small to estimate" : "");
        any = 1;
    }
    if (fclose(f) != 0)
        *nomem = 1;
    if (!any || *nomem) {
        free(buf);
        return NULL;
    }
    char *s = NULL;
    if (asprintf(&s, "Failure to enrol above %g%% of a group's images: %s (95%% Wilson "
                     "intervals).",
                 100 * SH_SUMMARY_FTE_SHARE, buf) < 0) {
        *nomem = 1;
        s = NULL;
    }
    free(buf);
    return s;
}

/* The warning of sh_vresults_distances in one sentence, or NULL (also for
 * a file before 1.15, which lacks the counts it needs). */
static char *distances_sentence(const sh_results *r, int *nomem)
{
    const sh_vresults *v = r->verification;
    if (sh_results_schema_minor(r->info.schema_version) < 15 || !sh_vresults_distances(v))
        return NULL;
    const sh_vscore *all = &v->scores[0];
    char *s = NULL;
    if (asprintf(&s, "genuine pairs score below impostor pairs (AUC %.3f over the pairs with "
                     "a score; %llu of %llu genuine and %llu of %llu impostor pairs had none): "
                     "shades reads a higher score as more alike, so these look like distances, "
                     "and every rate here is of scores the wrong way round. Distances need "
                     "their sign turned before the run.",
                 sh_vresults_scored_auc(v), (unsigned long long)all->n_genuine_unscored,
                 (unsigned long long)all->n_genuine, (unsigned long long)all->n_impostor_unscored,
                 (unsigned long long)all->n_impostor) < 0) {
        *nomem = 1;
        s = NULL;
    }
    return s;
}

/* Accuracy over folds in one sentence: "all"'s mean, then each partition's
 * lowest and highest group mean (groups too small left out, as from the
 * criteria), or NULL without folds. */
static char *folds_sentence(const sh_vresults *v, int *nomem)
{
    if (!v->n_fold_accuracy)
        return NULL;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f) {
        *nomem = 1;
        return NULL;
    }
    int small = 0;
    for (size_t i = 0; i < v->n_fold_accuracy;) {
        const char *part = v->fold_accuracy[i].partition;
        const sh_vfold_summary *lo = NULL, *hi = NULL;
        size_t end = i, n = 0;
        for (; end < v->n_fold_accuracy && !strcmp(v->fold_accuracy[end].partition, part); end++) {
            const sh_vfold_summary *g = &v->fold_accuracy[end];
            if (!g->n_folds || isnan(g->mean))
                continue;
            if (sh_vresults_too_small(v, g->partition, g->group)) {
                small = 1;
                continue;
            }
            lo = !lo || g->mean < lo->mean ? g : lo;
            hi = !hi || g->mean > hi->mean ? g : hi;
            n++;
        }
        if (!strcmp(part, "all") && lo)
            fprintf(f, "all pairs %.1f%% (mean of %llu folds)", 100 * lo->mean,
                    (unsigned long long)lo->n_folds);
        else if (n == 1)
            fprintf(f, "; by %s, %s %.1f%%", part, lo->group, 100 * lo->mean);
        else if (lo && lo->mean == hi->mean)
            fprintf(f, "; by %s, each of its %zu groups %.1f%%", part, n, 100 * lo->mean);
        else if (lo && 100 * (hi->mean - lo->mean) < 0.05)
            fprintf(f, "; by %s, lowest %s %.1f%%, highest %s %.1f%% (under 0.05 points apart)",
                    part, lo->group, 100 * lo->mean, hi->group, 100 * hi->mean);
        else if (lo)
            fprintf(f, "; by %s, lowest %s %.1f%%, highest %s %.1f%% (%.1f points apart)", part,
                    lo->group, 100 * lo->mean, hi->group, 100 * hi->mean,
                    100 * (hi->mean - lo->mean));
        i = end;
    }
    if (fclose(f) != 0)
        *nomem = 1;
    char *s = NULL;
    if (!*nomem && len &&
        asprintf(&s, "Accuracy over folds (RFW's protocol): %s%s.", buf + (buf[0] == ';' ? 2 : 0),
                 small ? "; groups too small to estimate left out" : "") < 0) {
        *nomem = 1;
        s = NULL;
    }
    free(buf);
    return s;
}

/* 0: failed its criteria (or its verdict is in doubt), 1: passed, 2: has none. */
static int verdict_rank(const sh_report_run *run)
{
    const char *v = sh_report_verdict(NULL, 0, run->r, run->signature);
    return !v ? 2 : !strcmp(v, SH_VERDICT_PASS) ? 1 : 0;
}

void sh_summary_order(size_t *out, const sh_report_run *runs, size_t n)
{
    size_t k = 0;
    for (int rank = 0; rank < 3; rank++)
        for (size_t i = 0; i < n; i++)
            if (verdict_rank(&runs[i]) == rank)
                out[k++] = i;
}

/* A run's dataset card warning, or "" (files before 1.1 have none). */
static const char *dataset_warning(const sh_results *r)
{
    return r->info.dataset_warning ? r->info.dataset_warning : "";
}

/* A run's model card warning, or "" without a model card. */
static const char *model_warning(const sh_results *r)
{
    return r->model_card && r->model_card->warning ? r->model_card->warning : "";
}

/* The warning `get` finds in runs[order[k]], or, when a run shown before
 * it has the same one, words naming that run; NULL when it has none
 * (*nomem set when out of memory). */
static char *same_warning(const sh_report_run *runs, const size_t *order, size_t k,
                          const char *(*get)(const sh_results *), int *nomem)
{
    const char *w = get(runs[order[k]].r);
    if (!w[0])
        return NULL;
    size_t same = k;
    for (size_t j = 0; j < k && same == k; j++)
        if (!strcmp(get(runs[order[j]].r), w))
            same = j;
    char *out = NULL;
    int rc = same < k ? asprintf(&out, "the same as for %s above.", runs[order[same]].label)
                      : asprintf(&out, "%s", w);
    if (rc < 0) {
        *nomem = 1;
        return NULL;
    }
    return out;
}

/* What a run's model card leaves to its author's word: "" when the card is
 * shipped and states its training data, else words for each. */
static const char *card_doubt(const sh_model_card_info *mc)
{
    int unshipped = !mc->shipped_as || !mc->shipped_as[0];
    int unstated = sh_report_not_stated(mc->training_data);
    return unshipped && unstated ? "card not one shades ships; training data not stated"
           : unshipped           ? "card not one shades ships"
           : unstated            ? "training data not stated"
                                 : "";
}

/* The sentence for a run whose model card is not one shades ships or does
 * not state its training data, into out (cap bytes); 0 when neither. */
static int unstated_sentence(char *out, size_t cap, const sh_results *r)
{
    const sh_model_card_info *mc = r->model_card;
    if (!mc || !card_doubt(mc)[0])
        return 0;
    const char *name = mc->name ? mc->name : "", *version = mc->version ? mc->version : "";
    int unstated = sh_report_not_stated(mc->training_data);
    if (mc->shipped_as && mc->shipped_as[0])
        snprintf(out, cap, "Model %s %s: its publisher does not state what data trained it.",
                 name, version);
    else
        snprintf(out, cap, "Model %s %s: its card is not one shades ships (or is one altered), "
                           "so what it states is its author's word%s", name, version,
                 unstated ? "; it says its training data is not stated." : ".");
    return 1;
}

/* The model card line of runs[order[k]], or, when a run shown before it
 * has the same card's, words naming that run; NULL when there is nothing
 * to say (*nomem set when out of memory). */
static char *unstated_line(const sh_report_run *runs, const size_t *order, size_t k,
                           int *nomem)
{
    char mine[1024], theirs[1024];
    if (!unstated_sentence(mine, sizeof mine, runs[order[k]].r))
        return NULL;
    size_t same = k;
    for (size_t j = 0; j < k && same == k; j++)
        if (unstated_sentence(theirs, sizeof theirs, runs[order[j]].r) && !strcmp(theirs, mine))
            same = j;
    const sh_model_card_info *mc = runs[order[k]].r->model_card;
    char *out = NULL;
    int rc = same < k ? asprintf(&out, "Model %s %s: %s, as for %s above.",
                                 mc->name ? mc->name : "", mc->version ? mc->version : "",
                                 card_doubt(mc), runs[order[same]].label)
                      : asprintf(&out, "%s", mine);
    if (rc < 0) {
        *nomem = 1;
        return NULL;
    }
    return out;
}

/* Replaces *s (malloc'd, or NULL) with its printable copy. */
static void printable(char **s, int *nomem)
{
    if (!*s)
        return;
    char *shown = sh_utf8_printable_dup(*s);
    *nomem |= !shown;
    free(*s);
    *s = shown;
}

/* Every string of s as printable text (sh_utf8_printable_dup): names and
 * warnings come from results files, which a text report must not let
 * break its lines or drive a terminal. The worst table's cells already
 * are (report_table.h). */
static void printable_fields(sh_summary *s)
{
    char **fields[] = {&s->label, &s->run_name, &s->doubt, &s->fte, &s->folds,
                       &s->warning, &s->model_warning, &s->distances, &s->unstated};
    for (size_t i = 0; i < sizeof fields / sizeof *fields; i++)
        printable(fields[i], &s->nomem);
    for (size_t k = 0; s->failed && k < s->n_failed; k++)
        printable(&s->failed[k], &s->nomem);
}

int sh_summary_build(sh_summary *out, const sh_report_run *runs, const size_t *order,
                     size_t k)
{
    memset(out, 0, sizeof *out);
    const sh_report_run *run = &runs[order[k]];
    const sh_results *r = run->r;
    out->label = strdup(run->label);
    out->run_name = strdup(r->info.run_name ? r->info.run_name : "");
    out->nomem |= !out->label || !out->run_name;
    out->n_rules = r->n_verdicts;
    char why[1600];
    out->verdict = sh_report_verdict(why, sizeof why, run->r, run->signature);
    if (why[0]) {
        out->doubt = strdup(why);
        out->nomem |= !out->doubt;
    }
    out->failed = calloc(r->n_verdicts + 1, sizeof *out->failed);
    out->nomem |= !out->failed;
    for (size_t k = 0; out->failed && k < r->n_verdicts; k++) {
        if (r->verdicts[k].pass)
            continue;
        char *s = failed_sentence(&r->verdicts[k], r->verification, r->classification);
        out->nomem |= !s;
        if (s)
            out->failed[out->n_failed++] = s;
    }
    if (r->verification && r->verification->n_summaries) {
        out->worst = worst_verification(r->verification);
        out->nomem |= !out->worst;
    } else if (r->classification) {
        out->worst = worst_classification(r->classification);
        out->nomem |= !out->worst;
    } else if (r->identification) {
        out->worst = worst_identification(r->identification);
        out->nomem |= !out->worst;
    }
    if (r->verification) {
        out->fte = fte_sentence(r->verification, &out->nomem);
        out->folds = folds_sentence(r->verification, &out->nomem);
        out->distances = distances_sentence(r, &out->nomem);
    }
    out->warning = same_warning(runs, order, k, dataset_warning, &out->nomem);
    out->model_warning = same_warning(runs, order, k, model_warning, &out->nomem);
    out->unstated = unstated_line(runs, order, k, &out->nomem);
    printable_fields(out);
    if (out->nomem) {
        sh_summary_clear(out);
        return -1;
    }
    return 0;
}

void sh_summary_clear(sh_summary *s)
{
    free(s->label);
    free(s->run_name);
    free(s->doubt);
    for (size_t k = 0; s->failed && k < s->n_failed; k++)
        free(s->failed[k]);
    free(s->failed);
    sh_table_destroy(s->worst);
    free(s->fte);
    free(s->folds);
    free(s->distances);
    free(s->warning);
    free(s->model_warning);
    free(s->unstated);
    memset(s, 0, sizeof *s);
}
