#include "embedding_blocks.h"

#include <cblas.h>
#include <math.h>
#include <stdlib.h>

#include "embedding_score.h"
#include "parallel.h"

/* One worker's block of dot products and the row it hands over. */
typedef struct block_scratch {
    float *dot;          /* block x block */
    shades_pair *pair;   /* block */
    double *score;       /* block */
} block_scratch;

typedef struct block_replay {
    const shades_embedding_source *src;
    size_t n_blocks;
    block_scratch *scratch;
    shades_score_sink sink;
    void *ctx;
} block_replay;

/* The task'th block pair (I <= J) of the upper triangle, row by row. */
static void task_blocks(size_t *out_i, size_t *out_j, size_t task, size_t n_blocks)
{
    size_t i = 0, row = n_blocks;
    while (task >= row) {
        task -= row;
        i++;
        row--;
    }
    *out_i = i;
    *out_j = i + task;
}

static int score_task(void *ctx, unsigned worker, size_t begin, size_t end, shades_err *err)
{
    const block_replay *r = ctx;
    const shades_embedding_source *src = r->src;
    const shades_embedding *e = src->embedding;
    const shades_templates *t = src->t;
    block_scratch *s = &r->scratch[worker];
    size_t B = src->block, n = src->n_items;
    int d = (int)e->dimension, ld = (int)(t->stride / sizeof(float));
    const float *x = shades_embedding_vector(e, t->bytes);
    for (size_t task = begin; task < end; task++) {
        size_t bi, bj;
        task_blocks(&bi, &bj, task, r->n_blocks);
        size_t i0 = bi * B, i1 = i0 + B < n ? i0 + B : n;
        size_t j0 = bj * B, j1 = j0 + B < n ? j0 + B : n;
        int mi = (int)(i1 - i0), mj = (int)(j1 - j0);
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, mi, mj, d, 1.0f,
                    x + i0 * (size_t)ld, ld, x + j0 * (size_t)ld, ld, 0.0f, s->dot, mj);
        for (size_t a = i0; a < i1; a++) {
            size_t k = 0, first = bi == bj ? a + 1 : j0;
            int a_ok = t->outcome[a] == SHADES_OUTCOME_OK;
            const float *row = s->dot + (a - i0) * (size_t)mj;
            for (size_t b = first; b < j1; b++) {
                if (src->subject[a] == src->subject[b])
                    continue;
                s->pair[k] = (shades_pair){(uint32_t)a, (uint32_t)b};
                /* A failed template is never compared. */
                s->score[k++] = a_ok && t->outcome[b] == SHADES_OUTCOME_OK
                                    ? shades_embedding_from_dot(e, row[b - j0], t->norm[b],
                                                                t->norm[a])
                                    : -INFINITY;
            }
            if (k) {
                shades_score_batch batch = {k, s->pair, s->score};
                int rc = r->sink(r->ctx, worker, &batch, err);
                if (rc)
                    return rc;
            }
        }
    }
    return 0;
}

static int blocks_replay(const shades_score_source *base, shades_score_sink sink, void *ctx,
                         shades_err *err)
{
    const shades_embedding_source *src = base->self;
    size_t B = src->block, nb = (src->n_items + B - 1) / B;
    unsigned nw = base->workers;
    block_replay r = {src, nb, calloc(nw, sizeof *r.scratch), sink, ctx};
    int rc = r.scratch ? 0 : shades_err_nomem(err);
    for (unsigned w = 0; !rc && w < nw; w++) {
        r.scratch[w].dot = malloc(B * B * sizeof(float));
        r.scratch[w].pair = malloc(B * sizeof(shades_pair));
        r.scratch[w].score = malloc(B * sizeof(double));
        if (!r.scratch[w].dot || !r.scratch[w].pair || !r.scratch[w].score)
            rc = shades_err_nomem(err);
    }
    /* The harness's threads split the work; BLAS inside each stays on one,
     * so the cores are not oversubscribed and every block is computed the
     * same way whatever the thread count. */
    openblas_set_num_threads(1);
    if (!rc)
        rc = shades_parallel_for_workers(nb * (nb + 1) / 2, 1, nw, score_task, &r, err);
    for (unsigned w = 0; r.scratch && w < nw; w++) {
        free(r.scratch[w].dot);
        free(r.scratch[w].pair);
        free(r.scratch[w].score);
    }
    free(r.scratch);
    return rc;
}

void shades_embedding_source_init(shades_embedding_source *out, const shades_embedding *e,
                                  const shades_templates *t, const uint32_t *subject,
                                  size_t n_items, uint64_t n_impostor, unsigned threads,
                                  size_t block)
{
    out->base = (shades_score_source){.n = n_impostor, .workers = threads ? threads : 1,
                                      .replay = blocks_replay, .self = out};
    out->embedding = e;
    out->t = t;
    out->subject = subject;
    out->n_items = n_items;
    out->block = block ? block : SHADES_EMBEDDING_BLOCK;
}
