/* Process isolation: engine calls run in worker processes, one call at a
 * time each, so a crash or a hang costs one item instead of the run. The
 * workers are this program re-executed as `shades __worker`, each in a
 * sandbox (sandbox.h). Templates live in a region of shared memory the
 * harness writes and the workers may only read. */
#ifndef SHADES_HARNESS_ISOLATE_H
#define SHADES_HARNESS_ISOLATE_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "instance.h"
#include "wire.h"

typedef struct shades_isolate shades_isolate;

/* Why a call produced nothing; recorded against its item, never fatal. */
typedef enum shades_fault {
    SHADES_FAULT_NONE = 0,
    SHADES_FAULT_CRASHED = 1,   /* the worker died (signal or exit) */
    SHADES_FAULT_TIMED_OUT = 2, /* no reply within the call limit; worker killed */
    SHADES_FAULT_BAD_REPLY = 3  /* a reply that breaks the ABI; worker restarted */
} shades_fault;

/* Default per-call limit, far above NIST's 1.5 s per template, so only a
 * hang trips it. */
#define SHADES_CALL_TIMEOUT_MS 30000u

/* Starts one worker per thread of o and fills *out_hello from the first
 * (identity, limits; its `message` holds the library path). Fails with the
 * worker's own message when the library or engine cannot be created.
 * [thread: main] */
int shades_isolate_create(shades_isolate **out, shades_wire_hello *out_hello,
                          const shades_instance_options *o, shades_err *err);

/* Stops the workers; NULL is allowed. [thread: main] */
void shades_isolate_destroy(shades_isolate *iso);

/* Hands the template region (a memfd of `size` bytes, `stride` per slot,
 * at most `capacity` template bytes each) to every worker, read-only, now
 * and after each restart. iso keeps a read-only descriptor of its own.
 * [thread: main, no call in flight] */
int shades_isolate_share(shades_isolate *iso, int fd, size_t size, size_t stride, size_t capacity,
                         shades_err *err);

/* Makes the template of one image into out_buf (the region's capacity
 * in bytes). On a fault *out_fault says which and *out is zeroed;
 * otherwise *out is the engine's reply and `message` (cap bytes) its
 * words when status < 0. [thread: any] */
int shades_isolate_template(uint8_t *out_buf, shades_wire_template *out, shades_fault *out_fault,
                            char *message, size_t cap, shades_isolate *iso, int role,
                            const shades_image *im, shades_err *err);

/* Scores n pairs of slots into out_scores and out_faults (n each; a
 * faulted pair scores -inf). Returns 0, or 1 when the engine returned an
 * error status on pair *out_bad (its reply in *out_bad_reply, its words in
 * message) and the rest were not scored, or a negative harness error.
 * [thread: any] */
int shades_isolate_compare(double *out_scores, uint8_t *out_faults, size_t *out_bad,
                           shades_wire_score *out_bad_reply, char *message, size_t cap,
                           shades_isolate *iso, const shades_wire_pair *pairs, size_t n,
                           shades_err *err);

/* Estimates the attributes of one image, as shades_isolate_template does
 * templates. [thread: any] */
int shades_isolate_estimate(shades_wire_attrs *out, shades_fault *out_fault, char *message,
                            size_t cap, shades_isolate *iso, const shades_image *im,
                            shades_err *err);

/* Faults so far: crashes and timeouts. [thread: any] */
void shades_isolate_faults(uint64_t *out_crashed, uint64_t *out_timed_out,
                           uint64_t *out_bad_reply, const shades_isolate *iso);

/* The worker side: serves requests on fd 3 until the harness goes away.
 * argv: library spec, config dir ("" for none), options, seed, limits
 * (shades_sandbox_limits_format). Ends the process, without exit
 * handlers, with its exit status; returns only on a wrong argument count. */
int shades_worker_main(int argc, char **argv);

#endif
