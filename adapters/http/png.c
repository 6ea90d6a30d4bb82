#include "png.h"

#include <stdlib.h>
#include <string.h>

#include <zlib.h>

static uint8_t *put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
    return p + 4;
}

/* Writes one chunk (length, type, data, CRC over type and data) at p. */
static uint8_t *chunk(uint8_t *p, const char type[4], const uint8_t *data, uint32_t n)
{
    p = put32(p, n);
    memcpy(p, type, 4);
    if (n)
        memcpy(p + 4, data, n);
    uLong crc = crc32(0L, p, 4 + n);
    return put32(p + 4 + n, (uint32_t)crc);
}

int http_png_encode(uint8_t **out, size_t *out_size, const shades_image *im)
{
    *out = NULL;
    *out_size = 0;
    unsigned channels = im->format == SHADES_PIXEL_GRAY8  ? 1
                        : im->format == SHADES_PIXEL_RGB8 ? 3
                                                          : 0;
    if (!channels || !im->width || !im->height || !im->pixels ||
        im->stride < (size_t)im->width * channels)
        return SHADES_ERR_INVALID;
    size_t row = (size_t)im->width * channels;
    size_t raw_n = (row + 1) * im->height;
    uint8_t *raw = malloc(raw_n);
    uLongf z_n = compressBound((uLong)raw_n);
    uint8_t *z = malloc(z_n);
    uint8_t *png = malloc(z_n + 64);
    if (!raw || !z || !png) {
        free(raw);
        free(z);
        free(png);
        return SHADES_ERR_NOMEM;
    }
    /* Filter type 0 on every row: bigger files, but the encoding is
     * simple and its bytes depend on nothing but the pixels. */
    for (uint32_t y = 0; y < im->height; y++) {
        raw[y * (row + 1)] = 0;
        memcpy(raw + y * (row + 1) + 1, im->pixels + (size_t)y * im->stride, row);
    }
    int zrc = compress2(z, &z_n, raw, (uLong)raw_n, 6);
    free(raw);
    if (zrc != Z_OK) {
        free(z);
        free(png);
        return SHADES_ERR_NOMEM;
    }
    uint8_t ihdr[13];
    put32(ihdr, im->width);
    put32(ihdr + 4, im->height);
    ihdr[8] = 8;                          /* bits per sample */
    ihdr[9] = channels == 1 ? 0 : 2;      /* grey or truecolour */
    ihdr[10] = ihdr[11] = ihdr[12] = 0;   /* deflate, adaptive filters, no interlace */
    static const uint8_t signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    uint8_t *p = png;
    memcpy(p, signature, 8);
    p = chunk(p + 8, "IHDR", ihdr, 13);
    p = chunk(p, "IDAT", z, (uint32_t)z_n);
    p = chunk(p, "IEND", NULL, 0);
    free(z);
    *out = png;
    *out_size = (size_t)(p - png);
    return SHADES_OK;
}
