/* Attribute classification results of a run (Gender Shades): per group
 * error rates, per class TPR/FPR/PPV, and confusion counts, as the rows of
 * the /classification tables. */
#ifndef SH_RESULTS_CLASSIFICATION_RESULTS_H
#define SH_RESULTS_CLASSIFICATION_RESULTS_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "groups.h"
#include "verification_tables.h"

/* One group; a row of /classification/groups. */
typedef struct sh_crow {
    char partition[SH_NAME_MAX];
    char group[SH_NAME_MAX];
    uint64_t n, errors, n_no_prediction;
    double error_rate, error_wilson_lo, error_wilson_hi, error_cp_lo, error_cp_hi;
    double error_share;        /* this group's errors / all errors */
    int32_t too_small;         /* fewer subjects than groups.min_subjects */
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

/* Everything measured for classification; owned by the caller. */
typedef struct sh_cresults {
    char attribute[SH_NAME_MAX];   /* the attribute classified, e.g. sex */
    double confidence;
    size_t n_groups;
    sh_crow *groups;               /* "all" first, then by partition and group */
    size_t n_classes;
    sh_cclass *classes;            /* by group, then class */
    size_t n_confusion;
    sh_cconfusion *confusion;      /* by group, true class, predicted class */
} sh_cresults;

/* The name a missing prediction is recorded under. */
#define SH_CLASS_NONE "(none)"

/* Measures every group of g (and "all") from truth[i] in [0, n_classes)
 * and predicted[i] in [0, n_classes) or SH_NO_PREDICTION. Fails on a
 * class out of range. */
int sh_classification_results(sh_cresults **out, const char *attribute,
                                  const char *const *class_names, size_t n_classes,
                                  const sh_groups *g, const int32_t *truth,
                                  const int32_t *predicted, size_t n_items, double confidence,
                                  sh_err *err);

/* Frees r; NULL is allowed. */
void sh_cresults_destroy(sh_cresults *r);

#endif
