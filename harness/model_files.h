/* The files an engine run's model may be read from, as the results file
 * records them (/engine/model_files, docs/attestation.md). */
#ifndef SH_HARNESS_MODEL_FILES_H
#define SH_HARNESS_MODEL_FILES_H

#include <stddef.h>

#include "config.h"
#include "error.h"
#include "results.h"

/* The most files engine.config_dir may hold; more is refused. */
#define SH_MODEL_FILES_MAX 1000

/* Every regular file under config's engine.config_dir (recursively) and
 * every engine option value that names an existing regular file (relative
 * to config_dir when set, else as given, as the OpenCV adapters resolve
 * them): absolute paths, sorted, each once, with SHA-256 and size. *out is
 * malloc'd (NULL when none). Returns 0 or an error naming the config field. */
int sh_model_files_collect(sh_model_file **out, size_t *n, const sh_config *config,
                           sh_err *err);

/* A rerun's refusal: a file `expect` records is missing here or has
 * another SHA-256. from names the results file. */
int sh_model_files_check(const sh_model_file *expect, size_t n, const char *from, sh_err *err);

#endif
