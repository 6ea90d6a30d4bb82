/* Engine calls in this process (call.h): the adapter's own functions,
 * each under the guard (guard.h), which ends the run at a crash, a hang,
 * an exit() or closed descriptors; nothing faults. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "call.h"
#include "guard.h"
#include "instance.h"

/* Loads the library and creates its engine in this process. */
static int start(sh_instance *inst, const sh_instance_options *o, sh_err *err)
{
    int rc = sh_plugin_open(&inst->plugin, o->spec, err);
    if (rc)
        return rc;
    const shades_adapter *a = inst->plugin->entry;
    sh_identity_of(&inst->id, a);
    inst->path = strdup(inst->plugin->path);
    if (!inst->path)
        return sh_err_nomem(err);
    shades_engine_config cfg = {
        .struct_size = sizeof cfg,
        .config_dir = o->config_dir,
        .options = o->options ? o->options : "",
        .seed = o->seed,
    };
    /* From create on: a crash, hang or exit() before the first image ends
     * the run with its message too. */
    if (o->guard)
        sh_guard_install(inst->id.name, NULL, o->call_timeout_ms ? o->call_timeout_ms
                                                                 : SH_CALL_TIMEOUT_MS);
    uint64_t mark = sh_instance_log_mark(inst);
    sh_guard_enter(SH_GUARD_CREATE, UINT32_MAX, UINT32_MAX);
    int st = a->create(&inst->engine, &inst->host, &cfg);
    sh_guard_leave();
    sh_guard_check();
    if (st != SHADES_OK || !inst->engine) {
        char msg[512];
        sh_instance_last_message(inst, mark, msg, sizeof msg);
        inst->engine = NULL;
        /* SHADES_ERR_CONFIG: the engine finds its options or files unusable,
         * which the config's author must fix. */
        return sh_err_set(err, st == SHADES_ERR_CONFIG ? SH_E_INPUT : SH_E_ADAPTER,
                              "adapter '%s': create failed (%s)%s%s",
                              inst->path,
                              st != SHADES_OK ? sh_status_name(st) : "no engine returned",
                              msg[0] ? ": " : "", msg);
    }
    sh_guard_enter(SH_GUARD_MAX_CONCURRENCY, UINT32_MAX, UINT32_MAX);
    uint32_t conc = a->max_concurrency(inst->engine);
    sh_guard_leave();
    if (conc && conc < inst->threads)
        inst->threads = conc;
    sh_guard_enter(SH_GUARD_TEMPLATE_SIZE_MAX, UINT32_MAX, UINT32_MAX);
    inst->template_max = a->template_size_max(inst->engine);
    sh_guard_leave();
    sh_guard_check();
    if (inst->template_max == 0 || inst->template_max > SH_TEMPLATE_MAX_BYTES)
        return sh_err_set(err, SH_E_ADAPTER,
                              "adapter '%s': template_size_max %zu is outside 1..%u bytes",
                              inst->path, inst->template_max, SH_TEMPLATE_MAX_BYTES);
    sh_guard_enter(SH_GUARD_GET_EXTENSION, UINT32_MAX, UINT32_MAX);
    rc = sh_extensions_find(&inst->ext, a, inst->engine, inst->template_max, inst->path, err);
    sh_guard_leave();
    sh_guard_check();
    if (!rc && inst->ext.embedding) {
        inst->has_embedding = 1;
        inst->embedding = *inst->ext.embedding;
    }
    inst->has_search = inst->ext.search != NULL;
    return rc;
}

static void finish(sh_instance *inst)
{
    if (!inst->engine)
        return;
    sh_guard_enter(SH_GUARD_DESTROY, UINT32_MAX, UINT32_MAX);
    inst->plugin->entry->destroy(inst->engine);
    sh_guard_leave();
    sh_guard_check();
    inst->engine = NULL;
}

static void stop(sh_instance *inst)
{
    finish(inst);
    sh_guard_remove();
    sh_plugin_close(inst->plugin);
    inst->plugin = NULL;
}

static void watch(sh_instance *inst, const sh_guard_items *items, unsigned timeout_ms)
{
    sh_guard_install(inst->id.name, items, timeout_ms);
}

/* The slots are this process's own memory: nothing to hand over. */
static int share(sh_instance *inst, const sh_engine_slots *s, sh_err *err)
{
    (void)inst, (void)s, (void)err;
    return 0;
}

/* The engine's words since mark into reply when its status is not SHADES_OK. */
static void words(sh_engine_reply *reply, sh_instance *inst, uint64_t mark)
{
    reply->message[0] = 0;
    if (reply->status != SHADES_OK)
        sh_instance_last_message(inst, mark, reply->message, sizeof reply->message);
}

static int create_template(shades_template_result *out, sh_engine_reply *reply,
                           sh_instance *inst, uint8_t *slot, size_t capacity, size_t stride,
                           const shades_image *im, int role, uint32_t item, sh_err *err)
{
    (void)err;
    /* A canary over the slot's tail catches an engine that writes past
     * its buffer before the damage can spread to the next template. */
    size_t tail = stride - capacity;
    sh_canary_set(slot + capacity, tail);
    uint64_t mark = sh_instance_log_mark(inst);
    sh_guard_enter(SH_GUARD_CREATE_TEMPLATE, item, UINT32_MAX);
    reply->status = inst->plugin->entry->create_template(slot, out, inst->engine, im, 1,
                                                         capacity, role);
    sh_guard_leave();
    sh_guard_check();
    if (!sh_canary_intact(slot + capacity, tail))
        return 1;
    words(reply, inst, mark);
    return 0;
}

/* The engine's score of one pair, unchecked by the guard: compare_batch
 * checks once a batch, a comparison being too cheap to check each. */
static int compare_one(double *out, sh_engine_bad_pair *bad, sh_instance *inst,
                       const sh_engine_slots *s, sh_engine_pair p, size_t index)
{
    double score = NAN;
    uint64_t mark = sh_instance_log_mark(inst);
    sh_guard_enter(SH_GUARD_COMPARE, p.enrol, p.verify);
    int st = inst->plugin->entry->compare(&score, inst->engine, sh_engine_slot(s, p.verify),
                                          s->size[p.verify], sh_engine_slot(s, p.enrol),
                                          s->size[p.enrol]);
    sh_guard_leave();
    if (st != SHADES_OK || !isfinite(score)) {
        *bad = (sh_engine_bad_pair){.index = index, .status = st, .score = score};
        sh_instance_last_message(inst, mark, bad->message, sizeof bad->message);
        return 1;
    }
    *out = score;
    return 0;
}

static int compare(double *out, uint8_t *out_fault, sh_engine_bad_pair *bad,
                   sh_instance *inst, const sh_engine_slots *s, sh_engine_pair pair,
                   sh_err *err)
{
    (void)err;
    *out_fault = SH_FAULT_NONE;
    int rc = compare_one(out, bad, inst, s, pair, 0);
    sh_guard_check();
    return rc;
}

/* Verify slot b against enrol slots a[0..n) through the engine's batch
 * comparison, into out[0..n); bad indices count from `first`. */
static int compare_many(double *out, sh_engine_bad_pair *bad, sh_instance *inst,
                        const sh_engine_slots *s, uint32_t b, const uint32_t *a, size_t n,
                        size_t first)
{
    const uint8_t *refs[256];
    size_t sizes[256];
    for (size_t k = 0; k < n; k++) {
        refs[k] = sh_engine_slot(s, a[k]);
        sizes[k] = s->size[a[k]];
        out[k] = NAN;
    }
    uint64_t mark = sh_instance_log_mark(inst);
    sh_guard_enter(SH_GUARD_COMPARE_MANY, a[0], b);
    int st = inst->ext.batch->compare_many(out, inst->engine, sh_engine_slot(s, b), s->size[b],
                                           refs, sizes, n);
    sh_guard_leave();
    for (size_t k = 0; k < n; k++)
        if (st != SHADES_OK || !isfinite(out[k])) {
            *bad = (sh_engine_bad_pair){.index = first + k, .status = st, .score = out[k]};
            sh_instance_last_message(inst, mark, bad->message, sizeof bad->message);
            return 1;
        }
    return 0;
}

static int compare_batch(double *out, uint8_t *faults, sh_engine_bad_pair *bad,
                         sh_instance *inst, const sh_engine_slots *s,
                         const sh_engine_pair *pairs, size_t n, sh_err *err)
{
    (void)err;
    memset(faults, SH_FAULT_NONE, n); /* nothing faults here */
    for (size_t k = 0; k < n;) {
        /* A run of pairs with one verify template goes to the batch call. */
        size_t run = 1;
        while (inst->ext.batch && k + run < n && run < 256 &&
               pairs[k + run].verify == pairs[k].verify)
            run++;
        int rc;
        if (run > 1) {
            uint32_t a[256];
            for (size_t j = 0; j < run; j++)
                a[j] = pairs[k + j].enrol;
            rc = compare_many(out + k, bad, inst, s, pairs[k].verify, a, run, k);
        } else {
            rc = compare_one(&out[k], bad, inst, s, pairs[k], k);
        }
        if (rc)
            return rc;
        k += run;
    }
    sh_guard_check(); /* once a batch: a comparison is too cheap to check each */
    return 0;
}

static int gallery_create(sh_engine_gallery **out, sh_engine_reply *reply, sh_instance *inst,
                          const sh_engine_slots *s, const uint32_t *items,
                          const uint64_t *ids, size_t n, sh_err *err)
{
    *out = NULL;
    size_t m = n ? n : 1;
    const uint8_t **refs = malloc(m * sizeof *refs);
    size_t *sizes = malloc(m * sizeof *sizes);
    int rc = refs && sizes ? 0 : sh_err_nomem(err);
    for (size_t k = 0; !rc && k < n; k++) {
        refs[k] = sh_engine_slot(s, items[k]);
        sizes[k] = s->size[items[k]];
    }
    shades_gallery *g = NULL;
    uint64_t mark = sh_instance_log_mark(inst);
    if (!rc)
        reply->status = inst->ext.search->gallery_create(&g, inst->engine, refs, sizes, ids, n);
    free(refs);
    free(sizes);
    if (rc)
        return rc;
    reply->message[0] = 0;
    if (reply->status != SHADES_OK || !g) {
        sh_instance_last_message(inst, mark, reply->message, sizeof reply->message);
        return 0; /* *out stays NULL: the caller names the failure */
    }
    *out = (sh_engine_gallery *)g;
    return 0;
}

static int search(shades_candidate *out, size_t *out_n, sh_engine_reply *reply,
                  sh_instance *inst, sh_engine_gallery *g, const sh_engine_slots *s,
                  uint32_t probe, size_t length, sh_err *err)
{
    (void)err;
    *out_n = 0;
    uint64_t mark = sh_instance_log_mark(inst);
    sh_guard_enter(SH_GUARD_SEARCH, probe, UINT32_MAX);
    reply->status = inst->ext.search->search(out, out_n, inst->engine, (shades_gallery *)g,
                                             sh_engine_slot(s, probe), s->size[probe], length);
    sh_guard_leave();
    sh_guard_check();
    sh_instance_last_message(inst, mark, reply->message, sizeof reply->message);
    return 0;
}

static void gallery_destroy(sh_instance *inst, sh_engine_gallery *g)
{
    if (g)
        inst->ext.search->gallery_destroy((shades_gallery *)g);
}

static int estimate(shades_attributes *out, sh_engine_reply *reply, sh_instance *inst,
                    const shades_image *im, uint32_t item, sh_err *err)
{
    (void)err;
    uint64_t mark = sh_instance_log_mark(inst);
    sh_guard_enter(SH_GUARD_ESTIMATE, item, UINT32_MAX);
    reply->status = inst->ext.attributes->estimate(out, inst->engine, im);
    sh_guard_leave();
    sh_guard_check();
    words(reply, inst, mark);
    return 0;
}

static int provenance(int *out_has, char *out, size_t cap, sh_instance *inst, sh_err *err)
{
    *out_has = 0;
    const shades_provenance *p = NULL;
    int st = SHADES_OK;
    /* Filled first, so that a describe that leaves out unterminated shows. */
    memset(out, 'x', cap);
    uint64_t mark = sh_instance_log_mark(inst);
    sh_guard_enter(SH_GUARD_DESCRIBE, UINT32_MAX, UINT32_MAX);
    int rc = sh_extension_provenance(&p, inst->plugin->entry, inst->engine, inst->path, err);
    if (!rc && p)
        st = p->describe(out, cap, inst->engine);
    sh_guard_leave();
    sh_guard_check();
    if (rc || !p || st != SHADES_OK || !memchr(out, 0, cap))
        out[0] = 0;
    if (rc || !p)
        return rc;
    if (st != SHADES_OK) {
        char msg[512];
        sh_instance_last_message(inst, mark, msg, sizeof msg);
        return sh_err_set(err, SH_E_ADAPTER, "engine '%s': %s describe failed (%s%s)%s%s",
                          inst->id.name, SHADES_EXT_PROVENANCE, sh_status_name(st),
                          st == SHADES_ERR_BUFFER ? ": the harness gives it 16 KiB" : "",
                          msg[0] ? ": " : "", msg);
    }
    if (!memchr(out, 0, cap))
        return sh_err_set(err, SH_E_ADAPTER,
                          "engine '%s': %s describe left its %zu bytes without a NUL",
                          inst->id.name, SHADES_EXT_PROVENANCE, cap);
    *out_has = 1;
    return 0;
}

static void describe(char *out, size_t cap, const sh_instance *inst)
{
    (void)inst;
    snprintf(out, cap, "in-process");
}

static void summary(char *out, size_t cap, const sh_instance *inst, const uint64_t counts[3])
{
    (void)inst;
    (void)counts;
    if (cap)
        out[0] = 0;
}

const sh_engine_calls sh_engine_calls_inprocess = {
    .name = "in-process",
    .identity = "isolate no",
    .may_fault = 0,
    .supervised = 1,
    .start = start,
    .finish = finish,
    .stop = stop,
    .watch = watch,
    .share = share,
    .create_template = create_template,
    .compare = compare,
    .compare_batch = compare_batch,
    .gallery_create = gallery_create,
    .search = search,
    .gallery_destroy = gallery_destroy,
    .estimate = estimate,
    .provenance = provenance,
    .describe = describe,
    .summary = summary,
};
