/* The engine-call interface: one table of operations behind which each way
 * of calling an engine lives, one file per way (call_inprocess.c: the
 * adapter in this process, under the guard; call_isolated.c: sandboxed
 * worker processes, isolate.h). An instance picks its table once, at
 * create (instance.h); callers use inst->calls->op(...) and never ask how
 * the calls are made. A new way (a cloud API) is one new file implementing
 * this table, and one line in sh_instance_calls (instance.c). MPI ranks are
 * not a way: each rank calls its own engine, and the runner splits the
 * blocks among them (core/ranks.h). */
#ifndef SH_ENGINE_CALL_H
#define SH_ENGINE_CALL_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <shades/adapter.h>

#include "error.h"
#include "guard.h"
#include "outcome.h"

struct sh_instance;
struct sh_instance_options;

/* Why a call produced nothing; recorded against its item, never fatal.
 * Only tables with may_fault set report one; the others end the run. */
typedef enum sh_fault {
    SH_FAULT_NONE = 0,
    SH_FAULT_CRASHED = 1,   /* the engine's process died (signal or exit) */
    SH_FAULT_TIMED_OUT = 2, /* no reply within the call limit */
    SH_FAULT_BAD_REPLY = 3  /* a reply that breaks the ABI */
} sh_fault;

/* The outcome (SH_RUN_*) recorded for an item whose call faulted with f. */
static inline int32_t sh_fault_outcome(int f)
{
    return f == SH_FAULT_TIMED_OUT   ? SH_RUN_TIMED_OUT
           : f == SH_FAULT_BAD_REPLY ? SH_RUN_BAD_REPLY
                                     : SH_RUN_CRASHED;
}

/* Default per-call limit, far above NIST's 1.5 s per template, so only a
 * hang trips it. */
#define SH_CALL_TIMEOUT_MS 30000u

/* Longest engine message carried back with a reply. */
#define SH_ENGINE_MESSAGE_MAX 512

/* The run's templates as engine calls see them: n slots of `stride` bytes
 * at bytes, the template first (at most `capacity` bytes), its size as a
 * uint64 in the slot's last 8 bytes; size[i] the same sizes; fd the memfd
 * behind bytes. Borrowed from the caller. */
typedef struct sh_engine_slots {
    uint8_t *bytes;
    size_t n, stride, capacity;
    const size_t *size;
    int fd;
} sh_engine_slots;

/* Slot i of s. [thread: any] */
static inline uint8_t *sh_engine_slot(const sh_engine_slots *s, size_t i)
{
    return s->bytes + i * s->stride;
}

/* Writes a slot's size into its last 8 bytes, where workers read it. */
static inline void sh_engine_slot_set_size(uint8_t *slot, size_t stride, uint64_t size)
{
    memcpy(slot + stride - 8, &size, 8);
}

/* The size a slot's last 8 bytes hold. */
static inline uint64_t sh_engine_slot_size(const uint8_t *slot, size_t stride)
{
    uint64_t size;
    memcpy(&size, slot + stride - 8, 8);
    return size;
}

/* One comparison: the engine scores slot verify against slot enrol. */
typedef struct sh_engine_pair {
    uint32_t enrol, verify;
} sh_engine_pair;

/* What a call on one image or one search said besides its product:
 * the engine's status (SHADES_OK when the call faulted) and its last
 * words ("" when none), filled when status is not SHADES_OK (after a
 * search: always). */
typedef struct sh_engine_reply {
    int status;
    char message[SH_ENGINE_MESSAGE_MAX];
} sh_engine_reply;

/* The pair a batch of comparisons stopped at: its index, the engine's
 * status and score (an error status, or a score that is not finite), and
 * its last words. */
typedef struct sh_engine_bad_pair {
    size_t index;
    int status;
    double score;
    char message[SH_ENGINE_MESSAGE_MAX];
} sh_engine_bad_pair;

/* An engine's own 1:N gallery, made by gallery_create. */
typedef struct sh_engine_gallery sh_engine_gallery;

/* One way of calling an engine. Every operation takes the instance whose
 * `calls` it is; a negative return is a harness error in err, which ends
 * the run. [thread: any, up to inst->threads at once, except where said] */
typedef struct sh_engine_calls {
    const char *name;       /* the way's name: "in-process", "isolated" */
    const char *identity;   /* how calls are made, as the checkpoint's identity
                               names it ("isolate no"): work saved one way is
                               never restored another */
    int may_fault;          /* 1: a crash, hang or bad reply is recorded against its
                               item (sh_fault); 0: it ends the run */
    int supervised;         /* 1: the engine shares the run's process, so `shades run`
                               forks a supervising parent first (supervise.h) */

    /* Loads o->spec and creates its engine; fills inst's id, path,
     * template_max, threads, has_embedding, embedding, has_search. inst
     * is destroyed by the caller on failure. [thread: main] */
    int (*start)(struct sh_instance *inst, const struct sh_instance_options *o,
                 sh_err *err);
    /* Ends the engine after its last call, before the run writes results:
     * in-process its destroy, under the guard like any call; isolated,
     * its workers, each killed if it has not ended within the call limit.
     * What describe, faults and summary read stays. [thread: main, no
     * call in flight] */
    void (*finish)(struct sh_instance *inst);
    /* Destroys what start and watch made (finishing first if need be);
     * after a failed start too. [thread: main, no call in flight] */
    void (*stop)(struct sh_instance *inst);
    /* Watches the calls that follow on `items`, ending a call that hangs
     * past timeout_ms (items borrowed until stop). [thread: main] */
    void (*watch)(struct sh_instance *inst, const sh_guard_items *items,
                  unsigned timeout_ms);
    /* Hands the engine the run's template slots before any call uses
     * them. [thread: main, no call in flight] */
    int (*share)(struct sh_instance *inst, const sh_engine_slots *s, sh_err *err);

    /* Makes the template of image `item` into its slot s (stride bytes;
     * the engine may write capacity of them) with `role`, its result
     * (outcome set to SH_RUN_* on a fault, size 0) into *out. Returns 0,
     * 1 when the engine wrote past its buffer (the run must stop), or a
     * negative harness error. */
    int (*create_template)(shades_template_result *out, sh_engine_reply *reply,
                           struct sh_instance *inst, uint8_t *slot, size_t capacity,
                           size_t stride, const shades_image *im, int role, uint32_t item,
                           sh_err *err);
    /* Scores one pair of slots into *out and *out_fault. Returns 0, 1 when
     * the engine returned an error status, or where may_fault is 0 a score
     * that is not finite (else a bad-reply fault), in *bad; or a negative
     * harness error. */
    int (*compare)(double *out, uint8_t *out_fault, sh_engine_bad_pair *bad,
                   struct sh_instance *inst, const sh_engine_slots *s, sh_engine_pair pair,
                   sh_err *err);
    /* Scores pairs[0..n) into out_scores and out_faults (n each; a faulted
     * pair scores -inf), as many per engine call as the engine allows.
     * Returns as compare, bad->index naming the pair; the pairs after it
     * are not scored. */
    int (*compare_batch)(double *out_scores, uint8_t *out_faults, sh_engine_bad_pair *bad,
                         struct sh_instance *inst, const sh_engine_slots *s,
                         const sh_engine_pair *pairs, size_t n, sh_err *err);

    /* Makes the engine's gallery of slots items[0..n), ids[k] naming each
     * in search results; only where inst->has_search. *out NULL with
     * reply->status set when the engine fails. [thread: main] */
    int (*gallery_create)(sh_engine_gallery **out, sh_engine_reply *reply,
                          struct sh_instance *inst, const sh_engine_slots *s,
                          const uint32_t *items, const uint64_t *ids, size_t n, sh_err *err);
    /* Searches slot probe against g for at most `length` candidates into
     * out (room for length; *out_n of them, unchecked). */
    int (*search)(shades_candidate *out, size_t *out_n, sh_engine_reply *reply,
                  struct sh_instance *inst, sh_engine_gallery *g, const sh_engine_slots *s,
                  uint32_t probe, size_t length, sh_err *err);
    /* Frees g; NULL is allowed. [thread: main] */
    void (*gallery_destroy)(struct sh_instance *inst, sh_engine_gallery *g);

    /* Estimates the attributes of image `item` into *out (which the caller
     * initialised; outcome set to SH_RUN_* on a fault). */
    int (*estimate)(shades_attributes *out, sh_engine_reply *reply,
                    struct sh_instance *inst, const shades_image *im, uint32_t item,
                    sh_err *err);

    /* What the engine says of where its answers came from
     * (shades.provenance/1): its "key=value\n" lines into out (cap bytes,
     * NUL-terminated) and *out_has 1; *out_has 0 and out "" when the
     * engine offers none, or where this way does not ask (isolated). A
     * describe that fails or leaves out without its NUL is an error naming
     * the engine. [thread: main, after the run's last other call] */
    int (*provenance)(int *out_has, char *out, size_t cap, struct sh_instance *inst,
                      sh_err *err);

    /* How the calls ran, as the results file records it ("in-process"). */
    void (*describe)(char *out, size_t cap, const struct sh_instance *inst);
    /* The run summary's line on faults: calls that crashed, timed out and
     * broke the ABI (the run counts them in /failures, which a resume's
     * restored work is in too), or "" where calls cannot fault. */
    void (*summary)(char *out, size_t cap, const struct sh_instance *inst,
                    const uint64_t faults[3]);
} sh_engine_calls;

/* The ways there are, one file each. */
extern const sh_engine_calls sh_engine_calls_inprocess; /* call_inprocess.c */
extern const sh_engine_calls sh_engine_calls_isolated;  /* call_isolated.c */

/* The bytes after a template buffer are set to a canary before each
 * create_template call and checked after it, to catch a write past the
 * buffer (in-process: the slot's tail; isolated: 64 bytes in the worker). */
#define SH_TEMPLATE_CANARY 0xA5

static inline void sh_canary_set(uint8_t *p, size_t n)
{
    memset(p, SH_TEMPLATE_CANARY, n);
}

/* 1 when the n canary bytes at p are as sh_canary_set left them. */
static inline int sh_canary_intact(const uint8_t *p, size_t n)
{
    for (size_t k = 0; k < n; k++)
        if (p[k] != SH_TEMPLATE_CANARY)
            return 0;
    return 1;
}

#endif
