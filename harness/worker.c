/* The isolated worker: one engine in its own process, serving the
 * harness's requests on fd 3 (isolate.h). */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "guard.h"
#include "isolate.h"

#define SOCK 3

typedef struct worker_state {
    shades_instance *inst;
    uint8_t *region;
    shades_wire_region layout;
    uint8_t *buf;       /* request payload, grown as needed */
    size_t cap;
} worker_state;

/* Sends a reply: the fixed part and, after an error status, the engine's words. */
static int reply(worker_state *ws, uint32_t type, const void *head, size_t len, int status)
{
    char msg[SHADES_WIRE_MESSAGE_MAX];
    msg[0] = 0;
    if (status != SHADES_OK)
        shades_instance_last_message(ws->inst, msg, sizeof msg);
    return shades_wire_send(SOCK, type, head, len, msg, status != SHADES_OK ? strlen(msg) : 0, -1);
}

/* The image a TEMPLATE or ESTIMATE request carries; -1 when malformed. */
static int request_image(shades_image *out, const shades_wire_image **out_head,
                         const worker_state *ws, size_t len)
{
    const shades_wire_image *h = (const shades_wire_image *)ws->buf;
    if (len < sizeof *h || len - sizeof *h != (size_t)h->height * h->stride)
        return -1;
    *out_head = h;
    *out = (shades_image){sizeof *out, h->width, h->height, h->stride, h->format, h->capture,
                          ws->buf + sizeof *h};
    return 0;
}

static int serve_template(worker_state *ws, size_t len)
{
    shades_image im;
    const shades_wire_image *h;
    if (request_image(&im, &h, ws, len) || !ws->region ||
        (uint64_t)(h->slot + 1) * ws->layout.stride > ws->layout.size)
        return -1;
    const shades_adapter *a = ws->inst->plugin->entry;
    shades_template_result res = {.struct_size = sizeof res};
    int st = a->create_template(ws->region + (size_t)h->slot * ws->layout.stride, &res,
                                ws->inst->engine, &im, 1, ws->layout.capacity, h->role);
    shades_wire_template out = {st, res.outcome, res.size, res.eyes};
    return reply(ws, SHADES_WIRE_TEMPLATE, &out, sizeof out, st);
}

static int serve_estimate(worker_state *ws, size_t len)
{
    shades_image im;
    const shades_wire_image *h;
    if (request_image(&im, &h, ws, len))
        return -1;
    shades_wire_attrs out = {.status = SHADES_ERR_UNSUPPORTED};
    out.attrs.struct_size = sizeof out.attrs;
    out.attrs.age = -1;
    if (ws->inst->ext.attributes)
        out.status = ws->inst->ext.attributes->estimate(&out.attrs, ws->inst->engine, &im);
    return reply(ws, SHADES_WIRE_ESTIMATE, &out, sizeof out, out.status);
}

static int serve_compare(worker_state *ws, size_t len)
{
    const shades_wire_pair *p = (const shades_wire_pair *)ws->buf;
    size_t n = len / sizeof *p, slots = ws->layout.stride ? ws->layout.size / ws->layout.stride : 0;
    if (len % sizeof *p || !ws->region)
        return -1;
    const shades_adapter *a = ws->inst->plugin->entry;
    for (size_t k = 0; k < n; k++) {
        if (p[k].enrol >= slots || p[k].verify >= slots)
            return -1;
        const uint8_t *e = ws->region + (size_t)p[k].enrol * ws->layout.stride;
        const uint8_t *v = ws->region + (size_t)p[k].verify * ws->layout.stride;
        uint64_t es = shades_wire_slot_size(e, ws->layout.stride);
        uint64_t vs = shades_wire_slot_size(v, ws->layout.stride);
        shades_wire_score out = {.score = NAN};
        out.status = a->compare(&out.score, ws->inst->engine, v, vs, e, es);
        if (reply(ws, SHADES_WIRE_SCORE, &out, sizeof out, out.status))
            return -1;
        if (out.status != SHADES_OK)
            break;
    }
    return 0;
}

static int map_region(worker_state *ws, int fd, size_t len)
{
    if (fd < 0 || len != sizeof ws->layout)
        return -1;
    if (ws->region)
        munmap(ws->region, ws->layout.size);
    memcpy(&ws->layout, ws->buf, sizeof ws->layout);
    if (ws->layout.capacity + 8 > ws->layout.stride)
        return -1;
    void *p = mmap(NULL, ws->layout.size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    close(fd);
    ws->region = p == MAP_FAILED ? NULL : p;
    return ws->region ? 0 : -1;
}

/* Creates the engine and says hello; 0 when it is ready to serve. */
static int hello(worker_state *ws, char **argv)
{
    shades_instance_options o = {.spec = argv[0], .config_dir = argv[1][0] ? argv[1] : NULL,
                                 .options = argv[2], .seed = strtoull(argv[3], NULL, 10),
                                 .threads = 1};
    shades_err err = {0};
    shades_wire_hello h;
    memset(&h, 0, sizeof h);
    h.status = shades_instance_create(&ws->inst, &o, &err);
    if (h.status) {
        snprintf(h.message, sizeof h.message, "%s", err.msg);
    } else {
        const shades_instance *in = ws->inst;
        h.id = in->id;
        h.template_max = in->template_max;
        h.has_embedding = (uint32_t)in->has_embedding;
        h.embedding = in->embedding;
        snprintf(h.message, sizeof h.message, "%s", in->path);
    }
    if (shades_wire_send(SOCK, SHADES_WIRE_HELLO, &h, sizeof h, NULL, 0, -1))
        return -1;
    return h.status ? -1 : 0;
}

int shades_worker_main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "shades: error: __worker is started by the harness, not by hand\n");
        return 2;
    }
    shades_guard_default_signals();
    worker_state ws = {0};
    int status = hello(&ws, argv) ? 1 : 0;
    while (!status) {
        shades_wire_header h;
        int fd = -1;
        if (shades_wire_read_header(&h, &fd, SOCK, -1))
            break; /* the harness is done with us */
        if (h.length > ws.cap) {
            uint8_t *b = realloc(ws.buf, h.length);
            if (!b) {
                status = 1;
                break;
            }
            ws.buf = b;
            ws.cap = h.length;
        }
        if (h.length && shades_wire_read(SOCK, ws.buf, h.length, -1))
            break;
        int rc = h.type == SHADES_WIRE_TEMPLATE   ? serve_template(&ws, h.length)
                 : h.type == SHADES_WIRE_COMPARE  ? serve_compare(&ws, h.length)
                 : h.type == SHADES_WIRE_ESTIMATE ? serve_estimate(&ws, h.length)
                 : h.type == SHADES_WIRE_REGION   ? map_region(&ws, fd, h.length)
                                                  : -1;
        if (rc)
            status = 1;
    }
    if (ws.region)
        munmap(ws.region, ws.layout.size);
    free(ws.buf);
    shades_instance_destroy(ws.inst);
    return status;
}
