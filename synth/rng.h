/* Counter-based draws for the generator: every value is a pure function of
 * (seed, stream, index), so any image can be regenerated alone. */
#ifndef SH_SYNTH_RNG_H
#define SH_SYNTH_RNG_H

#include <math.h>
#include <stdint.h>

#include <shades/synthetic.h>

/* A stream of draws; next() advances the counter. */
typedef struct synth_rng {
    uint64_t key;
    uint64_t n;
} synth_rng;

static inline synth_rng synth_rng_make(uint64_t seed, uint64_t a, uint64_t b)
{
    synth_rng r = {synth_mix64(synth_mix64(seed ^ synth_mix64(a + 1)) ^ (b + 0x9e37u)), 0};
    return r;
}

/* Uniform on [0, 1). */
static inline double synth_rng_unit(synth_rng *r)
{
    return (double)(synth_mix64(r->key + ++r->n) >> 11) * 0x1.0p-53;
}

/* Uniform on [lo, hi). */
static inline double synth_rng_range(synth_rng *r, double lo, double hi)
{
    return lo + (hi - lo) * synth_rng_unit(r);
}

/* Standard normal (Box-Muller). */
static inline double synth_rng_normal(synth_rng *r)
{
    double u = synth_rng_unit(r), v = synth_rng_unit(r);
    return sqrt(-2.0 * log(1.0 - u)) * cos(6.283185307179586 * v);
}

#endif
