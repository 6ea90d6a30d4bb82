/* Compares the tables of two results files cell by cell, for `shades
 * rerun`: every dataset outside /signature, its type, shape and values. */
#ifndef SH_RESULTS_H5_COMPARE_H
#define SH_RESULTS_H5_COMPARE_H

#include <stddef.h>

#include "error.h"

/* Compares the datasets of the files at was and now. Returns 0 when they
 * are identical, 1 when they differ (out then names the first differing
 * dataset and cell with both values), or a negative code. */
int sh_h5_compare(char *out, size_t size, const char *was, const char *now, sh_err *err);

#endif
