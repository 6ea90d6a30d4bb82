/* Terminal tables of verification results, at most 100 columns wide. */
#ifndef SHADES_RESULTS_REPORT_TEXT_H
#define SHADES_RESULTS_REPORT_TEXT_H

#include <stdio.h>

#include "criteria.h"
#include "verification_measures.h"

/* Prints, for each target FMR, the global threshold and every group's
 * failure to enrol, FNMR and same-group FMR with intervals and counts. */
void shades_report_verification(FILE *out, const shades_vresults *v);

/* Prints each partition's differential summaries at each target. */
void shades_report_summaries(FILE *out, const shades_vresults *v);

/* Prints the criteria verdicts and the overall pass or fail. */
void shades_report_criteria(FILE *out, const shades_verdict *v, size_t n);

#endif
