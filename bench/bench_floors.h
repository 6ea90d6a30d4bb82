/* Floors under bench_scoring's figure, measured in the same run: what the
 * harness's tiling costs before any accumulation, so its ratio to BLAS can
 * be read against the most any accumulation could leave. Three floors, each
 * on the harness's block tasks (SH_EMBEDDING_BLOCK rows, the upper
 * triangle, one BLAS thread per worker on the executor):
 *   - the sgemm tiles alone;
 *   - the harness's own replay into a sink that only counts its batches
 *     (the tiles plus the emission of each row's scores as a row batch);
 *   - the tiles plus the least accumulation a run could do: each score
 *     formed as the harness forms it (a double) and counted once, in one
 *     histogram of the harness's bins, with no groups, window or sums. */
#ifndef SH_BENCH_FLOORS_H
#define SH_BENCH_FLOORS_H

#include <cblas.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "bench.h"
#include "embedding_blocks.h"
#include "embedding_score.h"
#include "score_hist.h"

/* One worker's scratch: its tile, its histogram (bins of score_hist.h) and
 * the scores it counted. */
typedef struct bench_floor_worker {
    float *dot;
    uint64_t *hist; /* not uint32_t: its stores must not alias the subjects */
    uint64_t n;
} bench_floor_worker;

typedef struct bench_floor {
    const sh_embedding_source *src;
    size_t n_blocks;
    int count; /* 0: tiles alone; 1: and one count a score */
    bench_floor_worker w[2];
} bench_floor;

static inline int bench_floor_task(void *ctx, unsigned worker, size_t begin, size_t end,
                                   sh_err *err)
{
    (void)err;
    bench_floor *f = ctx;
    bench_floor_worker *w = &f->w[worker];
    const sh_embedding_source *src = f->src;
    const sh_templates *t = src->t;
    size_t B = src->block, n = src->n_items;
    int d = (int)src->embedding->dimension, ld = (int)(t->stride / sizeof(float));
    const float *x = sh_embedding_vector(src->embedding, t->bytes), *norm = t->norm;
    const uint32_t *subject = src->subject;
    uint64_t *hist = w->hist, counted = 0;
    for (size_t task = begin; task < end; task++) {
        size_t bi = 0, row = f->n_blocks, rest = task;
        for (; rest >= row; row--, bi++)
            rest -= row;
        size_t bj = bi + rest;
        size_t i0 = bi * B, i1 = i0 + B < n ? i0 + B : n;
        size_t j0 = bj * B, j1 = j0 + B < n ? j0 + B : n;
        int mi = (int)(i1 - i0), mj = (int)(j1 - j0);
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, mi, mj, d, 1.0f,
                    x + i0 * (size_t)ld, ld, x + j0 * (size_t)ld, ld, 0.0f, w->dot, mj);
        for (size_t a = i0; f->count && a < i1; a++) {
            const float *dot = w->dot + (a - i0) * (size_t)mj;
            double na = norm[a];
            uint32_t sa = subject[a];
            for (size_t b = bi == bj ? a + 1 : j0; b < j1; b++) {
                if (subject[b] == sa)
                    continue;
                hist[sh_score_bin(dot[b - j0] * (double)norm[b] * na)]++;
                counted++;
            }
        }
    }
    w->n += counted;
    return 0;
}

/* The best of `runs` of one floor (count 0 or 1) over src's tasks, on two
 * workers; *out_n gets the scores counted (0 for the tiles alone). */
static inline double bench_floor_time(uint64_t *out_n, const sh_embedding_source *src,
                                      int count, unsigned runs)
{
    size_t nb = (src->n_items + src->block - 1) / src->block;
    bench_floor f = {src, nb, count, {{0}}};
    for (unsigned k = 0; k < 2; k++) {
        f.w[k].dot = malloc(src->block * src->block * sizeof(float));
        f.w[k].hist = calloc(SH_HIST_BINS, sizeof(uint64_t));
    }
    openblas_set_num_threads(1);
    double best = INFINITY;
    sh_err err = {0};
    for (unsigned r = 0; r < runs; r++) {
        f.w[0].n = f.w[1].n = 0;
        double t0 = bench_now();
        sh_executor_for(src->base.executor, 2, nb * (nb + 1) / 2, 1, bench_floor_task, &f, &err);
        best = fmin(best, bench_now() - t0);
    }
    *out_n = f.w[0].n + f.w[1].n;
    for (unsigned k = 0; k < 2; k++) {
        free(f.w[k].dot);
        free(f.w[k].hist);
    }
    return best;
}

static inline int bench_floor_sink(void *ctx, unsigned worker, const sh_score_batch *batch,
                                   sh_err *err)
{
    (void)err;
    ((uint64_t *)ctx)[worker * 8] += batch->n; /* a cache line apart */
    return 0;
}

/* The best of `runs` replays of src into a sink that only counts; *out_n
 * gets the scores it was handed. */
static inline double bench_floor_emitted(uint64_t *out_n, const sh_embedding_source *src,
                                         unsigned runs)
{
    uint64_t seen[16] = {0};
    double best = INFINITY;
    sh_err err = {0};
    for (unsigned r = 0; r < runs; r++) {
        seen[0] = seen[8] = 0;
        double t0 = bench_now();
        src->base.replay(&src->base, bench_floor_sink, seen, &err);
        best = fmin(best, bench_now() - t0);
    }
    *out_n = seen[0] + seen[8];
    return best;
}

#endif
