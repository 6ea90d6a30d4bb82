/* The results file's path, checked before any engine loads or anything is
 * written, so that a run never writes over what it reads. */
#ifndef SH_HARNESS_RUN_OUTPUTS_H
#define SH_HARNESS_RUN_OUTPUTS_H

#include <stddef.h>

#include "config.h"
#include "error.h"
#include "manifest.h"
#include "results.h"

/* What a run reads besides the paths its config names. */
typedef struct sh_run_reads {
    const char *results_path;         /* a rerun's results path; NULL: output.results */
    const char *sign_key;             /* --sign's private key, or NULL */
    const char *expect_from;          /* the results file a rerun compares with, or NULL */
    const sh_model_file *model_files; /* the engine's model files (model_files.h) */
    size_t n_model_files;
} sh_run_reads;

/* Checks where the run will write its results with sh_path_output against
 * every file the run reads: the config, manifest, dataset and model cards,
 * service description, adapter library (a built-in one too), pair list,
 * replayed file and gallery, the model files under engine.config_dir, and
 * what else `reads` names, and against the
 * images (unless what is there is already an HDF5 file); that the path is
 * not inside output.checkpoint, which a completed run deletes; and that its
 * folder, where it exists, may be written in. Sets out (cap bytes) to the
 * path to write. Errors name the config's line and field. */
int sh_run_outputs_check(char *out, size_t cap, const sh_config *c, const sh_manifest *m,
                         const sh_run_reads *reads, sh_err *err);

#endif
