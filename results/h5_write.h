/* The results file: one HDF5 file per run (docs/results-schema.md), written
 * to a temporary name and renamed into place, so it is complete or absent. */
#ifndef SHADES_RESULTS_H5_WRITE_H
#define SHADES_RESULTS_H5_WRITE_H

#include <stddef.h>

#include "classification_results.h"
#include "criteria.h"
#include "error.h"
#include "failures.h"
#include "h5_schema.h"
#include "identification_results.h"
#include "verification_measures.h"

/* Everything a results file holds: verification, identification or
 * classification results (the others NULL). shades_h5_write borrows it;
 * shades_h5_read returns one that owns everything, freed with
 * shades_results_destroy. */
typedef struct shades_results {
    shades_run_info info;
    shades_vresults *verification;
    shades_cresults *classification;
    shades_iresults *identification;
    size_t n_verdicts;
    shades_verdict *verdicts;
    shades_failures *failures;
} shades_results;

/* Writes r to path, creating its directory. The writer sets creator,
 * versions, schema, created, build and criteria_passed itself. On failure
 * nothing is left at path: an older file there stays as it was. */
int shades_h5_write(const char *path, const shades_results *r, shades_err *err);

#endif
