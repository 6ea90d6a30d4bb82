/* Measures over 10^8 impostor scores in 8 groups: the global threshold at
 * three target FMRs and each group's own, with the false-match count at
 * each, from the bounded-memory accumulators (two passes over the stored
 * scores) against sorting every group's scores and all of them, as the
 * usual tools do. Target: at least 10 times faster, and the same numbers.
 * Usage: bench_measures [n] */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "bench_accum.h"
#include "bench_groups.h"
#include "bench_rng.h"
#include "score_source.h"

/* The sort-based answer for one set of scores (sorted in place). */
static void by_sorting(bench_answer *out, double *s, size_t n)
{
    sh_scores_sort(s, n);
    for (size_t t = 0; t < BENCH_TARGETS; t++) {
        sh_threshold_at_fmr(&out->threshold[t], s, n, bench_targets[t]);
        out->count[t] = sh_count_ge(s, n, out->threshold[t]);
    }
}

int main(int argc, char **argv)
{
    size_t n = argc > 1 ? strtoul(argv[1], NULL, 10) : 100000000;
    enum { GROUPS = 8 };
    unsigned threads = 2;
    int32_t group_of[GROUPS];
    for (int g = 0; g < GROUPS; g++)
        group_of[g] = g;
    sh_groups *g = bench_groups(group_of, GROUPS, GROUPS);
    sh_pair *pairs = malloc(n * sizeof *pairs);
    double *scores = malloc(n * sizeof *scores);
    size_t per[GROUPS] = {0};
    for (size_t k = 0; k < n; k++) {
        uint32_t gr = (uint32_t)(bench_mix(~k) % GROUPS);
        pairs[k] = (sh_pair){gr, gr};
        scores[k] = bench_score(k, gr);
        per[gr]++;
    }

    bench_answer ours[1 + GROUPS], ref[1 + GROUPS];
    sh_executor *ex;
    sh_err xerr = {0};
    if (sh_executor_create(&ex, threads, &xerr))
        return 2;
    sh_array_source src;
    sh_array_source_init(&src, pairs, scores, n, ex);
    double t0 = bench_now();
    int one_pass;
    if (bench_accumulate(ours, &one_pass, g, &src.base))
        return 2;
    double t_ours = bench_now() - t0;

    /* Reference: copy, sort, read off; single-threaded as numpy's sort is. */
    t0 = bench_now();
    double *copy = malloc(n * sizeof *copy);
    memcpy(copy, scores, n * sizeof *copy);
    by_sorting(&ref[0], copy, n);
    for (int gr = 0; gr < GROUPS; gr++) {
        size_t m = 0;
        for (size_t k = 0; k < n; k++)
            if (pairs[k].a == (uint32_t)gr)
                copy[m++] = scores[k];
        by_sorting(&ref[1 + gr], copy, m);
    }
    double t_ref = bench_now() - t0;
    free(copy);

    int same = memcmp(ours, ref, sizeof ours) == 0;
    printf("bench_measures: %zu impostor scores in %d groups (%zu to %zu each), %u threads\n", n,
           GROUPS, per[0], per[GROUPS - 1], threads);
    printf("  sorting (qsort, all scores and each group's): %.2f s\n", t_ref);
    printf("  shades accumulators, two passes: %.2f s\n", t_ours);
    for (size_t t = 0; t < BENCH_TARGETS; t++)
        printf("  FMR %g: threshold %.17g, %llu false matches; sorting: %.17g, %llu\n",
               bench_targets[t], ours[0].threshold[t], (unsigned long long)ours[0].count[t],
               ref[0].threshold[t], (unsigned long long)ref[0].count[t]);
    printf("  every group's thresholds and counts %s sorting's\n", same ? "equal" : "DIFFER from");
    printf("  speed-up over sorting: %.1f\n", t_ref / t_ours);
    sh_executor_destroy(ex);
    free(pairs);
    free(scores);
    bench_groups_free(g);
    return bench_verdict("bench_measures", same && t_ref / t_ours >= 10,
                         "speed-up >= 10, same numbers");
}
