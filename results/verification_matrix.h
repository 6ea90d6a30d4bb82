/* The cross-group FMR matrix: for each partition and global threshold, the
 * false match rate of impostor pairs whose images fall in groups i and j. */
#ifndef SH_RESULTS_VERIFICATION_MATRIX_H
#define SH_RESULTS_VERIFICATION_MATRIX_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "groups.h"
#include "impostor_stats.h"
#include "verification_tables.h"

/* Fills out with the matrix of partition p from the refined impostor
 * distributions, at the given global thresholds. Leaves out zeroed on
 * failure. */
int sh_vmatrix_compute(sh_vmatrix *out, const sh_impostors *imp, size_t p,
                           const sh_vthreshold *thresholds, size_t n_targets,
                           sh_err *err);

#endif
