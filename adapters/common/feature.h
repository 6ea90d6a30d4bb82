/* Templates that hold one float feature behind an 8-byte header (a magic
 * number, the feature's length), as opencv-dnn and opencv-onnx write them
 * and declare as a cosine embedding at byte ADAPTER_FEATURE_OFFSET, and as
 * the http adapter keeps a service's embeddings. */
#ifndef ADAPTER_COMMON_FEATURE_H
#define ADAPTER_COMMON_FEATURE_H

#include <stddef.h>
#include <stdint.h>

/* Where the feature starts in a template: after magic and length. */
#define ADAPTER_FEATURE_OFFSET 8

/* Bytes of a template of a dim-float feature. */
size_t adapter_feature_bytes(uint32_t dim);

/* Writes the template of feature (dim floats) into out, which holds at
 * least adapter_feature_bytes(dim). */
void adapter_feature_write(uint8_t *out, uint32_t magic, const float *feature, uint32_t dim);

/* The cosine of two templates of this magic and length into *out_score,
 * in double as the harness's embedding scores are; -1, the lowest, when
 * either is a failed (empty) template. Returns SHADES_OK, or
 * SHADES_ERR_TEMPLATE for bytes that are not such a template. [thread: any] */
int adapter_feature_compare(double *out_score, uint32_t magic, uint32_t dim,
                            const uint8_t *verify, size_t verify_size, const uint8_t *enrol,
                            size_t enrol_size);

#endif
