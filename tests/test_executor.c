/* The executor: every item done once, workers numbered within the job's
 * width, the lowest failing block's error whatever the scheduling, jobs
 * submitted from inside a job, and a pool reused for many jobs. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "executor.h"

typedef struct counting {
    atomic_uint *hits;
    unsigned width;
    atomic_uint inside, most_inside;
    atomic_int bad_worker;
} counting;

static int count_block(void *ctx, unsigned worker, size_t begin, size_t end, sh_err *err)
{
    (void)err;
    counting *c = ctx;
    if (worker >= c->width)
        atomic_store(&c->bad_worker, 1);
    unsigned now = atomic_fetch_add(&c->inside, 1) + 1;
    unsigned seen = atomic_load(&c->most_inside);
    while (now > seen && !atomic_compare_exchange_weak(&c->most_inside, &seen, now))
        ;
    for (size_t i = begin; i < end; i++)
        atomic_fetch_add(&c->hits[i], 1);
    usleep(200);
    atomic_fetch_sub(&c->inside, 1);
    return 0;
}

static void every_item_once_within_the_width(void **state)
{
    (void)state;
    sh_err err = {0};
    sh_executor *ex;
    assert_int_equal(sh_executor_create(&ex, 4, &err), 0);
    assert_int_equal(sh_executor_threads(ex), 4);
    enum { N = 1000 };
    for (unsigned width = 0; width <= 5; width++) {
        atomic_uint hits[N];
        for (size_t i = 0; i < N; i++)
            atomic_init(&hits[i], 0);
        counting c = {.hits = hits, .width = width == 0 || width > 4 ? 4 : width};
        assert_int_equal(sh_executor_for(ex, width, N, 7, count_block, &c, &err), 0);
        for (size_t i = 0; i < N; i++)
            assert_int_equal(atomic_load(&hits[i]), 1);
        assert_false(atomic_load(&c.bad_worker));
        assert_true(atomic_load(&c.most_inside) <= c.width);
    }
    sh_executor_destroy(ex);
}

static int fail_from(void *ctx, unsigned worker, size_t begin, size_t end, sh_err *err)
{
    (void)worker;
    (void)end;
    const size_t *first_bad = ctx;
    if (begin >= *first_bad)
        return sh_err_set(err, SH_E_INPUT, "block %zu failed", begin);
    usleep(100);
    return 0;
}

static void the_lowest_failing_block_reports(void **state)
{
    (void)state;
    sh_executor *ex;
    sh_err err = {0};
    assert_int_equal(sh_executor_create(&ex, 3, &err), 0);
    size_t first_bad = 40;
    for (int round = 0; round < 20; round++) {
        sh_err e = {0};
        assert_int_equal(sh_executor_for(ex, 0, 100, 10, fail_from, &first_bad, &e), SH_E_INPUT);
        assert_string_equal(e.msg, "block 40 failed");
    }
    sh_executor_destroy(ex);
}

typedef struct nested {
    sh_executor *ex;
    atomic_uint total;
} nested;

static int inner_block(void *ctx, unsigned worker, size_t begin, size_t end, sh_err *err)
{
    (void)worker;
    (void)err;
    nested *n = ctx;
    atomic_fetch_add(&n->total, (unsigned)(end - begin));
    return 0;
}

static int outer_block(void *ctx, unsigned worker, size_t begin, size_t end, sh_err *err)
{
    (void)worker;
    nested *n = ctx;
    for (size_t i = begin; i < end; i++) {
        int rc = sh_executor_for(n->ex, 0, 10, 2, inner_block, n, err);
        if (rc)
            return rc;
    }
    return 0;
}

static void a_job_inside_a_job_runs_inline(void **state)
{
    (void)state;
    sh_err err = {0};
    nested n = {0};
    assert_int_equal(sh_executor_create(&n.ex, 2, &err), 0);
    assert_int_equal(sh_executor_for(n.ex, 0, 8, 1, outer_block, &n, &err), 0);
    assert_int_equal(atomic_load(&n.total), 80);
    sh_executor_destroy(n.ex);
}

static int sum_block(void *ctx, size_t begin, size_t end, sh_err *err)
{
    (void)err;
    atomic_ulong *sum = ctx;
    for (size_t i = begin; i < end; i++)
        atomic_fetch_add(sum, i);
    return 0;
}

static void a_pool_serves_many_jobs_and_null_runs_inline(void **state)
{
    (void)state;
    sh_err err = {0};
    sh_executor *ex;
    assert_int_equal(sh_executor_create(&ex, 2, &err), 0);
    for (int k = 0; k < 2000; k++) {
        atomic_ulong sum;
        atomic_init(&sum, 0);
        assert_int_equal(sh_executor_for_blocks(ex, 0, 100, 3, sum_block, &sum, &err), 0);
        assert_int_equal(atomic_load(&sum), 4950);
    }
    sh_executor_destroy(ex);
    atomic_ulong sum;
    atomic_init(&sum, 0);
    assert_int_equal(sh_executor_for_blocks(NULL, 8, 100, 3, sum_block, &sum, &err), 0);
    assert_int_equal(atomic_load(&sum), 4950);
    assert_int_equal(sh_executor_threads(NULL), 1);
    sh_executor_destroy(NULL);
}

static void a_bad_size_is_refused(void **state)
{
    (void)state;
    sh_err err = {0};
    sh_executor *ex = (sh_executor *)&err;
    assert_int_equal(sh_executor_create(&ex, 0, &err), SH_E_INPUT);
    assert_null(ex);
    assert_string_equal(err.msg, "an executor of 0 threads (1 to 256)");
    assert_int_equal(sh_executor_create(&ex, SH_THREADS_MAX + 1, &err), SH_E_INPUT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_item_once_within_the_width),
        cmocka_unit_test(the_lowest_failing_block_reports),
        cmocka_unit_test(a_job_inside_a_job_runs_inline),
        cmocka_unit_test(a_pool_serves_many_jobs_and_null_runs_inline),
        cmocka_unit_test(a_bad_size_is_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
