#include "instance.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

const char *sh_status_name(int status)
{
    switch (status) {
    case SHADES_OK: return "SHADES_OK";
    case SHADES_ERR_INVALID: return "SHADES_ERR_INVALID";
    case SHADES_ERR_NOMEM: return "SHADES_ERR_NOMEM";
    case SHADES_ERR_UNSUPPORTED: return "SHADES_ERR_UNSUPPORTED";
    case SHADES_ERR_CONFIG: return "SHADES_ERR_CONFIG";
    case SHADES_ERR_TEMPLATE: return "SHADES_ERR_TEMPLATE";
    case SHADES_ERR_BUFFER: return "SHADES_ERR_BUFFER";
    case SHADES_ERR_ENGINE: return "SHADES_ERR_ENGINE";
    default: return "unknown status";
    }
}

static void host_log(const shades_host *host, int level, const char *message)
{
    sh_instance *inst = host->host_data;
    if (level < SHADES_LOG_WARNING || !message)
        return;
    pthread_mutex_lock(&inst->log_lock);
    snprintf(inst->last_message, sizeof inst->last_message, "%s", message);
    atomic_fetch_add_explicit(&inst->log_seq, 1, memory_order_release);
    pthread_mutex_unlock(&inst->log_lock);
}

uint64_t sh_instance_log_mark(sh_instance *inst)
{
    /* No lock: it is taken before every comparison, on every thread. */
    return atomic_load_explicit(&inst->log_seq, memory_order_acquire);
}

void sh_instance_last_message(sh_instance *inst, uint64_t mark, char *out, size_t cap)
{
    char raw[sizeof inst->last_message] = "";
    pthread_mutex_lock(&inst->log_lock);
    /* A warning an earlier call logged is not this failure's reason. */
    if (atomic_load_explicit(&inst->log_seq, memory_order_relaxed) > mark)
        memcpy(raw, inst->last_message, sizeof raw);
    pthread_mutex_unlock(&inst->log_lock);
    sh_utf8_printable(out, cap, raw);
}

/* dst (cap bytes) as printable text of at most cap - 1 bytes of src. */
static void printable_field(char *dst, size_t cap, const char *src)
{
    char raw[256];
    snprintf(raw, sizeof raw, "%.*s", (int)strnlen(src, cap - 1), src);
    sh_utf8_printable(dst, cap, raw);
}

void sh_identity_printable(sh_identity *id)
{
    printable_field(id->name, sizeof id->name, id->name);
    printable_field(id->version, sizeof id->version, id->version);
    printable_field(id->vendor, sizeof id->vendor, id->vendor);
    printable_field(id->description, sizeof id->description, id->description);
}

void sh_identity_of(sh_identity *out, const shades_adapter *a)
{
    printable_field(out->name, sizeof out->name, a->name);
    printable_field(out->version, sizeof out->version, a->version);
    printable_field(out->vendor, sizeof out->vendor, a->vendor ? a->vendor : "");
    printable_field(out->description, sizeof out->description,
                    a->description ? a->description : "");
    out->abi_major = a->abi_major;
    out->abi_minor = a->abi_minor;
    out->capabilities = a->capabilities;
}

const sh_engine_calls *sh_instance_calls(const sh_instance_options *o)
{
    return o->isolate ? &sh_engine_calls_isolated : &sh_engine_calls_inprocess;
}

int sh_instance_create(sh_instance **out, const sh_instance_options *o,
                           sh_err *err)
{
    *out = NULL;
    sh_instance *inst = calloc(1, sizeof *inst);
    if (!inst)
        return sh_err_nomem(err);
    pthread_mutex_init(&inst->log_lock, NULL);
    inst->host = (shades_host){
        .struct_size = sizeof(shades_host),
        .abi_major = SHADES_ABI_MAJOR,
        .abi_minor = SHADES_ABI_MINOR,
        .host_data = inst,
        .log = host_log,
    };
    inst->threads = o->threads ? o->threads : 1;
    inst->calls = sh_instance_calls(o);
    int rc = inst->calls->start(inst, o, err);
    if (rc) {
        sh_instance_destroy(inst);
        return rc;
    }
    *out = inst;
    return 0;
}

void sh_instance_destroy(sh_instance *inst)
{
    if (!inst)
        return;
    inst->calls->stop(inst);
    free(inst->path);
    pthread_mutex_destroy(&inst->log_lock);
    free(inst);
}
