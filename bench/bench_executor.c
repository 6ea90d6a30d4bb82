/* bench_executor [JOBS]: what a parallel stage costs to start. A run
 * submits many small jobs (a block of comparisons per checkpoint segment,
 * a bootstrap per partition, a search batch), each over 2 threads; the
 * executor keeps its threads, the reference starts and joins a thread per
 * job as the runner did before core/executor.c. Each job is two blocks of
 * a few hundred nanoseconds, so the figure is the start-up cost alone. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>

#include "bench.h"
#include "executor.h"

static atomic_ulong sink;

static int tiny_block(void *ctx, unsigned worker, size_t begin, size_t end, sh_err *err)
{
    (void)ctx;
    (void)worker;
    (void)err;
    unsigned long x = begin;
    for (size_t i = begin; i < end; i++)
        for (int k = 0; k < 64; k++)
            x = x * 6364136223846793005u + 1442695040888963407u;
    atomic_fetch_add(&sink, x & 1);
    return 0;
}

/* The reference: one new thread per job for the second block, joined. */
static void *second_block(void *arg)
{
    (void)arg;
    sh_err err = {0};
    tiny_block(NULL, 1, 1, 2, &err);
    return NULL;
}

int main(int argc, char **argv)
{
    long jobs = argc > 1 ? strtol(argv[1], NULL, 10) : 20000;
    sh_err err = {0};
    sh_executor *ex;
    if (sh_executor_create(&ex, 2, &err)) {
        fprintf(stderr, "bench_executor: %s\n", err.msg);
        return 2;
    }
    double t0 = bench_now();
    for (long j = 0; j < jobs; j++)
        if (sh_executor_for(ex, 0, 2, 1, tiny_block, NULL, &err))
            return 2;
    double pooled = bench_now() - t0;
    sh_executor_destroy(ex);

    t0 = bench_now();
    for (long j = 0; j < jobs; j++) {
        pthread_t t;
        if (pthread_create(&t, NULL, second_block, NULL))
            return 2;
        tiny_block(NULL, 0, 0, 1, &err);
        pthread_join(t, NULL);
    }
    double spawned = bench_now() - t0;

    double us_pooled = 1e6 * pooled / (double)jobs, us_spawned = 1e6 * spawned / (double)jobs;
    printf("bench_executor: %ld jobs of 2 blocks on 2 threads\n", jobs);
    printf("  executor (threads kept)      %8.2f us a job\n", us_pooled);
    printf("  a thread started per job     %8.2f us a job (reference)\n", us_spawned);
    printf("  ratio                        %8.2f x cheaper\n", us_spawned / us_pooled);
    return bench_verdict("bench_executor", us_pooled < us_spawned,
                         "a job starts faster than a thread per job");
}
