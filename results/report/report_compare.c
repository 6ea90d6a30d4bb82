/* What the summary says of several runs (report_summary.h): what differs
 * among them, and their criteria verdicts side by side. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_summary.h"
#include "report_verdict.h"
#include "utf8.h"

/* The groups a run's results define, "partition/group" one after another,
 * and its config's groups: section (comments and blank lines left out),
 * into a string the caller frees; NULL when out of memory. */
static char *group_definition(const sh_results *r)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        return NULL;
    const sh_vresults *v = r->verification;
    for (size_t i = 0; v && i < v->n_groups; i++)
        if (sh_vpoint_same(sh_vgroup_point(&v->groups[i]), sh_vgroup_point(&v->groups[0])))
            fprintf(f, "%s/%s\n", v->groups[i].partition, v->groups[i].group);
    const sh_cresults *c = r->classification;
    for (size_t i = 0; c && i < c->n_groups; i++)
        fprintf(f, "%s/%s\n", c->groups[i].partition, c->groups[i].group);
    const sh_iresults *id = r->identification;
    for (size_t i = 0; id && i < id->n_groups; i++)
        if (id->groups[i].target_fpir == id->groups[0].target_fpir)
            fprintf(f, "%s/%s\n", id->groups[i].partition, id->groups[i].group);
    fprintf(f, "min_subjects %llu\n", (unsigned long long)r->info.min_subjects);
    /* The config's top-level groups: block, line by line. */
    const char *cfg = r->info.config_text ? r->info.config_text : "";
    int in = 0;
    for (const char *line = cfg; *line;) {
        size_t n = strcspn(line, "\n");
        if (n && line[0] != ' ' && line[0] != '#' && line[0] != '\t')
            in = !strncmp(line, "groups:", 7);
        size_t keep = n;
        const char *hash = memchr(line, '#', n);
        if (hash)
            keep = (size_t)(hash - line);
        while (keep && (line[keep - 1] == ' ' || line[keep - 1] == '\r'))
            keep--;
        if (in && keep)
            fprintf(f, "%.*s\n", (int)keep, line);
        line += n + (line[n] == '\n');
    }
    if (fclose(f) != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

/* The partitions of a run, "sex, skin", into out. */
static void partition_list(char *out, size_t size, const sh_results *r)
{
    const char *parts[64];
    size_t np = 0;
    out[0] = '\0';
    if (r->verification)
        np = sh_report_partitions(parts, 64, r->verification);
    const sh_cresults *c = r->classification;
    for (size_t i = 0; c && i < c->n_groups && np < 64; i++)
        if (!np || strcmp(parts[np - 1], c->groups[i].partition))
            parts[np++] = c->groups[i].partition;
    const sh_iresults *id = r->identification;
    for (size_t i = 0; id && i < id->n_groups && np < 64; i++)
        if (!np || strcmp(parts[np - 1], id->groups[i].partition))
            parts[np++] = id->groups[i].partition;
    size_t used = 0;
    for (size_t p = 0, k = 0; p < np && used < size; p++) {
        int seen = !strcmp(parts[p], "all");
        for (size_t q = 0; q < p; q++)
            seen |= !strcmp(parts[q], parts[p]);
        if (seen)
            continue;
        used += (size_t)snprintf(out + used, size - used, "%s%s", k++ ? ", " : "", parts[p]);
    }
    if (used < size)
        snprintf(out + used, size - used, "%s(min_subjects %llu)", used ? " " : "",
                 (unsigned long long)r->info.min_subjects);
}

/* The operating points of a run, "FMR 0.01, 0.001; threshold 0.4", into
 * out. */
static void target_list(char *out, size_t size, const sh_results *r)
{
    size_t used = 0;
    out[0] = '\0';
    const sh_vresults *v = r->verification;
    const sh_iresults *id = r->identification;
    static const char *const kinds[] = {"FMR ", "FNMR ", "threshold "};
    for (size_t k = 0; v && k < v->n_thresholds && used < size; k++) {
        sh_vpoint p = sh_vthreshold_point(&v->thresholds[k]);
        int same = k && sh_vthreshold_point(&v->thresholds[k - 1]).kind == p.kind;
        used += (size_t)snprintf(out + used, size - used, "%s%s%g", same ? ", " : k ? "; " : "",
                                 same ? "" : kinds[p.kind], p.value);
    }
    for (size_t k = 0; id && k < id->n_thresholds && used < size; k++)
        used += (size_t)snprintf(out + used, size - used, "%s%g",
                                 k ? ", " : used ? "; FPIR " : "FPIR ",
                                 id->thresholds[k].target_fpir);
    if (!used)
        snprintf(out, size, "none");
}

/* A fact of a run, for comparing runs: written into out. */
typedef void (*fact_fn)(char *out, size_t size, const sh_results *r);

/* The manifest's digest, its first 12 hex digits. */
static void fact_manifest(char *out, size_t size, const sh_results *r)
{
    snprintf(out, size, "manifest sha256 %.12s", r->info.manifest_sha256 ? r->info.manifest_sha256 : "");
}

/* The card's dataset name and digest ("no card" without one). */
static void fact_card(char *out, size_t size, const sh_results *r)
{
    const char *name = r->info.dataset_name && r->info.dataset_name[0] ? r->info.dataset_name
                                                                        : "no card";
    const char *sha = r->info.card_sha256 ? r->info.card_sha256 : "";
    if (sha[0])
        snprintf(out, size, "%s, card sha256 %.12s", name, sha);
    else
        snprintf(out, size, "%s", name);
}

/* The model card's name, version and digest ("no model card" without one). */
static void fact_model_card(char *out, size_t size, const sh_results *r)
{
    const sh_model_card_info *mc = r->model_card;
    if (mc)
        snprintf(out, size, "%s %s, model card sha256 %.12s", mc->name, mc->version,
                 mc->card_sha256);
    else
        snprintf(out, size, "no model card");
}

/* The service description's name and digest ("no service description"
 * without one). */
static void fact_service(char *out, size_t size, const sh_results *r)
{
    const sh_service_info *sv = r->service;
    if (sv)
        snprintf(out, size, "service description %s, sha256 %.12s", sv->description,
                 sv->description_sha256);
    else
        snprintf(out, size, "no service description");
}

/* The pair list's digest, or that the pairs were generated; "" (not
 * compared) for a file before schema 1.14, which does not say, and for
 * other protocols, which the protocol fact tells apart. */
static void fact_pairs(char *out, size_t size, const sh_results *r)
{
    const char *sha = r->info.pairs_sha256 ? r->info.pairs_sha256 : "";
    int recorded = sh_results_schema_minor(r->info.schema_version) >= 14;
    if (r->info.protocol && r->info.protocol[0] && strcmp(r->info.protocol, "verification"))
        snprintf(out, size, "%s", "");
    else if (sha[0])
        snprintf(out, size, "pair list sha256 %.12s", sha);
    else
        snprintf(out, size, "%s", recorded ? "generated pairs" : "");
}

/* The protocol the run measured. */
static void fact_protocol(char *out, size_t size, const sh_results *r)
{
    snprintf(out, size, "%s", r->info.protocol && r->info.protocol[0] ? r->info.protocol
                                                                      : "verification");
}

/* One sentence naming what each run has, when the facts differ; NULL when
 * they agree, or on no memory (*nomem set). A run whose fact is "" (not
 * known) is left out of both. */
static char *difference(const sh_report_run *runs, size_t n, fact_fn fact, const char *intro,
                        const char *consequence, int *nomem)
{
    char first[512] = "", one[512];
    int differ = 0;
    for (size_t i = 0; i < n; i++) {
        fact(one, sizeof one, runs[i].r);
        if (one[0] && !first[0])
            snprintf(first, sizeof first, "%s", one);
        else if (one[0])
            differ |= strcmp(one, first) != 0;
    }
    if (!differ)
        return NULL;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f) {
        *nomem = 1;
        return NULL;
    }
    fprintf(f, "%s: ", intro);
    for (size_t i = 0, listed = 0; i < n; i++) {
        fact(one, sizeof one, runs[i].r);
        if (one[0])
            fprintf(f, "%s%s %s", listed++ ? "; " : "", runs[i].label, one);
    }
    fprintf(f, ". %s", consequence);
    if (fclose(f) != 0) {
        free(buf);
        *nomem = 1;
        return NULL;
    }
    return buf;
}

/* Appends line s, what differs in `kind` words, to *out (and kinds). */
static void push(char **out, const char **kinds, int *count, char *s, const char *kind,
                 int *nomem)
{
    /* The line quotes the files' own text (card and model names): kept
     * printable, as the summary panel's are. */
    char *shown = sh_utf8_printable_dup(s);
    free(s);
    *nomem |= !shown;
    if (!shown)
        return;
    if (kinds)
        kinds[*count] = kind;
    out[(*count)++] = shown;
}

int sh_summary_differences(char ***out, const sh_report_run *runs, size_t n)
{
    return sh_summary_differences_named(out, NULL, runs, n);
}

int sh_summary_differences_named(char ***out, const char **kinds, const sh_report_run *runs,
                                 size_t n)
{
    *out = calloc(9, sizeof **out); /* every kind below, then NULL */
    if (!*out)
        return -1;
    int nomem = 0, count = 0;
    char *s;
    if (n > 1 && (s = difference(runs, n, fact_manifest, "The runs used different manifests",
                                 "Their rates were measured on different images.", &nomem)))
        push(*out, kinds, &count, s, "manifests", &nomem);
    if (n > 1 && (s = difference(runs, n, fact_pairs, "The runs compared different pairs",
                                 "Their rates, and any accuracy over folds, are over different "
                                 "comparisons.", &nomem)))
        push(*out, kinds, &count, s, "pair lists", &nomem);
    if (n > 1 && (s = difference(runs, n, fact_card, "The runs used different dataset cards",
                                 "They describe different data.", &nomem)))
        push(*out, kinds, &count, s, "dataset cards", &nomem);
    if (n > 1 && (s = difference(runs, n, fact_model_card, "The runs used different model cards",
                                 "Their engines ran different models, or models nobody pinned.",
                                 &nomem)))
        push(*out, kinds, &count, s, "model cards", &nomem);
    if (n > 1 && (s = difference(runs, n, fact_service,
                                 "The runs used different service descriptions",
                                 "Their engines answered through different services, or "
                                 "not through one.",
                                 &nomem)))
        push(*out, kinds, &count, s, "service descriptions", &nomem);
    /* Group definitions: the groups found and the config's groups: section. */
    int groups_differ = 0;
    char *first = n > 1 ? group_definition(runs[0].r) : NULL;
    nomem |= n > 1 && !first;
    for (size_t i = 1; first && i < n; i++) {
        char *g = group_definition(runs[i].r);
        nomem |= !g;
        groups_differ |= g && strcmp(g, first) != 0;
        free(g);
    }
    free(first);
    if (groups_differ &&
        (s = difference(runs, n, partition_list, "The runs defined their groups differently "
                        "(the config's groups, their minimum size or the groups found)",
                        "A group of one name may hold different people in each.", &nomem)))
        push(*out, kinds, &count, s, "group definitions", &nomem);
    else if (groups_differ &&
             asprintf(&s, "The runs defined their groups differently (their configs' groups: "
                          "sections differ, with the same partitions). A group of one name may "
                          "hold different people in each.") >= 0)
        push(*out, kinds, &count, s, "group definitions", &nomem);
    if (n > 1 && (s = difference(runs, n, target_list, "The runs used different operating points",
                                 "Their thresholds, and every rate at them, differ by design.",
                                 &nomem)))
        push(*out, kinds, &count, s, "targets", &nomem);
    if (n > 1 && (s = difference(runs, n, fact_protocol, "The runs used different protocols",
                                 "Their tables measure different things.", &nomem)))
        push(*out, kinds, &count, s, "protocols", &nomem);
    if (nomem) {
        sh_summary_free_lines(*out);
        *out = NULL;
        return -1;
    }
    return count;
}

void sh_summary_free_lines(char **lines)
{
    for (size_t i = 0; lines && lines[i]; i++)
        free(lines[i]);
    free(lines);
}

int sh_summary_any_criteria(const sh_report_run *runs, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (runs[i].r->n_verdicts)
            return 1;
    return 0;
}

/* The verdict of `name` in r, or NULL. */
static const sh_verdict *find_verdict(const sh_results *r, const char *name)
{
    for (size_t k = 0; k < r->n_verdicts; k++)
        if (!strcmp(r->verdicts[k].name, name))
            return &r->verdicts[k];
    return NULL;
}

/* A rule in words: "upper fnmr_max_geomean, sex x skin, FMR 0.001, <= 1.5". */
static void rule_words(char *out, size_t size, const sh_verdict *v)
{
    char at[64] = "", words[48];
    sh_vpoint p;
    if (sh_verdict_point(&p, v))
        snprintf(at, sizeof at, ", %s", sh_vpoint_label(words, sizeof words, p));
    snprintf(out, size, "%s %s, %s%s, %s %g", v->bound, v->measure, v->partition, at, v->op,
             v->limit);
}

sh_table *sh_table_criteria_compare(const sh_report_run *runs, size_t n)
{
    char heads[4096] = "rule", align[256] = "l";
    size_t cols = 0;
    /* Room kept for the last column's heading, however long the labels. */
    const char last[] = "the rule";
    for (; cols < n && cols + 3 < sizeof align; cols++) {
        sh_table_heads_add(heads, sizeof heads - sizeof last - 1, runs[cols].label);
        align[cols + 1] = 'l';
    }
    sh_table_heads_add(heads, sizeof heads, last);
    align[cols + 1] = 'l';
    align[cols + 2] = '\0';
    sh_table *t = sh_table_create("Criteria side by side", heads, align);
    if (!t)
        return NULL;
    sh_table_cellf(t, "all rules");
    for (size_t i = 0; i < cols; i++) {
        const sh_results *r = runs[i].r;
        size_t failed = 0;
        for (size_t k = 0; k < r->n_verdicts; k++)
            failed += !r->verdicts[k].pass;
        if (!r->n_verdicts)
            sh_table_cellf(t, SH_SUMMARY_NO_CRITERIA);
        else if (failed)
            sh_table_cellf(t, "FAIL (%zu of %zu rules)", failed, r->n_verdicts);
        else
            sh_table_cellf(t, "PASS (%zu rules)", r->n_verdicts);
    }
    sh_table_cellf(t, "the run's verdict");
    int differ = 0;
    for (size_t i = 0; i < cols; i++)
        for (size_t k = 0; k < runs[i].r->n_verdicts; k++) {
            const sh_verdict *v = &runs[i].r->verdicts[k];
            int seen = 0;
            for (size_t j = 0; j < i; j++)
                seen |= find_verdict(runs[j].r, v->name) != NULL;
            if (seen)
                continue;
            char words[256], other[256];
            rule_words(words, sizeof words, v);
            sh_table_cellf(t, "%s", v->name);
            for (size_t j = 0; j < cols; j++) {
                const sh_verdict *w = j < i ? NULL : find_verdict(runs[j].r, v->name);
                if (!w) {
                    sh_table_cellf(t, "not set");
                    continue;
                }
                rule_words(other, sizeof other, w);
                int same = !strcmp(other, words);
                differ |= !same;
                sh_table_cellf(t, "%s %.4g%s%s%s", sh_report_verdict_row(w), w->value,
                               same ? "" : " (its rule: ", same ? "" : other, same ? "" : ")");
            }
            sh_table_cellf(t, "%s", words);
        }
    sh_table_note(t, "Each cell: the verdict and the value the rule tested (its bound).");
    if (differ)
        sh_table_note_add(t, "Where a run's rule of that name differs, the cell gives it: "
                             "those verdicts are not comparable.");
    sh_report_bound_note(t);
    return t;
}
