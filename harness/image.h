/* Image files in and out, through OpenCV's codecs (image_io.cpp is the one
 * C++ file behind this C face). */
#ifndef SHADES_HARNESS_IMAGE_H
#define SHADES_HARNESS_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Decoded pixels, 8-bit gray or RGB, owned by whoever loaded them. */
typedef struct shades_pixels {
    uint32_t width, height, stride;
    uint32_t format;           /* SHADES_PIXEL_GRAY8 or SHADES_PIXEL_RGB8 */
    uint8_t *data;
} shades_pixels;

/* Largest side accepted, so a hostile file cannot demand gigabytes. */
#define SHADES_IMAGE_MAX_SIDE 16384

/* Decodes a PNG, JPEG, BMP or PNM file into *out: one channel stays gray,
 * colour becomes RGB, deeper samples are scaled to 8 bits. Fails naming the
 * file when it is missing, empty, truncated or not an image. [thread: any] */
int shades_image_load(shades_pixels *out, const char *path, shades_err *err);

/* As shades_image_load, from an open descriptor (the caller's, left open)
 * of the file `path` names. [thread: any] */
int shades_image_load_fd(shades_pixels *out, int fd, const char *path, shades_err *err);

/* Frees what shades_image_load allocated; a zeroed struct is fine. */
void shades_image_free(shades_pixels *px);

/* Writes 8-bit gray pixels as a PNG file. [thread: any] */
int shades_image_write_gray_png(const char *path, const uint8_t *pixels, uint32_t width,
                                uint32_t height, uint32_t stride, shades_err *err);

/* Writes 8-bit RGB pixels as a PNG file. [thread: any] */
int shades_image_write_rgb_png(const char *path, const uint8_t *pixels, uint32_t width,
                               uint32_t height, uint32_t stride, shades_err *err);

/* The OpenCV version the codecs come from, for the results' build record. */
const char *shades_image_codec_version(void);

#ifdef __cplusplus
}
#endif

#endif
