/* `shades check-adapter`: a conformance run a vendor puts in CI. Every
 * check runs in a child process of its own, so a crash or a hang fails
 * that check with its reason instead of ending the run. */
#ifndef SH_HARNESS_CHECK_ADAPTER_H
#define SH_HARNESS_CHECK_ADAPTER_H

#include <stdio.h>

#include "error.h"
#include "image.h"
#include "instance.h"

/* What the timing check does with a time over NIST's limits. */
typedef enum sh_check_timing {
    SH_TIMING_FAIL = 0, /* fail the check (the default) */
    SH_TIMING_WARN = 1, /* print WARN; the run still passes */
    SH_TIMING_OFF = 2   /* measure nothing */
} sh_check_timing;

/* Parses "fail", "warn" or "off"; 0, or -1 for anything else. */
int sh_check_timing_parse(sh_check_timing *out, const char *s);

/* What check-adapter is asked to do. */
typedef struct sh_check_options {
    const char *spec;          /* library path or built-in name */
    const char *images;        /* directory of face images (searched below too), or NULL:
                                  generated */
    unsigned max_images;       /* at most this many of them; 0: 64 */
    const char *options;       /* engine options, "key=value" lines, or "" */
    const char *config_dir;    /* engine files, or NULL */
    unsigned timeout_s;        /* per check; 0: 120 */
    sh_check_timing timing; /* over NIST's limits: fail, warn or off */
    FILE *out;                 /* where the report goes */
    const char *junit;         /* also write the verdicts as JUnit XML here, or NULL */
} sh_check_options;

/* Runs every check and prints the report. Returns 0 when all pass, 1 when
 * one fails, or a negative code with err set when the check itself could
 * not run (no images, unreadable directory). [thread: main, before any
 * other thread exists: it forks] */
int sh_check_adapter(const sh_check_options *o, sh_err *err);

/* One check's verdict. */
typedef enum sh_check_result {
    SH_CHECK_PASS = 0,
    SH_CHECK_FAIL = 1,
    SH_CHECK_SKIP = 2,
    SH_CHECK_WARN = 3 /* passes, with a warning (--timing warn) */
} sh_check_result;

/* What a check works on, in its child process. */
typedef struct sh_check_ctx {
    sh_instance *inst;     /* created for this check, in-process */
    const sh_pixels *images;
    size_t n_images;
    char detail[1024];         /* one line: what passed, or why not */
    int notes;                 /* fd for "@where" notes, so a crash can say where */
    sh_check_timing timing; /* what the timing check does when slow */
} sh_check_ctx;

/* Seconds on the monotonic clock, for timing a check or a call. [thread: any] */
double sh_check_now(void);

/* Notes what a check is about to do, for the report of a crash or hang. */
void sh_check_note(const sh_check_ctx *ctx, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* One check: fills ctx->detail and returns a sh_check_result. */
typedef int (*sh_check_fn)(sh_check_ctx *ctx);

/* The checks, in report order (check_cases.c). */
typedef struct sh_check {
    const char *name;
    sh_check_fn fn;
} sh_check;
extern const sh_check sh_checks[];
extern const size_t sh_n_checks;

#endif
