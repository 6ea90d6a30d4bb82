/* Impostor scores of a 1:1 run, accumulated in bounded memory from a
 * score source: one exact distribution (score_hist.h) for all impostors
 * and one per cell of every partition's group-by-group matrix (the
 * diagonal cells are the same-group impostors of /verification/groups). */
#ifndef SHADES_RESULTS_IMPOSTOR_STATS_H
#define SHADES_RESULTS_IMPOSTOR_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "groups.h"
#include "progress.h"
#include "score_hist.h"
#include "score_source.h"

/* A scored impostor pair kept for the subject bootstrap. */
typedef struct shades_impostor_hit {
    shades_pair pair;
    double score;
} shades_impostor_hit;

/* Owned by the caller; built by shades_impostors_count, refined once by
 * shades_impostors_refine, then read-only. */
typedef struct shades_impostors {
    const shades_groups *groups;
    size_t n_streams;
    shades_score_hist *stream;  /* [0] all, then each partition's cells */
    size_t *offset;             /* per partition: its first cell's stream */
    shades_score_window window; /* bins whose exact values pass 2 keeps */
    shades_impostor_hit *hits;  /* pass 2: impostors in bins >= the hit bin, by pair */
    size_t n_hits;
} shades_impostors;

/* Pass 1: counts every score of src into a new accumulator over the
 * partitions of g (which must outlive it), each score on progress (may be
 * NULL). */
int shades_impostors_count(shades_impostors **out, const shades_groups *g,
                           const shades_score_source *src, shades_progress *progress,
                           shades_err *err);

/* Where pass 1's counts outlive a killed run (the harness's checkpoint).
 * load: 1 with *out (malloc'd) and *out_len set when counts were saved, 0
 * when none were; save keeps them. */
typedef struct shades_count_store {
    void *ctx;
    int (*load)(void *ctx, void **out, size_t *out_len, shades_err *err);
    int (*save)(void *ctx, const void *data, size_t len, shades_err *err);
} shades_count_store;

/* Pass 1's counts as bytes, for a checkpoint: *out is malloc'd, the
 * caller frees it. */
int shades_impostors_pack(void **out, size_t *out_len, const shades_impostors *s,
                          shades_err *err);

/* Pass 1 as shades_impostors_count left it, from bytes that
 * shades_impostors_pack wrote for the same groups and n scores; fails with
 * a message when they do not fit. */
int shades_impostors_unpack(shades_impostors **out, const shades_groups *g, uint64_t n,
                            const void *data, size_t len, shades_err *err);

/* All impostors (partition SIZE_MAX), or the cell of groups i and j of
 * partition p (either order). */
shades_score_hist *shades_impostors_cell(const shades_impostors *s, size_t p, size_t i, size_t j);

/* Pass 2: replays src, keeping the exact values of the bins in s->window and,
 * unless hit_bin is UINT32_MAX, every pair scored in a bin >= hit_bin.
 * Fails when a replay's scores differ from the count's. */
int shades_impostors_refine(shades_impostors *s, const shades_score_source *src,
                            uint32_t hit_bin, shades_progress *progress, shades_err *err);

/* Frees s; NULL is allowed. */
void shades_impostors_destroy(shades_impostors *s);

#endif
