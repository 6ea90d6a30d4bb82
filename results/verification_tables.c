#include "verification_tables.h"

#include <stdlib.h>
#include <string.h>

const sh_vsummary_field sh_vsummary_fields[SH_VSUMMARY_FIELDS] = {
#define SH_VSUMMARY(name, value, heading) {#name, offsetof(sh_vsummary, name)},
#define SH_VSUMMARY_GAP SH_VSUMMARY
#include "vsummary_fields.def"
#undef SH_VSUMMARY
#undef SH_VSUMMARY_GAP
};

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
    out->threshold = calloc(n_targets ? n_targets : 1, sizeof *out->threshold);
    out->n_impostor = calloc(cells ? cells : 1, sizeof *out->n_impostor);
    out->n_false_match = calloc(cube, sizeof *out->n_false_match);
    out->fmr = calloc(cube, sizeof *out->fmr);
    if (!out->partition || !out->group || !out->target_fmr || !out->threshold ||
        !out->n_impostor || !out->n_false_match || !out->fmr) {
        sh_vmatrix_clear(out);
        return -1;
    }
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
    free(m->threshold);
    free(m->n_impostor);
    free(m->n_false_match);
    free(m->fmr);
    memset(m, 0, sizeof *m);
}
