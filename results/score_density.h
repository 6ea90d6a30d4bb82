/* Per-group score densities: how many genuine and how many same-group
 * impostor scores fall in each of a few bins over the run's finite score
 * range, for the report's distribution plots.
 *
 * The counts are exact and cost one walk of each distribution: every edge
 * is a bin edge of the exact impostor distributions (score_hist.h), so a
 * density bin's impostor count is a sum of whole histogram bins, and the
 * genuine scores are held sorted. The edges are those nearest below an
 * even split of the range, so the bins are close to equal widths (fewer
 * when the scores span fewer histogram bins). Failed templates' scores
 * (-inf) are not in any bin; /verification/groups counts them. */
#ifndef SH_RESULTS_SCORE_DENSITY_H
#define SH_RESULTS_SCORE_DENSITY_H

#include <stddef.h>
#include <stdint.h>

#include "score_hist.h"
#include "verification_tables.h"

/* Bins per density. */
#define SH_DENSITY_BINS 64

/* The bins every density of a run shares. */
typedef struct sh_density_bins {
    size_t n;                            /* bins; 0 when no score is finite */
    double edge[SH_DENSITY_BINS + 1];    /* n + 1 ascending edges */
    uint32_t first[SH_DENSITY_BINS + 1]; /* each edge's histogram bin */
} sh_density_bins;

/* The bins over the finite scores of every genuine pair (ascending) and
 * every impostor pair (imp): from the lower edge of the lowest histogram
 * bin holding one to the upper edge of the highest, split into at most
 * n_bins (<= SH_DENSITY_BINS). */
void sh_density_bins_make(sh_density_bins *out, const double *gen, size_t n_gen,
                          const sh_score_hist *imp, size_t n_bins);

/* Counts the finite scores of an ascending array into out[b->n]. */
void sh_density_count_sorted(uint64_t *out, const sh_density_bins *b, const double *sorted,
                             size_t n);

/* Counts the finite scores of a distribution into out[b->n]. */
void sh_density_count_hist(uint64_t *out, const sh_density_bins *b, const sh_score_hist *h);

/* Appends one group's genuine rows, then its impostor rows, to r's
 * density table. Returns 0, or -1 when out of memory. */
int sh_density_append(sh_vresults *r, const sh_density_bins *b, const char *partition,
                      const char *group, const double *gen, size_t n_gen,
                      const sh_score_hist *imp);

#endif
