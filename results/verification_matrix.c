#include "verification_matrix.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "verification_measures.h"

int shades_vmatrix_alloc(shades_vmatrix *out, const char *partition, size_t n_groups,
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
        shades_vmatrix_clear(out);
        return -1;
    }
    return 0;
}

void shades_vmatrix_clear(shades_vmatrix *m)
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

int shades_vmatrix_compute(shades_vmatrix *out, const shades_partition *p,
                           const shades_pairs *pairs, const double *impostor_scores,
                           const shades_vthreshold *thresholds, size_t n_targets,
                           shades_err *err)
{
    size_t ng = p->n_groups, cells = ng * ng;
    if (shades_vmatrix_alloc(out, p->name, ng, n_targets))
        return shades_err_nomem(err);
    for (size_t i = 0; i < ng; i++) {
        out->group[i] = strdup(p->group_names[i]);
        if (!out->group[i]) {
            shades_vmatrix_clear(out);
            return shades_err_nomem(err);
        }
    }
    for (size_t t = 0; t < n_targets; t++) {
        out->target_fmr[t] = thresholds[t].target_fmr;
        out->threshold[t] = thresholds[t].estimable ? thresholds[t].threshold : NAN;
    }
    /* Counted over the upper triangle, then mirrored. */
    for (size_t k = 0; k < pairs->n_impostor; k++) {
        size_t a = (size_t)p->item_group[pairs->impostor[k].a];
        size_t b = (size_t)p->item_group[pairs->impostor[k].b];
        size_t cell = a < b ? a * ng + b : b * ng + a;
        out->n_impostor[cell]++;
        double s = impostor_scores[k];
        for (size_t t = 0; t < n_targets; t++)
            /* NaN thresholds compare false, so a target without one counts nothing. */
            if (s >= out->threshold[t])
                out->n_false_match[t * cells + cell]++;
    }
    for (size_t i = 0; i < ng; i++)
        for (size_t j = 0; j < i; j++) {
            out->n_impostor[i * ng + j] = out->n_impostor[j * ng + i];
            for (size_t t = 0; t < n_targets; t++)
                out->n_false_match[t * cells + i * ng + j] =
                    out->n_false_match[t * cells + j * ng + i];
        }
    for (size_t t = 0; t < n_targets; t++)
        for (size_t c = 0; c < cells; c++)
            out->fmr[t * cells + c] = out->n_impostor[c] && !isnan(out->threshold[t])
                                          ? (double)out->n_false_match[t * cells + c] /
                                                (double)out->n_impostor[c]
                                          : NAN;
    return 0;
}
