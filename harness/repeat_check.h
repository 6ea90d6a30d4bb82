/* Whether an engine's scores repeat: a sample of the pairs a run scored,
 * scored again after the run's own scoring, must give the same scores bit
 * for bit. An engine whose scores drift makes results no one can
 * reproduce, which a dispute over them would turn on. */
#ifndef SH_HARNESS_REPEAT_CHECK_H
#define SH_HARNESS_REPEAT_CHECK_H

#include <stddef.h>
#include <stdint.h>

#include "instance.h"
#include "manifest.h"
#include "runner.h"
#include "verification.h"

/* Pairs of each list scored again. */
#define SH_REPEAT_PAIRS 64

/* What scoring again found; zeroed by the caller, added to by each check. */
typedef struct sh_repeat {
    size_t checked, differed;
    uint32_t first_a, first_b;  /* the first pair that differed */
    double first_was, first_now;
} sh_repeat;

/* The pairs of n the check looks at (out: SH_REPEAT_PAIRS entries), evenly
 * spread; returns how many. */
size_t sh_repeat_sample(size_t *out, size_t n);

/* Scores again up to SH_REPEAT_PAIRS of the n pairs, evenly spread,
 * whose templates were made and whose first score did not fault, and adds
 * to *out. Runs on the calling thread. [thread: main] */
int sh_repeat_check(sh_repeat *out, sh_instance *inst, const sh_templates *t,
                        const sh_manifest *m, const sh_pair *pairs,
                        const double *scores, const uint8_t *faults, size_t n, sh_err *err);

/* The check in words, for the results file and the run's summary. */
void sh_repeat_describe(char *out, size_t cap, const sh_repeat *r,
                            const sh_instance *inst, const sh_manifest *m);

#endif
