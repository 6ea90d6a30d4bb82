/* 1:N searches of declared embeddings by the harness (runner_search.c,
 * blocks of probes scored with sgemm against gallery tiles, candidates kept
 * in candidate_pool.c): each list holds the best candidates by the exact
 * score of the metric (to float precision), best first, ties to the lower
 * gallery index, never a failed template; a failed probe finds nothing; the
 * lists are the same bits on 1 and 3 threads, in the default blocks (one
 * here) and in blocks of 16 probes. For cosine, dot and -L2, with lists
 * kept sorted (7) and buffered (70, 80), over a gallery of two tiles. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "embedding_score.h"
#include "runner.h"

enum { N_GALLERY = SH_SEARCH_TILE + 552, N_PROBES = 150, D = 40, L_MAX = 80 };

/* The exact score of items a and b by e's metric. */
static double exact(const sh_templates *t, const shades_embedding *e, size_t a, size_t b)
{
    const float *u = sh_embedding_vector(e, sh_templates_slot(t, a));
    const float *v = sh_embedding_vector(e, sh_templates_slot(t, b));
    double dot = 0, nu = 0, nv = 0, d2 = 0;
    for (size_t k = 0; k < D; k++) {
        dot += (double)u[k] * v[k];
        nu += (double)u[k] * u[k];
        nv += (double)v[k] * v[k];
        d2 += ((double)u[k] - v[k]) * ((double)u[k] - v[k]);
    }
    return e->metric == SHADES_METRIC_COSINE ? dot / sqrt(nu * nv)
           : e->metric == SHADES_METRIC_DOT  ? dot
                                             : -sqrt(d2);
}

static sh_candidates *search(sh_instance *inst, const sh_templates *t, const uint32_t *gallery,
                             const uint32_t *probes, unsigned threads, size_t block, size_t L)
{
    sh_executor *ex = NULL;
    sh_err err = {0};
    sh_candidates *c = NULL;
    if (threads > 1)
        assert_int_equal(sh_executor_create(&ex, threads, &err), 0);
    inst->threads = threads;
    assert_int_equal(sh_runner_search(&c, inst, ex, NULL, t, NULL, gallery, N_GALLERY, probes,
                                      N_PROBES, L, block, NULL, 0, NULL, &err),
                     0);
    sh_executor_destroy(ex);
    return c;
}

static void check_lists(int metric, size_t L)
{
    size_t n = N_GALLERY + N_PROBES;
    sh_instance inst = {.has_embedding = 1};
    inst.embedding = (shades_embedding){sizeof inst.embedding, metric, D, 8};
    sh_templates t = {.n = n, .stride = 8 + 4 * D + 4};
    t.bytes = calloc(n, t.stride);
    t.outcome = calloc(n, sizeof *t.outcome);
    t.norm = calloc(n, sizeof *t.norm);
    uint32_t *gallery = malloc(N_GALLERY * sizeof *gallery), probes[N_PROBES];
    assert_true(t.bytes && t.outcome && t.norm && gallery);
    uint64_t x = 777;
    for (size_t i = 0; i < n; i++) {
        float *v = (float *)(void *)(t.bytes + i * t.stride + 8);
        for (size_t k = 0; k < D; k++) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            v[k] = (float)((double)(x >> 11) / 9007199254740992.0 - 0.5);
        }
        /* Some duplicates, so that ties are met. */
        if (i >= 10 && i < 20)
            memcpy(v, t.bytes + (i - 10) * t.stride + 8, 4 * D);
        t.outcome[i] = i % 23 == 4 ? SHADES_OUTCOME_FAILED : SHADES_OUTCOME_OK;
    }
    /* Gallery in a shuffled item order; the probes after it. */
    for (size_t g = 0; g < N_GALLERY; g++)
        gallery[g] = (uint32_t)((g * 7) % N_GALLERY);
    for (size_t q = 0; q < N_PROBES; q++)
        probes[q] = (uint32_t)(N_GALLERY + q);
    /* A probe that is a gallery vector exactly, and its duplicate. */
    memcpy(t.bytes + (N_GALLERY + 1) * t.stride + 8, t.bytes + 3 * t.stride + 8, 4 * D);
    for (size_t i = 0; i < n; i++)
        t.norm[i] = sh_embedding_norm(&inst.embedding,
                                      (const float *)(void *)(t.bytes + i * t.stride + 8));

    for (size_t block = 0; block <= 16; block += 16) {
        sh_candidates *c = search(&inst, &t, gallery, probes, 1, block, L);
        for (size_t q = 0; q < N_PROBES; q++) {
            const double *s = c->score + q * L;
            const uint32_t *slot = c->slot + q * L;
            if (t.outcome[probes[q]] != SHADES_OUTCOME_OK) {
                for (size_t k = 0; k < L; k++)
                    assert_true(s[k] == -INFINITY && slot[k] == UINT32_MAX);
                continue;
            }
            for (size_t k = 0; k < L; k++) {
                assert_true(slot[k] < N_GALLERY);
                assert_int_equal(t.outcome[gallery[slot[k]]], SHADES_OUTCOME_OK);
                double want = exact(&t, &inst.embedding, probes[q], gallery[slot[k]]);
                /* -L2 is formed from the dot product, |a|^2 + |b|^2 - 2ab:
                 * float precision in the squared distance, which a
                 * near-duplicate's square root magnifies (docs/measures.md).
                 * Cosine and dot hold to 1e-6, as cosine did before -L2. */
                int l2 = metric == SHADES_METRIC_NEG_L2;
                double off = l2 ? fabs(s[k] * s[k] - want * want) : fabs(s[k] - want);
                if (!(off < (l2 ? 1e-5 : 1e-6)))
                    fail_msg("metric %d L %zu probe %zu rank %zu: %.9g, exact %.9g", metric, L, q,
                             k, s[k], want);
                if (k)
                    assert_true(s[k] < s[k - 1] || (s[k] == s[k - 1] && slot[k] > slot[k - 1]));
            }
            /* Nothing left out beats the last listed. */
            for (size_t g = 0; g < N_GALLERY; g++) {
                int listed = 0;
                for (size_t k = 0; k < L; k++)
                    listed |= slot[k] == g;
                if (!listed && t.outcome[gallery[g]] == SHADES_OUTCOME_OK)
                    assert_true(exact(&t, &inst.embedding, probes[q], gallery[g]) <
                                s[L - 1] + 1e-5);
            }
        }
        /* The probe equal to item 3 finds it and its duplicate, item 13, first
         * (equal scores, if sgemm gives both the same bits, in slot order: the
         * loop above checks that); a dot product need not be highest there. */
        const uint32_t *top = c->slot + 1 * L;
        if (metric != SHADES_METRIC_DOT) {
            assert_true(gallery[top[0]] == 3 || gallery[top[0]] == 13);
            assert_true(gallery[top[1]] == 3 || gallery[top[1]] == 13);
            assert_true(top[0] != top[1]);
        }
        sh_candidates *c3 = search(&inst, &t, gallery, probes, 3, block, L);
        assert_memory_equal(c3->score, c->score, N_PROBES * L * sizeof *c->score);
        assert_memory_equal(c3->slot, c->slot, N_PROBES * L * sizeof *c->slot);
        sh_candidates_destroy(c);
        sh_candidates_destroy(c3);
    }
    free(gallery);
    free(t.bytes);
    free(t.outcome);
    free(t.norm);
}

static void lists_are_the_best_by_cosine(void **state)
{
    (void)state;
    check_lists(SHADES_METRIC_COSINE, 7);
    check_lists(SHADES_METRIC_COSINE, L_MAX);
}

static void lists_are_the_best_by_dot_and_l2(void **state)
{
    (void)state;
    check_lists(SHADES_METRIC_DOT, 7);
    check_lists(SHADES_METRIC_NEG_L2, 70);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(lists_are_the_best_by_cosine),
        cmocka_unit_test(lists_are_the_best_by_dot_and_l2),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
