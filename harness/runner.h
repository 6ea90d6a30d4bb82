/* The runner: templates for every image, then every pair's score, on a
 * thread pool, with results that do not depend on the thread count. */
#ifndef SHADES_HARNESS_RUNNER_H
#define SHADES_HARNESS_RUNNER_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "instance.h"
#include "manifest.h"
#include "progress.h"
#include "verification.h"

/* One template per manifest item. Owned by the run; read-only once made. */
typedef struct shades_templates {
    size_t n;
    size_t stride;         /* bytes reserved per template */
    uint8_t *bytes;        /* n * stride */
    size_t *size;          /* bytes used by each */
    int32_t *outcome;      /* shades_outcome of each */
} shades_templates;

/* Decodes every image of m and makes its template (enrolment role),
 * counting each image on progress (may be NULL). A negative engine status
 * or an undecodable image stops the run with a message naming the image
 * and its manifest line. */
int shades_runner_templates(shades_templates **out, shades_instance *inst,
                            const shades_manifest *m, shades_progress *progress,
                            shades_err *err);

/* Frees templates; NULL is allowed. */
void shades_templates_destroy(shades_templates *t);

/* Scores n pairs into out_scores (n doubles, owned by the caller): the
 * engine's similarity of verify = b to enrol = a, or -infinity where either
 * template failed (never compared, always a non-match). Counts each pair
 * on progress (may be NULL). */
int shades_runner_compare(double *out_scores, shades_instance *inst, const shades_templates *t,
                          const shades_manifest *m, const shades_pair *pairs, size_t n,
                          shades_progress *progress, shades_err *err);

#endif
