/* The checks of `shades check-adapter`, each run in its own process
 * (check_adapter.c) on an engine created for it. */
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "check_adapter.h"
#include "embedding_score.h"
#include "engine_provenance.h"
#include "extensions.h"

/* NIST FRVT 1:1's limits, the reference lines of the timing check. */
#define NIST_TEMPLATE_S 1.5
#define NIST_COMPARE_S 0.0001

/* Repetitions of each timing; the fastest counts. */
#define TIMING_REPS 5

/* Most OK templates used for pairwise checks. */
#define MAX_PAIRED 24

double sh_check_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int result(sh_check_ctx *c, int r, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int result(sh_check_ctx *c, int r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->detail, sizeof c->detail, fmt, ap);
    va_end(ap);
    return r;
}

void sh_check_note(const sh_check_ctx *ctx, const char *fmt, ...)
{
    char line[160];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line + 1, sizeof line - 2, fmt, ap);
    va_end(ap);
    line[0] = '@';
    n = n < 0 ? 0 : n > (int)sizeof line - 3 ? (int)sizeof line - 3 : n;
    line[n + 1] = '\n';
    ssize_t w = write(ctx->notes, line, (size_t)n + 2);
    (void)w;
}

static shades_image image_of(const sh_pixels *px)
{
    return (shades_image){sizeof(shades_image), px->width, px->height, px->stride, px->format,
                          SHADES_CAPTURE_UNKNOWN, px->data};
}

/* Bytes after each template buffer, set to a canary that catches an engine
 * writing past its buffer before the damage reaches the next template. */
#define TAIL 64

/* Templates of every image, made once. */
typedef struct made {
    size_t n, cap;
    size_t overrun;        /* first image whose call wrote past its buffer, or SIZE_MAX */
    uint8_t *bytes;        /* the first template's buffer in the mapping */
    void *map;             /* n slots of `stride` bytes, each ending in a guard page */
    size_t map_len, stride, tail; /* tail: canary bytes after each buffer's cap */
    size_t *size;
    int32_t *outcome;
    int *status;
    double seconds;        /* total time in create_template */
    size_t failed;         /* first image whose call did not return SHADES_OK, or SIZE_MAX */
    char said[520];        /* " (its words)" for that call, or "" */
    size_t n_ok;
    size_t ok[MAX_PAIRED]; /* first OK templates */
} made;

static const shades_adapter *entry(const sh_check_ctx *c)
{
    return c->inst->plugin->entry;
}

/* " (the engine's last message)" when it logged one since mark (taken
 * before the call), else "": a failed call's reason, in its own words,
 * never another call's. */
static const char *engine_said(char *out, size_t cap, sh_check_ctx *c, uint64_t mark)
{
    out[0] = 0;
    sh_instance_last_message(c->inst, mark, out + 2, cap - 4);
    if (out[2]) {
        out[0] = ' ', out[1] = '(';
        strcat(out, ")");
    }
    return out;
}

static int make_all(made *m, sh_check_ctx *c, int role)
{
    memset(m, 0, sizeof *m);
    m->n = c->n_images;
    m->cap = c->inst->template_max;
    m->overrun = SIZE_MAX;
    m->failed = SIZE_MAX;
    /* Each buffer ends its pages, a canary after it and an unmapped guard
     * page after that: a write a little past the buffer is found by the
     * canary, one far past it faults in the very call that made it, not
     * later in the harness's heap. */
    size_t page = (size_t)sysconf(_SC_PAGESIZE);
    size_t region = ((m->cap + 7) & ~(size_t)7) + TAIL;
    size_t pages = (region + page - 1) / page * page;
    m->tail = region - m->cap;
    m->stride = pages + page;
    m->map_len = m->n * m->stride;
    m->map = m->n ? mmap(NULL, m->map_len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                         -1, 0)
                  : NULL;
    if (m->map == MAP_FAILED)
        m->map = NULL;
    for (size_t i = 0; m->map && i < m->n; i++)
        if (mprotect((uint8_t *)m->map + i * m->stride + pages, page, PROT_NONE)) {
            munmap(m->map, m->map_len);
            m->map = NULL;
        }
    m->bytes = m->map ? (uint8_t *)m->map + (pages - region) : NULL;
    m->size = calloc(m->n, sizeof *m->size);
    m->outcome = calloc(m->n, sizeof *m->outcome);
    m->status = calloc(m->n, sizeof *m->status);
    if ((m->n && !m->bytes) || !m->size || !m->outcome || !m->status)
        return -1;
    for (size_t i = 0; i < m->n; i++) {
        shades_image im = image_of(&c->images[i]);
        shades_template_result r = {.struct_size = sizeof r};
        uint8_t *buf = m->bytes + i * m->stride;
        sh_canary_set(buf + m->cap, m->tail);
        sh_check_note(c, "in create_template on image %zu", i);
        double t0 = sh_check_now();
        uint64_t mark = sh_instance_log_mark(c->inst);
        m->status[i] = entry(c)->create_template(buf, &r, c->inst->engine, &im, 1, m->cap, role);
        m->seconds += sh_check_now() - t0;
        if (m->status[i] != SHADES_OK && m->failed == SIZE_MAX) {
            m->failed = i;
            engine_said(m->said, sizeof m->said, c, mark);
        }
        if (m->overrun == SIZE_MAX && !sh_canary_intact(buf + m->cap, m->tail))
            m->overrun = i;
        m->size[i] = r.size;
        m->outcome[i] = r.outcome;
        if (m->status[i] == SHADES_OK && r.outcome == SHADES_OUTCOME_OK && r.size <= m->cap &&
            m->n_ok < MAX_PAIRED)
            m->ok[m->n_ok++] = i;
    }
    return 0;
}

/* Images whose template was made (m->n_ok stops at MAX_PAIRED). */
static size_t usable(const made *m)
{
    size_t n = 0;
    for (size_t i = 0; i < m->n; i++)
        n += m->status[i] == SHADES_OK && m->outcome[i] == SHADES_OUTCOME_OK;
    return n;
}

static void made_free(made *m)
{
    if (m->map)
        munmap(m->map, m->map_len);
    free(m->size);
    free(m->outcome);
    free(m->status);
}

static const uint8_t *tpl(const made *m, size_t i)
{
    return m->bytes + i * m->stride;
}

/* Pointers to and sizes of m's usable templates, for the many-template calls. */
static void ok_templates(const uint8_t **refs, size_t *sizes, const made *m)
{
    for (size_t k = 0; k < m->n_ok; k++) {
        refs[k] = tpl(m, m->ok[k]);
        sizes[k] = m->size[m->ok[k]];
    }
}

static int check_load(sh_check_ctx *c)
{
    char caps[256];
    sh_capabilities_describe(caps, sizeof caps, c->inst->id.capabilities);
    const sh_identity *id = &c->inst->id;
    return result(c, SH_CHECK_PASS,
                  "%s %s (%s), ABI %u.%u, template_size_max %zu, concurrency %s; %s", id->name,
                  id->version, id->vendor, id->abi_major, id->abi_minor, c->inst->template_max,
                  entry(c)->max_concurrency(c->inst->engine) ? "limited" : "any", caps);
}

static int check_templates(sh_check_ctx *c)
{
    made a, b;
    int r = SH_CHECK_PASS;
    if (make_all(&a, c, SHADES_ROLE_ENROL_11) || make_all(&b, c, SHADES_ROLE_ENROL_11))
        r = result(c, SH_CHECK_FAIL, "out of memory");
    size_t largest = 0;
    if (r == SH_CHECK_PASS && a.overrun != SIZE_MAX)
        r = result(c, SH_CHECK_FAIL, "image %zu: create_template wrote past the end of its "
                   "%zu-byte buffer", a.overrun, a.cap);
    for (size_t i = 0; r == SH_CHECK_PASS && i < a.n; i++) {
        if (a.status[i] != SHADES_OK)
            r = result(c, SH_CHECK_FAIL, "image %zu: create_template returned %s%s", i,
                       sh_status_name(a.status[i]), i == a.failed ? a.said : "");
        else if (a.size[i] > a.cap)
            r = result(c, SH_CHECK_FAIL, "image %zu: template of %zu bytes, more than "
                       "template_size_max %zu", i, a.size[i], a.cap);
        else if (a.outcome[i] < SHADES_OUTCOME_OK || a.outcome[i] > SHADES_OUTCOME_FAILED)
            r = result(c, SH_CHECK_FAIL, "image %zu: unknown outcome %d", i, a.outcome[i]);
        else if (a.outcome[i] != b.outcome[i] || a.size[i] != b.size[i] ||
                 memcmp(tpl(&a, i), tpl(&b, i), a.size[i]))
            r = result(c, SH_CHECK_FAIL, "image %zu: two templates of the same image differ "
                       "(not deterministic)", i);
        largest = a.size[i] > largest ? a.size[i] : largest;
    }
    if (r == SH_CHECK_PASS)
        result(c, r, "%zu images, %zu templates; deterministic; largest %zu of %zu bytes", a.n,
               usable(&a), largest, a.cap);
    made_free(&a);
    made_free(&b);
    return r;
}

static int compare(double *out, sh_check_ctx *c, const uint8_t *v, size_t vs,
                   const uint8_t *e, size_t es)
{
    *out = NAN;
    return entry(c)->compare(out, c->inst->engine, v, vs, e, es);
}

static int check_compare(sh_check_ctx *c)
{
    made m;
    if (make_all(&m, c, SHADES_ROLE_ENROL_11))
        return result(c, SH_CHECK_FAIL, "out of memory");
    int r = SH_CHECK_PASS, symmetric = 1;
    size_t pairs = 0;
    int declared = (c->inst->id.capabilities & SHADES_CAP_SYMMETRIC) != 0;
    if (m.n_ok < 2)
        r = result(c, SH_CHECK_SKIP, "fewer than two images gave a template; give face "
                   "images with --images DIR");
    for (size_t x = 0; r == SH_CHECK_PASS && x < m.n_ok; x++)
        for (size_t y = 0; r == SH_CHECK_PASS && y < m.n_ok; y++) {
            size_t i = m.ok[x], j = m.ok[y];
            double s1, s2, s3;
            sh_check_note(c, "in compare of templates %zu and %zu", i, j);
            uint64_t mark = sh_instance_log_mark(c->inst);
            int st = compare(&s1, c, tpl(&m, i), m.size[i], tpl(&m, j), m.size[j]);
            int st2 = compare(&s2, c, tpl(&m, i), m.size[i], tpl(&m, j), m.size[j]);
            int st3 = compare(&s3, c, tpl(&m, j), m.size[j], tpl(&m, i), m.size[i]);
            pairs++;
            char said[520];
            if (st != SHADES_OK || st2 != SHADES_OK || st3 != SHADES_OK)
                r = result(c, SH_CHECK_FAIL, "templates %zu and %zu: compare returned %s%s", i,
                           j, sh_status_name(st != SHADES_OK ? st : st2 != SHADES_OK ? st2 : st3),
                           engine_said(said, sizeof said, c, mark));
            else if (!isfinite(s1) || !isfinite(s2) || !isfinite(s3))
                r = result(c, SH_CHECK_FAIL, "templates %zu and %zu: score is %g, not a finite "
                           "number", !isfinite(s3) ? j : i, !isfinite(s3) ? i : j,
                           !isfinite(s1) ? s1 : !isfinite(s2) ? s2 : s3);
            else if (s1 != s2)
                r = result(c, SH_CHECK_FAIL, "templates %zu and %zu: scores %g then %g (not "
                           "deterministic)", i, j, s1, s2);
            else if (s1 != s3) {
                symmetric = 0;
                if (declared)
                    r = result(c, SH_CHECK_FAIL, "declares SHADES_CAP_SYMMETRIC but "
                               "compare(%zu, %zu) = %g and compare(%zu, %zu) = %g", i, j, s1, j, i,
                               s3);
            }
        }
    /* A failed template (size 0) must still be comparable. */
    double s;
    sh_check_note(c, "in compare with a failed template");
    int st = m.n_ok ? compare(&s, c, tpl(&m, m.ok[0]), 0, tpl(&m, m.ok[0]), m.size[m.ok[0]])
                    : SHADES_OK;
    if (r == SH_CHECK_PASS && st != SHADES_OK && st != SHADES_ERR_TEMPLATE)
        r = result(c, SH_CHECK_FAIL, "compare with an empty (failed) template returned %s; "
                   "expected SHADES_OK or SHADES_ERR_TEMPLATE", sh_status_name(st));
    if (r == SH_CHECK_PASS)
        result(c, r, "%zu comparisons: deterministic, %s%s; an empty template gives %s", pairs,
               symmetric ? "symmetric" : "not symmetric",
               declared ? " as declared" : " (not declared)", sh_status_name(st));
    made_free(&m);
    return r;
}

/* One hostile image's fate: a message naming the outcome, or failure. */
static int hostile(sh_check_ctx *c, char *out, size_t cap, const char *what,
                   const shades_image *im)
{
    uint8_t *buf = malloc(c->inst->template_max);
    shades_template_result r = {.struct_size = sizeof r};
    if (!buf)
        return -1;
    sh_check_note(c, "in create_template on the %s image", what);
    int st = entry(c)->create_template(buf, &r, c->inst->engine, im, 1, c->inst->template_max,
                                       SHADES_ROLE_ENROL_11);
    free(buf);
    const char *names[] = {"template", "no face", "refused", "failed"};
    if (st == SHADES_OK && r.outcome >= 0 && r.outcome <= 3 && r.size <= c->inst->template_max) {
        snprintf(out, cap, "%s: %s", what, names[r.outcome]);
        return 0;
    }
    if (st == SHADES_ERR_INVALID || st == SHADES_ERR_UNSUPPORTED) {
        snprintf(out, cap, "%s: %s", what, sh_status_name(st));
        return 0;
    }
    snprintf(out, cap, "%s: %s", what,
             st != SHADES_OK ? sh_status_name(st)
             : r.size > c->inst->template_max ? "a template larger than its buffer"
                                              : "an unknown outcome");
    return 1;
}

static int check_bad_images(sh_check_ctx *c)
{
    enum { HUGE_SIDE = 6000, NOISE_SIDE = 256 };
    uint8_t one = 0;
    uint8_t *big = calloc((size_t)HUGE_SIDE * HUGE_SIDE, 1);
    uint8_t *noise = malloc((size_t)NOISE_SIDE * NOISE_SIDE * 3);
    if (!big || !noise) {
        free(big);
        free(noise);
        return result(c, SH_CHECK_FAIL, "out of memory");
    }
    uint64_t h = 12345;
    for (size_t k = 0; k < (size_t)NOISE_SIDE * NOISE_SIDE * 3; k++)
        noise[k] = (uint8_t)((h = h * 6364136223846793005ULL + 1442695040888963407ULL) >> 56);
    for (size_t k = 0; k < (size_t)HUGE_SIDE * HUGE_SIDE; k += 7)
        big[k] = noise[k % (NOISE_SIDE * NOISE_SIDE)];
    const struct {
        const char *what;
        shades_image im;
    } cases[] = {
        {"empty 0x0", {sizeof(shades_image), 0, 0, 0, SHADES_PIXEL_GRAY8, 0, &one}},
        {"tiny 1x1", {sizeof(shades_image), 1, 1, 1, SHADES_PIXEL_GRAY8, 0, &one}},
        {"huge 6000x6000", {sizeof(shades_image), HUGE_SIDE, HUGE_SIDE, HUGE_SIDE,
                            SHADES_PIXEL_GRAY8, 0, big}},
        {"noise RGB", {sizeof(shades_image), NOISE_SIDE, NOISE_SIDE, NOISE_SIDE * 3,
                       SHADES_PIXEL_RGB8, 0, noise}},
        {"unknown format", {sizeof(shades_image), 16, 16, 16, 99, 0, noise}},
    };
    char all[900] = "", one_line[200];
    int r = SH_CHECK_PASS;
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        int bad = hostile(c, one_line, sizeof one_line, cases[k].what, &cases[k].im);
        if (bad) {
            r = result(c, SH_CHECK_FAIL, bad < 0 ? "out of memory" : "%s (expected an "
                       "outcome, SHADES_ERR_INVALID or SHADES_ERR_UNSUPPORTED)", one_line);
            break;
        }
        size_t n = strlen(all);
        snprintf(all + n, sizeof all - n, "%s%s", n ? ", " : "", one_line);
    }
    free(big);
    free(noise);
    return r == SH_CHECK_PASS ? result(c, r, "%s", all) : r;
}

static int check_bad_templates(sh_check_ctx *c)
{
    made m;
    if (make_all(&m, c, SHADES_ROLE_ENROL_11))
        return result(c, SH_CHECK_FAIL, "out of memory");
    int r = SH_CHECK_PASS;
    if (m.n_ok == 0)
        r = result(c, SH_CHECK_SKIP, "no image gave a template; give face images with "
                   "--images DIR");
    size_t cap = c->inst->template_max;
    uint8_t *junk = malloc(cap);
    for (size_t k = 0; junk && k < cap; k++)
        junk[k] = (uint8_t)(k * 131 + 7);
    const char *what[] = {"random bytes", "a truncated template"};
    for (int k = 0; junk && r == SH_CHECK_PASS && k < 2; k++) {
        size_t good = m.ok[0];
        double s;
        sh_check_note(c, "in compare with %s", what[k]);
        int st = compare(&s, c, k ? tpl(&m, good) : junk, k ? m.size[good] / 2 : cap,
                         tpl(&m, good), m.size[good]);
        if (st != SHADES_OK && st != SHADES_ERR_TEMPLATE && st != SHADES_ERR_INVALID)
            r = result(c, SH_CHECK_FAIL, "compare with %s returned %s; expected "
                       "SHADES_ERR_TEMPLATE", what[k], sh_status_name(st));
        else if (st == SHADES_OK && !isfinite(s))
            r = result(c, SH_CHECK_FAIL, "compare with %s returned %g, not a finite number",
                       what[k], s);
    }
    if (r == SH_CHECK_PASS)
        result(c, r, junk ? "random bytes and a truncated template are refused or scored" :
               "out of memory");
    free(junk);
    made_free(&m);
    return r;
}

typedef struct race {
    sh_check_ctx *c;
    const made *ref;
    int rounds;
    size_t bad;            /* image that differed, or SIZE_MAX */
} race;

static void *race_thread(void *arg)
{
    race *x = arg;
    const made *ref = x->ref;
    uint8_t *buf = malloc(ref->cap + TAIL);
    for (int round = 0; buf && round < x->rounds && x->bad == SIZE_MAX; round++)
        for (size_t i = 0; i < ref->n; i++) {
            shades_image im = image_of(&x->c->images[i]);
            shades_template_result r = {.struct_size = sizeof r};
            int st = entry(x->c)->create_template(buf, &r, x->c->inst->engine, &im, 1, ref->cap,
                                                  SHADES_ROLE_ENROL_11);
            if (st != ref->status[i] || r.outcome != ref->outcome[i] || r.size != ref->size[i] ||
                memcmp(buf, tpl(ref, i), r.size <= ref->cap ? r.size : 0)) {
                x->bad = i;
                break;
            }
        }
    free(buf);
    return NULL;
}

static int check_concurrency(sh_check_ctx *c)
{
    uint32_t declared = entry(c)->max_concurrency(c->inst->engine);
    if (declared == 1)
        return result(c, SH_CHECK_PASS, "declares one call at a time; the harness "
                      "serialises it (not exercised)");
    unsigned n = declared && declared < 8 ? declared : 8;
    made ref;
    if (make_all(&ref, c, SHADES_ROLE_ENROL_11))
        return result(c, SH_CHECK_FAIL, "out of memory");
    race x[8];
    pthread_t th[8];
    unsigned started = 0;
    /* Up to 20 rounds, fewer for a slow engine: each caller spends about
     * half a second's worth of single-call time, however slow templates are. */
    int rounds = ref.seconds > 0 ? (int)fmin(20, fmax(1, 0.5 / ref.seconds)) : 20;
    for (unsigned k = 0; k < n; k++) {
        x[k] = (race){c, &ref, rounds, SIZE_MAX};
        if (pthread_create(&th[k], NULL, race_thread, &x[k]) == 0)
            started++;
        else
            break;
    }
    for (unsigned k = 0; k < started; k++)
        pthread_join(th[k], NULL);
    int r = result(c, SH_CHECK_PASS, "%u concurrent callers x %d rounds, %s declared: every "
                   "template as made alone", started, rounds, declared ? "as" : "any number");
    for (unsigned k = 0; k < started; k++)
        if (x[k].bad != SIZE_MAX) {
            r = result(c, SH_CHECK_FAIL, "image %zu: its template differs under %u concurrent "
                       "calls (declared %s); declare max_concurrency 1 or make the engine "
                       "thread-safe", x[k].bad, started, declared ? "a limit" : "any number");
            break;
        }
    made_free(&ref);
    return r;
}

/* Agreement of a second score source with compare, to float precision. */
static int agrees(double a, double b)
{
    return fabs(a - b) <= 1e-4 * fmax(1.0, fmax(fabs(a), fabs(b)));
}

static int check_batch(sh_check_ctx *c)
{
    if (!c->inst->ext.batch)
        return result(c, SH_CHECK_SKIP, "not declared");
    made m;
    if (make_all(&m, c, SHADES_ROLE_ENROL_11))
        return result(c, SH_CHECK_FAIL, "out of memory");
    int r = m.n_ok < 2 ? result(c, SH_CHECK_SKIP, "fewer than two templates to compare")
                       : SH_CHECK_PASS;
    const uint8_t *refs[MAX_PAIRED];
    size_t sizes[MAX_PAIRED];
    double many[MAX_PAIRED];
    ok_templates(refs, sizes, &m);
    for (size_t x = 0; r == SH_CHECK_PASS && x < m.n_ok; x++) {
        size_t v = m.ok[x];
        sh_check_note(c, "in compare_many of template %zu", v);
        char said[520];
        uint64_t mark = sh_instance_log_mark(c->inst);
        int st = c->inst->ext.batch->compare_many(many, c->inst->engine, tpl(&m, v), m.size[v],
                                                  refs, sizes, m.n_ok);
        engine_said(said, sizeof said, c, mark);
        for (size_t y = 0; r == SH_CHECK_PASS && y < m.n_ok; y++) {
            double one;
            sh_check_note(c, "in compare of templates %zu and %zu", v, m.ok[y]);
            compare(&one, c, tpl(&m, v), m.size[v], refs[y], sizes[y]);
            if (st != SHADES_OK)
                r = result(c, SH_CHECK_FAIL, "compare_many returned %s%s",
                           sh_status_name(st), said);
            else if (!agrees(many[y], one))
                r = result(c, SH_CHECK_FAIL, "compare_many gives %g where compare gives %g "
                           "(templates %zu, %zu)", many[y], one, v, m.ok[y]);
        }
    }
    if (r == SH_CHECK_PASS)
        result(c, r, "%zu batches agree with compare", m.n_ok);
    made_free(&m);
    return r;
}

static int check_embedding(sh_check_ctx *c)
{
    if (!c->inst->has_embedding)
        return result(c, SH_CHECK_SKIP, "not declared");
    const shades_embedding *e = &c->inst->embedding;
    made m;
    if (make_all(&m, c, SHADES_ROLE_ENROL_11))
        return result(c, SH_CHECK_FAIL, "out of memory");
    int r = m.n_ok < 2 ? result(c, SH_CHECK_SKIP, "fewer than two templates to compare")
                       : SH_CHECK_PASS;
    size_t need = (size_t)e->offset + 4 * (size_t)e->dimension;
    for (size_t x = 0; r == SH_CHECK_PASS && x < m.n_ok; x++)
        if (m.size[m.ok[x]] < need)
            r = result(c, SH_CHECK_FAIL, "template %zu is %zu bytes; the declared vector "
                       "needs %zu", m.ok[x], m.size[m.ok[x]], need);
    for (size_t x = 0; r == SH_CHECK_PASS && x < m.n_ok; x++)
        for (size_t y = 0; r == SH_CHECK_PASS && y < m.n_ok; y++) {
            const float *a = sh_embedding_vector(e, tpl(&m, m.ok[x]));
            const float *b = sh_embedding_vector(e, tpl(&m, m.ok[y]));
            double mine = sh_embedding_score(e, a, sh_embedding_norm(e, a), b,
                                                 sh_embedding_norm(e, b));
            double theirs;
            sh_check_note(c, "in compare of templates %zu and %zu", m.ok[x], m.ok[y]);
            compare(&theirs, c, tpl(&m, m.ok[x]), m.size[m.ok[x]], tpl(&m, m.ok[y]),
                    m.size[m.ok[y]]);
            if (!agrees(mine, theirs))
                r = result(c, SH_CHECK_FAIL, "the declared metric gives %g where compare "
                           "gives %g (templates %zu, %zu)", mine, theirs, m.ok[x], m.ok[y]);
        }
    const char *metric[] = {"", "cosine", "dot", "negative L2"};
    if (r == SH_CHECK_PASS)
        result(c, r, "%u floats at byte %u, %s: the harness's scores match compare",
               e->dimension, e->offset, metric[e->metric]);
    made_free(&m);
    return r;
}

static int check_search(sh_check_ctx *c)
{
    const shades_search_1n *s = c->inst->ext.search;
    if (!s)
        return result(c, SH_CHECK_SKIP, "not declared");
    made g, p;
    int fa = make_all(&g, c, SHADES_ROLE_ENROL_1N), fb = make_all(&p, c, SHADES_ROLE_SEARCH_1N);
    if (fa || fb) {
        made_free(&g);
        made_free(&p);
        return result(c, SH_CHECK_FAIL, "out of memory");
    }
    int r = g.n_ok < 2 ? result(c, SH_CHECK_SKIP, "fewer than two templates")
                       : SH_CHECK_PASS;
    const uint8_t *refs[MAX_PAIRED];
    size_t sizes[MAX_PAIRED];
    uint64_t ids[MAX_PAIRED];
    ok_templates(refs, sizes, &g);
    for (size_t k = 0; k < g.n_ok; k++)
        ids[k] = 1000 + k;
    shades_gallery *gal = NULL;
    sh_check_note(c, "in gallery_create");
    char said[520];
    uint64_t mark = sh_instance_log_mark(c->inst);
    int st = r ? SHADES_OK : s->gallery_create(&gal, c->inst->engine, refs, sizes, ids, g.n_ok);
    if (r == SH_CHECK_PASS && (st != SHADES_OK || !gal))
        r = result(c, SH_CHECK_FAIL, "gallery_create returned %s%s", sh_status_name(st),
                   engine_said(said, sizeof said, c, mark));
    size_t L = g.n_ok < 5 ? g.n_ok : 5;
    for (size_t x = 0; r == SH_CHECK_PASS && x < p.n_ok; x++) {
        shades_candidate cand[5];
        size_t got = SIZE_MAX;
        size_t q = p.ok[x];
        sh_check_note(c, "in search of template %zu", q);
        mark = sh_instance_log_mark(c->inst);
        st = s->search(cand, &got, c->inst->engine, gal, tpl(&p, q), p.size[q], L);
        if (st != SHADES_OK)
            r = result(c, SH_CHECK_FAIL, "search returned %s%s", sh_status_name(st),
                       engine_said(said, sizeof said, c, mark));
        else if (got > L)
            r = result(c, SH_CHECK_FAIL, "search listed %zu candidates, asked for %zu", got, L);
        for (size_t k = 0; r == SH_CHECK_PASS && k < got; k++)
            if (cand[k].ref < 1000 || cand[k].ref >= 1000 + g.n_ok)
                r = result(c, SH_CHECK_FAIL, "search listed ref %llu, not one enrolled",
                           (unsigned long long)cand[k].ref);
            else if (!isfinite(cand[k].score))
                r = result(c, SH_CHECK_FAIL, "search listed a score of %g, not a finite number",
                           cand[k].score);
            else if (k && cand[k].score > cand[k - 1].score)
                r = result(c, SH_CHECK_FAIL, "search listed candidates out of order");
        for (size_t k = 0; r == SH_CHECK_PASS && k < got; k++)
            for (size_t j = 0; j < k && r == SH_CHECK_PASS; j++)
                if (cand[j].ref == cand[k].ref)
                    r = result(c, SH_CHECK_FAIL, "search listed ref %llu twice",
                               (unsigned long long)cand[k].ref);
    }
    if (gal)
        s->gallery_destroy(gal);
    if (r == SH_CHECK_PASS)
        result(c, r, "gallery of %zu, %zu searches: refs enrolled, best first, at most %zu",
               g.n_ok, p.n_ok, L);
    made_free(&g);
    made_free(&p);
    return r;
}

static int check_attributes(sh_check_ctx *c)
{
    const shades_attribute_estimation *x = c->inst->ext.attributes;
    if (!x)
        return result(c, SH_CHECK_SKIP, "not declared");
    size_t counts[3] = {0, 0, 0};
    for (size_t i = 0; i < c->n_images; i++) {
        shades_image im = image_of(&c->images[i]);
        shades_attributes a = {.struct_size = sizeof a, .age = -1}, b = a;
        sh_check_note(c, "in estimate on image %zu", i);
        uint64_t mark = sh_instance_log_mark(c->inst);
        int st = x->estimate(&a, c->inst->engine, &im);
        int st2 = x->estimate(&b, c->inst->engine, &im);
        char said[520];
        if (st != SHADES_OK || st2 != SHADES_OK)
            return result(c, SH_CHECK_FAIL, "image %zu: estimate returned %s%s", i,
                          sh_status_name(st != SHADES_OK ? st : st2),
                          engine_said(said, sizeof said, c, mark));
        if (a.outcome < 0 || a.outcome > SHADES_OUTCOME_FAILED || a.sex < 0 ||
            a.sex > SHADES_SEX_MALE || !(a.sex_confidence >= 0 && a.sex_confidence <= 1))
            return result(c, SH_CHECK_FAIL, "image %zu: outcome %d, sex %d, confidence %g "
                          "out of range", i, a.outcome, a.sex, a.sex_confidence);
        if (memcmp(&a, &b, sizeof a))
            return result(c, SH_CHECK_FAIL, "image %zu: two estimates differ", i);
        counts[a.sex]++;
    }
    return result(c, SH_CHECK_PASS, "%zu images: %zu female, %zu male, %zu unknown; "
                  "deterministic", c->n_images, counts[1], counts[2], counts[0]);
}

static int check_detection(sh_check_ctx *c)
{
    const shades_detection *x = c->inst->ext.detection;
    if (!x)
        return result(c, SH_CHECK_SKIP, "not declared");
    size_t faces = 0;
    for (size_t i = 0; i < c->n_images; i++) {
        shades_image im = image_of(&c->images[i]);
        shades_face f[8];
        size_t got = SIZE_MAX;
        uint64_t mark = sh_instance_log_mark(c->inst);
        int st = x->detect(f, &got, c->inst->engine, &im, 8);
        char said[520];
        if (st != SHADES_OK)
            return result(c, SH_CHECK_FAIL, "image %zu: detect returned %s%s", i,
                          sh_status_name(st), engine_said(said, sizeof said, c, mark));
        if (got > 8)
            return result(c, SH_CHECK_FAIL, "image %zu: %zu faces for a capacity of 8", i, got);
        for (size_t k = 0; k < got; k++) {
            if (!(f[k].confidence >= 0 && f[k].confidence <= 1))
                return result(c, SH_CHECK_FAIL, "image %zu: face %zu has a confidence of %g, "
                              "not in [0, 1]", i, k, f[k].confidence);
            if (!(f[k].width > 0 && f[k].height > 0 && f[k].x >= -f[k].width &&
                  f[k].y >= -f[k].height && f[k].x < im.width && f[k].y < im.height))
                return result(c, SH_CHECK_FAIL, "image %zu: face %zu (%g,%g %gx%g) is not in "
                              "the image", i, k, f[k].x, f[k].y, f[k].width, f[k].height);
        }
        faces += got;
    }
    return result(c, SH_CHECK_PASS, "%zu faces in %zu images, boxes inside them", faces,
                  c->n_images);
}

static int check_quality(sh_check_ctx *c)
{
    const shades_quality *x = c->inst->ext.quality;
    if (!x)
        return result(c, SH_CHECK_SKIP, "not declared");
    double lo = INFINITY, hi = -INFINITY;
    for (size_t i = 0; i < c->n_images; i++) {
        shades_image im = image_of(&c->images[i]);
        double q = NAN, q2 = NAN;
        uint64_t mark = sh_instance_log_mark(c->inst);
        int st = x->assess(&q, c->inst->engine, &im);
        int st2 = x->assess(&q2, c->inst->engine, &im);
        char said[520];
        if (st != SHADES_OK || st2 != SHADES_OK)
            return result(c, SH_CHECK_FAIL, "image %zu: assess returned %s%s", i,
                          sh_status_name(st != SHADES_OK ? st : st2),
                          engine_said(said, sizeof said, c, mark));
        if (isnan(q) || q > 100 || q != q2)
            return result(c, SH_CHECK_FAIL, "image %zu: quality %g then %g (needs a "
                          "repeatable value <= 100)", i, q, q2);
        lo = fmin(lo, q);
        hi = fmax(hi, q);
    }
    return result(c, SH_CHECK_PASS, "%zu images, quality %g to %g", c->n_images, lo, hi);
}

/* shades.provenance/1, offered by id alone: describe's lines as a run
 * checks them after its last engine call (engine_provenance.h). */
static int check_provenance(sh_check_ctx *c)
{
    const shades_provenance *x = NULL;
    sh_err err = {0};
    if (sh_extension_provenance(&x, entry(c), c->inst->engine, c->inst->path, &err))
        return result(c, SH_CHECK_FAIL, "%s", err.msg);
    if (!x)
        return result(c, SH_CHECK_SKIP, "not offered");
    char *text = malloc(SH_PROVENANCE_BUFFER);
    if (!text)
        return result(c, SH_CHECK_FAIL, "out of memory");
    memset(text, 'x', SH_PROVENANCE_BUFFER);
    sh_check_note(c, "in describe");
    int st = x->describe(text, SH_PROVENANCE_BUFFER, c->inst->engine);
    sh_provenance_pair *rows = NULL;
    size_t n = 0;
    int r;
    if (st != SHADES_OK)
        r = result(c, SH_CHECK_FAIL, "describe returned %s with %d bytes", sh_status_name(st),
                   SH_PROVENANCE_BUFFER);
    else if (!memchr(text, 0, SH_PROVENANCE_BUFFER))
        r = result(c, SH_CHECK_FAIL, "describe left its %d bytes without a NUL",
                   SH_PROVENANCE_BUFFER);
    else if (sh_engine_provenance_parse(&rows, &n, text, entry(c)->name, &err))
        r = result(c, SH_CHECK_FAIL, "%s", err.msg);
    else
        r = result(c, SH_CHECK_PASS, "%zu line%s of key=value, as a run records them", n,
                   n == 1 ? "" : "s");
    free(rows);
    free(text);
    return r;
}

/* CPU seconds the calling thread has used: what a loaded machine's other
 * processes do not inflate, unlike wall time. */
static double thread_cpu_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Mean thread CPU seconds per template: each image's best of TIMING_REPS. */
static double time_templates(sh_check_ctx *c, const made *m)
{
    uint8_t *buf = malloc(m->cap + TAIL);
    double total = 0;
    for (size_t i = 0; buf && i < m->n; i++) {
        shades_image im = image_of(&c->images[i]);
        double best = INFINITY;
        sh_check_note(c, "in create_template on image %zu (timing)", i);
        for (int rep = 0; rep < TIMING_REPS; rep++) {
            shades_template_result r = {.struct_size = sizeof r};
            double t0 = thread_cpu_s();
            entry(c)->create_template(buf, &r, c->inst->engine, &im, 1, m->cap,
                                      SHADES_ROLE_ENROL_11);
            best = fmin(best, thread_cpu_s() - t0);
        }
        total += best;
    }
    free(buf);
    return m->n ? total / (double)m->n : 0;
}

/* Mean thread CPU seconds per comparison: the best of TIMING_REPS rounds
 * over pairs of usable templates; *out_calls says how many were timed. */
static double time_compares(size_t *out_calls, sh_check_ctx *c, const made *m)
{
    double best = INFINITY;
    *out_calls = 0;
    sh_check_note(c, "in compare (timing)");
    for (int rep = 0; rep < TIMING_REPS && m->n_ok; rep++) {
        size_t calls = 0;
        double t0 = thread_cpu_s();
        for (int round = 0; round < 10; round++)
            for (size_t x = 0; x < m->n_ok; x++, calls++) {
                double s;
                size_t i = m->ok[x], j = m->ok[(x + 1) % m->n_ok];
                compare(&s, c, tpl(m, i), m->size[i], tpl(m, j), m->size[j]);
            }
        best = fmin(best, (thread_cpu_s() - t0) / (double)calls);
        *out_calls += calls;
    }
    return *out_calls ? best : 0;
}

static int check_timing(sh_check_ctx *c)
{
    if (c->timing == SH_TIMING_OFF)
        return result(c, SH_CHECK_SKIP, "not measured (--timing off)");
    made m;
    if (make_all(&m, c, SHADES_ROLE_ENROL_11))
        return result(c, SH_CHECK_FAIL, "out of memory");
    double per_template = time_templates(c, &m);
    size_t calls;
    double per_compare = time_compares(&calls, c, &m);
    made_free(&m);
    int slow = per_template > NIST_TEMPLATE_S || per_compare > NIST_COMPARE_S;
    int r = !slow                               ? SH_CHECK_PASS
            : c->timing == SH_TIMING_WARN ? SH_CHECK_WARN
                                              : SH_CHECK_FAIL;
    return result(c, r,
                  "%.3g ms per template (NIST limit %.0f ms), %.3g us per comparison (limit "
                  "%.0f us), CPU time, best of %d%s%s",
                  per_template * 1e3, NIST_TEMPLATE_S * 1e3, per_compare * 1e6,
                  NIST_COMPARE_S * 1e6, TIMING_REPS, calls ? "" : "; no comparisons timed",
                  r == SH_CHECK_WARN ? "; over a limit (--timing warn)" : "");
}

const sh_check sh_checks[] = {
    {"load", check_load},
    {"templates", check_templates},
    {"compare", check_compare},
    {"bad-images", check_bad_images},
    {"bad-templates", check_bad_templates},
    {"concurrency", check_concurrency},
    {"batch-compare", check_batch},
    {"embedding", check_embedding},
    {"search-1:N", check_search},
    {"attributes", check_attributes},
    {"detection", check_detection},
    {"quality", check_quality},
    {"provenance", check_provenance},
    {"timing", check_timing},
};
const size_t sh_n_checks = sizeof sh_checks / sizeof sh_checks[0];
