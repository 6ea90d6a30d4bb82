/* The ROC export (output.export: [roc]): /verification/roc, every group's
 * FNMR and FMR at the thresholds where both counts are exact, for a third
 * party to recompute the thresholds, EER and DET (docs/measures.md). */
#ifndef SH_RESULTS_ROC_EXPORT_H
#define SH_RESULTS_ROC_EXPORT_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "impostor_stats.h"
#include "progress.h"
#include "score_source.h"
#include "verification_tables.h"

/* Impostor values (pairs times partitions, at least 1) up to which a third
 * pass keeps every one, so that every group's rows are at every distinct
 * score: 2^21 doubles, at most about 48 MiB while they are held. */
#define SH_ROC_EVERY_SCORE_CAP ((uint64_t)1 << 21)

/* One group whose rows are exported: its names, its cell in imp, and its
 * genuine scores (sorted; -inf for a failed template). */
typedef struct sh_roc_group {
    const char *partition, *group;
    size_t part;                /* partition index in imp's groups; SIZE_MAX: "all" */
    size_t index;               /* the group's index in its partition */
    const double *gen;
    size_t n_gen;
} sh_roc_group;

/* Sets r->roc (r->has_roc) to the rows of groups[0..n), in that order, each
 * group's ascending by threshold. With imp's impostors times partitions at
 * most cap, src is replayed once more to keep every value (the rows are at
 * every distinct score); else the rows are those imp's window allows.
 * Reads imp only; progress may be NULL. */
int sh_roc_export(sh_vresults *r, const sh_roc_group *groups, size_t n,
                      const sh_impostors *imp, const sh_score_source *src, uint64_t cap,
                      sh_progress *progress, sh_err *err);

#endif
