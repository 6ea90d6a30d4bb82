/* Terminal tables of verification results, at most 100 columns wide. */
#ifndef SHADES_RESULTS_REPORT_TEXT_H
#define SHADES_RESULTS_REPORT_TEXT_H

#include <stdio.h>

#include "verification_measures.h"

/* Prints, for each target FMR, the global threshold and every group's
 * failure to enrol, FNMR and same-group FMR with intervals and counts. */
void shades_report_verification(FILE *out, const shades_vresults *v);

#endif
