#include "instance.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *shades_status_name(int status)
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
    shades_instance *inst = host->host_data;
    if (level < SHADES_LOG_WARNING || !message)
        return;
    pthread_mutex_lock(&inst->log_lock);
    snprintf(inst->last_message, sizeof inst->last_message, "%s", message);
    pthread_mutex_unlock(&inst->log_lock);
}

void shades_instance_last_message(shades_instance *inst, char *out, size_t cap)
{
    pthread_mutex_lock(&inst->log_lock);
    snprintf(out, cap, "%s", inst->last_message);
    pthread_mutex_unlock(&inst->log_lock);
    for (char *p = out; *p; p++)
        if (*p == '\n' || *p == '\r')
            *p = ' ';
}

int shades_instance_create(shades_instance **out, const char *spec, const char *config_dir,
                           const char *options, uint64_t seed, unsigned threads,
                           shades_err *err)
{
    *out = NULL;
    shades_instance *inst = calloc(1, sizeof *inst);
    if (!inst)
        return shades_err_nomem(err);
    pthread_mutex_init(&inst->log_lock, NULL);
    int rc = shades_plugin_open(&inst->plugin, spec, err);
    if (rc) {
        shades_instance_destroy(inst);
        return rc;
    }
    const shades_adapter *a = inst->plugin->entry;
    inst->host = (shades_host){
        .struct_size = sizeof(shades_host),
        .abi_major = SHADES_ABI_MAJOR,
        .abi_minor = SHADES_ABI_MINOR,
        .host_data = inst,
        .log = host_log,
    };
    shades_engine_config cfg = {
        .struct_size = sizeof cfg,
        .config_dir = config_dir,
        .options = options ? options : "",
        .seed = seed,
    };
    int st = a->create(&inst->engine, &inst->host, &cfg);
    if (st != SHADES_OK || !inst->engine) {
        char msg[512];
        shades_instance_last_message(inst, msg, sizeof msg);
        rc = shades_err_set(err, SHADES_E_ADAPTER, "adapter '%s': create failed (%s)%s%s",
                            inst->plugin->path,
                            st != SHADES_OK ? shades_status_name(st) : "no engine returned",
                            msg[0] ? ": " : "", msg);
        inst->engine = NULL;
        shades_instance_destroy(inst);
        return rc;
    }
    uint32_t conc = a->max_concurrency(inst->engine);
    inst->threads = threads ? threads : 1;
    if (conc && conc < inst->threads)
        inst->threads = conc;
    inst->template_max = a->template_size_max(inst->engine);
    if (inst->template_max == 0 || inst->template_max > SHADES_TEMPLATE_MAX_BYTES) {
        rc = shades_err_set(err, SHADES_E_ADAPTER,
                            "adapter '%s': template_size_max %zu is outside 1..%u bytes",
                            inst->plugin->path, inst->template_max, SHADES_TEMPLATE_MAX_BYTES);
        shades_instance_destroy(inst);
        return rc;
    }
    *out = inst;
    return 0;
}

void shades_instance_destroy(shades_instance *inst)
{
    if (!inst)
        return;
    if (inst->engine)
        inst->plugin->entry->destroy(inst->engine);
    shades_plugin_close(inst->plugin);
    pthread_mutex_destroy(&inst->log_lock);
    free(inst);
}
