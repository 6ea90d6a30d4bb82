/* Attribute classification measures per group (Gender Shades): each item
 * has a true class and a predicted class, or no prediction. */
#ifndef SH_RESULTS_CLASSIFICATION_MEASURES_H
#define SH_RESULTS_CLASSIFICATION_MEASURES_H

#include <stddef.h>
#include <stdint.h>

/* The class index that means "no prediction" (no face, refused, failed):
 * always an error, never a positive for any class. */
#define SH_NO_PREDICTION (-1)

/* One group's measures over n_classes classes. Created by
 * sh_classification_measure; freed with sh_cgroup_free. */
typedef struct sh_cgroup {
    uint64_t n, errors, n_no_prediction;
    double error_rate, error_wilson_lo, error_wilson_hi, error_cp_lo, error_cp_hi;
    double error_share;     /* this group's errors / errors of all items */
    size_t n_classes;
    uint64_t *confusion;    /* [true][predicted], n_classes x (n_classes + 1); the
                             * last column counts no prediction */
    double *tpr;            /* per class: recall of items truly of the class */
    double *fpr;            /* per class: items of other classes predicted as it */
    double *ppv;            /* per class: precision of predictions of the class */
} sh_cgroup;

/* Measures for group g of items whose item_group[i] == g (all items when
 * item_group is NULL), from truth[i] in [0, n_classes) and predicted[i] in
 * [0, n_classes) or SH_NO_PREDICTION. total_errors is the errors over
 * all items, for error_share. Rates with a zero denominator are NaN.
 * Returns 0, or -1 when out of memory or a class is out of range. */
int sh_classification_measure(sh_cgroup *out, const int32_t *truth,
                                  const int32_t *predicted, const int32_t *item_group, int32_t g,
                                  size_t n_items, size_t n_classes, uint64_t total_errors,
                                  double conf);

/* Frees the arrays of a group filled by sh_classification_measure. */
void sh_cgroup_free(sh_cgroup *c);

#endif
