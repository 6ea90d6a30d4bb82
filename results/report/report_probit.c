#include "report_probit.h"

#include <math.h>
#include <stdio.h>

#include <gsl/gsl_cdf.h>

/* Slack for a rate that equals an end but was computed another way
 * (0.99 read from a file against 1 - 10^-2). */
#define SLACK 1e-9

void sh_probit_axis_fit(sh_probit_axis *out, double min, double max)
{
    int lo = -1, hi = 0;
    if (min > 0 && min < 1) {
        lo = (int)floor(log10(min));
        if (pow(10, lo) > min * (1 + SLACK))
            lo--;
        lo = lo > -1 ? -1 : lo < SH_PROBIT_MIN_EXP ? SH_PROBIT_MIN_EXP : lo;
    }
    if (max > 0.5 && max < 1) {
        hi = (int)floor(log10(1 - max));
        if (pow(10, hi) > (1 - max) * (1 + SLACK))
            hi--;
        hi = hi > -1 ? -1 : hi < SH_PROBIT_MIN_EXP ? SH_PROBIT_MIN_EXP : hi;
    }
    out->lo_exp = lo;
    out->hi_exp = hi;
    out->lo = pow(10, lo);
    out->hi = hi ? 1 - pow(10, hi) : 0.5;
}

int sh_probit_holds(const sh_probit_axis *a, double r)
{
    return r > 0 && r < 1 && r >= a->lo * (1 - SLACK) && 1 - r >= (1 - a->hi) * (1 - SLACK);
}

double sh_probit_pos(const sh_probit_axis *a, double r)
{
    double lo = gsl_cdf_ugaussian_Pinv(a->lo);
    /* probit(1 - x) = -probit(x), exact where 1 - x rounds. */
    double hi = a->hi_exp ? -gsl_cdf_ugaussian_Pinv(pow(10, a->hi_exp)) : 0;
    double p = r > 0.5 ? -gsl_cdf_ugaussian_Pinv(1 - r) : gsl_cdf_ugaussian_Pinv(r);
    return (p - lo) / (hi - lo);
}

size_t sh_probit_ticks(double *out, const sh_probit_axis *a)
{
    size_t n = 0;
    for (int e = a->lo_exp; e <= -1; e++)
        out[n++] = pow(10, e);
    out[n++] = 0.5;
    for (int e = -1; e >= a->hi_exp && a->hi_exp; e--)
        out[n++] = 1 - pow(10, e);
    return n;
}

void sh_probit_label(char *out, size_t size, double r)
{
    if (r > 0.5) {
        int e = (int)lround(log10(1 - r));
        if (e >= -4)
            snprintf(out, size, "%.*f", -e, r);
        else
            snprintf(out, size, "1-1e%d", e);
    } else if (r == 0.5 || r >= 0.01) {
        snprintf(out, size, "%g", r);
    } else {
        snprintf(out, size, "1e%d", (int)lround(log10(r)));
    }
}
