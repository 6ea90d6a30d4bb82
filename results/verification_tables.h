/* The verification tables of a run, as measured and as a results file
 * holds them: the rows of /verification/thresholds, groups, eer, det,
 * summaries and score_density, and the cross-group FMR matrices. verification_measures.h
 * computes them; store/ writes and reads them; report/ prints them. */
#ifndef SH_RESULTS_VERIFICATION_TABLES_H
#define SH_RESULTS_VERIFICATION_TABLES_H

#include <stddef.h>
#include <stdint.h>

#include "bootstrap.h"
#include "names.h"

/* A note's longest text with its NUL. */
#define SH_NOTE_MAX 96

/* What fixes a global threshold (an operating point): a target FMR over
 * all impostors, a target FNMR over all genuine pairs, or the threshold
 * itself (a vendor's default). */
typedef enum sh_vpoint_kind {
    SH_VPOINT_FMR,
    SH_VPOINT_FNMR,
    SH_VPOINT_FIXED
} sh_vpoint_kind;

/* One operating point: its kind and its target or threshold. */
typedef struct sh_vpoint {
    sh_vpoint_kind kind;
    double value;
} sh_vpoint;

/* Longest point name with its NUL: the `point` column's width. */
#define SH_VPOINT_NAME_MAX 16

/* The point's name in the tables and the config: "target_fmr",
 * "target_fnmr" or "fixed_threshold". */
const char *sh_vpoint_name(sh_vpoint_kind kind);

/* The kind a name stands for; -1 when it names none. */
int sh_vpoint_kind_of(sh_vpoint_kind *out, const char *name);

/* The point a table row stands at, from its point name (empty: a file
 * older than schema 1.10, whose points are all target FMRs), target FMR,
 * target FNMR and global threshold. */
sh_vpoint sh_vpoint_of(const char *point, double target_fmr, double target_fnmr,
                       double threshold);

/* Whether two points are the same: same kind and value. */
int sh_vpoint_same(sh_vpoint a, sh_vpoint b);

/* The point in words for a heading, as "FMR 0.001", "FNMR 0.05" or
 * "threshold 0.42", into buf of n bytes. Returns buf. */
const char *sh_vpoint_label(char *buf, size_t n, sh_vpoint p);

/* The point's target or threshold alone, in the fewest digits (6 at
 * least) that read back as it, into buf of n bytes. Returns buf. */
const char *sh_vpoint_value_text(char *buf, size_t n, sh_vpoint p);

/* Its threshold in words, as "the global threshold for FMR 0.001" or
 * "the fixed threshold 0.42", into buf of n bytes. Returns buf. */
const char *sh_vpoint_threshold_words(char *buf, size_t n, sh_vpoint p);

/* Overall rates at one operating point; one row of
 * /verification/thresholds. */
typedef struct sh_vthreshold {
    double target_fmr;          /* NaN unless the point is a target FMR */
    int32_t estimable;          /* 0: too few impostors for this target */
    double threshold;           /* NaN when not estimable */
    uint64_t n_impostor, n_false_match;
    double fmr;
    uint64_t n_genuine, n_false_nonmatch;
    double fnmr;
    char point[SH_VPOINT_NAME_MAX]; /* sh_vpoint_name of the point (schema 1.10) */
    double target_fnmr;         /* NaN unless the point is a target FNMR (1.10) */
} sh_vthreshold;

/* One group at one operating point; one row of /verification/groups.
 * Each rate has Wilson, Clopper-Pearson and subject-bootstrap bounds. */
typedef struct sh_vgroup {
    char partition[SH_NAME_MAX];
    char group[SH_NAME_MAX];
    double target_fmr;          /* NaN unless the point is a target FMR */
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
    double group_threshold;     /* this group's own threshold for the target
                                 * (NaN at a fixed threshold) */
    double group_fnmr;          /* FNMR at the group's own threshold */
    int32_t too_small;          /* fewer subjects than groups.min_subjects: left
                                 * out of the summaries and criteria */
    char point[SH_VPOINT_NAME_MAX]; /* as in sh_vthreshold (schema 1.10) */
    double target_fnmr;         /* NaN unless the point is a target FNMR (1.10) */
    double group_fmr;           /* FMR at the group's own threshold (1.10) */
    char reference[SH_NAME_MAX];/* the partition's reference group, or "" (1.10) */
    double fnmr_ratio, fnmr_ratio_lo, fnmr_ratio_hi; /* fnmr over the reference's, with
                                 * subject-bootstrap bounds (1.10) */
    double fmr_ratio, fmr_ratio_lo, fmr_ratio_hi;    /* the same for fmr (1.10) */
    double group_threshold_lo, group_threshold_hi; /* subject-bootstrap bounds of the
                                 * group's own threshold (1.12) */
    double group_fnmr_lo, group_fnmr_hi; /* ... of group_fnmr (1.12) */
    double group_fmr_lo, group_fmr_hi;   /* ... of group_fmr (1.12) */
    char group_boot_note[SH_NOTE_MAX]; /* why those bounds are NaN where the bootstrap
                                 * ran but could not give them exactly, or "" (1.12) */
} sh_vgroup;

/* One group's equal error rate; one row of /verification/eer. */
typedef struct sh_veer {
    char partition[SH_NAME_MAX];
    char group[SH_NAME_MAX];
    uint64_t n_genuine, n_impostor;
    double eer;
    double eer_threshold;
    double eer_boot_lo, eer_boot_hi; /* subject-bootstrap bounds (1.12); NaN: none */
    char eer_boot_note[SH_NOTE_MAX]; /* why the bounds are NaN, or "" (1.12) */
} sh_veer;

/* One group's score distributions; one row of /verification/scores (1.11).
 * Genuine pairs include failed templates (-inf), which the means leave out
 * and AUC and ZeroFMR count as non-matches, as every rate does. */
typedef struct sh_vscore {
    char partition[SH_NAME_MAX];
    char group[SH_NAME_MAX];
    uint64_t n_genuine, n_impostor;     /* every pair, failed ones included */
    double genuine_mean, genuine_sd;    /* finite scores; SD over n */
    double impostor_mean, impostor_sd;
    double d_prime;                     /* decidability (mean gap over RMS SD) */
    double auc;                         /* P(genuine > impostor) + P(equal) / 2 */
    double auc_lo, auc_hi;              /* where pairs share a bin: its exact bounds */
    double max_impostor;                /* the highest impostor score */
    double zero_fmr;                    /* FNMR at the lowest threshold with no false match */
    double min_genuine;                 /* the lowest finite genuine score */
    double zero_fnmr;                   /* FMR where every finite genuine pair matches */
    int32_t too_small;                  /* as in /verification/groups */
    uint64_t n_genuine_unscored;        /* genuine pairs scored -inf: a failed template
                                         * or comparison (1.15) */
    uint64_t n_impostor_unscored;       /* impostor pairs scored -inf (1.15) */
} sh_vscore;

/* One point of a group's DET curve; rows of /verification/det. */
typedef struct sh_vdet {
    char partition[SH_NAME_MAX];
    char group[SH_NAME_MAX];
    double threshold, fmr, fnmr;
} sh_vdet;

/* One point of a group's ROC; rows of /verification/roc, written only with
 * output.export: [roc] (schema 1.12; roc_export.h). */
typedef struct sh_vroc {
    char partition[SH_NAME_MAX];
    char group[SH_NAME_MAX];
    double threshold;
    uint64_t n_genuine, n_false_nonmatch;   /* genuine scores < threshold (failed: -inf) */
    uint64_t n_impostor, n_false_match;     /* same-group impostor scores >= threshold */
    double fnmr, fmr;                       /* NaN without pairs */
    int32_t exact_since_previous;           /* 1: no score lies between the previous
                                             * row's threshold and this one */
} sh_vroc;

/* One fold of a group's accuracy over folds (RFW's protocol,
 * verification_folds.h): the threshold that maximises accuracy on the
 * other folds' pairs of the group, and what it gives on this fold's; rows
 * of /verification/folds (schema 1.14). */
typedef struct sh_vfold {
    char partition[SH_NAME_MAX];
    char group[SH_NAME_MAX];
    int32_t fold;
    double threshold;           /* from the other folds; NaN: they hold no pair */
    uint64_t n_genuine;         /* this fold's genuine pairs of the group */
    uint64_t n_impostor;        /* and its same-group impostor pairs */
    uint64_t n_correct;         /* genuine >= threshold, impostor < threshold */
    double accuracy;            /* n_correct over the fold's pairs; NaN without any, or
                                 * without a threshold */
} sh_vfold;

/* A group's accuracy over its folds; rows of /verification/fold_accuracy
 * (schema 1.14). */
typedef struct sh_vfold_summary {
    char partition[SH_NAME_MAX];
    char group[SH_NAME_MAX];
    uint64_t n_folds;           /* folds with an accuracy */
    double mean;                /* of those folds' accuracies */
    double sd;                  /* their sample SD (n - 1, as LFW's protocol); NaN
                                 * below 2 folds */
    double se;                  /* sd / sqrt(n_folds) */
    double min, max;
} sh_vfold_summary;

/* One bin of a group's genuine or impostor score density; rows of
 * /verification/score_density (score_density.h). */
typedef struct sh_vdensity {
    char partition[SH_NAME_MAX];
    char group[SH_NAME_MAX];
    char kind[16];              /* "genuine" or "impostor" (same-group pairs) */
    double bin_lo, bin_hi;      /* the bin: bin_lo <= score < bin_hi */
    uint64_t count;             /* finite scores in the bin */
} sh_vdensity;


/* The test that one rate (FNMR or FMR) is equal across a partition's
 * groups at one point; one row of /verification/tests (schema 1.10). */
typedef struct sh_vtest {
    char partition[SH_NAME_MAX];
    char point[SH_VPOINT_NAME_MAX];
    double target_fmr, target_fnmr; /* the point, as in sh_vthreshold */
    double threshold;           /* its global threshold */
    char rate[8];               /* "fnmr" or "fmr" */
    int32_t n_groups;           /* groups tested: with trials, not too small */
    int32_t df;                 /* n_groups - 1 */
    double chi2;                /* Pearson's statistic over the groups' counts */
    double p_chi2;              /* its chi-square p: comparisons independent */
    double p_boot;              /* the subject bootstrap's p; NaN without replicates */
} sh_vtest;

/* Two groups' rates compared; one row of /verification/pairwise (1.10). */
typedef struct sh_vpair_test {
    char partition[SH_NAME_MAX];
    char point[SH_VPOINT_NAME_MAX];
    double target_fmr, target_fnmr, threshold;
    char rate[8];
    char group_a[SH_NAME_MAX], group_b[SH_NAME_MAX];
    uint64_t errors_a, n_a, errors_b, n_b;
    double p_fisher;            /* Fisher's exact, two-sided: comparisons independent */
    double p_fisher_holm;       /* Holm-adjusted over the family's pairs */
    double p_boot;              /* the subject bootstrap's p */
    double p_boot_holm;
} sh_vpair_test;

/* A measure with its bootstrap interval, as three adjacent fields. */
#define SH_BOUNDED(name) double name, name##_lo, name##_hi

/* The differential summaries of one partition at one global threshold;
 * one row of /verification/summaries. The summaries are those of
 * vsummary_fields.def: every one bounded, in list order, then the two
 * groups and the Fisher exact p (two-sided) of each gap. */
typedef struct sh_vsummary {
    char partition[SH_NAME_MAX];
    double target_fmr;          /* NaN unless the point is a target FMR */
    double threshold;
    double alpha;               /* weight on FMR in the joint measures */
    int32_t fnmr_groups, fnmr_zero_groups, fmr_groups, fmr_zero_groups;
#define SH_VSUMMARY(name, value, heading) SH_BOUNDED(name);
#define SH_VSUMMARY_GAP(name, value, heading) SH_BOUNDED(name);
#include "vsummary_fields.def"
#undef SH_VSUMMARY
#undef SH_VSUMMARY_GAP
#define SH_VSUMMARY(name, value, heading)
#define SH_VSUMMARY_GAP(name, value, heading)                                              \
    char name##_high[SH_NAME_MAX], name##_low[SH_NAME_MAX];                                 \
    double name##_p;
#include "vsummary_fields.def"
#undef SH_VSUMMARY
#undef SH_VSUMMARY_GAP
    char point[SH_VPOINT_NAME_MAX]; /* as in sh_vthreshold (schema 1.10) */
    double target_fnmr;         /* NaN unless the point is a target FNMR (1.10) */
} sh_vsummary;

/* A bounded summary by name: its value's offset in sh_vsummary; the
 * lower and upper bounds are the next two doubles. */
typedef struct sh_vsummary_field {
    const char *name;
    size_t offset;
} sh_vsummary_field;

/* The bounded summaries' positions in list order, and their count. */
enum {
#define SH_VSUMMARY(name, value, heading) SH_VS_##name,
#define SH_VSUMMARY_GAP SH_VSUMMARY
#include "vsummary_fields.def"
#undef SH_VSUMMARY
#undef SH_VSUMMARY_GAP
    SH_VSUMMARY_FIELDS
};

/* The bounded summaries, in table order (vsummary_fields.def). */
extern const sh_vsummary_field sh_vsummary_fields[SH_VSUMMARY_FIELDS];

/* The summaries the reports leave to the file (no heading in
 * vsummary_fields.def), in words for the reports' note. */
#define SH_VSUMMARY_UNREPORTED "Gini, max/min and inequity"

/* One partition's matrix. Cells are symmetric: (i, j) and (j, i) both
 * count the pairs with one image in group i and the other in group j, so
 * the diagonal is the same-group FMR of /verification/groups. Owns every
 * array; freed with sh_vmatrix_clear. */
typedef struct sh_vmatrix {
    char *partition;
    size_t n_groups;
    char **group;              /* n_groups names, in report order */
    size_t n_targets;          /* operating points, as /verification/thresholds */
    double *target_fmr;        /* n_targets; NaN where the point is not a target FMR */
    double *target_fnmr;       /* n_targets; NaN where the point is not a target FNMR */
    char (*point)[SH_VPOINT_NAME_MAX]; /* n_targets point names */
    double *threshold;         /* the global threshold per point; NaN if not estimable */
    uint64_t *n_impostor;      /* [i][j], n_groups x n_groups */
    uint64_t *n_false_match;   /* [t][i][j] */
    double *fmr;               /* [t][i][j]; NaN where no pairs or no threshold */
    double *fmr_boot_lo;       /* [t][i][j]: subject-bootstrap bounds of fmr; NaN */
    double *fmr_boot_hi;       /*   without them (1.12) */
} sh_vmatrix;

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
    size_t n_density;
    sh_vdensity *density;   /* by partition, group, kind (genuine first), then bin */
    size_t n_tests;
    sh_vtest *tests;        /* by partition, point, then rate (fnmr first) */
    size_t n_pairwise;
    sh_vpair_test *pairwise; /* by partition, point, rate, then pair in group order */
    size_t n_scores;
    sh_vscore *scores;      /* by partition, then group (1.11) */
    int has_roc;            /* /verification/roc exported (1.12) */
    size_t n_roc;
    sh_vroc *roc;           /* by partition, group, then threshold; NULL as read back
                             * from a file, which counts its rows in n_roc */
    size_t n_folds;
    sh_vfold *folds;        /* by partition, group, then fold (1.13; pair lists with
                             * folds only) */
    size_t n_fold_accuracy;
    sh_vfold_summary *fold_accuracy; /* by partition, then group */
} sh_vresults;

/* Frees results; NULL is allowed. */
void sh_vresults_destroy(sh_vresults *r);

/* The points of rows of each table. */
static inline sh_vpoint sh_vthreshold_point(const sh_vthreshold *t)
{
    return sh_vpoint_of(t->point, t->target_fmr, t->target_fnmr, t->threshold);
}
static inline sh_vpoint sh_vgroup_point(const sh_vgroup *g)
{
    return sh_vpoint_of(g->point, g->target_fmr, g->target_fnmr, g->threshold);
}
static inline sh_vpoint sh_vsummary_point(const sh_vsummary *s)
{
    return sh_vpoint_of(s->point, s->target_fmr, s->target_fnmr, s->threshold);
}
static inline sh_vpoint sh_vtest_point(const sh_vtest *t)
{
    return sh_vpoint_of(t->point, t->target_fmr, t->target_fnmr, t->threshold);
}
static inline sh_vpoint sh_vmatrix_point(const sh_vmatrix *m, size_t k)
{
    return sh_vpoint_of(m->point[k], m->target_fmr[k], m->target_fnmr[k], m->threshold[k]);
}

/* The row of `group` in `partition` at point p, or NULL. */
const sh_vgroup *sh_vresults_group(const sh_vresults *v, const char *partition,
                                   const char *group, sh_vpoint p);

/* Whether group `group` of `partition` has fewer subjects than
 * groups.min_subjects (its rows say so); 0 for a group v lacks. */
int sh_vresults_too_small(const sh_vresults *v, const char *partition, const char *group);

/* The AUC of all pairs (scores[0]) over the pairs with a score only. The
 * stored AUC counts a pair without a score as -inf, so many failed genuine
 * pairs lower it and many failed impostor pairs raise it; the scored pairs'
 * AUC is taken back out of it with the unscored counts. NaN without score
 * rows or scored pairs of both kinds. A file before 1.15 records no
 * unscored counts, so its value is the stored AUC's. */
double sh_vresults_scored_auc(const sh_vresults *v);

/* Whether v's scores look like distances, a higher score less alike:
 * sh_vresults_scored_auc below 0.5. Such scores pass every check and
 * measure nonsense (FNMR near 1, accuracy over folds near the impostors'
 * share). */
int sh_vresults_distances(const sh_vresults *v);

/* The accuracy over folds of `group` in `partition`, or NULL. */
const sh_vfold_summary *sh_vresults_fold(const sh_vresults *v, const char *partition,
                                         const char *group);

/* Fills a row's point columns (point, target_fmr, target_fnmr) for p. */
void sh_vpoint_put(char *out_point, double *out_target_fmr, double *out_target_fnmr,
                   sh_vpoint p);

/* Allocates the arrays of a matrix of n_groups and n_targets, zeroed, with
 * the partition name copied; used by the computation and the reader. */
int sh_vmatrix_alloc(sh_vmatrix *out, const char *partition, size_t n_groups,
                         size_t n_targets);

/* Frees what m owns and zeroes it; a zeroed matrix is allowed. */
void sh_vmatrix_clear(sh_vmatrix *m);

#endif
