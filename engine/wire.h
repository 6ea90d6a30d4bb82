/* Messages between the harness and an isolated engine worker: a small
 * header and a payload on a stream socket, one process on each end. */
#ifndef SH_ENGINE_WIRE_H
#define SH_ENGINE_WIRE_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <shades/adapter.h>

#include "call.h"
#include "instance.h"

/* Message types; requests from the harness, replies from the worker. */
enum {
    SH_WIRE_HELLO = 1,    /* worker: identity and limits, once, after create */
    SH_WIRE_REGION = 2,   /* harness: the template region, read-only (fd attached) */
    SH_WIRE_TEMPLATE = 3, /* harness: one image; worker: its template result */
    SH_WIRE_COMPARE = 4,  /* harness: a block of pairs; scores go to the worker's area */
    SH_WIRE_SCORED = 5,   /* worker: where it stopped a COMPARE, once per block */
    SH_WIRE_ESTIMATE = 6, /* harness: one image; worker: its attributes */
    SH_WIRE_AREA = 7      /* harness: the worker's score area, read-write (fd attached) */
};

/* Longest engine message carried back with a reply. */
#define SH_WIRE_MESSAGE_MAX SH_ENGINE_MESSAGE_MAX

/* Header of every message. */
typedef struct sh_wire_header {
    uint32_t type;
    uint32_t length;          /* payload bytes that follow */
} sh_wire_header;

/* HELLO payload; status < 0 means the engine could not be created and
 * `message` says why. */
typedef struct sh_wire_hello {
    int32_t status;
    uint32_t has_embedding;
    uint64_t template_max;
    sh_identity id;
    shades_embedding embedding;
    char message[4096];       /* the error, or the library path loaded */
    char sandbox[512];        /* what confines the worker (sandbox.h) */
} sh_wire_hello;

/* REGION payload: the template region's size, bytes per slot, and bytes
 * the engine may write per template. */
typedef struct sh_wire_region {
    uint64_t size, stride, capacity;
} sh_wire_region;

/* Canary bytes after the worker's template buffer (call.h's canary). */
#define SH_WIRE_CANARY_BYTES 64

/* TEMPLATE and ESTIMATE request payload, followed by height * stride pixel bytes. */
typedef struct sh_wire_image {
    uint32_t reserved0;       /* 0 */
    int32_t role;
    uint32_t width, height, stride, format, capture, reserved;
} sh_wire_image;

/* TEMPLATE reply, followed by the template's `size` bytes when status is
 * SHADES_OK and size fits the region's capacity, else by the engine's last
 * message (as every other reply is when status < 0). */
typedef struct sh_wire_template {
    int32_t status, outcome;
    uint64_t size;
    shades_eyes eyes;
} sh_wire_template;

/* One pair of a COMPARE request, as call.h has it: slots enrol and verify. */
typedef sh_engine_pair sh_wire_pair;

/* Most pairs in one COMPARE request; the harness splits longer calls. */
#define SH_WIRE_BATCH 4096u

/* A worker's score area: shared memory the harness makes, one per worker
 * slot, handed over by AREA after HELLO. For each pair k of a COMPARE in
 * turn the worker writes score[k], then sets done to k + 1 (release), so
 * at any moment `done` is the pair in the engine's hands: a crash or hang
 * is recorded against it exactly, and the harness watches it advance to
 * tell a slow block from a hung call. The harness sets done to 0 before
 * each request. Written by the worker, which the engine shares: the
 * harness checks done <= the block's pairs and every score it takes. */
typedef struct sh_wire_area {
    _Atomic uint32_t done;
    uint32_t reserved;
    double score[SH_WIRE_BATCH];
} sh_wire_area;

_Static_assert(sizeof(sh_wire_area) == 8 + 8 * SH_WIRE_BATCH, "sh_wire_area has no padding");

/* SCORED reply, one per COMPARE: `count` pairs scored (in the area), and,
 * when count is short of the request, the pair at count stopped it with
 * `status` (followed by the engine's words) or a `score` that is not
 * finite. */
typedef struct sh_wire_scored {
    uint32_t count;
    int32_t status;
    double score;
} sh_wire_scored;

/* The pair a COMPARE stopped at: the engine's status and score. */
typedef struct sh_wire_score {
    int32_t status, reserved;
    double score;
} sh_wire_score;

/* ESTIMATE reply. */
typedef struct sh_wire_attrs {
    int32_t status, reserved;
    shades_attributes attrs;
} sh_wire_attrs;

/* Sends one message: header, head (head_len bytes) then tail (tail_len
 * bytes, may be NULL), with fd attached when fd >= 0. 0 or -1 (peer gone). */
int sh_wire_send(int sock, uint32_t type, const void *head, size_t head_len,
                     const void *tail, size_t tail_len, int fd);

/* Reads exactly n bytes within timeout_ms (< 0: no limit). 0, -1 when the
 * peer is gone, -2 on timeout. */
int sh_wire_read(int sock, void *buf, size_t n, int timeout_ms);

/* Reads a header, taking an attached fd into *out_fd (may be NULL; -1 when
 * none). Same returns as sh_wire_read. */
int sh_wire_read_header(sh_wire_header *out, int *out_fd, int sock, int timeout_ms);

#endif
