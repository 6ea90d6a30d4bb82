#include "embedding_blocks.h"

#include <cblas.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "embedding_score.h"
#include "executor.h"

/* The items in the order the tiles walk them, and what a tile reads of
 * each, packed: built for one replay, read-only while it runs. */
typedef struct layout {
    uint32_t *item;   /* position -> item */
    float *x;         /* n x d: the vectors in that order */
    float *norm;      /* per position */
    uint32_t *subject; /* per position */
    uint8_t *ok;      /* per position: the template was made */
} layout;

static void layout_free(layout *l)
{
    free(l->item);
    free(l->x);
    free(l->norm);
    free(l->subject);
    free(l->ok);
}

static int cmp_u64(const void *x, const void *y)
{
    uint64_t p = *(const uint64_t *)x, q = *(const uint64_t *)y;
    return (p > q) - (p < q);
}

/* Lays out the n items in[] (ascending) by their groups, partition by
 * partition, then by number: a tile's pairs then fall in few cells of the
 * accumulators, whose histograms stay in cache. Returns 0 or -1. */
static int layout_make(layout *l, const sh_embedding_source *src, const uint32_t *in,
                       size_t n)
{
    const sh_templates *t = src->t;
    const shades_embedding *e = src->embedding;
    size_t d = e->dimension, m = n ? n : 1;
    uint64_t *key = malloc(m * sizeof *key);
    *l = (layout){malloc(m * sizeof *l->item), malloc(m * d * sizeof *l->x),
                  malloc(m * sizeof *l->norm), malloc(m * sizeof *l->subject), malloc(m)};
    if (!key || !l->item || !l->x || !l->norm || !l->subject || !l->ok) {
        free(key);
        layout_free(l);
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        uint64_t k = 0, radix = 1;
        const sh_groups *g = src->groups;
        for (size_t p = 0; g && p < g->n_partitions; p++) {
            uint64_t ng = g->partitions[p].n_groups;
            if (radix * ng > UINT32_MAX)
                break; /* the first partitions order enough */
            k = k * ng + (uint64_t)g->partitions[p].item_group[in[i]];
            radix *= ng;
        }
        key[i] = k << 32 | in[i];
    }
    qsort(key, n, sizeof *key, cmp_u64);
    for (size_t i = 0; i < n; i++) {
        uint32_t a = (uint32_t)key[i];
        l->item[i] = a;
        memcpy(l->x + i * d, sh_embedding_vector(e, sh_templates_slot(t, a)), d * sizeof(float));
        l->norm[i] = t->norm[a];
        l->subject[i] = src->subject[a];
        l->ok[i] = t->outcome[a] == SHADES_OUTCOME_OK;
    }
    free(key);
    return 0;
}

/* One worker's tile of dot products and the row it hands over. */
typedef struct block_scratch {
    float *dot;      /* block x block */
    sh_pair *pair;   /* block */
    double *score;   /* block */
} block_scratch;

static void scratch_destroy(block_scratch *s, unsigned nw)
{
    for (unsigned w = 0; s && w < nw; w++) {
        free(s[w].dot);
        free(s[w].pair);
        free(s[w].score);
    }
    free(s);
}

/* Scratch for nw workers, or NULL when out of memory. */
static block_scratch *scratch_create(unsigned nw, size_t B)
{
    block_scratch *s = calloc(nw, sizeof *s);
    for (unsigned w = 0; s && w < nw; w++) {
        s[w].dot = malloc(B * B * sizeof(float));
        s[w].pair = malloc(B * sizeof(sh_pair));
        s[w].score = malloc(B * sizeof(double));
        if (!s[w].dot || !s[w].pair || !s[w].score) {
            scratch_destroy(s, nw);
            return NULL;
        }
    }
    return s;
}

/* One replay or sample: rows (a layout of the items whose pairs are
 * scored) against the columns (a layout of every item). */
typedef struct block_replay {
    const sh_embedding_source *src;
    const layout *rows, *cols;
    size_t n_rows, n_row_blocks, n_col_blocks;
    int upper;   /* rows are cols: only the upper triangle of positions */
    block_scratch *scratch;
    sh_score_sink sink;
    void *ctx;
} block_replay;

/* Hands row position i's scores against column positions [first, j1)
 * (dot products in row, from position j0) to sink, skipping the row's own
 * subject. A pair's score is (dot * norm of its second item) * norm of its
 * first, whichever the row is, so it never depends on the layout. */
static int emit_row(const block_replay *r, block_scratch *s, unsigned worker, size_t i,
                    const float *row, size_t j0, size_t first, size_t j1, sh_err *err)
{
    const shades_embedding *e = r->src->embedding;
    const layout *R = r->rows, *C = r->cols;
    uint32_t a = R->item[i], subj = R->subject[i];
    int a_ok = R->ok[i];
    float na = R->norm[i];
    size_t k = 0;
    for (size_t q = first; q < j1; q++) {
        if (C->subject[q] == subj)
            continue;
        uint32_t b = C->item[q];
        int lo = a < b;
        s->pair[k] = lo ? (sh_pair){a, b} : (sh_pair){b, a};
        /* A failed template is never compared. */
        s->score[k++] = a_ok && C->ok[q]
                            ? sh_embedding_from_dot(e, row[q - j0], lo ? C->norm[q] : na,
                                                    lo ? na : C->norm[q])
                            : -INFINITY;
    }
    sh_score_batch batch = {k, s->pair, s->score};
    return k ? r->sink(r->ctx, worker, &batch, err) : 0;
}

/* The task'th tile (I, J): with `upper`, the block pairs I <= J row by
 * row; else every row block against every column block. */
static void task_tile(size_t *out_i, size_t *out_j, size_t task, const block_replay *r)
{
    if (!r->upper) {
        *out_i = task / r->n_col_blocks;
        *out_j = task % r->n_col_blocks;
        return;
    }
    size_t i = 0, row = r->n_col_blocks;
    while (task >= row) {
        task -= row;
        i++;
        row--;
    }
    *out_i = i;
    *out_j = i + task;
}

/* Scores tiles [begin, end): one sgemm each (BLAS on this thread alone),
 * then each row's pairs to the sink while the tile is in cache. */
static int score_task(void *ctx, unsigned worker, size_t begin, size_t end, sh_err *err)
{
    const block_replay *r = ctx;
    size_t B = r->src->block, n = r->n_rows, nc = r->src->n_items;
    int d = (int)r->src->embedding->dimension;
    block_scratch *s = &r->scratch[worker];
    for (size_t task = begin; task < end; task++) {
        size_t bi, bj;
        task_tile(&bi, &bj, task, r);
        size_t i0 = bi * B, i1 = i0 + B < n ? i0 + B : n;
        size_t j0 = bj * B, j1 = j0 + B < nc ? j0 + B : nc;
        int mi = (int)(i1 - i0), mj = (int)(j1 - j0);
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, mi, mj, d, 1.0f,
                    r->rows->x + i0 * (size_t)d, d, r->cols->x + j0 * (size_t)d, d, 0.0f,
                    s->dot, mj);
        for (size_t i = i0; i < i1; i++) {
            size_t first = r->upper && i + 1 > j0 ? i + 1 : j0;
            int rc = emit_row(r, s, worker, i, s->dot + (i - i0) * (size_t)mj, j0, first, j1,
                              err);
            if (rc)
                return rc;
        }
    }
    return 0;
}

/* Runs a replay of rows (NULL: the columns themselves, upper triangle). */
static int run_tiles(const sh_embedding_source *src, const layout *cols, const layout *rows,
                     size_t n_rows, sh_score_sink sink, void *ctx, sh_err *err)
{
    size_t B = src->block, nb = (src->n_items + B - 1) / B;
    unsigned nw = src->base.workers;
    block_replay r = {src, rows ? rows : cols, cols, rows ? n_rows : src->n_items,
                      0, nb, !rows, scratch_create(nw, B), sink, ctx};
    r.n_row_blocks = (r.n_rows + B - 1) / B;
    if (!r.scratch)
        return sh_err_nomem(err);
    /* The harness's threads split the tiles; BLAS inside each stays on one,
     * so the cores are not oversubscribed. Every dot product is sgemm's with
     * the same k, computed the same way whatever the tile or thread count. */
    openblas_set_num_threads(1);
    size_t tasks = rows ? r.n_row_blocks * nb : nb * (nb + 1) / 2;
    int rc = tasks ? sh_executor_for(src->base.executor, nw, tasks, 1, score_task, &r, err) : 0;
    scratch_destroy(r.scratch, nw);
    return rc;
}

/* Every item, ascending. */
static uint32_t *all_items(size_t n)
{
    uint32_t *in = malloc((n ? n : 1) * sizeof *in);
    for (size_t i = 0; in && i < n; i++)
        in[i] = (uint32_t)i;
    return in;
}

static int blocks_replay(const sh_score_source *base, sh_score_sink sink, void *ctx,
                         sh_err *err)
{
    const sh_embedding_source *src = base->self;
    layout cols;
    uint32_t *in = all_items(src->n_items);
    int rc = in && !layout_make(&cols, src, in, src->n_items) ? 0 : sh_err_nomem(err);
    free(in);
    if (rc)
        return rc;
    rc = run_tiles(src, &cols, NULL, 0, sink, ctx, err);
    layout_free(&cols);
    return rc;
}

static int blocks_sample(const sh_score_source *base, unsigned every, sh_score_sink sink,
                         void *ctx, sh_err *err)
{
    const sh_embedding_source *src = base->self;
    size_t n = src->n_items, n_rows = every ? (n + every - 1) / every : 0;
    if (!n_rows)
        return 0;
    layout cols, rows;
    uint32_t *in = all_items(n), *sampled = malloc(n_rows * sizeof *sampled);
    for (size_t i = 0; sampled && i < n_rows; i++)
        sampled[i] = (uint32_t)(i * every);
    int rc = in && sampled ? 0 : sh_err_nomem(err);
    if (!rc && layout_make(&cols, src, in, n))
        rc = sh_err_nomem(err);
    if (!rc && layout_make(&rows, src, sampled, n_rows)) {
        layout_free(&cols);
        rc = sh_err_nomem(err);
    }
    free(in);
    free(sampled);
    if (rc)
        return rc;
    rc = run_tiles(src, &cols, &rows, n_rows, sink, ctx, err);
    layout_free(&cols);
    layout_free(&rows);
    return rc;
}

void sh_embedding_source_init(sh_embedding_source *out, const shades_embedding *e,
                                  const sh_templates *t, const uint32_t *subject,
                                  const sh_groups *groups, size_t n_items,
                                  uint64_t n_impostor, sh_executor *ex, size_t block)
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
    out->groups = groups;
    out->n_items = n_items;
    out->block = block ? block : SH_EMBEDDING_BLOCK;
}
