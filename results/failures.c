#include "failures.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shades/adapter.h"

const char *shades_outcome_label(int32_t outcome)
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
    default:
        return "unknown";
    }
}

int shades_failures_collect(shades_failures **out, const shades_manifest *m,
                            const int32_t *outcome, shades_err *err)
{
    *out = NULL;
    shades_failures *f = calloc(1, sizeof *f);
    size_t n = 0;
    for (size_t i = 0; i < m->n_items; i++)
        n += outcome[i] != SHADES_OUTCOME_OK;
    if (f)
        f->rows = calloc(n ? n : 1, sizeof *f->rows);
    if (!f || !f->rows) {
        shades_failures_destroy(f);
        return shades_err_nomem(err);
    }
    for (size_t i = 0; i < m->n_items; i++) {
        if (outcome[i] == SHADES_OUTCOME_OK)
            continue;
        shades_failure *r = &f->rows[f->n++];
        r->image_id = strdup(m->image_id[i]);
        r->subject_id = strdup(m->subject_id[i]);
        r->manifest_line = m->line[i];
        snprintf(r->stage, sizeof r->stage, "template");
        snprintf(r->outcome, sizeof r->outcome, "%s", shades_outcome_label(outcome[i]));
        if (!r->image_id || !r->subject_id) {
            shades_failures_destroy(f);
            return shades_err_nomem(err);
        }
    }
    *out = f;
    return 0;
}

void shades_failures_destroy(shades_failures *f)
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
