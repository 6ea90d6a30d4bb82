/* Harness overhead per engine call, and what isolation costs end to end.
 * Per call: an engine whose compare does nothing, through the runner's
 * compare path (blocks of pairs as a run makes them, outcome checks, the
 * crash guard) in-process and isolated in a worker process, against
 * calling the adapter's compare directly in a loop. End to end: a whole
 * verification run (sh_run) of the synthetic engine, whose templates are
 * opaque and whose compare costs a few tens of nanoseconds, so its
 * impostor pairs dominate, in-process and --isolate on 2 threads.
 * Each figure is the median of RUNS runs, with their least and greatest.
 * Usage: bench_overhead [pairs] [subjects] */
#include <ftw.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "bench_engine.h"
#include "run.h"
#include "runner.h"
#include "worker.h"

/* Repeats of each figure. */
#define RUNS 5

/* A figure over RUNS runs: median, least, greatest. */
typedef struct spread {
    double median, lo, hi;
} spread;

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* The spread of v[0..RUNS), which it sorts. */
static spread spread_of(double *v)
{
    qsort(v, RUNS, sizeof *v, by_value);
    return (spread){v[RUNS / 2], v[0], v[RUNS - 1]};
}

/* Seconds per pair for the runner's compare over n pairs of m's items, on
 * the calling thread (no executor), in the runner's blocks: the cost of
 * one call, not a speed-up. */
static double per_call(sh_instance *inst, const sh_manifest *m, size_t n)
{
    sh_err err = {0};
    sh_templates *t = NULL;
    if (sh_runner_templates(&t, inst, NULL, NULL, m, NULL, NULL, NULL, &err)) {
        fprintf(stderr, "%s\n", err.msg);
        exit(2);
    }
    sh_pair *pairs = malloc(n * sizeof *pairs);
    double *scores = malloc(n * sizeof *scores);
    for (size_t k = 0; k < n; k++)
        pairs[k] = (sh_pair){(uint32_t)(k % m->n_items), (uint32_t)((k * 7 + 1) % m->n_items)};
    double t0 = bench_now();
    if (sh_runner_compare(scores, NULL, inst, NULL, NULL, 1, t, m, pairs, n, NULL, 0, NULL, &err)) {
        fprintf(stderr, "%s\n", err.msg);
        exit(2);
    }
    double secs = (bench_now() - t0) / (double)n;
    free(pairs);
    free(scores);
    sh_templates_destroy(t);
    return secs;
}

/* The spread over RUNS of per_call with `isolate`. */
static spread per_call_runs(const sh_manifest *m, size_t n, int isolate)
{
    sh_instance *inst = bench_engine("work=0", 1, isolate);
    double v[RUNS];
    for (int r = 0; r < RUNS; r++)
        v[r] = per_call(inst, m, n);
    sh_instance_destroy(inst);
    return spread_of(v);
}

static int remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    return remove(path);
}

/* Seconds for one whole run of config (no checkpoint, no report). */
static double one_run(const char *config, int isolate)
{
    sh_run_options o = {.threads = 2, .isolate = isolate, .no_checkpoint = 1};
    sh_err err = {0};
    double t0 = bench_now();
    if (sh_run(NULL, config, &o, &err) < 0) {
        fprintf(stderr, "%s\n", err.msg);
        exit(2);
    }
    return bench_now() - t0;
}

int main(int argc, char **argv)
{
    /* Isolated engines run in workers that are this program run again. */
    if (argc > 1 && strcmp(argv[1], "__worker") == 0)
        return sh_worker_main(argc - 2, argv + 2);
    size_t n = argc > 1 ? strtoul(argv[1], NULL, 10) : 2000000;
    unsigned subjects = argc > 2 ? (unsigned)strtoul(argv[2], NULL, 10) : 2000;
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
    sh_instance_destroy(inst);
    spread here = per_call_runs(m, n, 0), iso = per_call_runs(m, n, 1);
    sh_manifest_destroy(m);
    printf("bench_overhead: no-op compare, 1 thread, %zu pairs a run; median [least, greatest] "
           "of %d runs (checksum %.0f)\n", n, RUNS, sum);
    printf("  direct call of the adapter's compare: %.3f us a pair\n", direct * 1e6);
    printf("  through the runner, in-process: %.3f us a pair [%.3f, %.3f], %.3f us overhead\n",
           here.median * 1e6, here.lo * 1e6, here.hi * 1e6, (here.median - direct) * 1e6);
    printf("  through the runner, isolated (--isolate): %.3f us a pair [%.3f, %.3f], %.3f us "
           "overhead\n", iso.median * 1e6, iso.lo * 1e6, iso.hi * 1e6,
           (iso.median - direct) * 1e6);

    /* End to end: a cohort of 2 images a subject, all impostor pairs. */
    char dir[] = "/tmp/shades-bench-e2e-XXXXXX", cohort[64], config[64];
    if (!mkdtemp(dir))
        return 2;
    snprintf(cohort, sizeof cohort, "%s/cohort", dir);
    snprintf(config, sizeof config, "%s/run.yaml", dir);
    synth_cohort_spec spec = {subjects, 2, 1};
    sh_err err = {0};
    FILE *f = NULL;
    if (synth_cohort_write(cohort, &spec, &err) || !(f = fopen(config, "w"))) {
        fprintf(stderr, "%s\n", err.msg[0] ? err.msg : "cannot write the config");
        return 2;
    }
    fprintf(f, "run: {name: e2e, seed: 7, threads: 2, bootstrap: 100}\n"
               "dataset: {manifest: cohort/manifest.csv, card: cohort/card.yaml}\n"
               "engine: {adapter: %s}\n"
               "groups: {partitions: [sex]}\n"
               "verification: {target_fmr: [1e-3]}\n"
               "output: {results: e2e.h5}\n", SH_BENCH_SYNTHETIC);
    fclose(f);
    double images = 2.0 * subjects, impostors = images * (images - 1) / 2 - subjects;
    double vin[RUNS], viso[RUNS], ratio[RUNS];
    for (int r = 0; r < RUNS; r++) { /* alternated, so a load on the machine hits both */
        vin[r] = one_run(config, 0);
        viso[r] = one_run(config, 1);
        ratio[r] = viso[r] / vin[r];
    }
    nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
    spread ein = spread_of(vin), eiso = spread_of(viso), er = spread_of(ratio);
    printf("bench_overhead end to end: synthetic engine, %.0f images, %.0f impostor pairs, "
           "2 threads; median [least, greatest] of %d runs\n", images, impostors, RUNS);
    printf("  in-process: %.2f s [%.2f, %.2f], %.2f M impostor pairs/s\n", ein.median, ein.lo,
           ein.hi, impostors / ein.median / 1e6);
    printf("  isolated (--isolate): %.2f s [%.2f, %.2f], %.2f M impostor pairs/s\n",
           eiso.median, eiso.lo, eiso.hi, impostors / eiso.median / 1e6);
    printf("  ratio isolated to in-process: %.2f [%.2f, %.2f]\n", er.median, er.lo, er.hi);
    int met = iso.median - direct < 1e-6 && er.median <= 2.0;
    return bench_verdict("bench_overhead", met,
                         "isolated overhead under 1 us a pair, an isolated run within 2x");
}
