/* 1:1 verification measures per group at exact global thresholds, with
 * their intervals, EER and DET curves, and the differential summaries. */
#ifndef SH_RESULTS_VERIFICATION_MEASURES_H
#define SH_RESULTS_VERIFICATION_MEASURES_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "executor.h"
#include "groups.h"
#include "impostor_stats.h"
#include "manifest.h"
#include "progress.h"
#include "score_source.h"
#include "verification.h"
#include "verification_tables.h"

/* How the measures are computed. */
typedef struct sh_vmeasure_options {
    const sh_vpoint *points;    /* the operating points, in table order */
    size_t n_points;
    double confidence;          /* two-sided, for every interval */
    unsigned bootstrap;         /* subject-bootstrap replicates; 0: none */
    uint64_t seed;              /* seeds the bootstrap */
    double alpha;               /* weight on FMR in GARBE, FDR, inequity */
    size_t det_per_axis;        /* DET points per axis (see det.h) */
    sh_executor *executor;      /* the bootstrap replicates run on it; NULL: this thread */
    sh_ranks *ranks;            /* MPI ranks that split the replicates; NULL: one process */
    sh_progress *progress;  /* counts replicates; NULL for none */
    const sh_count_store *counts; /* pass 1 restored from or saved to; NULL: none */
    int moments;                /* exact impostor means and SDs (verification.impostor_moments) */
    int roc;                    /* export /verification/roc (output.export: [roc]) */
    uint64_t roc_cap;           /* impostor values up to which its rows are at every score
                                 * (SH_ROC_EVERY_SCORE_CAP; roc_export.h) */
} sh_vmeasure_options;


/* Computes the measures from the genuine pairs' scores (-inf for a failed
 * template), the impostor scores of `impostors` (replayed twice, see
 * score_hist.h; never all held at once) and each item's template outcome.
 * The first partition reported is "all", one group "All". */
int sh_verification_measure(sh_vresults **out, const sh_manifest *m,
                                const sh_groups *g, const sh_pairs *pairs,
                                const double *genuine_scores,
                                const sh_score_source *impostors, const int32_t *outcome,
                                const sh_vmeasure_options *opts, sh_err *err);

/* Fills the bootstrap bounds of r's group rows and adds the differential
 * summaries; called by sh_verification_measure (verification_summary.c). */
int sh_verification_summarise(sh_vresults *r, const sh_manifest *m,
                                  const sh_groups *g, const sh_pairs *pairs,
                                  const double *genuine_scores, const sh_impostors *imp,
                                  const sh_vmeasure_options *opts, sh_err *err);

#endif
