#include "differential.h"

#include <math.h>
#include <stdlib.h>

double sh_rate_floored(double k, double n)
{
    if (!(n > 0))
        return NAN;
    return k > 0 ? k / n : 0.5 / n;
}

double sh_gini(const double *x, size_t n)
{
    if (n < 2)
        return NAN;
    double sum = 0, diff = 0;
    for (size_t i = 0; i < n; i++) {
        sum += x[i];
        for (size_t j = 0; j < n; j++)
            diff += fabs(x[i] - x[j]);
    }
    if (sum == 0)
        return 0.0;
    double nn = (double)n, mean = sum / nn;
    return nn / (nn - 1.0) * diff / (2.0 * nn * nn * mean);
}

void sh_rate_summarise(sh_rate_summary *out, const double *k, const double *n,
                           size_t n_groups)
{
    *out = (sh_rate_summary){0};
    out->max_min = out->max_geomean = out->gini = out->gap = NAN;
    double *raw = malloc((n_groups ? n_groups : 1) * sizeof *raw);
    if (!raw)
        return;
    double fmax_ = -INFINITY, fmin_ = INFINITY, log_sum = 0;
    double rmax = -INFINITY, rmin = INFINITY;
    for (size_t i = 0; i < n_groups; i++) {
        if (!(n[i] > 0))
            continue;
        double r = k[i] / n[i], f = sh_rate_floored(k[i], n[i]);
        raw[out->n_groups++] = r;
        out->n_zero += k[i] == 0;
        fmax_ = fmax(fmax_, f);
        fmin_ = fmin(fmin_, f);
        log_sum += log(f);
        /* Ties keep the first group, so the reported pair is stable. */
        if (r > rmax) {
            rmax = r;
            out->gap_hi = (unsigned)i;
        }
        if (r < rmin) {
            rmin = r;
            out->gap_lo = (unsigned)i;
        }
    }
    if (out->n_groups >= 2) {
        /* With no errors anywhere the floored rates differ only by the
         * groups' sizes: no difference was observed. */
        int none = out->n_zero == out->n_groups;
        out->max_min = none ? 1 : fmax_ / fmin_;
        out->max_geomean = none ? 1 : fmax_ / exp(log_sum / out->n_groups);
        out->gini = sh_gini(raw, out->n_groups);
        out->gap = rmax - rmin;
        /* Every rate equal: the gap's low end is another group (the last),
         * not the high end's again. */
        for (size_t i = n_groups; out->gap_lo == out->gap_hi && i-- > 0;)
            if (n[i] > 0 && i != out->gap_hi)
                out->gap_lo = (unsigned)i;
    }
    free(raw);
}

void sh_differential_compute(sh_differential *out, const double *fnmr_k,
                                 const double *fnmr_n, const double *fmr_k,
                                 const double *fmr_n, size_t n_groups, double alpha)
{
    sh_rate_summarise(&out->fnmr, fnmr_k, fnmr_n, n_groups);
    sh_rate_summarise(&out->fmr, fmr_k, fmr_n, n_groups);
    out->garbe = alpha * out->fmr.gini + (1 - alpha) * out->fnmr.gini;
    out->fdr = 1 - (alpha * out->fmr.gap + (1 - alpha) * out->fnmr.gap);
    out->inequity = pow(out->fmr.max_min, alpha) * pow(out->fnmr.max_min, 1 - alpha);
}
