/* The score-density plot of the HTML report: small multiples of each
 * group's genuine and impostor score distributions with the global
 * thresholds drawn. */
#ifndef SH_RESULTS_REPORT_REPORT_SVG_DENSITY_H
#define SH_RESULTS_REPORT_REPORT_SVG_DENSITY_H

#include <stdio.h>

#include "verification_tables.h"

/* One panel per group of `partition` (a <g class="panel">), in the order
 * of /verification/score_density: the genuine density solid, the
 * same-group impostor density dashed, each normalised to area 1, on one
 * score axis and one density scale for every panel, with a dotted
 * vertical line labelled with its target at each estimable global
 * threshold. Writes nothing and returns 0 when the partition has no
 * density rows; returns -1 when out of memory. */
int sh_svg_density(FILE *out, const sh_vresults *v, const char *partition);

#endif
