#include "score_source.h"

#include "parallel.h"

/* Scores per batch: small enough to stay in cache, big enough to pay for the call. */
#define ARRAY_BATCH 4096

typedef struct array_replay {
    const shades_array_source *src;
    shades_score_sink sink;
    void *ctx;
} array_replay;

static int array_block(void *ctx, unsigned worker, size_t begin, size_t end, shades_err *err)
{
    const array_replay *r = ctx;
    shades_score_batch b = {end - begin, r->src->pairs + begin, r->src->scores + begin};
    return r->sink(r->ctx, worker, &b, err);
}

static int array_replay_all(const shades_score_source *src, shades_score_sink sink, void *ctx,
                            shades_err *err)
{
    const shades_array_source *a = src->self;
    array_replay r = {a, sink, ctx};
    return shades_parallel_for_workers((size_t)src->n, ARRAY_BATCH, src->workers, array_block, &r,
                                       err);
}

void shades_array_source_init(shades_array_source *out, const shades_pair *pairs,
                              const double *scores, size_t n, unsigned threads)
{
    out->base = (shades_score_source){
        .n = n, .workers = threads ? threads : 1, .replay = array_replay_all, .self = out};
    out->pairs = pairs;
    out->scores = scores;
}
