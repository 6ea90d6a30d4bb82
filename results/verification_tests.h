/* Tests of equal error rates across the groups of a partition, at every
 * operating point: /verification/tests and /verification/pairwise. */
#ifndef SH_RESULTS_VERIFICATION_TESTS_H
#define SH_RESULTS_VERIFICATION_TESTS_H

#include "error.h"
#include "groups.h"
#include "verification_tables.h"

/* Fills r->tests and r->pairwise from r's group rows (every group of every
 * partition of g, at each point) and, where R > 0, the subject bootstrap's
 * rates rep_fnmr and rep_fmr ([group row][replicate], as
 * verification_summary.c makes them; NULL without replicates). Groups too
 * small or without trials are left out, as the summaries leave them. */
int sh_verification_tests(sh_vresults *r, const sh_groups *g, const double *rep_fnmr,
                          const double *rep_fmr, unsigned R, sh_err *err);

#endif
