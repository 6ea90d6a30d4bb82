/* Peak memory for 10^9 impostor scores streamed through the accumulators
 * of 8 groups, two passes, never stored: the scores are computed again on
 * each pass, as declared embeddings are. The reference is what storing
 * them as doubles would take. Target: peak resident memory under 256 MiB.
 * Usage: bench_memory [n] */
#include <stdint.h>
#include <stdlib.h>

#include "bench.h"
#include "bench_accum.h"
#include "bench_groups.h"
#include "bench_rng.h"
#include "executor.h"

#define CHUNK 4096

typedef struct stream {
    sh_score_source base;
} stream;

typedef struct stream_job {
    sh_score_sink sink;
    void *ctx;
    uint64_t n;
} stream_job;

static int stream_block(void *ctx, unsigned worker, size_t begin, size_t end, sh_err *err)
{
    const stream_job *j = ctx;
    sh_pair pair[CHUNK];
    double score[CHUNK];
    for (size_t c = begin; c < end; c++) {
        uint64_t k0 = (uint64_t)c * CHUNK;
        size_t m = 0;
        for (uint64_t k = k0; k < k0 + CHUNK && k < j->n; k++, m++) {
            uint32_t g = (uint32_t)(bench_mix(~k) % 8);
            pair[m] = (sh_pair){g, g};
            score[m] = bench_score(k, g);
        }
        sh_score_batch b = {.n = m, .pair = pair, .score = score};
        int rc = j->sink(j->ctx, worker, &b, err);
        if (rc)
            return rc;
    }
    return 0;
}

static int stream_replay(const sh_score_source *src, sh_score_sink sink, void *ctx,
                         sh_err *err)
{
    stream_job j = {sink, ctx, src->n};
    return sh_executor_for(src->executor, src->workers, (size_t)((src->n + CHUNK - 1) / CHUNK),
                           16, stream_block, &j, err);
}

int main(int argc, char **argv)
{
    uint64_t n = argc > 1 ? strtoull(argv[1], NULL, 10) : 1000000000u;
    int32_t group_of[8] = {0, 1, 2, 3, 4, 5, 6, 7};
    sh_groups *g = bench_groups(group_of, 8, 8);
    sh_executor *ex;
    sh_err xerr = {0};
    if (sh_executor_create(&ex, 2, &xerr))
        return 2;
    stream s = {{.n = n, .workers = 2, .executor = ex, .replay = stream_replay}};
    s.base.self = &s;
    double before = bench_peak_mib();
    bench_answer ans[9];
    double t0 = bench_now();
    int one_pass;
    if (bench_accumulate(ans, &one_pass, g, &s.base))
        return 2;
    double secs = bench_now() - t0, peak = bench_peak_mib();
    double stored = (double)n * sizeof(double) / (1024.0 * 1024.0);
    printf("bench_memory: %llu impostor scores in 8 groups, 2 threads, two passes in %.1f s\n",
           (unsigned long long)n, secs);
    printf("  peak resident memory: %.1f MiB (%.1f MiB before the run)\n", peak, before);
    printf("  storing the scores as doubles would take: %.0f MiB\n", stored);
    printf("  threshold at FMR 1e-4: %.17g (%llu false matches)\n", ans[0].threshold[0],
           (unsigned long long)ans[0].count[0]);
    printf("  ratio of peak to stored: %.4f\n", peak / stored);
    sh_executor_destroy(ex);
    bench_groups_free(g);
    return bench_verdict("bench_memory", peak < 256, "peak < 256 MiB");
}
