/* The executor: one pool of threads, started once, that every parallel
 * stage of a run submits its blocks to (templates, comparisons, searches,
 * bootstrap replicates, rendering). Modelled on libuv's threadpool.c, but
 * an object passed to whoever needs it rather than a hidden global, so a
 * test, a benchmark or (later) an MPI rank owns its own. */
#ifndef SH_CORE_EXECUTOR_H
#define SH_CORE_EXECUTOR_H

#include <stddef.h>

#include "error.h"

/* The most threads a run may ask for, in a config (run.threads) or on the
 * command line (--threads). */
#define SH_THREADS_MAX 256

/* A pool of threads. Opaque. */
typedef struct sh_executor sh_executor;

/* Work on items [begin, end) as worker `worker` (0 up to the job's width
 * - 1, so each worker can keep its own scratch); returns 0 or a negative
 * code with err set. Called from many threads at once with distinct
 * ranges and distinct workers. */
typedef int (*sh_worker_block_fn)(void *ctx, unsigned worker, size_t begin, size_t end,
                                  sh_err *err);

/* Starts a pool of `threads` threads in all (1 to SH_THREADS_MAX), the
 * submitting thread being one of them: threads - 1 are created here and
 * wait for work. Destroy with sh_executor_destroy. [thread: any; before a
 * fork that must find a single thread, as sh_supervise's, not after] */
int sh_executor_create(sh_executor **out, unsigned threads, sh_err *err);

/* Stops and joins the pool's threads; NULL is allowed. [thread: the
 * creator's, no job in flight] */
void sh_executor_destroy(sh_executor *ex);

/* The pool's threads in all; 1 for NULL. */
unsigned sh_executor_threads(const sh_executor *ex);

/* Runs fn over [0, n) in blocks of `block` items on at most `width`
 * threads of ex (0: all of them; an engine that takes fewer concurrent
 * calls asks for fewer), the caller being worker 0, and returns when every
 * block is done. After the first failure no new block starts; the error
 * reported is the one of the lowest failing block, so it does not depend
 * on scheduling. ex NULL, width 1, or a submission while another job holds
 * the pool (a job submitted from inside a block) runs inline on the
 * calling thread. [thread: any] */
int sh_executor_for(sh_executor *ex, unsigned width, size_t n, size_t block,
                    sh_worker_block_fn fn, void *ctx, sh_err *err);

/* Work on items [begin, end), for jobs that keep no per-worker scratch. */
typedef int (*sh_block_fn)(void *ctx, size_t begin, size_t end, sh_err *err);

/* sh_executor_for without the worker's number. */
int sh_executor_for_blocks(sh_executor *ex, unsigned width, size_t n, size_t block,
                           sh_block_fn fn, void *ctx, sh_err *err);

#endif
