#include "verification_tables.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const sh_vsummary_field sh_vsummary_fields[SH_VSUMMARY_FIELDS] = {
#define SH_VSUMMARY(name, value, heading) {#name, offsetof(sh_vsummary, name)},
#define SH_VSUMMARY_GAP SH_VSUMMARY
#include "vsummary_fields.def"
#undef SH_VSUMMARY
#undef SH_VSUMMARY_GAP
};

static const char *const point_names[] = {"target_fmr", "target_fnmr", "fixed_threshold"};

const char *sh_vpoint_name(sh_vpoint_kind kind)
{
    return point_names[kind];
}

int sh_vpoint_kind_of(sh_vpoint_kind *out, const char *name)
{
    for (int k = SH_VPOINT_FMR; k <= SH_VPOINT_FIXED; k++)
        if (!strcmp(name, point_names[k])) {
            *out = (sh_vpoint_kind)k;
            return 0;
        }
    return -1;
}

sh_vpoint sh_vpoint_of(const char *point, double target_fmr, double target_fnmr,
                       double threshold)
{
    sh_vpoint_kind kind = SH_VPOINT_FMR;
    if (point[0] && sh_vpoint_kind_of(&kind, point))
        kind = SH_VPOINT_FMR;
    double v = kind == SH_VPOINT_FMR ? target_fmr
               : kind == SH_VPOINT_FNMR ? target_fnmr : threshold;
    return (sh_vpoint){kind, v};
}

int sh_vpoint_same(sh_vpoint a, sh_vpoint b)
{
    return a.kind == b.kind && a.value == b.value;
}

/* x in the fewest significant digits (6 at least) that read back as x:
 * two fixed thresholds that differ in the 8th digit must not print alike. */
static void shortest(char *out, size_t n, double x)
{
    for (int digits = 6; digits <= 17; digits++) {
        snprintf(out, n, "%.*g", digits, x);
        if (strtod(out, NULL) == x)
            return;
    }
}

const char *sh_vpoint_value_text(char *buf, size_t n, sh_vpoint p)
{
    shortest(buf, n, p.value);
    return buf;
}

const char *sh_vpoint_label(char *buf, size_t n, sh_vpoint p)
{
    static const char *const words[] = {"FMR", "FNMR", "threshold"};
    char v[32];
    shortest(v, sizeof v, p.value);
    snprintf(buf, n, "%s %s", words[p.kind], v);
    return buf;
}

const char *sh_vpoint_threshold_words(char *buf, size_t n, sh_vpoint p)
{
    char v[32];
    shortest(v, sizeof v, p.value);
    if (p.kind == SH_VPOINT_FIXED)
        snprintf(buf, n, "the fixed threshold %s", v);
    else
        snprintf(buf, n, "the global threshold for %s %s", p.kind == SH_VPOINT_FMR ? "FMR" : "FNMR",
                 v);
    return buf;
}

const sh_vgroup *sh_vresults_group(const sh_vresults *v, const char *partition,
                                   const char *group, sh_vpoint p)
{
    for (size_t i = 0; i < v->n_groups; i++)
        if (!strcmp(v->groups[i].partition, partition) && !strcmp(v->groups[i].group, group) &&
            sh_vpoint_same(sh_vgroup_point(&v->groups[i]), p))
            return &v->groups[i];
    return NULL;
}

int sh_vresults_too_small(const sh_vresults *v, const char *partition, const char *group)
{
    for (size_t i = 0; i < v->n_groups; i++)
        if (!strcmp(v->groups[i].partition, partition) && !strcmp(v->groups[i].group, group))
            return v->groups[i].too_small != 0;
    return 0;
}

double sh_vresults_scored_auc(const sh_vresults *v)
{
    if (!v->n_scores)
        return NAN;
    const sh_vscore *all = &v->scores[0];
    if (all->n_genuine_unscored >= all->n_genuine || all->n_impostor_unscored >= all->n_impostor)
        return NAN;
    /* auc = (1 - fg)(1 - fi) scored + (1 - fg) fi + fg fi / 2: a genuine
     * score beats an unscored impostor, and two unscored pairs tie. */
    double fg = (double)all->n_genuine_unscored / (double)all->n_genuine;
    double fi = (double)all->n_impostor_unscored / (double)all->n_impostor;
    return (all->auc - (1 - fg) * fi - fg * fi / 2) / ((1 - fg) * (1 - fi));
}

int sh_vresults_distances(const sh_vresults *v)
{
    return sh_vresults_scored_auc(v) < 0.5;
}

const sh_vfold_summary *sh_vresults_fold(const sh_vresults *v, const char *partition,
                                         const char *group)
{
    for (size_t i = 0; i < v->n_fold_accuracy; i++)
        if (!strcmp(v->fold_accuracy[i].partition, partition) &&
            !strcmp(v->fold_accuracy[i].group, group))
            return &v->fold_accuracy[i];
    return NULL;
}

void sh_vpoint_put(char *out_point, double *out_target_fmr, double *out_target_fnmr,
                   sh_vpoint p)
{
    snprintf(out_point, SH_VPOINT_NAME_MAX, "%s", point_names[p.kind]);
    *out_target_fmr = p.kind == SH_VPOINT_FMR ? p.value : NAN;
    *out_target_fnmr = p.kind == SH_VPOINT_FNMR ? p.value : NAN;
}

void sh_vresults_destroy(sh_vresults *r)
{
    if (!r)
        return;
    free(r->thresholds);
    free(r->groups);
    free(r->eer);
    free(r->det);
    free(r->summaries);
    free(r->density);
    free(r->tests);
    free(r->pairwise);
    free(r->scores);
    free(r->roc);
    free(r->folds);
    free(r->fold_accuracy);
    for (size_t i = 0; i < r->n_matrices; i++)
        sh_vmatrix_clear(&r->matrices[i]);
    free(r->matrices);
    free(r);
}

int sh_vmatrix_alloc(sh_vmatrix *out, const char *partition, size_t n_groups,
                         size_t n_targets)
{
    memset(out, 0, sizeof *out);
    size_t cells = n_groups * n_groups;
    size_t cube = cells * n_targets > 0 ? cells * n_targets : 1;
    out->n_groups = n_groups;
    out->n_targets = n_targets;
    out->partition = strdup(partition);
    out->group = calloc(n_groups ? n_groups : 1, sizeof *out->group);
    out->target_fmr = calloc(n_targets ? n_targets : 1, sizeof *out->target_fmr);
    out->target_fnmr = calloc(n_targets ? n_targets : 1, sizeof *out->target_fnmr);
    out->point = calloc(n_targets ? n_targets : 1, sizeof *out->point);
    out->threshold = calloc(n_targets ? n_targets : 1, sizeof *out->threshold);
    out->n_impostor = calloc(cells ? cells : 1, sizeof *out->n_impostor);
    out->n_false_match = calloc(cube, sizeof *out->n_false_match);
    out->fmr = calloc(cube, sizeof *out->fmr);
    out->fmr_boot_lo = malloc(cube * sizeof *out->fmr_boot_lo);
    out->fmr_boot_hi = malloc(cube * sizeof *out->fmr_boot_hi);
    if (!out->partition || !out->group || !out->target_fmr || !out->target_fnmr ||
        !out->point || !out->threshold || !out->n_impostor || !out->n_false_match ||
        !out->fmr || !out->fmr_boot_lo || !out->fmr_boot_hi) {
        sh_vmatrix_clear(out);
        return -1;
    }
    for (size_t c = 0; c < cube; c++)
        out->fmr_boot_lo[c] = out->fmr_boot_hi[c] = NAN;
    return 0;
}

void sh_vmatrix_clear(sh_vmatrix *m)
{
    if (!m)
        return;
    for (size_t i = 0; m->group && i < m->n_groups; i++)
        free(m->group[i]);
    free(m->group);
    free(m->partition);
    free(m->target_fmr);
    free(m->target_fnmr);
    free(m->point);
    free(m->threshold);
    free(m->n_impostor);
    free(m->n_false_match);
    free(m->fmr);
    free(m->fmr_boot_lo);
    free(m->fmr_boot_hi);
    memset(m, 0, sizeof *m);
}
