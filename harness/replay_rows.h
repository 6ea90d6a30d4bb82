/* What the replay readers share (replay.c, replay_source.c): the header's
 * columns and one scores row resolved to items and a score, with the
 * messages docs/errors.md lists. Internal to the harness. */
#ifndef SH_HARNESS_REPLAY_ROWS_H
#define SH_HARNESS_REPLAY_ROWS_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "error.h"
#include "manifest.h"
#include "str_index.h"

/* The columns a row needs, found in the header. */
typedef struct sh_replay_columns {
    size_t n;              /* header width; 0 until the header is read */
    int col[3];
} sh_replay_columns;

/* Finds the columns named by the config's keys[k] in section in the
 * header; the last may be absent when optional_last. */
int sh_replay_header(sh_replay_columns *c, char **fields, size_t n,
                     const char *const names[3], const char *section,
                     const char *const keys[3], int optional_last, sh_err *err);

/* Fails unless a row has the header's n fields. */
int sh_replay_width(const sh_replay_columns *c, size_t n, sh_err *err);

/* The last reference id a reader resolved: files sorted by reference
 * repeat it row after row. One per thread; zeroed to start. */
typedef struct sh_replay_cache {
    char text[64];
    size_t len;            /* 0: empty */
    uint32_t item;
} sh_replay_cache;

/* A scores row's reference and probe items (through ids, the manifest's
 * image ids indexed) and its score (-inf when empty), or a message naming
 * the field. lens: the fields' lengths, or NULL; cache: NULL or the
 * caller's thread's. [thread: any] */
int sh_replay_row(uint32_t *out_ref, uint32_t *out_probe, double *out_score, char **f,
                  const size_t *lens, sh_replay_cache *cache, const sh_replay_columns *cols,
                  const sh_cfg_scores *cfg, const sh_manifest *m, const sh_str_index *ids,
                  sh_err *err);

#endif
