/* The results file's path, checked before a run reads its inputs' contents
 * or loads an engine, so that a run never writes over what it reads. */
#ifndef SH_HARNESS_RUN_OUTPUTS_H
#define SH_HARNESS_RUN_OUTPUTS_H

#include <stddef.h>

#include "config.h"
#include "error.h"
#include "manifest.h"
#include "run.h"

/* Checks where the run will write its results (opts->results_path, else
 * output.results) with sh_path_output against every file the run reads:
 * the config, manifest, dataset and model cards, service description,
 * adapter, pair list, replayed file and gallery, signing key, the results
 * file a rerun compares with, and each image, when what is there lies
 * beneath the dataset root. Sets out (cap bytes) to the path to write.
 * Errors name the config's line and field. */
int sh_run_outputs_check(char *out, size_t cap, const sh_config *c, const sh_manifest *m,
                         const sh_run_options *opts, sh_err *err);

#endif
