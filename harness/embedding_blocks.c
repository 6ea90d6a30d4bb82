#include "embedding_blocks.h"

#include <cblas.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "embedding_score.h"
#include "executor.h"

/* The bits of -inf and of a quiet NaN (IEEE 754 binary64). */
#define NEG_INF_BITS UINT64_C(0xfff0000000000000)
#define NAN_BITS UINT64_C(0x7ff8000000000000)

/* One worker's block of dot products and the row it hands over. */
typedef struct block_scratch {
    float *dot;          /* block x block */
    double *score;       /* block */
} block_scratch;

/* Scratch for nw workers, or NULL when out of memory. */
static block_scratch *scratch_create(unsigned nw, size_t B)
{
    block_scratch *s = calloc(nw, sizeof *s);
    for (unsigned w = 0; s && w < nw; w++) {
        s[w].dot = malloc(B * B * sizeof(float));
        s[w].score = malloc(B * sizeof(double));
        if (!s[w].dot || !s[w].score) {
            for (unsigned k = 0; k <= w; k++) {
                free(s[k].dot);
                free(s[k].score);
            }
            free(s);
            return NULL;
        }
    }
    return s;
}

static void scratch_destroy(block_scratch *s, unsigned nw)
{
    for (unsigned w = 0; s && w < nw; w++) {
        free(s[w].dot);
        free(s[w].score);
    }
    free(s);
}

/* Hands item a's scores against items [first, j1) (dot products in row,
 * from item j0) to sink as one row batch (score_source.h), NaN against a's
 * own subject. What is read of a is read once, and the metric chosen once
 * per row; cosine's loop has no branch, so the compiler can vectorise it. */
static int emit_row(const sh_embedding_source *src, block_scratch *s, unsigned worker,
                    uint32_t a, const float *row, size_t j0, size_t first, size_t j1,
                    sh_score_sink sink, void *ctx, sh_err *err)
{
    const sh_templates *t = src->t;
    const shades_embedding *e = src->embedding;
    const uint32_t *subject = src->subject;
    const int32_t *outcome = t->outcome;
    const float *norm = t->norm;
    uint32_t sa = subject[a];
    float na = norm[a];
    int a_ok = outcome[a] == SHADES_OUTCOME_OK;
    double *score = s->score;
    size_t span = j1 > first ? j1 - first : 0, none = 0;
    const float *dot = row + (first - j0);
    /* A failed template is never compared. The score is
     * sh_embedding_from_dot's, cosine's written out. */
    if (a_ok && e->metric == SHADES_METRIC_COSINE)
        for (size_t k = 0; k < span; k++) {
            /* -inf and NaN chosen by masks: GCC does not vectorise a
             * choice between doubles under -ftrapping-math. */
            size_t b = first + k;
            double v = (double)dot[k] * norm[b] * na;
            uint64_t u, failed = 0 - (uint64_t)(outcome[b] != SHADES_OUTCOME_OK),
                        own = 0 - (uint64_t)(subject[b] == sa);
            memcpy(&u, &v, sizeof u);
            u = (u & ~failed) | (NEG_INF_BITS & failed);
            u = (u & ~own) | (NAN_BITS & own);
            memcpy(&score[k], &u, sizeof u);
            none += subject[b] == sa;
        }
    else
        for (size_t k = 0; k < span; k++) {
            size_t b = first + k;
            int own = subject[b] == sa;
            none += (size_t)own;
            score[k] = own ? NAN
                       : !a_ok || outcome[b] != SHADES_OUTCOME_OK
                           ? -INFINITY
                           : sh_embedding_from_dot(e, dot[k], norm[b], na);
        }
    sh_score_batch batch = {span - none, NULL, score, span, a, (uint32_t)first};
    return batch.n ? sink(ctx, worker, &batch, err) : 0;
}

/* Scores mi rows (at rows, ld floats apart: item row_item[i], or item0 + i
 * when row_item is NULL) against items [j0, j1) with one sgemm, and hands
 * each row's pairs to sink; `upper` keeps only items after the row's. */
static int score_tile(const sh_embedding_source *src, block_scratch *s, unsigned worker,
                      const float *rows, int ld, const uint32_t *row_item, size_t item0, int mi,
                      size_t j0, size_t j1, int upper, sh_score_sink sink, void *ctx,
                      sh_err *err)
{
    const sh_templates *t = src->t;
    int d = (int)src->embedding->dimension, mj = (int)(j1 - j0);
    int ldx = (int)(t->stride / sizeof(float));
    const float *x = sh_embedding_vector(src->embedding, t->bytes);
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, mi, mj, d, 1.0f, rows, ld,
                x + j0 * (size_t)ldx, ldx, 0.0f, s->dot, mj);
    for (int i = 0; i < mi; i++) {
        uint32_t a = row_item ? row_item[i] : (uint32_t)(item0 + (size_t)i);
        int rc = emit_row(src, s, worker, a, s->dot + (size_t)i * (size_t)mj, j0,
                          upper && a + 1 > j0 ? a + 1 : j0, j1, sink, ctx, err);
        if (rc)
            return rc;
    }
    return 0;
}

typedef struct block_replay {
    const sh_embedding_source *src;
    size_t n_blocks;
    block_scratch *scratch;
    sh_score_sink sink;
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

static int score_task(void *ctx, unsigned worker, size_t begin, size_t end, sh_err *err)
{
    const block_replay *r = ctx;
    const sh_embedding_source *src = r->src;
    const sh_templates *t = src->t;
    size_t B = src->block, n = src->n_items;
    int ld = (int)(t->stride / sizeof(float));
    const float *x = sh_embedding_vector(src->embedding, t->bytes);
    for (size_t task = begin; task < end; task++) {
        size_t bi, bj;
        task_blocks(&bi, &bj, task, r->n_blocks);
        size_t i0 = bi * B, i1 = i0 + B < n ? i0 + B : n;
        size_t j0 = bj * B, j1 = j0 + B < n ? j0 + B : n;
        int rc = score_tile(src, &r->scratch[worker], worker, x + i0 * (size_t)ld, ld, NULL, i0,
                            (int)(i1 - i0), j0, j1, bi == bj, r->sink, r->ctx, err);
        if (rc)
            return rc;
    }
    return 0;
}

static int blocks_replay(const sh_score_source *base, sh_score_sink sink, void *ctx,
                         sh_err *err)
{
    const sh_embedding_source *src = base->self;
    size_t B = src->block, nb = (src->n_items + B - 1) / B;
    unsigned nw = base->workers;
    block_replay r = {src, nb, scratch_create(nw, B), sink, ctx};
    int rc = r.scratch ? 0 : sh_err_nomem(err);
    /* The harness's threads split the work; BLAS inside each stays on one,
     * so the cores are not oversubscribed and every block is computed the
     * same way whatever the thread count. */
    openblas_set_num_threads(1);
    if (!rc)
        rc = sh_ranks_for(base->ranks, base->executor, nw, nb * (nb + 1) / 2, 1, score_task, &r,
                          err);
    scratch_destroy(r.scratch, nw);
    return rc;
}

/* The sample: the sampled rows' vectors, packed, against every column
 * block. */
typedef struct sample_replay {
    const sh_embedding_source *src;
    float *rows;          /* n_rows x d */
    uint32_t *row_item;   /* the item of each packed row */
    size_t n_rows;
    block_scratch *scratch;
    sh_score_sink sink;
    void *ctx;
} sample_replay;

static int sample_task(void *ctx, unsigned worker, size_t begin, size_t end, sh_err *err)
{
    const sample_replay *r = ctx;
    const sh_embedding_source *src = r->src;
    size_t B = src->block, n = src->n_items;
    int d = (int)src->embedding->dimension;
    for (size_t task = begin; task < end; task++) {
        size_t j0 = task * B, j1 = j0 + B < n ? j0 + B : n;
        for (size_t r0 = 0; r0 < r->n_rows; r0 += B) {
            int mi = (int)(r0 + B < r->n_rows ? B : r->n_rows - r0);
            int rc = score_tile(src, &r->scratch[worker], worker, r->rows + r0 * (size_t)d, d,
                                r->row_item + r0, 0, mi, j0, j1, 0, r->sink, r->ctx, err);
            if (rc)
                return rc;
        }
    }
    return 0;
}

static int blocks_sample(const sh_score_source *base, unsigned every, sh_score_sink sink,
                         void *ctx, sh_err *err)
{
    const sh_embedding_source *src = base->self;
    const shades_embedding *e = src->embedding;
    size_t B = src->block, n = src->n_items, d = e->dimension;
    size_t nb = (n + B - 1) / B, n_rows = every ? (n + every - 1) / every : 0;
    unsigned nw = base->workers;
    sample_replay r = {src, malloc((n_rows ? n_rows : 1) * d * sizeof(float)),
                       malloc((n_rows ? n_rows : 1) * sizeof(uint32_t)), n_rows,
                       scratch_create(nw, B), sink, ctx};
    int rc = r.rows && r.row_item && r.scratch ? 0 : sh_err_nomem(err);
    for (size_t i = 0; !rc && i < n_rows; i++) {
        r.row_item[i] = (uint32_t)(i * every);
        memcpy(r.rows + i * d, sh_embedding_vector(e, sh_templates_slot(src->t, i * every)),
               d * sizeof(float));
    }
    openblas_set_num_threads(1);
    if (!rc && n_rows)
        rc = sh_ranks_for(base->ranks, base->executor, nw, nb, 1, sample_task, &r, err);
    scratch_destroy(r.scratch, nw);
    free(r.rows);
    free(r.row_item);
    return rc;
}

void sh_embedding_source_init(sh_embedding_source *out, const shades_embedding *e,
                                  const sh_templates *t, const uint32_t *subject,
                                  size_t n_items, uint64_t n_impostor, sh_executor *ex,
                                  size_t block)
{
    out->base = (sh_score_source){.n = n_impostor,
                                  .workers = sh_executor_threads(ex),
                                  .executor = ex,
                                  .replay = blocks_replay,
                                  .sample = blocks_sample,
                                  .self = out};
    out->embedding = e;
    out->t = t;
    out->subject = subject;
    out->n_items = n_items;
    out->block = block ? block : SH_EMBEDDING_BLOCK;
}
