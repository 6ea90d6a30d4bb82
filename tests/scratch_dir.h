/* A scratch folder for a cmocka test: scratch_setup creates one under /tmp
 * and makes it the working directory, scratch_teardown leaves and removes
 * it; scratch_root is its path. put writes a text file. Header-only, for
 * the test programs that include it (after stdio, stdlib, unistd and
 * cmocka). */
#ifndef SHADES_TESTS_SCRATCH_DIR_H
#define SHADES_TESTS_SCRATCH_DIR_H

static char scratch_root[64];

static int scratch_setup(void **state)
{
    (void)state;
    snprintf(scratch_root, sizeof scratch_root, "/tmp/shades-test-XXXXXX");
    return mkdtemp(scratch_root) ? chdir(scratch_root) : -1;
}

static int scratch_teardown(void **state)
{
    (void)state;
    char cmd[160];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", scratch_root);
    return chdir("/") || system(cmd);
}

/* Writes text to path (relative to the scratch folder, or absolute). */
static void put(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

#endif
