/* Encodes a harness image as PNG, the lossless format every face API
 * accepts, so a service sees exactly the pixels the harness decoded. */
#ifndef SHADES_HTTP_PNG_H
#define SHADES_HTTP_PNG_H

#include <shades/adapter.h>

#include <stddef.h>
#include <stdint.h>

/* Encodes image into *out (malloc'd, the caller frees) of *out_size bytes.
 * The same pixels always give the same bytes. Returns SHADES_OK,
 * SHADES_ERR_INVALID for a format it does not know, or SHADES_ERR_NOMEM.
 * [thread: any] */
int http_png_encode(uint8_t **out, size_t *out_size, const shades_image *image);

#endif
