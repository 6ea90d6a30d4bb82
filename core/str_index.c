#include "str_index.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct sh_str_index {
    const char *const *keys;
    size_t mask;             /* slots - 1; slots a power of two, over twice the keys */
    uint32_t *slot;          /* key position + 1; 0: empty */
    uint32_t *tag;           /* the hash of each slot's key, to skip most compares */
};

/* FNV-1a, 64-bit, folded: short ids hash in a few cycles. */
static uint64_t hash(const char *s, size_t len)
{
    uint64_t h = 0xcbf29ce484222325u;
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 0x100000001b3u;
    return h ^ (h >> 29);
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
        x->tag = calloc(slots, sizeof *x->tag);
    }
    if (!x || !x->slot || !x->tag) {
        sh_str_index_destroy(x);
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        uint64_t h = hash(keys[i], strlen(keys[i]));
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
        const char *k = x->keys[x->slot[s] - 1];
        if (!strncmp(k, text, len) && k[len] == '\0')
            return (long)x->slot[s] - 1;
    }
    return -1;
}

void sh_str_index_destroy(sh_str_index *x)
{
    if (!x)
        return;
    free(x->slot);
    free(x->tag);
    free(x);
}
