#include "score_density.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Whether histogram bin b holds finite scores: the bins of -inf and +inf
 * (and the NaN bins beyond them) hold none. */
static int finite_bin(uint32_t b)
{
    return b > sh_score_bin(-INFINITY) && b < sh_score_bin(INFINITY);
}

/* Widens [*lo, *hi] to the finite bins of h. */
static void hist_span(uint32_t *lo, uint32_t *hi, const sh_score_hist *h)
{
    for (uint32_t b = sh_hist_next_bin(h, UINT32_MAX); b != UINT32_MAX;
         b = sh_hist_next_bin(h, b)) {
        if (!finite_bin(b))
            continue;
        if (b < *lo)
            *lo = b;
        if (*hi == UINT32_MAX || b > *hi)
            *hi = b;
    }
}

void sh_density_bins_make(sh_density_bins *out, const double *gen, size_t n_gen,
                          const sh_score_hist *imp, size_t n_bins)
{
    memset(out, 0, sizeof *out);
    uint32_t lo = UINT32_MAX, hi = UINT32_MAX;
    for (size_t i = 0; i < n_gen; i++)
        if (isfinite(gen[i])) {
            lo = sh_score_bin(gen[i]);
            break;
        }
    for (size_t i = n_gen; i-- > 0;)
        if (isfinite(gen[i])) {
            hi = sh_score_bin(gen[i]);
            break;
        }
    hist_span(&lo, &hi, imp);
    if (lo == UINT32_MAX || n_bins == 0)
        return;
    if (n_bins > SH_DENSITY_BINS)
        n_bins = SH_DENSITY_BINS;
    double a = sh_score_bin_edge(lo), z = sh_score_bin_top(hi);
    if (!isfinite(z))
        z = DBL_MAX; /* scores at the very top of the doubles: the last bin is open */
    out->edge[0] = a;
    out->first[0] = lo;
    size_t n = 0;
    for (size_t k = 1; k < n_bins; k++) {
        double t = (double)k / (double)n_bins;
        /* Weighted, not a + (z - a) * t: z - a may overflow. */
        uint32_t b = sh_score_bin(a * (1 - t) + z * t);
        if (b > out->first[n] && b <= hi) {
            out->edge[++n] = sh_score_bin_edge(b);
            out->first[n] = b;
        }
    }
    out->edge[++n] = z;
    out->first[n] = hi + 1;
    out->n = n;
}

void sh_density_count_sorted(uint64_t *out, const sh_density_bins *b, const double *sorted,
                             size_t n)
{
    memset(out, 0, b->n * sizeof *out);
    size_t j = 0;
    for (size_t i = 0; b->n && i < n; i++) {
        if (!isfinite(sorted[i]))
            continue;
        while (j + 1 < b->n && sorted[i] >= b->edge[j + 1])
            j++;
        out[j]++;
    }
}

void sh_density_count_hist(uint64_t *out, const sh_density_bins *b, const sh_score_hist *h)
{
    memset(out, 0, b->n * sizeof *out);
    size_t j = 0;
    for (uint32_t x = sh_hist_next_bin(h, UINT32_MAX); b->n && x != UINT32_MAX;
         x = sh_hist_next_bin(h, x)) {
        if (!finite_bin(x))
            continue;
        while (j + 1 < b->n && x >= b->first[j + 1])
            j++;
        out[j] += sh_hist_in_bin(h, x);
    }
}

/* Appends the n rows of one kind. */
static void kind_rows(sh_vresults *r, const sh_density_bins *b, const char *partition,
                      const char *group, const char *kind, const uint64_t *count)
{
    for (size_t j = 0; j < b->n; j++) {
        sh_vdensity *d = &r->density[r->n_density++];
        memset(d, 0, sizeof *d);
        snprintf(d->partition, sizeof d->partition, "%s", partition);
        snprintf(d->group, sizeof d->group, "%s", group);
        snprintf(d->kind, sizeof d->kind, "%s", kind);
        d->bin_lo = b->edge[j];
        d->bin_hi = b->edge[j + 1];
        d->count = count[j];
    }
}

int sh_density_append(sh_vresults *r, const sh_density_bins *b, const char *partition,
                      const char *group, const double *gen, size_t n_gen,
                      const sh_score_hist *imp)
{
    if (!b->n)
        return 0;
    sh_vdensity *grown = realloc(r->density, (r->n_density + 2 * b->n) * sizeof *grown);
    if (!grown)
        return -1;
    r->density = grown;
    uint64_t count[SH_DENSITY_BINS];
    sh_density_count_sorted(count, b, gen, n_gen);
    kind_rows(r, b, partition, group, "genuine", count);
    sh_density_count_hist(count, b, imp);
    kind_rows(r, b, partition, group, "impostor", count);
    return 0;
}
