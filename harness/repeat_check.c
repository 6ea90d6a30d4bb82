#include "repeat_check.h"

#include <stdio.h>
#include <string.h>

size_t sh_repeat_sample(size_t *out, size_t n)
{
    size_t want = n < SH_REPEAT_PAIRS ? n : SH_REPEAT_PAIRS;
    for (size_t j = 0; j < want; j++)
        out[j] = j * n / want;
    return want;
}

int sh_repeat_check(sh_repeat *out, sh_instance *inst, const sh_templates *t,
                        const sh_manifest *m, const sh_pair *pairs,
                        const double *scores, const uint8_t *faults, size_t n, sh_err *err)
{
    if (inst->has_embedding || n == 0)
        return 0; /* the harness scores declared embeddings itself */
    sh_engine_pair live[SH_REPEAT_PAIRS];
    size_t at[SH_REPEAT_PAIRS], k = 0, sample[SH_REPEAT_PAIRS];
    size_t want = sh_repeat_sample(sample, n);
    for (size_t j = 0; j < want; j++) {
        size_t i = sample[j];
        uint32_t a = pairs[i].a, b = pairs[i].b;
        if (t->outcome[a] != SHADES_OUTCOME_OK || t->outcome[b] != SHADES_OUTCOME_OK ||
            (faults && faults[i]))
            continue;
        live[k] = (sh_engine_pair){a, b};
        at[k++] = i;
    }
    double again[SH_REPEAT_PAIRS];
    uint8_t fault[SH_REPEAT_PAIRS];
    int rc = sh_runner_score_pairs(again, fault, inst, t, m, live, k, err);
    for (size_t j = 0; !rc && j < k; j++) {
        if (fault[j])
            continue; /* a fault now is recorded nowhere: the first score stands */
        out->checked++;
        double was = scores[at[j]];
        if (memcmp(&was, &again[j], sizeof was) != 0) {
            if (!out->differed) {
                out->first_a = live[j].enrol;
                out->first_b = live[j].verify;
                out->first_was = was;
                out->first_now = again[j];
            }
            out->differed++;
        }
    }
    return rc;
}

void sh_repeat_describe(char *out, size_t cap, const sh_repeat *r,
                            const sh_instance *inst, const sh_manifest *m)
{
    if (inst->has_embedding)
        snprintf(out, cap, "not checked: the harness scores the engine's declared embeddings");
    else if (!r->checked)
        snprintf(out, cap, "not checked: no pair had two usable templates to score again");
    else if (!r->differed)
        snprintf(out, cap, "%zu of %zu pairs scored again gave the same score", r->checked,
                 r->checked);
    else
        snprintf(out, cap, "%zu of %zu pairs scored again gave another score (first: '%s' with "
                 "'%s', %.17g then %.17g): these results cannot be reproduced",
                 r->differed, r->checked, m->image_id[r->first_b], m->image_id[r->first_a],
                 r->first_was, r->first_now);
}
