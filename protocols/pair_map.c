#include "pair_map.h"

#include <stdlib.h>

sh_pair_map *sh_pair_map_create(size_t expected)
{
    sh_pair_map *map = calloc(1, sizeof *map);
    if (!map)
        return NULL;
    map->cap = 16;
    while (map->cap < 2 * expected)
        map->cap *= 2;
    map->keys = calloc(map->cap, sizeof *map->keys);
    map->values = malloc(map->cap * sizeof *map->values);
    if (!map->keys || !map->values) {
        sh_pair_map_destroy(map);
        return NULL;
    }
    return map;
}

void sh_pair_map_destroy(sh_pair_map *map)
{
    if (!map)
        return;
    free(map->keys);
    free(map->values);
    free(map);
}

static uint64_t key_of(uint32_t a, uint32_t b)
{
    return ((uint64_t)a + 1) << 32 | b;
}

/* The slot holding key, or the empty slot where it would go. */
static size_t slot_of(const sh_pair_map *map, uint64_t key)
{
    size_t h = (size_t)((key * 0x9e3779b97f4a7c15ULL) >> 17) & (map->cap - 1);
    while (map->keys[h] && map->keys[h] != key)
        h = (h + 1) & (map->cap - 1);
    return h;
}

/* Doubles the table, placing every entry again. */
static int grow(sh_pair_map *map)
{
    sh_pair_map bigger = {.cap = map->cap * 2, .n = map->n};
    bigger.keys = calloc(bigger.cap, sizeof *bigger.keys);
    bigger.values = malloc(bigger.cap * sizeof *bigger.values);
    if (!bigger.keys || !bigger.values) {
        free(bigger.keys);
        free(bigger.values);
        return -1;
    }
    for (size_t i = 0; i < map->cap; i++)
        if (map->keys[i]) {
            size_t h = slot_of(&bigger, map->keys[i]);
            bigger.keys[h] = map->keys[i];
            bigger.values[h] = map->values[i];
        }
    free(map->keys);
    free(map->values);
    *map = bigger;
    return 0;
}

int sh_pair_map_put(uint64_t *out_old, sh_pair_map *map, uint32_t a, uint32_t b,
                        uint64_t value)
{
    uint64_t key = key_of(a, b);
    size_t h = slot_of(map, key);
    if (map->keys[h]) {
        if (out_old)
            *out_old = map->values[h];
        return 0;
    }
    if (2 * (map->n + 1) > map->cap) {
        if (grow(map))
            return -1;
        h = slot_of(map, key);
    }
    map->keys[h] = key;
    map->values[h] = value;
    map->n++;
    return 1;
}

int sh_pair_map_get(uint64_t *out, const sh_pair_map *map, uint32_t a, uint32_t b)
{
    size_t h = slot_of(map, key_of(a, b));
    if (!map->keys[h])
        return 0;
    *out = map->values[h];
    return 1;
}
