/* Per-image failure records: which images the engine could not make a
 * template of, and why. Ids only: no pixels, no templates. */
#ifndef SHADES_RESULTS_FAILURES_H
#define SHADES_RESULTS_FAILURES_H

#include <stddef.h>
#include <stdint.h>

#include <shades/adapter.h>

#include "error.h"
#include "manifest.h"

/* Outcomes the harness records beside the engine's shades_outcome values
 * when an isolated engine call produced nothing. */
#define SHADES_RUN_CRASHED 16   /* the engine's worker died on this item */
#define SHADES_RUN_TIMED_OUT 17 /* the engine did not return within the call limit */
#define SHADES_RUN_BAD_REPLY 18 /* the engine's reply broke the ABI (docs/isolation.md) */
#define SHADES_RUN_NO_PREDICTION 19 /* classification: no class for the image (an
                                     * empty prediction, or an unknown estimate) */

/* 1 when an item's outcome is one the engine may report (shades_outcome)
 * or one the harness records (SHADES_RUN_*). */
static inline int shades_outcome_known(int32_t outcome)
{
    return (outcome >= SHADES_OUTCOME_OK && outcome <= SHADES_OUTCOME_FAILED) ||
           outcome == SHADES_RUN_CRASHED ||
           outcome == SHADES_RUN_TIMED_OUT || outcome == SHADES_RUN_BAD_REPLY;
}

/* One failed image; one row of /failures. Owns its strings. */
typedef struct shades_failure {
    char *image_id;
    char *subject_id;
    uint64_t manifest_line;
    char stage[16];     /* "template", "compare" (the verify image), "estimate",
                         * "prediction" */
    char outcome[16];   /* "no_face", "refused", "failed", "crashed", "timed_out",
                         * "bad_reply", "no_prediction" */
} shades_failure;

/* The failures of a run, in manifest order. */
typedef struct shades_failures {
    size_t n, cap;
    shades_failure *rows;
} shades_failures;

/* Collects every item of m whose outcome (shades_outcome or SHADES_RUN_*)
 * at `stage` is not OK into *out, freed with shades_failures_destroy. */
int shades_failures_collect(shades_failures **out, const shades_manifest *m,
                            const int32_t *outcome, const char *stage, shades_err *err);

/* Appends a row for item i of m at `stage` with `outcome` (a code as in
 * shades_failures_collect). */
int shades_failures_add(shades_failures *f, const shades_manifest *m, size_t i, const char *stage,
                        int32_t outcome, shades_err *err);

/* The name an outcome code is recorded under. */
const char *shades_outcome_label(int32_t outcome);

/* Frees f; NULL is allowed. */
void shades_failures_destroy(shades_failures *f);

#endif
