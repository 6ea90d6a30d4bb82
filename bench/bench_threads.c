/* Thread scaling of template creation: a CPU-bound engine (busy.c, about
 * 2 ms a template) over a generated cohort, through the runner, on 1 and
 * then 2 threads; the reference is the 1-thread run. Target: at least 1.8
 * times faster on 2 threads of a 2-core machine.
 * Usage: bench_threads [subjects] [work] */
#include <stdlib.h>

#include "bench.h"
#include "bench_engine.h"
#include "runner.h"

static double time_templates(const sh_manifest *m, const char *options, unsigned threads)
{
    sh_instance *inst = bench_engine(options, threads, 0);
    sh_templates *t = NULL;
    sh_err err = {0};
    sh_executor *ex;
    if (sh_executor_create(&ex, threads, &err)) {
        fprintf(stderr, "%s\n", err.msg);
        exit(2);
    }
    double t0 = bench_now();
    if (sh_runner_templates(&t, inst, ex, NULL, m, NULL, NULL, NULL, &err)) {
        fprintf(stderr, "%s\n", err.msg);
        exit(2);
    }
    double secs = bench_now() - t0;
    sh_executor_destroy(ex);
    sh_templates_destroy(t);
    sh_instance_destroy(inst);
    return secs;
}

int main(int argc, char **argv)
{
    unsigned subjects = argc > 1 ? (unsigned)strtoul(argv[1], NULL, 10) : 200;
    const char *work = argc > 2 ? argv[2] : "work=60";
    sh_manifest *m = bench_cohort(subjects, 4);
    time_templates(m, work, 2); /* warm the page cache */
    double one = time_templates(m, work, 1);
    double two = time_templates(m, work, 2);
    printf("bench_threads: %zu templates, engine %s\n", m->n_items, work);
    printf("  1 thread: %.3f s (%.2f ms a template)\n", one, one / (double)m->n_items * 1e3);
    printf("  2 threads: %.3f s\n", two);
    printf("  speed-up: %.2f\n", one / two);
    sh_manifest_destroy(m);
    return bench_verdict("bench_threads", one / two >= 1.8, "speed-up >= 1.8 on 2 threads");
}
