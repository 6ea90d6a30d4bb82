/* `shades rerun FILE`: the run a results file describes, again on this
 * machine, and its tables compared with the file's (docs/attestation.md). */
#ifndef SH_HARNESS_RERUN_H
#define SH_HARNESS_RERUN_H

#include <stddef.h>

#include "error.h"

/* Reruns the results file at path from its recorded config text (beside
 * the recorded config path, so its relative paths resolve as they did),
 * seed and thread count, refusing when the adapter or manifest here
 * differs from the file's. Returns 0 when every table is identical, 1
 * when one differs (out names the first cell and both values), or a
 * negative code. Leaves no file behind. */
int sh_rerun(char *out, size_t size, const char *path, sh_err *err);

#endif
