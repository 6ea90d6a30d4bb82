/* opencv-dnn: YuNet face detection and SFace recognition through OpenCV's
 * FaceDetectorYN and FaceRecognizerSF, from ONNX files the user supplies
 * (docs/opencv-adapters.md says where to obtain them). The template is the
 * recognizer's feature (128 floats for SFace), declared as an embedding of
 * that length so the harness scores with BLAS. */
#include <shades/adapter.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dnn_cv.h"
#include "feature.h"
#include "options.h"

#define MAGIC 0x31464e44u /* "DNF1" */

struct shades_engine {
    const shades_host *host;
    dnn_cv *cv;
    uint32_t dim;                /* floats in a feature, the recognizer's */
    shades_embedding embedding;  /* this engine's declaration */
};

static int dnn_create(shades_engine **out, const shades_host *host,
                      const shades_engine_config *config)
{
    *out = NULL;
    dnn_settings s = {.score_threshold = 0.9, .nms_threshold = 0.3, .detect_size = 320};
    const adapter_option table[] = {
        {"detector", ADAPTER_OPT_TEXT, s.detector, sizeof s.detector, 0, 0},
        {"recognizer", ADAPTER_OPT_TEXT, s.recognizer, sizeof s.recognizer, 0, 0},
        {"score_threshold", ADAPTER_OPT_REAL, &s.score_threshold, 0, 0, 1},
        {"nms_threshold", ADAPTER_OPT_REAL, &s.nms_threshold, 0, 0, 1},
        {"detect_size", ADAPTER_OPT_INT, &s.detect_size, 0, 64, 2048},
    };
    char why[2048];
    const char *dir = config ? config->config_dir : NULL;
    int bad = adapter_options_parse(config ? config->options : NULL, table,
                                    sizeof table / sizeof *table, why, sizeof why) ||
              adapter_file_path(s.detector, sizeof s.detector, dir, "detector", "ONNX file",
                                1, why, sizeof why) ||
              adapter_file_path(s.recognizer, sizeof s.recognizer, dir, "recognizer", "ONNX file",
                                1, why, sizeof why);
    if (bad) {
        adapter_log_error(host, "opencv-dnn", "%s", why);
        return SHADES_ERR_CONFIG;
    }
    shades_engine *e = calloc(1, sizeof *e);
    if (!e)
        return SHADES_ERR_NOMEM;
    e->host = host;
    if (dnn_cv_create(&e->cv, &s, why, sizeof why)) {
        adapter_log_error(host, "opencv-dnn", "%s", why);
        free(e);
        return SHADES_ERR_CONFIG;
    }
    e->dim = dnn_cv_dimension(e->cv);
    e->embedding = (shades_embedding){sizeof(shades_embedding), SHADES_METRIC_COSINE, e->dim,
                                      ADAPTER_FEATURE_OFFSET};
    *out = e;
    return SHADES_OK;
}

static void dnn_destroy(shades_engine *e)
{
    if (e)
        dnn_cv_destroy(e->cv);
    free(e);
}

static uint32_t dnn_max_concurrency(const shades_engine *e)
{
    (void)e;
    return 0; /* each call takes its own nets from the pool */
}

static size_t dnn_template_size_max(const shades_engine *e)
{
    return adapter_feature_bytes(e->dim);
}

static int dnn_create_template(uint8_t *out_buf, shades_template_result *out_result,
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
    out_result->size = 0;
    int rc = dnn_cv_describe(feature, e->cv, &images[0]);
    if (rc < 0) {
        free(feature);
        adapter_log_error(e->host, "opencv-dnn", "OpenCV failed while describing a face");
        return rc;
    }
    out_result->outcome = rc;
    if (rc == SHADES_OUTCOME_OK) {
        adapter_feature_write(out_buf, MAGIC, feature, e->dim);
        out_result->size = adapter_feature_bytes(e->dim);
    }
    free(feature);
    return SHADES_OK;
}

static int dnn_compare(double *out_score, shades_engine *e, const uint8_t *verify,
                       size_t verify_size, const uint8_t *enrol, size_t enrol_size)
{
    if (!out_score || !e)
        return SHADES_ERR_INVALID;
    return adapter_feature_compare(out_score, MAGIC, e->dim, verify, verify_size, enrol,
                                   enrol_size);
}

static int dnn_detect(shades_face *out, size_t *out_count, shades_engine *e,
                      const shades_image *image, size_t capacity)
{
    if (!out_count || !e || !image || (!out && capacity))
        return SHADES_ERR_INVALID;
    return dnn_cv_detect(out, out_count, e->cv, image, capacity);
}

static const shades_detection detection = {sizeof(shades_detection), 0, dnn_detect};

/* The embedding table lives in the engine: its length is the recognizer's. */
static const void *dnn_get_extension(const shades_engine *e, const char *id)
{
    if (!e || !id)
        return NULL;
    if (!strcmp(id, SHADES_EXT_EMBEDDING))
        return &e->embedding;
    if (!strcmp(id, SHADES_EXT_DETECTION))
        return &detection;
    return NULL;
}

SHADES_ADAPTER_DEFINE = {
    .struct_size = sizeof(shades_adapter),
    .abi_major = SHADES_ABI_MAJOR,
    .abi_minor = SHADES_ABI_MINOR,
    .name = "opencv-dnn",
    .version = "1.0.0",
    .vendor = "shades project",
    .description = "YuNet detection and SFace features (ONNX files the user supplies), cosine",
    .capabilities = SHADES_CAP_VERIFY_11 | SHADES_CAP_EMBEDDING | SHADES_CAP_DETECTION |
                    SHADES_CAP_SYMMETRIC,
    .create = dnn_create,
    .destroy = dnn_destroy,
    .max_concurrency = dnn_max_concurrency,
    .template_size_max = dnn_template_size_max,
    .create_template = dnn_create_template,
    .compare = dnn_compare,
    .get_extension = dnn_get_extension,
};
