/* Differential summaries: how far the error rates of the groups of one
 * partition, at one threshold, are from equal. Definitions and sources are
 * in docs/measures.md. */
#ifndef SH_RESULTS_DIFFERENTIAL_H
#define SH_RESULTS_DIFFERENTIAL_H

#include <stddef.h>

/* Summaries of one rate across groups. NaN when fewer than two groups
 * have trials. */
typedef struct sh_rate_summary {
    unsigned n_groups;       /* groups with at least one trial */
    unsigned n_zero;         /* of which with no errors */
    double max_min;          /* max rate / min rate, zero rates floored */
    double max_geomean;      /* max rate / geometric mean, zero rates floored */
    double gini;             /* Gini coefficient with the n/(n-1) correction */
    double gap;              /* max rate - min rate, raw */
    unsigned gap_hi, gap_lo; /* the groups (indices) of that gap */
} sh_rate_summary;

/* Summaries of both verification rates and their joint measures. */
typedef struct sh_differential {
    sh_rate_summary fnmr, fmr;
    double garbe;            /* alpha Gini(FMR) + (1 - alpha) Gini(FNMR) */
    double fdr;              /* 1 - (alpha gap(FMR) + (1 - alpha) gap(FNMR)) */
    double inequity;         /* (max/min FMR)^alpha (max/min FNMR)^(1 - alpha) */
} sh_differential;

/* A rate's value for ratios: k/n, or 0.5/n when k is 0 (half an error, so
 * a group with no observed errors does not make every ratio infinite).
 * NaN when n is 0. Counts are doubles so that weighted bootstrap counts
 * pass through the same code. */
double sh_rate_floored(double k, double n);

/* Summarises one rate over n_groups groups with k[i] errors in n[i] trials;
 * groups with n[i] = 0 are left out. */
void sh_rate_summarise(sh_rate_summary *out, const double *k, const double *n,
                           size_t n_groups);

/* Both rates and the joint measures with weight alpha on FMR. */
void sh_differential_compute(sh_differential *out, const double *fnmr_k,
                                 const double *fnmr_n, const double *fmr_k,
                                 const double *fmr_n, size_t n_groups, double alpha);

/* Gini coefficient of n values with the n/(n-1) small-sample correction:
 * n/(n-1) * sum_ij |x_i - x_j| / (2 n^2 mean); 0 when every value is 0,
 * NaN when n < 2. */
double sh_gini(const double *x, size_t n);

#endif
