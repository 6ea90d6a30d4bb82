/* The results file: one HDF5 file per run (docs/results-schema.md), written
 * to a temporary name and renamed into place, so it is complete or absent. */
#ifndef SH_RESULTS_H5_WRITE_H
#define SH_RESULTS_H5_WRITE_H

#include <stddef.h>

#include "classification_results.h"
#include "criteria.h"
#include "error.h"
#include "failures.h"
#include "h5_schema.h"
#include "identification_results.h"
#include "verification_measures.h"

/* Everything a results file holds: verification, identification or
 * classification results (the others NULL). sh_h5_write borrows it;
 * sh_h5_read returns one that owns everything, freed with
 * sh_results_destroy. */
typedef struct sh_results {
    sh_run_info info;
    sh_vresults *verification;
    sh_cresults *classification;
    sh_iresults *identification;
    size_t n_verdicts;
    sh_verdict *verdicts;
    sh_failures *failures;
} sh_results;

/* Writes r to path, creating its directory. The writer sets creator,
 * versions, schema, created, build and criteria_passed itself. On failure
 * nothing is left at path: an older file there stays as it was. */
int sh_h5_write(const char *path, const sh_results *r, sh_err *err);

#endif
