/* Scoring throughput of declared embeddings: every pair of 8,192
 * 512-float templates in 8 groups scored with BLAS block by block and fed
 * through the accumulators (a sample's prediction, pass 1, and pass 2 when
 * the prediction missed), against one bare cblas_sgemm of the
 * same matrix with itself (the scores alone, all of them stored). Target:
 * at least half the bare sgemm's speed. Usage: bench_scoring [n] [d] */
#include <cblas.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "bench.h"
#include "bench_accum.h"
#include "bench_groups.h"
#include "embedding_blocks.h"
#include "embedding_score.h"

int main(int argc, char **argv)
{
    size_t n = argc > 1 ? strtoul(argv[1], NULL, 10) : 8192;
    unsigned d = argc > 2 ? (unsigned)strtoul(argv[2], NULL, 10) : 512;
    unsigned threads = 2, per_subject = 4, n_groups = 8;
    shades_embedding e = {sizeof e, SHADES_METRIC_COSINE, d, 8};
    sh_templates t = {0};
    t.n = n;
    t.stride = 8 + 4 * (size_t)d + 8;
    t.bytes = aligned_alloc(64, n * t.stride);
    t.outcome = calloc(n, sizeof *t.outcome);
    t.norm = malloc(n * sizeof *t.norm);
    uint32_t *subject = malloc(n * sizeof *subject);
    int32_t *group = malloc(n * sizeof *group);
    uint64_t x = 88172645463325252u;
    for (size_t i = 0; i < n; i++) {
        float *v = (float *)(void *)(t.bytes + i * t.stride + 8);
        for (unsigned k = 0; k < d; k++) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            v[k] = (float)((double)(x >> 11) / 9007199254740992.0 - 0.5);
        }
        t.norm[i] = sh_embedding_norm(&e, v);
        subject[i] = (uint32_t)(i / per_subject);
        group[i] = (int32_t)(subject[i] % n_groups);
    }
    uint64_t pairs = (uint64_t)n * (n - 1) / 2 - (uint64_t)(n / per_subject) * per_subject *
                                                     (per_subject - 1) / 2;
    sh_groups *g = bench_groups(group, n, n_groups);

    /* Reference: the bare product, OpenBLAS on every thread. */
    openblas_set_num_threads((int)threads);
    float *c = malloc(n * n * sizeof *c);
    double t0 = bench_now();
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)n, (int)n, (int)d, 1.0f,
                (const float *)(void *)(t.bytes + 8), (int)(t.stride / 4),
                (const float *)(void *)(t.bytes + 8), (int)(t.stride / 4), 0.0f, c, (int)n);
    double ref = bench_now() - t0;
    free(c);

    sh_executor *ex;
    sh_err xerr = {0};
    if (sh_executor_create(&ex, threads, &xerr))
        return 2;
    sh_embedding_source src;
    sh_embedding_source_init(&src, &e, &t, subject, n, pairs, ex, 0);
    bench_answer *ans = calloc(1 + n_groups, sizeof *ans);
    t0 = bench_now();
    int one_pass = 0;
    int rc = bench_accumulate(ans, &one_pass, g, &src.base);
    double ours = bench_now() - t0;
    if (rc)
        return 2;
    double flops = 2.0 * (double)n * (double)n * d;
    printf("bench_scoring: %zu templates of %u floats, %llu impostor pairs in %u groups, "
           "%u threads\n",
           n, d, (unsigned long long)pairs, n_groups, threads);
    printf("  bare cblas_sgemm (%zu x %zu x %u): %.3f s (%.1f GFLOP/s)\n", n, n, d, ref,
           flops / ref * 1e-9);
    printf("  shades, scored and accumulated: %.3f s (%.1f M pairs/s), %s\n", ours,
           (double)pairs / ours * 1e-6,
           one_pass ? "one pass (the sample's predicted bins held every threshold)"
                    : "two passes (the prediction missed)");
    printf("  threshold at FMR 1e-3: %.9g (%llu false matches)\n", ans[0].threshold[1],
           (unsigned long long)ans[0].count[1]);
    printf("  ratio to bare sgemm: %.2f\n", ref / ours);
    free(ans);
    bench_groups_free(g);
    free(t.bytes);
    free(t.outcome);
    free(t.norm);
    sh_executor_destroy(ex);
    free(subject);
    free(group);
    return bench_verdict("bench_scoring", ref / ours >= 0.5, "ratio >= 0.5");
}
