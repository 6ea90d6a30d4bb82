/* A replayable stream of impostor scores. The measures read impostors in
 * two passes (see score_hist.h) without ever holding them all: a source
 * hands the same scores over on every replay, from stored scores or by
 * computing them again. */
#ifndef SH_RESULTS_SCORE_SOURCE_H
#define SH_RESULTS_SCORE_SOURCE_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "executor.h"
#include "ranks.h"
#include "verification.h"

/* Some scored pairs: pair[i] (enrol = a, verify = b) scored score[i].
 * Or, where pair is NULL, a row: item `row` against items col0 to
 * col0 + span - 1, score[i] that of the pair of row and col0 + i (the
 * smaller item first), NaN where they are no pair (NaN is never a score).
 * A row spares its source a pair per score and its sink a group lookup
 * per score on the row's side (bench/README.md). n counts the pairs. */
typedef struct sh_score_batch {
    size_t n;
    const sh_pair *pair;
    const double *score;
    size_t span;         /* a row: its entries in score */
    uint32_t row, col0;  /* a row: its item and its first column's */
} sh_score_batch;

/* Takes batches. `worker` is below the source's workers, and one worker's
 * batches come from one thread at a time. Returns 0 or a negative code
 * with err set, which stops the replay. */
typedef int (*sh_score_sink)(void *ctx, unsigned worker, const sh_score_batch *batch,
                                 sh_err *err);

typedef struct sh_score_source sh_score_source;

/* Hands every score to sink, in any order and split any way, the same
 * scores each time. */
typedef int (*sh_score_replay_fn)(const sh_score_source *src, sh_score_sink sink,
                                      void *ctx, sh_err *err);

/* Hands a sample of the scores to sink: those of the pairs whose first
 * or second item is one of every `every`-th item (a pair of two such items
 * may come twice), so every group and pair of groups is in it in
 * proportion. The same sample each time. */
typedef int (*sh_score_sample_fn)(const sh_score_source *src, unsigned every,
                                      sh_score_sink sink, void *ctx, sh_err *err);

struct sh_score_source {
    uint64_t n;                 /* scores per replay */
    unsigned workers;           /* the most sink workers a replay uses */
    sh_executor *executor;      /* replays run on it (borrowed); NULL: the calling thread */
    sh_ranks *ranks;            /* a source that hands each MPI rank its share of every
                                   replay and sample sets them; the passes then share
                                   what each rank counted (NULL: one process) */
    sh_score_replay_fn replay;
    sh_score_sample_fn sample; /* NULL where a replay is cheap enough to make twice */
    const void *self;           /* the source's own state */
};

/* Scores already held: pairs[k] scored scores[k]. Read-only while it lives. */
typedef struct sh_array_source {
    sh_score_source base;
    const sh_pair *pairs;
    const double *scores;
} sh_array_source;

/* Scores an array source hands over at a time: small enough to stay in
 * cache, big enough to pay for the call; across ranks, batch b is rank
 * b % size's (ranks.h). */
#define SH_ARRAY_SOURCE_BLOCK 4096

/* Makes out a source over n stored scores, replayed in blocks on the
 * executor ex (NULL: the calling thread); with base.ranks set after init,
 * each rank replays its blocks of SH_ARRAY_SOURCE_BLOCK, whose scores alone
 * it holds. out must outlive its use and not
 * move. */
void sh_array_source_init(sh_array_source *out, const sh_pair *pairs,
                              const double *scores, size_t n, sh_executor *ex);

#endif
