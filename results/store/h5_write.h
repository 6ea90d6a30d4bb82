/* The results file: one HDF5 file per run (docs/results-schema.md), written
 * to a temporary name and renamed into place, so it is complete or absent. */
#ifndef SH_RESULTS_STORE_H5_WRITE_H
#define SH_RESULTS_STORE_H5_WRITE_H

#include <stddef.h>

#include "error.h"
#include "results.h"
#include "sign_key.h"

/* Writes r to path, creating its directory. The writer sets creator,
 * versions, schema, created, build and criteria_passed itself. On failure
 * nothing is left at path: an older file there stays as it was. */
int sh_h5_write(const char *path, const sh_results *r, sh_err *err);

/* As sh_h5_write, and signs the file with key (h5_sign.h) before it is
 * renamed into place; key NULL: unsigned. */
int sh_h5_write_signed(const char *path, const sh_results *r, const sh_key *key, sh_err *err);

#endif
