/* The cross-group FMR matrix: for each partition and global threshold, the
 * false match rate of impostor pairs whose images fall in groups i and j. */
#ifndef SH_RESULTS_VERIFICATION_MATRIX_H
#define SH_RESULTS_VERIFICATION_MATRIX_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "groups.h"
#include "impostor_stats.h"

struct sh_vthreshold;

/* One partition's matrix. Cells are symmetric: (i, j) and (j, i) both
 * count the pairs with one image in group i and the other in group j, so
 * the diagonal is the same-group FMR of /verification/groups. Owns every
 * array; freed with sh_vmatrix_clear. */
typedef struct sh_vmatrix {
    char *partition;
    size_t n_groups;
    char **group;              /* n_groups names, in report order */
    size_t n_targets;
    double *target_fmr;        /* n_targets */
    double *threshold;         /* the global threshold per target; NaN if not estimable */
    uint64_t *n_impostor;      /* [i][j], n_groups x n_groups */
    uint64_t *n_false_match;   /* [t][i][j] */
    double *fmr;               /* [t][i][j]; NaN where no pairs or no threshold */
} sh_vmatrix;

/* Fills out with the matrix of partition p from the refined impostor
 * distributions, at the given global thresholds. Leaves out zeroed on
 * failure. */
int sh_vmatrix_compute(sh_vmatrix *out, const sh_impostors *imp, size_t p,
                           const struct sh_vthreshold *thresholds, size_t n_targets,
                           sh_err *err);

/* Allocates the arrays of a matrix of n_groups and n_targets, zeroed, with
 * the partition name copied; used by the computation and the reader. */
int sh_vmatrix_alloc(sh_vmatrix *out, const char *partition, size_t n_groups,
                         size_t n_targets);

/* Frees what m owns and zeroes it; a zeroed matrix is allowed. */
void sh_vmatrix_clear(sh_vmatrix *m);

#endif
