/* The tables of a report, built once from results files and printed in
 * any format (report_table.h). Every builder returns a new table the
 * caller destroys, or NULL when out of memory. */
#ifndef SH_RESULTS_REPORT_REPORT_TABLES_H
#define SH_RESULTS_REPORT_REPORT_TABLES_H

#include <stddef.h>

#include "results.h"
#include "report_table.h"

/* One results file as a report sees it. */
typedef struct sh_report_run {
    const sh_results *r;
    const char *path;
    const char *label;        /* "engine version", made unique across runs */
    const char *signature;    /* "signed by key SHA256:..., valid", "unsigned" or
                               * "ALTERED: /path" (h5_sign.h) */
    const char *engine;       /* "engine version" as label before it was made unique,
                               * the same whatever runs are beside it; NULL: label */
} sh_report_run;

/* How estimates are marked: a group is marked '*' when its too_small
 * field says the run left it out (fewer subjects than groups.min_subjects). */
typedef struct sh_report_style {
    unsigned min_subjects;    /* the (first) run's groups.min_subjects, for the notes */
    int mixed;                /* the runs' min_subjects differ */
} sh_report_style;

/* One row per run: engine, run name, size, creation time, criteria. */
sh_table *sh_table_runs(const sh_report_run *runs, size_t n);

/* Where a run came from: config, library and manifest digests, build. */
sh_table *sh_table_provenance(const sh_report_run *run);

/* The run's model card (run->r->model_card, not NULL): name, version,
 * package, licence, training data as stated (said plainly when not
 * stated), training datasets and any withdrawn among them, the card's
 * digest and every file with its purpose. */
sh_table *sh_table_model_card(const sh_report_run *run);

/* The service description a run's engine answered through (its path and
 * SHA-256) and each line of the engine's own provenance, in its order;
 * for a run where sh_report_has_service. */
sh_table *sh_table_service(const sh_report_run *run);

/* 1 when r records a service description or an engine's provenance. */
int sh_report_has_service(const sh_results *r);

/* 1 when a model card's training_data says the data is not stated (it
 * begins "not stated", any case), else 0; NULL is 0. */
int sh_report_not_stated(const char *training_data);

/* Every group at the k-th target: FTE, FNMR and FMR with intervals and
 * counts, marking small groups. */
sh_table *sh_table_groups(const sh_report_run *run, size_t k,
                                  const sh_report_style *st);

/* The differential summaries of every partition and target. */
sh_table *sh_table_summaries(const sh_report_run *run);

/* Each group's accuracy over the pair list's folds (RFW's protocol):
 * mean, SD, SE and range (/verification/fold_accuracy). */
sh_table *sh_table_folds(const sh_report_run *run);

/* Each group's equal error rate and its threshold. */
sh_table *sh_table_eer(const sh_report_run *run);

/* Verification: each group's score means and SDs, d', AUC, ZeroFMR and
 * ZeroFNMR (/verification/scores). */
sh_table *sh_table_scores(const sh_report_run *run);

/* One partition's cross-group FMR matrix at the k-th target. */
sh_table *sh_table_matrix(const sh_report_run *run, const sh_vmatrix *m, size_t k);

/* The criteria verdicts: the bound each rule tested, its value and limit,
 * and the estimate with its interval; a note says what the bounds mean. */
sh_table *sh_table_criteria(const sh_report_run *run);

/* BFW's layout: every group's own threshold at each target, its FNMR and
 * FMR there, beside its FNMR and FMR at the global threshold. */
sh_table *sh_table_group_thresholds(const sh_report_run *run);

/* NIST IR 8280's relative rates: each group's FNMR and FMR over its
 * partition's reference group's (groups.reference), at every point. */
sh_table *sh_table_ratios(const sh_report_run *run);

/* 1 when v holds rates relative to a reference group. */
int sh_report_has_ratios(const sh_vresults *v);

/* The tests of equal rates across each partition's groups, at every point:
 * the chi-square and bootstrap p-values, and the pairs that differ after
 * Holm's adjustment. */
sh_table *sh_table_tests(const sh_report_run *run);

/* 1 when v holds an estimable per-group threshold for a group of a
 * partition (not "all"): the reports then show sh_table_group_thresholds. */
int sh_report_has_group_thresholds(const sh_vresults *v);

/* Failure counts by stage and outcome. */
sh_table *sh_table_failures(const sh_report_run *run);

/* NIST layout across runs: two rows per engine, its FNMR and its
 * same-group FMR at its own global threshold for the k-th target, one
 * column per group of `partition` after All. */
sh_table *sh_table_compare(const sh_report_run *runs, size_t n, const char *partition,
                                   size_t k, const sh_report_style *st);

/* RFW's layout across runs: one row per engine, its mean accuracy over
 * folds (and SD) in All and each group of `partition` any run has, then
 * the mean of its group means (RFW's Avg); "-" where a run has none. */
sh_table *sh_table_folds_compare(const sh_report_run *runs, size_t n, const char *partition);

/* Classification: every group's n, errors, error rate with its Wilson
 * interval, missing predictions and share of all errors, in the paper's
 * order (report_order.h); groups with fewer than min_subjects images are
 * marked. */
sh_table *sh_table_classification(const sh_report_run *run,
                                          const sh_report_style *st);

/* Classification: each partition's differential summaries with their
 * bootstrap intervals, and the tests that its error rates are equal. */
sh_table *sh_table_class_summaries(const sh_report_run *run);

/* Classification: TPR, FPR and PPV of every class within every group. */
sh_table *sh_table_class_rates(const sh_report_run *run);

/* Gender Shades layout across runs: one row per classification run, its
 * error rate in All and in every group of every partition, in the paper's
 * order (report_order.h); runs without classification results are left
 * out. NULL when none has them. */
sh_table *sh_table_gender_shades(const sh_report_run *runs, size_t n,
                                         const sh_report_style *st);

/* Identification: every group's FNIR and FPIR at the k-th target FPIR,
 * with Wilson intervals and counts, marking small groups. */
sh_table *sh_table_identification(const sh_report_run *run, size_t k,
                                          const sh_report_style *st);

/* Identification: every group's rank-1, rank-5, rank-10 and rank-L
 * identification rates (CMC), with the mated search counts. */
sh_table *sh_table_cmc(const sh_report_run *run);

/* A row naming a partition, its other cells empty, above its groups. */
void sh_report_partition_row(sh_table *t, const char *partition);

/* Appends to the interval's name (iname, cap bytes) why some rates have
 * none, when `unbounded`: the bootstrap's minimum of subjects. */
void sh_report_unbounded_words(char *iname, size_t cap, int unbounded);

/* The note under a group table: the interval, and what '*' marks. */
void sh_report_small_note(sh_table *t, int any_small, const sh_report_style *st,
                              const char *iname);

/* The partitions of v in report order, "all" first, each once; at most cap. */
size_t sh_report_partitions(const char **out, size_t cap, const sh_vresults *v);

/* The side-by-side tables of several runs: the Gender Shades layout when
 * any run has classification results, then sh_table_compare for every
 * partition (but "all") and target of the first verification run, then
 * sh_table_folds_compare for each partition any run has folds of. Fills
 * out with at most cap tables (NULL where one could not be built) and
 * returns how many. */
size_t sh_report_comparison(sh_table **out, size_t cap, const sh_report_run *runs,
                                size_t n, const sh_report_style *st);

/* The verification results of the first run that has them, or NULL. */
const sh_vresults *sh_report_first_verification(const sh_report_run *runs, size_t n);

/* The mark of an interval that does not contain its estimate. */
#define SH_REPORT_OUTSIDE "\u2020"

/* 1 when r, lo and hi are numbers and r lies outside [lo, hi]. */
int sh_report_outside(double r, double lo, double hi);

/* "rate [lo,hi]" of a rate and its bounds ("n/a" for NaN), marked
 * SH_REPORT_OUTSIDE when the interval does not contain the rate; returns
 * 1 then. The interval a run's report shows: bootstrap when it has
 * replicates, else Wilson. */
int sh_report_rate(char *out, size_t size, double r, double lo, double hi);

/* Adds the footnote that explains SH_REPORT_OUTSIDE to t when any is 1. */
void sh_report_outside_note(sh_table *t, int any);

/* Adds to t's note what a rule's bound (value, upper, lower) means. */
void sh_report_bound_note(sh_table *t);
void sh_report_fnmr_bounds(const sh_vresults *v, const sh_vgroup *g, double *lo,
                               double *hi);
void sh_report_fmr_bounds(const sh_vresults *v, const sh_vgroup *g, double *lo,
                              double *hi);

/* The name of the interval shown, e.g. "95% subject-bootstrap". */
void sh_report_interval_name(char *out, size_t size, const sh_vresults *v);

#endif
