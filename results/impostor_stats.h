/* Impostor scores of a 1:1 run, accumulated in bounded memory from a
 * score source: one exact distribution (score_hist.h) for all impostors
 * and one per cell of every partition's group-by-group matrix (the
 * diagonal cells are the same-group impostors of /verification/groups). */
#ifndef SH_RESULTS_IMPOSTOR_STATS_H
#define SH_RESULTS_IMPOSTOR_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "groups.h"
#include "progress.h"
#include "score_hist.h"
#include "score_source.h"

/* A scored impostor pair kept for the subject bootstrap. */
typedef struct sh_impostor_hit {
    sh_pair pair;
    double score;
} sh_impostor_hit;

/* Owned by the caller; built by sh_impostors_count, settled by
 * sh_impostors_settle or refined once by sh_impostors_refine, then
 * read-only. */
typedef struct sh_impostors {
    const sh_groups *groups;
    size_t n_streams;
    sh_score_hist *stream;  /* [0] all, then each partition's cells */
    size_t *offset;             /* per partition: its first cell's stream */
    sh_score_window window; /* bins whose exact values the measures need */
    sh_impostor_hit *hits;  /* impostors in bins >= the hit bin, by pair */
    size_t n_hits;
    uint32_t hit_bin;           /* that bin, once settled or refined (UINT32_MAX: none) */
    sh_score_window kept;   /* pass 1: bins whose values it kept (predicted) */
    uint32_t kept_hit_bin;      /* pass 1: the lowest bin whose pairs it kept */
    int moments;                /* pass 1 summed "all" and each group's own cell */
    int overflow;               /* pass 1 stopped keeping: memory is bounded */
} sh_impostors;

/* Pass 1: counts every score of src into a new accumulator over the
 * partitions of g (which must outlive it), each score on progress (may be
 * NULL). With keep (may be NULL; taken over and zeroed), it also keeps the
 * values in keep's bins and, unless hit_bin is UINT32_MAX, the pairs
 * scored in bins >= hit_bin, up to a bounded number, so that
 * sh_impostors_settle can spare pass 2. With moments, it also adds each
 * score to the exact sums (score_hist.h) of "all" and of its group's own
 * cell (the mean and SD of /verification/scores); they cost pass 1 about a
 * third more on BLAS-scored embeddings (bench/README.md). */
int sh_impostors_count(sh_impostors **out, const sh_groups *g,
                           const sh_score_source *src, sh_score_window *keep,
                           uint32_t hit_bin, int moments, sh_progress *progress, sh_err *err);

/* Counts src's sample (src->sample must be set: the pairs of 1 in every
 * items) into a new accumulator, to predict the bins pass 1 should keep. */
int sh_impostors_sample(sh_impostors **out, const sh_groups *g,
                            const sh_score_source *src, unsigned every, sh_err *err);

/* Ends pass 1 once s->window names the bins the measures need: when pass 1
 * kept them all and every pair from hit_bin up (UINT32_MAX: none), s is
 * left as sh_impostors_refine would leave it and 1 is returned; else s
 * drops what it kept and 0 says pass 2 (sh_impostors_refine) is due. */
int sh_impostors_settle(sh_impostors *s, uint32_t hit_bin, sh_err *err);

/* Where pass 1's counts outlive a killed run (the harness's checkpoint).
 * load: 1 with *out (malloc'd) and *out_len set when counts were saved, 0
 * when none were; save keeps them. */
typedef struct sh_count_store {
    void *ctx;
    int (*load)(void *ctx, void **out, size_t *out_len, sh_err *err);
    int (*save)(void *ctx, const void *data, size_t len, sh_err *err);
} sh_count_store;

/* Pass 1's counts as bytes, for a checkpoint: *out is malloc'd, the
 * caller frees it. */
int sh_impostors_pack(void **out, size_t *out_len, const sh_impostors *s,
                          sh_err *err);

/* Pass 1 as sh_impostors_count left it, from bytes that
 * sh_impostors_pack wrote for the same groups, n scores and moments; fails
 * with a message when they do not fit. */
int sh_impostors_unpack(sh_impostors **out, const sh_groups *g, uint64_t n, int moments,
                            const void *data, size_t len, sh_err *err);

/* All impostors (partition SIZE_MAX), or the cell of groups i and j of
 * partition p (either order). */
sh_score_hist *sh_impostors_cell(const sh_impostors *s, size_t p, size_t i, size_t j);

/* Pass 2: replays src, keeping the exact values of the bins in s->window and,
 * unless hit_bin is UINT32_MAX, every pair scored in a bin >= hit_bin.
 * Fails when a replay's scores differ from the count's. */
int sh_impostors_refine(sh_impostors *s, const sh_score_source *src,
                            uint32_t hit_bin, sh_progress *progress, sh_err *err);

/* Frees s; NULL is allowed. */
void sh_impostors_destroy(sh_impostors *s);

#endif
