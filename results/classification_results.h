/* Attribute classification results of a run (Gender Shades): per group
 * error rates, per class TPR/FPR/PPV, and confusion counts, as the rows of
 * the /classification tables. */
#ifndef SH_RESULTS_CLASSIFICATION_RESULTS_H
#define SH_RESULTS_CLASSIFICATION_RESULTS_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "executor.h"
#include "groups.h"
#include "progress.h"
#include "ranks.h"
#include "verification_tables.h"

/* One group; a row of /classification/groups. */
typedef struct sh_crow {
    char partition[SH_NAME_MAX];
    char group[SH_NAME_MAX];
    uint64_t n, errors, n_no_prediction;
    double error_rate, error_wilson_lo, error_wilson_hi, error_cp_lo, error_cp_hi;
    double error_share;        /* this group's errors / all errors */
    int32_t too_small;         /* fewer subjects than groups.min_subjects */
    double error_boot_lo, error_boot_hi; /* subject bootstrap; NaN without (1.11) */
} sh_crow;

/* One class within one group; a row of /classification/classes. */
typedef struct sh_cclass {
    char partition[SH_NAME_MAX];
    char group[SH_NAME_MAX];
    char class_name[SH_NAME_MAX];
    uint64_t n_true, n_predicted, n_correct;
    double tpr, fpr, ppv;
} sh_cclass;

/* One confusion cell; a row of /classification/confusion. */
typedef struct sh_cconfusion {
    char partition[SH_NAME_MAX];
    char group[SH_NAME_MAX];
    char truth[SH_NAME_MAX];
    char predicted[SH_NAME_MAX];   /* a class, or "(none)" for no prediction */
    uint64_t count;
} sh_cconfusion;

/* The differential summaries of one partition's error rates, each with
 * its subject-bootstrap interval, and the test that they are equal; one
 * row of /classification/summaries (1.11). Groups too small or without
 * items are left out, as in verification's summaries. */
typedef struct sh_csummary {
    char partition[SH_NAME_MAX];
    int32_t n_groups;              /* groups summarised */
    int32_t zero_groups;           /* of which with no errors */
    SH_BOUNDED(error_max_min);     /* the bounded summaries: sh_csummary_fields */
    SH_BOUNDED(error_max_geomean);
    SH_BOUNDED(error_gini);
    SH_BOUNDED(error_gap);
    char error_gap_high[SH_NAME_MAX], error_gap_low[SH_NAME_MAX];
    double error_gap_p;            /* Fisher exact, two-sided, of the gap's groups */
    int32_t df;                    /* n_groups - 1 */
    double chi2;                   /* Pearson's statistic over the groups' counts */
    double p_chi2;                 /* its chi-square p: items independent */
    double p_boot;                 /* the subject bootstrap's p; NaN without */
} sh_csummary;

/* A bounded summary of sh_csummary by name (a criterion's measure): its
 * value's offset; the two bounds follow it. */
typedef struct sh_csummary_field {
    const char *name;
    size_t offset;
} sh_csummary_field;

#define SH_CSUMMARY_FIELDS 4
extern const sh_csummary_field sh_csummary_fields[SH_CSUMMARY_FIELDS];

/* Two groups' error rates compared; one row of /classification/pairwise
 * (1.11), Holm-adjusted over the partition's pairs. */
typedef struct sh_cpair_test {
    char partition[SH_NAME_MAX];
    char group_a[SH_NAME_MAX], group_b[SH_NAME_MAX];
    uint64_t errors_a, n_a, errors_b, n_b;
    double p_fisher, p_fisher_holm, p_boot, p_boot_holm;
} sh_cpair_test;

/* Everything measured for classification; owned by the caller. */
typedef struct sh_cresults {
    char attribute[SH_NAME_MAX];   /* the attribute classified, e.g. sex */
    double confidence;
    unsigned bootstrap;            /* subject-bootstrap replicates; 0: none (1.11) */
    size_t n_groups;
    sh_crow *groups;               /* "all" first, then by partition and group */
    size_t n_classes;
    sh_cclass *classes;            /* by group, then class */
    size_t n_confusion;
    sh_cconfusion *confusion;      /* by group, true class, predicted class */
    size_t n_summaries;
    sh_csummary *summaries;        /* by partition ("all" has none) */
    size_t n_pairwise;
    sh_cpair_test *pairwise;       /* by partition, then pair in group order */
} sh_cresults;

/* How the measures are computed. */
typedef struct sh_cmeasure_options {
    double confidence;             /* two-sided, for every interval */
    unsigned bootstrap;            /* subject-bootstrap replicates; 0: none */
    uint64_t seed;                 /* seeds the bootstrap */
    const uint32_t *subject;       /* each item's subject, < n_subjects */
    size_t n_subjects;
    sh_executor *executor;         /* the replicates run on it; NULL: this thread */
    sh_ranks *ranks;               /* MPI ranks that split the replicates; NULL: one process */
    sh_progress *progress;         /* counts replicates; NULL for none */
} sh_cmeasure_options;

/* The name a missing prediction is recorded under. */
#define SH_CLASS_NONE "(none)"

/* Measures every group of g (and "all") from truth[i] in [0, n_classes)
 * and predicted[i] in [0, n_classes) or SH_NO_PREDICTION, with the
 * summaries and tests of every partition. Fails on a class out of range. */
int sh_classification_results(sh_cresults **out, const char *attribute,
                              const char *const *class_names, size_t n_classes,
                              const sh_groups *g, const int32_t *truth,
                              const int32_t *predicted, size_t n_items,
                              const sh_cmeasure_options *opts, sh_err *err);

/* Adds r's bootstrap bounds, summaries and tests (classification_summary.c);
 * called by sh_classification_results. */
int sh_classification_summarise(sh_cresults *r, const sh_groups *g, const int32_t *truth,
                                const int32_t *predicted, size_t n_items,
                                const sh_cmeasure_options *opts, sh_err *err);

/* Frees r; NULL is allowed. */
void sh_cresults_destroy(sh_cresults *r);

#endif
