/* A parallel for-loop over [0, n) in blocks on POSIX threads. */
#ifndef SH_HARNESS_PARALLEL_H
#define SH_HARNESS_PARALLEL_H

#include <stddef.h>

#include "error.h"

/* The most threads a run may ask for, in a config (run.threads) or on the
 * command line (--threads). */
#include "executor.h" /* SH_THREADS_MAX */

/* Work on items [begin, end); returns 0 or a negative code with err set.
 * Called from many threads at once with distinct ranges. */
typedef int (*sh_block_fn)(void *ctx, size_t begin, size_t end, sh_err *err);

/* Runs fn over [0, n) in blocks of `block` items on `threads` threads
 * (1 runs inline). After the first failure no new block starts; the error
 * reported is the one of the lowest failing block, so it does not depend
 * on scheduling. */
int sh_parallel_for(size_t n, size_t block, unsigned threads, sh_block_fn fn, void *ctx,
                        sh_err *err);

/* Like sh_block_fn, told which of the pool's threads (0 up to
 * threads - 1) runs it, so each thread can keep its own scratch. */
typedef int (*sh_worker_block_fn)(void *ctx, unsigned worker, size_t begin, size_t end,
                                      sh_err *err);

/* sh_parallel_for with the worker's number (0 when it runs inline). */
int sh_parallel_for_workers(size_t n, size_t block, unsigned threads,
                                sh_worker_block_fn fn, void *ctx, sh_err *err);

#endif
