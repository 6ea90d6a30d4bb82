/* The impostor side of a 1:1 run's measures, as the benchmarks time it:
 * a sample's prediction of the bins to keep (where the source samples),
 * pass 1, the bins the thresholds need, pass 2 when pass 1 did not keep
 * them, then every target's global threshold and each group's own, with
 * the count at each. */
#ifndef SH_BENCH_ACCUM_H
#define SH_BENCH_ACCUM_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "impostor_stats.h"
#include "threshold.h"

#define BENCH_TARGETS 3
static const double bench_targets[BENCH_TARGETS] = {1e-4, 1e-3, 1e-2};

/* Thresholds and counts: [0] all, then group g at [1 + g], per target. */
typedef struct bench_answer {
    double threshold[BENCH_TARGETS];
    uint64_t count[BENCH_TARGETS];
} bench_answer;

/* Runs pass 1 over src and pass 2 unless pass 1 kept what the thresholds
 * need (*out_one_pass says which); fills out[1 + n_groups]. With
 * BENCH_MOMENTS=1 in the environment, pass 1 also keeps the exact sums of
 * verification.impostor_moments. Returns 0 or -1. */
static inline int bench_accumulate(bench_answer *out, int *out_one_pass, const sh_groups *g,
                                   const sh_score_source *src)
{
    sh_err err = {0};
    sh_impostors *imp = NULL, *smp = NULL;
    sh_score_window keep = {0};
    size_t ng = g->partitions[0].n_groups;
    uint32_t low;
    /* Where the source samples, the bins to keep in pass 1 are predicted,
     * as the measures do (verification_measures.c). */
    if (src->sample && sh_impostors_sample(&smp, g, src, 16, &err)) {
        fprintf(stderr, "%s\n", err.msg);
        return -1;
    }
    for (size_t k = 0; smp && k <= ng; k++)
        for (size_t t = 0; t < BENCH_TARGETS; t++)
            sh_hist_want_fmr_range(&keep, &low,
                                       sh_impostors_cell(smp, k ? 0 : SIZE_MAX, k - 1, k - 1),
                                       bench_targets[t]);
    sh_impostors_destroy(smp);
    const char *moments = getenv("BENCH_MOMENTS");
    if (sh_impostors_count(&imp, g, src, src->sample ? &keep : NULL, UINT32_MAX,
                           moments && !strcmp(moments, "1"), NULL,
                               &err)) {
        fprintf(stderr, "%s\n", err.msg);
        return -1;
    }
    for (size_t k = 0; k <= ng; k++)
        for (size_t t = 0; t < BENCH_TARGETS; t++)
            sh_hist_want_fmr(&imp->window,
                                 sh_impostors_cell(imp, k ? 0 : SIZE_MAX, k - 1, k - 1),
                                 bench_targets[t]);
    int settled = sh_impostors_settle(imp, UINT32_MAX, &err);
    *out_one_pass = settled == 1;
    if (settled < 0 || (!settled && sh_impostors_refine(imp, src, UINT32_MAX, NULL, &err))) {
        fprintf(stderr, "%s\n", err.msg);
        sh_impostors_destroy(imp);
        return -1;
    }
    for (size_t k = 0; k <= ng; k++) {
        const sh_score_hist *h = sh_impostors_cell(imp, k ? 0 : SIZE_MAX, k - 1, k - 1);
        for (size_t t = 0; t < BENCH_TARGETS; t++) {
            sh_hist_threshold_at_fmr(&out[k].threshold[t], h, &imp->window,
                                         bench_targets[t]);
            out[k].count[t] = sh_hist_count_ge(h, &imp->window, out[k].threshold[t]);
        }
    }
    sh_impostors_destroy(imp);
    return 0;
}

#endif
