/* Candidate lists (harness/candidates.c) and the pool a search fills
 * (harness/candidate_pool.c): inserts keep the best first, ties to the
 * lower gallery index, never a NaN; a pool, cut back as it fills, lists
 * what inserting every score lists; the float test of a probe's cosine row
 * never drops a score that belongs, so the row's list is the same bits as
 * inserting every score, however close the scores come to the
 * list's last (within a few ulps, equal, signed, subnormal, huge, or with
 * norm terms of 0, inf or NaN, products on a midpoint between floats), and
 * whether the guess a row's first call is tried against holds or not. */
#include <float.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "candidate_pool.h"
#include "candidates.h"

static uint64_t rng = 88172645463325252u;

static uint64_t next(void)
{
    rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
    return rng;
}

/* A float of random sign, significand and exponent in [lo, hi]. */
static float any_float(int lo, int hi)
{
    float m = 1.0f + (float)(next() % (1u << 23)) / 8388608.0f;
    float f = ldexpf(m, lo + (int)(next() % (uint64_t)(hi - lo + 1)));
    return next() & 1 ? -f : f;
}

/* A norm-like term of two or three significant bits (3, 5 or 7 x 2^e): times
 * a float of 24, its product has 25 or more, so it is often a midpoint
 * between two floats, where rounding is closest to going either way. */
static float short_float(int lo, int hi)
{
    return ldexpf((float)(3 + 2 * (next() % 3)), lo + (int)(next() % (uint64_t)(hi - lo + 1)));
}

/* f moved by up to `ulps` units in the last place either way. */
static float nudge(float f, unsigned ulps)
{
    int k = (int)(next() % (2 * ulps + 1)) - (int)ulps;
    for (; k > 0; k--)
        f = nextafterf(f, INFINITY);
    for (; k < 0; k++)
        f = nextafterf(f, -INFINITY);
    return f;
}

static void inserts_keep_the_best_first(void **state)
{
    (void)state;
    sh_candidates *c = sh_candidates_create(1, 4);
    assert_non_null(c);
    for (size_t k = 0; k < 4; k++)
        assert_true(c->score[k] == -INFINITY && c->slot[k] == UINT32_MAX);
    const double s[] = {0.5, NAN, 0.7, 0.5, 0.9, -1, 0.5, 0.7};
    const uint32_t g[] = {9, 1, 4, 3, 8, 0, 2, 5};
    for (size_t k = 0; k < 8; k++)
        sh_candidates_insert(c->score, c->slot, 4, s[k], g[k]);
    const double want_s[] = {0.9, 0.7, 0.7, 0.5};
    const uint32_t want_g[] = {8, 4, 5, 2};
    for (size_t k = 0; k < 4; k++) {
        assert_true(c->score[k] == want_s[k]);
        assert_int_equal(c->slot[k], want_g[k]);
    }
    sh_candidates_destroy(c);
    sh_candidates_destroy(NULL);
}

static void bound_passes_every_score_that_belongs(void **state)
{
    (void)state;
    const float pns[] = {0x1p-140f, 1e-30f, 1e-3f, 0.0625f, 1.0f, 3e4f, 1e30f, FLT_MAX};
    for (long i = 0; i < 2000000; i++) {
        float dot = any_float(-130, 127);
        float gn = i % 2 ? any_float(-130, 127) : short_float(-130, 120);
        float pn = i % 3 ? fabsf(any_float(-140, 127)) : pns[next() % 8];
        double s = dot * (double)gn * pn;
        if (!isfinite(s))
            continue;
        /* last at s, just below it, and a few steps below */
        double last = s;
        for (unsigned k = (unsigned)(next() % 4); k > 0; k--)
            last = nextafter(last, -INFINITY);
        /* Rounded to float, and exact as x87 keeps it (its float
         * arithmetic ignores the row's cast) */
        float p = (float)(dot * gn);
        double pd = dot * (double)gn;
        float b = sh_candidates_cosine_bound(last, pn);
        if (!(p >= b) || !(pd >= b))
            fail_msg("dot %a gn %a pn %a: score %a >= last %a, but %a < bound %a", dot, gn, pn,
                     s, last, p >= b ? pd : (double)p, b);
    }
    /* x87's case: the bound rounded to nearest was above the exact product */
    assert_true(0x1.000002p+0 * (double)0x1.fffffcp-1f >=
                sh_candidates_cosine_bound(0x1.fffffffffffp-1, 1.0f));
    /* No test where one could not be made. */
    assert_true(sh_candidates_cosine_bound(-INFINITY, 1.0f) == -INFINITY);
    assert_true(sh_candidates_cosine_bound(INFINITY, 1.0f) == -INFINITY);
    assert_true(sh_candidates_cosine_bound(NAN, 1.0f) == -INFINITY);
    assert_true(sh_candidates_cosine_bound(0.5, 0.0f) == -INFINITY);
    assert_true(sh_candidates_cosine_bound(0.5, -1.0f) == -INFINITY);
    assert_true(sh_candidates_cosine_bound(0.5, INFINITY) == -INFINITY);
    assert_true(sh_candidates_cosine_bound(0.5, NAN) == -INFINITY);
    /* Out of float's range: FLT_MAX above, -inf below. */
    assert_true(sh_candidates_cosine_bound(1e300, 1.0f) == FLT_MAX);
    assert_true(sh_candidates_cosine_bound(-1e300, 1.0f) == -INFINITY);
    assert_true(sh_candidates_cosine_bound(1e300, 0x1p-149f) == FLT_MAX); /* last / pn is inf */
    assert_true(sh_candidates_cosine_bound(-1e300, 0x1p-149f) == -INFINITY);
    assert_true(sh_candidates_cosine_bound(4e38, 1.0f) == FLT_MAX);
    /* And a test that does reject: far below 0.5 is below the bound. */
    assert_true(0.4f < sh_candidates_cosine_bound(0.5, 1.0f));
}

enum { MAX_L = 72, MAX_N = 400 };

static void rows_list_what_every_insert_lists(void **state)
{
    (void)state;
    const float pns[] = {0.0f, INFINITY, NAN, 0x1p-140f, 1e-20f, 0.03f, 1.0f, 7e25f};
    float dot[MAX_N], gn[MAX_N];
    uint32_t ok[MAX_N];
    for (long trial = 0; trial < 200000; trial++) {
        /* Short lists, kept sorted in a pool, and some past 64, buffered
         * and cut back (candidate_pool.c), with longer rows. */
        int buffered = trial % 8 == 0;
        size_t L = buffered ? 65 + next() % 8 : 1 + next() % 8;
        size_t n = 1 + next() % (buffered ? MAX_N : 80);
        float pn = trial % 5 ? fabsf(any_float(-60, 60)) : pns[next() % 8];
        /* A cluster of scores within a few ulps of each other, some equal,
         * some of the other sign, zero, or of a norm term inf or NaN. */
        float d0 = any_float(-40, 40);
        float g0 = trial % 3 ? short_float(-40, 40) : fabsf(any_float(-40, 40));
        for (size_t k = 0; k < n; k++) {
            uint64_t r = next() % 64;
            dot[k] = r < 4 ? 0.0f : r < 6 ? -d0 : nudge(d0, 3);
            gn[k] = r == 7 ? INFINITY : r == 8 ? NAN : r < 20 ? g0 : nudge(g0, 3);
            ok[k] = (uint32_t)k;
        }
        /* Gallery indices in a random order, each once, as a search offers
         * them (two entries of one index, 0 and -0, rank equal and either
         * may be listed). */
        for (size_t k = n; k > 1; k--) {
            size_t j = next() % k;
            uint32_t t = ok[k - 1];
            ok[k - 1] = ok[j];
            ok[j] = t;
        }
        double want_s[MAX_L], got_s[MAX_L];
        uint32_t want_g[MAX_L], got_g[MAX_L];
        for (size_t k = 0; k < L; k++) {
            want_s[k] = -INFINITY;
            want_g[k] = UINT32_MAX;
        }
        sh_candidate_pool *pool = sh_candidate_pool_create(2, L);
        assert_non_null(pool);
        /* Half the lists start with some of the scores, so that the last
         * lies inside the cluster from the first run. */
        for (size_t k = 0; trial % 2 && k < n; k += 1 + next() % 4) {
            double s = dot[k] * (double)gn[k] * pn;
            sh_candidates_insert(want_s, want_g, L, s, ok[k] + 1000);
            sh_candidate_pool_add(pool, 1, s, ok[k] + 1000);
        }
        for (size_t k = 0; k < n; k++)
            sh_candidates_insert(want_s, want_g, L, dot[k] * (double)gn[k] * pn, ok[k]);
        /* The row in pieces, as the search's tiles hand it over: a buffer
         * cut back between pieces and within them. */
        for (size_t k0 = 0, m; k0 < n; k0 += m) {
            m = 1 + next() % (n - k0);
            sh_candidate_pool_cosine_row(pool, 1, dot + k0, gn + k0, pn, ok + k0, m);
        }
        sh_candidate_pool_take(got_s, got_g, pool, 1);
        sh_candidate_pool_destroy(pool);
        if (memcmp(want_s, got_s, L * sizeof *got_s) || memcmp(want_g, got_g, L * sizeof *got_g))
            fail_msg("trial %ld (L %zu, %zu scores, pn %a): the row's list differs", trial, L,
                     n, pn);
    }
}

/* A pool lists what inserting every score lists, through many cut-backs:
 * long rows of scores with ties, equal entries, NaN and infinities. */
static void pools_list_what_every_insert_lists(void **state)
{
    (void)state;
    enum { L_MAX = 200, N_MAX = 1500 };
    double want_s[L_MAX], got_s[L_MAX];
    uint32_t want_g[L_MAX], got_g[L_MAX];
    for (long trial = 0; trial < 6000; trial++) {
        size_t L = 1 + next() % L_MAX, n = next() % N_MAX, rows = 1 + next() % 3;
        size_t row = next() % rows;
        sh_candidate_pool *pool = sh_candidate_pool_create(rows, L);
        assert_non_null(pool);
        for (size_t k = 0; k < L; k++) {
            want_s[k] = -INFINITY;
            want_g[k] = UINT32_MAX;
        }
        /* A rising trend in some rows, so the last keeps moving. */
        int rising = trial % 3 == 0;
        for (size_t k = 0; k < n; k++) {
            uint64_t r = next() % 100;
            double s = r < 2    ? NAN
                       : r < 4  ? -INFINITY
                       : r < 5  ? INFINITY
                       : r < 40 ? (double)(next() % 8) /* many ties */
                                : (double)(next() % 100000) / 7.0 + (rising ? (double)k : 0);
            uint32_t g = (uint32_t)(next() % (r < 60 ? 50 : 100000)); /* equal entries too */
            sh_candidates_insert(want_s, want_g, L, s, g);
            sh_candidate_pool_add(pool, row, s, g);
        }
        sh_candidate_pool_take(got_s, got_g, pool, row);
        sh_candidate_pool_destroy(pool);
        if (memcmp(want_s, got_s, L * sizeof *got_s) || memcmp(want_g, got_g, L * sizeof *got_g))
            fail_msg("trial %ld (L %zu, %zu scores): the pool's list differs", trial, L, n);
    }
}

/* A pool's rows list what inserting every score lists when each row's
 * first call is tried against a guess of its last (candidate_pool.c): rows
 * that score high and low in turn, so guesses fail and hold, and scores of
 * few values, so a list's last often equals the guess. */
static void first_calls_list_what_every_insert_lists(void **state)
{
    (void)state;
    enum { ROWS = 40, N = 300 };
    float dot[N], gn[N];
    uint32_t ok[N];
    double want_s[MAX_L], got_s[MAX_L];
    uint32_t want_g[MAX_L], got_g[MAX_L];
    for (int trial = 0; trial < 400; trial++) {
        size_t L = trial % 4 ? 1 + next() % 20 : 65 + next() % 8;
        sh_candidate_pool *pool = sh_candidate_pool_create(ROWS, L);
        assert_non_null(pool);
        for (size_t row = 0; row < ROWS; row++) {
            /* Eighths up to a level of the row's own; short rows, whose
             * lists do not fill, now and then. */
            size_t n = next() % 16 ? L + next() % (N - L) : next() % (L + 1);
            unsigned top = 1 + (unsigned)(next() % 8);
            for (size_t k = 0; k < n; k++) {
                dot[k] = (float)(next() % (top + 1)) / 8.0f;
                gn[k] = 1.0f;
                ok[k] = (uint32_t)((k * 7 + row) % N);
            }
            for (size_t k = 0; k < L; k++) {
                want_s[k] = -INFINITY;
                want_g[k] = UINT32_MAX;
            }
            for (size_t k = 0; k < n; k++)
                sh_candidates_insert(want_s, want_g, L, dot[k], ok[k]);
            for (size_t k0 = 0, m; k0 < n; k0 += m) {
                m = trial % 2 ? n - k0 : 1 + next() % (n - k0);
                sh_candidate_pool_cosine_row(pool, row, dot + k0, gn + k0, 1.0f, ok + k0, m);
            }
            sh_candidate_pool_take(got_s, got_g, pool, row);
            if (memcmp(want_s, got_s, L * sizeof *got_s) ||
                memcmp(want_g, got_g, L * sizeof *got_g))
                fail_msg("trial %d (L %zu), row %zu of %zu scores: the list differs", trial, L,
                         row, n);
        }
        sh_candidate_pool_destroy(pool);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(inserts_keep_the_best_first),
        cmocka_unit_test(bound_passes_every_score_that_belongs),
        cmocka_unit_test(rows_list_what_every_insert_lists),
        cmocka_unit_test(pools_list_what_every_insert_lists),
        cmocka_unit_test(first_calls_list_what_every_insert_lists),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
