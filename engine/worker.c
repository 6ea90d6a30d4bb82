/* The isolated worker: one engine in its own process, serving the
 * harness's requests on fd 3 (isolate.h). */
#include "worker.h"

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <pwd.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "guard.h"
#include "isolate.h"
#include "paths.h"
#include "sandbox.h"

#define SOCK 3

typedef struct worker_state {
    sh_instance *inst;
    uint8_t *region;
    sh_wire_region layout;
    uint8_t *buf;       /* request payload, grown as needed */
    size_t cap;
    uint8_t *tmpl;      /* the engine writes templates here: template_max bytes,
                           then a canary */
    sh_wire_area *area; /* scores of the COMPARE in hand (wire.h), shared with the harness */
    uint64_t mark;      /* the engine's log before the request in hand */
} worker_state;

/* Sends a reply: the fixed part and, after an error status, the engine's words. */
static int reply(worker_state *ws, uint32_t type, const void *head, size_t len, int status)
{
    char msg[SH_WIRE_MESSAGE_MAX];
    msg[0] = 0;
    if (status != SHADES_OK)
        sh_instance_last_message(ws->inst, ws->mark, msg, sizeof msg);
    return sh_wire_send(SOCK, type, head, len, msg, status != SHADES_OK ? strlen(msg) : 0, -1);
}

/* The image a TEMPLATE or ESTIMATE request carries; -1 when malformed. */
static int request_image(shades_image *out, const sh_wire_image **out_head,
                         const worker_state *ws, size_t len)
{
    const sh_wire_image *h = (const sh_wire_image *)ws->buf;
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
    const sh_wire_image *h;
    if (request_image(&im, &h, ws, len))
        return -1;
    const shades_adapter *a = ws->inst->plugin->entry;
    shades_template_result res = {.struct_size = sizeof res};
    size_t cap = ws->inst->template_max;
    sh_canary_set(ws->tmpl + cap, SH_WIRE_CANARY_BYTES);
    int st = a->create_template(ws->tmpl, &res, ws->inst->engine, &im, 1, cap, h->role);
    if (!sh_canary_intact(ws->tmpl + cap, SH_WIRE_CANARY_BYTES))
        res.size = UINT64_MAX; /* written past: the harness records a bad reply */
    sh_wire_template out = {st, res.outcome, res.size, res.eyes};
    if (st != SHADES_OK || res.size > ws->inst->template_max)
        return reply(ws, SH_WIRE_TEMPLATE, &out, sizeof out, st);
    return sh_wire_send(SOCK, SH_WIRE_TEMPLATE, &out, sizeof out, ws->tmpl, res.size, -1);
}

static int serve_estimate(worker_state *ws, size_t len)
{
    shades_image im;
    const sh_wire_image *h;
    if (request_image(&im, &h, ws, len))
        return -1;
    sh_wire_attrs out = {.status = SHADES_ERR_UNSUPPORTED};
    out.attrs.struct_size = sizeof out.attrs;
    out.attrs.age = -1;
    if (ws->inst->ext.attributes)
        out.status = ws->inst->ext.attributes->estimate(&out.attrs, ws->inst->engine, &im);
    return reply(ws, SH_WIRE_ESTIMATE, &out, sizeof out, out.status);
}

/* Scores a block of pairs into the area, one engine call each, and says
 * where it stopped: at the end, or at the first pair with an error status
 * or a score that is not finite (that pair is not counted). */
static int serve_compare(worker_state *ws, size_t len)
{
    const sh_wire_pair *p = (const sh_wire_pair *)ws->buf;
    size_t n = len / sizeof *p, slots = ws->layout.stride ? ws->layout.size / ws->layout.stride : 0;
    if (len % sizeof *p || n > SH_WIRE_BATCH || !ws->region || !ws->area)
        return -1;
    const shades_adapter *a = ws->inst->plugin->entry;
    sh_wire_scored out = {0, SHADES_OK, 0};
    size_t k = 0;
    for (; k < n; k++) {
        if (p[k].enrol >= slots || p[k].verify >= slots)
            return -1;
        const uint8_t *e = ws->region + (size_t)p[k].enrol * ws->layout.stride;
        const uint8_t *v = ws->region + (size_t)p[k].verify * ws->layout.stride;
        uint64_t es = sh_engine_slot_size(e, ws->layout.stride);
        uint64_t vs = sh_engine_slot_size(v, ws->layout.stride);
        double score = NAN;
        int st = a->compare(&score, ws->inst->engine, v, vs, e, es);
        if (st != SHADES_OK || !isfinite(score)) {
            out.status = st;
            out.score = score;
            break;
        }
        ws->area->score[k] = score;
        atomic_store_explicit(&ws->area->done, (uint32_t)(k + 1), memory_order_release);
    }
    out.count = (uint32_t)k;
    return reply(ws, SH_WIRE_SCORED, &out, sizeof out, out.status);
}

/* Maps the score area the harness hands over, read-write. */
static int map_area(worker_state *ws, int fd, size_t len)
{
    if (fd < 0 || len != sizeof(uint64_t) || ws->area)
        return -1;
    void *p = mmap(NULL, sizeof *ws->area, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    close(fd);
    ws->area = p == MAP_FAILED ? NULL : p;
    return ws->area ? 0 : -1;
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
    void *p = mmap(NULL, ws->layout.size, PROT_READ, MAP_SHARED, fd, 0);
    close(fd);
    ws->region = p == MAP_FAILED ? NULL : p;
    return ws->region ? 0 : -1;
}

/* Says, after the sandbox is entered, when the user the engine now runs
 * as (who, looked up before it) cannot read path: a clearer word than the
 * loader's. */
static int readable_by_worker(const char *what, const char *path, int mode, const char *who,
                              sh_err *err)
{
    if (!path || !path[0] || access(path, mode) == 0 || errno != EACCES)
        return 0;
    return sh_err_set(err, SH_E_ADAPTER,
                          "isolation: %s '%s' is not readable by %s; make it and the "
                          "directories above it readable to that user",
                          what, path, who);
}

/* who = the user the engine will run as, by name where it has one, and
 * how it was chosen. Looked up before the sandbox, which hides
 * /etc/passwd. */
static void worker_user(char *who, size_t cap, const sh_sandbox_limits *l)
{
    uid_t uid = l->drop ? l->uid : geteuid();
    const struct passwd *pw = getpwuid(uid);
    const char *how = l->drop ? "the user isolated engines run as (--isolate-user)"
                              : "the user shades runs as";
    if (pw && pw->pw_name)
        snprintf(who, cap, "user '%s' (uid %u), %s", pw->pw_name, (unsigned)uid, how);
    else
        snprintf(who, cap, "uid %u, %s", (unsigned)uid, how);
}

/* Enters the sandbox, with the adapter's directory and the engine's
 * config dir readable; 0, or -1 with why in err. */
static int confine(char *out, size_t cap, const sh_instance_options *o,
                   const sh_sandbox_limits *l, sh_err *err)
{
    char path[PATH_MAX], real[PATH_MAX], dir[PATH_MAX];
    int rc = sh_plugin_resolve(path, sizeof path, o->spec, err);
    if (!rc && !realpath(path, real))
        rc = sh_err_set(err, SH_E_ADAPTER, "adapter '%s': %s", path, strerror(errno));
    if (!rc)
        rc = sh_path_dirname(dir, sizeof dir, real, err);
    if (rc)
        return rc;
    char who[256];
    worker_user(who, sizeof who, l);
    const char *readable[] = {dir, o->config_dir};
    if (sh_sandbox_enter(out, cap, l, readable, 2))
        return sh_err_set(err, SH_E_INTERNAL, "isolation: cannot enter the sandbox: %s",
                              out);
    rc = readable_by_worker("adapter", real, R_OK, who, err);
    return rc ? rc
              : readable_by_worker("engine.config_dir", o->config_dir, R_OK | X_OK, who, err);
}

/* Creates the engine in the sandbox and says hello; 0 when it is ready
 * to serve. */
static int hello(worker_state *ws, char **argv)
{
    sh_instance_options o = {.spec = argv[0], .config_dir = argv[1][0] ? argv[1] : NULL,
                                 .options = argv[2], .seed = strtoull(argv[3], NULL, 10),
                                 .threads = 1};
    sh_err err = {0};
    sh_wire_hello h;
    memset(&h, 0, sizeof h);
    sh_sandbox_limits l;
    if (sh_sandbox_limits_parse(&l, argv[4]))
        h.status = sh_err_set(&err, SH_E_INTERNAL, "isolation: bad worker limits");
    else
        h.status = confine(h.sandbox, sizeof h.sandbox, &o, &l, &err);
    if (!h.status) {
        h.status = sh_instance_create(&ws->inst, &o, &err);
        /* Too small an address space shows as a library the loader cannot
         * map: say which limit held. */
        if (h.status && l.memory_bytes &&
            (strstr(err.msg, "failed to map segment") ||
             strstr(err.msg, "annot allocate memory"))) {
            char why[sizeof err.msg];
            memcpy(why, err.msg, sizeof why);
            sh_err_set(&err, err.code,
                           "%s (the worker's address space was limited to %llu MiB by "
                           "--isolate-memory; too little for this engine?)",
                           why, (unsigned long long)(l.memory_bytes >> 20));
        }
    }
    if (!h.status && !(ws->tmpl = malloc(ws->inst->template_max + SH_WIRE_CANARY_BYTES)))
        h.status = sh_err_nomem(&err);
    if (h.status) {
        snprintf(h.message, sizeof h.message, "%s", err.msg);
    } else {
        const sh_instance *in = ws->inst;
        h.id = in->id;
        h.template_max = in->template_max;
        h.has_embedding = (uint32_t)in->has_embedding;
        h.embedding = in->embedding;
        snprintf(h.message, sizeof h.message, "%s", in->path);
    }
    if (sh_wire_send(SOCK, SH_WIRE_HELLO, &h, sizeof h, NULL, 0, -1))
        return -1;
    return h.status ? -1 : 0;
}

/* The worker itself ends through _exit alone: an exit() is the engine's
 * (in destroy, outside any watched call), and its status says so to
 * sh_isolate_finish whatever status the engine gave. */
static void engine_exited(int status, void *arg)
{
    (void)status, (void)arg;
    _exit(3);
}

int sh_worker_main(int argc, char **argv)
{
    if (argc != 5) {
        fprintf(stderr, "shades: error: __worker is started by the harness, not by hand\n");
        return 2;
    }
    sh_guard_default_signals();
    on_exit(engine_exited, NULL);
    /* Only the harness's socket may pass: whatever else a spawn caught
     * open (an image another thread was reading) is closed. */
    close_range(SOCK + 1, ~0U, 0);
    worker_state ws = {0};
    int status = hello(&ws, argv) ? 1 : 0;
    while (!status) {
        sh_wire_header h;
        int fd = -1;
        if (sh_wire_read_header(&h, &fd, SOCK, -1))
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
        if (h.length && sh_wire_read(SOCK, ws.buf, h.length, -1))
            break;
        ws.mark = sh_instance_log_mark(ws.inst);
        int rc = h.type == SH_WIRE_TEMPLATE   ? serve_template(&ws, h.length)
                 : h.type == SH_WIRE_COMPARE  ? serve_compare(&ws, h.length)
                 : h.type == SH_WIRE_ESTIMATE ? serve_estimate(&ws, h.length)
                 : h.type == SH_WIRE_REGION   ? map_region(&ws, fd, h.length)
                 : h.type == SH_WIRE_AREA     ? map_area(&ws, fd, h.length)
                                                  : -1;
        if (rc)
            status = 1;
    }
    if (ws.region)
        munmap(ws.region, ws.layout.size);
    if (ws.area)
        munmap(ws.area, sizeof *ws.area);
    free(ws.buf);
    free(ws.tmpl);
    sh_instance_destroy(ws.inst);
    /* No exit handlers: under seccomp a sanitizer's leak check cannot stop
     * the world (it needs clone and ptrace) and would print a fatal error
     * into the harness's stderr; the engine has nothing to save. */
    fflush(NULL);
    _exit(status);
}
