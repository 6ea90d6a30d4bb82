/* Whether an engine's scores repeat: a sample of the pairs a run scored,
 * scored again after the run's own scoring, must give the same scores bit
 * for bit. An engine whose scores drift makes results no one can
 * reproduce, which a dispute over them would turn on. */
#ifndef SHADES_HARNESS_REPEAT_CHECK_H
#define SHADES_HARNESS_REPEAT_CHECK_H

#include <stddef.h>
#include <stdint.h>

#include "instance.h"
#include "manifest.h"
#include "runner.h"
#include "verification.h"

/* Pairs of each list scored again. */
#define SHADES_REPEAT_PAIRS 64

/* What scoring again found; zeroed by the caller, added to by each check. */
typedef struct shades_repeat {
    size_t checked, differed;
    uint32_t first_a, first_b;  /* the first pair that differed */
    double first_was, first_now;
} shades_repeat;

/* Scores again up to SHADES_REPEAT_PAIRS of the n pairs, evenly spread,
 * whose templates were made and whose first score did not fault, and adds
 * to *out. Runs on the calling thread. [thread: main] */
int shades_repeat_check(shades_repeat *out, shades_instance *inst, const shades_templates *t,
                        const shades_manifest *m, const shades_pair *pairs,
                        const double *scores, const uint8_t *faults, size_t n, shades_err *err);

/* The check in words, for the results file and the run's summary. */
void shades_repeat_describe(char *out, size_t cap, const shades_repeat *r,
                            const shades_instance *inst, const shades_manifest *m);

#endif
