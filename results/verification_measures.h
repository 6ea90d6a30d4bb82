/* 1:1 verification measures per group at exact global thresholds, with
 * their intervals, EER and DET curves, and the differential summaries. */
#ifndef SH_RESULTS_VERIFICATION_MEASURES_H
#define SH_RESULTS_VERIFICATION_MEASURES_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "groups.h"
#include "impostor_stats.h"
#include "manifest.h"
#include "progress.h"
#include "score_source.h"
#include "verification.h"
#include "verification_matrix.h"

#define SH_NAME_MAX 64

/* Overall rates at one target FMR; one row of /verification/thresholds. */
typedef struct sh_vthreshold {
    double target_fmr;
    int32_t estimable;          /* 0: too few impostors for this target */
    double threshold;           /* NaN when not estimable */
    uint64_t n_impostor, n_false_match;
    double fmr;
    uint64_t n_genuine, n_false_nonmatch;
    double fnmr;
} sh_vthreshold;

/* One group at one target FMR; one row of /verification/groups. Each rate
 * has Wilson, Clopper-Pearson and subject-bootstrap bounds. */
typedef struct sh_vgroup {
    char partition[SH_NAME_MAX];
    char group[SH_NAME_MAX];
    double target_fmr;
    double threshold;           /* the global threshold */
    uint64_t n_subjects, n_images, n_fte;
    double fte, fte_wilson_lo, fte_wilson_hi, fte_cp_lo, fte_cp_hi;
    uint64_t n_genuine;         /* genuine pairs inside the group */
    uint64_t n_genuine_failed;  /* of which a template failed */
    uint64_t n_false_nonmatch;  /* score < threshold, or a failed template */
    double fnmr, fnmr_wilson_lo, fnmr_wilson_hi, fnmr_cp_lo, fnmr_cp_hi;
    double fnmr_boot_lo, fnmr_boot_hi;
    double fnmr_without_failures; /* among pairs with both templates */
    uint64_t n_impostor;        /* same-group impostor pairs */
    uint64_t n_false_match;
    double fmr, fmr_wilson_lo, fmr_wilson_hi, fmr_cp_lo, fmr_cp_hi;
    double fmr_boot_lo, fmr_boot_hi;
    int32_t group_estimable;
    double group_threshold;     /* this group's own threshold for the target */
    double group_fnmr;          /* FNMR at the group's own threshold */
    int32_t too_small;          /* fewer subjects than groups.min_subjects: left
                                 * out of the summaries and criteria */
} sh_vgroup;

/* One group's equal error rate; one row of /verification/eer. */
typedef struct sh_veer {
    char partition[SH_NAME_MAX];
    char group[SH_NAME_MAX];
    uint64_t n_genuine, n_impostor;
    double eer;
    double eer_threshold;
} sh_veer;

/* One point of a group's DET curve; rows of /verification/det. */
typedef struct sh_vdet {
    char partition[SH_NAME_MAX];
    char group[SH_NAME_MAX];
    double threshold, fmr, fnmr;
} sh_vdet;

/* A measure with its bootstrap interval, as three adjacent fields. */
#define SH_BOUNDED(name) double name, name##_lo, name##_hi

/* The differential summaries of one partition at one global threshold;
 * one row of /verification/summaries. */
typedef struct sh_vsummary {
    char partition[SH_NAME_MAX];
    double target_fmr;
    double threshold;
    double alpha;               /* weight on FMR in the joint measures */
    int32_t fnmr_groups, fnmr_zero_groups, fmr_groups, fmr_zero_groups;
    SH_BOUNDED(fnmr_max_min);
    SH_BOUNDED(fnmr_max_geomean);
    SH_BOUNDED(fnmr_gini);
    SH_BOUNDED(fnmr_gap);
    SH_BOUNDED(fmr_max_min);
    SH_BOUNDED(fmr_max_geomean);
    SH_BOUNDED(fmr_gini);
    SH_BOUNDED(fmr_gap);
    SH_BOUNDED(garbe);
    SH_BOUNDED(fdr);
    SH_BOUNDED(inequity);
    char fnmr_gap_high[SH_NAME_MAX], fnmr_gap_low[SH_NAME_MAX];
    double fnmr_gap_p;          /* Fisher exact, two-sided */
    char fmr_gap_high[SH_NAME_MAX], fmr_gap_low[SH_NAME_MAX];
    double fmr_gap_p;
} sh_vsummary;

/* A bounded summary by name: its value's offset in sh_vsummary; the
 * lower and upper bounds are the next two doubles. */
typedef struct sh_vsummary_field {
    const char *name;
    size_t offset;
} sh_vsummary_field;

/* The bounded summaries, in table order. */
extern const sh_vsummary_field sh_vsummary_fields[];
#define SH_VSUMMARY_FIELDS 11

/* How the measures are computed. */
typedef struct sh_vmeasure_options {
    const double *targets;      /* target FMRs */
    size_t n_targets;
    double confidence;          /* two-sided, for every interval */
    unsigned bootstrap;         /* subject-bootstrap replicates; 0: none */
    uint64_t seed;              /* seeds the bootstrap */
    double alpha;               /* weight on FMR in GARBE, FDR, inequity */
    size_t det_per_axis;        /* DET points per axis (see det.h) */
    unsigned threads;           /* for the bootstrap replicates */
    sh_progress *progress;  /* counts replicates; NULL for none */
    const sh_count_store *counts; /* pass 1 restored from or saved to; NULL: none */
} sh_vmeasure_options;

/* Everything measured for verification. Owned by the caller. */
typedef struct sh_vresults {
    double confidence;
    unsigned bootstrap;
    size_t n_thresholds;
    sh_vthreshold *thresholds;
    size_t n_groups;
    sh_vgroup *groups;      /* by partition, group, then target */
    size_t n_eer;
    sh_veer *eer;           /* by partition, group */
    size_t n_det;
    sh_vdet *det;           /* by partition, group, then threshold */
    size_t n_summaries;
    sh_vsummary *summaries; /* by partition, then target */
    size_t n_matrices;
    sh_vmatrix *matrices;   /* cross-group FMR, by partition ("all" has none) */
} sh_vresults;

/* Computes the measures from the genuine pairs' scores (-inf for a failed
 * template), the impostor scores of `impostors` (replayed twice, see
 * score_hist.h; never all held at once) and each item's template outcome.
 * The first partition reported is "all", one group "All". */
int sh_verification_measure(sh_vresults **out, const sh_manifest *m,
                                const sh_groups *g, const sh_pairs *pairs,
                                const double *genuine_scores,
                                const sh_score_source *impostors, const int32_t *outcome,
                                const sh_vmeasure_options *opts, sh_err *err);

/* Frees results; NULL is allowed. */
void sh_vresults_destroy(sh_vresults *r);

/* Fills the bootstrap bounds of r's group rows and adds the differential
 * summaries; called by sh_verification_measure (verification_summary.c). */
int sh_verification_summarise(sh_vresults *r, const sh_manifest *m,
                                  const sh_groups *g, const sh_pairs *pairs,
                                  const double *genuine_scores, const sh_impostors *imp,
                                  const sh_vmeasure_options *opts, sh_err *err);

#endif
