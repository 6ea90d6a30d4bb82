/* Pass/fail criteria: rules fixed in the config before a run, evaluated on
 * its measures. docs/measures.md lists the measures a rule may name. */
#ifndef SH_RESULTS_CRITERIA_H
#define SH_RESULTS_CRITERIA_H

#include <stddef.h>
#include <stdint.h>

#include "classification_results.h"
#include "error.h"
#include "groups.h"
#include "verification_tables.h"

/* One pass/fail rule, fixed before the run (docs/criteria.md). */
typedef struct sh_criterion {
    char *name;
    char *measure;         /* a summary (fnmr_max_geomean) or a group rate (fnmr,
                            * fnmr_ratio) */
    char *partition;
    double *target_fmr;    /* the point: one of verification.target_fmr, */
    double *target_fnmr;   /* or of verification.target_fnmr, */
    double *fixed_threshold; /* or of verification.fixed_threshold (one of the three) */
    char *group;           /* group rates: one group; NULL: every group */
    char *bound;           /* value, lower or upper; NULL: upper */
    char *interval;        /* group rates: wilson, clopper-pearson or bootstrap */
    double *at_most;       /* exactly one of at_most and at_least */
    double *at_least;
    unsigned line;         /* where the rule starts in the config */
} sh_criterion;

/* The rules of a run and what their messages name: the config file and
 * the groups' minimum size. Borrowed. */
typedef struct sh_criteria_spec {
    const sh_criterion *rules;
    unsigned n_rules;
    const char *config_path;
    unsigned min_subjects;     /* groups.min_subjects, for the message on a small group */
} sh_criteria_spec;

/* What a measure name refers to. */
typedef enum sh_criterion_kind {
    SH_CRITERION_UNKNOWN = 0,
    SH_CRITERION_SUMMARY,   /* a differential summary of a partition */
    SH_CRITERION_RATE,      /* fnmr, fmr or their ratio to the reference group, of
                             * a group at an operating point; classification's
                             * error_rate of a group */
    SH_CRITERION_FTE,       /* failure to enrol of a group */
    SH_CRITERION_TEST,      /* a p-value of the test of equal rates across a
                             * partition's groups (/verification/tests, or
                             * /classification/summaries) */
    SH_CRITERION_SCORE,     /* a group's score statistic (/verification/scores):
                             * d_prime, auc, zero_fmr, zero_fnmr; or its mean
                             * fold_accuracy (/verification/fold_accuracy); no point */
    SH_CRITERION_EER,       /* a group's EER (/verification/eer), with bootstrap
                             * bounds only; no point */
    SH_CRITERION_CROSS      /* cross_fmr: the FMR of each cell across two groups of a
                             * partition's matrix at a point; bootstrap bounds only */
} sh_criterion_kind;

/* The kind of a measure name. */
sh_criterion_kind sh_criterion_kind_of(const char *measure);

/* Whether a measure is one of classification's (error_rate, its
 * summaries and tests) rather than verification's. */
int sh_criterion_classification(const char *measure);

/* Whether a group measure is a rate over the partition's reference
 * group's (fnmr_ratio, fmr_ratio: groups.reference), which has subject
 * bootstrap bounds only. */
int sh_criterion_is_ratio(const char *measure);

/* Whether a rate measure is a group's at its own threshold (group_fnmr,
 * group_fmr): bootstrap bounds only, and no fixed threshold. */
int sh_criterion_is_own(const char *measure);

/* One rule's verdict; one row of /criteria. */
typedef struct sh_verdict {
    char name[SH_NAME_MAX];
    char measure[SH_NAME_MAX];
    char partition[SH_NAME_MAX];
    char group[SH_NAME_MAX];   /* the group that decided it, for rates */
    double target_fmr;             /* NaN unless the point is a target FMR */
    char bound[16];                /* value, lower, upper */
    char interval[16];             /* for rates: wilson, clopper-pearson, bootstrap */
    char op[4];                    /* "<=" or ">=" */
    double limit;
    double value;                  /* what was compared with the limit */
    int32_t pass;
    char reason[160];              /* why it failed, or "" */
    char point[SH_VPOINT_NAME_MAX];/* the rule's point; "" for fte (schema 1.10) */
    double target_fnmr;            /* NaN unless the point is a target FNMR (1.10) */
    double threshold;              /* the point's global threshold; NaN for fte (1.10) */
} sh_verdict;

/* The operating point a rule names into *out; 0 when it names none (fte). */
int sh_criterion_point(sh_vpoint *out, const sh_criterion *k);

/* The operating point a verdict was judged at into *out; 0 when it has
 * none (fte). */
int sh_verdict_point(sh_vpoint *out, const sh_verdict *v);

/* Checks that every rule's partition and group exist in g, before any
 * engine runs. Fails naming the config line and field. */
int sh_criteria_check(const sh_criteria_spec *c, const sh_groups *g, sh_err *err);

/* Evaluates every rule of c on a run's results (r for verification or cr
 * for classification; the other NULL) into *out (c->n_rules verdicts,
 * caller frees). A rule whose measure is NaN (not estimable, too few
 * groups) fails, with the reason given. */
int sh_criteria_evaluate(sh_verdict **out, const sh_criteria_spec *c,
                         const sh_vresults *r, const sh_cresults *cr, sh_err *err);

/* The estimate behind a verdict, read from r (or cr, classification): out[0] the point estimate,
 * out[1] and out[2] the bounds of the interval the rule names (NaN where
 * there is none). The rule's value is one of the three (its bound). 0, or
 * -1 when r has no row for it (left NaN). */
int sh_verdict_estimate(double out[3], const sh_verdict *v, const sh_vresults *r,
                        const sh_cresults *cr);

/* Whether value meets a limit under op ("<=" or ">="): 1 or 0; -1 for
 * another op. A NaN value meets none. The one rule a verdict's pass
 * follows, and a report checks a file's recorded verdicts by. */
int sh_verdict_meets(double value, const char *op, double limit);

/* 1 when every verdict passes (or there are none). */
int sh_criteria_passed(const sh_verdict *v, size_t n);

#endif
