#include "rate_tests.h"

#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_cdf.h>

#include "proportion_test.h"

/* Pearson's statistic for equal rates over groups of t trials: the
 * rates' weighted squared distance from their weighted mean, over the
 * binomial variance at `pooled`; 0 when pooled is 0 or 1 (no variation to
 * test). */
static double pearson(const double *rate, const double *t, size_t n, double pooled)
{
    if (!(pooled > 0 && pooled < 1))
        return 0;
    double mean = 0, sum = 0, x = 0;
    for (size_t g = 0; g < n; g++) {
        mean += t[g] * rate[g];
        sum += t[g];
    }
    mean /= sum;
    for (size_t g = 0; g < n; g++)
        x += t[g] * (rate[g] - mean) * (rate[g] - mean);
    return x / (pooled * (1 - pooled));
}

/* Whether a replicate's statistic is at least the observed one; a relative
 * 1e-9 keeps ties that rounding would break (counts are small integers). */
static int at_least(double replicate, double observed)
{
    return replicate >= observed * (1 - 1e-9);
}

/* The rate of group g in replicate b, or NaN. */
static double rep_rate(const sh_rate_family *f, size_t g, unsigned b)
{
    return f->rep ? f->rep[f->row[g] * f->R + b] : NAN;
}

/* Holm's step-down adjustment of the m p-values p into adj; NaN ones
 * are left out of the family and stay NaN. */
static int holm(double *adj, const double *p, size_t m)
{
    size_t *order = malloc((m ? m : 1) * sizeof *order);
    if (!order)
        return -1;
    size_t n = 0;
    for (size_t i = 0; i < m; i++)
        if (!isnan(p[i]))
            order[n++] = i;
    /* Insertion sort: a family has few pairs. */
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && p[order[j - 1]] > p[order[j]]; j--) {
            size_t x = order[j];
            order[j] = order[j - 1];
            order[j - 1] = x;
        }
    double running = 0;
    for (size_t i = 0; i < m; i++)
        adj[i] = NAN;
    for (size_t i = 0; i < n; i++) {
        double a = (double)(n - i) * p[order[i]];
        running = fmax(running, fmin(1, a));
        adj[order[i]] = running;
    }
    free(order);
    return 0;
}

int sh_rate_omnibus(double *out_chi2, double *out_p_chi2, double *out_p_boot,
                    const sh_rate_family *f)
{
    *out_chi2 = *out_p_chi2 = *out_p_boot = NAN;
    if (f->n < 2)
        return 0;
    double *rate = malloc(f->n * 2 * sizeof *rate), *c = rate + f->n;
    if (!rate)
        return -1;
    double e = 0, n = 0;
    for (size_t g = 0; g < f->n; g++) {
        rate[g] = f->e[g] / f->t[g];
        e += f->e[g];
        n += f->t[g];
    }
    double pooled = n > 0 ? e / n : NAN;
    double chi2 = pearson(rate, f->t, f->n, pooled);
    *out_chi2 = chi2;
    *out_p_chi2 = chi2 > 0 ? gsl_cdf_chisq_Q(chi2, (double)(f->n - 1)) : 1;
    /* The bootstrap: each replicate's rates moved to the null (each shifted
     * by its group's observed distance from the pooled rate), so the
     * statistic's spread is what subject sampling gives it; its scale stays
     * the observed pooled rate's. */
    int judged = 1;
    for (size_t g = 0; g < f->n; g++)
        judged &= f->judged[g];
    unsigned valid = 0, above = 0;
    for (unsigned b = 0; f->rep && judged && b < f->R && chi2 > 0; b++) {
        int ok = 1;
        for (size_t g = 0; g < f->n && ok; g++) {
            double x = rep_rate(f, g, b);
            ok = !isnan(x);
            c[g] = x - rate[g] + pooled;
        }
        if (!ok)
            continue;
        valid++;
        above += at_least(pearson(c, f->t, f->n, pooled), chi2);
    }
    if (f->rep && f->R && chi2 == 0 && judged)
        *out_p_boot = 1;
    else if (valid)
        *out_p_boot = (1.0 + above) / (1.0 + valid);
    free(rate);
    return 0;
}

int sh_rate_pairwise(double *out_fisher, double *out_fisher_holm, double *out_boot,
                     double *out_boot_holm, const sh_rate_family *f)
{
    size_t k = 0, m = f->n * (f->n ? f->n - 1 : 0) / 2;
    for (size_t a = 0; a < f->n; a++)
        for (size_t b = a + 1; b < f->n; b++, k++) {
            out_fisher[k] = sh_fisher_exact((uint64_t)f->e[a], (uint64_t)f->t[a],
                                            (uint64_t)f->e[b], (uint64_t)f->t[b]);
            out_boot[k] = NAN;
            double d = f->e[a] / f->t[a] - f->e[b] / f->t[b];
            unsigned valid = 0, above = 0;
            for (unsigned i = 0; f->rep && f->judged[a] && f->judged[b] && i < f->R; i++) {
                double x = rep_rate(f, a, i), y = rep_rate(f, b, i);
                if (isnan(x) || isnan(y))
                    continue;
                valid++;
                /* The replicate's difference, moved to the null. */
                above += at_least(fabs(x - y - d), fabs(d));
            }
            if (valid)
                out_boot[k] = (1.0 + above) / (1.0 + valid);
        }
    return holm(out_fisher_holm, out_fisher, m) || holm(out_boot_holm, out_boot, m) ? -1 : 0;
}
