/* Every impostor pair of a run scored from declared embeddings with BLAS,
 * block by block, as a score source (score_source.h): the score matrix is
 * never stored, each block's scores go straight to the accumulators. */
#ifndef SH_HARNESS_EMBEDDING_BLOCKS_H
#define SH_HARNESS_EMBEDDING_BLOCKS_H

#include <stddef.h>

#include "instance.h"
#include "manifest.h"
#include "runner.h"
#include "score_source.h"

/* Rows of a block: a 512 x 512 tile of dot products is 1 MiB, read back
 * from a 2 MiB L2. With 256 rows, sgemm packed each block's vectors twice
 * as often: 5 % slower in bench_scoring, its sgemm tiles alone 7 %. */
#define SH_EMBEDDING_BLOCK 512

/* A source over every pair (a < b) of items of different subjects in m,
 * scored from t's declared embeddings (-inf where either template
 * failed), on the executor ex (NULL: the calling thread) in blocks of
 * `block` rows (0: the default). Read-only while it lives; out must not move.
 * Under MPI, base.ranks set after init splits every replay and sample:
 * each rank scores the block tasks rank, rank + ranks, ... (score_source.h). */
typedef struct sh_embedding_source {
    sh_score_source base;
    const shades_embedding *embedding;
    const sh_templates *t;
    const uint32_t *subject;   /* per item */
    size_t n_items, block;
} sh_embedding_source;

void sh_embedding_source_init(sh_embedding_source *out, const shades_embedding *e,
                                  const sh_templates *t, const uint32_t *subject,
                                  size_t n_items, uint64_t n_impostor, sh_executor *ex,
                                  size_t block);

#endif
