/* The 1:1 verification protocol: which pairs of images are compared. */
#ifndef SHADES_PROTOCOLS_VERIFICATION_H
#define SHADES_PROTOCOLS_VERIFICATION_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "error.h"
#include "manifest.h"

/* One comparison: enrol (reference) = item a, verify (probe) = item b. */
typedef struct shades_pair {
    uint32_t a;
    uint32_t b;
} shades_pair;

/* The pairs of a run. Generated lists are sorted by (a, b) with a < b; a
 * pair list keeps its file's order and direction. Read-only once built. */
typedef struct shades_pairs {
    size_t n_genuine;
    shades_pair *genuine;      /* pairs of images of one subject */
    size_t n_impostor;
    shades_pair *impostor;     /* pairs of images of two subjects */
    uint64_t impostor_total;   /* how many impostor pairs exist (generated) or were listed */
    int all_impostors;         /* every pair of images of two subjects is in the run */
    int implicit;              /* those pairs are not listed (impostor is NULL): whoever
                                * scores them enumerates a < b of different subjects */
    /* From a pair list only, else NULL: each pair's line and fold (-1: none). */
    size_t *genuine_line, *impostor_line;
    int32_t *genuine_fold, *impostor_fold;
    size_t n_folds;            /* 1 + the largest fold; 0 without folds */
} shades_pairs;

/* Builds the genuine and impostor pairs of m as the config asks: every
 * genuine pair and every or a sample of impostor pairs, or the pairs of
 * verification.pairs, each classed by the manifest's subject ids. A sample
 * is drawn without replacement, seeded by run.seed; a sample as large as the
 * population is the population. A pair list fails naming its line on an
 * unknown image id, an image compared with itself, a pair listed twice (in
 * either direction) or a bad fold. With `implicit`, every impostor pair is
 * left unlisted (see shades_pairs.implicit) when all are asked for. */
int shades_verification_pairs(shades_pairs **out, const shades_manifest *m,
                              const shades_config *config, int implicit, shades_err *err);

/* Frees pairs; NULL is allowed. */
void shades_pairs_destroy(shades_pairs *p);

#endif
