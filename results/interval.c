#include "interval.h"

#include <math.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_roots.h>

void sh_wilson(double *out_lo, double *out_hi, uint64_t k, uint64_t n, double conf)
{
    if (n == 0) {
        *out_lo = *out_hi = NAN;
        return;
    }
    double z = gsl_cdf_ugaussian_Pinv(1.0 - (1.0 - conf) / 2.0);
    double nn = (double)n, p = (double)k / nn, z2 = z * z;
    double centre = (p + z2 / (2 * nn)) / (1 + z2 / nn);
    double half = z / (1 + z2 / nn) * sqrt(p * (1 - p) / nn + z2 / (4 * nn * nn));
    *out_lo = k == 0 ? 0.0 : fmax(0.0, centre - half);
    *out_hi = k == n ? 1.0 : fmin(1.0, centre + half);
}

double sh_zero_upper_one_sided(double n, double level)
{
    if (!(n > 0))
        return NAN;
    /* expm1/log1p keep the bound exact when n is in the billions. */
    return -expm1(log1p(-level) / n);
}

/* The regularised incomplete beta I_p(a, b) minus a target, for root finding. */
typedef struct beta_target {
    double a, b, target;
} beta_target;

static double beta_gap(double p, void *ctx)
{
    const beta_target *t = ctx;
    return gsl_cdf_beta_P(p, t->a, t->b) - t->target;
}

/* Above this many trials the search starts near the mean (see below). */
#define NEAR_MEAN_TRIALS 1e8

/* The p in (0, 1) with I_p(a, b) = target. GSL's own inverse gives up for
 * the lopsided shapes of rare errors in millions of trials, so the root is
 * bracketed and found with Brent's method instead. Past 10^8 trials
 * I_p(a, b) is not finite far from the mean, where GSL's default handler
 * would abort the run (found replaying 10^9 scores), so the bracket is the
 * mean +- 200 standard deviations (Chebyshev: the tails beyond hold under
 * 2.5e-5), kept only when the root lies inside it. */
static double beta_quantile(double target, double a, double b)
{
    beta_target t = {a, b, target};
    gsl_function f = {beta_gap, &t};
    double lo = 0.0, hi = 1.0, x = NAN;
    if (a + b > NEAR_MEAN_TRIALS) {
        double mean = a / (a + b), sd = sqrt(a * b / ((a + b) * (a + b) * (a + b + 1.0)));
        double l = mean - 200.0 * sd > 0.0 ? mean - 200.0 * sd : 0.0;
        double h = mean + 200.0 * sd < 1.0 ? mean + 200.0 * sd : 1.0;
        double gl = beta_gap(l, &t), gh = beta_gap(h, &t);
        if (isfinite(gl) && isfinite(gh) && gl <= 0.0 && gh >= 0.0) {
            lo = l;
            hi = h;
        }
    }
    gsl_root_fsolver *s = gsl_root_fsolver_alloc(gsl_root_fsolver_brent);
    if (!s)
        return NAN;
    gsl_root_fsolver_set(s, &f, lo, hi);
    for (int i = 0; i < 200; i++) {
        if (gsl_root_fsolver_iterate(s))
            break;
        x = gsl_root_fsolver_root(s);
        lo = gsl_root_fsolver_x_lower(s);
        hi = gsl_root_fsolver_x_upper(s);
        if (gsl_root_test_interval(lo, hi, 0, 1e-12) == GSL_SUCCESS)
            break;
    }
    gsl_root_fsolver_free(s);
    return x;
}

void sh_clopper_pearson(double *out_lo, double *out_hi, uint64_t k, uint64_t n, double conf)
{
    if (n == 0) {
        *out_lo = *out_hi = NAN;
        return;
    }
    /* B(1 - a/2; 1, n) in closed form: each tail gets (1 - conf) / 2 at k = 0
     * as at every other k. */
    double tail = (1.0 + conf) / 2.0;
    if (k == 0) {
        *out_lo = 0.0;
        *out_hi = sh_zero_upper_one_sided((double)n, tail);
        return;
    }
    if (k == n) {
        *out_lo = 1.0 - sh_zero_upper_one_sided((double)n, tail);
        *out_hi = 1.0;
        return;
    }
    double a = (1.0 - conf) / 2.0, kk = (double)k, nn = (double)n;
    *out_lo = beta_quantile(a, kk, nn - kk + 1.0);
    *out_hi = beta_quantile(1.0 - a, kk + 1.0, nn - kk);
}
