/* Per-image failure records: which images the engine could not make a
 * template of, and why. Ids only: no pixels, no templates. */
#ifndef SH_RESULTS_FAILURES_H
#define SH_RESULTS_FAILURES_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "manifest.h"
#include "outcome.h"

/* One failed image; one row of /failures. Owns its strings. */
typedef struct sh_failure {
    char *image_id;
    char *subject_id;
    uint64_t manifest_line;
    char stage[16];     /* "template", "compare" (the verify image), "estimate",
                         * "prediction" */
    char outcome[16];   /* "no_face", "refused", "failed", "crashed", "timed_out",
                         * "bad_reply", "no_prediction", "no_score" */
} sh_failure;

/* The failures of a run, in manifest order. */
typedef struct sh_failures {
    size_t n, cap;
    sh_failure *rows;
} sh_failures;

/* Collects every item of m whose outcome (shades_outcome or SH_RUN_*)
 * at `stage` is not OK into *out, freed with sh_failures_destroy. */
int sh_failures_collect(sh_failures **out, const sh_manifest *m,
                            const int32_t *outcome, const char *stage, sh_err *err);

/* Appends a row for item i of m at `stage` with `outcome` (a code as in
 * sh_failures_collect). */
int sh_failures_add(sh_failures *f, const sh_manifest *m, size_t i, const char *stage,
                        int32_t outcome, sh_err *err);

/* The name an outcome code is recorded under. */
const char *sh_outcome_label(int32_t outcome);

/* Frees f; NULL is allowed. */
void sh_failures_destroy(sh_failures *f);

#endif
