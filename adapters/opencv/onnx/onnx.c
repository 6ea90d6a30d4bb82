/* opencv-onnx: the faceplugin package's pretrained models (UltraFace
 * detection, 68 landmarks, an ArcFace-style feature, SSR-Net sex and age)
 * run through OpenCV's dnn module (docs/opencv-adapters.md). The template
 * is the feature, declared as an embedding of the feature model's own
 * length so the harness scores with BLAS. */
#include <shades/adapter.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "onnx_cv.h"
#include "feature.h"
#include "options.h"

#define MAGIC 0x31584e4fu /* "ONX1" */
#define NAME "opencv-onnx"

struct shades_engine {
    const shades_host *host;
    onnx_cv *cv;
    uint32_t dim;                          /* floats in a feature */
    shades_embedding embedding;            /* this engine's declaration */
    shades_attribute_estimation attributes;
    shades_detection detection;
};

static int onnx_estimate(shades_attributes *out, shades_engine *e, const shades_image *image);
static int onnx_detect(shades_face *out, size_t *out_count, shades_engine *e,
                       const shades_image *image, size_t capacity);

static int onnx_create(shades_engine **out, const shades_host *host,
                       const shades_engine_config *config)
{
    *out = NULL;
    onnx_settings s = {.score_threshold = 0.65, .nms_threshold = 0.4};
    const adapter_option table[] = {
        {"detector", ADAPTER_OPT_TEXT, s.detector, sizeof s.detector, 0, 0},
        {"landmark", ADAPTER_OPT_TEXT, s.landmark, sizeof s.landmark, 0, 0},
        {"feature", ADAPTER_OPT_TEXT, s.feature, sizeof s.feature, 0, 0},
        {"gender", ADAPTER_OPT_TEXT, s.gender, sizeof s.gender, 0, 0},
        {"age", ADAPTER_OPT_TEXT, s.age, sizeof s.age, 0, 0},
        {"score_threshold", ADAPTER_OPT_REAL, &s.score_threshold, 0, 0, 1},
        {"nms_threshold", ADAPTER_OPT_REAL, &s.nms_threshold, 0, 0, 1},
    };
    char why[2048];
    const char *dir = config ? config->config_dir : NULL;
    int bad = adapter_options_parse(config ? config->options : NULL, table,
                                    sizeof table / sizeof *table, why, sizeof why) ||
              adapter_file_path(s.detector, sizeof s.detector, dir, "detector", "ONNX file",
                                1, why, sizeof why) ||
              adapter_file_path(s.landmark, sizeof s.landmark, dir, "landmark", "ONNX file",
                                1, why, sizeof why) ||
              adapter_file_path(s.feature, sizeof s.feature, dir, "feature", "ONNX file",
                                1, why, sizeof why) ||
              adapter_file_path(s.gender, sizeof s.gender, dir, "gender", "ONNX file",
                                0, why, sizeof why) ||
              adapter_file_path(s.age, sizeof s.age, dir, "age", "ONNX file", 0, why, sizeof why);
    if (bad) {
        adapter_log_error(host, NAME, "%s", why);
        return SHADES_ERR_CONFIG;
    }
    shades_engine *e = calloc(1, sizeof *e);
    if (!e)
        return SHADES_ERR_NOMEM;
    e->host = host;
    if (onnx_cv_create(&e->cv, &s, why, sizeof why)) {
        adapter_log_error(host, NAME, "%s", why);
        free(e);
        return SHADES_ERR_CONFIG;
    }
    e->dim = onnx_cv_dimension(e->cv);
    e->embedding = (shades_embedding){sizeof(shades_embedding), SHADES_METRIC_COSINE, e->dim,
                                      ADAPTER_FEATURE_OFFSET};
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
    return adapter_feature_bytes(e->dim);
}

static int onnx_create_template(uint8_t *out_buf, shades_template_result *out_result,
                                shades_engine *e, const shades_image *images, size_t count,
                                size_t capacity, int role)
{
    (void)role;
    if (!out_buf || !out_result || !e || !images || count == 0)
        return SHADES_ERR_INVALID;
    if (capacity < adapter_feature_bytes(e->dim))
        return SHADES_ERR_BUFFER;
    float *feature = malloc((size_t)e->dim * sizeof *feature);
    if (!feature)
        return SHADES_ERR_NOMEM;
    shades_eyes eyes = {0};
    out_result->size = 0;
    int rc = onnx_cv_describe(feature, &eyes, e->cv, &images[0]);
    if (rc < 0) {
        free(feature);
        adapter_log_error(e->host, NAME, "OpenCV failed while describing a face");
        return rc;
    }
    out_result->outcome = rc;
    if (rc == SHADES_OUTCOME_OK) {
        adapter_feature_write(out_buf, MAGIC, feature, e->dim);
        out_result->size = adapter_feature_bytes(e->dim);
        if (SHADES_HAS_MEMBER(shades_template_result, out_result->struct_size, eyes))
            out_result->eyes = eyes;
    }
    free(feature);
    return SHADES_OK;
}

static int onnx_compare(double *out_score, shades_engine *e, const uint8_t *verify,
                        size_t verify_size, const uint8_t *enrol, size_t enrol_size)
{
    if (!out_score || !e)
        return SHADES_ERR_INVALID;
    return adapter_feature_compare(out_score, MAGIC, e->dim, verify, verify_size, enrol,
                                   enrol_size);
}

static int onnx_detect(shades_face *out, size_t *out_count, shades_engine *e,
                       const shades_image *image, size_t capacity)
{
    if (!out_count || !e || !image || (!out && capacity))
        return SHADES_ERR_INVALID;
    int rc = onnx_cv_detect(out, out_count, e->cv, image, capacity);
    if (rc < 0)
        adapter_log_error(e->host, NAME, "OpenCV failed while detecting faces");
    return rc;
}

static int onnx_estimate(shades_attributes *out, shades_engine *e, const shades_image *image)
{
    if (!out || !e || !image)
        return SHADES_ERR_INVALID;
    int rc = onnx_cv_estimate(out, e->cv, image);
    if (rc < 0)
        adapter_log_error(e->host, NAME, "OpenCV failed while estimating attributes");
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
