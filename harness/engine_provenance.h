/* What an engine says of where its answers came from (shades.provenance/1,
 * docs/adapter-guide.md): asked once, after the run's last engine call
 * and before the results file is written; every line checked; recorded
 * under /engine/provenance and shown beside the engine in reports. */
#ifndef SH_HARNESS_ENGINE_PROVENANCE_H
#define SH_HARNESS_ENGINE_PROVENANCE_H

#include <stddef.h>

#include "error.h"
#include "instance.h"
#include "results.h"

/* Bytes the harness gives describe. */
#define SH_PROVENANCE_BUFFER (16 * 1024)

/* Asks inst's engine (in-process engines only: the isolated way asks
 * none) and parses its lines into *out (*out_n of them, malloc'd; the
 * caller frees), with *out_has 1; *out_has 0 and *out NULL when the engine
 * offers none. A failed describe or a bad line fails, naming the engine
 * (and the line). */
int sh_engine_provenance_collect(sh_provenance_pair **out, size_t *out_n, int *out_has,
                                 sh_instance *inst, sh_err *err);

/* Parses "key=value\n" lines (keys [a-z0-9_]+ of at most 63 bytes, each
 * once; values printable ASCII of at most 1023 bytes; at most
 * SH_PROVENANCE_LINES_MAX lines; the last newline optional) into *out
 * (malloc'd, *out_n rows). A bad line fails with one line naming engine
 * `name`, the line's number and the line. */
int sh_engine_provenance_parse(sh_provenance_pair **out, size_t *out_n, const char *text,
                               const char *name, sh_err *err);

#endif
