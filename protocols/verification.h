/* The 1:1 verification protocol: which pairs of images are compared. */
#ifndef SHADES_PROTOCOLS_VERIFICATION_H
#define SHADES_PROTOCOLS_VERIFICATION_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "error.h"
#include "manifest.h"

/* One comparison: enrol = item a, verify = item b, a < b. */
typedef struct shades_pair {
    uint32_t a;
    uint32_t b;
} shades_pair;

/* The pairs of a run, each list sorted by (a, b). Read-only once built. */
typedef struct shades_pairs {
    size_t n_genuine;
    shades_pair *genuine;      /* every pair of images of one subject */
    size_t n_impostor;
    shades_pair *impostor;     /* all pairs of two subjects, or a seeded sample */
    uint64_t impostor_total;   /* how many impostor pairs exist */
} shades_pairs;

/* Builds the genuine and impostor pairs of m as the config asks. A sample
 * is drawn without replacement from every impostor pair, seeded by
 * run.seed; a sample as large as the population is the population. */
int shades_verification_pairs(shades_pairs **out, const shades_manifest *m,
                              const shades_config *config, shades_err *err);

/* Frees pairs; NULL is allowed. */
void shades_pairs_destroy(shades_pairs *p);

#endif
