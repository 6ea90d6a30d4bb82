/* The impostor stage of declared embeddings split across MPI ranks, as
 * `mpirun -n P shades run` splits it: every impostor pair of n templates
 * in 8 groups scored with BLAS block by block on each rank's share of the
 * block tasks (a sample's prediction, pass 1, pass 2 when the prediction
 * missed), each pass's counts merged across ranks. Run under mpirun by
 * bench/bench_ranks.py, which compares 1, 2 and 4 ranks and models larger
 * runs. Rank 0 prints one line per rank (wall, merge, bytes) and the
 * answer (thresholds and counts), which must not depend on the ranks.
 * "count" as the fourth argument skips the prediction, so pass 1 keeps only
 * counts and pass 2 the exact values (as a run too large for pass 1 to
 * keep them does): what the cost model scales up.
 * Usage: mpirun -n P bench_ranks [n] [d] [threads per rank] [predict|count] */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "bench_accum.h"
#include "bench_groups.h"
#include "bench_templates.h"
#include "embedding_blocks.h"
#include "ranks.h"

/* What each rank measured, gathered to rank 0. */
typedef struct rank_figures {
    double wall, merge, exchange; /* merge: exchange (in collectives, waiting
                                     included) and combining what came */
    uint64_t sent, received, collectives;
    char host[SH_RANKS_HOST_MAX];
} rank_figures;

int main(int argc, char **argv)
{
    size_t n = argc > 1 ? strtoul(argv[1], NULL, 10) : 8192;
    unsigned d = argc > 2 ? (unsigned)strtoul(argv[2], NULL, 10) : 512;
    unsigned threads = argc > 3 ? (unsigned)strtoul(argv[3], NULL, 10) : 1;
    int count_only = argc > 4 && !strcmp(argv[4], "count");
    unsigned per_subject = 4, n_groups = 8;
    sh_err err = {0};
    sh_ranks *ranks;
    if (sh_ranks_create(&ranks, &err)) {
        fprintf(stderr, "bench_ranks: %s\n", err.msg);
        return 2;
    }
    shades_embedding e = {sizeof e, SHADES_METRIC_COSINE, d, 8};
    sh_templates t;
    bench_templates(&t, n, &e);
    uint32_t *subject;
    int32_t *group;
    uint64_t pairs = bench_cohort(&subject, &group, n, per_subject, n_groups);
    sh_groups *g = bench_groups(group, n, n_groups);
    sh_executor *ex;
    if (sh_executor_create(&ex, threads, &err))
        return 2;
    sh_embedding_source src;
    sh_embedding_source_init(&src, &e, &t, subject, n, pairs, ex, 0);
    src.base.ranks = ranks;
    if (count_only)
        src.base.sample = NULL;
    bench_answer *ans = calloc(1 + n_groups, sizeof *ans);
    int one_pass = 0;
    /* Every rank starts together, so the wall times compare. */
    sh_ranks_agree(ranks, 0, &err);
    sh_ranks_traffic before = sh_ranks_traffic_of(ranks);
    double t0 = bench_now();
    if (bench_accumulate(ans, &one_pass, g, &src.base))
        sh_ranks_abort(ranks, 2);
    sh_ranks_traffic after = sh_ranks_traffic_of(ranks);
    rank_figures mine = {bench_now() - t0, after.merge_seconds - before.merge_seconds,
                         after.seconds - before.seconds,
                         after.bytes_sent - before.bytes_sent,
                         after.bytes_received - before.bytes_received,
                         after.collectives - before.collectives, ""};
    snprintf(mine.host, sizeof mine.host, "%s", sh_ranks_host(ranks));
    unsigned size = sh_ranks_size(ranks);
    void *all = NULL;
    if (sh_ranks_allgather(&all, NULL, ranks, 0, &mine, sizeof mine, &err))
        return 2;
    if (sh_ranks_rank(ranks) == 0) {
        /* What copying kept values into the merged windows costs a byte. */
        size_t big = (size_t)256 << 20;
        char *volatile from = malloc(big), *volatile to = malloc(big);
        memset(from, 1, big);
        memset(to, 2, big);
        double c0 = bench_now();
        memcpy(to, from, big);
        double copy = (double)big / (bench_now() - c0);
        printf("bench_ranks: ranks %u threads %u templates %zu dim %u pairs %llu passes %s "
               "copy %.0f\n",
               size, threads, n, d, (unsigned long long)pairs, one_pass ? "one" : "two",
               copy + (to[big / 2] == 3)); /* to[] read: the copy is not optimised away */
        free(from);
        free(to);
        const rank_figures *f = all;
        for (unsigned k = 0; k < size; k++)
            printf("bench_ranks: rank %u host %s wall %.4f merge %.4f exchange %.4f sent %llu "
                   "received %llu collectives %llu\n",
                   k, f[k].host, f[k].wall, f[k].merge, f[k].exchange,
                   (unsigned long long)f[k].sent,
                   (unsigned long long)f[k].received, (unsigned long long)f[k].collectives);
        printf("bench_ranks: answer");
        for (size_t k = 0; k <= n_groups; k++)
            for (size_t q = 0; q < BENCH_TARGETS; q++)
                printf(" %.9g/%llu", ans[k].threshold[q], (unsigned long long)ans[k].count[q]);
        printf("\n");
    }
    free(all);
    free(ans);
    bench_groups_free(g);
    bench_templates_free(&t);
    sh_executor_destroy(ex);
    free(subject);
    free(group);
    sh_ranks_destroy(ranks);
    return 0;
}
