/* A parallel for-loop over [0, n) in blocks on POSIX threads. */
#ifndef SHADES_HARNESS_PARALLEL_H
#define SHADES_HARNESS_PARALLEL_H

#include <stddef.h>

#include "error.h"

/* Work on items [begin, end); returns 0 or a negative code with err set.
 * Called from many threads at once with distinct ranges. */
typedef int (*shades_block_fn)(void *ctx, size_t begin, size_t end, shades_err *err);

/* Runs fn over [0, n) in blocks of `block` items on `threads` threads
 * (1 runs inline). After the first failure no new block starts; the error
 * reported is the one of the lowest failing block, so it does not depend
 * on scheduling. */
int shades_parallel_for(size_t n, size_t block, unsigned threads, shades_block_fn fn, void *ctx,
                        shades_err *err);

#endif
