/* The optional capabilities an engine declares, looked up through its
 * get_extension and checked before use. */
#ifndef SH_ENGINE_EXTENSIONS_H
#define SH_ENGINE_EXTENSIONS_H

#include <shades/adapter.h>

#include "error.h"

/* Tables of one engine; NULL where not declared. Owned by the library or
 * engine, valid until the engine is destroyed. Read-only, any thread. */
typedef struct sh_extensions {
    const shades_batch_compare *batch;
    const shades_embedding *embedding;
    const shades_search_1n *search;
    const shades_attribute_estimation *attributes;
    const shades_detection *detection;
    const shades_quality *quality;
} sh_extensions;

/* Finds the table of every capability entry->capabilities declares. A
 * declared capability whose table is missing, too small, lacks a function
 * or (embeddings) declares an unusable vector is an error naming `path`
 * and the extension id; `template_max` bounds the embedding's bytes. */
int sh_extensions_find(sh_extensions *out, const shades_adapter *entry,
                           const shades_engine *engine, size_t template_max, const char *path,
                           sh_err *err);

/* The engine's shades.provenance/1 table into *out, found by id alone
 * (no capability bit): NULL when get_extension offers none. A table
 * too small to hold describe, or with describe NULL, is an error naming
 * `path`. [thread: main] */
int sh_extension_provenance(const shades_provenance **out, const shades_adapter *entry,
                            const shades_engine *engine, const char *path, sh_err *err);

/* Space-separated names of the capability bits set in caps, into out. */
void sh_capabilities_describe(char *out, size_t cap, uint64_t caps);

#endif
