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

/* Candidate lists of 1:N searches, from the harness comparing each probe
 * with every gallery template (the engine's 1:1 compare). */
typedef struct shades_candidates {
    size_t n_searches;
    size_t length;         /* candidates per search (the list length L) */
    double *score;         /* n_searches x length, best first; -inf pads a short list */
    uint32_t *slot;        /* gallery index of each candidate; UINT32_MAX pads */
} shades_candidates;

/* Searches each of probes[0..n) against gallery[0..n_gallery) (item
 * numbers into t), keeping the `length` best candidates: higher score
 * first, ties to the lower gallery index, failed templates never listed.
 * Counts each search on progress (may be NULL). */
int shades_runner_search(shades_candidates **out, shades_instance *inst,
                         const shades_templates *t, const shades_manifest *m,
                         const uint32_t *gallery, size_t n_gallery, const uint32_t *probes,
                         size_t n, size_t length, shades_progress *progress, shades_err *err);

/* Frees candidates; NULL is allowed. */
void shades_candidates_destroy(shades_candidates *c);

#endif
