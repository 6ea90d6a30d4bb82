/* Engines that say where their answers came from (shades.provenance/1),
 * one per build flag, for tests/service_cli.sh. Each scores the synthetic
 * cohort's code images as the synthetic engine does, takes one option,
 * service=PATH (what engine.service hands it), and describes itself in
 * fixed lines plus the service option it was given:
 *   PROV_GOOD     lines the harness records as they are
 *   PROV_BAD_KEY  a line whose key is not [a-z0-9_]+, which fails the run
 *   PROV_NONE     offers no provenance at all */
#include <shades/adapter.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <shades/synthetic.h>

#define TEMPLATE_BYTES 16

struct shades_engine {
    synth_model model;
    char service[1024]; /* the service option, or "" */
};

static int prov_create(shades_engine **out, const shades_host *host,
                       const shades_engine_config *config)
{
    (void)host;
    *out = calloc(1, sizeof **out);
    if (!*out)
        return SHADES_ERR_NOMEM;
    synth_model_default(&(*out)->model, config->seed);
    for (const char *p = config->options; p && *p;) {
        const char *end = strchr(p, '\n');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        if (len > 8 && !strncmp(p, "service=", 8) && len - 8 < sizeof (*out)->service) {
            memcpy((*out)->service, p + 8, len - 8);
        } else {
            free(*out);
            *out = NULL;
            return SHADES_ERR_CONFIG;
        }
        p = end ? end + 1 : p + len;
    }
    return SHADES_OK;
}

static void prov_destroy(shades_engine *e)
{
    free(e);
}

static uint32_t prov_max_concurrency(const shades_engine *e)
{
    (void)e;
    return 0;
}

static size_t prov_template_size_max(const shades_engine *e)
{
    (void)e;
    return TEMPLATE_BYTES;
}

static int prov_create_template(uint8_t *out_buf, shades_template_result *out_result,
                                shades_engine *e, const shades_image *images, size_t count,
                                size_t capacity, int role)
{
    (void)e, (void)count, (void)capacity, (void)role;
    synth_code code;
    const shades_image *im = &images[0];
    out_result->size = 0;
    if (im->format != SHADES_PIXEL_GRAY8 ||
        synth_code_read(&code, im->pixels, im->width, im->height, im->stride, 0)) {
        out_result->outcome = SHADES_OUTCOME_NO_FACE;
        return SHADES_OK;
    }
    memset(out_buf, 0, TEMPLATE_BYTES);
    out_buf[4] = code.traits;
    synth_put_u32(out_buf + 8, code.subject);
    synth_put_u32(out_buf + 12, code.image);
    out_result->outcome = SHADES_OUTCOME_OK;
    out_result->size = TEMPLATE_BYTES;
    return SHADES_OK;
}

static int prov_compare(double *out_score, shades_engine *e, const uint8_t *v, size_t vs,
                        const uint8_t *r, size_t rs)
{
    if (vs != TEMPLATE_BYTES || rs != TEMPLATE_BYTES)
        return SHADES_ERR_TEMPLATE;
    synth_code a = {synth_get_u32(v + 8), synth_get_u32(v + 12), v[4]};
    synth_code b = {synth_get_u32(r + 8), synth_get_u32(r + 12), r[4]};
    *out_score = synth_model_score(&e->model, &a, &b);
    return SHADES_OK;
}

static int prov_describe(char *out, size_t cap, const shades_engine *e)
{
    int n = snprintf(out, cap,
                     "service=stand-in face service\n"
                     "endpoint=https://faces.example.invalid/v1/compare\n"
                     "model_version=2026-11-01\n"
#if defined(PROV_BAD_KEY)
                     "Region=eu-west-1\n"
#else
                     "region=eu-west-1\n"
#endif
                     "cache=off\n"
                     "service_option=%s\n",
                     e->service[0] ? e->service : "none");
    return n < 0 || (size_t)n >= cap ? SHADES_ERR_BUFFER : SHADES_OK;
}

static const shades_provenance provenance = {
    .struct_size = sizeof(shades_provenance),
    .describe = prov_describe,
};

static const void *prov_get_extension(const shades_engine *e, const char *id)
{
    (void)e;
#if defined(PROV_NONE)
    (void)id;
    (void)provenance;
    return NULL;
#else
    return strcmp(id, SHADES_EXT_PROVENANCE) ? NULL : &provenance;
#endif
}

SHADES_ADAPTER_DEFINE = {
    .struct_size = sizeof(shades_adapter),
    .abi_major = SHADES_ABI_MAJOR,
    .abi_minor = SHADES_ABI_MINOR,
    .name = PROV_NAME,
    .version = "0.0.1",
    .vendor = "shades tests",
    .description = "an engine that says where its answers came from",
    .capabilities = SHADES_CAP_VERIFY_11,
    .create = prov_create,
    .destroy = prov_destroy,
    .max_concurrency = prov_max_concurrency,
    .template_size_max = prov_template_size_max,
    .create_template = prov_create_template,
    .compare = prov_compare,
    .get_extension = prov_get_extension,
};
