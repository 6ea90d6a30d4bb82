/* Fast deterministic scores for the benchmarks: a counter-based mix, so
 * score k is the same whoever draws it, in whatever order. */
#ifndef SH_BENCH_RNG_H
#define SH_BENCH_RNG_H

#include <stdint.h>

static inline uint64_t bench_mix(uint64_t z)
{
    z += 0x9e3779b97f4a7c15u;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    return z ^ (z >> 31);
}

/* Score k of group g: about normal (a sum of four uniforms, sd 1), mean
 * 0.1 g, with 1 in 64 a tie at 1.0. */
static inline double bench_score(uint64_t k, unsigned g)
{
    uint64_t z = bench_mix(k);
    if ((z & 63) == 0)
        return 1.0;
    double s = 0;
    for (int i = 0; i < 4; i++) {
        z = bench_mix(z);
        s += (double)(z >> 11) / 9007199254740992.0;
    }
    return (s - 2.0) * 1.7320508075688772 + 0.1 * g;
}

#endif
