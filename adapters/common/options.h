/* "key=value" option lines for the built-in adapters, read against a
 * table of the options an adapter takes (docs/opencv-adapters.md and
 * docs/cloud-services.md list them). */
#ifndef ADAPTER_COMMON_OPTIONS_H
#define ADAPTER_COMMON_OPTIONS_H

#include <shades/adapter.h>

#include <stddef.h>

/* What an option's value must be. */
typedef enum adapter_option_kind {
    ADAPTER_OPT_TEXT,
    ADAPTER_OPT_INT,
    ADAPTER_OPT_REAL
} adapter_option_kind;

/* One option the adapter takes. TEXT writes a NUL-terminated copy into
 * `dest` (capacity `text_cap`); INT writes an int, REAL a double, each
 * within [lo, hi]. */
typedef struct adapter_option {
    const char *name;
    adapter_option_kind kind;
    void *dest;
    size_t text_cap;
    double lo, hi;
} adapter_option;

/* Applies every line of `options` (NULL or "" is none) to the table.
 * Returns 0, or -1 with one line naming the option and the fault in why;
 * on failure the destinations may hold some values already applied, so
 * callers parse into a scratch copy. */
int adapter_options_parse(const char *options, const adapter_option *table, size_t n,
                          char *why, size_t cap);

/* Resolves a model-file option in place: a relative path goes under
 * config_dir (when the harness gave one). An empty path fails with "option
 * NAME is required (the path of its WHAT)" when required, else stays empty. Returns 0, or -1
 * with one line in why (also for a joined path longer than cap). */
int adapter_file_path(char *path, size_t cap, const char *config_dir, const char *name,
                      const char *what, int required, char *why, size_t whycap);

/* Sends "<engine>: <message>" to the harness's log as an error, when the
 * host offers one. [thread: any] */
void adapter_log_error(const shades_host *host, const char *engine, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
