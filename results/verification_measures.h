/* 1:1 verification measures per group at exact global thresholds. */
#ifndef SHADES_RESULTS_VERIFICATION_MEASURES_H
#define SHADES_RESULTS_VERIFICATION_MEASURES_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "groups.h"
#include "manifest.h"
#include "verification.h"

#define SHADES_NAME_MAX 64

/* Overall rates at one target FMR; one row of /verification/thresholds. */
typedef struct shades_vthreshold {
    double target_fmr;
    int32_t estimable;          /* 0: too few impostors for this target */
    double threshold;           /* NaN when not estimable */
    uint64_t n_impostor, n_false_match;
    double fmr;
    uint64_t n_genuine, n_false_nonmatch;
    double fnmr;
} shades_vthreshold;

/* One group at one target FMR; one row of /verification/groups. */
typedef struct shades_vgroup {
    char partition[SHADES_NAME_MAX];
    char group[SHADES_NAME_MAX];
    double target_fmr;
    double threshold;           /* the global threshold */
    uint64_t n_subjects, n_images, n_fte;
    double fte, fte_lo, fte_hi;
    uint64_t n_genuine;         /* genuine pairs inside the group */
    uint64_t n_genuine_failed;  /* of which a template failed */
    uint64_t n_false_nonmatch;  /* score < threshold, or a failed template */
    double fnmr, fnmr_lo, fnmr_hi;
    double fnmr_without_failures; /* among pairs with both templates */
    uint64_t n_impostor;        /* same-group impostor pairs */
    uint64_t n_false_match;
    double fmr, fmr_lo, fmr_hi;
    int32_t group_estimable;
    double group_threshold;     /* this group's own threshold for the target */
    double group_fnmr;          /* FNMR at the group's own threshold */
} shades_vgroup;

/* Everything measured for verification. Owned by the caller. */
typedef struct shades_vresults {
    double confidence;
    size_t n_thresholds;
    shades_vthreshold *thresholds;
    size_t n_groups;
    shades_vgroup *groups;     /* by partition, group, then target */
} shades_vresults;

/* Computes the measures from the pairs' scores (-inf for a failed
 * template) and each item's template outcome. The first partition
 * reported is "all", one group "All". */
int shades_verification_measure(shades_vresults **out, const shades_manifest *m,
                                const shades_groups *g, const shades_pairs *pairs,
                                const double *genuine_scores, const double *impostor_scores,
                                const int32_t *outcome, const double *targets,
                                size_t n_targets, double confidence, shades_err *err);

/* Frees results; NULL is allowed. */
void shades_vresults_destroy(shades_vresults *r);

#endif
