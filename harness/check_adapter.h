/* `shades check-adapter`: a conformance run a vendor puts in CI. Every
 * check runs in a child process of its own, so a crash or a hang fails
 * that check with its reason instead of ending the run. */
#ifndef SHADES_HARNESS_CHECK_ADAPTER_H
#define SHADES_HARNESS_CHECK_ADAPTER_H

#include <stdio.h>

#include "error.h"
#include "image.h"
#include "instance.h"

/* What the timing check does with a time over NIST's limits. */
typedef enum shades_check_timing {
    SHADES_TIMING_FAIL = 0, /* fail the check (the default) */
    SHADES_TIMING_WARN = 1, /* print WARN; the run still passes */
    SHADES_TIMING_OFF = 2   /* measure nothing */
} shades_check_timing;

/* Parses "fail", "warn" or "off"; 0, or -1 for anything else. */
int shades_check_timing_parse(shades_check_timing *out, const char *s);

/* What check-adapter is asked to do. */
typedef struct shades_check_options {
    const char *spec;          /* library path or built-in name */
    const char *images;        /* directory of face images (searched below too), or NULL:
                                  generated */
    unsigned max_images;       /* at most this many of them; 0: 64 */
    const char *options;       /* engine options, "key=value" lines, or "" */
    const char *config_dir;    /* engine files, or NULL */
    unsigned timeout_s;        /* per check; 0: 120 */
    shades_check_timing timing; /* over NIST's limits: fail, warn or off */
    FILE *out;                 /* where the report goes */
} shades_check_options;

/* Runs every check and prints the report. Returns 0 when all pass, 1 when
 * one fails, or a negative code with err set when the check itself could
 * not run (no images, unreadable directory). [thread: main, before any
 * other thread exists: it forks] */
int shades_check_adapter(const shades_check_options *o, shades_err *err);

/* One check's verdict. */
typedef enum shades_check_result {
    SHADES_CHECK_PASS = 0,
    SHADES_CHECK_FAIL = 1,
    SHADES_CHECK_SKIP = 2,
    SHADES_CHECK_WARN = 3 /* passes, with a warning (--timing warn) */
} shades_check_result;

/* What a check works on, in its child process. */
typedef struct shades_check_ctx {
    shades_instance *inst;     /* created for this check, in-process */
    const shades_pixels *images;
    size_t n_images;
    char detail[1024];         /* one line: what passed, or why not */
    int notes;                 /* fd for "@where" notes, so a crash can say where */
    shades_check_timing timing; /* what the timing check does when slow */
} shades_check_ctx;

/* Notes what a check is about to do, for the report of a crash or hang. */
void shades_check_note(const shades_check_ctx *ctx, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* One check: fills ctx->detail and returns a shades_check_result. */
typedef int (*shades_check_fn)(shades_check_ctx *ctx);

/* The checks, in report order (check_cases.c). */
typedef struct shades_check {
    const char *name;
    shades_check_fn fn;
} shades_check;
extern const shades_check shades_checks[];
extern const size_t shades_n_checks;

#endif
