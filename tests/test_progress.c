/* Progress output: plain lines off a terminal, a redrawn bar on one, and
 * counts that add up when many threads report at once. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "progress.h"

static void off_means_no_reporter(void **state)
{
    (void)state;
    assert_null(sh_progress_create(stderr, SH_PROGRESS_OFF, 1));
    /* Every call accepts NULL. */
    sh_progress_stage(NULL, "x", 1);
    sh_progress_add(NULL, 1);
    sh_progress_end(NULL);
    sh_progress_destroy(NULL);
    sh_progress_mode m;
    assert_int_equal(sh_progress_mode_parse(&m, "lines"), 0);
    assert_int_equal(m, SH_PROGRESS_LINES);
    assert_int_equal(sh_progress_mode_parse(&m, "loud"), -1);
}

static void lines_report_progress_then_the_total(void **state)
{
    (void)state;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    /* Interval 0: every call may print. */
    sh_progress *p = sh_progress_create(f, SH_PROGRESS_LINES, 0);
    sh_progress_stage(p, "templates", 4);
    sh_progress_add(p, 1);
    sh_progress_add(p, 3);
    sh_progress_end(p);
    sh_progress_destroy(p);
    fclose(f);
    assert_non_null(strstr(buf, "shades: templates: 1/4 (25%), "));
    assert_non_null(strstr(buf, ", ETA "));
    const char *last = strstr(buf, "shades: templates: 4 done in ");
    assert_non_null(last);
    assert_int_equal(buf[len - 1], '\n');
    assert_null(strchr(buf, '\r'));
    free(buf);
}

static void a_long_interval_prints_only_the_stage_end(void **state)
{
    (void)state;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    sh_progress *p = sh_progress_create(f, SH_PROGRESS_LINES, 3600);
    sh_progress_stage(p, "impostor pairs", 1000);
    for (int i = 0; i < 1000; i++)
        sh_progress_add(p, 1);
    sh_progress_end(p);
    sh_progress_destroy(p);
    fclose(f);
    assert_true(strncmp(buf, "shades: impostor pairs: 1000 done in ", 37) == 0);
    assert_non_null(strchr(buf, '\n'));
    assert_int_equal(strchr(buf, '\n') - buf + 1, (long)len);
    free(buf);
}

static void a_bar_redraws_one_line_and_ends_it(void **state)
{
    (void)state;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    sh_progress *p = sh_progress_create(f, SH_PROGRESS_BAR, 0);
    sh_progress_stage(p, "bootstrap", 10);
    sh_progress_add(p, 10);
    sh_progress_end(p);
    /* A stage cut short by a failure still ends its line. */
    sh_progress_stage(p, "templates", 10);
    sh_progress_destroy(p);
    fclose(f);
    assert_int_equal(buf[0], '\r');
    assert_non_null(strstr(buf, "[##############################] 100% 10/10 "));
    assert_non_null(strstr(buf, " in "));
    assert_int_equal(buf[len - 1], '\n');
    free(buf);
}

typedef struct adder {
    sh_progress *p;
} adder;

static void *add_many(void *ctx)
{
    adder *a = ctx;
    for (int i = 0; i < 10000; i++)
        sh_progress_add(a->p, 1);
    return NULL;
}

static void counts_from_many_threads_add_up(void **state)
{
    (void)state;
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    sh_progress *p = sh_progress_create(f, SH_PROGRESS_LINES, 0.001);
    sh_progress_stage(p, "pairs", 40000);
    pthread_t t[4];
    adder a = {p};
    for (int i = 0; i < 4; i++)
        assert_int_equal(pthread_create(&t[i], NULL, add_many, &a), 0);
    for (int i = 0; i < 4; i++)
        pthread_join(t[i], NULL);
    sh_progress_end(p);
    sh_progress_destroy(p);
    fclose(f);
    assert_non_null(strstr(buf, "shades: pairs: 40000 done in "));
    free(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(off_means_no_reporter),
        cmocka_unit_test(lines_report_progress_then_the_total),
        cmocka_unit_test(a_long_interval_prints_only_the_stage_end),
        cmocka_unit_test(a_bar_redraws_one_line_and_ends_it),
        cmocka_unit_test(counts_from_many_threads_add_up),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
