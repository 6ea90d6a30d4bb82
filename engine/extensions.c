#include "extensions.h"

#include <stdio.h>
#include <string.h>

/* Capability bits, their extension ids and names, in bit order. */
static const struct {
    uint64_t bit;
    const char *id;   /* NULL: a promise without a table */
    const char *name;
} known[] = {
    {SHADES_CAP_VERIFY_11, NULL, "verify-1:1"},
    {SHADES_CAP_BATCH_COMPARE, SHADES_EXT_BATCH_COMPARE, "batch-compare"},
    {SHADES_CAP_EMBEDDING, SHADES_EXT_EMBEDDING, "embedding"},
    {SHADES_CAP_SEARCH_1N, SHADES_EXT_SEARCH_1N, "search-1:N"},
    {SHADES_CAP_ATTRIBUTES, SHADES_EXT_ATTRIBUTES, "attributes"},
    {SHADES_CAP_DETECTION, SHADES_EXT_DETECTION, "detection"},
    {SHADES_CAP_QUALITY, SHADES_EXT_QUALITY, "quality"},
    {SHADES_CAP_SYMMETRIC, NULL, "symmetric"},
};

void sh_capabilities_describe(char *out, size_t cap, uint64_t caps)
{
    size_t n = 0;
    out[0] = 0;
    for (size_t k = 0; k < sizeof known / sizeof known[0]; k++)
        if (caps & known[k].bit && n < cap)
            n += (size_t)snprintf(out + n, cap - n, "%s%s", n ? " " : "", known[k].name);
    if (caps & ~SHADES_CAP_ALL_1_0 && n < cap)
        snprintf(out + n, cap - n, "%s(bits 0x%llx unknown to ABI 1.0, ignored)", n ? " " : "",
                 (unsigned long long)(caps & ~SHADES_CAP_ALL_1_0));
}

static int missing(sh_err *err, const char *path, const char *id, const char *what)
{
    return sh_err_set(err, SH_E_ADAPTER, "adapter '%s': declares %s but %s", path, id,
                          what);
}

/* A table's first field is its struct_size; `need` is what this harness reads. */
static int table(const void **out, const shades_adapter *e, const shades_engine *engine,
                 const char *id, size_t need, const char *path, sh_err *err)
{
    const void *t = e->get_extension ? e->get_extension(engine, id) : NULL;
    if (!t)
        return missing(err, path, id, "get_extension returns NULL for it");
    uint32_t size = *(const uint32_t *)t;
    if (size < need) {
        char why[96];
        snprintf(why, sizeof why, "its table is %u bytes, this harness needs %zu", size, need);
        return missing(err, path, id, why);
    }
    *out = t;
    return 0;
}

#define FIND(field, type, last, id)                                                      \
    do {                                                                                 \
        const void *t_ = NULL;                                                           \
        int rc_ = table(&t_, e, engine, id, SHADES_MEMBER_END(type, last), path, err);   \
        if (rc_)                                                                         \
            return rc_;                                                                  \
        out->field = t_;                                                                 \
    } while (0)

static int check_embedding(const shades_embedding *em, size_t template_max, const char *path,
                           sh_err *err)
{
    char why[160];
    if (em->metric < SHADES_METRIC_COSINE || em->metric > SHADES_METRIC_NEG_L2)
        snprintf(why, sizeof why, "its metric %u is not cosine (1), dot (2) or negative L2 (3)",
                 em->metric);
    else if (em->dimension == 0 || em->offset % 4)
        snprintf(why, sizeof why, "its vector has dimension %u at offset %u (needs >= 1, "
                 "offset a multiple of 4)", em->dimension, em->offset);
    else if ((size_t)em->offset + 4 * (size_t)em->dimension > template_max)
        snprintf(why, sizeof why, "its vector (offset %u, %u floats) overruns "
                 "template_size_max %zu", em->offset, em->dimension, template_max);
    else
        return 0;
    return missing(err, path, SHADES_EXT_EMBEDDING, why);
}

int sh_extensions_find(sh_extensions *out, const shades_adapter *e,
                           const shades_engine *engine, size_t template_max, const char *path,
                           sh_err *err)
{
    memset(out, 0, sizeof *out);
    uint64_t caps = e->capabilities;
    if (caps & SHADES_CAP_BATCH_COMPARE) {
        FIND(batch, shades_batch_compare, compare_many, SHADES_EXT_BATCH_COMPARE);
        if (!out->batch->compare_many)
            return missing(err, path, SHADES_EXT_BATCH_COMPARE, "compare_many is NULL");
    }
    if (caps & SHADES_CAP_EMBEDDING) {
        FIND(embedding, shades_embedding, offset, SHADES_EXT_EMBEDDING);
        int rc = check_embedding(out->embedding, template_max, path, err);
        if (rc)
            return rc;
    }
    if (caps & SHADES_CAP_SEARCH_1N) {
        FIND(search, shades_search_1n, search, SHADES_EXT_SEARCH_1N);
        if (!out->search->gallery_create || !out->search->gallery_destroy || !out->search->search)
            return missing(err, path, SHADES_EXT_SEARCH_1N, "one of its functions is NULL");
    }
    if (caps & SHADES_CAP_ATTRIBUTES) {
        FIND(attributes, shades_attribute_estimation, estimate, SHADES_EXT_ATTRIBUTES);
        if (!out->attributes->estimate)
            return missing(err, path, SHADES_EXT_ATTRIBUTES, "estimate is NULL");
    }
    if (caps & SHADES_CAP_DETECTION) {
        FIND(detection, shades_detection, detect, SHADES_EXT_DETECTION);
        if (!out->detection->detect)
            return missing(err, path, SHADES_EXT_DETECTION, "detect is NULL");
    }
    if (caps & SHADES_CAP_QUALITY) {
        FIND(quality, shades_quality, assess, SHADES_EXT_QUALITY);
        if (!out->quality->assess)
            return missing(err, path, SHADES_EXT_QUALITY, "assess is NULL");
    }
    return 0;
}

int sh_extension_provenance(const shades_provenance **out, const shades_adapter *e,
                            const shades_engine *engine, const char *path, sh_err *err)
{
    *out = NULL;
    const void *t = e->get_extension ? e->get_extension(engine, SHADES_EXT_PROVENANCE) : NULL;
    if (!t)
        return 0;
    uint32_t size = *(const uint32_t *)t;
    size_t need = SHADES_MEMBER_END(shades_provenance, describe);
    char why[96];
    if (size < need)
        snprintf(why, sizeof why, "its table is %u bytes, this harness needs %zu", size, need);
    else if (!((const shades_provenance *)t)->describe)
        snprintf(why, sizeof why, "describe is NULL");
    else {
        *out = t;
        return 0;
    }
    return sh_err_set(err, SH_E_ADAPTER, "adapter '%s': offers %s but %s", path,
                      SHADES_EXT_PROVENANCE, why);
}
