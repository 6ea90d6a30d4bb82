#include "instance.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "isolate.h"

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
    pthread_mutex_unlock(&inst->log_lock);
}

void sh_instance_last_message(sh_instance *inst, char *out, size_t cap)
{
    pthread_mutex_lock(&inst->log_lock);
    snprintf(out, cap, "%s", inst->last_message);
    pthread_mutex_unlock(&inst->log_lock);
    for (char *p = out; *p; p++)
        if (*p == '\n' || *p == '\r')
            *p = ' ';
}

/* Copies what the entry declares into id. */
static void copy_identity(sh_identity *id, const shades_adapter *a)
{
    snprintf(id->name, sizeof id->name, "%s", a->name);
    snprintf(id->version, sizeof id->version, "%s", a->version);
    snprintf(id->vendor, sizeof id->vendor, "%s", a->vendor ? a->vendor : "");
    snprintf(id->description, sizeof id->description, "%s",
             a->description ? a->description : "");
    id->abi_major = a->abi_major;
    id->abi_minor = a->abi_minor;
    id->capabilities = a->capabilities;
}

/* Loads the library and creates its engine in this process. */
static int create_here(sh_instance *inst, const sh_instance_options *o, sh_err *err)
{
    int rc = sh_plugin_open(&inst->plugin, o->spec, err);
    if (rc)
        return rc;
    const shades_adapter *a = inst->plugin->entry;
    copy_identity(&inst->id, a);
    inst->path = strdup(inst->plugin->path);
    if (!inst->path)
        return sh_err_nomem(err);
    shades_engine_config cfg = {
        .struct_size = sizeof cfg,
        .config_dir = o->config_dir,
        .options = o->options ? o->options : "",
        .seed = o->seed,
    };
    int st = a->create(&inst->engine, &inst->host, &cfg);
    if (st != SHADES_OK || !inst->engine) {
        char msg[512];
        sh_instance_last_message(inst, msg, sizeof msg);
        inst->engine = NULL;
        /* SHADES_ERR_CONFIG: the engine finds its options or files unusable,
         * which the config's author must fix. */
        return sh_err_set(err, st == SHADES_ERR_CONFIG ? SH_E_INPUT : SH_E_ADAPTER,
                              "adapter '%s': create failed (%s)%s%s",
                              inst->path,
                              st != SHADES_OK ? sh_status_name(st) : "no engine returned",
                              msg[0] ? ": " : "", msg);
    }
    uint32_t conc = a->max_concurrency(inst->engine);
    if (conc && conc < inst->threads)
        inst->threads = conc;
    inst->template_max = a->template_size_max(inst->engine);
    if (inst->template_max == 0 || inst->template_max > SH_TEMPLATE_MAX_BYTES)
        return sh_err_set(err, SH_E_ADAPTER,
                              "adapter '%s': template_size_max %zu is outside 1..%u bytes",
                              inst->path, inst->template_max, SH_TEMPLATE_MAX_BYTES);
    rc = sh_extensions_find(&inst->ext, a, inst->engine, inst->template_max, inst->path, err);
    if (!rc && inst->ext.embedding) {
        inst->has_embedding = 1;
        inst->embedding = *inst->ext.embedding;
    }
    return rc;
}

/* Starts the workers, which report what create_here found in theirs. */
static int create_isolated(sh_instance *inst, const sh_instance_options *o,
                           sh_err *err)
{
    sh_wire_hello hello;
    int rc = sh_isolate_create(&inst->isolate, &hello, o, err);
    if (rc)
        return rc;
    inst->id = hello.id;
    inst->template_max = hello.template_max;
    inst->has_embedding = (int)hello.has_embedding;
    inst->embedding = hello.embedding;
    hello.sandbox[sizeof hello.sandbox - 1] = 0;
    snprintf(inst->sandbox, sizeof inst->sandbox, "%s", hello.sandbox);
    inst->path = strdup(hello.message); /* the worker's resolved library path */
    return inst->path ? 0 : sh_err_nomem(err);
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
    int rc = o->isolate ? create_isolated(inst, o, err) : create_here(inst, o, err);
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
    if (inst->engine)
        inst->plugin->entry->destroy(inst->engine);
    sh_plugin_close(inst->plugin);
    sh_isolate_destroy(inst->isolate);
    free(inst->path);
    pthread_mutex_destroy(&inst->log_lock);
    free(inst);
}
