/* 1:N search throughput of declared embeddings: 2,048 probes against a
 * gallery of 8,192 512-float templates, the 20 best candidates of each,
 * through the runner's search (blocks of probes scored with sgemm), as
 * comparisons per second, against BLAS's dots/s for the same shapes: one
 * warm cblas_sgemm of the probes against the gallery on the same threads,
 * and, for scale, one cblas_sgemv per probe as the search did before.
 * Target: at least 0.85 of sgemm's rate. Usage: bench_search [gallery]
 * [probes] [d] [runs] */
#include <cblas.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "bench_templates.h"
#include "embedding_score.h"
#include "runner.h"

int main(int argc, char **argv)
{
    size_t n_gallery = argc > 1 ? strtoul(argv[1], NULL, 10) : 8192;
    size_t n_probes = argc > 2 ? strtoul(argv[2], NULL, 10) : 2048;
    unsigned d = argc > 3 ? (unsigned)strtoul(argv[3], NULL, 10) : 512;
    unsigned runs = argc > 4 ? (unsigned)strtoul(argv[4], NULL, 10) : 3;
    unsigned threads = 2;
    size_t length = 20, n = n_gallery + n_probes;
    runs = runs ? runs : 1;
    sh_instance inst = {.has_embedding = 1, .threads = threads};
    inst.embedding = (shades_embedding){sizeof inst.embedding, SHADES_METRIC_COSINE, d, 8};
    strcpy(inst.id.name, "bench");
    sh_templates t;
    bench_templates(&t, n, &inst.embedding);
    uint32_t *gallery = malloc(n_gallery * sizeof *gallery);
    uint32_t *probes = malloc(n_probes * sizeof *probes);
    for (size_t i = 0; i < n; i++) {
        if (i < n_gallery)
            gallery[i] = (uint32_t)i;
        else
            probes[i - n_gallery] = (uint32_t)i;
    }
    const float *xv = (const float *)(void *)(t.bytes + 8);
    int ld = (int)(t.stride / 4);

    /* References, warm (output touched first), best of `runs`. */
    openblas_set_num_threads((int)threads);
    float *c = malloc(n_probes * n_gallery * sizeof *c);
    memset(c, 1, n_probes * n_gallery * sizeof *c); /* not 0: that may become calloc */
    double gemm = INFINITY, gemv = INFINITY;
    for (unsigned r = 0; r < runs; r++) {
        double t0 = bench_now();
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, (int)n_probes, (int)n_gallery,
                    (int)d, 1.0f, xv + n_gallery * (size_t)ld, ld, xv, ld, 0.0f, c,
                    (int)n_gallery);
        double t1 = bench_now();
        for (size_t q = 0; q < n_probes; q++)
            cblas_sgemv(CblasRowMajor, CblasNoTrans, (int)n_gallery, (int)d, 1.0f, xv, ld,
                        xv + (n_gallery + q) * (size_t)ld, 1, 0.0f, c + q * n_gallery, 1);
        double t2 = bench_now();
        gemm = fmin(gemm, t1 - t0);
        gemv = fmin(gemv, t2 - t1);
    }
    free(c);
    double dots = (double)n_probes * (double)n_gallery;

    sh_executor *ex;
    sh_err err = {0};
    if (sh_executor_create(&ex, threads, &err))
        return 2;
    double ours = INFINITY, worst = 0, top = 0;
    for (unsigned r = 0; r < runs; r++) {
        sh_candidates *cand = NULL;
        double t0 = bench_now();
        if (sh_runner_search(&cand, &inst, ex, NULL, &t, NULL, gallery, n_gallery, probes, n_probes,
                             length, 0, NULL, 0, NULL, &err)) {
            fprintf(stderr, "%s\n", err.msg);
            return 2;
        }
        double dt = bench_now() - t0;
        ours = fmin(ours, dt);
        worst = fmax(worst, dt);
        top = cand->score[0];
        sh_candidates_destroy(cand);
    }
    double rate = dots / ours;
    printf("bench_search: %zu probes against %zu templates of %u floats, %zu candidates each, "
           "%u threads, best of %u\n",
           n_probes, n_gallery, d, length, threads, runs);
    printf("  cblas_sgemm (%zu x %zu x %u): %.3f s, %.1f M dots/s\n", n_probes, n_gallery, d,
           gemm, dots / gemm * 1e-6);
    printf("  cblas_sgemv per probe (as before): %.3f s, %.1f M dots/s\n", gemv,
           dots / gemv * 1e-6);
    printf("  shades, searched: %.3f s (slowest %.3f), %.1f M comparisons/s; first probe's "
           "best %.6f\n",
           ours, worst, rate * 1e-6, top);
    printf("  ratio, comparisons/s to dots/s: %.3f to sgemm, %.3f to sgemv per probe\n",
           rate / (dots / gemm), rate / (dots / gemv));
    sh_executor_destroy(ex);
    bench_templates_free(&t);
    free(gallery);
    free(probes);
    return bench_verdict("bench_search", rate / (dots / gemm) >= 0.85,
                         "comparisons/s >= 0.85 x sgemm's dots/s");
}
