#include "classification_results.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classification_measures.h"

void sh_cresults_destroy(sh_cresults *r)
{
    if (!r)
        return;
    free(r->groups);
    free(r->classes);
    free(r->confusion);
    free(r->summaries);
    free(r->pairwise);
    free(r);
}

/* Appends group gi of a partition (item_group NULL: all items). */
static int add_group(sh_cresults *r, const char *partition, const char *group,
                     const char *const *names, size_t nc, const int32_t *truth,
                     const int32_t *predicted, const int32_t *item_group, int32_t gi, size_t n,
                     uint64_t total_errors, double conf)
{
    sh_cgroup c;
    if (sh_classification_measure(&c, truth, predicted, item_group, gi, n, nc, total_errors,
                                      conf))
        return -1;
    sh_crow *row = &r->groups[r->n_groups++];
    memset(row, 0, sizeof *row);
    snprintf(row->partition, sizeof row->partition, "%s", partition);
    snprintf(row->group, sizeof row->group, "%s", group);
    row->n = c.n;
    row->errors = c.errors;
    row->n_no_prediction = c.n_no_prediction;
    row->error_rate = c.error_rate;
    row->error_wilson_lo = c.error_wilson_lo;
    row->error_wilson_hi = c.error_wilson_hi;
    row->error_cp_lo = c.error_cp_lo;
    row->error_cp_hi = c.error_cp_hi;
    row->error_share = c.error_share;
    row->error_boot_lo = row->error_boot_hi = NAN;
    size_t cols = nc + 1;
    for (size_t k = 0; k < nc; k++) {
        sh_cclass *x = &r->classes[r->n_classes++];
        memset(x, 0, sizeof *x);
        snprintf(x->partition, sizeof x->partition, "%s", partition);
        snprintf(x->group, sizeof x->group, "%s", group);
        snprintf(x->class_name, sizeof x->class_name, "%s", names[k]);
        for (size_t j = 0; j < cols; j++)
            x->n_true += c.confusion[k * cols + j];
        for (size_t t = 0; t < nc; t++)
            x->n_predicted += c.confusion[t * cols + k];
        x->n_correct = c.confusion[k * cols + k];
        x->tpr = c.tpr[k];
        x->fpr = c.fpr[k];
        x->ppv = c.ppv[k];
        for (size_t j = 0; j < cols; j++) {
            sh_cconfusion *y = &r->confusion[r->n_confusion++];
            memset(y, 0, sizeof *y);
            snprintf(y->partition, sizeof y->partition, "%s", partition);
            snprintf(y->group, sizeof y->group, "%s", group);
            snprintf(y->truth, sizeof y->truth, "%s", names[k]);
            snprintf(y->predicted, sizeof y->predicted, "%s", j < nc ? names[j] : SH_CLASS_NONE);
            y->count = c.confusion[k * cols + j];
        }
    }
    sh_cgroup_free(&c);
    return 0;
}

int sh_classification_results(sh_cresults **out, const char *attribute,
                                  const char *const *class_names, size_t n_classes,
                              const sh_groups *g, const int32_t *truth,
                              const int32_t *predicted, size_t n_items,
                              const sh_cmeasure_options *opts, sh_err *err)
{
    double confidence = opts->confidence;
    *out = NULL;
    for (size_t i = 0; i < n_items; i++)
        if (truth[i] < 0 || (size_t)truth[i] >= n_classes || predicted[i] < SH_NO_PREDICTION ||
            (predicted[i] >= 0 && (size_t)predicted[i] >= n_classes))
            return sh_err_set(err, SH_E_INPUT,
                                  "classification: item %zu has a class out of range", i);
    size_t rows = 1;
    for (size_t p = 0; p < g->n_partitions; p++)
        rows += g->partitions[p].n_groups;
    sh_cresults *r = calloc(1, sizeof *r);
    if (r) {
        r->groups = calloc(rows, sizeof *r->groups);
        r->classes = calloc(rows * (n_classes ? n_classes : 1), sizeof *r->classes);
        r->confusion = calloc(rows * (n_classes ? n_classes : 1) * (n_classes + 1),
                              sizeof *r->confusion);
    }
    if (!r || !r->groups || !r->classes || !r->confusion) {
        sh_cresults_destroy(r);
        return sh_err_nomem(err);
    }
    snprintf(r->attribute, sizeof r->attribute, "%s", attribute);
    r->confidence = confidence;
    uint64_t total_errors = 0;
    for (size_t i = 0; i < n_items; i++)
        total_errors += predicted[i] != truth[i];
    int bad = add_group(r, "all", "All", class_names, n_classes, truth, predicted, NULL, 0,
                        n_items, total_errors, confidence);
    for (size_t p = 0; !bad && p < g->n_partitions; p++) {
        const sh_partition *part = &g->partitions[p];
        for (size_t gi = 0; !bad && gi < part->n_groups; gi++)
        {
            bad = add_group(r, part->name, part->group_names[gi], class_names, n_classes, truth,
                            predicted, part->item_group, (int32_t)gi, n_items, total_errors,
                            confidence);
            if (!bad && part->too_small)
                r->groups[r->n_groups - 1].too_small = part->too_small[gi];
        }
    }
    int rc = bad ? sh_err_nomem(err)
                 : sh_classification_summarise(r, g, truth, predicted, n_items, opts, err);
    if (rc) {
        sh_cresults_destroy(r);
        return rc;
    }
    *out = r;
    return 0;
}
