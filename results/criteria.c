#include "criteria.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "names.h"

/* A group rate's value and bounds by interval; offsets in sh_vgroup. */
typedef struct rate_fields {
    const char *measure;
    size_t value, wilson, cp, boot; /* boot is 0 when there is none */
} rate_fields;

#define GOFF(m) offsetof(sh_vgroup, m)

static const rate_fields rates[] = {
    {"fnmr", GOFF(fnmr), GOFF(fnmr_wilson_lo), GOFF(fnmr_cp_lo), GOFF(fnmr_boot_lo)},
    {"fmr", GOFF(fmr), GOFF(fmr_wilson_lo), GOFF(fmr_cp_lo), GOFF(fmr_boot_lo)},
    {"fte", GOFF(fte), GOFF(fte_wilson_lo), GOFF(fte_cp_lo), 0},
    /* Ratios to the reference group have bootstrap bounds only. */
    {"fnmr_ratio", GOFF(fnmr_ratio), 0, 0, GOFF(fnmr_ratio_lo)},
    {"fmr_ratio", GOFF(fmr_ratio), 0, 0, GOFF(fmr_ratio_lo)},
    /* So have a group's rates at its own threshold (BFW). */
    {"group_fnmr", GOFF(group_fnmr), 0, 0, GOFF(group_fnmr_lo)},
    {"group_fmr", GOFF(group_fmr), 0, 0, GOFF(group_fmr_lo)},
};

#define COFF(m) offsetof(sh_crow, m)

/* Classification's group rate. */
static const rate_fields class_rate = {"error_rate", COFF(error_rate), COFF(error_wilson_lo),
                                       COFF(error_cp_lo), COFF(error_boot_lo)};

/* The lower bound's offset in a row for the verdict's interval; 0: none. */
static size_t interval_offset(const rate_fields *f, const char *iv)
{
    return !strcmp(iv, "wilson") ? f->wilson : !strcmp(iv, "bootstrap") ? f->boot : f->cp;
}

/* The entry named `name` of a table of n structs of `stride` bytes whose
 * first member is their name, or NULL. */
static const void *find_named(const void *table, size_t n, size_t stride, const char *name)
{
    for (size_t i = 0; i < n; i++) {
        const void *entry = (const char *)table + i * stride;
        if (!strcmp(*(const char *const *)entry, name))
            return entry;
    }
    return NULL;
}

#define FIND(table, n, name) find_named(table, n, sizeof(table)[0], name)
#define NELEM(a) (sizeof(a) / sizeof(a)[0])

static const rate_fields *rate_of(const char *measure)
{
    return FIND(rates, NELEM(rates), measure);
}

/* A test's p-value by name: its rate and its field in sh_vtest. */
typedef struct test_field {
    const char *measure, *rate;
    size_t offset;
} test_field;

static const test_field tests[] = {
    {"fnmr_chi2_p", "fnmr", offsetof(sh_vtest, p_chi2)},
    {"fmr_chi2_p", "fmr", offsetof(sh_vtest, p_chi2)},
    {"fnmr_boot_p", "fnmr", offsetof(sh_vtest, p_boot)},
    {"fmr_boot_p", "fmr", offsetof(sh_vtest, p_boot)},
};

static const test_field *test_of(const char *measure)
{
    return FIND(tests, NELEM(tests), measure);
}

/* The score statistics a rule may name: fields of sh_vscore. */
typedef struct score_field {
    const char *measure;
    size_t offset;
} score_field;

static const score_field scores[] = {
    {"d_prime", offsetof(sh_vscore, d_prime)},
    {"auc", offsetof(sh_vscore, auc)},
    {"zero_fmr", offsetof(sh_vscore, zero_fmr)},
    {"zero_fnmr", offsetof(sh_vscore, zero_fnmr)},
};

static const score_field *score_of(const char *measure)
{
    return FIND(scores, NELEM(scores), measure);
}

/* Classification's tests: fields of sh_csummary. */
static const test_field class_tests[] = {
    {"error_chi2_p", "error", offsetof(sh_csummary, p_chi2)},
    {"error_boot_p", "error", offsetof(sh_csummary, p_boot)},
};

static const test_field *class_test_of(const char *measure)
{
    return FIND(class_tests, NELEM(class_tests), measure);
}

static const sh_csummary_field *class_summary_of(const char *measure)
{
    return FIND(sh_csummary_fields, SH_CSUMMARY_FIELDS, measure);
}

int sh_criterion_classification(const char *measure)
{
    return !strcmp(measure, class_rate.measure) || class_test_of(measure) ||
           class_summary_of(measure);
}

int sh_criterion_is_ratio(const char *measure)
{
    const rate_fields *f = rate_of(measure);
    return f && !f->wilson && strstr(measure, "_ratio");
}

int sh_criterion_is_own(const char *measure)
{
    return !strcmp(measure, "group_fnmr") || !strcmp(measure, "group_fmr");
}

static const sh_vsummary_field *summary_of(const char *measure)
{
    return FIND(sh_vsummary_fields, SH_VSUMMARY_FIELDS, measure);
}

sh_criterion_kind sh_criterion_kind_of(const char *measure)
{
    if (summary_of(measure) || class_summary_of(measure))
        return SH_CRITERION_SUMMARY;
    if (!strcmp(measure, "fte"))
        return SH_CRITERION_FTE;
    if (test_of(measure) || class_test_of(measure))
        return SH_CRITERION_TEST;
    if (score_of(measure) || !strcmp(measure, "fold_accuracy"))
        return SH_CRITERION_SCORE;
    if (!strcmp(measure, "eer"))
        return SH_CRITERION_EER;
    if (!strcmp(measure, "cross_fmr"))
        return SH_CRITERION_CROSS;
    return rate_of(measure) || !strcmp(measure, class_rate.measure) ? SH_CRITERION_RATE
                                                                    : SH_CRITERION_UNKNOWN;
}

/* The rule's bound; unnamed, the end of the interval furthest from passing
 * (upper for at_most, lower for at_least), so that a rule fixed in advance
 * passes only on the whole interval. */
static const char *bound_of(const sh_criterion *k)
{
    if (k->bound)
        return k->bound;
    sh_criterion_kind kind = sh_criterion_kind_of(k->measure);
    if (kind == SH_CRITERION_TEST || kind == SH_CRITERION_SCORE)
        return "value";
    return k->at_most ? "upper" : "lower";
}

static const char *interval_of(const sh_criterion *k)
{
    if (k->interval)
        return k->interval;
    return sh_criterion_kind_of(k->measure) == SH_CRITERION_FTE ? "clopper-pearson"
                                                                         : "bootstrap";
}

static int rule_error(sh_err *err, const sh_criteria_spec *c, unsigned i, const char *field,
                      const char *why)
{
    const sh_criterion *k = &c->rules[i];
    return sh_err_set(err, SH_E_INPUT, "%s:%u: field 'criteria entry %u.%s': %s (rule '%s')",
                          c->config_path, k->line, i + 1, field, why, k->name);
}

int sh_criteria_check(const sh_criteria_spec *c, const sh_groups *g, sh_err *err)
{
    for (unsigned i = 0; i < c->n_rules; i++) {
        const sh_criterion *k = &c->rules[i];
        if (!k->group)
            continue;
        const sh_partition *part = NULL;
        for (size_t p = 0; p < g->n_partitions; p++)
            if (!strcmp(g->partitions[p].name, k->partition))
                part = &g->partitions[p];
        int found = !part && !strcmp(k->group, "All");
        for (size_t gi = 0; part && gi < part->n_groups; gi++)
            found |= !strcmp(part->group_names[gi], k->group);
        if (!found) {
            /* Its groups listed: a label no image falls in is left out of
             * the partition, which is why a rule's group may be missing. */
            char why[512], list[320];
            snprintf(why, sizeof why, "partition '%s' has no group '%s' (no image falls in it; "
                     "its groups: %s)", k->partition, k->group,
                     part ? sh_names_join(list, sizeof list,
                                          (const char *const *)part->group_names,
                                          part->n_groups)
                          : "");
            return rule_error(err, c, i, "group", why);
        }
        for (size_t gi = 0; part && part->too_small && gi < part->n_groups; gi++)
            if (part->too_small[gi] && !strcmp(part->group_names[gi], k->group)) {
                char why[200];
                snprintf(why, sizeof why,
                         "group '%s' has %llu subjects, fewer than groups.min_subjects (%u): "
                         "too small to estimate",
                         k->group, (unsigned long long)part->n_subjects[gi],
                         c->min_subjects);
                return rule_error(err, c, i, "group", why);
            }
    }
    return 0;
}

/* value, lower or upper from a value and its lo/hi pair. */
static double pick(const char *bound, double value, const double *lohi)
{
    if (!strcmp(bound, "value"))
        return value;
    return !strcmp(bound, "lower") ? lohi[0] : lohi[1];
}

static double get(const void *row, size_t off)
{
    return *(const double *)((const char *)row + off);
}

int sh_criterion_point(sh_vpoint *out, const sh_criterion *k)
{
    if (k->target_fmr)
        *out = (sh_vpoint){SH_VPOINT_FMR, *k->target_fmr};
    else if (k->target_fnmr)
        *out = (sh_vpoint){SH_VPOINT_FNMR, *k->target_fnmr};
    else if (k->fixed_threshold)
        *out = (sh_vpoint){SH_VPOINT_FIXED, *k->fixed_threshold};
    else
        return 0;
    return 1;
}

int sh_verdict_point(sh_vpoint *out, const sh_verdict *v)
{
    *out = sh_vpoint_of(v->point, v->target_fmr, v->target_fnmr, v->threshold);
    return v->point[0] || !isnan(v->target_fmr);
}

/* The point a verdict was judged at; for fte (none), the first point's,
 * whose rows hold FTE as every point's do. */
static sh_vpoint verdict_point(const sh_verdict *v, const sh_vresults *r)
{
    sh_vpoint p;
    if (!sh_verdict_point(&p, v) && r->n_thresholds)
        return sh_vthreshold_point(&r->thresholds[0]);
    return p;
}

/* Every group must meet a rule: keeps the value furthest from it, and its
 * group, in v. */
static void keep_worst(sh_verdict *v, int *seen, double x, const char *group, int at_most)
{
    if (!*seen || (at_most ? x > v->value : x < v->value)) {
        v->value = x;
        snprintf(v->group, sizeof v->group, "%s", group);
    }
    *seen = 1;
}

static void evaluate_summary(sh_verdict *v, const sh_criterion *k,
                             const sh_vresults *r)
{
    const sh_vsummary_field *f = summary_of(k->measure);
    sh_vpoint at = verdict_point(v, r);
    for (size_t s = 0; s < r->n_summaries; s++) {
        const sh_vsummary *row = &r->summaries[s];
        if (strcmp(row->partition, k->partition) || !sh_vpoint_same(sh_vsummary_point(row), at))
            continue;
        const double *base = (const double *)((const char *)row + f->offset);
        v->value = pick(v->bound, base[0], base + 1);
        char words[64];
        if (isnan(row->threshold))
            snprintf(v->reason, sizeof v->reason, "%s is not estimable",
                     sh_vpoint_label(words, sizeof words, at));
        else if (isnan(v->value))
            snprintf(v->reason, sizeof v->reason, "%s is not defined: fewer than two groups with "
                                                  "trials, or no bootstrap", k->measure);
        return;
    }
    snprintf(v->reason, sizeof v->reason, "no summary for partition '%s'", k->partition);
}

/* The row of /verification/tests a verdict names, or NULL. */
static const sh_vtest *test_row(const sh_verdict *v, const sh_vresults *r, sh_vpoint at)
{
    const test_field *f = test_of(v->measure);
    for (size_t i = 0; f && i < r->n_tests; i++) {
        const sh_vtest *t = &r->tests[i];
        if (!strcmp(t->partition, v->partition) && !strcmp(t->rate, f->rate) &&
            sh_vpoint_same(sh_vtest_point(t), at))
            return t;
    }
    return NULL;
}

static void evaluate_test(sh_verdict *v, const sh_vresults *r)
{
    const sh_vtest *t = test_row(v, r, verdict_point(v, r));
    if (!t) {
        snprintf(v->reason, sizeof v->reason, "no test for partition '%s'", v->partition);
        return;
    }
    v->value = get(t, test_of(v->measure)->offset);
    if (isnan(v->value))
        snprintf(v->reason, sizeof v->reason,
                 "%.16s is not defined: no threshold, under two groups with trials, or "
                 "(bootstrap) a group under %d subjects or with no errors or only errors",
                 v->measure, SH_TEST_BOOT_SUBJECTS);
}

/* Why a group's ratio to its reference, or its bound, is NaN. */
static void ratio_reason(sh_verdict *v, const sh_vresults *r, const sh_vgroup *row,
                         const char *measure, sh_vpoint at)
{
    int fmr = !strcmp(measure, "fmr_ratio");
    const sh_vgroup *ref = sh_vresults_group(r, row->partition, row->reference, at);
    uint64_t ref_n = ref ? (fmr ? ref->n_impostor : ref->n_genuine) : 0;
    uint64_t ref_k = ref ? (fmr ? ref->n_false_match : ref->n_false_nonmatch) : 0;
    uint64_t k = fmr ? row->n_false_match : row->n_false_nonmatch;
    uint64_t n = fmr ? row->n_impostor : row->n_genuine;
    if (!ref_n)
        snprintf(v->reason, sizeof v->reason, "the reference group '%s' has no trials",
                 row->reference);
    else if (!ref_k)
        snprintf(v->reason, sizeof v->reason, "the reference group '%s' had no errors: no "
                 "ratio to it can be estimated", row->reference);
    else if (!n)
        snprintf(v->reason, sizeof v->reason, "group '%s' has no trials", row->group);
    else if (row->n_subjects < SH_TEST_BOOT_SUBJECTS || (ref && ref->n_subjects <
                                                                SH_TEST_BOOT_SUBJECTS))
        snprintf(v->reason, sizeof v->reason, "%s of group '%s' has no bootstrap interval: "
                 "it or the reference group has under %d subjects", measure, row->group,
                 SH_TEST_BOOT_SUBJECTS);
    else if (k == 0 || k == n)
        snprintf(v->reason, sizeof v->reason, "%s of group '%s' has no bootstrap interval: "
                 "the group had %s errors", measure, row->group, k ? "only" : "no");
    else
        snprintf(v->reason, sizeof v->reason, "%s of group '%s' is not estimable", measure,
                 row->group);
}

static void evaluate_rate(sh_verdict *v, const sh_criterion *k,
                          const sh_vresults *r, int at_most)
{
    const rate_fields *f = rate_of(k->measure);
    size_t lo = interval_offset(f, v->interval);
    static const double none[2] = {NAN, NAN};
    int seen = 0;
    sh_vpoint at = verdict_point(v, r);
    for (size_t i = 0; i < r->n_groups; i++) {
        const sh_vgroup *row = &r->groups[i];
        if (strcmp(row->partition, k->partition) || !sh_vpoint_same(sh_vgroup_point(row), at) ||
            (k->group && strcmp(row->group, k->group)) || row->too_small)
            continue; /* a group too small to estimate is judged by no rule */
        const double *bounds = lo ? (const double *)((const char *)row + lo) : none;
        double x = pick(v->bound, get(row, f->value), bounds);
        if (isnan(x)) {
            v->value = NAN;
            snprintf(v->group, sizeof v->group, "%s", row->group);
            char words[64];
            if (isnan(row->threshold))
                snprintf(v->reason, sizeof v->reason, "%s is not estimable",
                         sh_vpoint_label(words, sizeof words, at));
            else if (sh_criterion_is_ratio(k->measure))
                ratio_reason(v, r, row, k->measure, at);
            else if (sh_criterion_is_own(k->measure) && !row->group_estimable)
                snprintf(v->reason, sizeof v->reason, "group '%s' has no threshold of its "
                         "own at %s", row->group, sh_vpoint_label(words, sizeof words, at));
            else if (sh_criterion_is_own(k->measure) && row->group_boot_note[0] &&
                     strcmp(v->bound, "value"))
                snprintf(v->reason, sizeof v->reason, "%.24s of '%.40s' has no bootstrap "
                         "interval: %.60s", k->measure, row->group, row->group_boot_note);
            else if (!strcmp(v->interval, "bootstrap") && strcmp(v->bound, "value") &&
                     row->n_subjects < SH_TEST_BOOT_SUBJECTS)
                snprintf(v->reason, sizeof v->reason, "%s of group '%s' has no bootstrap "
                         "interval: %llu subjects, under %d", k->measure, row->group,
                         (unsigned long long)row->n_subjects, SH_TEST_BOOT_SUBJECTS);
            else
                snprintf(v->reason, sizeof v->reason, "%s of group '%s' is not estimable",
                         k->measure, row->group);
            return;
        }
        keep_worst(v, &seen, x, row->group, at_most);
    }
    if (!seen)
        snprintf(v->reason, sizeof v->reason, "no rows for partition '%s'", k->partition);
}

/* Classification: the summary row of a partition, or NULL. */
static const sh_csummary *class_summary_row(const sh_cresults *r, const char *partition)
{
    for (size_t i = 0; r && i < r->n_summaries; i++)
        if (!strcmp(r->summaries[i].partition, partition))
            return &r->summaries[i];
    return NULL;
}

static void evaluate_class_summary(sh_verdict *v, const sh_cresults *r)
{
    const sh_csummary *row = class_summary_row(r, v->partition);
    if (!row) {
        snprintf(v->reason, sizeof v->reason, "no summary for partition '%s'", v->partition);
        return;
    }
    const test_field *t = class_test_of(v->measure);
    if (t) {
        v->value = get(row, t->offset);
        if (isnan(v->value))
            snprintf(v->reason, sizeof v->reason,
                     "%.16s is not defined: under two groups with images, or (bootstrap) a "
                     "group under %d subjects or with no errors or only errors",
                     v->measure, SH_TEST_BOOT_SUBJECTS);
        return;
    }
    const double *base =
        (const double *)((const char *)row + class_summary_of(v->measure)->offset);
    v->value = pick(v->bound, base[0], base + 1);
    if (isnan(v->value))
        snprintf(v->reason, sizeof v->reason, "%.24s is not defined: under two groups with "
                 "images and not too small, or (bounds) no bootstrap", v->measure);
}

static void evaluate_class_rate(sh_verdict *v, const sh_criterion *k, const sh_cresults *r,
                                int at_most)
{
    size_t lo = interval_offset(&class_rate, v->interval);
    int seen = 0;
    for (size_t i = 0; i < r->n_groups; i++) {
        const sh_crow *row = &r->groups[i];
        if (strcmp(row->partition, k->partition) || (k->group && strcmp(row->group, k->group)) ||
            row->too_small)
            continue;
        double x = pick(v->bound, row->error_rate, (const double *)((const char *)row + lo));
        if (isnan(x)) {
            v->value = NAN;
            snprintf(v->group, sizeof v->group, "%s", row->group);
            if (!row->n)
                snprintf(v->reason, sizeof v->reason, "%s of group '%s' is not estimable: it "
                         "has no images", k->measure, row->group);
            else if (!strcmp(v->interval, "bootstrap") && strcmp(v->bound, "value"))
                snprintf(v->reason, sizeof v->reason, "%s of group '%s' has no bootstrap "
                         "interval: a group needs %d subjects for one", k->measure, row->group,
                         SH_TEST_BOOT_SUBJECTS);
            else
                snprintf(v->reason, sizeof v->reason, "%s of group '%s' is not estimable",
                         k->measure, row->group);
            return;
        }
        keep_worst(v, &seen, x, row->group, at_most);
    }
    if (!seen)
        snprintf(v->reason, sizeof v->reason, "no rows for partition '%s'", k->partition);
}

/* A group's mean accuracy over the pair list's folds: every group of the
 * partition (or the one named) must meet the limit; the verdict names the
 * one furthest from it. */
static void evaluate_folds(sh_verdict *v, const sh_criterion *k, const sh_vresults *r,
                           int at_most)
{
    int seen = 0, small = 0;
    for (size_t i = 0; i < r->n_fold_accuracy; i++) {
        const sh_vfold_summary *row = &r->fold_accuracy[i];
        if (strcmp(row->partition, k->partition) || (k->group && strcmp(row->group, k->group)))
            continue;
        if (sh_vresults_too_small(r, row->partition, row->group)) {
            small++;
            continue;
        }
        if (isnan(row->mean)) {
            v->value = NAN;
            snprintf(v->group, sizeof v->group, "%s", row->group);
            snprintf(v->reason, sizeof v->reason, "fold_accuracy of group '%.40s' is not "
                     "defined: no fold has both its pairs and others'", row->group);
            return;
        }
        keep_worst(v, &seen, row->mean, row->group, at_most);
    }
    if (!seen && small)
        snprintf(v->reason, sizeof v->reason, "every group of partition '%s' it names has "
                 "fewer subjects than groups.min_subjects", k->partition);
    else if (!seen)
        snprintf(v->reason, sizeof v->reason, "no accuracy over folds for partition '%s' "
                 "(the pair list has no folds)", k->partition);
}

/* A score statistic: every group of the partition (or the one named) must
 * meet the rule; the verdict names the one furthest from it. */
static void evaluate_score(sh_verdict *v, const sh_criterion *k, const sh_vresults *r,
                           int at_most)
{
    if (!strcmp(k->measure, "fold_accuracy")) {
        evaluate_folds(v, k, r, at_most);
        return;
    }
    size_t off = score_of(k->measure)->offset;
    int seen = 0;
    for (size_t i = 0; i < r->n_scores; i++) {
        const sh_vscore *row = &r->scores[i];
        if (strcmp(row->partition, k->partition) || (k->group && strcmp(row->group, k->group)) ||
            row->too_small)
            continue;
        double x = get(row, off);
        /* An AUC known only within its exact bounds is judged at the end
         * furthest from passing: a rule must not pass on the midpoint. */
        if (!strcmp(k->measure, "auc") && row->auc_lo != row->auc_hi)
            x = at_most ? row->auc_hi : row->auc_lo;
        if (isnan(x)) {
            v->value = NAN;
            snprintf(v->group, sizeof v->group, "%s", row->group);
            snprintf(v->reason, sizeof v->reason, "%s of group '%s' is not defined: it has no "
                     "genuine or no impostor scores, or they do not vary", k->measure,
                     row->group);
            return;
        }
        keep_worst(v, &seen, x, row->group, at_most);
    }
    if (!seen)
        snprintf(v->reason, sizeof v->reason, "no rows for partition '%s'", k->partition);
}

/* A group's EER at the rule's bound: every group of the partition (or the
 * one named) must meet it; the verdict names the one furthest from it. */
static void evaluate_eer(sh_verdict *v, const sh_criterion *k, const sh_vresults *r,
                         int at_most)
{
    int seen = 0;
    for (size_t i = 0; i < r->n_eer; i++) {
        const sh_veer *row = &r->eer[i];
        if (strcmp(row->partition, k->partition) || (k->group && strcmp(row->group, k->group)) ||
            sh_vresults_too_small(r, row->partition, row->group))
            continue;
        double x = pick(v->bound, row->eer, &row->eer_boot_lo);
        if (isnan(x)) {
            v->value = NAN;
            snprintf(v->group, sizeof v->group, "%s", row->group);
            if (isnan(row->eer))
                snprintf(v->reason, sizeof v->reason, "eer of group '%s' is not defined: it "
                         "has no genuine or no impostor scores", row->group);
            else
                snprintf(v->reason, sizeof v->reason, "eer of group '%.40s' has no bootstrap "
                         "interval: %.60s", row->group,
                         row->eer_boot_note[0] ? row->eer_boot_note : "no replicates");
            return;
        }
        keep_worst(v, &seen, x, row->group, at_most);
    }
    if (!seen)
        snprintf(v->reason, sizeof v->reason, "no rows for partition '%s'", k->partition);
}

/* The matrix of partition p, or NULL. */
static const sh_vmatrix *matrix_of(const sh_vresults *r, const char *p)
{
    for (size_t m = 0; m < r->n_matrices; m++)
        if (!strcmp(r->matrices[m].partition, p))
            return &r->matrices[m];
    return NULL;
}

/* The index of point `at` among matrix m's, or m->n_targets. */
static size_t matrix_point(const sh_vmatrix *m, sh_vpoint at)
{
    size_t k = 0;
    while (k < m->n_targets && !sh_vpoint_same(sh_vmatrix_point(m, k), at))
        k++;
    return k;
}

/* A cell's name in a verdict: its two groups. */
static void cell_name(char *out, size_t size, const sh_vmatrix *m, size_t i, size_t j)
{
    snprintf(out, size, "%.30s x %.30s", m->group[i], m->group[j]);
}

/* The FMR of every cell across two groups of the partition's matrix (or
 * every such cell of the group named), at the rule's point and bound; the
 * verdict names the cell furthest from passing. Cells of a group with fewer
 * than groups.min_subjects subjects, or with no pairs, are left out. */
static void evaluate_cross(sh_verdict *v, const sh_criterion *k, const sh_vresults *r,
                           int at_most)
{
    const sh_vmatrix *m = matrix_of(r, k->partition);
    size_t t = m ? matrix_point(m, verdict_point(v, r)) : 0;
    if (!m || t == m->n_targets) {
        snprintf(v->reason, sizeof v->reason, "no FMR matrix for partition '%s'",
                 k->partition);
        return;
    }
    int seen = 0;
    size_t ng = m->n_groups, cells = ng * ng;
    for (size_t i = 0; i < ng; i++)
        for (size_t j = i + 1; j < ng; j++) {
            if ((k->group && strcmp(m->group[i], k->group) && strcmp(m->group[j], k->group)) ||
                !m->n_impostor[i * ng + j] ||
                sh_vresults_too_small(r, m->partition, m->group[i]) ||
                sh_vresults_too_small(r, m->partition, m->group[j]))
                continue;
            size_t c = t * cells + i * ng + j;
            double bounds[2] = {m->fmr_boot_lo[c], m->fmr_boot_hi[c]};
            double x = pick(v->bound, m->fmr[c], bounds);
            char name[SH_NAME_MAX];
            cell_name(name, sizeof name, m, i, j);
            if (isnan(x)) {
                v->value = NAN;
                snprintf(v->group, sizeof v->group, "%s", name);
                snprintf(v->reason, sizeof v->reason,
                         isnan(m->fmr[c]) ? "cross_fmr of '%s' is not estimable"
                                          : "cross_fmr of '%s' has no bootstrap interval (a "
                                            "group under 25 subjects, or no replicates)",
                         name);
                return;
            }
            keep_worst(v, &seen, x, name, at_most);
        }
    if (!seen)
        snprintf(v->reason, sizeof v->reason, "no cell across two groups of partition '%s'",
                 k->partition);
}

int sh_criteria_evaluate(sh_verdict **out, const sh_criteria_spec *c,
                         const sh_vresults *r, const sh_cresults *cr, sh_err *err)
{
    *out = calloc(c->n_rules ? c->n_rules : 1, sizeof **out);
    if (!*out)
        return sh_err_nomem(err);
    for (unsigned i = 0; i < c->n_rules; i++) {
        const sh_criterion *k = &c->rules[i];
        sh_verdict *v = &(*out)[i];
        int at_most = k->at_most != NULL;
        snprintf(v->name, sizeof v->name, "%s", k->name);
        snprintf(v->measure, sizeof v->measure, "%s", k->measure);
        snprintf(v->partition, sizeof v->partition, "%s", k->partition);
        snprintf(v->bound, sizeof v->bound, "%s", bound_of(k));
        sh_vpoint at;
        v->target_fmr = v->target_fnmr = v->threshold = NAN;
        if (sh_criterion_point(&at, k)) {
            sh_vpoint_put(v->point, &v->target_fmr, &v->target_fnmr, at);
            for (size_t t = 0; r && t < r->n_thresholds; t++)
                if (sh_vpoint_same(sh_vthreshold_point(&r->thresholds[t]), at))
                    v->threshold = r->thresholds[t].threshold;
            if (at.kind == SH_VPOINT_FIXED)
                v->threshold = at.value;
        }
        v->limit = at_most ? *k->at_most : *k->at_least;
        snprintf(v->op, sizeof v->op, "%s", at_most ? "<=" : ">=");
        v->value = NAN;
        int classification = sh_criterion_classification(k->measure);
        sh_criterion_kind kind = sh_criterion_kind_of(k->measure);
        if (classification != (cr != NULL)) {
            /* The config refuses this; a results pair built by hand may not. */
            snprintf(v->reason, sizeof v->reason, "%s is not a measure of this run's protocol",
                     k->measure);
        } else if (classification && kind == SH_CRITERION_RATE) {
            snprintf(v->interval, sizeof v->interval, "%s", interval_of(k));
            evaluate_class_rate(v, k, cr, at_most);
        } else if (classification) {
            evaluate_class_summary(v, cr);
        } else if (kind == SH_CRITERION_SCORE) {
            evaluate_score(v, k, r, at_most);
        } else if (kind == SH_CRITERION_EER) {
            snprintf(v->interval, sizeof v->interval, "bootstrap");
            evaluate_eer(v, k, r, at_most);
        } else if (kind == SH_CRITERION_CROSS) {
            snprintf(v->interval, sizeof v->interval, "bootstrap");
            evaluate_cross(v, k, r, at_most);
        } else if (kind == SH_CRITERION_SUMMARY) {
            evaluate_summary(v, k, r);
        } else if (kind == SH_CRITERION_TEST) {
            evaluate_test(v, r);
        } else {
            snprintf(v->interval, sizeof v->interval, "%s", interval_of(k));
            evaluate_rate(v, k, r, at_most);
        }
        v->pass = sh_verdict_meets(v->value, v->op, v->limit) == 1;
        if (!v->pass && !v->reason[0])
            snprintf(v->reason, sizeof v->reason, "%s %s is %.6g, limit %s %.6g", v->bound,
                     v->measure, v->value, v->op, v->limit);
    }
    return 0;
}

/* sh_verdict_estimate for a classification rule. */
static int class_estimate(double out[3], const sh_verdict *v, const sh_cresults *r)
{
    if (!strcmp(v->measure, class_rate.measure)) {
        size_t lo = interval_offset(&class_rate, v->interval);
        for (size_t i = 0; i < r->n_groups; i++) {
            const sh_crow *row = &r->groups[i];
            if (strcmp(row->partition, v->partition) || strcmp(row->group, v->group))
                continue;
            out[0] = row->error_rate;
            out[1] = get(row, lo);
            out[2] = get(row, lo + sizeof(double));
            return 0;
        }
        return -1;
    }
    const sh_csummary *row = class_summary_row(r, v->partition);
    if (!row)
        return -1;
    if (class_test_of(v->measure)) {
        out[0] = get(row, class_test_of(v->measure)->offset);
        return 0;
    }
    const sh_csummary_field *f = class_summary_of(v->measure);
    if (!f)
        return -1;
    memcpy(out, (const char *)row + f->offset, 3 * sizeof *out);
    return 0;
}

int sh_verdict_estimate(double out[3], const sh_verdict *v, const sh_vresults *r,
                        const sh_cresults *cr)
{
    out[0] = out[1] = out[2] = NAN;
    if (cr && sh_criterion_classification(v->measure))
        return class_estimate(out, v, cr);
    if (!r)
        return -1;
    if (!strcmp(v->measure, "cross_fmr")) {
        const sh_vmatrix *m = matrix_of(r, v->partition);
        size_t t = m ? matrix_point(m, verdict_point(v, r)) : 0;
        for (size_t i = 0; m && t < m->n_targets && i < m->n_groups; i++)
            for (size_t j = i + 1; j < m->n_groups; j++) {
                char name[SH_NAME_MAX];
                cell_name(name, sizeof name, m, i, j);
                if (strcmp(name, v->group))
                    continue;
                size_t c = (t * m->n_groups + i) * m->n_groups + j;
                out[0] = m->fmr[c];
                out[1] = m->fmr_boot_lo[c];
                out[2] = m->fmr_boot_hi[c];
                return 0;
            }
        return -1;
    }
    if (!strcmp(v->measure, "eer")) {
        for (size_t i = 0; i < r->n_eer; i++)
            if (!strcmp(r->eer[i].partition, v->partition) &&
                !strcmp(r->eer[i].group, v->group)) {
                out[0] = r->eer[i].eer;
                out[1] = r->eer[i].eer_boot_lo;
                out[2] = r->eer[i].eer_boot_hi;
                return 0;
            }
        return -1;
    }
    if (!strcmp(v->measure, "fold_accuracy")) {
        const sh_vfold_summary *f = sh_vresults_fold(r, v->partition, v->group);
        if (f)
            out[0] = f->mean;
        return f ? 0 : -1;
    }
    if (score_of(v->measure)) {
        for (size_t i = 0; i < r->n_scores; i++)
            if (!strcmp(r->scores[i].partition, v->partition) &&
                !strcmp(r->scores[i].group, v->group)) {
                out[0] = get(&r->scores[i], score_of(v->measure)->offset);
                return 0;
            }
        return -1;
    }
    const sh_vsummary_field *sf = summary_of(v->measure);
    sh_vpoint at = verdict_point(v, r);
    if (test_of(v->measure)) {
        const sh_vtest *t = test_row(v, r, at);
        if (!t)
            return -1;
        out[0] = get(t, test_of(v->measure)->offset);
        return 0;
    }
    for (size_t s = 0; sf && s < r->n_summaries; s++) {
        const sh_vsummary *row = &r->summaries[s];
        if (strcmp(row->partition, v->partition) || !sh_vpoint_same(sh_vsummary_point(row), at))
            continue;
        memcpy(out, (const char *)row + sf->offset, 3 * sizeof *out);
        return 0;
    }
    const rate_fields *f = sf ? NULL : rate_of(v->measure);
    if (!f)
        return -1;
    size_t lo = interval_offset(f, v->interval);
    const sh_vgroup *row = sh_vresults_group(r, v->partition, v->group, at);
    if (!row)
        return -1;
    out[0] = get(row, f->value);
    if (lo) {
        out[1] = get(row, lo);
        out[2] = get(row, lo + sizeof(double));
    }
    return 0;
}

int sh_verdict_meets(double value, const char *op, double limit)
{
    if (strcmp(op, "<=") && strcmp(op, ">="))
        return -1;
    return !isnan(value) && (op[0] == '<' ? value <= limit : value >= limit);
}

int sh_criteria_passed(const sh_verdict *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!v[i].pass)
            return 0;
    return 1;
}
