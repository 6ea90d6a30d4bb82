/* A partition of items into groups by item number, built by hand for the
 * benchmarks (a run builds it from a manifest and a config). */
#ifndef SH_BENCH_GROUPS_H
#define SH_BENCH_GROUPS_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "groups.h"

/* One partition "group" of n_groups groups; item i is in group
 * group_of[i]. Freed with bench_groups_free. */
static inline sh_groups *bench_groups(const int32_t *group_of, size_t n_items,
                                          size_t n_groups)
{
    sh_groups *g = calloc(1, sizeof *g);
    g->n_partitions = 1;
    g->partitions = calloc(1, sizeof *g->partitions);
    sh_partition *p = &g->partitions[0];
    p->name = strdup("group");
    p->n_groups = n_groups;
    p->reference = -1;
    p->group_names = calloc(n_groups, sizeof *p->group_names);
    for (size_t k = 0; k < n_groups; k++) {
        char name[16];
        snprintf(name, sizeof name, "g%zu", k);
        p->group_names[k] = strdup(name);
    }
    p->item_group = malloc(n_items * sizeof *p->item_group);
    memcpy(p->item_group, group_of, n_items * sizeof *group_of);
    return g;
}

/* The benchmarks' cohort of n items: subjects of per_subject consecutive
 * items (subject[i], n entries), subject s in group s % n_groups (group[i]);
 * both malloc'd, the caller frees them. Returns the impostor pairs. */
static inline uint64_t bench_cohort(uint32_t **out_subject, int32_t **out_group, size_t n,
                                    unsigned per_subject, unsigned n_groups)
{
    uint32_t *subject = *out_subject = malloc(n * sizeof *subject);
    int32_t *group = *out_group = malloc(n * sizeof *group);
    for (size_t i = 0; i < n; i++) {
        subject[i] = (uint32_t)(i / per_subject);
        group[i] = (int32_t)(subject[i] % n_groups);
    }
    return (uint64_t)n * (n - 1) / 2 -
           (uint64_t)(n / per_subject) * per_subject * (per_subject - 1) / 2;
}

static inline void bench_groups_free(sh_groups *g)
{
    sh_groups_destroy(g);
}

#endif
