/* Harness overhead per engine call, with an engine whose compare does
 * nothing: the runner's compare path (pairs, templates, outcome checks,
 * the crash guard) in-process and isolated in a worker process, against
 * calling the adapter's compare directly in a loop.
 * Usage: bench_overhead [pairs] */
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "bench_engine.h"
#include "runner.h"
#include "worker.h"

/* Seconds per pair for the runner's compare over n pairs of m's items, on
 * the calling thread (no executor): the cost of one call, not a speed-up. */
static double per_call(sh_instance *inst, const sh_manifest *m, size_t n)
{
    sh_err err = {0};
    sh_templates *t = NULL;
    if (sh_runner_templates(&t, inst, NULL, m, NULL, NULL, NULL, &err)) {
        fprintf(stderr, "%s\n", err.msg);
        exit(2);
    }
    sh_pair *pairs = malloc(n * sizeof *pairs);
    double *scores = malloc(n * sizeof *scores);
    for (size_t k = 0; k < n; k++)
        pairs[k] = (sh_pair){(uint32_t)(k % m->n_items), (uint32_t)((k * 7 + 1) % m->n_items)};
    double t0 = bench_now();
    if (sh_runner_compare(scores, NULL, inst, NULL, t, m, pairs, n, NULL, 0, NULL, &err)) {
        fprintf(stderr, "%s\n", err.msg);
        exit(2);
    }
    double secs = (bench_now() - t0) / (double)n;
    free(pairs);
    free(scores);
    sh_templates_destroy(t);
    return secs;
}

int main(int argc, char **argv)
{
    /* Isolated engines run in workers that are this program run again. */
    if (argc > 1 && strcmp(argv[1], "__worker") == 0)
        return sh_worker_main(argc - 2, argv + 2);
    size_t n = argc > 1 ? strtoul(argv[1], NULL, 10) : 4000000;
    sh_manifest *m = bench_cohort(50, 2);
    sh_instance *inst = bench_engine("work=0", 1, 0);
    uint8_t a[8] = {0}, b[8] = {0};
    double s = 0, sum = 0;
    double t0 = bench_now();
    for (size_t k = 0; k < n; k++) {
        a[0] = (uint8_t)k;
        inst->plugin->entry->compare(&s, inst->engine, a, 8, b, 8);
        sum += s;
    }
    double direct = (bench_now() - t0) / (double)n;
    double here = per_call(inst, m, n);
    sh_instance_destroy(inst);
    sh_instance *iso = bench_engine("work=0", 1, 1);
    double isolated = per_call(iso, m, n / 20);
    sh_instance_destroy(iso);
    printf("bench_overhead: no-op compare, 1 thread (checksum %.0f)\n", sum);
    printf("  direct call of the adapter's compare: %.3f us\n", direct * 1e6);
    printf("  through the runner, in-process: %.3f us a call (%.2f us overhead)\n", here * 1e6,
           (here - direct) * 1e6);
    printf("  through the runner, isolated (--isolate): %.3f us a call\n", isolated * 1e6);
    printf("  ratio in-process to direct: %.1f\n", here / direct);
    sh_manifest_destroy(m);
    return bench_verdict("bench_overhead", here < 1e-6, "in-process under 1 us a call");
}
