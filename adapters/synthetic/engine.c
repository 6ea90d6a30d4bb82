/* The synthetic engine: reads the identity code that the cohort generator
 * wrote into each image and scores pairs by the model in model.h, so its
 * true error rates are known in closed form. It never sees labels. */
#include <shades/adapter.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <shades/synthetic.h>

#define TEMPLATE_BYTES 16
static const uint8_t template_magic[4] = {'S', 'Y', 'T', '1'};

struct shades_engine {
    synth_model model;
};

static void log_error(const shades_host *host, const char *msg)
{
    if (host && SHADES_HAS_MEMBER(shades_host, host->struct_size, log) && host->log)
        host->log(host, SHADES_LOG_ERROR, msg);
}

/* Stands in for a slow engine (option template_delay_ms), so tests can
 * stop a run partway. */
static void call_delay(double ms)
{
    if (ms > 0) {
        double ns = ms * 1e6;
        struct timespec ts = {(time_t)(ns / 1e9), (long)(ns - (double)(time_t)(ns / 1e9) * 1e9)};
        while (nanosleep(&ts, &ts))
            ;
    }
}

static int synthetic_create(shades_engine **out, const shades_host *host,
                            const shades_engine_config *config)
{
    *out = NULL;
    if (!config || config->struct_size < SHADES_MEMBER_END(shades_engine_config, seed))
        return SHADES_ERR_INVALID;
    shades_engine *e = calloc(1, sizeof *e);
    if (!e)
        return SHADES_ERR_NOMEM;
    synth_model_default(&e->model, config->seed);
    char why[256];
    if (synth_model_parse(&e->model, config->options, why, sizeof why)) {
        char msg[300];
        snprintf(msg, sizeof msg, "synthetic: %s", why);
        log_error(host, msg);
        free(e);
        return SHADES_ERR_CONFIG;
    }
    *out = e;
    return SHADES_OK;
}

static void synthetic_destroy(shades_engine *engine)
{
    free(engine);
}

static uint32_t synthetic_max_concurrency(const shades_engine *engine)
{
    (void)engine;
    return 0;
}

static size_t synthetic_template_size_max(const shades_engine *engine)
{
    (void)engine;
    return TEMPLATE_BYTES;
}

static int synthetic_create_template(uint8_t *out_buf, shades_template_result *out_result,
                                     shades_engine *engine, const shades_image *images,
                                     size_t count, size_t capacity, int role)
{
    (void)role;
    if (!out_buf || !out_result || !engine || !images || count == 0)
        return SHADES_ERR_INVALID;
    if (capacity < TEMPLATE_BYTES)
        return SHADES_ERR_BUFFER;
    const shades_image *im = &images[0];
    call_delay(engine->model.template_delay_ms);
    out_result->size = 0;
    if (im->format != SHADES_PIXEL_GRAY8 && im->format != SHADES_PIXEL_RGB8) {
        out_result->outcome = SHADES_OUTCOME_REFUSED;
        return SHADES_OK;
    }
    synth_code code;
    if (synth_code_read(&code, im->pixels, im->width, im->height, im->stride,
                        im->format == SHADES_PIXEL_RGB8)) {
        out_result->outcome = SHADES_OUTCOME_NO_FACE;
        return SHADES_OK;
    }
    if (synth_model_fails(&engine->model, &code)) {
        out_result->outcome = SHADES_OUTCOME_FAILED;
        return SHADES_OK;
    }
    memcpy(out_buf, template_magic, 4);
    out_buf[4] = code.traits;
    out_buf[5] = out_buf[6] = out_buf[7] = 0;
    synth_put_u32(out_buf + 8, code.subject);
    synth_put_u32(out_buf + 12, code.image);
    out_result->outcome = SHADES_OUTCOME_OK;
    out_result->size = TEMPLATE_BYTES;
    return SHADES_OK;
}

static int read_template(synth_code *out, const uint8_t *t, size_t size)
{
    if (size != TEMPLATE_BYTES || memcmp(t, template_magic, 4))
        return -1;
    out->traits = t[4];
    out->subject = synth_get_u32(t + 8);
    out->image = synth_get_u32(t + 12);
    return 0;
}

static int compare_one(double *out_score, const shades_engine *engine, const uint8_t *verify,
                       size_t verify_size, const uint8_t *enrol, size_t enrol_size)
{
    synth_code a, b;
    if (verify_size == 0 || enrol_size == 0) {
        /* A failed template matches nothing. */
        *out_score = -HUGE_VAL;
        return SHADES_OK;
    }
    if (read_template(&a, verify, verify_size) || read_template(&b, enrol, enrol_size))
        return SHADES_ERR_TEMPLATE;
    *out_score = synth_model_score(&engine->model, &a, &b);
    return SHADES_OK;
}

static int synthetic_compare(double *out_score, shades_engine *engine,
                             const uint8_t *verify, size_t verify_size,
                             const uint8_t *enrol, size_t enrol_size)
{
    if (!out_score || !engine)
        return SHADES_ERR_INVALID;
    return compare_one(out_score, engine, verify, verify_size, enrol, enrol_size);
}

static int synthetic_compare_many(double *out_scores, shades_engine *engine,
                                  const uint8_t *verify, size_t verify_size,
                                  const uint8_t *const *enrol, const size_t *enrol_sizes,
                                  size_t count)
{
    if (!out_scores || !engine)
        return SHADES_ERR_INVALID;
    for (size_t k = 0; k < count; k++) {
        int st = compare_one(&out_scores[k], engine, verify, verify_size, enrol[k],
                             enrol_sizes[k]);
        if (st != SHADES_OK)
            return st;
    }
    return SHADES_OK;
}

static const shades_batch_compare batch = {sizeof batch, 0, synthetic_compare_many};

/* Sex from the trait the image carries, wrong with the planted probability. */
static int synthetic_estimate(shades_attributes *out_attrs, shades_engine *engine,
                              const shades_image *image)
{
    synth_code code;
    if (!out_attrs || !engine || !image)
        return SHADES_ERR_INVALID;
    out_attrs->age = -1;
    if ((image->format != SHADES_PIXEL_GRAY8 && image->format != SHADES_PIXEL_RGB8) ||
        synth_code_read(&code, image->pixels, image->width, image->height, image->stride,
                        image->format == SHADES_PIXEL_RGB8)) {
        out_attrs->outcome = SHADES_OUTCOME_NO_FACE;
        out_attrs->sex = SHADES_SEX_UNKNOWN;
        return SHADES_OK;
    }
    out_attrs->outcome = SHADES_OUTCOME_OK;
    out_attrs->sex = synth_model_says_female(&engine->model, &code) ? SHADES_SEX_FEMALE
                                                                   : SHADES_SEX_MALE;
    out_attrs->sex_confidence = (float)(1.0 - synth_model_sex_error(&engine->model, code.traits));
    return SHADES_OK;
}

static const shades_attribute_estimation attributes = {sizeof attributes, 0, synthetic_estimate};

static const void *synthetic_get_extension(const shades_engine *engine, const char *id)
{
    (void)engine;
    if (!strcmp(id, SHADES_EXT_BATCH_COMPARE))
        return &batch;
    if (!strcmp(id, SHADES_EXT_ATTRIBUTES))
        return &attributes;
    return NULL;
}

SHADES_ADAPTER_DEFINE = {
    .struct_size = sizeof(shades_adapter),
    .abi_major = SHADES_ABI_MAJOR,
    .abi_minor = SHADES_ABI_MINOR,
    .name = "synthetic",
    .version = "1.0.0",
    .vendor = "shades project",
    .description = "planted-differential engine with closed-form error rates",
    .capabilities = SHADES_CAP_VERIFY_11 | SHADES_CAP_BATCH_COMPARE | SHADES_CAP_ATTRIBUTES |
                    SHADES_CAP_SYMMETRIC,
    .create = synthetic_create,
    .destroy = synthetic_destroy,
    .max_concurrency = synthetic_max_concurrency,
    .template_size_max = synthetic_template_size_max,
    .create_template = synthetic_create_template,
    .compare = synthetic_compare,
    .get_extension = synthetic_get_extension,
};
