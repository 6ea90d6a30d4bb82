/* What every benchmark shares: a clock, peak memory, and the closing
 * verdict line that says whether the figure met its target. */
#ifndef SH_BENCH_H
#define SH_BENCH_H

#include <stdio.h>
#include <sys/resource.h>
#include <time.h>

/* Seconds on a monotonic clock. */
static inline double bench_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* This process's peak resident memory so far, in MiB. */
static inline double bench_peak_mib(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_maxrss / 1024.0;
}

/* Prints the verdict line and returns the exit status: 0 met, 1 missed. */
static inline int bench_verdict(const char *name, int met, const char *target)
{
    printf("%s: %s (target: %s)\n", name, met ? "MET" : "MISSED", target);
    return met ? 0 : 1;
}

#endif
