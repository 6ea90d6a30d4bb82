/* A running engine: a loaded adapter library, its engine, and the host
 * services handed to it. */
#ifndef SHADES_HARNESS_INSTANCE_H
#define SHADES_HARNESS_INSTANCE_H

#include <pthread.h>

#include "error.h"
#include "plugin.h"

/* Owned by the run that created it. Engine calls through it may come from
 * several threads, up to `threads`; the rest is read-only after create. */
typedef struct shades_instance {
    shades_plugin *plugin;
    shades_engine *engine;
    shades_host host;
    unsigned threads;          /* run threads allowed by the engine */
    size_t template_max;       /* bytes the harness allocates per template */
    pthread_mutex_t log_lock;
    char last_message[512];    /* engine's last error or warning */
} shades_instance;

/* Largest template the harness will allocate, to refuse absurd claims. */
#define SHADES_TEMPLATE_MAX_BYTES (64u << 20)

/* Loads spec and creates its engine with options ("key=value" lines) and
 * seed; threads is what the run wants, capped by the engine's declared
 * concurrency. */
int shades_instance_create(shades_instance **out, const char *spec, const char *config_dir,
                           const char *options, uint64_t seed, unsigned threads,
                           shades_err *err);

/* Destroys the engine and unloads the library; NULL is allowed. */
void shades_instance_destroy(shades_instance *inst);

/* Copies the engine's last error or warning message ("" if none). */
void shades_instance_last_message(shades_instance *inst, char *out, size_t cap);

/* Name of a shades_status code, for messages. */
const char *shades_status_name(int status);

#endif
