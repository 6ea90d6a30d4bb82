/* opencv-onnx: the faceplugin package's pretrained models (UltraFace
 * detection, 68 landmarks, an ArcFace-style feature, SSR-Net sex and age)
 * run through OpenCV's dnn module (docs/opencv-adapters.md). The template
 * is the feature, declared as an embedding of the feature model's own
 * length so the harness scores with BLAS. */
#include <shades/adapter.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "onnx_cv.h"
#include "options.h"

#define MAGIC 0x31584e4fu /* "ONX1" */
#define NAME "opencv-onnx"

/* Template header; the feature's floats follow at byte 8. */
typedef struct onnx_header {
    uint32_t magic;
    uint32_t dim;
} onnx_header;

struct shades_engine {
    const shades_host *host;
    onnx_cv *cv;
    uint32_t dim;                          /* floats in a feature */
    shades_embedding embedding;            /* this engine's declaration */
    shades_attribute_estimation attributes;
    shades_detection detection;
};

/* Bytes of a successful template. */
static size_t template_bytes(const shades_engine *e)
{
    return sizeof(onnx_header) + (size_t)e->dim * sizeof(float);
}

/* A model path as given, or under config_dir when relative; an empty
 * optional path stays empty. */
static int resolve(char *path, size_t cap, const char *config_dir, const char *name,
                   int required, char *why, size_t whycap)
{
    if (!path[0]) {
        if (required)
            snprintf(why, whycap, "option %s is required (the path of its ONNX file)", name);
        return required ? -1 : 0;
    }
    if (path[0] == '/' || !config_dir)
        return 0;
    char joined[ONNX_PATH_MAX];
    if ((size_t)snprintf(joined, sizeof joined, "%s/%s", config_dir, path) >= sizeof joined ||
        strlen(joined) >= cap) {
        snprintf(why, whycap, "option %s: path too long", name);
        return -1;
    }
    memcpy(path, joined, strlen(joined) + 1);
    return 0;
}

static int onnx_estimate(shades_attributes *out, shades_engine *e, const shades_image *image);
static int onnx_detect(shades_face *out, size_t *out_count, shades_engine *e,
                       const shades_image *image, size_t capacity);

static int onnx_create(shades_engine **out, const shades_host *host,
                       const shades_engine_config *config)
{
    *out = NULL;
    onnx_settings s = {.score_threshold = 0.65, .nms_threshold = 0.4};
    const ocv_option table[] = {
        {"detector", OCV_OPT_TEXT, s.detector, sizeof s.detector, 0, 0},
        {"landmark", OCV_OPT_TEXT, s.landmark, sizeof s.landmark, 0, 0},
        {"feature", OCV_OPT_TEXT, s.feature, sizeof s.feature, 0, 0},
        {"gender", OCV_OPT_TEXT, s.gender, sizeof s.gender, 0, 0},
        {"age", OCV_OPT_TEXT, s.age, sizeof s.age, 0, 0},
        {"score_threshold", OCV_OPT_REAL, &s.score_threshold, 0, 0, 1},
        {"nms_threshold", OCV_OPT_REAL, &s.nms_threshold, 0, 0, 1},
    };
    char why[2048];
    const char *dir = config ? config->config_dir : NULL;
    int bad = ocv_options_parse(config ? config->options : NULL, table,
                                sizeof table / sizeof *table, why, sizeof why) ||
              resolve(s.detector, sizeof s.detector, dir, "detector", 1, why, sizeof why) ||
              resolve(s.landmark, sizeof s.landmark, dir, "landmark", 1, why, sizeof why) ||
              resolve(s.feature, sizeof s.feature, dir, "feature", 1, why, sizeof why) ||
              resolve(s.gender, sizeof s.gender, dir, "gender", 0, why, sizeof why) ||
              resolve(s.age, sizeof s.age, dir, "age", 0, why, sizeof why);
    if (bad) {
        ocv_log_error(host, NAME, "%s", why);
        return SHADES_ERR_CONFIG;
    }
    shades_engine *e = calloc(1, sizeof *e);
    if (!e)
        return SHADES_ERR_NOMEM;
    e->host = host;
    if (onnx_cv_create(&e->cv, &s, why, sizeof why)) {
        ocv_log_error(host, NAME, "%s", why);
        free(e);
        return SHADES_ERR_CONFIG;
    }
    e->dim = onnx_cv_dimension(e->cv);
    e->embedding = (shades_embedding){sizeof(shades_embedding), SHADES_METRIC_COSINE, e->dim,
                                      sizeof(onnx_header)};
    e->attributes = (shades_attribute_estimation){sizeof(shades_attribute_estimation), 0,
                                                  onnx_estimate};
    e->detection = (shades_detection){sizeof(shades_detection), 0, onnx_detect};
    *out = e;
    return SHADES_OK;
}

static void onnx_destroy(shades_engine *e)
{
    if (e)
        onnx_cv_destroy(e->cv);
    free(e);
}

static uint32_t onnx_max_concurrency(const shades_engine *e)
{
    (void)e;
    return 0; /* each call takes its own nets from the pool */
}

static size_t onnx_template_size_max(const shades_engine *e)
{
    return template_bytes(e);
}

static int onnx_create_template(uint8_t *out_buf, shades_template_result *out_result,
                                shades_engine *e, const shades_image *images, size_t count,
                                size_t capacity, int role)
{
    (void)role;
    if (!out_buf || !out_result || !e || !images || count == 0)
        return SHADES_ERR_INVALID;
    if (capacity < template_bytes(e))
        return SHADES_ERR_BUFFER;
    float *feature = malloc((size_t)e->dim * sizeof *feature);
    if (!feature)
        return SHADES_ERR_NOMEM;
    shades_eyes eyes = {0};
    out_result->size = 0;
    int rc = onnx_cv_describe(feature, &eyes, e->cv, &images[0]);
    if (rc < 0) {
        free(feature);
        ocv_log_error(e->host, NAME, "OpenCV failed while describing a face");
        return rc;
    }
    out_result->outcome = rc;
    if (rc == SHADES_OUTCOME_OK) {
        onnx_header h = {MAGIC, e->dim};
        memcpy(out_buf, &h, sizeof h);
        memcpy(out_buf + sizeof h, feature, (size_t)e->dim * sizeof *feature);
        out_result->size = template_bytes(e);
        if (SHADES_HAS_MEMBER(shades_template_result, out_result->struct_size, eyes))
            out_result->eyes = eyes;
    }
    free(feature);
    return SHADES_OK;
}

/* Cosine of two features, read in place (templates may be unaligned), in
 * double like the harness's own embedding scores. */
static double cosine(const uint8_t *a, const uint8_t *b, uint32_t dim)
{
    double ab = 0, aa = 0, bb = 0;
    for (size_t k = 0; k < dim; k++) {
        float x, y;
        memcpy(&x, a + k * sizeof x, sizeof x);
        memcpy(&y, b + k * sizeof y, sizeof y);
        ab += (double)x * y;
        aa += (double)x * x;
        bb += (double)y * y;
    }
    return aa > 0 && bb > 0 ? ab / sqrt(aa * bb) : 0;
}

/* Whether t is a successful template of this engine. */
static int ours(const shades_engine *e, const uint8_t *t, size_t size)
{
    onnx_header h;
    if (size != template_bytes(e))
        return 0;
    memcpy(&h, t, sizeof h);
    return h.magic == MAGIC && h.dim == e->dim;
}

static int onnx_compare(double *out_score, shades_engine *e, const uint8_t *verify,
                        size_t verify_size, const uint8_t *enrol, size_t enrol_size)
{
    if (!out_score || !e)
        return SHADES_ERR_INVALID;
    if (verify_size == 0 || enrol_size == 0) {
        *out_score = -1; /* a failed template: the lowest cosine */
        return SHADES_OK;
    }
    if (!ours(e, verify, verify_size) || !ours(e, enrol, enrol_size))
        return SHADES_ERR_TEMPLATE;
    *out_score = cosine(verify + sizeof(onnx_header), enrol + sizeof(onnx_header), e->dim);
    return SHADES_OK;
}

static int onnx_detect(shades_face *out, size_t *out_count, shades_engine *e,
                       const shades_image *image, size_t capacity)
{
    if (!out_count || !e || !image || (!out && capacity))
        return SHADES_ERR_INVALID;
    int rc = onnx_cv_detect(out, out_count, e->cv, image, capacity);
    if (rc < 0)
        ocv_log_error(e->host, NAME, "OpenCV failed while detecting faces");
    return rc;
}

static int onnx_estimate(shades_attributes *out, shades_engine *e, const shades_image *image)
{
    if (!out || !e || !image)
        return SHADES_ERR_INVALID;
    int rc = onnx_cv_estimate(out, e->cv, image);
    if (rc < 0)
        ocv_log_error(e->host, NAME, "OpenCV failed while estimating attributes");
    return rc;
}

/* The tables live in the engine: the embedding's length is the feature
 * model's. Attributes are always offered, since capabilities belong to the
 * library, not the engine; without a gender model every sex is unknown. */
static const void *onnx_get_extension(const shades_engine *e, const char *id)
{
    if (!e || !id)
        return NULL;
    if (!strcmp(id, SHADES_EXT_EMBEDDING))
        return &e->embedding;
    if (!strcmp(id, SHADES_EXT_DETECTION))
        return &e->detection;
    if (!strcmp(id, SHADES_EXT_ATTRIBUTES))
        return &e->attributes;
    return NULL;
}

SHADES_ADAPTER_DEFINE = {
    .struct_size = sizeof(shades_adapter),
    .abi_major = SHADES_ABI_MAJOR,
    .abi_minor = SHADES_ABI_MINOR,
    .name = NAME,
    .version = "1.0.0",
    .vendor = "shades project",
    .description = "faceplugin ONNX models through OpenCV dnn: UltraFace, 68 landmarks, "
                   "ArcFace-aligned feature (cosine), SSR-Net sex and age",
    .capabilities = SHADES_CAP_VERIFY_11 | SHADES_CAP_EMBEDDING | SHADES_CAP_DETECTION |
                    SHADES_CAP_ATTRIBUTES | SHADES_CAP_SYMMETRIC,
    .create = onnx_create,
    .destroy = onnx_destroy,
    .max_concurrency = onnx_max_concurrency,
    .template_size_max = onnx_template_size_max,
    .create_template = onnx_create_template,
    .compare = onnx_compare,
    .get_extension = onnx_get_extension,
};
