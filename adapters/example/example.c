/* An example shades engine, for vendors to copy. It needs only
 * <shades/adapter.h>. Its "face recognition" is deliberately simple: the
 * template is the image shrunk to 8x8 cells of mean brightness, centred,
 * as a float vector compared by cosine. What matters here is the shape:
 * one exported entry, a create/destroy pair, harness-owned buffers,
 * outcomes instead of crashes, and optional capabilities offered through
 * get_extension (a declared embedding, detection and quality).
 * Build: see docs/adapter-guide.md. */
#include <shades/adapter.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CELLS 8
#define DIM (CELLS * CELLS)
#define MAGIC 0x31584545u /* "EEX1" */

/* Template layout: a magic number, then the vector at byte 8, which the
 * embedding declaration below names. */
typedef struct example_template {
    uint32_t magic;
    uint32_t reserved;
    float v[DIM];
} example_template;

struct shades_engine {
    const shades_host *host;
    unsigned min_side;      /* option min_side=N: smaller images are refused */
};

static void say(const shades_engine *e, int level, const char *msg)
{
    if (e->host && SHADES_HAS_MEMBER(shades_host, e->host->struct_size, log) && e->host->log)
        e->host->log(e->host, level, msg);
}

static int example_create(shades_engine **out, const shades_host *host,
                          const shades_engine_config *config)
{
    *out = NULL;
    shades_engine *e = calloc(1, sizeof *e);
    if (!e)
        return SHADES_ERR_NOMEM;
    e->host = host;
    e->min_side = CELLS;
    const char *opt = config && config->options ? strstr(config->options, "min_side=") : NULL;
    if (opt && sscanf(opt, "min_side=%u", &e->min_side) != 1) {
        say(e, SHADES_LOG_ERROR, "example: min_side needs a number");
        free(e);
        return SHADES_ERR_CONFIG;
    }
    *out = e;
    return SHADES_OK;
}

static void example_destroy(shades_engine *e)
{
    free(e);
}

static uint32_t example_max_concurrency(const shades_engine *e)
{
    (void)e;
    return 0; /* no shared state: any number of calls at once */
}

static size_t example_template_size_max(const shades_engine *e)
{
    (void)e;
    return sizeof(example_template);
}

/* Brightness of pixel (x, y), whatever the format. */
static float luma(const shades_image *im, uint32_t x, uint32_t y)
{
    const uint8_t *p = im->pixels + (size_t)y * im->stride;
    if (im->format == SHADES_PIXEL_GRAY8)
        return p[x];
    p += 3 * (size_t)x;
    return 0.299f * p[0] + 0.587f * p[1] + 0.114f * p[2];
}

/* The image as DIM cell means, centred; -1 when it is unusable. */
static int describe(float *v, const shades_engine *e, const shades_image *im)
{
    if (!im->pixels || (im->format != SHADES_PIXEL_GRAY8 && im->format != SHADES_PIXEL_RGB8) ||
        im->width < e->min_side || im->height < e->min_side)
        return -1;
    double mean = 0;
    for (uint32_t cy = 0; cy < CELLS; cy++)
        for (uint32_t cx = 0; cx < CELLS; cx++) {
            uint32_t x0 = cx * im->width / CELLS, x1 = (cx + 1) * im->width / CELLS;
            uint32_t y0 = cy * im->height / CELLS, y1 = (cy + 1) * im->height / CELLS;
            /* At most 16 samples a row per cell: a huge image costs no more than a small one. */
            uint32_t step = (x1 - x0) / 16 + 1;
            double sum = 0;
            size_t n = 0;
            for (uint32_t y = y0; y < y1; y += step)
                for (uint32_t x = x0; x < x1; x += step, n++)
                    sum += luma(im, x, y);
            v[cy * CELLS + cx] = (float)(sum / (double)n);
            mean += sum / (double)n / DIM;
        }
    for (int k = 0; k < DIM; k++)
        v[k] -= (float)mean;
    return 0;
}

static int example_create_template(uint8_t *out_buf, shades_template_result *out_result,
                                   shades_engine *e, const shades_image *images, size_t count,
                                   size_t capacity, int role)
{
    (void)role;
    if (!out_buf || !out_result || !e || !images || count == 0)
        return SHADES_ERR_INVALID;
    if (capacity < sizeof(example_template))
        return SHADES_ERR_BUFFER;
    example_template t = {MAGIC, 0, {0}};
    out_result->size = 0;
    if (describe(t.v, e, &images[0])) {
        out_result->outcome = SHADES_OUTCOME_REFUSED;
        return SHADES_OK;
    }
    memcpy(out_buf, &t, sizeof t);
    out_result->outcome = SHADES_OUTCOME_OK;
    out_result->size = sizeof t;
    return SHADES_OK;
}

static double cosine(const float *a, const float *b)
{
    double ab = 0, aa = 0, bb = 0;
    for (int k = 0; k < DIM; k++) {
        ab += (double)a[k] * b[k];
        aa += (double)a[k] * a[k];
        bb += (double)b[k] * b[k];
    }
    return aa > 0 && bb > 0 ? ab / sqrt(aa * bb) : 0;
}

/* Reads a template back; NULL when it is not one of ours. */
static const example_template *read_template(const uint8_t *t, size_t size,
                                             example_template *out)
{
    if (size != sizeof *out)
        return NULL;
    memcpy(out, t, sizeof *out);
    return out->magic == MAGIC ? out : NULL;
}

static int example_compare(double *out_score, shades_engine *e, const uint8_t *verify,
                           size_t verify_size, const uint8_t *enrol, size_t enrol_size)
{
    (void)e;
    example_template a, b;
    if (!out_score)
        return SHADES_ERR_INVALID;
    if (verify_size == 0 || enrol_size == 0) {
        *out_score = -1; /* a failed template: the lowest cosine */
        return SHADES_OK;
    }
    if (!read_template(verify, verify_size, &a) || !read_template(enrol, enrol_size, &b))
        return SHADES_ERR_TEMPLATE;
    *out_score = cosine(a.v, b.v);
    return SHADES_OK;
}

/* The template's vector, declared so the harness scores with BLAS. */
static const shades_embedding embedding = {
    sizeof(shades_embedding), SHADES_METRIC_COSINE, DIM, offsetof(example_template, v)};

/* "Detection": the whole image is the face, eyes where a passport photo has them. */
static int example_detect(shades_face *out, size_t *out_count, shades_engine *e,
                          const shades_image *image, size_t capacity)
{
    float v[DIM];
    *out_count = 0;
    if (describe(v, e, image) || capacity == 0)
        return SHADES_OK;
    float w = (float)image->width, h = (float)image->height;
    out[0] = (shades_face){0, 0, w, h, 0.5f, {1, 1, 0, 0.35f * w, 0.4f * h, 0.65f * w, 0.4f * h}};
    *out_count = 1;
    return SHADES_OK;
}

static const shades_detection detection = {sizeof(shades_detection), 0, example_detect};

/* Quality: contrast of the cell means, scaled to 0..100. */
static int example_assess(double *out_quality, shades_engine *e, const shades_image *image)
{
    float v[DIM];
    if (describe(v, e, image)) {
        *out_quality = -1;
        return SHADES_OK;
    }
    double ss = 0;
    for (int k = 0; k < DIM; k++)
        ss += (double)v[k] * v[k];
    double q = sqrt(ss / DIM) / 64.0 * 100.0;
    *out_quality = q > 100 ? 100 : q;
    return SHADES_OK;
}

static const shades_quality quality = {sizeof(shades_quality), 0, example_assess};

static const void *example_get_extension(const shades_engine *e, const char *id)
{
    (void)e;
    if (!strcmp(id, SHADES_EXT_EMBEDDING))
        return &embedding;
    if (!strcmp(id, SHADES_EXT_DETECTION))
        return &detection;
    if (!strcmp(id, SHADES_EXT_QUALITY))
        return &quality;
    return NULL;
}

SHADES_ADAPTER_DEFINE = {
    .struct_size = sizeof(shades_adapter),
    .abi_major = SHADES_ABI_MAJOR,
    .abi_minor = SHADES_ABI_MINOR,
    .name = "example",
    .version = "1.0.0",
    .vendor = "shades project",
    .description = "8x8 brightness cells by cosine: the adapter to copy",
    .capabilities = SHADES_CAP_VERIFY_11 | SHADES_CAP_EMBEDDING | SHADES_CAP_DETECTION |
                    SHADES_CAP_QUALITY | SHADES_CAP_SYMMETRIC,
    .create = example_create,
    .destroy = example_destroy,
    .max_concurrency = example_max_concurrency,
    .template_size_max = example_template_size_max,
    .create_template = example_create_template,
    .compare = example_compare,
    .get_extension = example_get_extension,
};
