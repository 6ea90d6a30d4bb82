/* A hash index over a fixed array of distinct strings: text to its
 * position, with no allocation per lookup. */
#ifndef SH_CORE_STR_INDEX_H
#define SH_CORE_STR_INDEX_H

#include <stddef.h>

/* Read-only once built, so any number of threads may look up at once.
 * Borrows the keys, which must outlive it and not change. */
typedef struct sh_str_index sh_str_index;

/* Indexes keys[0..n) (distinct, NUL-terminated); NULL when out of memory. */
sh_str_index *sh_str_index_create(const char *const *keys, size_t n);

/* The position of the key equal to text[0..len) (no NUL needed), or -1. */
long sh_str_index_find(const sh_str_index *x, const char *text, size_t len);

/* Frees x; NULL is allowed. */
void sh_str_index_destroy(sh_str_index *x);

#endif
