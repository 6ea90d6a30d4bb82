/* The tables of a report, built once from results files and printed in
 * any format (report_table.h). Every builder returns a new table the
 * caller destroys, or NULL when out of memory. */
#ifndef SHADES_RESULTS_REPORT_TABLES_H
#define SHADES_RESULTS_REPORT_TABLES_H

#include <stddef.h>

#include "h5_write.h"
#include "report_table.h"

/* One results file as a report sees it. */
typedef struct shades_report_run {
    const shades_results *r;
    const char *path;
    const char *label;        /* "engine version", made unique across runs */
} shades_report_run;

/* How estimates are marked: a group is marked '*' when its too_small
 * field says the run left it out (fewer subjects than groups.min_subjects). */
typedef struct shades_report_style {
    unsigned min_subjects;    /* the (first) run's groups.min_subjects, for the notes */
    int mixed;                /* the runs' min_subjects differ */
} shades_report_style;

/* One row per run: engine, run name, size, creation time, criteria. */
shades_table *shades_table_runs(const shades_report_run *runs, size_t n);

/* Where a run came from: config, library and manifest digests, build. */
shades_table *shades_table_provenance(const shades_report_run *run);

/* Every group at the k-th target: FTE, FNMR and FMR with intervals and
 * counts, marking small groups. */
shades_table *shades_table_groups(const shades_report_run *run, size_t k,
                                  const shades_report_style *st);

/* The differential summaries of every partition and target. */
shades_table *shades_table_summaries(const shades_report_run *run);

/* Each group's equal error rate and its threshold. */
shades_table *shades_table_eer(const shades_report_run *run);

/* One partition's cross-group FMR matrix at the k-th target. */
shades_table *shades_table_matrix(const shades_report_run *run, const shades_vmatrix *m, size_t k);

/* The criteria verdicts. */
shades_table *shades_table_criteria(const shades_report_run *run);

/* Failure counts by stage and outcome. */
shades_table *shades_table_failures(const shades_report_run *run);

/* NIST layout across runs: two rows per engine, its FNMR and its
 * same-group FMR at its own global threshold for the k-th target, one
 * column per group of `partition` after All. */
shades_table *shades_table_compare(const shades_report_run *runs, size_t n, const char *partition,
                                   size_t k, const shades_report_style *st);

/* Classification: every group's n, errors, error rate with its Wilson
 * interval, missing predictions and share of all errors; groups with
 * fewer than min_subjects images are marked. */
shades_table *shades_table_classification(const shades_report_run *run,
                                          const shades_report_style *st);

/* Classification: TPR, FPR and PPV of every class within every group. */
shades_table *shades_table_class_rates(const shades_report_run *run);

/* Gender Shades layout across runs: one row per engine, its error rate in
 * All and in every group of every partition, in the file's order. */
shades_table *shades_table_gender_shades(const shades_report_run *runs, size_t n,
                                         const shades_report_style *st);

/* Identification: every group's FNIR and FPIR at the k-th target FPIR,
 * with Wilson intervals and counts, marking small groups. */
shades_table *shades_table_identification(const shades_report_run *run, size_t k,
                                          const shades_report_style *st);

/* Identification: every group's rank-1, rank-5, rank-10 and rank-L
 * identification rates (CMC), with the mated search counts. */
shades_table *shades_table_cmc(const shades_report_run *run);

/* A row naming a partition, its other cells empty, above its groups. */
void shades_report_partition_row(shades_table *t, const char *partition);

/* The note under a group table: the interval, and what '*' marks. */
void shades_report_small_note(shades_table *t, int any_small, const shades_report_style *st,
                              const char *iname);

/* The partitions of v in report order, "all" first, each once; at most cap. */
size_t shades_report_partitions(const char **out, size_t cap, const shades_vresults *v);

/* The side-by-side tables of several runs: the Gender Shades layout when
 * any run has classification results, then shades_table_compare for every
 * partition (but "all") and target of the first verification run. Fills
 * out with at most cap tables (NULL where one could not be built) and
 * returns how many. */
size_t shades_report_comparison(shades_table **out, size_t cap, const shades_report_run *runs,
                                size_t n, const shades_report_style *st);

/* The verification results of the first run that has them, or NULL. */
const shades_vresults *shades_report_first_verification(const shades_report_run *runs, size_t n);

/* "rate [lo,hi]" of a rate and its bounds ("n/a" for NaN), and the
 * interval a run's report shows: bootstrap when it has replicates, else
 * Wilson. */
void shades_report_rate(char *out, size_t size, double r, double lo, double hi);
void shades_report_fnmr_bounds(const shades_vresults *v, const shades_vgroup *g, double *lo,
                               double *hi);
void shades_report_fmr_bounds(const shades_vresults *v, const shades_vgroup *g, double *lo,
                              double *hi);

/* The name of the interval shown, e.g. "95% subject-bootstrap". */
void shades_report_interval_name(char *out, size_t size, const shades_vresults *v);

#endif
