/* A hash map from an ordered pair of items to a number (a line, an index),
 * for finding duplicate pairs and matching pairs read from files. */
#ifndef SHADES_PROTOCOLS_PAIR_MAP_H
#define SHADES_PROTOCOLS_PAIR_MAP_H

#include <stddef.h>
#include <stdint.h>

/* Open addressing over (a, b) keys, doubling when half full. Created by
 * shades_pair_map_create and freed by shades_pair_map_destroy; one thread
 * at a time. */
typedef struct shades_pair_map {
    size_t cap;            /* a power of two, at least twice the entries */
    size_t n;
    uint64_t *keys;        /* (a + 1) << 32 | b, so 0 marks an empty slot */
    uint64_t *values;
} shades_pair_map;

/* A map sized for `expected` pairs (it grows past them); NULL when out of
 * memory. */
shades_pair_map *shades_pair_map_create(size_t expected);

/* Frees a map; NULL is allowed. */
void shades_pair_map_destroy(shades_pair_map *map);

/* Inserts (a, b) -> value unless (a, b) is present. Returns 1 when
 * inserted, 0 when present (then *out_old, if not NULL, is its value), -1
 * when out of memory. */
int shades_pair_map_put(uint64_t *out_old, shades_pair_map *map, uint32_t a, uint32_t b,
                        uint64_t value);

/* The value of (a, b) into *out; 1 when present, 0 when not. */
int shades_pair_map_get(uint64_t *out, const shades_pair_map *map, uint32_t a, uint32_t b);

#endif
