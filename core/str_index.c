#include "str_index.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct sh_str_index {
    const char *const *keys;
    uint32_t *len;           /* each key's length */
    size_t mask;             /* slots - 1; slots a power of two, over twice the keys */
    uint32_t *slot;          /* key position + 1; 0: empty */
    uint32_t *tag;           /* the hash of each slot's key, to skip most compares */
};

/* Eight bytes at a time, multiply and fold: short ids hash in a few cycles. */
static inline uint64_t hash(const char *s, size_t len)
{
    uint64_t h = 0x9E3779B97F4A7C15u ^ len;
    while (len >= 8) {
        uint64_t w;
        memcpy(&w, s, 8);
        h = (h ^ w) * 0xBF58476D1CE4E5B9u;
        h ^= h >> 31;
        s += 8;
        len -= 8;
    }
    if (len) {
        uint64_t w = 0;
        for (size_t i = 0; i < len; i++)
            w |= (uint64_t)(unsigned char)s[i] << (8 * i);
        h = (h ^ w) * 0x94D049BB133111EBu;
    }
    h ^= h >> 29;
    h *= 0xBF58476D1CE4E5B9u;
    return h ^ (h >> 32);
}

sh_str_index *sh_str_index_create(const char *const *keys, size_t n)
{
    if (n >= UINT32_MAX)
        return NULL;
    sh_str_index *x = calloc(1, sizeof *x);
    size_t slots = 16;
    while (slots < 2 * n + 2)
        slots *= 2;
    if (x) {
        x->keys = keys;
        x->mask = slots - 1;
        x->slot = calloc(slots, sizeof *x->slot);
        x->len = malloc((n ? n : 1) * sizeof *x->len);
        x->tag = calloc(slots, sizeof *x->tag);
    }
    if (!x || !x->slot || !x->tag || !x->len) {
        sh_str_index_destroy(x);
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(keys[i]);
        if (len > UINT32_MAX) {
            sh_str_index_destroy(x);
            return NULL;
        }
        x->len[i] = (uint32_t)len;
        uint64_t h = hash(keys[i], len);
        size_t s = (size_t)h & x->mask;
        while (x->slot[s])
            s = (s + 1) & x->mask;
        x->slot[s] = (uint32_t)i + 1;
        x->tag[s] = (uint32_t)(h >> 32);
    }
    return x;
}

long sh_str_index_find(const sh_str_index *x, const char *text, size_t len)
{
    uint64_t h = hash(text, len);
    uint32_t tag = (uint32_t)(h >> 32);
    for (size_t s = (size_t)h & x->mask; x->slot[s]; s = (s + 1) & x->mask) {
        if (x->tag[s] != tag)
            continue;
        uint32_t i = x->slot[s] - 1;
        if (x->len[i] != len)
            continue;
        const char *k = x->keys[i];
        size_t j = 0;
        while (j < len && k[j] == text[j])
            j++;
        if (j == len)
            return (long)i;
    }
    return -1;
}

void sh_str_index_destroy(sh_str_index *x)
{
    if (!x)
        return;
    free(x->slot);
    free(x->tag);
    free(x->len);
    free(x);
}
