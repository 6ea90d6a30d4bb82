/* The 1:1 verification protocol: which pairs of images are compared. */
#ifndef SH_PROTOCOLS_VERIFICATION_H
#define SH_PROTOCOLS_VERIFICATION_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "manifest.h"

/* An explicit pair list: one comparison per row. */
typedef struct sh_pair_list {
    char *file;            /* resolved */
    char *reference;       /* column names; defaults reference_id, probe_id */
    char *probe;
    char *fold;            /* optional column; NULL: no folds */
} sh_pair_list;

/* Which pairs a run compares (the config's verification section). */
typedef struct sh_pairs_spec {
    const sh_pair_list *list;  /* explicit pairs, or NULL: generated */
    int sample;                /* generated impostors: a sample of impostor_sample */
    uint64_t impostor_sample;
    uint64_t seed;             /* run.seed, for the sample */
} sh_pairs_spec;

/* One comparison: enrol (reference) = item a, verify (probe) = item b. */
typedef struct sh_pair {
    uint32_t a;
    uint32_t b;
} sh_pair;

/* Items x and y as an impostor pair is held (generated lists, score
 * sources' row batches): the smaller item first. */
static inline sh_pair sh_pair_of(uint32_t x, uint32_t y)
{
    return x < y ? (sh_pair){x, y} : (sh_pair){y, x};
}

/* The pairs of a run. Generated lists are sorted by (a, b) with a < b; a
 * pair list keeps its file's order and direction. Read-only once built. */
typedef struct sh_pairs {
    size_t n_genuine;
    sh_pair *genuine;      /* pairs of images of one subject */
    size_t n_impostor;
    sh_pair *impostor;     /* pairs of images of two subjects */
    uint64_t impostor_total;   /* how many impostor pairs exist (generated) or were listed */
    int all_impostors;         /* every pair of images of two subjects is in the run */
    int implicit;              /* those pairs are not listed (impostor is NULL): whoever
                                * scores them enumerates a < b of different subjects */
    /* From a pair list only, else NULL: each pair's line and fold (an index
     * into fold_value; -1: none). */
    size_t *genuine_line, *impostor_line;
    int32_t *genuine_fold, *impostor_fold;
    size_t n_folds;            /* the distinct folds; 0 without folds */
    int32_t *fold_value;       /* each fold as the file numbers it, ascending */
} sh_pairs;

/* The most distinct folds a pair list may hold: accuracy over folds learns
 * a threshold per fold over the other folds' pairs, a pass over every pair
 * each. */
#define SH_FOLDS_MAX 100

/* Builds the genuine and impostor pairs of m as spec asks: every genuine
 * pair and every or a sample of impostor pairs, or the pairs of the list,
 * each classed by the manifest's subject ids. A sample is drawn without
 * replacement, seeded by spec->seed; a sample as large as the
 * population is the population. A pair list fails naming its line on an
 * unknown image id, an image compared with itself, a pair listed twice (in
 * either direction) or a bad fold. With `implicit`, every impostor pair is
 * left unlisted (see sh_pairs.implicit) when all are asked for. */
int sh_verification_pairs(sh_pairs **out, const sh_manifest *m,
                              const sh_pairs_spec *spec, int implicit, sh_err *err);

/* Frees pairs; NULL is allowed. */
void sh_pairs_destroy(sh_pairs *p);

#endif
