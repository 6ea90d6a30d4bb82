/* The results file: one HDF5 file per run, written to a temporary name and
 * renamed into place, so it is complete or absent. */
#ifndef SHADES_RESULTS_H5_WRITE_H
#define SHADES_RESULTS_H5_WRITE_H

#include <stdint.h>

#include "criteria.h"
#include "error.h"
#include "verification_measures.h"

/* Schema version of the results file layout (docs/results-schema.md). */
#define SHADES_RESULTS_SCHEMA "0.2"

/* What the root attributes record of a run; all borrowed. */
typedef struct shades_run_info {
    const char *run_name;
    const char *config_path;
    const char *config_text;
    const char *adapter_name;
    const char *adapter_version;
    const char *adapter_vendor;
    const char *adapter_library;
    unsigned abi_major, abi_minor;   /* ABI the adapter was built with */
    const char *manifest_path;
    uint64_t n_images, n_subjects;
    uint64_t seed;
    unsigned threads;
} shades_run_info;

/* Writes path (creating its directory) with the run's attributes, the
 * verification tables and the criteria verdicts. On failure nothing is
 * left at path: an older file there stays as it was. */
int shades_h5_write(const char *path, const shades_run_info *info, const shades_vresults *v,
                    const shades_verdict *verdicts, size_t n_verdicts, shades_err *err);

#endif
