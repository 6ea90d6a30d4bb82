#include "feature.h"

#include <math.h>
#include <string.h>

#include <shades/adapter.h>

size_t adapter_feature_bytes(uint32_t dim)
{
    return ADAPTER_FEATURE_OFFSET + (size_t)dim * sizeof(float);
}

void adapter_feature_write(uint8_t *out, uint32_t magic, const float *feature, uint32_t dim)
{
    memcpy(out, &magic, sizeof magic);
    memcpy(out + sizeof magic, &dim, sizeof dim);
    memcpy(out + ADAPTER_FEATURE_OFFSET, feature, (size_t)dim * sizeof *feature);
}

/* Whether t is a successful template of this magic and length. */
static int ours(const uint8_t *t, size_t size, uint32_t magic, uint32_t dim)
{
    uint32_t h[2];
    if (size != adapter_feature_bytes(dim))
        return 0;
    memcpy(h, t, sizeof h);
    return h[0] == magic && h[1] == dim;
}

/* Cosine of two features, read in place (templates may be unaligned). */
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

int adapter_feature_compare(double *out_score, uint32_t magic, uint32_t dim,
                            const uint8_t *verify, size_t verify_size, const uint8_t *enrol,
                            size_t enrol_size)
{
    if (verify_size == 0 || enrol_size == 0) {
        *out_score = -1;
        return SHADES_OK;
    }
    if (!ours(verify, verify_size, magic, dim) || !ours(enrol, enrol_size, magic, dim))
        return SHADES_ERR_TEMPLATE;
    *out_score = cosine(verify + ADAPTER_FEATURE_OFFSET, enrol + ADAPTER_FEATURE_OFFSET, dim);
    return SHADES_OK;
}
