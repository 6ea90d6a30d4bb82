/* A generated cohort and the benchmark engine (busy.c), for the
 * benchmarks that time the harness around engine calls. */
#ifndef SHADES_BENCH_ENGINE_H
#define SHADES_BENCH_ENGINE_H

#include <stdio.h>
#include <stdlib.h>

#include "cohort.h"
#include "instance.h"
#include "manifest.h"

/* Writes a code cohort under a new temporary directory and loads its
 * manifest; exits on failure. */
static inline shades_manifest *bench_cohort(unsigned subjects, unsigned images)
{
    static char dir[64] = "/tmp/shades-bench-XXXXXX";
    char cohort[128], manifest[160];
    shades_err err = {0};
    shades_manifest *m = NULL;
    synth_cohort_spec spec = {subjects, images, 1};
    if (!mkdtemp(dir))
        exit(2);
    snprintf(cohort, sizeof cohort, "%s/cohort", dir);
    snprintf(manifest, sizeof manifest, "%s/manifest.csv", cohort);
    if (synth_cohort_write(cohort, &spec, &err) || shades_manifest_load(&m, manifest, &err)) {
        fprintf(stderr, "%s\n", err.msg);
        exit(2);
    }
    return m;
}

/* The benchmark engine with `options`, allowed `threads` calls at once;
 * exits on failure. */
static inline shades_instance *bench_engine(const char *options, unsigned threads, int isolate)
{
    shades_err err = {0};
    shades_instance *inst = NULL;
    shades_instance_options o = {.spec = SHADES_BENCH_ENGINE, .options = options,
                                 .threads = threads, .isolate = isolate,
                                 .call_timeout_ms = 60000};
    if (shades_instance_create(&inst, &o, &err)) {
        fprintf(stderr, "%s\n", err.msg);
        exit(2);
    }
    return inst;
}

#endif
