/* The ranks of a run: the processes an MPI launcher (mpirun, srun) started
 * for one `shades run`, each with its own executor, splitting the engine's
 * work by blocks and sharing what each made. A process started without a
 * launcher is a run of one rank and never touches MPI.
 *
 * Every collective carries each rank's status, so a failure on one rank
 * ends the same collective on all of them: the lowest failing rank keeps
 * its error, the others get SH_E_ELSEWHERE and stay silent. */
#ifndef SH_CORE_RANKS_H
#define SH_CORE_RANKS_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "executor.h"

/* Longest host name recorded. */
#define SH_RANKS_HOST_MAX 64

/* The ranks of this run. Opaque; one per process. */
typedef struct sh_ranks sh_ranks;

/* What the ranks moved, for the benchmark and the results file. */
typedef struct sh_ranks_traffic {
    uint64_t bytes_sent;     /* this rank's payload, counted once per collective */
    uint64_t bytes_received; /* every other rank's payload */
    double seconds;          /* wall time inside collectives, waiting included */
    uint64_t collectives;
    double merge_seconds;    /* time callers spent combining what ranks sent, their
                                collectives included (sh_ranks_note_merge) */
} sh_ranks_traffic;

/* Whether a launcher started this process as one of a job's ranks, and
 * which of how many, from its environment alone (without joining MPI: a
 * supervising parent, which never does). */
int sh_ranks_launched_as(unsigned *out_rank, unsigned *out_size);

/* Joins the run's ranks: MPI_Init where a launcher started this process
 * (its environment says so), else a run of one rank without MPI. [thread:
 * main, once, before any thread starts and after any fork that must not
 * carry MPI (sh_supervise's)] */
int sh_ranks_create(sh_ranks **out, sh_err *err);

/* Leaves MPI (where joined) and frees r; NULL is allowed. [thread: main] */
void sh_ranks_destroy(sh_ranks *r);

/* This rank (0 up) and how many there are; 0 and 1 for NULL. */
unsigned sh_ranks_rank(const sh_ranks *r);
unsigned sh_ranks_size(const sh_ranks *r);

/* This rank's host name; with r NULL (no ranks), this machine's.
 * [thread: any] */
const char *sh_ranks_host(const sh_ranks *r);

/* Counters of r's collectives so far (zeros for NULL). */
sh_ranks_traffic sh_ranks_traffic_of(const sh_ranks *r);

/* Adds seconds a caller spent merging what the ranks shared (exchange and
 * combining) to r's counters; NULL is allowed. */
void sh_ranks_note_merge(sh_ranks *r, double seconds);

/* Every rank's bytes, in rank order: each rank hands mine (len bytes) and
 * its status rc (0 or a negative code, with err set); on success *out
 * (malloc'd, the caller frees) holds them back to back and *out_lens (may
 * be NULL) points at each rank's length, r's own array, good until r's next
 * collective (NULL for r NULL). When any rank's rc is not 0, no bytes
 * move: the lowest failing rank gets its own rc back, any other
 * SH_E_ELSEWHERE. [thread: main; all ranks, in the same order] */
int sh_ranks_allgather(void **out, const uint64_t **out_lens, sh_ranks *r, int rc,
                       const void *mine, size_t len, sh_err *err);

/* The statuses only: sh_ranks_allgather without bytes. */
int sh_ranks_agree(sh_ranks *r, int rc, sh_err *err);

/* Whether the failure that ended this rank's run was seen by every rank
 * in one collective (so nobody waits for this one), after a failed
 * sh_ranks_allgather or sh_ranks_finish. */
int sh_ranks_agreed(const sh_ranks *r);

/* Whether, in that failure, every rank failed on its own (a bad config
 * fails them all alike): its message then needs no rank named. */
int sh_ranks_all_failed(const sh_ranks *r);

/* The run's last word, on its own communicator so it cannot be mistaken
 * for a collective another rank is still in: every rank's final status,
 * waited for up to timeout_s seconds. Returns rc as sh_ranks_agree would
 * (the lowest failing rank keeps rc, others SH_E_ELSEWHERE) or, when some
 * rank never came (it is stuck in a collective this rank skipped), rc
 * unchanged with sh_ranks_agreed 0: the caller reports and aborts. */
int sh_ranks_finish(sh_ranks *r, int rc, double timeout_s);

/* Ends every rank of the job with status (MPI_Abort); returns only for a
 * run of one rank. */
void sh_ranks_abort(sh_ranks *r, int status);

/* One per-item array of a block stage: `elem` bytes per item from base;
 * with rows, one such row every row_bytes bytes (a table of
 * [row][item], as the bootstrap keeps its replicates). */
typedef struct sh_ranks_array {
    void *base;
    size_t elem;
    size_t rows;      /* 0 or 1: one row */
    size_t row_bytes;
} sh_ranks_array;

/* Runs fn over this rank's blocks of [0, n) (block b is rank b % size's)
 * on ex as sh_executor_for does, sharing nothing: the caller keeps what
 * its blocks made (a score source's replay, score_source.h). r NULL or of
 * one rank is sh_executor_for. [thread: any] */
int sh_ranks_for(const sh_ranks *r, sh_executor *ex, unsigned width, size_t n, size_t block,
                 sh_worker_block_fn fn, void *ctx, sh_err *err);

/* Runs fn over [0, n) in blocks of `block` items as sh_executor_for_blocks
 * does, but only on this rank's blocks (block b is rank b % size's), then
 * shares items: each rank's blocks of arrays[0..n_arrays) reach every rank,
 * so all hold every item as one process would. A failed block on any rank
 * fails the call on all (see sh_ranks_allgather). r NULL or of one rank is
 * sh_executor_for_blocks; no arrays (n_arrays 0) leaves each rank holding
 * only its own blocks' items (their statuses still agree). [thread: main] */
int sh_ranks_for_blocks(sh_ranks *r, sh_executor *ex, unsigned width, size_t n, size_t block,
                        sh_block_fn fn, void *ctx, const sh_ranks_array *arrays,
                        size_t n_arrays, sh_err *err);

/* The sharing step of sh_ranks_for_blocks alone: each rank's blocks of
 * arrays[0..n_arrays) (n items in blocks of `block`, block b rank b %
 * size's), which only their owners hold, reach every rank. For a stage
 * that kept its blocks on their ranks and then needs every item (listed
 * impostor scores for the accuracy over folds). r NULL or of one rank: 0.
 * [thread: main; all ranks] */
int sh_ranks_share_blocks(sh_ranks *r, size_t n, size_t block, const sh_ranks_array *arrays,
                          size_t n_arrays, sh_err *err);

/* Items of n in blocks of `block` that are other ranks' (0 for one rank):
 * what a rank's progress adds once sh_ranks_for_blocks has shared them. */
size_t sh_ranks_items_elsewhere(const sh_ranks *r, size_t n, size_t block);

/* Items items[0..n_items) of arrays (each item in blocks of `block`, its
 * owner's as in sh_ranks_for_blocks), which only their owners hold, reach
 * every rank. For a few items (a sample), not whole stages. [thread: main;
 * all ranks] */
int sh_ranks_share_items(sh_ranks *r, size_t block, const size_t *items, size_t n_items,
                         const sh_ranks_array *arrays, size_t n_arrays, sh_err *err);

/* The nonzero marks of marks[0..n) (items in blocks of `block`, each set
 * only on its owner) reach every rank: for rare flags (faults) over many
 * items, sent as their indices. [thread: main; all ranks] */
int sh_ranks_share_marks(sh_ranks *r, size_t block, uint8_t *marks, size_t n, sh_err *err);

#endif
