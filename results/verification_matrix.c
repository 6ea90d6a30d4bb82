#include "verification_matrix.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

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
        out->target_fnmr[t] = thresholds[t].target_fnmr;
        memcpy(out->point[t], thresholds[t].point, sizeof out->point[t]);
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
