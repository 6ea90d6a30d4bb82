#include "score_stats.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "score_sort.h"

/* The first finite score of an ascending array, or n. */
static size_t first_finite(const double *gen, size_t n)
{
    size_t i = 0;
    while (i < n && gen[i] == -INFINITY)
        i++;
    return i;
}

int sh_score_stats_want(sh_score_window *w, const double *gen, size_t n_gen)
{
    size_t i = first_finite(gen, n_gen);
    return i < n_gen && isfinite(gen[i]) ? sh_window_add(w, sh_score_bin(gen[i])) : 0;
}

/* Mean and SD (over n) of the finite scores of an ascending array: about
 * the first of them, in long double, so equal scores give their value and
 * an SD of 0 exactly, and 1e300 squares without overflow. */
static void genuine_moments(double *out_mean, double *out_sd, const double *gen, size_t n)
{
    size_t lo = first_finite(gen, n), hi = n;
    while (hi > lo && gen[hi - 1] == INFINITY)
        hi--;
    *out_mean = *out_sd = NAN;
    if (hi == lo)
        return;
    long double ref = gen[lo], sum = 0, ss = 0, k = (long double)(hi - lo);
    for (size_t i = lo; i < hi; i++)
        sum += gen[i] - ref;
    long double mean = ref + sum / k;
    for (size_t i = lo; i < hi; i++)
        ss += ((long double)gen[i] - mean) * ((long double)gen[i] - mean);
    *out_mean = (double)mean;
    *out_sd = (double)sqrtl(ss / k);
}

/* The AUC's exact bounds, as twice the count of pairs won plus ties:
 * genuine score g against each impostor counts 2 when g is higher, 1 when
 * equal. Impostors in g's bin are known exactly where the bin is in the
 * window (or holds one value: -inf or +inf); elsewhere they bound it, 0 or
 * 2 each. One walk up the sorted genuine scores and the bins. */
static void auc_counts(sh_u128 *out_lo, sh_u128 *out_hi, const double *gen, size_t n_gen,
                       const sh_score_hist *imp, const sh_score_window *w)
{
    sh_u128 lo = 0, hi = 0;
    uint64_t below = 0;              /* impostors in bins below `next` */
    uint32_t next = sh_hist_next_bin(imp, UINT32_MAX);
    for (size_t i = 0; i < n_gen; i++) {
        double g = gen[i];
        uint32_t b = sh_score_bin(g);
        while (next != UINT32_MAX && next < b) {
            below += sh_hist_in_bin(imp, next);
            next = sh_hist_next_bin(imp, next);
        }
        uint64_t in = sh_hist_in_bin(imp, b);
        if (!in || !isfinite(g)) {
            /* None in g's bin, or all of them equal to g (the infinities). */
            sh_u128 c = (sh_u128)2 * below + in;
            lo += c;
            hi += c;
        } else if (sh_window_has(w, b)) {
            uint64_t ge = sh_hist_count_ge(imp, w, g);
            uint64_t gt = sh_hist_count_ge(imp, w, nextafter(g, INFINITY));
            sh_u128 c = (sh_u128)2 * (imp->n - ge) + (ge - gt);
            lo += c;
            hi += c;
        } else {
            lo += (sh_u128)2 * below;
            hi += (sh_u128)2 * (below + in);
        }
    }
    *out_lo = lo;
    *out_hi = hi;
}

static double u128_ratio(sh_u128 num, double den)
{
    return ((double)(uint64_t)(num >> 64) * 18446744073709551616.0 + (double)(uint64_t)num) /
           den;
}

void sh_score_stats_row(sh_vscore *out, const char *partition, const char *group,
                        const double *gen, size_t n_gen, const sh_score_hist *imp,
                        const sh_score_window *w, int moments)
{
    memset(out, 0, sizeof *out);
    snprintf(out->partition, sizeof out->partition, "%s", partition);
    snprintf(out->group, sizeof out->group, "%s", group);
    out->n_genuine = n_gen;
    out->n_impostor = imp->n;
    genuine_moments(&out->genuine_mean, &out->genuine_sd, gen, n_gen);
    uint64_t n_finite; /* the mean's own count: the impostors less the infinite */
    out->impostor_mean = out->impostor_sd = NAN;
    if (moments)
        sh_hist_moments(&n_finite, &out->impostor_mean, &out->impostor_sd, imp);
    double pooled = sqrt((out->genuine_sd * out->genuine_sd +
                          out->impostor_sd * out->impostor_sd) / 2);
    out->d_prime = pooled > 0 ? (out->genuine_mean - out->impostor_mean) / pooled : NAN;
    out->auc = out->auc_lo = out->auc_hi = NAN;
    out->max_impostor = out->zero_fmr = out->min_genuine = out->zero_fnmr = NAN;
    if (n_gen && imp->n) {
        sh_u128 lo, hi;
        auc_counts(&lo, &hi, gen, n_gen, imp, w);
        double pairs = 2.0 * (double)n_gen * (double)imp->n;
        out->auc_lo = u128_ratio(lo, pairs);
        out->auc_hi = u128_ratio(hi, pairs);
        out->auc = (out->auc_lo + out->auc_hi) / 2;
    }
    /* Exact: sh_eer_want keeps the bin of every distribution's largest. */
    if (imp->n)
        out->max_impostor = sh_hist_rank_value(imp, w, 0);
    if (n_gen && imp->n) {
        /* The lowest threshold with no false match is just above the
         * highest impostor: the genuine pairs at or below it fail. */
        out->zero_fmr = (double)(n_gen - sh_count_ge(gen, n_gen, nextafter(out->max_impostor,
                                                                              INFINITY))) /
                        (double)n_gen;
    }
    size_t f = first_finite(gen, n_gen);
    out->n_genuine_unscored = f;
    /* -inf is alone in its bin: the rest of it would be negative NaNs. */
    out->n_impostor_unscored = imp->n ? sh_hist_in_bin(imp, sh_score_bin(-INFINITY)) : 0;
    if (f < n_gen && isfinite(gen[f]))
        out->min_genuine = gen[f];
    if (f < n_gen && isfinite(gen[f]) && imp->n) {
        /* The highest threshold every finite genuine pair meets: the lowest
         * of them; failed pairs fail at any threshold. */
        out->zero_fnmr = (double)sh_hist_count_ge(imp, w, gen[f]) / (double)imp->n;
    }
}
