/* Pass/fail criteria: rules fixed in the config before a run, evaluated on
 * its measures. docs/measures.md lists the measures a rule may name. */
#ifndef SHADES_RESULTS_CRITERIA_H
#define SHADES_RESULTS_CRITERIA_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "error.h"
#include "groups.h"
#include "verification_measures.h"

/* What a measure name refers to. */
typedef enum shades_criterion_kind {
    SHADES_CRITERION_UNKNOWN = 0,
    SHADES_CRITERION_SUMMARY,   /* a differential summary of a partition */
    SHADES_CRITERION_RATE,      /* fnmr or fmr of a group, at a target */
    SHADES_CRITERION_FTE        /* failure to enrol of a group */
} shades_criterion_kind;

/* The kind of a measure name. */
shades_criterion_kind shades_criterion_kind_of(const char *measure);

/* One rule's verdict; one row of /criteria. */
typedef struct shades_verdict {
    char name[SHADES_NAME_MAX];
    char measure[SHADES_NAME_MAX];
    char partition[SHADES_NAME_MAX];
    char group[SHADES_NAME_MAX];   /* the group that decided it, for rates */
    double target_fmr;             /* NaN for fte */
    char bound[16];                /* value, lower, upper */
    char interval[16];             /* for rates: wilson, clopper-pearson, bootstrap */
    char op[4];                    /* "<=" or ">=" */
    double limit;
    double value;                  /* what was compared with the limit */
    int32_t pass;
    char reason[160];              /* why it failed, or "" */
} shades_verdict;

/* Checks that every rule's partition and group exist in g, before any
 * engine runs. Fails naming the config line and field. */
int shades_criteria_check(const shades_config *c, const shades_groups *g, shades_err *err);

/* Evaluates every rule of c on r into *out (c->criteria_count verdicts,
 * caller frees). A rule whose measure is NaN (not estimable, too few
 * groups) fails, with the reason given. */
int shades_criteria_evaluate(shades_verdict **out, const shades_config *c,
                             const shades_vresults *r, shades_err *err);

/* 1 when every verdict passes (or there are none). */
int shades_criteria_passed(const shades_verdict *v, size_t n);

#endif
