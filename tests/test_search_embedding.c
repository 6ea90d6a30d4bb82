/* 1:N searches of declared embeddings by the harness (runner_search.c,
 * blocks of probes scored with sgemm): each list holds the best
 * candidates by the exact cosine (to float precision), best first, ties to
 * the lower gallery index, never a failed template; a failed probe finds
 * nothing; the lists are the same bits on 1 and 3 threads, in the default
 * blocks (one here) and in blocks of 16 probes. */
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

enum { N_GALLERY = 1100, N_PROBES = 150, D = 40, L = 7 };

/* The exact cosine of items a and b. */
static double cosine(const sh_templates *t, const shades_embedding *e, size_t a, size_t b)
{
    const float *u = sh_embedding_vector(e, sh_templates_slot(t, a));
    const float *v = sh_embedding_vector(e, sh_templates_slot(t, b));
    double dot = 0, nu = 0, nv = 0;
    for (size_t k = 0; k < D; k++) {
        dot += (double)u[k] * v[k];
        nu += (double)u[k] * u[k];
        nv += (double)v[k] * v[k];
    }
    return dot / sqrt(nu * nv);
}

static sh_candidates *search(sh_instance *inst, const sh_templates *t, const uint32_t *gallery,
                             const uint32_t *probes, unsigned threads, size_t block)
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

static void lists_are_the_best_by_cosine(void **state)
{
    (void)state;
    size_t n = N_GALLERY + N_PROBES;
    sh_instance inst = {.has_embedding = 1};
    inst.embedding = (shades_embedding){sizeof inst.embedding, SHADES_METRIC_COSINE, D, 8};
    sh_templates t = {.n = n, .stride = 8 + 4 * D + 4};
    t.bytes = calloc(n, t.stride);
    t.outcome = calloc(n, sizeof *t.outcome);
    t.norm = calloc(n, sizeof *t.norm);
    uint32_t gallery[N_GALLERY], probes[N_PROBES];
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
        t.norm[i] = sh_embedding_norm(&inst.embedding, v);
        t.outcome[i] = i % 23 == 4 ? SHADES_OUTCOME_FAILED : SHADES_OUTCOME_OK;
    }
    /* Gallery in a shuffled item order; the probes after it. */
    for (size_t g = 0; g < N_GALLERY; g++)
        gallery[g] = (uint32_t)((g * 7) % N_GALLERY);
    for (size_t q = 0; q < N_PROBES; q++)
        probes[q] = (uint32_t)(N_GALLERY + q);
    /* A probe that is a gallery vector exactly, and its duplicate. */
    memcpy(t.bytes + (N_GALLERY + 1) * t.stride + 8, t.bytes + 3 * t.stride + 8, 4 * D);
    t.norm[N_GALLERY + 1] = t.norm[3];

    for (size_t block = 0; block <= 16; block += 16) {
        sh_candidates *c = search(&inst, &t, gallery, probes, 1, block);
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
                assert_true(fabs(s[k] - cosine(&t, &inst.embedding, probes[q], gallery[slot[k]])) <
                            1e-6);
                if (k)
                    assert_true(s[k] < s[k - 1] || (s[k] == s[k - 1] && slot[k] > slot[k - 1]));
            }
            /* Nothing left out beats the last listed. */
            for (size_t g = 0; g < N_GALLERY; g++) {
                int listed = 0;
                for (size_t k = 0; k < L; k++)
                    listed |= slot[k] == g;
                if (!listed && t.outcome[gallery[g]] == SHADES_OUTCOME_OK)
                    assert_true(cosine(&t, &inst.embedding, probes[q], gallery[g]) <
                                s[L - 1] + 1e-6);
            }
        }
        /* The probe equal to item 3 finds it and its duplicate, item 13, first
         * (equal scores, if sgemm gives both the same bits, in slot order: the
         * loop above checks that). */
        const uint32_t *top = c->slot + 1 * L;
        assert_true(gallery[top[0]] == 3 || gallery[top[0]] == 13);
        assert_true(gallery[top[1]] == 3 || gallery[top[1]] == 13);
        assert_true(top[0] != top[1]);
        sh_candidates *c3 = search(&inst, &t, gallery, probes, 3, block);
        assert_memory_equal(c3->score, c->score, N_PROBES * L * sizeof *c->score);
        assert_memory_equal(c3->slot, c->slot, N_PROBES * L * sizeof *c->slot);
        sh_candidates_destroy(c);
        sh_candidates_destroy(c3);
    }
    free(t.bytes);
    free(t.outcome);
    free(t.norm);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(lists_are_the_best_by_cosine),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
