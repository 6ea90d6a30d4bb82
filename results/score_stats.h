/* Each group's score distributions in numbers (/verification/scores): the
 * genuine and impostor scores' means and SDs, the decidability d', the
 * AUC, and ZeroFMR and ZeroFNMR, from the sorted genuine scores and the
 * exact impostor distribution (score_hist.h). Definitions and sources are
 * in docs/measures.md. */
#ifndef SH_RESULTS_SCORE_STATS_H
#define SH_RESULTS_SCORE_STATS_H

#include <stddef.h>

#include "score_hist.h"
#include "verification_tables.h"

/* Adds to w the bin ZeroFNMR's threshold needs (the lowest finite genuine
 * score's), known before the impostors are counted. Returns 0, or -1 when
 * out of memory. */
int sh_score_stats_want(sh_score_window *w, const double *gen, size_t n_gen);

/* One group's row from its genuine scores (ascending, -inf for failed
 * pairs) and its impostor distribution, sealed with window w; the
 * impostor mean, SD and d' only where pass 1 kept its sums (moments), NaN
 * otherwise. */
void sh_score_stats_row(sh_vscore *out, const char *partition, const char *group,
                        const double *gen, size_t n_gen, const sh_score_hist *imp,
                        const sh_score_window *w, int moments);

#endif
