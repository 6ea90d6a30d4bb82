#include "identification_measures.h"

#include <math.h>

double sh_fnir(const sh_mated_search *s, size_t n, uint32_t rank, double threshold)
{
    if (!n)
        return NAN;
    size_t misses = 0;
    for (size_t i = 0; i < n; i++)
        misses += !(s[i].mate_rank >= 1 && s[i].mate_rank <= rank &&
                     s[i].mate_score >= threshold);
    return (double)misses / (double)n;
}

double sh_fpir(const double *top_scores, size_t n, double threshold)
{
    if (!n)
        return NAN;
    size_t alarms = 0;
    for (size_t i = 0; i < n; i++)
        alarms += top_scores[i] >= threshold;
    return (double)alarms / (double)n;
}

void sh_cmc(double *out, const sh_mated_search *s, size_t n, uint32_t max_rank)
{
    for (uint32_t r = 0; r < max_rank; r++)
        out[r] = 0;
    for (size_t i = 0; i < n; i++)
        if (s[i].mate_rank >= 1 && s[i].mate_rank <= max_rank)
            out[s[i].mate_rank - 1] += 1;
    double run = 0;
    for (uint32_t r = 0; r < max_rank; r++) {
        run += out[r];
        out[r] = n ? run / (double)n : NAN;
    }
}
