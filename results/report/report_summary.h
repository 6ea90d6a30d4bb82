/* The summary panel at the top of every report (text, Markdown, HTML):
 * for each run the criteria verdict, each failed rule in one sentence,
 * the worst differential per partition and target, failure to enrol above
 * a set share, accuracy over folds, a warning where the scores look like
 * distances, the dataset card's warning and the model card's, and a
 * line when the model card does not state its training data
 * (report_summary.c); and,
 * when several runs are set side by side, what differs among them
 * (manifests, cards, model cards, group definitions, targets) and their
 * verdicts rule
 * by rule (report_compare.c). Built once, printed by each format its own
 * way. */
#ifndef SH_RESULTS_REPORT_REPORT_SUMMARY_H
#define SH_RESULTS_REPORT_REPORT_SUMMARY_H

#include <stddef.h>

#include "report_table.h"
#include "report_tables.h"

/* A group's FTE above this share is named in the summary (5%). */
#define SH_SUMMARY_FTE_SHARE 0.05

/* The words the summary says for a run without criteria. */
#define SH_SUMMARY_NO_CRITERIA "no criteria set"

/* One run's panel. Owns its strings and table; sh_summary_clear frees.
 * Every string (and the worst table's cells) is one line of printable text
 * (sh_utf8_printable_dup). */
typedef struct sh_summary {
    char *label;            /* the run's label; NULL once cleared */
    char *run_name;         /* the run's name */
    const char *verdict;    /* report_verdict.h's word, or NULL: no criteria set */
    char *doubt;            /* why the verdict is ALTERED or CONTRADICTED, or NULL */
    size_t n_rules;         /* the run's rules */
    size_t n_failed;
    char **failed;          /* one sentence per failed rule */
    sh_table *worst;        /* the worst differential per partition and target, or NULL */
    char *fte;              /* groups whose FTE is above SH_SUMMARY_FTE_SHARE, or NULL */
    char *folds;            /* accuracy over folds, lowest and highest group, or NULL */
    char *warning;          /* the card's warning, or "as for <label> above", or NULL */
    char *model_warning;    /* the model card's (withdrawn training data), the same way */
    char *distances;        /* the scores look like distances (sh_vresults_distances), or NULL */
    char *unstated;         /* the model card's training data is not stated, once per card */
    int nomem;              /* an allocation failed: the panel is incomplete */
} sh_summary;

/* The order panels are shown in, into out (n indices into runs): runs
 * that failed their criteria first, then those that passed, then those
 * without criteria, each in the order given, so a failed rule's sentence
 * is on the first screen however many runs come before it. */
void sh_summary_order(size_t *out, const sh_report_run *runs, size_t n);

/* Builds the panel of runs[order[k]]; a run shown earlier (order[0..k-1])
 * with the same card (or model card) warning is named rather than the
 * warning repeated.
 * 0, or -1 when out of memory (out is cleared then). */
int sh_summary_build(sh_summary *out, const sh_report_run *runs, const size_t *order,
                     size_t k);

/* Frees what s owns and zeroes it; a zeroed panel is allowed. */
void sh_summary_clear(sh_summary *s);

/* The differences among n runs that make a side-by-side comparison
 * misleading (manifest, dataset card, model card, service description, group
 * definitions, target FMRs, protocol), one sentence each, into *out
 * (NULL-ended, freed with sh_summary_free_lines). Returns how many, or -1
 * when out of memory. */
int sh_summary_differences(char ***out, const sh_report_run *runs, size_t n);

/* As sh_summary_differences, and kinds[i] (static words, e.g. "manifests";
 * kinds holds at least 8) names what line i is about. */
int sh_summary_differences_named(char ***out, const char **kinds, const sh_report_run *runs,
                                 size_t n);

/* Frees a NULL-ended list of sh_summary_differences. */
void sh_summary_free_lines(char **lines);

/* The runs' criteria verdicts side by side: one row per rule (by name),
 * one column per run; NULL when out of memory. */
sh_table *sh_table_criteria_compare(const sh_report_run *runs, size_t n);

/* 1 when any of the n runs has criteria. */
int sh_summary_any_criteria(const sh_report_run *runs, size_t n);

/* A measure's name in words: "fnmr_max_geomean" is "FNMR max/geomean". */
void sh_summary_measure_words(char *out, size_t size, const char *measure);

#endif
