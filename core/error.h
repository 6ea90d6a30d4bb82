/* Error reporting inside the harness: a negative code plus one message line.
 * A function that fails fills the caller's sh_err and leaves no state. */
#ifndef SH_CORE_ERROR_H
#define SH_CORE_ERROR_H

#include <stdarg.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Harness error codes; the CLI maps any of them to exit status 2. */
enum {
    SH_E_OK = 0,
    SH_E_INPUT = -10,   /* bad user input: config, manifest, image */
    SH_E_IO = -11,      /* file system failure */
    SH_E_ADAPTER = -12, /* plugin refused or failed */
    SH_E_NOMEM = -13,
    SH_E_ENGINE = -14,  /* engine call failed during a run */
    SH_E_INTERNAL = -15,
    SH_E_ELSEWHERE = -16 /* another rank failed and reports it (ranks.h) */
};

#define SH_ERR_MSG_MAX 1024

/* One error: code and a single line naming file, line and field where known.
 * Owned by the caller; not shared between threads. */
typedef struct sh_err {
    int code;
    char msg[SH_ERR_MSG_MAX];
} sh_err;

/* Sets err (if not NULL) and returns code, so callers can `return
 * sh_err_set(...)`. The message is kept as sh_utf8_printable gives it:
 * one line, its control characters as "\xNN". */
int sh_err_set(sh_err *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The out-of-memory error, used after any failed allocation. */
int sh_err_nomem(sh_err *err);

#ifdef __cplusplus
}
#endif

#endif
