/* Inline SVG plots for the HTML report: no script, no external resource. */
#ifndef SH_RESULTS_REPORT_REPORT_SVG_H
#define SH_RESULTS_REPORT_REPORT_SVG_H

#include <stdio.h>

#include "verification_tables.h"

/* What a DET plot drew and left out, for its caption. */
typedef struct sh_det_drawn {
    size_t points;        /* curve points of the partition's groups */
    size_t points_zero;   /* of which not drawn: FMR or FNMR is 0 (or under 1e-18) */
    size_t points_one;    /* not drawn: the others, a rate of 1 (or within 1e-18 of it) */
    size_t marks;         /* operating points: groups x estimable targets */
    size_t marks_off;     /* of which not drawn: a rate is 0 or 1 */
    size_t no_curve;      /* the partition's groups without a curve (no genuine or no
                           * same-group impostor comparisons) */
    char no_curve_names[256]; /* their names, ", " between, "..." past the room */
    size_t flat;          /* groups with points, none of them drawable (a rate of 0 or 1) */
    char flat_names[256]; /* their names, as no_curve_names */
} sh_det_drawn;

/* DET curves of every group of `partition` on probit axes (FMR across,
 * FNMR up), one colour and dash pattern per group, each marked where the
 * global threshold of every estimable target FMR puts that group (one
 * marker shape per target), with a legend. Each axis runs from the decade
 * below its smallest rate to 0.5, or to the first of 0.9, 0.99... at or
 * above its largest; points with a rate of 0 or 1 have no place on a
 * probit axis and are counted in drawn. Returns 0. */
int sh_svg_det(FILE *out, sh_det_drawn *drawn, const sh_vresults *v, const char *partition);

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
 * under their partitions in the order given; title labels the plot. With
 * percent, ticks and values read in percent, as the classification tables
 * beside the chart do; otherwise as fractions, as the verification tables. */
int sh_svg_bars(FILE *out, const char *title, const sh_bar *bars, size_t n, int percent);

#endif
