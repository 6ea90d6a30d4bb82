#include "failures.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shades/adapter.h"

const char *sh_outcome_label(int32_t outcome)
{
    switch (outcome) {
    case SHADES_OUTCOME_OK:
        return "ok";
    case SHADES_OUTCOME_NO_FACE:
        return "no_face";
    case SHADES_OUTCOME_REFUSED:
        return "refused";
    case SHADES_OUTCOME_FAILED:
        return "failed";
    case SH_RUN_CRASHED:
        return "crashed";
    case SH_RUN_TIMED_OUT:
        return "timed_out";
    case SH_RUN_BAD_REPLY:
        return "bad_reply";
    case SH_RUN_NO_PREDICTION:
        return "no_prediction";
    case SH_RUN_NO_SCORE:
        return "no_score";
    default:
        return "unknown";
    }
}

int sh_failures_add(sh_failures *f, const sh_manifest *m, size_t i, const char *stage,
                        int32_t outcome, sh_err *err)
{
    if (f->n == f->cap) {
        size_t cap = f->cap ? 2 * f->cap : 16;
        sh_failure *rows = realloc(f->rows, cap * sizeof *rows);
        if (!rows)
            return sh_err_nomem(err);
        f->rows = rows;
        f->cap = cap;
    }
    sh_failure *r = &f->rows[f->n];
    memset(r, 0, sizeof *r);
    r->image_id = strdup(m->image_id[i]);
    r->subject_id = strdup(m->subject_id[i]);
    if (!r->image_id || !r->subject_id) {
        free(r->image_id);
        free(r->subject_id);
        return sh_err_nomem(err);
    }
    r->manifest_line = m->line[i];
    snprintf(r->stage, sizeof r->stage, "%s", stage);
    snprintf(r->outcome, sizeof r->outcome, "%s", sh_outcome_label(outcome));
    f->n++;
    return 0;
}

int sh_failures_collect(sh_failures **out, const sh_manifest *m,
                            const int32_t *outcome, const char *stage, sh_err *err)
{
    *out = NULL;
    sh_failures *f = calloc(1, sizeof *f);
    if (!f)
        return sh_err_nomem(err);
    for (size_t i = 0; i < m->n_items; i++) {
        int rc = outcome[i] == SHADES_OUTCOME_OK ? 0
                                                 : sh_failures_add(f, m, i, stage, outcome[i], err);
        if (rc) {
            sh_failures_destroy(f);
            return rc;
        }
    }
    *out = f;
    return 0;
}

void sh_failures_destroy(sh_failures *f)
{
    if (!f)
        return;
    for (size_t i = 0; i < f->n; i++) {
        free(f->rows[i].image_id);
        free(f->rows[i].subject_id);
    }
    free(f->rows);
    free(f);
}
