/* A generated cohort and the benchmark engine (busy.c), for the
 * benchmarks that time the harness around engine calls. */
#ifndef SH_BENCH_ENGINE_H
#define SH_BENCH_ENGINE_H

#include <stdio.h>
#include <stdlib.h>

#include "cohort.h"
#include "instance.h"
#include "manifest.h"

/* Writes a code cohort under a new temporary directory and loads its
 * manifest; exits on failure. */
static inline sh_manifest *bench_cohort(unsigned subjects, unsigned images)
{
    static char dir[64] = "/tmp/shades-bench-XXXXXX";
    char cohort[128], manifest[160];
    sh_err err = {0};
    sh_manifest *m = NULL;
    synth_cohort_spec spec = {subjects, images, 1};
    if (!mkdtemp(dir))
        exit(2);
    snprintf(cohort, sizeof cohort, "%s/cohort", dir);
    snprintf(manifest, sizeof manifest, "%s/manifest.csv", cohort);
    if (synth_cohort_write(cohort, &spec, &err) || sh_manifest_load(&m, manifest, &err)) {
        fprintf(stderr, "%s\n", err.msg);
        exit(2);
    }
    return m;
}

/* The benchmark engine with `options`, allowed `threads` calls at once;
 * exits on failure. */
static inline sh_instance *bench_engine(const char *options, unsigned threads, int isolate)
{
    sh_err err = {0};
    sh_instance *inst = NULL;
    sh_instance_options o = {.spec = SH_BENCH_ENGINE, .options = options,
                                 .threads = threads, .isolate = isolate,
                                 .call_timeout_ms = 60000};
    if (sh_instance_create(&inst, &o, &err)) {
        fprintf(stderr, "%s\n", err.msg);
        exit(2);
    }
    return inst;
}

#endif
