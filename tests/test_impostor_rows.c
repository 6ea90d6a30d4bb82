/* A source's row batches (score_source.h) count, keep and refine exactly
 * as the same scores handed over pair by pair: every cell's bins, the kept
 * values, the hits and the exact sums, in both passes. The rows here mix
 * the two ways a row can hold its pairs (columns after it; columns on both
 * sides with the pairs of the other side's rows NaN), NaN entries for the
 * row's own subject, rows longer than a sink's chunk, and failed
 * templates' -inf. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "impostor_stats.h"
#include "score_source.h"

enum { N = 700, PER_SUBJECT = 3, HALF = N / 2 };

/* The score of items a < b: a few thousand distinct values of both signs,
 * -inf where either item's template failed. */
static double pair_score(uint32_t a, uint32_t b)
{
    if (a % 37 == 5 || b % 37 == 5)
        return -INFINITY;
    uint64_t x = (uint64_t)a * 1000003u + b + 12345u;
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    return (double)(int)(x % 4001u) / 2000.0 - 1.0;
}

static int same_subject(uint32_t a, uint32_t b)
{
    return a / PER_SUBJECT == b / PER_SUBJECT;
}

/* Whether row r's batch holds the pair of r and c. Rows of the first half
 * hold every pair with a later item; in the second half, a pair of two
 * items goes to the later row when their sum is odd. */
static int row_holds(uint32_t r, uint32_t c)
{
    if (r == c || same_subject(r, c))
        return 0;
    if (r < HALF)
        return c > r;
    if (c < HALF)
        return 0;
    return c > r ? (r + c) % 2 == 0 : (r + c) % 2 == 1;
}

static int rows_replay(const sh_score_source *src, sh_score_sink sink, void *ctx, sh_err *err)
{
    (void)src;
    double score[N];
    for (uint32_t r = 0; r < N; r++) {
        uint32_t col0 = r < HALF ? r + 1 : HALF;
        size_t span = N - col0, n = 0;
        for (size_t k = 0; k < span; k++) {
            uint32_t c = col0 + (uint32_t)k;
            int held = row_holds(r, c);
            sh_pair p = sh_pair_of(r, c);
            score[k] = held ? pair_score(p.a, p.b) : NAN;
            n += (size_t)held;
        }
        sh_score_batch b = {.n = n, .score = score, .span = span, .row = r, .col0 = col0};
        int rc = n ? sink(ctx, 0, &b, err) : 0;
        if (rc)
            return rc;
    }
    return 0;
}

/* Every impostor pair (a < b) and its score. */
static size_t all_pairs(sh_pair *pair, double *score)
{
    size_t n = 0;
    for (uint32_t a = 0; a < N; a++)
        for (uint32_t b = a + 1; b < N; b++)
            if (!same_subject(a, b)) {
                pair[n] = (sh_pair){a, b};
                score[n++] = pair_score(a, b);
            }
    return n;
}

/* Two partitions: 3 groups by subject, 4 by item. */
static sh_groups *two_partitions(void)
{
    sh_groups *g = calloc(1, sizeof *g);
    g->n_partitions = 2;
    g->partitions = calloc(2, sizeof *g->partitions);
    for (size_t p = 0; p < 2; p++) {
        sh_partition *part = &g->partitions[p];
        part->name = strdup(p ? "item" : "subject");
        part->n_groups = p ? 4 : 3;
        part->reference = -1;
        part->group_names = calloc(part->n_groups, sizeof *part->group_names);
        for (size_t k = 0; k < part->n_groups; k++)
            part->group_names[k] = strdup(p ? "i" : "s");
        part->item_group = malloc(N * sizeof *part->item_group);
        for (size_t i = 0; i < N; i++)
            part->item_group[i] = (int32_t)(p ? i % 4 : i / PER_SUBJECT % 3);
    }
    return g;
}

static void same_hist(const sh_score_hist *x, const sh_score_hist *y, int moments)
{
    assert_int_equal(x->n, y->n);
    uint32_t bx = UINT32_MAX, by = UINT32_MAX;
    do {
        bx = sh_hist_next_bin(x, bx);
        by = sh_hist_next_bin(y, by);
        assert_int_equal(bx, by);
        if (bx != UINT32_MAX)
            assert_int_equal(sh_hist_in_bin(x, bx), sh_hist_in_bin(y, by));
    } while (bx != UINT32_MAX);
    assert_int_equal(x->n_window, y->n_window);
    for (size_t i = 0; i < x->n_window; i++)
        assert_true(x->window[i] == y->window[i]);
    if (moments) {
        uint64_t nx, ny;
        double mx, my, sx, sy;
        sh_hist_moments(&nx, &mx, &sx, x);
        sh_hist_moments(&ny, &my, &sy, y);
        assert_int_equal(nx, ny);
        assert_true(mx == my && sx == sy);
    }
}

static void same_impostors(const sh_impostors *x, const sh_impostors *y, const sh_groups *g,
                           int moments)
{
    same_hist(sh_impostors_cell(x, SIZE_MAX, 0, 0), sh_impostors_cell(y, SIZE_MAX, 0, 0),
              moments);
    for (size_t p = 0; p < g->n_partitions; p++)
        for (size_t i = 0; i < g->partitions[p].n_groups; i++)
            for (size_t j = i; j < g->partitions[p].n_groups; j++)
                same_hist(sh_impostors_cell(x, p, i, j), sh_impostors_cell(y, p, i, j),
                          moments && i == j);
    assert_int_equal(x->n_hits, y->n_hits);
    for (size_t i = 0; i < x->n_hits; i++) {
        assert_int_equal(x->hits[i].pair.a, y->hits[i].pair.a);
        assert_int_equal(x->hits[i].pair.b, y->hits[i].pair.b);
        assert_true(x->hits[i].score == y->hits[i].score);
    }
}

/* The bins of the top scores: the window, and the bin from which pairs are
 * kept as hits. */
static void tail_window(sh_score_window *w, uint32_t *out_hit_bin)
{
    assert_int_equal(sh_window_add_range(w, sh_score_bin(0.9), sh_score_bin(0.95)), 0);
    assert_int_equal(sh_window_add(w, sh_score_bin(0.5)), 0);
    assert_int_equal(sh_window_lowest(w), sh_score_bin(0.5));
    *out_hit_bin = sh_score_bin(0.97);
}

/* Both passes of both sources: pass 1 keeping a predicted window (settled
 * in one pass), and pass 1 with no prediction, then pass 2. */
static void rows_count_as_pairs(void **state)
{
    (void)state;
    size_t cap = (size_t)N * N / 2;
    sh_pair *pair = malloc(cap * sizeof *pair);
    double *score = malloc(cap * sizeof *score);
    size_t n = all_pairs(pair, score);
    sh_groups *g = two_partitions();
    sh_array_source pairs;
    sh_array_source_init(&pairs, pair, score, n, NULL);
    sh_score_source rows = {.n = n, .workers = 1, .replay = rows_replay};
    sh_err err = {0};
    for (int moments = 0; moments < 2; moments++) {
        sh_impostors *x, *y;
        sh_score_window kx = {0}, ky = {0};
        uint32_t hit_bin;
        tail_window(&kx, &hit_bin);
        tail_window(&ky, &hit_bin);
        assert_int_equal(sh_impostors_count(&x, g, &pairs.base, &kx, hit_bin, moments, NULL,
                                            &err), 0);
        assert_int_equal(sh_impostors_count(&y, g, &rows, &ky, hit_bin, moments, NULL, &err),
                         0);
        tail_window(&x->window, &hit_bin);
        tail_window(&y->window, &hit_bin);
        assert_int_equal(sh_impostors_settle(x, hit_bin, &err), 1);
        assert_int_equal(sh_impostors_settle(y, hit_bin, &err), 1);
        assert_true(x->n_hits > 0 && x->stream[0].n_window > 0);
        same_impostors(x, y, g, moments);
        sh_impostors_destroy(x);
        sh_impostors_destroy(y);

        assert_int_equal(sh_impostors_count(&x, g, &pairs.base, NULL, UINT32_MAX, moments, NULL,
                                            &err), 0);
        assert_int_equal(sh_impostors_count(&y, g, &rows, NULL, UINT32_MAX, moments, NULL, &err),
                         0);
        tail_window(&x->window, &hit_bin);
        tail_window(&y->window, &hit_bin);
        assert_int_equal(sh_impostors_settle(x, hit_bin, &err), 0);
        assert_int_equal(sh_impostors_settle(y, hit_bin, &err), 0);
        assert_int_equal(sh_impostors_refine(x, &pairs.base, hit_bin, NULL, &err), 0);
        assert_int_equal(sh_impostors_refine(y, &rows, hit_bin, NULL, &err), 0);
        assert_true(x->n_hits > 0 && x->stream[0].n_window > 0);
        same_impostors(x, y, g, moments);
        sh_impostors_destroy(x);
        sh_impostors_destroy(y);
    }
    sh_groups_destroy(g);
    free(pair);
    free(score);
}

/* The lowest bin of a window, and none in an empty one. */
static void window_lowest_bin(void **state)
{
    (void)state;
    sh_score_window w = {0};
    assert_int_equal(sh_window_lowest(&w), UINT32_MAX);
    assert_int_equal(sh_window_add(&w, 700000), 0);
    assert_int_equal(sh_window_add_range(&w, 600100, 600300), 0);
    assert_int_equal(sh_window_lowest(&w), 600100);
    assert_int_equal(sh_window_add(&w, 5), 0);
    assert_int_equal(sh_window_lowest(&w), 5);
    sh_window_clear(&w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(rows_count_as_pairs),
        cmocka_unit_test(window_lowest_bin),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
