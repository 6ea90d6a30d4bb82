/* Engine calls in sandboxed worker processes (call.h), over the transport
 * of isolate.h: a crash, a hang or a reply that breaks the ABI costs one
 * item, recorded as a fault, instead of the run. The workers hold no
 * search tables, so the harness searches by comparing. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "call.h"
#include "instance.h"
#include "isolate.h"
#include "utf8.h"

/* The table's state behind inst->state. */
typedef struct isolated {
    sh_isolate *iso;
    char sandbox[512]; /* what confines the workers */
} isolated;

static isolated *state_of(const sh_instance *inst)
{
    return inst->state;
}

/* Starts the workers, which report what the in-process table found in theirs. */
static int start(sh_instance *inst, const sh_instance_options *o, sh_err *err)
{
    isolated *st = calloc(1, sizeof *st);
    if (!st)
        return sh_err_nomem(err);
    inst->state = st;
    sh_wire_hello hello;
    int rc = sh_isolate_create(&st->iso, &hello, o, err);
    if (rc)
        return rc;
    inst->id = hello.id;
    sh_identity_printable(&inst->id);
    inst->template_max = hello.template_max;
    inst->has_embedding = (int)hello.has_embedding;
    inst->embedding = hello.embedding;
    hello.sandbox[sizeof hello.sandbox - 1] = 0;
    snprintf(st->sandbox, sizeof st->sandbox, "%s", hello.sandbox);
    inst->path = strdup(hello.message); /* the worker's resolved library path */
    return inst->path ? 0 : sh_err_nomem(err);
}

static void finish(sh_instance *inst)
{
    isolated *st = state_of(inst);
    unsigned killed = 0, failed = 0;
    if (st)
        sh_isolate_finish(&killed, &failed, st->iso);
    /* Contained, and after every call the results hold: said, not fatal. */
    if (killed)
        fprintf(stderr, "shades: warning: engine '%s': %u isolated worker%s did not end "
                "within the call limit after the engine's last call (in destroy); killed\n",
                inst->id.name, killed, killed == 1 ? "" : "s");
    if (failed)
        fprintf(stderr, "shades: warning: engine '%s': %u isolated worker%s crashed or exited "
                "in destroy, after the engine's last call\n",
                inst->id.name, failed, failed == 1 ? "" : "s");
}

static void stop(sh_instance *inst)
{
    isolated *st = state_of(inst);
    if (st)
        sh_isolate_destroy(st->iso);
    free(st);
    inst->state = NULL;
}

/* The workers' call limit watches every call: nothing more to install. */
static void watch(sh_instance *inst, const sh_guard_items *items, unsigned timeout_ms)
{
    (void)inst, (void)items, (void)timeout_ms;
}

static int share(sh_instance *inst, const sh_engine_slots *s, sh_err *err)
{
    return sh_isolate_share(state_of(inst)->iso, s->fd, s->n * s->stride, s->stride,
                                s->capacity, err);
}

/* The worker's words into reply when its status is not SHADES_OK. */
static void words(sh_engine_reply *reply, const char *msg)
{
    reply->message[0] = 0;
    if (reply->status != SHADES_OK) /* the worker's bytes are the engine's to forge */
        sh_utf8_printable(reply->message, sizeof reply->message, msg);
}

static int create_template(shades_template_result *out, sh_engine_reply *reply,
                           sh_instance *inst, uint8_t *slot, size_t capacity, size_t stride,
                           const shades_image *im, int role, uint32_t item, sh_err *err)
{
    (void)capacity, (void)stride, (void)item; /* the worker checks its own canary */
    sh_wire_template r;
    sh_fault f;
    char msg[SH_WIRE_MESSAGE_MAX];
    int rc = sh_isolate_template(slot, &r, &f, msg, sizeof msg, state_of(inst)->iso, role, im,
                                     err);
    if (rc)
        return rc;
    reply->status = f ? SHADES_OK : r.status;
    out->outcome = f ? sh_fault_outcome(f) : r.outcome;
    out->size = f ? 0 : r.size;
    out->eyes = r.eyes;
    words(reply, msg);
    return 0;
}

static int compare_batch(double *out, uint8_t *faults, sh_engine_bad_pair *bad,
                         sh_instance *inst, const sh_engine_slots *s,
                         const sh_engine_pair *pairs, size_t n, sh_err *err)
{
    (void)s; /* the workers map the slots themselves (share) */
    size_t at;
    sh_wire_score reply;
    char msg[SH_WIRE_MESSAGE_MAX] = "";
    int rc = sh_isolate_compare(out, faults, &at, &reply, msg, sizeof msg,
                                    state_of(inst)->iso, pairs, n, err);
    if (rc == 1) {
        *bad = (sh_engine_bad_pair){.index = at, .status = reply.status, .score = reply.score};
        sh_utf8_printable(bad->message, sizeof bad->message, msg);
    }
    return rc; /* a score that is not finite came back as a bad_reply fault */
}

static int compare(double *out, uint8_t *out_fault, sh_engine_bad_pair *bad,
                   sh_instance *inst, const sh_engine_slots *s, sh_engine_pair pair,
                   sh_err *err)
{
    return compare_batch(out, out_fault, bad, inst, s, &pair, 1, err);
}

/* has_search is never set here: the workers hold no tables. */
static int gallery_create(sh_engine_gallery **out, sh_engine_reply *reply, sh_instance *inst,
                          const sh_engine_slots *s, const uint32_t *items,
                          const uint64_t *ids, size_t n, sh_err *err)
{
    (void)reply, (void)inst, (void)s, (void)items, (void)ids, (void)n;
    *out = NULL;
    return sh_err_set(err, SH_E_INTERNAL, "isolation: the workers keep no search gallery");
}

static int search(shades_candidate *out, size_t *out_n, sh_engine_reply *reply,
                  sh_instance *inst, sh_engine_gallery *g, const sh_engine_slots *s,
                  uint32_t probe, size_t length, sh_err *err)
{
    (void)out, (void)reply, (void)inst, (void)g, (void)s, (void)probe, (void)length;
    *out_n = 0;
    return sh_err_set(err, SH_E_INTERNAL, "isolation: the workers keep no search gallery");
}

static void gallery_destroy(sh_instance *inst, sh_engine_gallery *g)
{
    (void)inst, (void)g;
}

static int estimate(shades_attributes *out, sh_engine_reply *reply, sh_instance *inst,
                    const shades_image *im, uint32_t item, sh_err *err)
{
    (void)item;
    sh_wire_attrs r;
    sh_fault f;
    char msg[SH_WIRE_MESSAGE_MAX];
    int rc = sh_isolate_estimate(&r, &f, msg, sizeof msg, state_of(inst)->iso, im, err);
    if (rc)
        return rc;
    reply->status = f ? SHADES_OK : r.status;
    if (f)
        out->outcome = sh_fault_outcome(f);
    else
        *out = r.attrs;
    words(reply, msg);
    return 0;
}

/* The wire carries no provenance: an isolated run records none
 * (docs/isolation.md; a service engine refuses --isolate). */
static int provenance(int *out_has, char *out, size_t cap, sh_instance *inst, sh_err *err)
{
    (void)inst, (void)err;
    *out_has = 0;
    if (cap)
        out[0] = 0;
    return 0;
}

static void describe(char *out, size_t cap, const sh_instance *inst)
{
    snprintf(out, cap, "isolated: %s", state_of(inst)->sandbox);
}

static void summary(char *out, size_t cap, const sh_instance *inst, const uint64_t counts[3])
{
    snprintf(out, cap, "isolated engine: %" PRIu64 " calls crashed, %" PRIu64 " timed out, %"
             PRIu64 " broke the ABI (in /failures); sandbox: %s", counts[0], counts[1],
             counts[2], state_of(inst)->sandbox);
}

const sh_engine_calls sh_engine_calls_isolated = {
    .name = "isolated",
    .identity = "isolate yes",
    .may_fault = 1,
    .supervised = 0,
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
