/* Scoring throughput of declared embeddings: every impostor pair of 8,192
 * 512-float templates in 8 groups scored with BLAS block by block and fed
 * through the accumulators (a sample's prediction, pass 1, and pass 2 when
 * the prediction missed), as pairs per second, against BLAS's own rate of
 * dot products on the same matrix: cblas_ssyrk of its upper triangle and
 * cblas_sgemm of the whole product, both warm (their output already
 * touched) on the same threads. Target: pairs/s at least 0.85 of the
 * faster reference's dots/s. It also prints the floors of bench_floors.h.
 * Usage: bench_scoring [n] [d] [runs] */
#include <cblas.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "bench_accum.h"
#include "bench_floors.h"
#include "bench_groups.h"
#include "bench_templates.h"
#include "embedding_blocks.h"
#include "embedding_score.h"

int main(int argc, char **argv)
{
    size_t n = argc > 1 ? strtoul(argv[1], NULL, 10) : 8192;
    unsigned d = argc > 2 ? (unsigned)strtoul(argv[2], NULL, 10) : 512;
    unsigned runs = argc > 3 ? (unsigned)strtoul(argv[3], NULL, 10) : 3;
    unsigned threads = 2, per_subject = 4, n_groups = 8;
    runs = runs ? runs : 1;
    shades_embedding e = {sizeof e, SHADES_METRIC_COSINE, d, 8};
    sh_templates t;
    bench_templates(&t, n, &e);
    uint32_t *subject;
    int32_t *group;
    uint64_t pairs = bench_cohort(&subject, &group, n, per_subject, n_groups);
    sh_groups *g = bench_groups(group, n, n_groups);

    /* References: BLAS's rate of dot products on the same matrix, OpenBLAS
     * on every thread, its output touched first (the harness never writes a
     * whole score matrix, so page faults on one would flatter it); the best
     * of `runs` calls, so a disturbed call does not set the bar low. */
    openblas_set_num_threads((int)threads);
    const float *xv = (const float *)(void *)(t.bytes + 8);
    int ldx = (int)(t.stride / 4);
    float *c = malloc(n * n * sizeof *c);
    memset(c, 1, n * n * sizeof *c); /* not 0: malloc + memset(0) may become calloc */
    double gemm = INFINITY, syrk = INFINITY;
    for (unsigned r = 0; r < runs; r++) {
        double t0 = bench_now();
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)n, (int)n, (int)d, 1.0f, xv,
                    ldx, xv, ldx, 0.0f, c, (int)n);
        double t1 = bench_now();
        cblas_ssyrk(CblasRowMajor, CblasUpper, CblasNoTrans, (int)n, (int)d, 1.0f, xv, ldx,
                    0.0f, c, (int)n);
        double t2 = bench_now();
        gemm = fmin(gemm, t1 - t0);
        syrk = fmin(syrk, t2 - t1);
    }
    free(c);
    double gemm_dots = (double)n * (double)n / gemm;
    double syrk_dots = (double)n * (double)(n + 1) / 2 / syrk;
    double ref = fmax(gemm_dots, syrk_dots);

    sh_executor *ex;
    sh_err xerr = {0};
    if (sh_executor_create(&ex, threads, &xerr))
        return 2;
    sh_embedding_source src;
    sh_embedding_source_init(&src, &e, &t, subject, n, pairs, ex, 0);
    bench_answer *ans = calloc(1 + n_groups, sizeof *ans);
    double ours = INFINITY, worst = 0;
    int one_pass = 1;
    for (unsigned r = 0; r < runs; r++) {
        int one = 0;
        double t0 = bench_now();
        if (bench_accumulate(ans, &one, g, &src.base))
            return 2;
        double dt = bench_now() - t0;
        ours = fmin(ours, dt);
        worst = fmax(worst, dt);
        one_pass &= one;
    }
    double rate = (double)pairs / ours;
    /* The floors (bench_floors.h): what is left of the target before the
     * accumulators do anything. */
    uint64_t n_tiles, n_emitted, n_counted;
    double tiles = bench_floor_time(&n_tiles, &src, 0, runs);
    double emitted = bench_floor_emitted(&n_emitted, &src, runs);
    double counted = bench_floor_time(&n_counted, &src, 1, runs);
    if (n_emitted != pairs || n_counted != pairs) {
        fprintf(stderr, "bench_scoring: a floor saw %llu and %llu scores, not %llu\n",
                (unsigned long long)n_emitted, (unsigned long long)n_counted,
                (unsigned long long)pairs);
        return 2;
    }
    printf("bench_scoring: %zu templates of %u floats, %llu impostor pairs in %u groups, "
           "%u threads, best of %u\n",
           n, d, (unsigned long long)pairs, n_groups, threads, runs);
    printf("  cblas_ssyrk (upper %zu x %zu, k %u): %.3f s, %.1f M dots/s\n", n, n, d, syrk,
           syrk_dots * 1e-6);
    printf("  cblas_sgemm (%zu x %zu x %u): %.3f s, %.1f M dots/s (%.1f GFLOP/s)\n", n, n, d,
           gemm, gemm_dots * 1e-6, 2.0 * d * gemm_dots * 1e-9);
    printf("  shades, scored and accumulated: %.3f s (slowest %.3f), %.1f M pairs/s, %s\n",
           ours, worst, rate * 1e-6,
           one_pass ? "one pass (the sample's predicted bins held every threshold)"
                    : "two passes (the prediction missed)");
    printf("  threshold at FMR 1e-3: %.9g (%llu false matches)\n", ans[0].threshold[1],
           (unsigned long long)ans[0].count[1]);
    printf("  ratio, pairs/s to dots/s: %.3f to ssyrk, %.3f to sgemm\n", rate / syrk_dots,
           rate / gemm_dots);
    printf("  floors on the same tiles, as ratios to the faster reference:\n");
    printf("    sgemm tiles alone: %.3f s, %.3f\n", tiles, (double)pairs / tiles / ref);
    printf("    tiles, each row's scores handed to an empty sink: %.3f s, %.3f\n",
           emitted, (double)pairs / emitted / ref);
    printf("    tiles, each score counted once in one histogram: %.3f s, %.3f\n", counted,
           (double)pairs / counted / ref);
    free(ans);
    bench_groups_free(g);
    bench_templates_free(&t);
    sh_executor_destroy(ex);
    free(subject);
    free(group);
    return bench_verdict("bench_scoring", rate / ref >= 0.85,
                         "pairs/s >= 0.85 x the faster reference's dots/s");
}
