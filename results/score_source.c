#include "score_source.h"

#include "executor.h"

#define ARRAY_BATCH SH_ARRAY_SOURCE_BLOCK

typedef struct array_replay {
    const sh_array_source *src;
    sh_score_sink sink;
    void *ctx;
} array_replay;

static int array_block(void *ctx, unsigned worker, size_t begin, size_t end, sh_err *err)
{
    const array_replay *r = ctx;
    sh_score_batch b = {.n = end - begin, .pair = r->src->pairs + begin,
                      .score = r->src->scores + begin};
    return r->sink(r->ctx, worker, &b, err);
}

static int array_replay_all(const sh_score_source *src, sh_score_sink sink, void *ctx,
                            sh_err *err)
{
    const sh_array_source *a = src->self;
    array_replay r = {a, sink, ctx};
    return sh_ranks_for(src->ranks, src->executor, src->workers, (size_t)src->n, ARRAY_BATCH,
                        array_block, &r, err);
}

void sh_array_source_init(sh_array_source *out, const sh_pair *pairs,
                              const double *scores, size_t n, sh_executor *ex)
{
    out->base = (sh_score_source){.n = n,
                                  .workers = sh_executor_threads(ex),
                                  .executor = ex,
                                  .replay = array_replay_all,
                                  .self = out};
    out->pairs = pairs;
    out->scores = scores;
}
