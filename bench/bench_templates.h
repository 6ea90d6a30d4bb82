/* Declared-embedding templates for the benchmarks: random vectors in the
 * layout the runner keeps (8 bytes, d floats, 8 bytes), the same numbers on
 * every run, with their norms. */
#ifndef SH_BENCH_TEMPLATES_H
#define SH_BENCH_TEMPLATES_H

#include <stdint.h>
#include <stdlib.h>

#include "embedding_score.h"
#include "runner.h"

/* Fills t with n templates of e's dimension, components uniform in
 * [-0.5, 0.5) from a fixed xorshift stream. Freed with bench_templates_free. */
static inline void bench_templates(sh_templates *t, size_t n, const shades_embedding *e)
{
    *t = (sh_templates){0};
    t->n = n;
    t->stride = 8 + 4 * (size_t)e->dimension + 8;
    t->bytes = aligned_alloc(64, n * t->stride);
    t->outcome = calloc(n, sizeof *t->outcome);
    t->norm = malloc(n * sizeof *t->norm);
    uint64_t x = 88172645463325252u;
    for (size_t i = 0; i < n; i++) {
        float *v = (float *)(void *)(t->bytes + i * t->stride + 8);
        for (unsigned k = 0; k < e->dimension; k++) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            v[k] = (float)((double)(x >> 11) / 9007199254740992.0 - 0.5);
        }
        t->norm[i] = sh_embedding_norm(e, v);
    }
}

static inline void bench_templates_free(sh_templates *t)
{
    free(t->bytes);
    free(t->outcome);
    free(t->norm);
}

#endif
