/* The probit axes of DET plots: a range chosen from the data, ticks
 * across it and their labels. A rate of 0 or 1 has no place on such an
 * axis; every other rate of the data fits inside the range. */
#ifndef SH_RESULTS_REPORT_REPORT_PROBIT_H
#define SH_RESULTS_REPORT_REPORT_PROBIT_H

#include <stddef.h>

/* Lowest exponent either end may reach: rates closer to 0 or 1 than
 * 1e-18 are left off the axis (a double cannot hold 1 - 1e-17 anyway). */
#define SH_PROBIT_MIN_EXP (-18)

/* Most ticks sh_probit_ticks writes. */
#define SH_PROBIT_MAX_TICKS (2 * -SH_PROBIT_MIN_EXP + 1)

/* One probit axis, from 10^lo_exp to 0.5 (hi_exp 0) or to 1 - 10^hi_exp. */
typedef struct sh_probit_axis {
    int lo_exp;     /* the decade at or below the smallest rate, at most -1 */
    int hi_exp;     /* 0: the axis ends at 0.5; below 0: at 1 - 10^hi_exp */
    double lo, hi;  /* the rates at the two ends */
} sh_probit_axis;

/* The axis for rates from min to max (0 < min <= max < 1; NaN for no
 * data gives 0.1 to 0.5): from the decade at or below min, up to 0.5
 * when max is at most 0.5, else to the first of 0.9, 0.99, 0.999... at
 * or above max. */
void sh_probit_axis_fit(sh_probit_axis *out, double min, double max);

/* Whether r can be drawn on the axis: inside (0, 1) and between its ends. */
int sh_probit_holds(const sh_probit_axis *a, double r);

/* Where r lies along the axis: 0 at its lower end, 1 at its upper one. */
double sh_probit_pos(const sh_probit_axis *a, double r);

/* The ticks of the axis, ascending: each decade from its lower end to
 * 0.1, then 0.5, then 0.9, 0.99... to its upper end. out holds
 * SH_PROBIT_MAX_TICKS; returns how many were written. */
size_t sh_probit_ticks(double *out, const sh_probit_axis *a);

/* A tick's label: "1e-4", "0.01", "0.5", "0.999" or "1-1e-5". */
void sh_probit_label(char *out, size_t size, double r);

#endif
