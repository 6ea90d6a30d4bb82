/* Inline SVG plots for the HTML report: no script, no external resource. */
#ifndef SH_RESULTS_REPORT_REPORT_SVG_H
#define SH_RESULTS_REPORT_REPORT_SVG_H

#include <stdio.h>

#include "verification_tables.h"

/* DET curves of every group of `partition` on probit axes (FMR across,
 * FNMR up), one colour and dash pattern per group, with a legend. Points
 * where either rate is 0 cannot sit on a probit axis and are left out.
 * Returns -1 when out of memory. */
int sh_svg_det(FILE *out, const sh_vresults *v, const char *partition);

/* The cross-group FMR matrix at target k as a heatmap on a log colour
 * scale from target/10 to target*10 (widened to the data), each cell
 * labelled with its rate; zero cells grey. id makes its
 * colour gradient's element id unique within the page. */
int sh_svg_heatmap(FILE *out, const sh_vmatrix *m, size_t k, unsigned id);

/* One bar: a group's rate and interval (NaN where there is none). */
typedef struct sh_bar {
    const char *partition, *group;
    double rate, lo, hi;
} sh_bar;

/* Horizontal bars with interval whiskers on a linear axis from 0, grouped
 * under their partitions in the order given; title labels the plot. */
int sh_svg_bars(FILE *out, const char *title, const sh_bar *bars, size_t n);

#endif
