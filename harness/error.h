/* Error reporting inside the harness: a negative code plus one message line.
 * A function that fails fills the caller's shades_err and leaves no state. */
#ifndef SHADES_HARNESS_ERROR_H
#define SHADES_HARNESS_ERROR_H

#include <stdarg.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Harness error codes; the CLI maps any of them to exit status 2. */
enum {
    SHADES_E_OK = 0,
    SHADES_E_INPUT = -10,   /* bad user input: config, manifest, image */
    SHADES_E_IO = -11,      /* file system failure */
    SHADES_E_ADAPTER = -12, /* plugin refused or failed */
    SHADES_E_NOMEM = -13,
    SHADES_E_ENGINE = -14,  /* engine call failed during a run */
    SHADES_E_INTERNAL = -15
};

#define SHADES_ERR_MSG_MAX 1024

/* One error: code and a single line naming file, line and field where known.
 * Owned by the caller; not shared between threads. */
typedef struct shades_err {
    int code;
    char msg[SHADES_ERR_MSG_MAX];
} shades_err;

/* Sets err (if not NULL) and returns code, so callers can `return
 * shades_err_set(...)`. */
int shades_err_set(shades_err *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The out-of-memory error, used after any failed allocation. */
int shades_err_nomem(shades_err *err);

#ifdef __cplusplus
}
#endif

#endif
