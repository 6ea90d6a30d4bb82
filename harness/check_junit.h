/* check-adapter's verdicts as a JUnit XML file (--junit), the report CI
 * systems read (GitLab's artifacts:reports:junit, Jenkins' junit step):
 * one testcase per check, FAIL a <failure>, SKIP <skipped>, WARN a pass
 * whose output says WARN. */
#ifndef SH_HARNESS_CHECK_JUNIT_H
#define SH_HARNESS_CHECK_JUNIT_H

#include <stddef.h>
#include <stdio.h>

#include "error.h"

/* One check's outcome, as check-adapter printed it. */
typedef struct sh_check_junit_case {
    const char *name;
    const char *verdict; /* "PASS", "FAIL", "SKIP" or "WARN", as printed */
    const char *detail;  /* the line check-adapter printed after the verdict */
    double seconds;      /* wall time of the check's child */
} sh_check_junit_case;

/* The file being written: a temporary beside `path`, renamed over it by
 * sh_check_junit_finish, so an earlier file stays whole until then. */
typedef struct sh_check_junit {
    const char *path;
    char tmp[4096];
    FILE *f;
    char started[32]; /* when the checks started, ISO 8601 UTC */
} sh_check_junit;

/* Creates the temporary beside path, before any check runs, so a path that
 * cannot be written (no such folder, a folder itself, empty) is refused
 * first. Until finish or abandon, SIGTERM, SIGINT or SIGHUP (a cancelled CI
 * job) removes the temporary before they end the process. Returns 0, or
 * SH_E_INPUT with err. [thread: main; one at a time] */
int sh_check_junit_start(sh_check_junit *out, const char *path, sh_err *err);

/* Writes the report of n cases for the adapter `suite` and renames it over
 * path. Returns 0, or SH_E_IO with err and no file
 * left but an earlier one. */
int sh_check_junit_finish(sh_check_junit *j, const char *suite, const char *images,
                          const sh_check_junit_case *cases, size_t n, sh_err *err);

/* Removes the temporary: the run ended before its checks did. */
void sh_check_junit_abandon(sh_check_junit *j);

#endif
