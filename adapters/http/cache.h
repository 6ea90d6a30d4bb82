/* The response cache: every answer a service gave, on disk and owner-only,
 * keyed by the call, the description and the images' SHA-256, so an audit
 * resumes and repeats without paying twice (docs/cloud-services.md). */
#ifndef SHADES_HTTP_CACHE_H
#define SHADES_HTTP_CACHE_H

#include <stddef.h>
#include <time.h>

#include "error.h"

/* A cache folder, and an export folder the run's responses are copied
 * to. Calls from any thread. */
typedef struct http_cache http_cache;

/* Makes dir and its missing parents, the last one mode 0700, and checks
 * that it is ours and closed to others; `what` names it in messages
 * ("cache folder 'DIR': ..."). */
int http_private_dir(const char *dir, const char *what, sh_err *err);

/* Opens (creating, mode 0700) the cache folder dir, and export (or NULL)
 * the same way. Refuses a folder others can read or that is not ours.
 * *out is the caller's (http_cache_close). */
int http_cache_open(http_cache **out, const char *dir, const char *export_dir, sh_err *err);

/* Closes a cache; NULL is allowed. */
void http_cache_close(http_cache *c);

/* The cache folder's path. */
const char *http_cache_dir(const http_cache *c);

/* Looks up key (64 hex digits): 1 with *out (malloc'd, NUL-terminated,
 * the caller frees), *out_size and *out_when (when the service answered)
 * filled; 0 when absent; negative with err on a read failure.
 * [thread: any] */
int http_cache_get(char **out, size_t *out_size, time_t *out_when, http_cache *c,
                   const char *key, sh_err *err);

/* Stores body under key (written whole, then renamed into place) and
 * appends `index` (one tab-separated line, no newline) to index.tsv.
 * [thread: any] */
int http_cache_put(http_cache *c, const char *key, const char *body, size_t size,
                   const char *index, sh_err *err);

/* Copies a response the run used into the export folder, when there is
 * one, with its index line in responses.tsv. [thread: any] */
int http_cache_export(http_cache *c, const char *key, const char *body, size_t size,
                      const char *index, sh_err *err);

/* Writes bytes to dir/name (mode 0600) through a temporary file renamed
 * into place, so a reader never sees half a file. [thread: any] */
int http_file_write(const char *dir, const char *name, const void *data, size_t size,
                    sh_err *err);

/* Reads dir/name whole into *out (malloc'd, NUL-terminated): 1, 0 when
 * absent, negative with err. [thread: any] */
int http_file_read(char **out, size_t *out_size, const char *dir, const char *name,
                   sh_err *err);

#endif
