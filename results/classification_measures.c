#include "classification_measures.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "interval.h"

static double ratio(uint64_t k, uint64_t n)
{
    return n ? (double)k / (double)n : NAN;
}

void sh_cgroup_free(sh_cgroup *c)
{
    free(c->confusion);
    free(c->tpr);
    free(c->fpr);
    free(c->ppv);
    memset(c, 0, sizeof *c);
}

int sh_classification_measure(sh_cgroup *out, const int32_t *truth,
                                  const int32_t *predicted, const int32_t *item_group, int32_t g,
                                  size_t n_items, size_t n_classes, uint64_t total_errors,
                                  double conf)
{
    memset(out, 0, sizeof *out);
    size_t cols = n_classes + 1;
    out->n_classes = n_classes;
    out->confusion = calloc(n_classes * cols + 1, sizeof *out->confusion);
    out->tpr = calloc(n_classes + 1, sizeof *out->tpr);
    out->fpr = calloc(n_classes + 1, sizeof *out->fpr);
    out->ppv = calloc(n_classes + 1, sizeof *out->ppv);
    if (!out->confusion || !out->tpr || !out->fpr || !out->ppv) {
        sh_cgroup_free(out);
        return -1;
    }
    for (size_t i = 0; i < n_items; i++) {
        if (item_group && item_group[i] != g)
            continue;
        int32_t t = truth[i], p = predicted[i];
        if (t < 0 || (size_t)t >= n_classes || p < SH_NO_PREDICTION ||
            (p >= 0 && (size_t)p >= n_classes)) {
            sh_cgroup_free(out);
            return -1;
        }
        size_t col = p == SH_NO_PREDICTION ? n_classes : (size_t)p;
        out->confusion[(size_t)t * cols + col]++;
        out->n++;
        out->errors += p != t;
        out->n_no_prediction += p == SH_NO_PREDICTION;
    }
    out->error_rate = ratio(out->errors, out->n);
    sh_wilson(&out->error_wilson_lo, &out->error_wilson_hi, out->errors, out->n, conf);
    sh_clopper_pearson(&out->error_cp_lo, &out->error_cp_hi, out->errors, out->n, conf);
    out->error_share = ratio(out->errors, total_errors);
    for (size_t c = 0; c < n_classes; c++) {
        uint64_t actual = 0, predicted_as = 0, negatives = 0, false_pos = 0;
        for (size_t col = 0; col < cols; col++)
            actual += out->confusion[c * cols + col];
        for (size_t t = 0; t < n_classes; t++) {
            predicted_as += out->confusion[t * cols + c];
            if (t != c) {
                false_pos += out->confusion[t * cols + c];
                for (size_t col = 0; col < cols; col++)
                    negatives += out->confusion[t * cols + col];
            }
        }
        out->tpr[c] = ratio(out->confusion[c * cols + c], actual);
        out->fpr[c] = ratio(false_pos, negatives);
        out->ppv[c] = ratio(out->confusion[c * cols + c], predicted_as);
    }
    return 0;
}
