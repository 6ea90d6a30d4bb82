#include "config.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cyaml/cyaml.h>

#include "candidates.h"
#include "criteria.h"
#include "names.h"
#include "paths.h"
#include "yaml_file.h"

/* ---- schema ---- */

static const cyaml_schema_value_t string_entry = {
    CYAML_VALUE_STRING(CYAML_FLAG_POINTER, char, 1, CYAML_UNLIMITED),
};

static const cyaml_schema_value_t double_entry = {
    CYAML_VALUE_FLOAT(CYAML_FLAG_DEFAULT, double),
};

static const cyaml_schema_field_t label_fields[] = {
    CYAML_FIELD_STRING_PTR("label", CYAML_FLAG_POINTER, sh_group_label, label, 1, CYAML_UNLIMITED),
    CYAML_FIELD_SEQUENCE("values", CYAML_FLAG_POINTER, sh_group_label, values, &string_entry, 1,
                         CYAML_UNLIMITED),
    CYAML_FIELD_END,
};

static const cyaml_schema_value_t label_entry = {
    CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, sh_group_label, label_fields),
};

static const cyaml_schema_field_t band_fields[] = {
    CYAML_FIELD_STRING_PTR("label", CYAML_FLAG_POINTER, sh_group_band, label, 1, CYAML_UNLIMITED),
    CYAML_FIELD_FLOAT("min", CYAML_FLAG_DEFAULT, sh_group_band, min),
    CYAML_FIELD_FLOAT("below", CYAML_FLAG_DEFAULT, sh_group_band, below),
    CYAML_FIELD_END,
};

static const cyaml_schema_value_t band_entry = {
    CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, sh_group_band, band_fields),
};

static const cyaml_schema_field_t derived_fields[] = {
    CYAML_FIELD_STRING_PTR("name", CYAML_FLAG_POINTER, sh_group_derived, name, 1, CYAML_UNLIMITED),
    CYAML_FIELD_STRING_PTR("from", CYAML_FLAG_POINTER, sh_group_derived, from, 1, CYAML_UNLIMITED),
    CYAML_FIELD_SEQUENCE("map", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, sh_group_derived, map,
                         &label_entry, 1, CYAML_UNLIMITED),
    CYAML_FIELD_SEQUENCE("bands", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, sh_group_derived,
                         bands, &band_entry, 1, CYAML_UNLIMITED),
    CYAML_FIELD_END,
};

static const cyaml_schema_value_t derived_entry = {
    CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, sh_group_derived, derived_fields),
};

static const cyaml_schema_field_t reference_fields[] = {
    CYAML_FIELD_STRING_PTR("partition", CYAML_FLAG_POINTER, sh_group_reference, partition, 1,
                           CYAML_UNLIMITED),
    CYAML_FIELD_STRING_PTR("group", CYAML_FLAG_POINTER, sh_group_reference, group, 1,
                           CYAML_UNLIMITED),
    CYAML_FIELD_END,
};

static const cyaml_schema_value_t reference_entry = {
    CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, sh_group_reference, reference_fields),
};

typedef struct sh_config cfg;

static const cyaml_schema_field_t run_fields[] = {
    CYAML_FIELD_STRING_PTR("name", CYAML_FLAG_POINTER, sh_cfg_run, name, 1, CYAML_UNLIMITED),
    CYAML_FIELD_UINT("seed", CYAML_FLAG_OPTIONAL, sh_cfg_run, seed),
    CYAML_FIELD_UINT_PTR("threads", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, sh_cfg_run,
                         threads_given),
    CYAML_FIELD_FLOAT_PTR("confidence", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, sh_cfg_run,
                          confidence_given),
    CYAML_FIELD_UINT_PTR("bootstrap", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, sh_cfg_run,
                         bootstrap),
    CYAML_FIELD_END,
};

#define OPT_STR SH_YAML_OPT_STR
#define REQ_STR SH_YAML_STR

static const cyaml_schema_field_t dataset_fields[] = {
    REQ_STR("manifest", sh_cfg_dataset, manifest),
    OPT_STR("card", sh_cfg_dataset, card),
    OPT_STR("root", sh_cfg_dataset, root),
    SH_YAML_BOOL("allow_outside_root", sh_cfg_dataset, allow_outside_root),
    CYAML_FIELD_END,
};

static const cyaml_schema_field_t scores_fields[] = {
    REQ_STR("file", sh_cfg_scores, file),
    OPT_STR("reference", sh_cfg_scores, reference),
    OPT_STR("probe", sh_cfg_scores, probe),
    OPT_STR("score", sh_cfg_scores, score),
    CYAML_FIELD_END,
};

static const cyaml_schema_field_t candidates_fields[] = {
    REQ_STR("file", sh_cfg_candidates, file),
    OPT_STR("gallery", sh_cfg_candidates, gallery),
    CYAML_FIELD_END,
};

static const cyaml_schema_field_t predictions_fields[] = {
    REQ_STR("file", sh_cfg_predictions, file),
    OPT_STR("image", sh_cfg_predictions, image),
    OPT_STR("predicted", sh_cfg_predictions, predicted),
    OPT_STR("confidence", sh_cfg_predictions, confidence),
    CYAML_FIELD_END,
};

static const cyaml_schema_field_t pairs_fields[] = {
    REQ_STR("file", sh_pair_list, file),
    OPT_STR("reference", sh_pair_list, reference),
    OPT_STR("probe", sh_pair_list, probe),
    OPT_STR("fold", sh_pair_list, fold),
    CYAML_FIELD_END,
};

static const cyaml_schema_field_t engine_fields[] = {
    CYAML_FIELD_STRING_PTR("adapter", CYAML_FLAG_POINTER, sh_cfg_engine, adapter, 1, CYAML_UNLIMITED),
    CYAML_FIELD_STRING_PTR("config_dir", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, sh_cfg_engine,
                           config_dir, 1, CYAML_UNLIMITED),
    CYAML_FIELD_SEQUENCE("options", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, sh_cfg_engine, options,
                         &string_entry, 0, CYAML_UNLIMITED),
    OPT_STR("model_card", sh_cfg_engine, model_card),
    OPT_STR("service", sh_cfg_engine, service),
    CYAML_FIELD_MAPPING_PTR("scores", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, sh_cfg_engine,
                            scores, scores_fields),
    CYAML_FIELD_MAPPING_PTR("predictions", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL,
                            sh_cfg_engine, predictions, predictions_fields),
    CYAML_FIELD_MAPPING_PTR("candidates", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL,
                            sh_cfg_engine, candidates, candidates_fields),
    CYAML_FIELD_END,
};

static const cyaml_schema_field_t groups_fields[] = {
    CYAML_FIELD_SEQUENCE("derived", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, sh_cfg_groups, derived,
                         &derived_entry, 0, CYAML_UNLIMITED),
    CYAML_FIELD_SEQUENCE("partitions", CYAML_FLAG_POINTER, sh_cfg_groups, partitions, &string_entry,
                         1, CYAML_UNLIMITED),
    CYAML_FIELD_UINT("min_subjects", CYAML_FLAG_OPTIONAL, sh_cfg_groups, min_subjects),
    CYAML_FIELD_SEQUENCE("reference", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, sh_cfg_groups,
                         reference, &reference_entry, 1, CYAML_UNLIMITED),
    CYAML_FIELD_END,
};

static const cyaml_schema_field_t verification_fields[] = {
    CYAML_FIELD_MAPPING_PTR("pairs", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL,
                            sh_cfg_verification, pairs, pairs_fields),
    CYAML_FIELD_STRING_PTR("impostors", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, sh_cfg_verification,
                           impostors, 1, CYAML_UNLIMITED),
    CYAML_FIELD_UINT("impostor_sample", CYAML_FLAG_OPTIONAL, sh_cfg_verification, impostor_sample),
    CYAML_FIELD_SEQUENCE("target_fmr", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL,
                         sh_cfg_verification, target_fmr, &double_entry, 1, 64),
    CYAML_FIELD_SEQUENCE("target_fnmr", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL,
                         sh_cfg_verification, target_fnmr, &double_entry, 1, 64),
    CYAML_FIELD_SEQUENCE("fixed_threshold", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL,
                         sh_cfg_verification, fixed_threshold, &double_entry, 1, 64),
    CYAML_FIELD_FLOAT_PTR("alpha", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL,
                          sh_cfg_verification, alpha),
    SH_YAML_BOOL("impostor_moments", sh_cfg_verification, impostor_moments),
    CYAML_FIELD_END,
};

static const cyaml_schema_field_t identification_fields[] = {
    CYAML_FIELD_FLOAT("holdout", CYAML_FLAG_OPTIONAL, sh_cfg_identification, holdout),
    CYAML_FIELD_UINT("candidates", CYAML_FLAG_OPTIONAL, sh_cfg_identification, candidates),
    CYAML_FIELD_SEQUENCE("target_fpir", CYAML_FLAG_POINTER, sh_cfg_identification,
                         target_fpir, &double_entry, 1, 64),
    CYAML_FIELD_END,
};

static const cyaml_schema_field_t engine_labels_fields[] = {
    OPT_STR("female", sh_cfg_engine_labels, female),
    OPT_STR("male", sh_cfg_engine_labels, male),
    CYAML_FIELD_END,
};

static const cyaml_schema_field_t classification_fields[] = {
    REQ_STR("attribute", sh_cfg_classification, attribute),
    CYAML_FIELD_SEQUENCE("classes", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL,
                         sh_cfg_classification, classes, &string_entry, 2, 256),
    CYAML_FIELD_MAPPING("engine_labels", CYAML_FLAG_OPTIONAL, sh_cfg_classification,
                        engine_labels, engine_labels_fields),
    CYAML_FIELD_END,
};

#define OPT_STRING(key, member)                                                                 \
    CYAML_FIELD_STRING_PTR(key, CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, sh_criterion, \
                           member, 1, CYAML_UNLIMITED)
#define OPT_FLOAT(key, member)                                                                  \
    CYAML_FIELD_FLOAT_PTR(key, CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, sh_criterion, \
                          member)

static const cyaml_schema_field_t criterion_fields[] = {
    CYAML_FIELD_STRING_PTR("name", CYAML_FLAG_POINTER, sh_criterion, name, 1,
                           CYAML_UNLIMITED),
    CYAML_FIELD_STRING_PTR("measure", CYAML_FLAG_POINTER, sh_criterion, measure, 1,
                           CYAML_UNLIMITED),
    CYAML_FIELD_STRING_PTR("partition", CYAML_FLAG_POINTER, sh_criterion, partition, 1,
                           CYAML_UNLIMITED),
    OPT_FLOAT("target_fmr", target_fmr),
    OPT_FLOAT("target_fnmr", target_fnmr),
    OPT_FLOAT("fixed_threshold", fixed_threshold),
    OPT_STRING("group", group),
    OPT_STRING("bound", bound),
    OPT_STRING("interval", interval),
    OPT_FLOAT("at_most", at_most),
    OPT_FLOAT("at_least", at_least),
    CYAML_FIELD_END,
};

static const cyaml_schema_value_t criterion_entry = {
    CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, sh_criterion, criterion_fields),
};

static const cyaml_schema_field_t output_fields[] = {
    CYAML_FIELD_STRING_PTR("results", CYAML_FLAG_POINTER, sh_cfg_output, results, 1, CYAML_UNLIMITED),
    CYAML_FIELD_STRING_PTR("checkpoint", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL,
                           sh_cfg_output, checkpoint, 1, CYAML_UNLIMITED),
    CYAML_FIELD_SEQUENCE("export", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, sh_cfg_output,
                         export, &string_entry, 0, 8),
    CYAML_FIELD_END,
};

static const cyaml_schema_field_t top_fields[] = {
    CYAML_FIELD_MAPPING("run", CYAML_FLAG_DEFAULT, cfg, run, run_fields),
    CYAML_FIELD_MAPPING("dataset", CYAML_FLAG_DEFAULT, cfg, dataset, dataset_fields),
    CYAML_FIELD_MAPPING("engine", CYAML_FLAG_DEFAULT, cfg, engine, engine_fields),
    CYAML_FIELD_MAPPING("groups", CYAML_FLAG_DEFAULT, cfg, groups, groups_fields),
    CYAML_FIELD_MAPPING("verification", CYAML_FLAG_OPTIONAL, cfg, verification,
                        verification_fields),
    CYAML_FIELD_MAPPING_PTR("identification", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, cfg,
                            identification, identification_fields),
    CYAML_FIELD_MAPPING_PTR("classification", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, cfg,
                            classification, classification_fields),
    CYAML_FIELD_MAPPING("output", CYAML_FLAG_DEFAULT, cfg, output, output_fields),
    CYAML_FIELD_SEQUENCE("criteria", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, cfg, criteria,
                         &criterion_entry, 0, CYAML_UNLIMITED),
    CYAML_FIELD_END,
};

static const cyaml_schema_value_t top_schema = {
    CYAML_VALUE_MAPPING(CYAML_FLAG_POINTER, cfg, top_fields),
};

/* ---- validation ---- */

/* The line on which `key:` is written inside top-level `section`, counting
 * its nth appearance from 0 (flow or block style); 0 when not found, and
 * the section's own line when key is NULL. Validation runs after parsing,
 * when libcyaml's marks are gone, so the text is searched again. */
static unsigned key_line(const char *text, const char *section, const char *key, unsigned nth)
{
    size_t slen = strlen(section), klen = key ? strlen(key) : 0;
    unsigned line = 1, in_section = 0;
    for (const char *p = text; *p; line++) {
        const char *end = strchr(p, '\n');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len && p[0] != ' ' && p[0] != '#' && p[0] != '-') {
            in_section = len > slen && !strncmp(p, section, slen) && p[slen] == ':';
            if (in_section && !key)
                return line;
        }
        for (size_t i = 0; in_section && key && i + klen < len; i++) {
            char before = i ? p[i - 1] : ' ';
            if ((before == ' ' || before == '{' || before == ',') && !strncmp(p + i, key, klen) &&
                p[i + klen] == ':' && nth-- == 0)
                return line;
        }
        if (!end)
            break;
        p = end + 1;
    }
    return 0;
}

static int field_error(sh_err *err, const char *path, unsigned line, const char *field,
                       const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static int field_error(sh_err *err, const char *path, unsigned line, const char *field,
                       const char *fmt, ...)
{
    char why[512], at[24] = "";
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    if (line)
        snprintf(at, sizeof at, ":%u", line);
    return sh_err_set(err, SH_E_INPUT, "%s%s: field '%s': %s", path, at, field, why);
}

/* field_error for a field written "section.sub.key": the line is that of
 * the nth `key:` inside section, or the section's where it has none. */
static int cfg_error(sh_err *err, const cfg *c, const char *path, const char *field,
                     unsigned nth, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

static int cfg_error(sh_err *err, const cfg *c, const char *path, const char *field,
                     unsigned nth, const char *fmt, ...)
{
    char section[64], why[512];
    const char *dot = strchr(field, '.'), *key = strrchr(field, '.');
    snprintf(section, sizeof section, "%.*s", dot ? (int)(dot - field) : (int)strlen(field), field);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    unsigned line = key_line(c->text, section, key ? key + 1 : NULL, nth);
    if (!line && key)
        line = key_line(c->text, section, NULL, 0);
    return field_error(err, path, line, field, "%s", why);
}


/* Replaces *slot (a malloc'd relative path) by its resolution against dir. */
static int resolve_path(char **slot, const char *dir, sh_err *err)
{
    char buf[PATH_MAX];
    int rc = sh_path_join(buf, sizeof buf, dir, *slot, err);
    if (rc)
        return rc;
    char *copy = strdup(buf);
    if (!copy)
        return sh_err_nomem(err);
    free(*slot);
    *slot = copy;
    return 0;
}

/* Whether text ends with end. */
static int ends_with(const char *text, const char *end)
{
    size_t n = strlen(text), m = strlen(end);
    return n >= m && !strcmp(text + n - m, end);
}

/* Whether a rule's measure is a proportion, whose limit must lie in [0, 1]:
 * rates, the EER, p-values, the AUC, the ZeroFMR and ZeroFNMR rates, the
 * accuracy over folds, and the summaries that are one (gaps, Gini
 * coefficients, GARBE, FDR); not ratios, d', or the summaries that are
 * ratios (max/min, max/geomean, inequity). */
static int is_proportion(const char *measure)
{
    sh_criterion_kind kind = sh_criterion_kind_of(measure);
    if (kind == SH_CRITERION_RATE)
        return !sh_criterion_is_ratio(measure);
    if (kind == SH_CRITERION_SUMMARY)
        return ends_with(measure, "_gap") || ends_with(measure, "_gini") ||
               !strcmp(measure, "garbe") || !strcmp(measure, "fdr");
    return kind == SH_CRITERION_FTE || kind == SH_CRITERION_CROSS || kind == SH_CRITERION_EER ||
           kind == SH_CRITERION_TEST || !strcmp(measure, "auc") ||
           !strcmp(measure, "zero_fmr") || !strcmp(measure, "zero_fnmr") ||
           !strcmp(measure, "fold_accuracy");
}

/* One pass/fail rule: everything about it that can be checked before the
 * manifest is read. Group names are checked once groups exist. */
static int validate_criterion(cfg *c, unsigned i, const char *path, sh_err *err)
{
    sh_criterion *k = &c->criteria[i];
    k->line = key_line(c->text, "criteria", "name", i);
    char field[64];
    const char *why = NULL, *name = NULL;
    char buf[256];
    sh_criterion_kind kind = sh_criterion_kind_of(k->measure);
    int known_partition = !strcmp(k->partition, "all") && kind != SH_CRITERION_SUMMARY &&
                          kind != SH_CRITERION_TEST && kind != SH_CRITERION_CROSS;
    for (unsigned p = 0; p < c->groups.partitions_count; p++)
        known_partition |= !strcmp(c->groups.partitions[p], k->partition);
    sh_vpoint at, points[SH_CONFIG_POINTS_MAX];
    int has_point = sh_criterion_point(&at, k), known_point = 0;
    int n_points = !!k->target_fmr + !!k->target_fnmr + !!k->fixed_threshold;
    size_t n_listed = sh_config_points(points, c);
    for (size_t t = 0; has_point && t < n_listed; t++)
        known_point |= sh_vpoint_same(points[t], at);
    const char *point = has_point ? sh_vpoint_name(at.kind) : "";
    int has_reference = 0;
    for (unsigned r = 0; r < c->groups.reference_count; r++)
        has_reference |= !strcmp(c->groups.reference[r].partition, k->partition);
    const char *iv = k->interval ? k->interval : "";
    int classification = c->protocol == SH_PROTOCOL_CLASSIFICATION;
    const double *limit = k->at_most ? k->at_most : k->at_least; /* NULL: neither given */
    const char *limit_key = k->at_most ? "at_most" : "at_least";
    if (strlen(k->name) >= SH_NAME_MAX) {
        name = "name";
        snprintf(buf, sizeof buf, "%zu bytes; a rule's name is at most %d", strlen(k->name),
                 SH_NAME_MAX - 1);
        why = buf;
    } else if (kind == SH_CRITERION_UNKNOWN) {
        name = "measure";
        snprintf(buf, sizeof buf, "'%s' is not a measure a rule can name", k->measure);
        why = buf;
    } else if (sh_criterion_classification(k->measure) != classification) {
        name = "measure";
        snprintf(buf, sizeof buf, "'%s' is a %s measure; this is a %s run", k->measure,
                 classification ? "verification" : "classification",
                 classification ? "classification" : "verification");
        why = buf;
    } else if (!known_partition) {
        /* The list shown, so that a typo in it (not in the rule) is seen. */
        name = "partition";
        char list[160];
        snprintf(buf, sizeof buf, "'%s' is not one of groups.partitions (%s)", k->partition,
                 sh_names_join(list, sizeof list, (const char *const *)c->groups.partitions,
                               c->groups.partitions_count));
        why = buf;
    } else if (classification && has_point) {
        name = point;
        why = "classification rules name no operating point";
    } else if (kind == SH_CRITERION_SCORE && has_point) {
        name = point;
        why = "score statistics hold at no operating point";
    } else if (kind == SH_CRITERION_CROSS && k->interval && strcmp(iv, "bootstrap")) {
        name = "interval";
        why = "cross-group FMRs have bootstrap intervals only";
    } else if (kind == SH_CRITERION_EER && has_point) {
        name = point;
        why = "the EER holds at no operating point";
    } else if (kind == SH_CRITERION_EER && k->interval && strcmp(iv, "bootstrap")) {
        name = "interval";
        why = "the EER has bootstrap intervals only";
    } else if (kind == SH_CRITERION_EER && c->run.bootstrap && *c->run.bootstrap == 0 &&
               (!k->bound || strcmp(k->bound, "value"))) {
        name = k->bound ? "bound" : "measure";
        why = "the EER's bounds need bootstrap replicates, but run.bootstrap is 0: give "
              "bound: value";
    } else if (!strcmp(k->measure, "fold_accuracy") &&
               (!c->verification.pairs || !c->verification.pairs->fold)) {
        name = "measure";
        why = "fold_accuracy needs a pair list with folds: verification.pairs.fold";
    } else if (!strcmp(k->measure, "d_prime") && !c->verification.impostor_moments) {
        name = "measure";
        why = "d_prime needs the impostors' exact means and SDs: set "
              "verification.impostor_moments: true";
    } else if (!classification && kind != SH_CRITERION_FTE && kind != SH_CRITERION_SCORE &&
               kind != SH_CRITERION_EER && !has_point) {
        name = "target_fmr";
        why = "is required for this measure (or target_fnmr or fixed_threshold)";
    } else if (n_points > 1) {
        name = point;
        why = "give one operating point: target_fmr, target_fnmr or fixed_threshold";
    } else if (has_point && !known_point) {
        name = point;
        snprintf(buf, sizeof buf, "%g is not one of verification.%s", at.value, point);
        why = buf;
    } else if ((k->at_most != NULL) == (k->at_least != NULL)) {
        name = "at_most";
        why = "give exactly one of at_most and at_least";
    } else if (!isfinite(*limit)) {
        name = limit_key;
        snprintf(buf, sizeof buf, "%g is not a finite limit", *limit);
        why = buf;
    } else if (is_proportion(k->measure) && !(*limit >= 0 && *limit <= 1)) {
        name = limit_key;
        snprintf(buf, sizeof buf, "%g is not from 0 to 1, as %s is a proportion (a rate of 1%% "
                 "is 0.01)", *limit, k->measure);
        why = buf;
    } else if (k->bound && strcmp(k->bound, "value") && strcmp(k->bound, "lower") &&
               strcmp(k->bound, "upper")) {
        name = "bound";
        snprintf(buf, sizeof buf, "'%s' is not value, lower or upper", k->bound);
        why = buf;
    } else if (k->group && (kind == SH_CRITERION_SUMMARY || kind == SH_CRITERION_TEST)) {
        name = "group";
        why = kind == SH_CRITERION_TEST ? "a test covers every group of its partition"
                                        : "a summary covers every group of its partition";
    } else if (kind == SH_CRITERION_TEST && (k->interval || (k->bound && strcmp(k->bound,
                                                                                 "value")))) {
        name = k->interval ? "interval" : "bound";
        why = "a test's p-value has no interval: its bound is the value";
    } else if (kind == SH_CRITERION_SCORE && (k->interval || (k->bound && strcmp(k->bound,
                                                                                  "value")))) {
        name = k->interval ? "interval" : "bound";
        why = "score statistics have no interval: the bound is the value";
    } else if (kind == SH_CRITERION_TEST && strstr(k->measure, "_boot_") && c->run.bootstrap &&
               *c->run.bootstrap == 0) {
        name = "measure";
        why = "needs bootstrap replicates, but run.bootstrap is 0";
    } else if (k->interval && kind == SH_CRITERION_SUMMARY && strcmp(iv, "bootstrap")) {
        name = "interval";
        why = "summaries have bootstrap intervals only";
    } else if (k->interval && sh_criterion_is_ratio(k->measure) && strcmp(iv, "bootstrap")) {
        name = "interval";
        why = "ratios to the reference group have bootstrap intervals only";
    } else if (k->interval && sh_criterion_is_own(k->measure) && strcmp(iv, "bootstrap")) {
        name = "interval";
        why = "rates at a group's own threshold have bootstrap intervals only";
    } else if (sh_criterion_is_own(k->measure) && at.kind == SH_VPOINT_FIXED && has_point) {
        name = point;
        why = "a fixed threshold gives no group a threshold of its own";
    } else if (sh_criterion_is_ratio(k->measure) && !has_reference) {
        name = "measure";
        snprintf(buf, sizeof buf, "%s needs a reference group for partition '%s' "
                 "(groups.reference)", k->measure, k->partition);
        why = buf;
    } else if (k->interval && strcmp(iv, "wilson") && strcmp(iv, "clopper-pearson") &&
               strcmp(iv, "bootstrap")) {
        name = "interval";
        snprintf(buf, sizeof buf, "'%s' is not wilson, clopper-pearson or bootstrap", iv);
        why = buf;
    } else if (kind == SH_CRITERION_FTE && !strcmp(iv, "bootstrap")) {
        name = "interval";
        why = "fte has no bootstrap interval";
    } else if (c->run.bootstrap && *c->run.bootstrap == 0 &&
               (!k->bound || strcmp(k->bound, "value")) &&
               (kind == SH_CRITERION_SUMMARY || kind == SH_CRITERION_CROSS ||
                (kind == SH_CRITERION_RATE && (!k->interval || !strcmp(iv, "bootstrap"))))) {
        /* A rate that took the default interval: name what to change (a ratio
         * or a rate at a group's own threshold has no other interval). */
        int by_default = kind == SH_CRITERION_RATE && !k->interval &&
                         !sh_criterion_is_ratio(k->measure) && !sh_criterion_is_own(k->measure);
        name = by_default ? "interval" : "bound";
        why = by_default ? "defaults to bootstrap, but run.bootstrap is 0: give interval: "
                           "wilson or clopper-pearson, or bound: value"
                         : "needs bootstrap intervals, but run.bootstrap is 0: give bound: "
                           "value";
    }
    if (!why)
        return 0;
    snprintf(field, sizeof field, "criteria entry %u.%s", i + 1, name);
    return field_error(err, path, k->line, field, "%s", why);
}

/* Sets an unset string to a copy of value; -1 when out of memory. */
static int default_str(char **slot, const char *value)
{
    if (*slot)
        return 0;
    *slot = strdup(value);
    return *slot ? 0 : -1;
}

/* Each operating point listed once: a second would double its rows, and a
 * rule naming it would match both. */
static int no_point_twice(cfg *c, const char *path, sh_err *err)
{
    sh_vpoint points[SH_CONFIG_POINTS_MAX];
    size_t n = sh_config_points(points, c);
    for (size_t i = 0; i < n; i++)
        for (size_t j = 0; j < i; j++)
            if (sh_vpoint_same(points[i], points[j])) {
                char field[40];
                snprintf(field, sizeof field, "verification.%s", sh_vpoint_name(points[i].kind));
                return cfg_error(err, c, path, field, 0, "%g is listed twice", points[i].value);
            }
    return 0;
}

/* Exactly one protocol section, and what that protocol needs. */
static int validate_protocol(cfg *c, const char *path, sh_err *err)
{
    int n = 0;
    const sh_cfg_verification *v = &c->verification;
    if (v->target_fmr || v->target_fnmr || v->fixed_threshold) {
        c->protocol = SH_PROTOCOL_VERIFICATION;
        n++;
    } else if (key_line(c->text, "verification", NULL, 0)) {
        return cfg_error(err, c, path, "verification", 0,
                         "no operating point: give target_fmr, target_fnmr or "
                         "fixed_threshold");
    }
    if (c->identification) {
        c->protocol = SH_PROTOCOL_IDENTIFICATION;
        n++;
    }
    if (c->classification) {
        c->protocol = SH_PROTOCOL_CLASSIFICATION;
        n++;
    }
    if (n == 0)
        return sh_err_set(err, SH_E_INPUT,
                              "%s: no protocol: give one section of verification, "
                              "identification or classification", path);
    if (n > 1) {
        /* Name the later of the sections: the one added by mistake. */
        const char *later = c->classification ? "classification" : "identification";
        return cfg_error(err, c, path, later, 0,
                         "a run follows one protocol; this file has %d protocol sections", n);
    }
    if (c->protocol == SH_PROTOCOL_IDENTIFICATION && c->criteria_count)
        return cfg_error(err, c, path, "criteria", 0,
                         "pass/fail rules apply to verification and classification runs only");
    sh_cfg_identification *id = c->identification;
    if (id) {
        if (id->holdout == 0)
            id->holdout = 0.2;
        if (!(id->holdout > 0 && id->holdout < 1))
            return cfg_error(err, c, path, "identification.holdout", 0, "%g is not in (0, 1)",
                             id->holdout);
        if (id->candidates == 0)
            id->candidates = 20;
        if (id->candidates > SH_CANDIDATES_MAX)
            return cfg_error(err, c, path, "identification.candidates", 0,
                             "%u is more than %u", id->candidates, SH_CANDIDATES_MAX);
        for (unsigned i = 0; i < id->target_fpir_count; i++)
            if (!(id->target_fpir[i] > 0 && id->target_fpir[i] < 1))
                return cfg_error(err, c, path, "identification.target_fpir", 0,
                                 "%g is not in (0, 1)", id->target_fpir[i]);
    }
    sh_pair_list *p = c->verification.pairs;
    if (p && (default_str(&p->reference, "reference_id") || default_str(&p->probe, "probe_id")))
        return sh_err_nomem(err);
    return 0;
}

/* A replayed file is read more than once (its SHA-256, its rows, and again
 * on each pass where the scores are not held): a FIFO or device would block
 * or give different bytes each time, so it is refused here, by its field.
 * A missing file is left to the read, whose message names it. */
static int replayed_file_check(const cfg *c, const char *path, sh_err *err)
{
    const sh_cfg_engine *e = &c->engine;
    const char *files[][2] = {
        {e->scores ? e->scores->file : NULL, "engine.scores.file"},
        {e->predictions ? e->predictions->file : NULL, "engine.predictions.file"},
        {e->candidates ? e->candidates->file : NULL, "engine.candidates.file"},
        {e->candidates ? e->candidates->gallery : NULL, "engine.candidates.gallery"},
    };
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        struct stat st;
        const char *file = files[i][0];
        if (!file || stat(file, &st) || S_ISREG(st.st_mode))
            continue;
        return cfg_error(err, c, path, files[i][1], 0,
                         "%s %s, not a regular file: replay reads it more than once", file,
                         S_ISDIR(st.st_mode)    ? "is a directory"
                         : S_ISFIFO(st.st_mode) ? "is a FIFO"
                         : S_ISCHR(st.st_mode)  ? "is a character device"
                                                : "is a special file");
    }
    return 0;
}

/* An engine, or replay with the file the protocol reads. */
static int validate_engine(cfg *c, const char *path, sh_err *err)
{
    sh_cfg_engine *e = &c->engine;
    int replay = !strcmp(e->adapter, SH_REPLAY);
    if (!replay && (e->scores || e->predictions || e->candidates))
        return cfg_error(err, c, path,
                         e->scores        ? "engine.scores"
                         : e->predictions ? "engine.predictions"
                                          : "engine.candidates",
                         0,
                         "only adapter: %s reads files in place of an engine, and "
                         "engine.adapter is '%s'",
                         SH_REPLAY, e->adapter);
    if (replay && (e->options_count || e->config_dir || e->model_card || e->service))
        return cfg_error(err, c, path,
                         e->config_dir   ? "engine.config_dir"
                         : e->model_card ? "engine.model_card"
                         : e->service    ? "engine.service"
                                         : "engine.options",
                         0, "adapter: %s runs no engine to configure", SH_REPLAY);
    sh_cfg_classification *cl = c->classification;
    if (cl && replay && (cl->engine_labels.female || cl->engine_labels.male))
        return cfg_error(err, c, path, "classification.engine_labels", 0,
                         "adapter: %s reads the predicted labels themselves", SH_REPLAY);
    if (cl && !replay) {
        if (default_str(&cl->engine_labels.female, "F") || default_str(&cl->engine_labels.male, "M"))
            return sh_err_nomem(err);
        const char *labels[2] = {cl->engine_labels.female, cl->engine_labels.male};
        for (unsigned k = 0; k < 2 && cl->classes_count; k++) {
            unsigned j = 0;
            while (j < cl->classes_count && strcmp(cl->classes[j], labels[k]))
                j++;
            if (j == cl->classes_count)
                return cfg_error(err, c, path, k ? "classification.engine_labels.male"
                                                 : "classification.engine_labels.female",
                                 0, "'%s' is not one of classification.classes", labels[k]);
        }
    }
    if (replay && c->protocol == SH_PROTOCOL_IDENTIFICATION && !e->candidates)
        return cfg_error(err, c, path, "engine", 0,
                         "adapter: %s needs a candidate-lists file (engine.candidates) for "
                         "identification", SH_REPLAY);
    /* Each protocol reads its own file; another's would be silently unused. */
    const char *stray = c->protocol != SH_PROTOCOL_VERIFICATION && e->scores ? "engine.scores"
                        : c->protocol != SH_PROTOCOL_CLASSIFICATION && e->predictions
                            ? "engine.predictions"
                        : c->protocol != SH_PROTOCOL_IDENTIFICATION && e->candidates
                            ? "engine.candidates"
                            : NULL;
    if (replay && stray)
        return cfg_error(err, c, path, stray, 0, "this %s run does not read it",
                         c->protocol == SH_PROTOCOL_VERIFICATION     ? "verification"
                         : c->protocol == SH_PROTOCOL_IDENTIFICATION ? "identification"
                                                                     : "classification");
    if (replay && c->protocol == SH_PROTOCOL_VERIFICATION && !e->scores)
        return cfg_error(err, c, path, "engine.scores", 0,
                         "adapter: %s needs a scores file for verification", SH_REPLAY);
    if (replay && c->protocol == SH_PROTOCOL_CLASSIFICATION && !e->predictions)
        return cfg_error(err, c, path, "engine.predictions", 0,
                         "adapter: %s needs a predictions file for classification",
                         SH_REPLAY);
    if (e->scores && (default_str(&e->scores->reference, "reference_id") ||
                      default_str(&e->scores->probe, "probe_id") ||
                      default_str(&e->scores->score, "score")))
        return sh_err_nomem(err);
    if (e->predictions && (default_str(&e->predictions->image, "image_id") ||
                           default_str(&e->predictions->predicted, "predicted")))
        return sh_err_nomem(err);
    return 0;
}

/* Whole-number fields libcyaml reads as unsigned, where "-1" would wrap
 * round to a huge number, "5.7" would be read as 5 and "010" as 8. */
static const char *const whole_fields[][2] = {
    {"run", "seed"},          {"run", "threads"},
    {"run", "bootstrap"},     {"groups", "min_subjects"},
    {"verification", "impostor_sample"}, {"identification", "candidates"},
};

/* Refuses a whole-number field written other than as decimal digits (a
 * sign, a fraction, an exponent, a leading 0), as written. */
static int validate_whole(cfg *c, const char *path, sh_err *err)
{
    for (size_t k = 0; k < sizeof whole_fields / sizeof *whole_fields; k++) {
        const char *section = whole_fields[k][0], *key = whole_fields[k][1];
        unsigned line = key_line(c->text, section, key, 0);
        const char *p = c->text;
        for (unsigned l = 1; line && l < line; l++)
            p = strchr(p, '\n') + 1;
        const char *at = line ? strstr(p, key) : NULL;
        while (at && at[strlen(key)] != ':')
            at = strstr(at + 1, key);
        if (!at)
            continue;
        const char *v = at + strlen(key) + 1;
        v += strspn(v, " \t\"'");
        size_t len = strcspn(v, " \t,}\"'\r\n#"), digits = strspn(v, "0123456789");
        /* Digits too many for the field libcyaml refused already. */
        if (!len || (digits == len && (v[0] != '0' || len == 1)))
            continue;
        char field[64];
        snprintf(field, sizeof field, "%s.%s", section, key);
        return field_error(err, path, line, field, *v == '-'
                               ? "'%.*s' is not a whole number of 0 or more"
                               : "'%.*s' is not a whole number in decimal digits",
                           (int)len, v);
    }
    return 0;
}

/* output.export: known names, each once, each for the run's protocol. */
static int validate_export(cfg *c, const char *path, sh_err *err)
{
    static const struct {
        const char *name;
        unsigned bit;
        sh_protocol protocol;
        const char *needs;
    } known[] = {
        {"roc", SH_EXPORT_ROC, SH_PROTOCOL_VERIFICATION, "verification"},
        {"candidates", SH_EXPORT_CANDIDATES, SH_PROTOCOL_IDENTIFICATION, "identification"},
    };
    sh_cfg_output *o = &c->output;
    for (unsigned i = 0; i < o->export_count; i++) {
        size_t k = 0;
        while (k < sizeof known / sizeof *known && strcmp(o->export[i], known[k].name))
            k++;
        if (k == sizeof known / sizeof *known)
            return cfg_error(err, c, path, "output.export", 0,
                             "'%s' is not one of roc, candidates", o->export[i]);
        if (o->exports & known[k].bit)
            return cfg_error(err, c, path, "output.export", 0, "'%s' is listed twice",
                             o->export[i]);
        if (c->protocol != known[k].protocol)
            return cfg_error(err, c, path, "output.export", 0,
                             "'%s' is exported by %s runs only", o->export[i], known[k].needs);
        o->exports |= known[k].bit;
    }
    return 0;
}

static int validate(cfg *c, const char *path, sh_err *err)
{
    int bad = validate_whole(c, path, err);
    if (bad)
        return bad;
    if (c->run.bootstrap && *c->run.bootstrap > SH_MAX_BOOTSTRAP)
        return cfg_error(err, c, path, "run.bootstrap", 0, "%u is more than %d",
                         *c->run.bootstrap, SH_MAX_BOOTSTRAP);
    c->run.threads = c->run.threads_given ? *c->run.threads_given : 1;
    if (c->run.threads < 1 || c->run.threads > 256)
        return cfg_error(err, c, path, "run.threads", 0, "%u is not from 1 to 256",
                         c->run.threads);
    c->run.confidence = c->run.confidence_given ? *c->run.confidence_given : 0.95;
    if (!(c->run.confidence > 0.5 && c->run.confidence < 1))
        return cfg_error(err, c, path, "run.confidence", 0, "%g is not in (0.5, 1)",
                         c->run.confidence);
    if (c->verification.alpha && !(*c->verification.alpha >= 0 && *c->verification.alpha <= 1))
        return cfg_error(err, c, path, "verification.alpha", 0, "%g is not in [0, 1]",
                         *c->verification.alpha);
    for (unsigned i = 0; i < c->engine.options_count; i++) {
        const char *o = c->engine.options[i];
        if (!strchr(o, '=') || o[0] == '=' || strchr(o, '\n'))
            return cfg_error(err, c, path, "engine.options", 0, "'%s' is not key=value", o);
        /* engine.service hands the engine this option, once its checks pass. */
        if (!strncmp(o, SH_SERVICE_OPTION "=", sizeof SH_SERVICE_OPTION))
            return cfg_error(err, c, path, "engine.options", 0,
                             "'%s': the option '%s' is engine.service's to give, after "
                             "its checks; name the description in engine.service instead",
                             o, SH_SERVICE_OPTION);
    }
    int rc = validate_protocol(c, path, err);
    if (!rc)
        rc = validate_engine(c, path, err);
    if (!rc)
        rc = validate_export(c, path, err);
    if (rc)
        return rc;
    if (c->verification.pairs && c->verification.impostors)
        return cfg_error(err, c, path, "verification.impostors", 0,
                         "an explicit pair list (verification.pairs) sets the impostors");
    if (!c->verification.impostors && default_str(&c->verification.impostors, "all"))
        return sh_err_nomem(err);
    if (strcmp(c->verification.impostors, "all") && strcmp(c->verification.impostors, "sample"))
        return cfg_error(err, c, path, "verification.impostors", 0,
                         "'%s' is neither all nor sample", c->verification.impostors);
    if (!strcmp(c->verification.impostors, "sample") && c->verification.impostor_sample == 0)
        return cfg_error(err, c, path, "verification.impostors", 0,
                         "sample needs verification.impostor_sample, a positive count");
    for (unsigned i = 0; i < c->verification.target_fmr_count; i++) {
        double a = c->verification.target_fmr[i];
        if (!(a > 0 && a < 1))
            return cfg_error(err, c, path, "verification.target_fmr", 0, "%g is not in (0, 1)", a);
    }
    rc = no_point_twice(c, path, err);
    if (rc)
        return rc;
    for (unsigned i = 0; i < c->verification.target_fnmr_count; i++) {
        double a = c->verification.target_fnmr[i];
        if (!(a > 0 && a < 1))
            return cfg_error(err, c, path, "verification.target_fnmr", 0, "%g is not in (0, 1)",
                             a);
    }
    for (unsigned i = 0; i < c->verification.fixed_threshold_count; i++) {
        double a = c->verification.fixed_threshold[i];
        if (!isfinite(a))
            return cfg_error(err, c, path, "verification.fixed_threshold", 0,
                             "%g is not a finite score", a);
    }
    for (unsigned i = 0; i < c->groups.derived_count; i++) {
        const sh_group_derived *d = &c->groups.derived[i];
        if ((d->map_count > 0) == (d->bands_count > 0))
            return field_error(err, path, key_line(c->text, "groups", "name", i), "groups.derived",
                               "'%s' needs exactly one of map or bands", d->name);
        for (unsigned b = 0; b < d->bands_count; b++) {
            const sh_group_band *x = &d->bands[b];
            if (!(x->min < x->below))
                return field_error(err, path, key_line(c->text, "groups", "name", i),
                                   "groups.derived.bands", "'%s' band '%s': min %g is not below %g",
                                   d->name, x->label, x->min, x->below);
            /* A value in two bands would go to the first without a word, as a
             * value under two labels of a map is refused. */
            for (unsigned a = 0; a < b; a++) {
                const sh_group_band *y = &d->bands[a];
                if (x->min < y->below && y->min < x->below)
                    return field_error(err, path, key_line(c->text, "groups", "name", i),
                                       "groups.derived.bands",
                                       "'%s' bands '%s' [%g, %g) and '%s' [%g, %g) overlap",
                                       d->name, y->label, y->min, y->below, x->label, x->min,
                                       x->below);
            }
        }
    }
    rc = sh_config_check_groups(c, err);
    if (rc)
        return rc;
    for (unsigned i = 0; i < c->criteria_count; i++) {
        int rc = validate_criterion(c, i, path, err);
        if (rc)
            return rc;
        /* A verdict is read by its rule's name: two of one name would be
         * ambiguous where it matters most, in a dispute. */
        for (unsigned j = 0; j < i; j++)
            if (!strcmp(c->criteria[j].name, c->criteria[i].name)) {
                char field[48];
                snprintf(field, sizeof field, "criteria entry %u.name", i + 1);
                return field_error(err, path, c->criteria[i].line, field,
                                   "'%s' is given twice (first on line %u)",
                                   c->criteria[i].name, c->criteria[j].line);
            }
    }
    char dir[PATH_MAX];
    rc = sh_path_dirname(dir, sizeof dir, path, err);
    if (!rc)
        rc = resolve_path(&c->dataset.manifest, dir, err);
    if (!rc && c->dataset.card)
        rc = resolve_path(&c->dataset.card, dir, err);
    if (!rc && c->dataset.root)
        rc = resolve_path(&c->dataset.root, dir, err);
    if (!rc && c->verification.pairs)
        rc = resolve_path(&c->verification.pairs->file, dir, err);
    if (!rc && c->engine.scores)
        rc = resolve_path(&c->engine.scores->file, dir, err);
    if (!rc && c->engine.predictions)
        rc = resolve_path(&c->engine.predictions->file, dir, err);
    if (!rc && c->engine.candidates)
        rc = resolve_path(&c->engine.candidates->file, dir, err);
    if (!rc && c->engine.candidates && c->engine.candidates->gallery)
        rc = resolve_path(&c->engine.candidates->gallery, dir, err);
    if (!rc)
        rc = replayed_file_check(c, path, err);
    if (!rc)
        rc = resolve_path(&c->output.results, dir, err);
    if (!rc && c->output.checkpoint)
        rc = resolve_path(&c->output.checkpoint, dir, err);
    if (!rc && c->engine.config_dir)
        rc = resolve_path(&c->engine.config_dir, dir, err);
    if (!rc && c->engine.model_card)
        rc = resolve_path(&c->engine.model_card, dir, err);
    if (!rc && c->engine.service)
        rc = resolve_path(&c->engine.service, dir, err);
    /* A library path is relative to the config too; a built-in name is not. */
    if (!rc && strchr(c->engine.adapter, '/'))
        rc = resolve_path(&c->engine.adapter, dir, err);
    return rc;
}

const char *sh_config_replayed(const sh_cfg_engine *e)
{
    if (strcmp(e->adapter, SH_REPLAY))
        return NULL;
    return e->scores ? e->scores->file : e->predictions ? e->predictions->file
           : e->candidates ? e->candidates->file : NULL;
}

int sh_config_load(sh_config **out, const char *path, sh_err *err)
{
    *out = NULL;
    cfg *c = NULL;
    char *text = NULL;
    int rc = sh_yaml_load((void **)&c, &text, path, "config", &top_schema, err);
    if (rc)
        return rc;
    c->text = text;
    c->path = strdup(path);
    rc = c->path ? validate(c, path, err) : sh_err_nomem(err);
    if (rc) {
        sh_config_destroy(c);
        return rc;
    }
    *out = c;
    return 0;
}

unsigned sh_config_line(const sh_config *config, const char *section, const char *key)
{
    return key_line(config->text, section, key, 0);
}

unsigned sh_config_line_nth(const sh_config *config, const char *section,
                                const char *key, unsigned nth)
{
    return key_line(config->text, section, key, nth);
}

void sh_config_destroy(sh_config *config)
{
    if (!config)
        return;
    free(config->text);
    free(config->path);
    config->text = config->path = NULL;
    sh_yaml_free(&top_schema, config);
}

char *sh_config_engine_options(const sh_config *config)
{
    size_t len = 1;
    for (unsigned i = 0; i < config->engine.options_count; i++)
        len += strlen(config->engine.options[i]) + 1;
    char *s = malloc(len);
    if (!s)
        return NULL;
    s[0] = '\0';
    for (unsigned i = 0; i < config->engine.options_count; i++) {
        strcat(s, config->engine.options[i]);
        strcat(s, "\n");
    }
    return s;
}

size_t sh_config_points(sh_vpoint out[SH_CONFIG_POINTS_MAX], const sh_config *c)
{
    const sh_cfg_verification *v = &c->verification;
    const double *list[] = {v->target_fmr, v->target_fnmr, v->fixed_threshold};
    const unsigned count[] = {v->target_fmr_count, v->target_fnmr_count,
                              v->fixed_threshold_count};
    size_t n = 0;
    for (int kind = SH_VPOINT_FMR; kind <= SH_VPOINT_FIXED; kind++)
        for (unsigned i = 0; i < count[kind] && n < SH_CONFIG_POINTS_MAX; i++)
            out[n++] = (sh_vpoint){(sh_vpoint_kind)kind, list[kind][i]};
    return n;
}

void sh_config_groups_spec(sh_groups_spec *out, const sh_config *c)
{
    *out = (sh_groups_spec){
        .derived = c->groups.derived,
        .derived_count = c->groups.derived_count,
        .partitions = c->groups.partitions,
        .partitions_count = c->groups.partitions_count,
        .min_subjects = c->groups.min_subjects,
        .references = c->groups.reference,
        .references_count = c->groups.reference_count,
        .config_path = c->path,
        .partitions_line = sh_config_line(c, "groups", "partitions"),
    };
}

void sh_config_pairs_spec(sh_pairs_spec *out, const sh_config *c)
{
    *out = (sh_pairs_spec){
        .list = c->verification.pairs,
        .sample = c->verification.impostors && !strcmp(c->verification.impostors, "sample"),
        .impostor_sample = c->verification.impostor_sample,
        .seed = c->run.seed,
    };
}

void sh_config_criteria_spec(sh_criteria_spec *out, const sh_config *c)
{
    *out = (sh_criteria_spec){
        .rules = c->criteria,
        .n_rules = c->criteria_count,
        .config_path = c->path,
        .min_subjects = c->groups.min_subjects,
    };
}
