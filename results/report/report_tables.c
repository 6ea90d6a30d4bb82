#include "report_tables.h"

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "report_order.h"
#include "report_verdict.h"

int sh_report_outside(double r, double lo, double hi)
{
    return !isnan(r) && !isnan(lo) && !isnan(hi) && (r < lo || r > hi);
}

int sh_report_rate(char *out, size_t size, double r, double lo, double hi)
{
    int outside = sh_report_outside(r, lo, hi);
    if (isnan(r)) {
        snprintf(out, size, "n/a");
    } else if (isnan(lo) || isnan(hi)) {
        snprintf(out, size, "%.3g", r);
    } else {
        /* Two digits for the bounds, more where two would seem to leave out
         * an estimate they hold (0.999 [1,1] for bounds 0.9978 and 0.9996). */
        char a[32], b[32], e[32];
        snprintf(e, sizeof e, "%.3g", r);
        for (int digits = 2; digits <= 9; digits++) {
            snprintf(a, sizeof a, "%.*g", digits, lo);
            snprintf(b, sizeof b, "%.*g", digits, hi);
            double shown = strtod(e, NULL);
            if (outside || (strtod(a, NULL) <= shown && shown <= strtod(b, NULL)))
                break;
        }
        /* At most 9 digits a bound (16 characters): a cell fits 64 bytes. */
        snprintf(out, size, "%.12s [%.16s,%.16s]%s", e, a, b, outside ? SH_REPORT_OUTSIDE : "");
    }
    return outside;
}

void sh_report_outside_note(sh_table *t, int any)
{
    if (any)
        sh_table_note_add(t, SH_REPORT_OUTSIDE " The interval does not contain its estimate. "
                             "Bootstrap intervals are percentile intervals of the replicates; "
                             "a maximum or a ratio of noisy group rates is biased upward (FDR, "
                             "one minus a maximum, downward), so with small groups the "
                             "replicates, and the interval, can sit beside the estimate "
                             "rather than around it. That is the estimator's nature, shown as "
                             "is, not an error (docs/measures.md).");
}

void sh_report_bound_note(sh_table *t)
{
    sh_table_note_add(t, "Bound: what a rule compares with its limit. value: the estimate "
                         "itself; upper: the upper end of its interval, so an 'at most' rule "
                         "passes only when the whole interval is within the limit; lower: "
                         "the lower end, so an 'at least' rule passes only when the whole "
                         "interval is within it.");
}

void sh_report_fnmr_bounds(const sh_vresults *v, const sh_vgroup *g, double *lo,
                               double *hi)
{
    *lo = v->bootstrap ? g->fnmr_boot_lo : g->fnmr_wilson_lo;
    *hi = v->bootstrap ? g->fnmr_boot_hi : g->fnmr_wilson_hi;
}

void sh_report_fmr_bounds(const sh_vresults *v, const sh_vgroup *g, double *lo,
                              double *hi)
{
    *lo = v->bootstrap ? g->fmr_boot_lo : g->fmr_wilson_lo;
    *hi = v->bootstrap ? g->fmr_boot_hi : g->fmr_wilson_hi;
}

void sh_report_interval_name(char *out, size_t size, const sh_vresults *v)
{
    snprintf(out, size, "%g%% %s", 100 * v->confidence,
             v->bootstrap ? "subject-bootstrap" : "Wilson");
}

sh_table *sh_table_runs(const sh_report_run *runs, size_t n)
{
    sh_table *t = sh_table_create("Runs",
                                  "engine|run|images|subjects|created|criteria|signature",
                                  "llrrlll");
    if (!t)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        const sh_run_info *f = &runs[i].r->info;
        sh_table_cellf(t, "%s", runs[i].label);
        sh_table_cellf(t, "%s", f->run_name);
        sh_table_cellf(t, "%llu", (unsigned long long)f->n_images);
        sh_table_cellf(t, "%llu", (unsigned long long)f->n_subjects);
        sh_table_cellf(t, "%s", f->created);
        /* The attribute's word, unless the file disagrees with it or with itself. */
        const char *verdict = sh_report_verdict(NULL, 0, runs[i].r, runs[i].signature);
        int doubt =
            verdict && strcmp(verdict, SH_VERDICT_PASS) && strcmp(verdict, SH_VERDICT_FAIL);
        sh_table_cellf(t, "%s", doubt ? verdict : f->criteria_passed);
        sh_table_cellf(t, "%s", runs[i].signature ? runs[i].signature : "");
    }
    return t;
}

sh_table *sh_table_provenance(const sh_report_run *run)
{
    const sh_run_info *f = &run->r->info;
    const sh_model_card_info *mc = run->r->model_card;
    const sh_service_info *sv = run->r->service;
    char title[512], model[512], service[1200];
    snprintf(title, sizeof title, "Provenance of %s", run->path);
    if (mc)
        snprintf(model, sizeof model, "%s %s (below)", mc->name, mc->version);
    else
        snprintf(model, sizeof model, "none (engine.model_card, docs/models.md)");
    if (sv)
        snprintf(service, sizeof service, "%s (below)", sv->description);
    else
        snprintf(service, sizeof service, "none (engine.service, docs/config.md)");
    sh_table *t = sh_table_create(title, "item|value", "ll");
    if (!t)
        return NULL;
    const char *rows[][2] = {
        {"run", f->run_name},
        {"config", f->config_path},
        {"adapter", f->adapter_name},
        {"adapter version", f->adapter_version},
        {"adapter library", f->adapter_library},
        {"adapter sha256", f->adapter_sha256},
        {"engine isolation", f->engine_isolation[0] ? f->engine_isolation : "not recorded"},
        {"repeatability", f->engine_repeatability[0] ? f->engine_repeatability : "not recorded"},
        {"manifest", f->manifest_path},
        {"manifest sha256", f->manifest_sha256},
        {"pair list sha256", f->pairs_sha256[0] ? f->pairs_sha256
                             : f->protocol[0] && strcmp(f->protocol, "verification")
                                 ? "none (no pairs in this protocol)"
                                 : "none (generated pairs, or a file before 1.14)"},
        {"protocol", f->protocol[0] ? f->protocol : "verification"},
        {"dataset", f->dataset_name[0] ? f->dataset_name : "(no card)"},
        {"dataset card", f->dataset_card[0] ? "recorded in the file" : "none"},
        {"dataset warning", f->dataset_warning[0] ? "yes: shown in the summary at the top"
                                                  : "none"},
        {"model card", model},
        {"service", service},
        {"created", f->created},
        {"build", f->build},
        {"host", f->host_cpu[0] ? f->host_cpu : "not recorded"},
        {"host OS", f->host_os[0] ? f->host_os : "not recorded"},
        {"card sha256", f->card_sha256[0] ? f->card_sha256 : "none"},
        {"images Merkle root", f->images_merkle_root[0] ? f->images_merkle_root : "none"},
        {"signature", run->signature ? run->signature : ""},
        {"schema", f->schema_version},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        sh_table_cellf(t, "%s", rows[i][0]);
        sh_table_cellf(t, "%s", rows[i][1]);
    }
    if (f->replay_gallery_sha256[0]) { /* a 1:N replay's gallery file */
        sh_table_cellf(t, "gallery sha256");
        sh_table_cellf(t, "%s", f->replay_gallery_sha256);
    }
    sh_table_cellf(t, "adapter ABI");
    sh_table_cellf(t, "%llu.%llu", (unsigned long long)f->adapter_abi_major,
                       (unsigned long long)f->adapter_abi_minor);
    sh_table_cellf(t, "seed, threads");
    sh_table_cellf(t, "%llu, %llu", (unsigned long long)f->seed,
                       (unsigned long long)f->threads);
    return t;
}

int sh_report_not_stated(const char *training_data)
{
    return training_data && !strncasecmp(training_data, "not stated", 10);
}

sh_table *sh_table_model_card(const sh_report_run *run)
{
    const sh_model_card_info *mc = run->r->model_card;
    char title[512];
    snprintf(title, sizeof title, "Model card of %s", run->path);
    sh_table *t = sh_table_create(title, "item|value", "ll");
    if (!t)
        return NULL;
    char datasets[1024]; /* the names, one a line in the file, as a list */
    size_t len = 0;
    for (const char *p = mc->training_datasets; *p && len + 3 < sizeof datasets; p++) {
        if (*p == '\n') {
            datasets[len++] = ',';
            datasets[len++] = ' ';
        } else {
            datasets[len++] = *p;
        }
    }
    datasets[len] = '\0';
    const char *rows[][2] = {
        {"model", mc->name},
        {"version", mc->version},
        {"package", mc->package},
        {"source", mc->source},
        {"source sha256", mc->source_sha256},
        {"licence", mc->licence},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        sh_table_cellf(t, "%s", rows[i][0]);
        sh_table_cellf(t, "%s", rows[i][1]);
    }
    sh_table_cellf(t, "training data");
    if (sh_report_not_stated(mc->training_data))
        sh_table_cellf(t, "NOT STATED: the publisher does not say what data trained this "
                          "model. The card reads: %s", mc->training_data);
    else
        sh_table_cellf(t, "%s (as the publisher states it)", mc->training_data);
    sh_table_cellf(t, "training datasets");
    sh_table_cellf(t, "%s", datasets[0] ? datasets : "none named");
    sh_table_cellf(t, "withdrawn among them");
    sh_table_cellf(t, "%s", mc->warning[0] ? "yes: shown in the summary at the top" : "none");
    sh_table_cellf(t, "card");
    sh_table_cellf(t, "%s", mc->card_path);
    sh_table_cellf(t, "card sha256");
    sh_table_cellf(t, "%s", mc->card_sha256);
    sh_table_cellf(t, "shipped with shades");
    if (mc->shipped_as && mc->shipped_as[0])
        sh_table_cellf(t, "yes: byte for byte %s", mc->shipped_as);
    else
        sh_table_cellf(t, "no: not a card shades ships (or one altered); what it states is "
                          "its author's word");
    for (size_t i = 0; i < mc->n_files; i++) {
        sh_table_cellf(t, "file %s", mc->files[i].path);
        sh_table_cellf(t, "%s; sha256 %s", mc->files[i].purpose, mc->files[i].sha256);
    }
    sh_table_note(t, "The files were checked against these SHA-256 sums before the run.");
    return t;
}

int sh_report_has_service(const sh_results *r)
{
    return r->service || r->has_provenance;
}

sh_table *sh_table_service(const sh_report_run *run)
{
    const sh_service_info *sv = run->r->service;
    char title[512];
    snprintf(title, sizeof title, "Service of %s", run->path);
    sh_table *t = sh_table_create(title, "item|value", "ll");
    if (!t)
        return NULL;
    sh_table_cellf(t, "service description");
    sh_table_cellf(t, "%s", sv ? sv->description : "none (engine.service, docs/config.md)");
    if (sv) {
        sh_table_cellf(t, "description sha256");
        sh_table_cellf(t, "%s", sv->description_sha256);
    }
    sh_table_cellf(t, "engine provenance");
    if (!run->r->has_provenance)
        sh_table_cellf(t, "none: the engine does not offer %s", "shades.provenance/1");
    else
        sh_table_cellf(t, "%zu line%s, as the engine states them (shades.provenance/1)",
                       run->r->n_provenance, run->r->n_provenance == 1 ? "" : "s");
    for (size_t i = 0; i < run->r->n_provenance; i++) {
        sh_table_cellf(t, "%s", run->r->provenance[i].key);
        sh_table_cellf(t, "%s", run->r->provenance[i].value);
    }
    if (sv)
        sh_table_note(t, "The engine sent the images to the service this description names; "
                         "the dataset card permitted third-party processing.");
    return t;
}

/* A row naming a partition, its other cells empty, above its groups. */
void sh_report_partition_row(sh_table *t, const char *partition)
{
    sh_table_cellf(t, "%s", partition);
    for (size_t c = 1; c < t->n_cols; c++)
        sh_table_cellf(t, "%s", "");
}

/* A group's label, indented under its partition, '*' when the run found
 * it too small. */
static void group_label(char *out, size_t size, const sh_vgroup *g)
{
    snprintf(out, size, "%s%s%s", strcmp(g->partition, "all") ? "  " : "", g->group,
             g->too_small ? "*" : "");
}

/* What '*' means, in the words of the notes. */
static void small_words(char *out, size_t size, const sh_report_style *st)
{
    if (st->mixed)
        snprintf(out, size, "fewer subjects than its run's groups.min_subjects");
    else
        snprintf(out, size, "fewer than %u subjects (groups.min_subjects)", st->min_subjects);
}

void sh_report_unbounded_words(char *iname, size_t cap, int unbounded)
{
    size_t n = strlen(iname);
    if (unbounded && n < cap)
        snprintf(iname + n, cap - n, "; none for a group of under %d subjects, whose "
                 "replicates show too little spread", SH_TEST_BOOT_SUBJECTS);
}

void sh_report_small_note(sh_table *t, int any_small, const sh_report_style *st,
                              const char *iname)
{
    char words[96];
    small_words(words, sizeof words, st);
    if (any_small)
        sh_table_note(t, "Intervals: %s. * %s: too small to estimate, left out of the "
                             "differentials and criteria.", iname, words);
    else
        sh_table_note(t, "Intervals: %s.", iname);
}

sh_table *sh_table_groups(const sh_report_run *run, size_t k,
                                  const sh_report_style *st)
{
    const sh_vresults *v = run->r->verification;
    const sh_vthreshold *th = &v->thresholds[k];
    char title[256], iname[192], at[64];
    sh_vpoint point = sh_vthreshold_point(th);
    sh_vpoint_label(at, sizeof at, point);
    const char *kind = point.kind == SH_VPOINT_FIXED ? "Fixed" : "Target";
    if (th->estimable)
        snprintf(title, sizeof title,
                 "%s %s: global threshold %.6g (overall FMR %.3g, FNMR %.3g)", kind, at,
                 th->threshold, th->fmr, th->fnmr);
    else if (point.kind == SH_VPOINT_FMR)
        snprintf(title, sizeof title,
                 "Target %s: not estimable (%llu impostor pairs, %.0f needed)", at,
                 (unsigned long long)th->n_impostor, ceil(1 / point.value));
    else if ((double)th->n_genuine * point.value < 1)
        snprintf(title, sizeof title,
                 "Target %s: not estimable (%llu genuine pairs, %.0f needed)", at,
                 (unsigned long long)th->n_genuine, ceil(1 / point.value));
    else {
        const sh_vgroup *all = sh_vresults_group(v, "all", "All", point);
        snprintf(title, sizeof title,
                 "Target %s: not estimable (%llu of %llu genuine pairs have a failed template, "
                 "more than the target allows)", at,
                 (unsigned long long)(all ? all->n_genuine_failed : 0),
                 (unsigned long long)th->n_genuine);
    }
    sh_report_interval_name(iname, sizeof iname, v);
    sh_table *t = sh_table_create(title, "group|FTE|FNMR [interval]|errors/n|"
                                                 "FMR [interval]|errors/n",
                                          "lrlrlr");
    if (!t)
        return NULL;
    int any_small = 0, outside = 0, unbounded = 0;
    const char *last = "all";
    for (size_t i = 0; i < v->n_groups; i++) {
        const sh_vgroup *g = &v->groups[i];
        if (!sh_vpoint_same(sh_vgroup_point(g), point))
            continue;
        char label[160], cell[64];
        double lo, hi;
        if (strcmp(g->partition, last)) {
            sh_report_partition_row(t, g->partition);
            last = g->partition;
        }
        group_label(label, sizeof label, g);
        any_small |= g->too_small != 0;
        sh_table_cellf(t, "%s", label);
        sh_table_cellf(t, "%.1f%%", 100 * g->fte);
        sh_report_fnmr_bounds(v, g, &lo, &hi);
        unbounded |= !isnan(g->fnmr) && isnan(lo);
        outside |= sh_report_rate(cell, sizeof cell, g->fnmr, lo, hi);
        sh_table_cellf(t, "%s", cell);
        /* No count of errors where no threshold was reached: "0" would
         * read as none. */
        if (isnan(g->fnmr))
            sh_table_cellf(t, "-/%llu", (unsigned long long)g->n_genuine);
        else
            sh_table_cellf(t, "%llu/%llu", (unsigned long long)g->n_false_nonmatch,
                           (unsigned long long)g->n_genuine);
        sh_report_fmr_bounds(v, g, &lo, &hi);
        unbounded |= !isnan(g->fmr) && isnan(lo);
        outside |= sh_report_rate(cell, sizeof cell, g->fmr, lo, hi);
        sh_table_cellf(t, "%s", cell);
        if (isnan(g->fmr))
            sh_table_cellf(t, "-/%llu", (unsigned long long)g->n_impostor);
        else
            sh_table_cellf(t, "%llu/%llu", (unsigned long long)g->n_false_match,
                           (unsigned long long)g->n_impostor);
    }
    sh_report_unbounded_words(iname, sizeof iname, unbounded);
    sh_report_small_note(t, any_small, st, iname);
    sh_report_outside_note(t, outside);
    return t;
}

/* "value [lo, hi]" of a bounded summary; 1 when marked outside. */
static int bounded(char *out, size_t size, const double *v)
{
    return sh_report_rate(out, size, v[0], v[1], v[2]);
}

/* A p-value; the exact value underflows for very large groups. */
static const char *p_value(char *out, size_t size, double p)
{
    snprintf(out, size, p > 0 || isnan(p) ? "%.2g" : "<1e-300", p);
    return out;
}

/* The summaries the reports show: those of vsummary_fields.def with a
 * heading, in list order; a gap with its two groups and Fisher p, the
 * others with their bootstrap intervals. */
typedef struct summary_column {
    const char *heading;
    size_t value;               /* the value's offset in sh_vsummary; bounds follow */
    int gap;
    size_t high, low, p;        /* a gap's groups and p */
} summary_column;

static const summary_column summary_columns[] = {
#define SH_VSUMMARY(name, value, heading) {heading, offsetof(sh_vsummary, name), 0, 0, 0, 0},
#define SH_VSUMMARY_GAP(name, value, heading)                                                  \
    {heading, offsetof(sh_vsummary, name), 1, offsetof(sh_vsummary, name##_high),                \
     offsetof(sh_vsummary, name##_low), offsetof(sh_vsummary, name##_p)},
#include "vsummary_fields.def"
#undef SH_VSUMMARY
#undef SH_VSUMMARY_GAP
};
#define N_SUMMARY_COLUMNS (sizeof summary_columns / sizeof summary_columns[0])

sh_table *sh_table_summaries(const sh_report_run *run)
{
    const sh_vresults *v = run->r->verification;
    char title[160], heads[1024] = "partition|at", align[N_SUMMARY_COLUMNS + 3] = "lr";
    if (v->bootstrap)
        snprintf(title, sizeof title, "Differentials across groups (%g%% bootstrap intervals)",
                 100 * v->confidence);
    else
        snprintf(title, sizeof title, "Differentials across groups (no intervals: "
                 "run.bootstrap is 0)");
    for (size_t c = 0, used = strlen(heads); c < N_SUMMARY_COLUMNS; c++) {
        const summary_column *sc = &summary_columns[c];
        if (!sc->heading)
            continue;
        used += (size_t)snprintf(heads + used, sizeof heads - used, "|%s%s", sc->heading,
                                 sc->gap ? " (high - low, Fisher p)" : "");
        strcat(align, "l");
    }
    sh_table *t = sh_table_create(title, heads, align);
    if (!t)
        return NULL;
    t->n_key = 2;
    int outside = 0;
    for (size_t i = 0; i < v->n_summaries; i++) {
        const sh_vsummary *s = &v->summaries[i];
        const char *row = (const char *)s;
        char at[64];
        sh_table_cellf(t, "%s", s->partition);
        sh_table_cellf(t, "%s", sh_vpoint_label(at, sizeof at, sh_vsummary_point(s)));
        for (size_t c = 0; c < N_SUMMARY_COLUMNS; c++) {
            const summary_column *sc = &summary_columns[c];
            const double *value = (const double *)(row + sc->value);
            char cell[64], pa[32];
            if (!sc->heading)
                continue;
            if (sc->gap && isnan(value[0])) {
                sh_table_cellf(t, "n/a");
            } else if (sc->gap) {
                sh_report_rate(cell, sizeof cell, value[0], NAN, NAN);
                sh_table_cellf(t, "%s (%s - %s, p %s)", cell, row + sc->high, row + sc->low,
                               p_value(pa, sizeof pa, *(const double *)(row + sc->p)));
            } else {
                outside |= bounded(cell, sizeof cell, value);
                sh_table_cellf(t, "%s", cell);
            }
        }
    }
    sh_table_note(t, "alpha (weight on FMR) %g; " SH_VSUMMARY_UNREPORTED " are in the file.",
                  v->n_summaries ? v->summaries[0].alpha : NAN);
    sh_report_outside_note(t, outside);
    return t;
}

sh_table *sh_table_eer(const sh_report_run *run)
{
    const sh_vresults *v = run->r->verification;
    char head[128];
    snprintf(head, sizeof head, "group|genuine|impostor|EER|%g%% bootstrap|threshold",
             100 * v->confidence);
    sh_table *t = sh_table_create("Equal error rate per group", head, "lrrrrr");
    if (!t)
        return NULL;
    const char *why = NULL; /* the first reason a row has no bounds */
    int unbounded = 0;
    for (size_t i = 0; i < v->n_eer; i++) {
        const sh_veer *e = &v->eer[i];
        if (strcmp(e->partition, "all") == 0)
            sh_table_cellf(t, "%s", e->group);
        else
            sh_table_cellf(t, "%s: %s", e->partition, e->group);
        sh_table_cellf(t, "%llu", (unsigned long long)e->n_genuine);
        sh_table_cellf(t, "%llu", (unsigned long long)e->n_impostor);
        sh_table_cellf(t, isnan(e->eer) ? "n/a" : "%.4g", e->eer);
        if (isnan(e->eer_boot_lo)) {
            sh_table_cellf(t, "-");
            unbounded += !isnan(e->eer);
            if (!why && e->eer_boot_note[0])
                why = e->eer_boot_note;
        } else {
            sh_table_cellf(t, "[%.3g,%.3g]", e->eer_boot_lo, e->eer_boot_hi);
        }
        sh_table_cellf(t, isnan(e->eer_threshold) ? "n/a" : "%.6g", e->eer_threshold);
    }
    /* The export first: a short sentence no wrapping splits. */
    if (v->has_roc)
        sh_table_note(t, "ROC exported: %zu points in /verification/roc.", v->n_roc);
    sh_table_note_add(t, "Bootstrap: the subject bootstrap's percentile interval of the EER "
                      "(each replicate's least max(FMR, FNMR) over every threshold); at an EER "
                      "of 0, up to Clopper-Pearson's bound for no errors.");
    if (unbounded)
        sh_table_note_add(t, "'-': no bounds%s%s%s.", why ? " (e.g. " : "", why ? why : "",
                          why ? "; eer_boot_note in /verification/eer)"
                              : " (no replicates, or a file before schema 1.12)");
    return t;
}

/* The mean of the group means of a partition (summaries first..end of
 * v's), its groups under groups.min_subjects left out, and their SD across
 * groups, over n - 1 (sd[0]) and over n (sd[1]): RFW's "Avg" and "STD".
 * Returns the groups counted. */
static size_t fold_groups_mean(double *out_mean, double out_sd[2], const sh_vresults *v,
                               size_t first, size_t end)
{
    const sh_vfold_summary *s = v->fold_accuracy;
    double sum = 0, ss = 0;
    size_t n = 0;
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = first; i < end; i++) {
            if (isnan(s[i].mean) || sh_vresults_too_small(v, s[i].partition, s[i].group))
                continue;
            if (pass == 0) {
                sum += s[i].mean;
                n++;
            } else {
                ss += (s[i].mean - sum / n) * (s[i].mean - sum / n);
            }
        }
    *out_mean = n ? sum / n : NAN;
    out_sd[0] = n > 1 ? sqrt(ss / (n - 1)) : NAN;
    out_sd[1] = n > 1 ? sqrt(ss / n) : NAN;
    return n;
}

/* Adds to t the line of fold_groups_mean for a partition (summaries
 * first..end). */
static void fold_groups_note(sh_table *t, const sh_vresults *v, size_t first, size_t end)
{
    double mean, sd[2];
    size_t n = fold_groups_mean(&mean, sd, v, first, end);
    if (n < 2)
        return;
    int small = 0;
    for (size_t i = first; i < end; i++)
        small |= sh_vresults_too_small(v, v->fold_accuracy[i].partition,
                                       v->fold_accuracy[i].group);
    sh_table_note_add(t, "%s: the mean of its %zu groups' means %.2f%% (RFW's Avg%s); their "
                      "SD %.2f (n - 1) or %.2f (n).",
                      v->fold_accuracy[first].partition, n, 100 * mean,
                      small ? "; groups marked * left out" : "", 100 * sd[0], 100 * sd[1]);
}

sh_table *sh_table_folds(const sh_report_run *run)
{
    const sh_vresults *v = run->r->verification;
    sh_table *t = sh_table_create("Accuracy over folds",
                                  "group|folds|accuracy (mean)|SD|SE|lowest|highest", "lrrrrrr");
    if (!t)
        return NULL;
    size_t most = 0;
    int any_small = 0;
    for (size_t i = 0; i < v->n_fold_accuracy; i++) {
        const sh_vfold_summary *s = &v->fold_accuracy[i];
        int small = sh_vresults_too_small(v, s->partition, s->group);
        any_small |= small;
        if (strcmp(s->partition, "all") == 0)
            sh_table_cellf(t, "%s%s", s->group, small ? "*" : "");
        else
            sh_table_cellf(t, "%s: %s%s", s->partition, s->group, small ? "*" : "");
        sh_table_cellf(t, "%llu", (unsigned long long)s->n_folds);
        sh_table_cellf(t, isnan(s->mean) ? "n/a" : "%.2f%%", 100 * s->mean);
        sh_table_cellf(t, isnan(s->sd) ? "n/a" : "%.2f", 100 * s->sd);
        sh_table_cellf(t, isnan(s->se) ? "n/a" : "%.2f", 100 * s->se);
        sh_table_cellf(t, isnan(s->min) ? "n/a" : "%.2f%%", 100 * s->min);
        sh_table_cellf(t, isnan(s->max) ? "n/a" : "%.2f%%", 100 * s->max);
        most = s->n_folds > most ? s->n_folds : most;
    }
    sh_table_note(t, "The pair list's folds, as RFW and LFW evaluate: for each fold, the "
                  "threshold with the highest accuracy (genuine pairs at or above it, impostor "
                  "pairs below) on the other folds' pairs of the group, applied to the fold's "
                  "own; accuracy in %%, SD (n - 1) and SE in percentage points over the folds "
                  "(up to %zu) that have pairs of the group and a threshold. Each fold's "
                  "threshold and counts are in /verification/folds. All: every group's pairs "
                  "under one threshold a fold.",
                  most);
    for (size_t i = 0, first = 0; i < v->n_fold_accuracy; i++)
        if (i + 1 == v->n_fold_accuracy ||
            strcmp(v->fold_accuracy[i + 1].partition, v->fold_accuracy[i].partition)) {
            if (strcmp(v->fold_accuracy[i].partition, "all"))
                fold_groups_note(t, v, first, i + 1);
            first = i + 1;
        }
    if (any_small)
        sh_table_note_add(t, "* fewer subjects than groups.min_subjects: too small to "
                             "estimate, and left out of criteria.");
    return t;
}

/* A score statistic for a cell: "n/a" where NaN. */
static void stat_cell(char *out, size_t size, const char *fmt, double x)
{
    if (isnan(x))
        snprintf(out, size, "n/a");
    else
        snprintf(out, size, fmt, x);
}

sh_table *sh_table_scores(const sh_report_run *run)
{
    const sh_vresults *v = run->r->verification;
    sh_table *t = sh_table_create("Score distributions per group",
                                  "group|genuine mean (SD)|impostor mean (SD)|d'|AUC|ZeroFMR|"
                                  "ZeroFNMR",
                                  "lllrlrr");
    if (!t)
        return NULL;
    int bracket = 0, with_impostors = 0, moments = 0, any_small = 0;
    for (size_t i = 0; i < v->n_scores; i++) {
        const sh_vscore *x = &v->scores[i];
        with_impostors |= x->n_impostor > 0;
        moments |= !isnan(x->impostor_mean);
        any_small |= x->too_small != 0;
        const char *star = x->too_small ? "*" : "";
        char g[64], m[64], a[64], b[32], c[32], d[32];
        if (strcmp(x->partition, "all") == 0)
            sh_table_cellf(t, "%s%s", x->group, star);
        else
            sh_table_cellf(t, "%s: %s%s", x->partition, x->group, star);
        stat_cell(g, sizeof g, "%.4g", x->genuine_mean);
        stat_cell(b, sizeof b, "%.3g", x->genuine_sd);
        sh_table_cellf(t, "%s (%s)", g, b);
        stat_cell(m, sizeof m, "%.4g", x->impostor_mean);
        stat_cell(b, sizeof b, "%.3g", x->impostor_sd);
        sh_table_cellf(t, "%s (%s)", m, b);
        stat_cell(c, sizeof c, "%.3f", x->d_prime);
        sh_table_cellf(t, "%s", c);
        if (isnan(x->auc)) {
            snprintf(a, sizeof a, "n/a");
        } else if (x->auc_lo == x->auc_hi) {
            snprintf(a, sizeof a, "%.8g", x->auc);
        } else {
            snprintf(a, sizeof a, "%.8g +-%.1e", x->auc, (x->auc_hi - x->auc_lo) / 2);
            bracket = 1;
        }
        sh_table_cellf(t, "%s", a);
        stat_cell(d, sizeof d, "%.4g", x->zero_fmr);
        sh_table_cellf(t, "%s", d);
        stat_cell(d, sizeof d, "%.4g", x->zero_fnmr);
        sh_table_cellf(t, "%s", d);
    }
    sh_table_note(t, "Means and SDs of the finite scores (failed templates left out); d': the "
                     "gap of the means over the root mean square of the SDs. AUC: the chance a "
                     "genuine pair outscores an impostor pair (ties half), failed pairs "
                     "scoring lowest on both sides. ZeroFMR: the FNMR at the lowest threshold no impostor "
                     "reaches; ZeroFNMR: the FMR at the highest threshold every genuine pair "
                     "with templates meets. Same-group impostors, as everywhere.%s",
                  bracket ? " +-: the most the AUC can be off, where genuine and impostor "
                            "scores share a bin whose values were not kept; its exact bounds "
                            "are in /verification/scores (docs/measures.md)." : "");
    if (with_impostors && !moments)
        sh_table_note_add(t, "Impostor means and SDs, and d', need "
                             "verification.impostor_moments: true.");
    if (any_small)
        sh_table_note_add(t, "* fewer subjects than groups.min_subjects: too small to "
                             "estimate.");
    return t;
}

sh_table *sh_table_matrix(const sh_report_run *run, const sh_vmatrix *m, size_t k)
{
    char title[256], heads[4096] = "FMR", at[96];
    sh_vpoint point = sh_vmatrix_point(m, k);
    sh_vpoint_threshold_words(at, sizeof at, point);
    if (point.kind == SH_VPOINT_FIXED)
        snprintf(title, sizeof title, "Cross-group FMR, %s, at %s", m->partition, at);
    else
        snprintf(title, sizeof title, "Cross-group FMR, %s, at %s (%.6g)", m->partition, at,
                 m->threshold[k]);
    char align[256] = "l";
    size_t ng = m->n_groups < sizeof align - 1 ? m->n_groups : sizeof align - 2;
    for (size_t j = 0; j < ng; j++) {
        sh_table_heads_add(heads, sizeof heads, m->group[j]);
        align[j + 1] = 'r';
        align[j + 2] = '\0';
    }
    sh_table *t = sh_table_create(title, heads, align);
    if (!t)
        return NULL;
    size_t cells = m->n_groups * m->n_groups;
    int bounded = 0;
    for (size_t i = 0; i < ng; i++) {
        sh_table_cellf(t, "%s", m->group[i]);
        for (size_t j = 0; j < ng; j++) {
            size_t c = k * cells + i * m->n_groups + j;
            double r = m->fmr[c], lo = m->fmr_boot_lo[c], hi = m->fmr_boot_hi[c];
            char e[32];
            snprintf(e, sizeof e, isnan(r) ? "n/a" : r == 0 ? "0" : "%.2g", r);
            if (isnan(r) || isnan(lo) || isnan(hi)) {
                sh_table_cellf(t, "%s", e);
            } else {
                sh_table_cellf(t, "%s [%.2g,%.2g]", e, lo, hi);
                bounded = 1;
            }
        }
    }
    sh_table_note(t, "Row and column: the groups of the pair's two images; the diagonal is "
                         "the same-group FMR.");
    if (bounded)
        sh_table_note_add(t, "[ ]: %g%% subject-bootstrap interval (each pair of subjects "
                             "weighted by how often both were drawn; Clopper-Pearson's at "
                             "no false matches; none where either group has under %d "
                             "subjects).",
                          100 * run->r->verification->confidence, SH_TEST_BOOT_SUBJECTS);
    return t;
}

sh_table *sh_table_criteria(const sh_report_run *run)
{
    const sh_results *r = run->r;
    char title[64];
    snprintf(title, sizeof title, "Criteria: %s",
             sh_report_verdict(NULL, 0, run->r, run->signature));
    /* A reason is shown only where the value cannot say it (not estimable). */
    int why = 0, outside = 0;
    for (size_t i = 0; i < r->n_verdicts; i++)
        why |= isnan(r->verdicts[i].value);
    sh_table *t = sh_table_create(title, "verdict|rule|at|bound tested|value|limit|estimate "
                                         "[interval]|why",
                                  why ? "llllrlll" : "llllrll");
    if (!t)
        return NULL;
    t->n_key = 2;
    for (size_t i = 0; i < r->n_verdicts; i++) {
        const sh_verdict *v = &r->verdicts[i];
        double e[3];
        char cell[64];
        sh_verdict_estimate(e, v, r->verification, r->classification);
        sh_table_cellf(t, "%s", sh_report_verdict_row(v));
        sh_table_cellf(t, "%s", v->name);
        char at[64] = "-";
        sh_vpoint p;
        if (sh_verdict_point(&p, v))
            sh_vpoint_label(at, sizeof at, p);
        sh_table_cellf(t, "%s", at);
        if (v->group[0])
            sh_table_cellf(t, "%s %s (%s)", v->bound, v->measure, v->group);
        else
            sh_table_cellf(t, "%s %s", v->bound, v->measure);
        sh_table_cellf(t, "%.4g", v->value);
        sh_table_cellf(t, "%s %.4g", v->op, v->limit);
        outside |= sh_report_rate(cell, sizeof cell, e[0], e[1], e[2]);
        if (!isnan(e[1]))
            sh_table_cellf(t, "%s %s", cell, v->interval[0] ? v->interval : "bootstrap");
        else
            sh_table_cellf(t, "%s", cell);
        if (why)
            sh_table_cellf(t, "%s", isnan(v->value) ? v->reason : "");
    }
    sh_report_bound_note(t);
    sh_report_outside_note(t, outside);
    return t;
}

/* A cell of an own-threshold quantity: x in fmt, with its bootstrap
 * interval in bfmt where there is one (setting *bounded): a rate's bounds
 * as the other tables give them, a threshold's with more digits. */
static void own_cell(sh_table *t, const char *fmt, const char *bfmt, double x, double lo,
                     double hi, int *bounded, int *outside)
{
    char e[32];
    if (isnan(x)) {
        sh_table_cellf(t, "n/a");
        return;
    }
    snprintf(e, sizeof e, fmt, x);
    if (isnan(lo) || isnan(hi)) {
        sh_table_cellf(t, "%s", e);
        return;
    }
    char b[64];
    snprintf(b, sizeof b, bfmt, lo, hi);
    int off = sh_report_outside(x, lo, hi);
    sh_table_cellf(t, "%s %s%s", e, b, off ? SH_REPORT_OUTSIDE : "");
    *bounded = 1;
    *outside |= off;
}

sh_table *sh_table_group_thresholds(const sh_report_run *run)
{
    const sh_vresults *v = run->r->verification;
    sh_table *t = sh_table_create("Each group at its own threshold (BFW)",
                                  "group|target|own threshold|FNMR at own|FMR at own|"
                                  "FNMR at global|FMR at global",
                                  "lrrrrrr");
    if (!t)
        return NULL;
    const char *last = "all";
    int bounded = 0, outside = 0, n_notes = 0;
    for (size_t i = 0; i < v->n_groups; i++) {
        const sh_vgroup *g = &v->groups[i];
        char label[160], at[64];
        sh_vpoint point = sh_vgroup_point(g);
        if (point.kind == SH_VPOINT_FIXED)
            continue; /* one threshold for every group: no group has its own */
        if (strcmp(g->partition, last)) {
            sh_report_partition_row(t, g->partition);
            last = g->partition;
        }
        group_label(label, sizeof label, g);
        sh_table_cellf(t, "%s", label);
        sh_table_cellf(t, "%s", sh_vpoint_label(at, sizeof at, point));
        if (g->group_estimable) {
            own_cell(t, "%.6g", "[%.4g,%.4g]", g->group_threshold, g->group_threshold_lo,
                     g->group_threshold_hi, &bounded, &outside);
            own_cell(t, "%.3g", "[%.2g,%.2g]", g->group_fnmr, g->group_fnmr_lo,
                     g->group_fnmr_hi, &bounded, &outside);
            /* The FMR at a group's own threshold sits at its target by
             * construction: its bounds need the digits that show how close. */
            own_cell(t, "%.3g", "[%.4g,%.4g]", g->group_fmr, g->group_fmr_lo, g->group_fmr_hi,
                     &bounded, &outside);
            if (g->group_boot_note[0])
                n_notes++;
        } else {
            sh_table_cellf(t, "not estimable");
            sh_table_cellf(t, "-");
            sh_table_cellf(t, "-");
        }
        sh_table_cellf(t, isnan(g->fnmr) ? "n/a" : "%.3g", g->fnmr);
        sh_table_cellf(t, isnan(g->fmr) ? "n/a" : "%.3g", g->fmr);
    }
    sh_table_note(t, "Own threshold: the score at which the group alone reaches the target: "
                     "its same-group impostors the target FMR (Robinson et al., 2020), or its "
                     "genuine pairs the target FNMR. Beside it, the rates the one global "
                     "threshold gives the group: the trade-off an operator faces. Shown "
                     "because the file holds estimable per-group thresholds; the differentials "
                     "and criteria use the global threshold.");
    if (bounded)
        sh_table_note_add(t, "[ ]: %g%% subject-bootstrap intervals, each replicate finding "
                             "the group's threshold again from its weighted pairs "
                             "(docs/measures.md); none under %d subjects.",
                          100 * v->confidence, SH_TEST_BOOT_SUBJECTS);
    sh_report_outside_note(t, outside);
    for (size_t i = 0; n_notes && i < v->n_groups; i++)
        if (v->groups[i].group_boot_note[0] && v->groups[i].group_estimable) {
            char label[160], at[64];
            group_label(label, sizeof label, &v->groups[i]);
            sh_table_note_add(t, "%s at %s: no intervals, %s.", label,
                              sh_vpoint_label(at, sizeof at, sh_vgroup_point(&v->groups[i])),
                              v->groups[i].group_boot_note);
        }
    return t;
}

sh_table *sh_table_ratios(const sh_report_run *run)
{
    const sh_vresults *v = run->r->verification;
    sh_table *t = sh_table_create("Rates relative to the reference group",
                                  "group|at|FNMR / reference|FMR / reference", "lrll");
    if (!t)
        return NULL;
    const char *last = "";
    int outside = 0;
    for (size_t i = 0; i < v->n_groups; i++) {
        const sh_vgroup *g = &v->groups[i];
        char label[160], at[64], cell[64];
        if (!g->reference[0])
            continue;
        if (strcmp(g->partition, last)) {
            char head[2 * SH_NAME_MAX + 24];
            snprintf(head, sizeof head, "%s (reference %s)", g->partition, g->reference);
            sh_report_partition_row(t, head);
            last = g->partition;
        }
        group_label(label, sizeof label, g);
        sh_table_cellf(t, "%s", label);
        sh_table_cellf(t, "%s", sh_vpoint_label(at, sizeof at, sh_vgroup_point(g)));
        outside |= sh_report_rate(cell, sizeof cell, g->fnmr_ratio, g->fnmr_ratio_lo,
                                  g->fnmr_ratio_hi);
        sh_table_cellf(t, "%s", cell);
        outside |= sh_report_rate(cell, sizeof cell, g->fmr_ratio, g->fmr_ratio_lo,
                                  g->fmr_ratio_hi);
        sh_table_cellf(t, "%s", cell);
    }
    if (v->bootstrap)
        sh_table_note(t, "Each group's rate divided by its partition's reference group's at "
                         "the same global threshold (groups.reference), with %g%% "
                         "subject-bootstrap intervals (the ratio of each replicate's two rates; "
                         "inf where a replicate's reference has no errors; none where the group "
                         "had no errors or only errors). n/a where the reference had no errors, "
                         "or a rate has no trials or no threshold.",
                      100 * v->confidence);
    else
        sh_table_note(t, "Each group's rate divided by its partition's reference group's at "
                         "the same global threshold (groups.reference); no intervals without "
                         "bootstrap replicates. n/a where the reference had no errors, or a "
                         "rate has no trials or no threshold.");
    sh_report_outside_note(t, outside);
    return t;
}

/* A p-value for a cell: "n/a", "<1e-300", "<=x" at `floor` (a bootstrap p
 * can be no smaller than 1 / (1 + replicates)), or three significant
 * figures. */
static void p_cell(char *out, size_t size, double p, double floor)
{
    if (isnan(p))
        snprintf(out, size, "n/a");
    else if (p == 0)
        snprintf(out, size, "<1e-300");
    else if (p <= floor * (1 + 1e-9))
        snprintf(out, size, "<=%.3g", p);
    else
        snprintf(out, size, "%.3g", p);
}

/* A list of pairs of groups, as "F-M, F-X", at most six named. */
typedef struct apart {
    char *out;
    size_t size, used, shown, more;
} apart;

static void apart_add(apart *a, const char *group_a, const char *group_b)
{
    if (a->shown < 6 && a->used < a->size)
        a->used += (size_t)snprintf(a->out + a->used, a->size - a->used, "%s%s-%s",
                                    a->shown ? ", " : "", group_a, group_b),
            a->shown++;
    else
        a->more++;
}

/* Ends the list: "none" when it is empty, else "and N more" past six. */
static void apart_end(apart *a)
{
    if (!a->shown)
        snprintf(a->out, a->size, "none");
    else if (a->more && a->used < a->size)
        snprintf(a->out + a->used, a->size - a->used, " and %zu more", a->more);
}

/* The pairs of test t whose bootstrap p, Holm-adjusted, is below alpha, as
 * "F-M, F-X"; "none"; "n/a" without replicates or a threshold (Fisher's p
 * runs small on correlated comparisons: it names no pair here). */
static void pairs_apart(char *out, size_t size, const sh_vresults *v, const sh_vtest *t,
                        double alpha)
{
    apart a = {out, size, 0, 0, 0};
    out[0] = '\0';
    if (!v->bootstrap || isnan(t->chi2)) {
        snprintf(out, size, "n/a");
        return;
    }
    for (size_t i = 0; i < v->n_pairwise; i++) {
        const sh_vpair_test *q = &v->pairwise[i];
        if (!strcmp(q->partition, t->partition) && !strcmp(q->rate, t->rate) &&
            sh_vpoint_same(sh_vpoint_of(q->point, q->target_fmr, q->target_fnmr, q->threshold),
                           sh_vtest_point(t)) &&
            q->p_boot_holm < alpha)
            apart_add(&a, q->group_a, q->group_b);
    }
    apart_end(&a);
}

sh_table *sh_table_tests(const sh_report_run *run)
{
    const sh_vresults *v = run->r->verification;
    sh_table *t = sh_table_create("Are the rates equal across groups?",
                                  "partition|at|rate|groups|chi-square (df)|p|"
                                  "p (subject bootstrap)|pairs apart (Holm)",
                                  "lllrrrrl");
    if (!t)
        return NULL;
    t->n_key = 3;
    double alpha = 1 - v->confidence;
    for (size_t i = 0; i < v->n_tests; i++) {
        const sh_vtest *x = &v->tests[i];
        char at[64], p1[32], p2[32], apart[512];
        sh_table_cellf(t, "%s", x->partition);
        sh_table_cellf(t, "%s", sh_vpoint_label(at, sizeof at, sh_vtest_point(x)));
        sh_table_cellf(t, "%s", !strcmp(x->rate, "fmr") ? "FMR" : "FNMR");
        sh_table_cellf(t, "%d", (int)x->n_groups);
        sh_table_cellf(t, isnan(x->chi2) ? "n/a" : "%.4g (%d)", x->chi2, (int)x->df);
        p_cell(p1, sizeof p1, x->p_chi2, 0);
        p_cell(p2, sizeof p2, x->p_boot, 1.0 / (1.0 + v->bootstrap));
        sh_table_cellf(t, "%s", p1);
        sh_table_cellf(t, "%s", p2);
        pairs_apart(apart, sizeof apart, v, x, alpha);
        sh_table_cellf(t, "%s", apart);
    }
    sh_table_note(t, "Whether a rate is the same in every group of a partition that has trials "
                     "and is not too small. chi-square: Pearson's, with its p as if every "
                     "comparison were independent, which they are not (a subject's "
                     "comparisons share its images), so it runs small. p (subject bootstrap): "
                     "how often the replicates, moved to equal rates, vary as much; it keeps "
                     "each subject's comparisons together, and is n/a where a group has fewer "
                     "than %d subjects, or no errors, or only errors (too little spread to "
                     "judge). Pairs apart: those whose bootstrap p is below %g after Holm's "
                     "adjustment over the partition's pairs; every pair, with Fisher's exact "
                     "p too, is in /verification/pairwise (docs/measures.md).",
                  SH_TEST_BOOT_SUBJECTS, alpha);
    return t;
}

int sh_report_has_ratios(const sh_vresults *v)
{
    for (size_t i = 0; v && i < v->n_groups; i++)
        if (v->groups[i].reference[0])
            return 1;
    return 0;
}

int sh_report_has_group_thresholds(const sh_vresults *v)
{
    for (size_t i = 0; v && i < v->n_groups; i++)
        if (v->groups[i].group_estimable && strcmp(v->groups[i].partition, "all"))
            return 1;
    return 0;
}

sh_table *sh_table_failures(const sh_report_run *run)
{
    const sh_failures *f = run->r->failures;
    sh_table *t = sh_table_create("Images that failed", "stage|outcome|rows", "llr");
    if (!t)
        return NULL;
    /* One row per (stage, outcome), in the order they first appear. */
    for (size_t i = 0; i < f->n; i++) {
        const sh_failure *r = &f->rows[i];
        size_t j = 0, n = 0;
        while (j < i && (strcmp(f->rows[j].stage, r->stage) || strcmp(f->rows[j].outcome, r->outcome)))
            j++;
        if (j < i)
            continue;
        for (size_t k = i; k < f->n; k++)
            n += !strcmp(f->rows[k].stage, r->stage) && !strcmp(f->rows[k].outcome, r->outcome);
        sh_table_cellf(t, "%s", r->stage);
        sh_table_cellf(t, "%s", r->outcome);
        sh_table_cellf(t, "%zu", n);
    }
    /* A faulted comparison is a row against its verify image: counted as
     * comparisons, not as images, which may fail more than once. */
    size_t compares = 0;
    for (size_t i = 0; i < f->n; i++)
        compares += !strcmp(f->rows[i].stage, "compare");
    if (compares) {
        char images[64] = "No image failed";
        if (f->n > compares)
            snprintf(images, sizeof images, "%zu of %llu images failed", f->n - compares,
                     (unsigned long long)run->r->info.n_images);
        sh_table_note(t,
                      "%s; %zu comparisons faulted, each a row against its verify image and "
                      "scored -inf as a failed template's pairs are (a genuine pair's false "
                      "non-match, an impostor pair's non-match). Their ids are in /failures.",
                      images, compares);
    } else if (f->n)
        sh_table_note(t, "%zu of %llu images; their ids are in /failures.", f->n,
                      (unsigned long long)run->r->info.n_images);
    else
        sh_table_note(t, "No failures: every one of the %llu images went through.",
                      (unsigned long long)run->r->info.n_images);
    return t;
}

size_t sh_report_partitions(const char **out, size_t cap, const sh_vresults *v)
{
    size_t n = 0;
    for (size_t i = 0; i < v->n_groups; i++) {
        int seen = 0;
        for (size_t j = 0; j < n; j++)
            seen |= strcmp(out[j], v->groups[i].partition) == 0;
        if (!seen && n < cap)
            out[n++] = v->groups[i].partition;
    }
    return n;
}

/* Appends a right-aligned column `name` to a table's headings (of `size`
 * bytes) and alignments, the at-th. */
static void column_add(char *heads, size_t size, char *align, size_t at, const char *name)
{
    sh_table_heads_add(heads, size, name);
    align[at] = 'r';
    align[at + 1] = '\0';
}

size_t sh_report_comparison(sh_table **out, size_t cap, const sh_report_run *runs,
                                size_t n, const sh_report_style *st)
{
    size_t count = 0;
    for (size_t r = 0; r < n && count < cap; r++)
        if (runs[r].r->classification) {
            out[count++] = sh_table_gender_shades(runs, n, st);
            break;
        }
    const sh_vresults *v0 = sh_report_first_verification(runs, n);
    const char *parts[64];
    size_t np = v0 ? sh_report_partitions(parts, 64, v0) : 0;
    for (size_t p = 0; p < np; p++)
        for (size_t k = 0; strcmp(parts[p], "all") && k < v0->n_thresholds && count < cap; k++)
            out[count++] = sh_table_compare(runs, n, parts[p], k, st);
    /* Every partition any run has folds of, in the order the runs first
     * have them. */
    const char *folded[64];
    size_t nf = 0;
    for (size_t r = 0; r < n; r++) {
        const sh_vresults *v = runs[r].r->verification;
        for (size_t i = 0; v && i < v->n_fold_accuracy && nf < 64; i++) {
            const char *part = v->fold_accuracy[i].partition;
            size_t j = 0;
            while (j < nf && strcmp(folded[j], part))
                j++;
            if (j == nf && strcmp(part, "all"))
                folded[nf++] = part;
        }
    }
    for (size_t p = 0; p < nf && count < cap; p++)
        out[count++] = sh_table_folds_compare(runs, n, folded[p]);
    return count;
}

sh_table *sh_table_folds_compare(const sh_report_run *runs, size_t n, const char *partition)
{
    char title[160], heads[4096] = "engine|All", align[256] = "lr";
    snprintf(title, sizeof title, "Accuracy over folds by %s (mean, SD)", partition);
    /* Every group of the partition in any run, in the order the runs first
     * have them: a column per group, whichever file comes first. */
    const char *cols[128];
    size_t n_cols = 0;
    for (size_t r = 0; r < n; r++) {
        const sh_vresults *v = runs[r].r->verification;
        for (size_t i = 0; v && i < v->n_fold_accuracy; i++) {
            const sh_vfold_summary *s = &v->fold_accuracy[i];
            size_t c = 0;
            while (c < n_cols && strcmp(cols[c], s->group))
                c++;
            if (strcmp(s->partition, partition) || c < n_cols || n_cols == 128 ||
                n_cols + 4 >= sizeof align)
                continue;
            cols[n_cols++] = s->group;
            column_add(heads, sizeof heads, align, n_cols + 1, s->group);
        }
    }
    column_add(heads, sizeof heads, align, n_cols + 2, "groups' mean (SD)");
    sh_table *t = sh_table_create(title, heads, align);
    if (!t)
        return NULL;
    int any_small = 0;
    for (size_t r = 0; r < n; r++) {
        const sh_vresults *v = runs[r].r->verification;
        sh_table_cellf(t, "%s", runs[r].label);
        size_t first = SIZE_MAX, end = 0;
        for (size_t c = 0; c <= n_cols; c++) {
            const sh_vfold_summary *s =
                v ? sh_vresults_fold(v, c ? partition : "all", c ? cols[c - 1] : "All") : NULL;
            int small = s && sh_vresults_too_small(v, s->partition, s->group);
            any_small |= small;
            if (!s)
                sh_table_cellf(t, "-");
            else if (isnan(s->mean))
                sh_table_cellf(t, "n/a%s", small ? "*" : "");
            else if (isnan(s->sd))
                sh_table_cellf(t, "%.2f%%%s", 100 * s->mean, small ? "*" : "");
            else
                sh_table_cellf(t, "%.2f%% (%.2f)%s", 100 * s->mean, 100 * s->sd,
                               small ? "*" : "");
        }
        for (size_t i = 0; v && i < v->n_fold_accuracy; i++)
            if (!strcmp(v->fold_accuracy[i].partition, partition)) {
                first = first < i ? first : i;
                end = i + 1;
            }
        double mean, sd[2];
        size_t k = first < end ? fold_groups_mean(&mean, sd, v, first, end) : 0;
        if (k < 2)
            sh_table_cellf(t, "-");
        else
            sh_table_cellf(t, "%.2f%% (%.2f)", 100 * mean, 100 * sd[0]);
    }
    sh_table_note(t, "Each engine's mean accuracy over its pair list's folds, each fold's "
                  "threshold learnt on the others (RFW's protocol), in %%, with the SD over "
                  "folds in percentage points; '-': a run without folds or without the group; "
                  "n/a: a group without a fold to measure. Groups' mean: the mean of the "
                  "engine's group means (RFW's Avg) with their SD across groups (n - 1).");
    if (any_small)
        sh_table_note_add(t, "* fewer subjects than its run's groups.min_subjects: too small "
                             "to estimate, and left out of the groups' mean.");
    return t;
}

const sh_vresults *sh_report_first_verification(const sh_report_run *runs, size_t n)
{
    for (size_t r = 0; r < n; r++)
        if (runs[r].r->verification)
            return runs[r].r->verification;
    return NULL;
}

sh_table *sh_table_compare(const sh_report_run *runs, size_t n, const char *partition,
                                   size_t k, const sh_report_style *st)
{
    const sh_vresults *v0 = sh_report_first_verification(runs, n);
    sh_vpoint target = sh_vthreshold_point(&v0->thresholds[k]);
    char title[256], heads[4096] = "engine|rate|All", align[256] = "llr", iname[192], at[64];
    sh_vpoint_label(at, sizeof at, target);
    if (target.kind == SH_VPOINT_FIXED)
        snprintf(title, sizeof title, "By %s, at the fixed %s", partition, at);
    else
        snprintf(title, sizeof title, "By %s, at each engine's global threshold for %s",
                 partition, at);
    /* Columns: the groups of the first run in this partition. */
    size_t n_cols = 0;
    const char *cols[128];
    for (size_t i = 0; i < v0->n_groups && n_cols < 128 && n_cols + 4 < sizeof align; i++)
        if (sh_vpoint_same(sh_vgroup_point(&v0->groups[i]), target) &&
            strcmp(v0->groups[i].partition, partition) == 0) {
            cols[n_cols++] = v0->groups[i].group;
            column_add(heads, sizeof heads, align, n_cols + 2, cols[n_cols - 1]);
        }
    sh_table *t = sh_table_create(title, heads, align);
    if (!t)
        return NULL;
    t->n_key = 2;
    int any_small = 0, same_interval = 1, outside = 0, unbounded = 0;
    for (size_t r = 0; r < n; r++) {
        const sh_vresults *v = runs[r].r->verification;
        if (!v)
            continue;
        same_interval &= !v->bootstrap == !v0->bootstrap && v->confidence == v0->confidence;
        for (int fmr = 0; fmr < 2; fmr++) {
            sh_table_cellf(t, "%s", fmr ? "" : runs[r].label);
            sh_table_cellf(t, "%s", fmr ? "FMR" : "FNMR");
            for (size_t c = 0; c <= n_cols; c++) {
                const sh_vgroup *g = c ? sh_vresults_group(v, partition, cols[c - 1], target)
                                           : sh_vresults_group(v, "all", "All", target);
                if (!g) {
                    sh_table_cellf(t, "-");
                    continue;
                }
                double lo, hi;
                if (fmr)
                    sh_report_fmr_bounds(v, g, &lo, &hi);
                else
                    sh_report_fnmr_bounds(v, g, &lo, &hi);
                char cell[64];
                unbounded |= !isnan(fmr ? g->fmr : g->fnmr) && isnan(lo);
                outside |= sh_report_rate(cell, sizeof cell, fmr ? g->fmr : g->fnmr, lo, hi);
                int small = g->too_small != 0;
                any_small |= small;
                sh_table_cellf(t, "%s%s", cell, small ? "*" : "");
            }
        }
    }
    if (same_interval)
        sh_report_interval_name(iname, sizeof iname, v0);
    else
        snprintf(iname, sizeof iname, "each run's own (bootstrap where it has replicates)");
    sh_report_unbounded_words(iname, sizeof iname, unbounded);
    sh_report_small_note(t, any_small, st, iname);
    sh_report_outside_note(t, outside);
    return t;
}

/* "8.1% [6.2,10.4]": an error rate in percent with its Wilson interval. */
static void percent(char *out, size_t size, const sh_crow *g)
{
    if (isnan(g->error_rate))
        snprintf(out, size, "n/a");
    else
        snprintf(out, size, "%.1f%% [%.1f,%.1f]", 100 * g->error_rate, 100 * g->error_wilson_lo,
                 100 * g->error_wilson_hi);
}

sh_table *sh_table_classification(const sh_report_run *run,
                                          const sh_report_style *st)
{
    const sh_cresults *c = run->r->classification;
    char title[160];
    snprintf(title, sizeof title, "Classification of %s: error by group", c->attribute);
    /* Rows in the paper's order, as the chart above (report_order.h). */
    size_t *order = malloc((c->n_groups ? c->n_groups : 1) * sizeof *order);
    sh_table *t = order && !sh_report_gender_shades_order(order, c)
                      ? sh_table_create(title,
                                        "group|n|errors|error [interval]|bootstrap|no "
                                        "prediction|share of errors",
                                        "lrrllrr")
                      : NULL;
    if (!t) {
        free(order);
        return NULL;
    }
    const char *last = "all";
    int any_small = 0;
    for (size_t i = 0; i < c->n_groups; i++) {
        const sh_crow *g = &c->groups[order[i]];
        if (strcmp(g->partition, last)) {
            sh_report_partition_row(t, g->partition);
            last = g->partition;
        }
        char cell[64];
        int small = g->too_small != 0;
        any_small |= small;
        percent(cell, sizeof cell, g);
        sh_table_cellf(t, "%s%s%s", strcmp(g->partition, "all") ? "  " : "", g->group,
                           small ? "*" : "");
        sh_table_cellf(t, "%llu", (unsigned long long)g->n);
        sh_table_cellf(t, "%llu", (unsigned long long)g->errors);
        sh_table_cellf(t, "%s", cell);
        if (isnan(g->error_boot_lo))
            sh_table_cellf(t, "n/a");
        else
            sh_table_cellf(t, "[%.1f,%.1f]", 100 * g->error_boot_lo, 100 * g->error_boot_hi);
        sh_table_cellf(t, "%llu", (unsigned long long)g->n_no_prediction);
        sh_table_cellf(t, isnan(g->error_share) ? "n/a" : "%.1f%%", 100 * g->error_share);
    }
    free(order);
    char words[96];
    small_words(words, sizeof words, st);
    if (c->bootstrap)
        sh_table_note(t, "Intervals: %g%% Wilson; bootstrap: %g%% subject bootstrap (%u "
                         "replicates; Clopper-Pearson's bounds where a group had no errors or "
                         "only errors; n/a under %d subjects).",
                      100 * c->confidence, 100 * c->confidence, c->bootstrap,
                      SH_TEST_BOOT_SUBJECTS);
    else
        sh_table_note(t, "Intervals: %g%% Wilson; no bootstrap (run.bootstrap is 0).",
                      100 * c->confidence);
    if (any_small)
        sh_table_note_add(t, "* %s: too small to estimate.", words);
    return t;
}

/* The pairs of a classification partition whose bootstrap p, Holm-
 * adjusted, is below alpha, as for verification's tests. */
static void class_pairs_apart(char *out, size_t size, const sh_cresults *c,
                              const sh_csummary *s, double alpha)
{
    apart a = {out, size, 0, 0, 0};
    out[0] = '\0';
    if (!c->bootstrap || isnan(s->chi2)) {
        snprintf(out, size, "n/a");
        return;
    }
    for (size_t i = 0; i < c->n_pairwise; i++) {
        const sh_cpair_test *q = &c->pairwise[i];
        if (!strcmp(q->partition, s->partition) && q->p_boot_holm < alpha)
            apart_add(&a, q->group_a, q->group_b);
    }
    apart_end(&a);
}

sh_table *sh_table_class_summaries(const sh_report_run *run)
{
    const sh_cresults *c = run->r->classification;
    char title[160];
    snprintf(title, sizeof title, "Classification of %s: differences between groups",
             c->attribute);
    sh_table *t = sh_table_create(title,
                                  "partition|groups|max/geomean|gap (high - low, Fisher p)|"
                                  "chi-square (df)|p|p (subject bootstrap)|pairs apart (Holm)",
                                  "lrllrrrl");
    if (!t)
        return NULL;
    double alpha = 1 - c->confidence;
    int outside = 0;
    for (size_t i = 0; i < c->n_summaries; i++) {
        const sh_csummary *s = &c->summaries[i];
        char cell[64], gap[64], pa[32], p1[32], p2[32], apart[512];
        sh_table_cellf(t, "%s", s->partition);
        sh_table_cellf(t, "%d", (int)s->n_groups);
        outside |= bounded(cell, sizeof cell, &s->error_max_geomean);
        sh_table_cellf(t, "%s", cell);
        outside |= bounded(gap, sizeof gap, &s->error_gap);
        if (s->n_groups >= 2)
            sh_table_cellf(t, "%s (%s - %s, p %s)", gap, s->error_gap_high, s->error_gap_low,
                           p_value(pa, sizeof pa, s->error_gap_p));
        else
            sh_table_cellf(t, "n/a");
        sh_table_cellf(t, isnan(s->chi2) ? "n/a" : "%.4g (%d)", s->chi2, (int)s->df);
        p_cell(p1, sizeof p1, s->p_chi2, 0);
        p_cell(p2, sizeof p2, s->p_boot, 1.0 / (1.0 + c->bootstrap));
        sh_table_cellf(t, "%s", p1);
        sh_table_cellf(t, "%s", p2);
        class_pairs_apart(apart, sizeof apart, c, s, alpha);
        sh_table_cellf(t, "%s", apart);
    }
    char intervals[64] = "no bootstrap intervals (run.bootstrap is 0)";
    if (c->bootstrap)
        snprintf(intervals, sizeof intervals, "%g%% subject-bootstrap intervals",
                 100 * c->confidence);
    sh_table_note(t, "Error rates of a partition's groups that have images and are not too "
                     "small, with %s (a replicate that draws none of a group's subjects gives "
                     "no summary). Gap: highest rate minus lowest, with Fisher's exact p of the "
                     "two. chi-square: Pearson's, its p as if every image were independent, "
                     "which they are not (a subject's images share a face), so it runs small. "
                     "p (subject bootstrap): keeps each subject's images together; n/a where a "
                     "group has fewer than %d subjects, or no errors, or only errors. Pairs "
                     "apart: bootstrap p below %g after Holm's adjustment over the pairs the "
                     "bootstrap can judge (pairs with such a group are not named: their Fisher "
                     "p is in /classification/pairwise); max/min and Gini are in "
                     "/classification/summaries (docs/measures.md).",
                  intervals, SH_TEST_BOOT_SUBJECTS, alpha);
    sh_report_outside_note(t, outside);
    return t;
}

sh_table *sh_table_class_rates(const sh_report_run *run)
{
    const sh_cresults *c = run->r->classification;
    char title[160];
    snprintf(title, sizeof title, "Classification of %s: rates per class", c->attribute);
    sh_table *t =
        sh_table_create(title, "group|class|n|TPR|FPR|PPV", "llrrrr");
    if (!t)
        return NULL;
    for (size_t i = 0; i < c->n_classes; i++) {
        const sh_cclass *x = &c->classes[i];
        if (strcmp(x->partition, "all") == 0)
            sh_table_cellf(t, "%s", x->group);
        else
            sh_table_cellf(t, "%s: %s", x->partition, x->group);
        sh_table_cellf(t, "%s", x->class_name);
        sh_table_cellf(t, "%llu", (unsigned long long)x->n_true);
        sh_table_cellf(t, isnan(x->tpr) ? "n/a" : "%.3f", x->tpr);
        sh_table_cellf(t, isnan(x->fpr) ? "n/a" : "%.3f", x->fpr);
        sh_table_cellf(t, isnan(x->ppv) ? "n/a" : "%.3f", x->ppv);
    }
    return t;
}

/* The row of (partition, group) in c, or NULL. */
static const sh_crow *find_crow(const sh_cresults *c, const char *partition,
                                    const char *group)
{
    for (size_t i = 0; i < c->n_groups; i++)
        if (strcmp(c->groups[i].partition, partition) == 0 &&
            strcmp(c->groups[i].group, group) == 0)
            return &c->groups[i];
    return NULL;
}

sh_table *sh_table_gender_shades(const sh_report_run *runs, size_t n,
                                         const sh_report_style *st)
{
    const sh_cresults *c0 = NULL;
    for (size_t r = 0; r < n && !c0; r++)
        c0 = runs[r].r->classification;
    if (!c0)
        return NULL;
    char title[160], heads[4096] = "engine", align[256] = "l";
    snprintf(title, sizeof title, "Classification error of %s by group (Gender Shades layout)",
             c0->attribute);
    /* Columns in the paper's order (report_order.h). */
    size_t *order = malloc((c0->n_groups ? c0->n_groups : 1) * sizeof *order);
    if (!order || sh_report_gender_shades_order(order, c0)) {
        free(order);
        return NULL;
    }
    size_t cols = 0;
    for (size_t i = 0; i < c0->n_groups && cols + 2 < sizeof align; i++) {
        sh_table_heads_add(heads, sizeof heads, c0->groups[order[i]].group);
        align[++cols] = 'r';
        align[cols + 1] = '\0';
    }
    sh_table *t = sh_table_create(title, heads, align);
    if (!t) {
        free(order);
        return NULL;
    }
    int any_small = 0;
    for (size_t r = 0; r < n; r++) {
        const sh_cresults *c = runs[r].r->classification;
        if (!c)
            continue; /* a verification or identification run: no row of dashes */
        sh_table_cellf(t, "%s", runs[r].label);
        for (size_t i = 0; i < cols; i++) {
            const sh_crow *col = &c0->groups[order[i]];
            const sh_crow *g = c ? find_crow(c, col->partition, col->group) : NULL;
            char cell[64];
            if (!g) {
                sh_table_cellf(t, "-");
                continue;
            }
            percent(cell, sizeof cell, g);
            int small = g->too_small != 0;
            any_small |= small;
            sh_table_cellf(t, "%s%s", cell, small ? "*" : "");
        }
    }
    free(order);
    char words[96];
    small_words(words, sizeof words, st);
    if (any_small)
        sh_table_note(t, "Error rate in percent with its %g%% Wilson interval; * %s: too "
                             "small to estimate.",
                          100 * c0->confidence, words);
    else
        sh_table_note(t, "Error rate in percent with its %g%% Wilson interval.",
                          100 * c0->confidence);
    return t;
}
