/* opencv-classic: a face-recognition pipeline that needs no model files.
 * A Haar (or LBP) cascade from opencv-data finds the face, an eye cascade
 * levels it, and LBPH histograms from opencv-contrib are the template,
 * compared by chi-square distance. docs/opencv-adapters.md describes it. */
#include <shades/adapter.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classic_cv.h"
#include "options.h"

#define MAGIC 0x31434c43u /* "CLC1" */
#define CASCADES "/usr/share/opencv4/"

/* Template layout: magic, histogram length, then the histogram. */
typedef struct classic_header {
    uint32_t magic;
    uint32_t dim;
} classic_header;

struct shades_engine {
    const shades_host *host;
    classic_settings s;
    size_t dim;
    classic_cv *cv;
};

static int classic_create(shades_engine **out, const shades_host *host,
                          const shades_engine_config *config)
{
    *out = NULL;
    classic_settings s = {
        .face_cascade = CASCADES "haarcascades/haarcascade_frontalface_default.xml",
        .eye_cascade = CASCADES "haarcascades/haarcascade_eye.xml",
        .min_face = 40,
        .scale_factor = 1.1,
        .min_neighbors = 3,
        .radius = 1,
        .neighbors = 8,
        .grid = 8,
        .crop = 64,
        .max_side = 1024,
    };
    const adapter_option table[] = {
        {"face_cascade", ADAPTER_OPT_TEXT, s.face_cascade, sizeof s.face_cascade, 0, 0},
        {"eye_cascade", ADAPTER_OPT_TEXT, s.eye_cascade, sizeof s.eye_cascade, 0, 0},
        {"min_face", ADAPTER_OPT_INT, &s.min_face, 0, 8, 4096},
        {"scale_factor", ADAPTER_OPT_REAL, &s.scale_factor, 0, 1.01, 2},
        {"min_neighbors", ADAPTER_OPT_INT, &s.min_neighbors, 0, 0, 50},
        {"radius", ADAPTER_OPT_INT, &s.radius, 0, 1, 4},
        {"neighbors", ADAPTER_OPT_INT, &s.neighbors, 0, 4, 8},
        {"grid", ADAPTER_OPT_INT, &s.grid, 0, 1, 16},
        {"crop", ADAPTER_OPT_INT, &s.crop, 0, 32, 512},
        {"max_side", ADAPTER_OPT_INT, &s.max_side, 0, 64, 8192},
    };
    char why[1200];
    if (adapter_options_parse(config ? config->options : NULL, table,
                              sizeof table / sizeof *table, why, sizeof why)) {
        adapter_log_error(host, "opencv-classic", "%s", why);
        return SHADES_ERR_CONFIG;
    }
    shades_engine *e = calloc(1, sizeof *e);
    if (!e)
        return SHADES_ERR_NOMEM;
    e->host = host;
    e->s = s;
    e->dim = classic_cv_dim(&s);
    if (classic_cv_create(&e->cv, &s, why, sizeof why)) {
        adapter_log_error(host, "opencv-classic", "%s", why);
        free(e);
        return SHADES_ERR_CONFIG;
    }
    *out = e;
    return SHADES_OK;
}

static void classic_destroy(shades_engine *e)
{
    if (e)
        classic_cv_destroy(e->cv);
    free(e);
}

static uint32_t classic_max_concurrency(const shades_engine *e)
{
    (void)e;
    return 0; /* each call takes its own detector from the pool */
}

static size_t classic_template_size_max(const shades_engine *e)
{
    return sizeof(classic_header) + e->dim * sizeof(float);
}

static int classic_create_template(uint8_t *out_buf, shades_template_result *out_result,
                                   shades_engine *e, const shades_image *images, size_t count,
                                   size_t capacity, int role)
{
    (void)role;
    if (!out_buf || !out_result || !e || !images || count == 0)
        return SHADES_ERR_INVALID;
    size_t need = classic_template_size_max(e);
    if (capacity < need)
        return SHADES_ERR_BUFFER;
    out_result->size = 0;
    float *hist = malloc(e->dim * sizeof(float));
    if (!hist)
        return SHADES_ERR_NOMEM;
    int rc = classic_cv_describe(hist, e->cv, &images[0]);
    if (rc < 0) {
        free(hist);
        adapter_log_error(e->host, "opencv-classic", "OpenCV failed while describing a face");
        return rc;
    }
    out_result->outcome = rc;
    if (rc == SHADES_OUTCOME_OK) {
        classic_header h = {MAGIC, (uint32_t)e->dim};
        memcpy(out_buf, &h, sizeof h);
        memcpy(out_buf + sizeof h, hist, e->dim * sizeof(float));
        out_result->size = need;
    }
    free(hist);
    return SHADES_OK;
}

/* 1 when t is a template of this engine's settings. */
static int ours(const shades_engine *e, const uint8_t *t, size_t size)
{
    classic_header h;
    if (size != classic_template_size_max(e))
        return 0;
    memcpy(&h, t, sizeof h);
    return h.magic == MAGIC && h.dim == e->dim;
}

/* Chi-square distance as OpenCV's LBPH uses it (HISTCMP_CHISQR_ALT), turned
 * into a similarity in [0, 1]: each cell histogram sums to 1, so the
 * distance is at most 4 per cell. */
static double chi_square_similarity(const shades_engine *e, const float *a, const float *b)
{
    double d = 0;
    for (size_t i = 0; i < e->dim; i++) {
        float s = a[i] + b[i];
        if (s > 0)
            d += 2.0 * (double)(a[i] - b[i]) * (a[i] - b[i]) / s;
    }
    double cells = (double)e->s.grid * e->s.grid;
    double sim = 1.0 - d / (4.0 * cells);
    return sim < 0 ? 0 : sim;
}

/* The same on templates as stored: read in place when the harness's
 * buffers are float-aligned (they are), else from aligned copies. */
static int similarity(double *out, const shades_engine *e, const uint8_t *a, const uint8_t *b)
{
    const uint8_t *pa = a + sizeof(classic_header), *pb = b + sizeof(classic_header);
    if ((uintptr_t)pa % _Alignof(float) == 0 && (uintptr_t)pb % _Alignof(float) == 0) {
        *out = chi_square_similarity(e, (const float *)(const void *)pa,
                                     (const float *)(const void *)pb);
        return SHADES_OK;
    }
    float *copy = malloc(2 * e->dim * sizeof(float));
    if (!copy)
        return SHADES_ERR_NOMEM;
    memcpy(copy, pa, e->dim * sizeof(float));
    memcpy(copy + e->dim, pb, e->dim * sizeof(float));
    *out = chi_square_similarity(e, copy, copy + e->dim);
    free(copy);
    return SHADES_OK;
}

static int classic_compare(double *out_score, shades_engine *e, const uint8_t *verify,
                           size_t verify_size, const uint8_t *enrol, size_t enrol_size)
{
    if (!out_score || !e)
        return SHADES_ERR_INVALID;
    if (verify_size == 0 || enrol_size == 0) {
        *out_score = 0; /* a failed template: the lowest similarity */
        return SHADES_OK;
    }
    if (!ours(e, verify, verify_size) || !ours(e, enrol, enrol_size))
        return SHADES_ERR_TEMPLATE;
    return similarity(out_score, e, verify, enrol);
}

static int classic_detect(shades_face *out, size_t *out_count, shades_engine *e,
                          const shades_image *image, size_t capacity)
{
    if (!out_count || !e || !image || (!out && capacity))
        return SHADES_ERR_INVALID;
    return classic_cv_detect(out, out_count, e->cv, image, capacity);
}

static const shades_detection detection = {sizeof(shades_detection), 0, classic_detect};

static const void *classic_get_extension(const shades_engine *e, const char *id)
{
    (void)e;
    return strcmp(id, SHADES_EXT_DETECTION) == 0 ? &detection : NULL;
}

SHADES_ADAPTER_DEFINE = {
    .struct_size = sizeof(shades_adapter),
    .abi_major = SHADES_ABI_MAJOR,
    .abi_minor = SHADES_ABI_MINOR,
    .name = "opencv-classic",
    .version = "1.0.0",
    .vendor = "shades project",
    .description = "Haar cascade detection, eye alignment, LBPH histograms by chi-square",
    .capabilities = SHADES_CAP_VERIFY_11 | SHADES_CAP_DETECTION | SHADES_CAP_SYMMETRIC,
    .create = classic_create,
    .destroy = classic_destroy,
    .max_concurrency = classic_max_concurrency,
    .template_size_max = classic_template_size_max,
    .create_template = classic_create_template,
    .compare = classic_compare,
    .get_extension = classic_get_extension,
};
