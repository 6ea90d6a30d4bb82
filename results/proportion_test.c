#include "proportion_test.h"

#include <math.h>

/* log C(a, b) in doubles: counts may exceed the unsigned ints of GSL's
 * hypergeometric functions. */
static double lchoose(double a, double b)
{
    return lgamma(a + 1) - lgamma(b + 1) - lgamma(a - b + 1);
}

double sh_fisher_exact(uint64_t k1, uint64_t n1, uint64_t k2, uint64_t n2)
{
    if (!n1 || !n2)
        return NAN;
    /* Errors in group 1 given all margins are hypergeometric: K errors in
     * N trials, n1 of them drawn for group 1. */
    double N = (double)n1 + (double)n2, K = (double)k1 + (double)k2, m = (double)n1;
    double lo = fmax(0, m - (N - K)), hi = fmin(K, m);
    double base = lchoose(N, m);
#define LPDF(x) (lchoose(K, (x)) + lchoose(N - K, m - (x)) - base)
    double cut = LPDF((double)k1) + log1p(1e-7);
    /* The pmf is unimodal: walk out from the mode on each side, adding the
     * terms no likelier than the observed table, until they vanish. */
    double mode = floor((m + 1) * (K + 1) / (N + 2));
    mode = fmin(fmax(mode, lo), hi);
    double p = 0;
    for (int side = 0; side < 2; side++) {
        double step = side ? 1 : -1;
        for (double x = side ? mode + 1 : mode; x >= lo && x <= hi; x += step) {
            double l = LPDF(x);
            if (l <= cut) {
                double term = exp(l);
                p += term;
                if (term < p * 1e-17)
                    break;
            }
        }
    }
#undef LPDF
    return fmin(1.0, p);
}
