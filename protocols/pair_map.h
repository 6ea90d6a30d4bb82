/* A hash map from an ordered pair of items to a number (a line, an index),
 * for finding duplicate pairs and matching pairs read from files. */
#ifndef SH_PROTOCOLS_PAIR_MAP_H
#define SH_PROTOCOLS_PAIR_MAP_H

#include <stddef.h>
#include <stdint.h>

/* Open addressing over (a, b) keys, doubling when half full. Created by
 * sh_pair_map_create and freed by sh_pair_map_destroy; one thread
 * at a time. */
typedef struct sh_pair_map {
    size_t cap;            /* a power of two, at least twice the entries */
    size_t n;
    uint64_t *keys;        /* (a + 1) << 32 | b, so 0 marks an empty slot */
    uint64_t *values;
} sh_pair_map;

/* A map sized for `expected` pairs (it grows past them); NULL when out of
 * memory. */
sh_pair_map *sh_pair_map_create(size_t expected);

/* Frees a map; NULL is allowed. */
void sh_pair_map_destroy(sh_pair_map *map);

/* Inserts (a, b) -> value unless (a, b) is present. Returns 1 when
 * inserted, 0 when present (then *out_old, if not NULL, is its value), -1
 * when out of memory. */
int sh_pair_map_put(uint64_t *out_old, sh_pair_map *map, uint32_t a, uint32_t b,
                        uint64_t value);

/* The value of (a, b) into *out; 1 when present, 0 when not. */
int sh_pair_map_get(uint64_t *out, const sh_pair_map *map, uint32_t a, uint32_t b);

#endif
