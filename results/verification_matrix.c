#include "verification_matrix.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "verification_measures.h"

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

int sh_vmatrix_compute(sh_vmatrix *out, const sh_impostors *imp, size_t p,
                           const sh_vthreshold *thresholds, size_t n_targets,
                           sh_err *err)
{
    const sh_partition *part = &imp->groups->partitions[p];
    size_t ng = part->n_groups, cells = ng * ng;
    if (sh_vmatrix_alloc(out, part->name, ng, n_targets))
        return sh_err_nomem(err);
    for (size_t i = 0; i < ng; i++) {
        out->group[i] = strdup(part->group_names[i]);
        if (!out->group[i]) {
            sh_vmatrix_clear(out);
            return sh_err_nomem(err);
        }
    }
    for (size_t t = 0; t < n_targets; t++) {
        out->target_fmr[t] = thresholds[t].target_fmr;
        out->threshold[t] = thresholds[t].estimable ? thresholds[t].threshold : NAN;
    }
    for (size_t i = 0; i < ng; i++)
        for (size_t j = 0; j < ng; j++) {
            const sh_score_hist *h = sh_impostors_cell(imp, p, i, j);
            size_t c = i * ng + j;
            out->n_impostor[c] = h->n;
            for (size_t t = 0; t < n_targets; t++) {
                double th = out->threshold[t];
                if (isnan(th) || !h->n) {
                    out->fmr[t * cells + c] = NAN;
                    continue;
                }
                /* Exact: every global threshold's bin is in the window. */
                out->n_false_match[t * cells + c] = sh_hist_count_ge(h, &imp->window, th);
                out->fmr[t * cells + c] =
                    (double)out->n_false_match[t * cells + c] / (double)h->n;
            }
        }
    return 0;
}
