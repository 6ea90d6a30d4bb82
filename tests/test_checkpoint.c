/* The checkpoint log: records come back as saved; a torn last record is cut
 * off and a damaged one is computed again; a later record of a block
 * replaces an earlier one; and every refusal says why in one line. */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "checkpoint.h"

static char root[64], dir[128];
static const char *identity = "shades 1\nconfig aaa\nmanifest bbb\n";

static int setup(void **state)
{
    (void)state;
    snprintf(root, sizeof root, "/tmp/shades-ckpt-XXXXXX");
    if (!mkdtemp(root))
        return -1;
    snprintf(dir, sizeof dir, "%s/out/run.checkpoint", root);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[160];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
    return system(cmd);
}

/* Saves block [begin, begin + 4) of stage 3 holding four doubles from x
 * (begin at most 12). */
static void save_block(sh_checkpoint *cp, size_t begin, double x)
{
    double v[16] = {0};
    for (size_t k = 0; k < 4; k++)
        v[begin + k] = x + (double)k;
    sh_ckpt_array a = {v, sizeof *v};
    sh_err err = {0};
    assert_int_equal(sh_checkpoint_save_arrays(cp, 3, begin, begin + 4, &a, 1, &err), 0);
}

/* Whether block [begin, begin + 4) comes back, and its first value. */
static int load_block(sh_checkpoint *cp, size_t begin, double *first)
{
    double v[16] = {0};
    sh_ckpt_array a = {v, sizeof *v};
    sh_err err = {0};
    int rc = sh_checkpoint_load_arrays(cp, 3, begin, begin + 4, &a, 1, &err);
    assert_true(rc >= 0);
    *first = v[begin];
    if (rc)
        assert_true(v[begin + 3] == v[begin] + 3);
    return rc;
}

static sh_checkpoint *reopen(int resume)
{
    sh_checkpoint *cp = NULL;
    sh_err err = {0};
    int resumed = -1;
    assert_int_equal(sh_checkpoint_open(&cp, &resumed, dir, identity, resume, &err), 0);
    return cp;
}

static long log_size(void)
{
    char path[160];
    struct stat st;
    snprintf(path, sizeof path, "%s/log", dir);
    return stat(path, &st) ? -1 : (long)st.st_size;
}

static void records_come_back_and_torn_ones_are_cut(void **state)
{
    (void)state;
    sh_checkpoint *cp = reopen(0);
    struct stat st;
    assert_int_equal(stat(dir, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0700);
    save_block(cp, 0, 10);
    save_block(cp, 4, 20);
    save_block(cp, 0, 30); /* the later record of block 0 counts */
    save_block(cp, 8, 40);
    assert_int_equal(sh_checkpoint_close(cp, 0, NULL), 0);
    long whole = log_size();
    char path[160];
    snprintf(path, sizeof path, "%s/log", dir);
    assert_int_equal(truncate(path, whole - 5), 0); /* a kill inside the last record */

    cp = reopen(1);
    double first;
    assert_int_equal(load_block(cp, 0, &first), 1);
    assert_true(first == 30);
    assert_int_equal(load_block(cp, 4, &first), 1);
    assert_true(first == 20);
    assert_int_equal(load_block(cp, 8, &first), 0); /* torn: computed again */
    assert_int_equal(load_block(cp, 12, &first), 0);
    uint64_t restored, found, saved;
    sh_checkpoint_counts(&restored, &found, &saved, cp);
    assert_int_equal(restored, 2);
    assert_int_equal(found, 2);
    assert_int_equal(saved, 0);
    /* The torn tail is gone, so new records follow whole ones. */
    assert_true(log_size() < whole - 5);
    save_block(cp, 8, 50);
    assert_int_equal(sh_checkpoint_close(cp, 0, NULL), 0);

    cp = reopen(1);
    assert_int_equal(load_block(cp, 8, &first), 1);
    assert_true(first == 50);
    assert_int_equal(sh_checkpoint_close(cp, 1, NULL), 0); /* complete: deleted */
    assert_int_equal(access(dir, F_OK), -1);
}

/* A kill inside the first record leaves a log of no whole record: the
 * resume restores nothing and computes every block again. */
static void a_log_of_one_torn_record_resumes_empty(void **state)
{
    (void)state;
    sh_checkpoint *cp = reopen(0);
    save_block(cp, 0, 10);
    assert_int_equal(sh_checkpoint_close(cp, 0, NULL), 0);
    char path[160];
    snprintf(path, sizeof path, "%s/log", dir);
    assert_int_equal(truncate(path, 5), 0);
    cp = reopen(1);
    double first;
    assert_int_equal(load_block(cp, 0, &first), 0);
    uint64_t restored, found, saved;
    sh_checkpoint_counts(&restored, &found, &saved, cp);
    assert_int_equal(restored, 0);
    assert_int_equal(found, 0);
    assert_int_equal(log_size(), 0);
    save_block(cp, 0, 20);
    assert_int_equal(sh_checkpoint_close(cp, 0, NULL), 0);
    cp = reopen(1);
    assert_int_equal(load_block(cp, 0, &first), 1);
    assert_true(first == 20);
    assert_int_equal(sh_checkpoint_close(cp, 1, NULL), 0);
}

static void a_damaged_record_is_computed_again(void **state)
{
    (void)state;
    sh_checkpoint *cp = reopen(0);
    save_block(cp, 0, 1);
    save_block(cp, 4, 2);
    assert_int_equal(sh_checkpoint_close(cp, 0, NULL), 0);
    char path[160];
    snprintf(path, sizeof path, "%s/log", dir);
    int fd = open(path, O_WRONLY);
    assert_true(fd >= 0);
    /* One byte inside the first record's payload (after its 32-byte header). */
    assert_int_equal(pwrite(fd, "X", 1, 40), 1);
    close(fd);
    cp = reopen(1);
    double first;
    assert_int_equal(load_block(cp, 0, &first), 0);
    assert_int_equal(load_block(cp, 4, &first), 1);
    assert_true(first == 2);
    assert_int_equal(sh_checkpoint_close(cp, 1, NULL), 0);
}

static void refusals_say_why(void **state)
{
    (void)state;
    sh_checkpoint *cp = reopen(0), *other = NULL;
    save_block(cp, 0, 1);
    sh_err err = {0};
    char want[512];

    /* A second run while the first holds it. */
    assert_int_equal(sh_checkpoint_open(&other, NULL, dir, identity, 1, &err), SH_E_IO);
    assert_null(other);
    snprintf(want, sizeof want,
             "checkpoint %s is in use by another shades run of this config; wait for it, or "
             "give this run another output",
             dir);
    assert_string_equal(err.msg, want);
    assert_int_equal(sh_checkpoint_close(cp, 0, NULL), 0);

    /* Records there, and no --resume. */
    assert_int_equal(sh_checkpoint_open(&other, NULL, dir, identity, 0, &err),
                     SH_E_INPUT);
    snprintf(want, sizeof want,
             "checkpoint %s holds an interrupted run: continue it with --resume, or delete "
             "the directory to start over",
             dir);
    assert_string_equal(err.msg, want);

    /* Another run's checkpoint. */
    assert_int_equal(sh_checkpoint_open(&other, NULL, dir,
                                            "shades 1\nconfig aaa\nmanifest ccc\n", 1, &err),
                     SH_E_INPUT);
    snprintf(want, sizeof want,
             "checkpoint %s belongs to another run: its manifest was 'bbb', now 'ccc'; delete "
             "the directory to start over",
             dir);
    assert_string_equal(err.msg, want);

    /* Not a directory. */
    char file[160];
    snprintf(file, sizeof file, "%s/plain", root);
    FILE *f = fopen(file, "w");
    assert_non_null(f);
    fclose(f);
    assert_int_equal(sh_checkpoint_open(&other, NULL, file, identity, 0, &err), SH_E_IO);
    snprintf(want, sizeof want, "checkpoint %s: is not a directory (a symbolic link or a file)",
             file);
    assert_string_equal(err.msg, want);

    /* A symbolic link planted at the log (or the directory): refused, and
     * its target neither appended to nor made owner-only. */
    char victim[160], log[200], linked[160];
    snprintf(victim, sizeof victim, "%s/victim", root);
    f = fopen(victim, "w");
    assert_non_null(f);
    fputs("someone else's\n", f);
    fclose(f);
    assert_int_equal(chmod(victim, 0644), 0);
    snprintf(log, sizeof log, "%s/log", dir);
    unlink(log);
    assert_int_equal(symlink(victim, log), 0);
    for (int resume = 0; resume < 2; resume++) {
        assert_int_equal(sh_checkpoint_open(&other, NULL, dir, identity, resume, &err),
                         SH_E_IO);
        snprintf(want, sizeof want, "checkpoint %s: is a symbolic link; shades writes only its "
                 "own files there", log);
        assert_string_equal(err.msg, want);
    }
    struct stat vs;
    assert_int_equal(stat(victim, &vs), 0);
    assert_int_equal(vs.st_size, 15);
    assert_int_equal(vs.st_mode & 0777, 0644);
    unlink(log);
    snprintf(linked, sizeof linked, "%s/linked", root);
    assert_int_equal(symlink(dir, linked), 0);
    assert_int_equal(sh_checkpoint_open(&other, NULL, linked, identity, 0, &err), SH_E_IO);
    snprintf(want, sizeof want, "checkpoint %s: is not a directory (a symbolic link or a file)",
             linked);
    assert_string_equal(err.msg, want);

    /* --resume with nothing there starts afresh, and says nothing was found. */
    cp = reopen(1);
    assert_int_equal(sh_checkpoint_close(cp, 1, NULL), 0);
    int resumed = -1;
    assert_int_equal(sh_checkpoint_open(&cp, &resumed, dir, identity, 1, &err), 0);
    assert_int_equal(resumed, 0);
    assert_int_equal(sh_checkpoint_close(cp, 1, NULL), 0);
}

static void a_loose_directory_is_made_owner_only(void **state)
{
    (void)state;
    char parent[160];
    snprintf(parent, sizeof parent, "%s/out", root);
    mkdir(parent, 0755);
    assert_int_equal(mkdir(dir, 0777), 0);
    assert_int_equal(chmod(dir, 0777), 0);
    sh_checkpoint *cp = reopen(0);
    struct stat st;
    assert_int_equal(stat(dir, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0700);
    save_block(cp, 0, 1);
    char path[160];
    snprintf(path, sizeof path, "%s/log", dir);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_int_equal(sh_checkpoint_close(cp, 1, NULL), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(records_come_back_and_torn_ones_are_cut, setup, teardown),
        cmocka_unit_test_setup_teardown(a_log_of_one_torn_record_resumes_empty, setup, teardown),
        cmocka_unit_test_setup_teardown(a_damaged_record_is_computed_again, setup, teardown),
        cmocka_unit_test_setup_teardown(refusals_say_why, setup, teardown),
        cmocka_unit_test_setup_teardown(a_loose_directory_is_made_owner_only, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
