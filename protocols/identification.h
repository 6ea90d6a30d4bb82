/* The 1:N identification protocol: who is enrolled in the gallery, which
 * images search it, and which searches have a mate there. */
#ifndef SH_PROTOCOLS_IDENTIFICATION_H
#define SH_PROTOCOLS_IDENTIFICATION_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "manifest.h"

/* A gallery and its searches. Read-only once built. */
typedef struct sh_search_plan {
    size_t n_gallery;
    uint32_t *gallery;         /* one item per enrolled subject, in subject order */
    size_t n_mated;
    uint32_t *mated;           /* the other images of enrolled subjects */
    uint32_t *mate;            /* per mated search: the index in gallery of its mate */
    size_t n_nonmated;
    uint32_t *nonmated;        /* every image of the subjects held out */
    size_t n_holdout;          /* subjects held out of the gallery */
} sh_search_plan;

/* Holds out round(holdout x subjects) subjects (at least one, and at least
 * one enrolled), chosen with `seed`; enrols one image, also chosen with
 * the seed, of every other subject. Fails when there are fewer than two
 * subjects or no enrolled subject has a second image to search with. */
int sh_identification_plan(sh_search_plan **out, const sh_manifest *m,
                               double holdout, uint64_t seed, sh_err *err);

/* The plan of a given gallery: items[0..n) (one image each of distinct
 * subjects, in slot order) enrolled, every other image of their subjects a
 * mated search, every image of the other subjects a non-mated one. The
 * caller checks the items are distinct subjects'. Fails when there is no
 * mated search. */
int sh_identification_plan_gallery(sh_search_plan **out, const sh_manifest *m,
                                       const uint32_t *items, size_t n, sh_err *err);

/* Frees a plan; NULL is allowed. */
void sh_search_plan_destroy(sh_search_plan *p);

#endif
