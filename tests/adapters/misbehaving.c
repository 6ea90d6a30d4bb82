/* Engines that break the rules, one per build flag, for the tests of
 * isolation, the in-process guard and check-adapter. Each reads the code
 * the synthetic cohort writes into its images, as the synthetic engine
 * does, and misbehaves on a known set of images:
 *   MIS_CRASH    segfaults making the first template of every "darker" subject
 *   MIS_HANG     never returns from the second template of every female subject
 *   MIS_GARBAGE  random template bytes, and a size beyond the buffer on some
 *   MIS_UNSAFE   shares one scratch buffer between calls without a lock, yet
 *                declares any concurrency (MIS_SERIAL: declares 1, honestly)
 *   MIS_NEWER    built as if for ABI 1.9, with members this harness lacks
 *   MIS_LIAR     declares batch comparison but offers no table
 *   MIS_CMPCRASH segfaults comparing two templates of different subjects
 *                whose first is "darker"; its templates are all fine
 *   MIS_INF      scores +inf where MIS_CMPCRASH would crash
 *   MIS_LONGVEC  declares a one-float cosine embedding (bytes 0 to 3), 1e20
 *                in the first template of every "darker" subject: finite,
 *                but its square is past float's range, so BLAS's scores of
 *                it would be inf or NaN
 *   MIS_NANCONF  estimates sex with a confidence of NaN for every "darker"
 *                subject's first image
 *   MIS_DUPSEARCH  searches its own gallery, and lists the best candidate
 *                twice
 *   MIS_ESCAPES  behaves, but its version, vendor and description hold
 *                terminal escapes, a forged line and a bidirectional control */
#include <shades/adapter.h>

#include <math.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <shades/synthetic.h>

#define TEMPLATE_BYTES 16

struct shades_engine {
    synth_model model;
};

static int mis_create(shades_engine **out, const shades_host *host,
                      const shades_engine_config *config)
{
    (void)host;
    *out = calloc(1, sizeof **out);
    if (!*out)
        return SHADES_ERR_NOMEM;
    synth_model_default(&(*out)->model, config->seed);
    return SHADES_OK;
}

static void mis_destroy(shades_engine *e)
{
    free(e);
}

static uint32_t mis_max_concurrency(const shades_engine *e)
{
    (void)e;
#if defined(MIS_SERIAL)
    return 1;
#else
    return 0;
#endif
}

static size_t mis_template_size_max(const shades_engine *e)
{
    (void)e;
    return TEMPLATE_BYTES;
}

#if defined(MIS_UNSAFE) || defined(MIS_SERIAL)
/* Shared between calls: safe only when calls never overlap. */
static uint8_t scratch[TEMPLATE_BYTES];
#endif

static int mis_create_template(uint8_t *out_buf, shades_template_result *out_result,
                               shades_engine *e, const shades_image *images, size_t count,
                               size_t capacity, int role)
{
    (void)role;
    (void)count;
    synth_code code;
    const shades_image *im = &images[0];
    out_result->size = 0;
    if (im->format != SHADES_PIXEL_GRAY8 ||
        synth_code_read(&code, im->pixels, im->width, im->height, im->stride, 0)) {
        out_result->outcome = SHADES_OUTCOME_NO_FACE;
        return SHADES_OK;
    }
#if defined(MIS_CRASH)
    if (code.image == 0 && code.traits & (1u << SYNTH_TRAIT_DARKER)) {
        volatile int *volatile nowhere = NULL;
        *nowhere = 1;
    }
#endif
#if defined(MIS_HANG)
    if (code.image == 1 && code.traits & (1u << SYNTH_TRAIT_FEMALE))
        for (;;)
            pause();
#endif
#if defined(MIS_GARBAGE)
    for (size_t k = 0; k < capacity; k++)
        out_buf[k] = (uint8_t)rand();
    out_result->outcome = SHADES_OUTCOME_OK;
    out_result->size = code.image == 2 ? capacity + 64 : capacity;
    (void)e;
    return SHADES_OK;
#else
    uint8_t *t = out_buf;
#if defined(MIS_UNSAFE) || defined(MIS_SERIAL)
    t = scratch;
#endif
    memset(t, 0, TEMPLATE_BYTES);
    t[4] = code.traits;
    synth_put_u32(t + 8, code.subject);
#if defined(MIS_UNSAFE) || defined(MIS_SERIAL)
    sched_yield(); /* widens the window another call can write scratch in */
    usleep(50);
#endif
    synth_put_u32(t + 12, code.image);
#if defined(MIS_LONGVEC)
    float v = code.image == 0 && code.traits & (1u << SYNTH_TRAIT_DARKER) ? 1e20f : 1.0f;
    memcpy(t, &v, sizeof v);
#endif
    if (t != out_buf)
        memcpy(out_buf, t, TEMPLATE_BYTES);
    (void)capacity;
    (void)e;
    out_result->outcome = SHADES_OUTCOME_OK;
    out_result->size = TEMPLATE_BYTES;
    return SHADES_OK;
#endif
}

static int mis_compare(double *out_score, shades_engine *e, const uint8_t *v, size_t vs,
                       const uint8_t *r, size_t rs)
{
    if (vs != TEMPLATE_BYTES || rs != TEMPLATE_BYTES)
        return SHADES_ERR_TEMPLATE;
    synth_code a = {synth_get_u32(v + 8), synth_get_u32(v + 12), v[4]};
    synth_code b = {synth_get_u32(r + 8), synth_get_u32(r + 12), r[4]};
    *out_score = synth_model_score(&e->model, &a, &b);
#if defined(MIS_CMPCRASH) || defined(MIS_INF)
    if (a.subject != b.subject && a.traits & (1u << SYNTH_TRAIT_DARKER)) {
#if defined(MIS_CMPCRASH)
        volatile int *volatile nowhere = NULL;
        *nowhere = 1;
#else
        *out_score = INFINITY;
#endif
    }
#endif
    return SHADES_OK;
}

#if defined(MIS_LONGVEC)
static const shades_embedding embedding = {sizeof(shades_embedding), SHADES_METRIC_COSINE, 1,
                                           0};
#endif

#if defined(MIS_NANCONF)
static int mis_estimate(shades_attributes *out, shades_engine *e, const shades_image *im)
{
    synth_code code;
    out->age = -1;
    if (im->format != SHADES_PIXEL_GRAY8 ||
        synth_code_read(&code, im->pixels, im->width, im->height, im->stride, 0)) {
        out->outcome = SHADES_OUTCOME_NO_FACE;
        return SHADES_OK;
    }
    out->outcome = SHADES_OUTCOME_OK;
    out->sex = synth_model_says_female(&e->model, &code) ? SHADES_SEX_FEMALE : SHADES_SEX_MALE;
    out->sex_confidence =
        code.image == 0 && code.traits & (1u << SYNTH_TRAIT_DARKER) ? NAN : 0.9f;
    return SHADES_OK;
}

static const shades_attribute_estimation attributes = {sizeof attributes, 0, mis_estimate};
#endif

#if defined(MIS_DUPSEARCH)
/* The gallery: its templates and refs, copied. */
struct shades_gallery {
    size_t n;
    uint8_t (*t)[TEMPLATE_BYTES];
    uint64_t *refs;
};

static int mis_gallery_create(shades_gallery **out, shades_engine *e,
                              const uint8_t *const *templates, const size_t *sizes,
                              const uint64_t *refs, size_t count)
{
    (void)e, (void)sizes;
    shades_gallery *g = calloc(1, sizeof *g);
    if (!g || !(g->t = malloc((count ? count : 1) * sizeof *g->t)) ||
        !(g->refs = malloc((count ? count : 1) * sizeof *g->refs))) {
        if (g)
            free(g->t);
        free(g);
        return SHADES_ERR_NOMEM;
    }
    for (size_t k = 0; k < count; k++) {
        memcpy(g->t[k], templates[k], TEMPLATE_BYTES);
        g->refs[k] = refs[k];
    }
    g->n = count;
    *out = g;
    return SHADES_OK;
}

static void mis_gallery_destroy(shades_gallery *g)
{
    if (g) {
        free(g->t);
        free(g->refs);
    }
    free(g);
}

/* The best candidate, listed twice (the second time in the place of the
 * next best, so the list is still in order). */
static int mis_search(shades_candidate *out, size_t *out_count, shades_engine *e,
                      const shades_gallery *g, const uint8_t *probe, size_t probe_size,
                      size_t length)
{
    size_t best = 0;
    double best_score = -INFINITY;
    for (size_t k = 0; k < g->n; k++) {
        double s = -INFINITY;
        mis_compare(&s, e, probe, probe_size, g->t[k], TEMPLATE_BYTES);
        if (s > best_score) {
            best_score = s;
            best = k;
        }
    }
    size_t n = length < 2 || g->n < 2 ? 0 : 2;
    for (size_t k = 0; k < n; k++)
        out[k] = (shades_candidate){g->refs[best], best_score};
    *out_count = n;
    return SHADES_OK;
}

static const shades_search_1n search = {sizeof search, 0, mis_gallery_create,
                                        mis_gallery_destroy, mis_search};
#endif

static const void *mis_get_extension(const shades_engine *e, const char *id)
{
    (void)e;
    (void)id;
#if defined(MIS_LONGVEC)
    if (!strcmp(id, SHADES_EXT_EMBEDDING))
        return &embedding;
#endif
#if defined(MIS_NANCONF)
    if (!strcmp(id, SHADES_EXT_ATTRIBUTES))
        return &attributes;
#endif
#if defined(MIS_DUPSEARCH)
    if (!strcmp(id, SHADES_EXT_SEARCH_1N))
        return &search;
#endif
    return NULL;
}

#if defined(MIS_LIAR)
#define MIS_CAPS (SHADES_CAP_VERIFY_11 | SHADES_CAP_BATCH_COMPARE)
#elif defined(MIS_LONGVEC)
#define MIS_CAPS (SHADES_CAP_VERIFY_11 | SHADES_CAP_EMBEDDING)
#elif defined(MIS_NANCONF)
#define MIS_CAPS (SHADES_CAP_VERIFY_11 | SHADES_CAP_ATTRIBUTES)
#elif defined(MIS_DUPSEARCH)
#define MIS_CAPS (SHADES_CAP_VERIFY_11 | SHADES_CAP_SEARCH_1N)
#else
#define MIS_CAPS SHADES_CAP_VERIFY_11
#endif

#if defined(MIS_ESCAPES)
/* Text a terminal would act on: a screen clear, a forged line, a title
 * change and a right-to-left override. */
#define MIS_VERSION "0.0.1\033[2J"
#define MIS_VENDOR "shades tests\r\n  PASS  forged\033]0;title\a"
#define MIS_DESCRIPTION "an engine whose strings hold escapes\xe2\x80\xae"
#else
#define MIS_VERSION "0.0.1"
#define MIS_VENDOR "shades tests"
#define MIS_DESCRIPTION "an engine that breaks the rules on purpose"
#endif

#define MIS_MEMBERS                                                                  \
    .name = MIS_NAME, .version = MIS_VERSION, .vendor = MIS_VENDOR,                  \
    .description = MIS_DESCRIPTION,                                                  \
    .capabilities = MIS_CAPS, .create = mis_create, .destroy = mis_destroy,          \
    .max_concurrency = mis_max_concurrency, .template_size_max = mis_template_size_max, \
    .create_template = mis_create_template, .compare = mis_compare,                   \
    .get_extension = mis_get_extension

#if defined(MIS_NEWER)
/* The entry as a later 1.x header would define it: same start, more at the end. */
typedef struct newer_adapter {
    shades_adapter v1_0;
    int (*future_call)(shades_engine *engine);
    uint64_t future_flags;
} newer_adapter;

static int mis_future(shades_engine *e)
{
    (void)e;
    return SHADES_OK;
}

SHADES_EXPORT const newer_adapter shades_adapter_entry = {
    .v1_0 = {.struct_size = sizeof(newer_adapter), .abi_major = SHADES_ABI_MAJOR,
             .abi_minor = 9, MIS_MEMBERS},
    .future_call = mis_future,
    .future_flags = 1,
};
#else
SHADES_ADAPTER_DEFINE = {
    .struct_size = sizeof(shades_adapter),
    .abi_major = SHADES_ABI_MAJOR,
    .abi_minor = SHADES_ABI_MINOR,
    MIS_MEMBERS,
};
#endif
