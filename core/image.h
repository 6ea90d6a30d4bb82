/* Image files in and out, through OpenCV's codecs (image_io.cpp is the one
 * C++ file behind this C face). */
#ifndef SH_CORE_IMAGE_H
#define SH_CORE_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Decoded pixels, 8-bit gray or RGB, owned by whoever loaded them. */
typedef struct sh_pixels {
    uint32_t width, height, stride;
    uint32_t format;           /* SHADES_PIXEL_GRAY8 or SHADES_PIXEL_RGB8 */
    uint8_t *data;
} sh_pixels;

/* The most bytes one image file may have (64 MiB): a larger one is
 * refused before it is read, and reading stops there should it grow. */
#define SH_IMAGE_MAX_BYTES (64 << 20)

/* Largest side accepted, so a hostile file cannot demand gigabytes. */
#define SH_IMAGE_MAX_SIDE 16384

/* Decodes a PNG, JPEG, BMP or PNM file into *out: one channel stays gray,
 * colour becomes RGB, deeper samples are scaled to 8 bits. Fails naming the
 * file when it is missing, empty, truncated or not an image. [thread: any] */
int sh_image_load(sh_pixels *out, const char *path, sh_err *err);

/* As sh_image_load, from an open descriptor (the caller's, left open)
 * of the file `path` names. [thread: any] */
int sh_image_load_fd(sh_pixels *out, int fd, const char *path, sh_err *err);

/* Frees what sh_image_load allocated; a zeroed struct is fine. */
void sh_image_free(sh_pixels *px);

/* Writes 8-bit gray pixels as a PNG file. [thread: any] */
int sh_image_write_gray_png(const char *path, const uint8_t *pixels, uint32_t width,
                                uint32_t height, uint32_t stride, sh_err *err);

/* Writes 8-bit RGB pixels as a PNG file. [thread: any] */
int sh_image_write_rgb_png(const char *path, const uint8_t *pixels, uint32_t width,
                               uint32_t height, uint32_t stride, sh_err *err);

/* The OpenCV version the codecs come from, for the results' build record. */
const char *sh_image_codec_version(void);

#ifdef __cplusplus
}
#endif

#endif
