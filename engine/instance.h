/* A running engine: its identity, the host services handed to it, and
 * the table its calls go through (call.h): a loaded adapter library and
 * its engine in this process, or the worker processes that hold them. */
#ifndef SH_ENGINE_INSTANCE_H
#define SH_ENGINE_INSTANCE_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

#include "call.h"
#include "error.h"
#include "extensions.h"
#include "plugin.h"
#include "sandbox.h"

/* How to start an engine. */
typedef struct sh_instance_options {
    const char *spec;          /* built-in name or library path */
    const char *config_dir;    /* engine files, or NULL */
    const char *options;       /* "key=value" lines */
    uint64_t seed;
    unsigned threads;          /* concurrent calls the run wants */
    int isolate;               /* run engine calls in worker processes (picks the table) */
    unsigned call_timeout_ms;  /* isolated: longest call before the worker is killed */
    int guard;                 /* in-process: the guard watches from create on, with
                                  call_timeout_ms (shades run); off, a crash is the
                                  caller's to see (check-adapter's children) */
    sh_sandbox_policy sandbox; /* isolated: the workers' user and limits */
} sh_instance_options;

/* What the adapter declared, copied so it outlives the library and can
 * come from a worker. */
typedef struct sh_identity {
    char name[64], version[64], vendor[128], description[256];
    uint32_t abi_major, abi_minor;
    uint64_t capabilities;
} sh_identity;

/* Copies what entry a declares into out, each text as sh_utf8_printable
 * gives it: a vendor's strings are shown on terminals and in reports, so
 * they can break no line and drive no terminal. */
void sh_identity_of(sh_identity *out, const shades_adapter *a);

/* The same for an identity that came over the wire from a worker, where
 * the library runs and may have written anything. */
void sh_identity_printable(sh_identity *id);

/* Owned by the run that created it. Engine calls through it may come from
 * several threads, up to `threads`; the rest is read-only after create. */
typedef struct sh_instance {
    const sh_engine_calls *calls; /* how engine calls are made; set at create */
    void *state;               /* the table's own (isolated: its workers) */
    char *path;                /* the library file */
    sh_identity id;
    sh_plugin *plugin;         /* in-process table only (and check-adapter's raw calls) */
    shades_engine *engine;     /* in-process table only */
    sh_extensions ext;         /* in-process table only; all NULL otherwise */
    int has_embedding;         /* the engine declares embeddings (every table) */
    shades_embedding embedding;
    int has_search;            /* calls->gallery_create and search may be used */
    shades_host host;
    unsigned threads;          /* run threads allowed by the engine */
    size_t template_max;       /* bytes the harness allocates per template */
    pthread_mutex_t log_lock;
    char last_message[512];    /* engine's last error or warning */
    _Atomic uint64_t log_seq;  /* messages logged so far; raised under log_lock */
} sh_instance;

/* Largest template the harness will allocate, to refuse absurd claims. */
#define SH_TEMPLATE_MAX_BYTES (64u << 20)

/* The table of engine calls o picks (o->isolate: the isolated one). */
const sh_engine_calls *sh_instance_calls(const sh_instance_options *o);

/* Loads o->spec and creates its engine through the table o picks (in
 * this process, or in workers when o->isolate). In-process, threads are
 * capped by the engine's declared concurrency; isolated, each worker is
 * one process and no cap applies. */
int sh_instance_create(sh_instance **out, const sh_instance_options *o,
                           sh_err *err);

/* Destroys the engine (or stops the workers) and unloads the library; NULL
 * is allowed. */
void sh_instance_destroy(sh_instance *inst);

/* A mark of the engine's log now, taken before a call, so that its words
 * after a failure are that call's. [thread: any] */
uint64_t sh_instance_log_mark(sh_instance *inst);

/* Copies the engine's last error or warning message, made printable, if it
 * was logged after `mark` (0: whenever); else "". [thread: any] */
void sh_instance_last_message(sh_instance *inst, uint64_t mark, char *out, size_t cap);

/* Name of a shades_status code, for messages. */
const char *sh_status_name(int status);

#endif
