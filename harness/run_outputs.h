/* The results file's path, checked before a run reads its inputs' contents
 * or loads an engine, so that a run never writes over what it reads. */
#ifndef SH_HARNESS_RUN_OUTPUTS_H
#define SH_HARNESS_RUN_OUTPUTS_H

#include <stddef.h>

#include "config.h"
#include "error.h"
#include "manifest.h"

/* Checks where the run will write its results (results_path, a rerun's,
 * else output.results) with sh_path_output against every file the run
 * reads: the config, manifest, dataset and model cards, service
 * description, adapter, pair list, replayed file and gallery, the signing
 * key and the results file a rerun compares with (each NULL: none), and
 * each image, when what is there lies beneath the dataset root; and that
 * its folder, where it exists, may be written in. Sets out
 * (cap bytes) to the path to write. Errors name the config's line and
 * field. */
int sh_run_outputs_check(char *out, size_t cap, const sh_config *c, const sh_manifest *m,
                         const char *results_path, const char *sign_key,
                         const char *expect_from, sh_err *err);

#endif
