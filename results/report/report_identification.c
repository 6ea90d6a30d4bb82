/* The report tables of 1:N identification runs (report_tables.h). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report_tables.h"

/* The group label of an identification row, '*' when it is small. */
static int label(char *out, size_t size, const char *partition, const char *group,
                 int too_small)
{
    snprintf(out, size, "%s%s%s", strcmp(partition, "all") ? "  " : "", group,
             too_small ? "*" : "");
    return too_small;
}

sh_table *sh_table_identification(const sh_report_run *run, size_t k,
                                          const sh_report_style *st)
{
    const sh_iresults *id = run->r->identification;
    const sh_ithreshold *th = &id->thresholds[k];
    char title[320], iname[64];
    if (th->estimable)
        snprintf(title, sizeof title,
                 "Target FPIR %g: global threshold %.6g (overall FPIR %.3g, FNIR %.3g; gallery "
                 "of %llu, %llu candidates)",
                 th->target_fpir, th->threshold, th->fpir, th->fnir,
                 (unsigned long long)id->n_gallery, (unsigned long long)id->candidates);
    else
        snprintf(title, sizeof title,
                 "Target FPIR %g: not estimable (%llu non-mated searches, %.0f needed)",
                 th->target_fpir, (unsigned long long)th->n_nonmated, ceil(1 / th->target_fpir));
    snprintf(iname, sizeof iname, "%g%% Wilson", 100 * id->confidence);
    sh_table *t = sh_table_create(title, "group|FNIR [interval]|misses/mated|"
                                                 "FPIR [interval]|false alarms/non-mated",
                                          "lrrrr");
    if (!t)
        return NULL;
    int any_small = 0;
    const char *last = "all";
    for (size_t i = 0; i < id->n_groups; i++) {
        const sh_igroup *g = &id->groups[i];
        if (g->target_fpir != th->target_fpir)
            continue;
        if (strcmp(g->partition, last)) {
            sh_report_partition_row(t, g->partition);
            last = g->partition;
        }
        char name[160], cell[64];
        any_small |= label(name, sizeof name, g->partition, g->group, g->too_small);
        sh_table_cellf(t, "%s", name);
        sh_report_rate(cell, sizeof cell, g->fnir, g->fnir_wilson_lo, g->fnir_wilson_hi);
        sh_table_cellf(t, "%s", cell);
        sh_table_cellf(t, "%llu/%llu", (unsigned long long)g->n_miss,
                           (unsigned long long)g->n_mated);
        sh_report_rate(cell, sizeof cell, g->fpir, g->fpir_wilson_lo, g->fpir_wilson_hi);
        sh_table_cellf(t, "%s", cell);
        sh_table_cellf(t, "%llu/%llu", (unsigned long long)g->n_false_positive,
                           (unsigned long long)g->n_nonmated);
    }
    sh_report_small_note(t, any_small, st, iname);
    return t;
}

sh_table *sh_table_cmc(const sh_report_run *run)
{
    const sh_iresults *id = run->r->identification;
    uint64_t ranks[4] = {1, 5, 10, id->candidates};
    char heads[160];
    size_t nr = 0, len = (size_t)snprintf(heads, sizeof heads, "group|mated");
    for (size_t i = 0; i < 4; i++)
        if (ranks[i] <= id->candidates && (nr == 0 || ranks[i] > ranks[nr - 1])) {
            ranks[nr++] = ranks[i];
            len += (size_t)snprintf(heads + len, sizeof heads - len, "|rank %llu",
                                    (unsigned long long)ranks[i]);
        }
    char align[8] = "lr";
    for (size_t i = 0; i < nr; i++)
        strcat(align, "r");
    sh_table *t = sh_table_create("Identification rate by rank (CMC), regardless of "
                                          "score",
                                          heads, align);
    if (!t)
        return NULL;
    const char *last = "all";
    for (size_t i = 0; i < id->n_cmc; i++) {
        const sh_icmc *c = &id->cmc[i];
        if (c->rank != 1)
            continue;
        if (strcmp(c->partition, last)) {
            sh_report_partition_row(t, c->partition);
            last = c->partition;
        }
        char name[160];
        label(name, sizeof name, c->partition, c->group, 0);
        sh_table_cellf(t, "%s", name);
        sh_table_cellf(t, "%llu", (unsigned long long)c->n_mated);
        for (size_t r = 0; r < nr; r++) {
            const sh_icmc *at = &id->cmc[i + ranks[r] - 1];
            sh_table_cellf(t, "%.4f", at->rate);
        }
    }
    if (id->n_exported)
        sh_table_note(t,
                      "Candidate lists exported: %llu searches, with the gallery, in "
                      "/identification/gallery, /searches and /candidates (output.export), "
                      "to recompute every rate here by brute force.",
                      (unsigned long long)id->n_exported);
    return t;
}
