/* Process isolation: engine calls run in worker processes, one call at a
 * time each, so a crash or a hang costs one item instead of the run. The
 * workers are this program re-executed as `shades __worker`, each in a
 * sandbox (sandbox.h). Templates live in a region of shared memory the
 * harness writes and the workers may only read. The transport of the
 * isolated engine calls (call_isolated.c). */
#ifndef SH_ENGINE_ISOLATE_H
#define SH_ENGINE_ISOLATE_H

#include <stddef.h>
#include <stdint.h>

#include "call.h"
#include "error.h"
#include "instance.h"
#include "wire.h"

typedef struct sh_isolate sh_isolate;

/* Starts one worker per thread of o and fills *out_hello from the first
 * (identity, limits; its `message` holds the library path). Fails with the
 * worker's own message when the library or engine cannot be created.
 * [thread: main] */
int sh_isolate_create(sh_isolate **out, sh_wire_hello *out_hello,
                          const sh_instance_options *o, sh_err *err);

/* Stops the workers; NULL is allowed. [thread: main] */
void sh_isolate_destroy(sh_isolate *iso);

/* Tells every worker to destroy its engine and end, waits for them up to
 * the call limit and kills those still running: how many it killed into
 * out_killed, how many ended by a signal or an engine's exit status (a
 * crash or exit in destroy) into out_failed. The counts and the sandbox's
 * description stay. [thread: main, no call in flight] */
void sh_isolate_finish(unsigned *out_killed, unsigned *out_failed, sh_isolate *iso);

/* Hands the template region (a memfd of `size` bytes, `stride` per slot,
 * at most `capacity` template bytes each) to every worker, read-only, now
 * and after each restart. iso keeps a read-only descriptor of its own.
 * [thread: main, no call in flight] */
int sh_isolate_share(sh_isolate *iso, int fd, size_t size, size_t stride, size_t capacity,
                         sh_err *err);

/* Makes the template of one image into out_buf (the region's capacity
 * in bytes). On a fault *out_fault says which and *out is zeroed;
 * otherwise *out is the engine's reply and `message` (cap bytes) its
 * words when status < 0. [thread: any] */
int sh_isolate_template(uint8_t *out_buf, sh_wire_template *out, sh_fault *out_fault,
                            char *message, size_t cap, sh_isolate *iso, int role,
                            const shades_image *im, sh_err *err);

/* Scores n pairs of slots into out_scores and out_faults (n each; a
 * faulted pair scores -inf), in blocks of up to SH_WIRE_BATCH pairs, one
 * request and one reply a block (the scores through the worker's area,
 * wire.h); a fault is recorded against its own pair, and the pairs after
 * it go on to a fresh worker. Returns 0, or 1 when the engine returned an
 * error status on pair *out_bad (its reply in *out_bad_reply, its words in
 * message) and the rest were not scored, or a negative harness error.
 * [thread: any] */
int sh_isolate_compare(double *out_scores, uint8_t *out_faults, size_t *out_bad,
                           sh_wire_score *out_bad_reply, char *message, size_t cap,
                           sh_isolate *iso, const sh_wire_pair *pairs, size_t n,
                           sh_err *err);

/* Estimates the attributes of one image, as sh_isolate_template does
 * templates. [thread: any] */
int sh_isolate_estimate(sh_wire_attrs *out, sh_fault *out_fault, char *message,
                            size_t cap, sh_isolate *iso, const shades_image *im,
                            sh_err *err);

#endif
