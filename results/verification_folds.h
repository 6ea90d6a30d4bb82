/* Accuracy over folds, the protocol LFW defined and RFW reports per race:
 * for each fold of a pair list, the threshold that maximises accuracy on
 * the other folds' pairs, and the accuracy that threshold gives on the
 * fold's own; per group, the mean, SD and range of those accuracies
 * (docs/measures.md, "Accuracy over folds"). */
#ifndef SH_RESULTS_VERIFICATION_FOLDS_H
#define SH_RESULTS_VERIFICATION_FOLDS_H

#include "error.h"
#include "groups.h"
#include "verification.h"
#include "verification_tables.h"

/* Sets r->folds and r->fold_accuracy from the pairs of p, which has folds
 * (p->n_folds > 0), scored genuine[k] and impostor[k] as p lists them (-inf
 * or NaN: no score, never a match): for "all" and for every group of g, its
 * genuine pairs and same-group impostor pairs, as /verification/groups
 * counts them. Returns 0, or SH_E_NOMEM with err set and r unchanged.
 * [thread: any; r is the caller's alone] */
int sh_vfolds_measure(sh_vresults *r, const sh_pairs *p, const double *genuine,
                      const double *impostor, const sh_groups *g, sh_err *err);

#endif
