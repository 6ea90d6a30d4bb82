/* Impostor pairs scored from declared embeddings block by block
 * (harness/embedding_blocks.c): every pair of different subjects exactly
 * once, failed templates at -inf, each score close to the exact cosine and
 * the same bits whatever the thread count (sgemm's dot product in the tile
 * that holds the pair, times the norms); the sample: every pair with a
 * sampled item, those of two sampled items twice. */
#include <math.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "embedding_blocks.h"
#include "embedding_score.h"

enum { N = 203, D = 37, PER_SUBJECT = 3 };

/* Every pair's score by a * N + b (a < b); NaN where none came. */
typedef struct collected {
    double *score;
    size_t n, twice;
    pthread_mutex_t lock;
} collected;

static int collect(void *ctx, unsigned worker, const sh_score_batch *batch, sh_err *err)
{
    (void)worker;
    (void)err;
    collected *c = ctx;
    pthread_mutex_lock(&c->lock);
    /* Row batches: entry k is the pair of row and col0 + k, NaN where none. */
    size_t entries = batch->pair ? batch->n : batch->span, n = 0;
    for (size_t k = 0; k < entries; k++) {
        sh_pair q = sh_pair_of(batch->row, batch->col0 + (uint32_t)k);
        const sh_pair *p = batch->pair ? &batch->pair[k] : &q;
        if (!batch->pair && isnan(batch->score[k]))
            continue;
        assert_true(p->a < p->b);
        double *s = &c->score[(size_t)p->a * N + p->b];
        if (!isnan(*s)) { /* the sample, from either item's row */
            assert_true(*s == batch->score[k] || fabs(*s - batch->score[k]) < 1e-6);
            c->twice++;
        }
        *s = batch->score[k];
        c->n++;
        n++;
    }
    assert_int_equal(n, batch->n);
    pthread_mutex_unlock(&c->lock);
    return 0;
}

/* A fixture: N vectors, subjects of PER_SUBJECT items, two partitions. */
typedef struct fixture {
    shades_embedding e;
    sh_templates t;
    uint32_t subject[N];
} fixture;

static void fixture_make(fixture *f)
{
    memset(f, 0, sizeof *f);
    f->e = (shades_embedding){sizeof f->e, SHADES_METRIC_COSINE, D, 8};
    f->t.n = N;
    f->t.stride = 8 + 4 * D + 12;
    f->t.bytes = calloc(N, f->t.stride);
    f->t.outcome = calloc(N, sizeof *f->t.outcome);
    f->t.norm = calloc(N, sizeof *f->t.norm);
    uint64_t x = 12345;
    for (size_t i = 0; i < N; i++) {
        float *v = (float *)(void *)(f->t.bytes + i * f->t.stride + 8);
        for (size_t k = 0; k < D; k++) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            v[k] = (float)((double)(x >> 11) / 9007199254740992.0 - 0.5);
        }
        f->t.norm[i] = sh_embedding_norm(&f->e, v);
        f->t.outcome[i] = i % 17 == 5 ? SHADES_OUTCOME_FAILED : SHADES_OUTCOME_OK;
        f->subject[i] = (uint32_t)(i / PER_SUBJECT);
    }
}

static void fixture_free(fixture *f)
{
    free(f->t.bytes);
    free(f->t.outcome);
    free(f->t.norm);
}

static uint64_t impostor_pairs(const fixture *f)
{
    uint64_t n = 0;
    for (size_t a = 0; a < N; a++)
        for (size_t b = a + 1; b < N; b++)
            n += f->subject[a] != f->subject[b];
    return n;
}

/* Replays (every > 0: samples) f's source with these settings into c. */
static void run(collected *c, fixture *f, size_t block, unsigned threads, unsigned every)
{
    sh_executor *ex = NULL;
    sh_err err = {0};
    if (threads > 1)
        assert_int_equal(sh_executor_create(&ex, threads, &err), 0);
    sh_embedding_source src;
    sh_embedding_source_init(&src, &f->e, &f->t, f->subject, N, impostor_pairs(f), ex, block);
    c->score = malloc((size_t)N * N * sizeof *c->score);
    for (size_t i = 0; i < (size_t)N * N; i++)
        c->score[i] = NAN;
    c->n = c->twice = 0;
    pthread_mutex_init(&c->lock, NULL);
    int rc = every ? src.base.sample(&src.base, every, collect, c, &err)
                   : src.base.replay(&src.base, collect, c, &err);
    assert_int_equal(rc, 0);
    pthread_mutex_destroy(&c->lock);
    sh_executor_destroy(ex);
}

static void every_pair_once_same_bits_any_threads(void **state)
{
    (void)state;
    fixture f;
    fixture_make(&f);
    collected ref;
    run(&ref, &f, 16, 1, 0);
    assert_int_equal(ref.n, impostor_pairs(&f));
    assert_int_equal(ref.twice, 0);
    for (size_t a = 0; a < N; a++)
        for (size_t b = a + 1; b < N; b++) {
            double s = ref.score[a * N + b];
            if (f.subject[a] == f.subject[b]) {
                assert_true(isnan(s));
                continue;
            }
            if (f.t.outcome[a] != SHADES_OUTCOME_OK || f.t.outcome[b] != SHADES_OUTCOME_OK) {
                assert_true(s == -INFINITY);
                continue;
            }
            const float *u = sh_embedding_vector(&f.e, sh_templates_slot(&f.t, a));
            const float *v = sh_embedding_vector(&f.e, sh_templates_slot(&f.t, b));
            double dot = 0, nu = 0, nv = 0;
            for (size_t k = 0; k < D; k++) {
                dot += (double)u[k] * v[k];
                nu += (double)u[k] * u[k];
                nv += (double)v[k] * v[k];
            }
            assert_true(fabs(s - dot / sqrt(nu * nv)) < 1e-5);
        }
    /* Two and three threads: the same bits. */
    for (unsigned threads = 2; threads <= 3; threads++) {
        collected c;
        run(&c, &f, 16, threads, 0);
        assert_int_equal(c.n, ref.n);
        assert_memory_equal(c.score, ref.score, (size_t)N * N * sizeof *c.score);
        free(c.score);
    }
    /* The sample: every pair with a sampled item, those of two sampled
     * items twice (a sampled row's tile differs from the replay's, so its
     * bits may too: the sample only predicts). */
    collected smp;
    run(&smp, &f, 16, 2, 4);
    uint64_t want = 0, twice = 0;
    for (size_t a = 0; a < N; a++)
        for (size_t b = a + 1; b < N; b++) {
            int in = a % 4 == 0 || b % 4 == 0;
            int both = a % 4 == 0 && b % 4 == 0;
            if (f.subject[a] == f.subject[b] || !in) {
                assert_true(isnan(smp.score[a * N + b]));
                continue;
            }
            want += 1 + (uint64_t)both;
            twice += (uint64_t)both;
            double s = smp.score[a * N + b], r = ref.score[a * N + b];
            assert_true(s == r || fabs(s - r) < 1e-6);
        }
    assert_int_equal(smp.n, want);
    assert_int_equal(smp.twice, twice);
    free(smp.score);
    free(ref.score);
    fixture_free(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_pair_once_same_bits_any_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
