#include "interval.h"

#include <math.h>

#include <gsl/gsl_cdf.h>

void shades_wilson(double *out_lo, double *out_hi, uint64_t k, uint64_t n, double conf)
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
