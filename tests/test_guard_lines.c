/* The supervising parent's one line about a dead or stopped child, written
 * into a buffer of any size: always terminated inside it, never past it,
 * and the start of the whole line. */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/wait.h>

#include <cmocka.h>

#include "guard.h"

enum { WHOLE = 1024, CANARY = 32 };

typedef void (*line_fn)(char *out, size_t cap, const sh_guard_state *s,
                        const sh_guard_items *m);

static void killed(char *out, size_t cap, const sh_guard_state *s, const sh_guard_items *m)
{
    sh_guard_killed(out, cap, s, "the run", SIGKILL, "; no results were written", m);
}

static void signalled(char *out, size_t cap, const sh_guard_state *s, const sh_guard_items *m)
{
    sh_guard_signalled(out, cap, s, SIGTERM, m);
}

static void postmortem(char *out, size_t cap, const sh_guard_state *s, const sh_guard_items *m)
{
    /* A wait status of "killed by SIGSEGV", as waitpid would give it. */
    assert_int_equal(sh_guard_postmortem(out, cap, s, SIGSEGV, m), 1);
}

/* Every size from 1 to past the whole line: the line is cut, not overrun.
 * keeps_end: where the line's end ("; no results were written...") fits,
 * the call's description is cut before it instead. */
static void check_every_size(line_fn line, const sh_guard_state *s, const sh_guard_items *m,
                             int keeps_end)
{
    char whole[WHOLE];
    line(whole, sizeof whole, s, m);
    size_t len = strlen(whole);
    assert_true(len > 40 && len < WHOLE - 1);
    assert_non_null(strstr(whole, "'probe-7'"));
    const char *end = strstr(whole, "; no results were written");
    assert_true(end || !keeps_end);
    size_t end_len = end ? strlen(end) : 0;
    for (size_t cap = 1; cap <= len + 2; cap++) {
        char buf[WHOLE + CANARY];
        memset(buf, 'x', sizeof buf);
        line(buf, cap, s, m);
        size_t got = strnlen(buf, cap);
        assert_true(got < cap);
        size_t start = got;
        if (keeps_end && cap > end_len + 1) {
            start = got - end_len;
            assert_string_equal(buf + start, end);
        }
        assert_memory_equal(buf, whole, start);
        for (size_t i = cap; i < cap + CANARY; i++)
            assert_int_equal(buf[i], 'x');
    }
}

/* Static: the guard reads them until the process ends. */
static char *ids[] = {"gallery-3", "probe-7"};
static size_t lines[] = {4, 9};
static const sh_guard_items m = {.path = "manifest.csv", .image_id = ids, .line = lines, .n = 2};

static void lines_fit_any_buffer(void **state)
{
    (void)state;
    const sh_guard_state *s = sh_guard_share();
    assert_non_null(s);
    sh_guard_install("toy", &m, 0);
    sh_guard_enter(SH_GUARD_COMPARE, 0, 1);
    check_every_size(killed, s, &m, 0);
    check_every_size(signalled, s, &m, 0);
    check_every_size(postmortem, s, &m, 1);
}

/* Out of the call even when an assertion failed, so that the exit hook
 * finds none in flight. */
static int leave(void **state)
{
    (void)state;
    sh_guard_leave();
    sh_guard_remove();
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(lines_fit_any_buffer, leave),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
