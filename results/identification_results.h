/* 1:N identification results of a run (NIST IR 8271 terms): FNIR and FPIR
 * per group at exact global thresholds for target FPIRs, and CMC ranks, as
 * the rows of the /identification tables. */
#ifndef SH_RESULTS_IDENTIFICATION_RESULTS_H
#define SH_RESULTS_IDENTIFICATION_RESULTS_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "groups.h"
#include "identification_measures.h"
#include "manifest.h"
#include "verification_tables.h"

/* Overall rates at one target FPIR; one row of /identification/thresholds. */
typedef struct sh_ithreshold {
    double target_fpir;
    int32_t estimable;          /* 0: too few non-mated searches for this target */
    double threshold;           /* NaN when not estimable */
    uint64_t n_nonmated, n_false_positive;
    double fpir;
    uint64_t n_mated, n_miss;
    double fnir;                /* FNIR(N, L, T), L the candidate list length */
} sh_ithreshold;

/* One group at one target FPIR; one row of /identification/groups. Mated
 * searches count towards the group of the searched subject's image, as do
 * non-mated ones. */
typedef struct sh_igroup {
    char partition[SH_NAME_MAX];
    char group[SH_NAME_MAX];
    double target_fpir;
    double threshold;           /* the global threshold */
    uint64_t n_mated, n_miss;
    double fnir, fnir_wilson_lo, fnir_wilson_hi, fnir_cp_lo, fnir_cp_hi;
    uint64_t n_nonmated, n_false_positive;
    double fpir, fpir_wilson_lo, fpir_wilson_hi, fpir_cp_lo, fpir_cp_hi;
    int32_t too_small;          /* fewer subjects than groups.min_subjects */
} sh_igroup;

/* One rank of one group's CMC; one row of /identification/cmc. */
typedef struct sh_icmc {
    char partition[SH_NAME_MAX];
    char group[SH_NAME_MAX];
    uint64_t rank;              /* 1 .. L */
    uint64_t n_mated, n_hit;    /* searches with the mate at this rank or better */
    double rate;                /* n_hit / n_mated, regardless of score */
} sh_icmc;

/* What a third party needs to recompute every identification measure by
 * brute force (output.export: candidates): the gallery, each search and its
 * candidate list, written to /identification/gallery, /searches and
 * /candidates. Arrays owned; the manifest borrowed for the ids (it
 * outlives the write). */
typedef struct sh_iexport {
    const sh_manifest *m;
    size_t n_gallery;
    uint32_t *gallery;          /* the image each slot enrols */
    size_t n_searches;          /* the mated searches, then the non-mated */
    uint32_t *item;             /* each search's probe image */
    uint32_t *mate;             /* its mate's slot; UINT32_MAX when non-mated */
    size_t length;              /* candidates a search (L) */
    double *score;              /* n_searches x length, best first; -inf pads */
    uint32_t *slot;             /* each candidate's slot; UINT32_MAX pads */
} sh_iexport;

/* Frees x; NULL is allowed. */
void sh_iexport_destroy(sh_iexport *x);

/* Everything measured for identification; owned by the caller. */
typedef struct sh_iresults {
    double confidence;
    uint64_t n_gallery, candidates, n_holdout;
    size_t n_thresholds;
    sh_ithreshold *thresholds;
    size_t n_groups;
    sh_igroup *groups;      /* "all" first, then by partition, group, target */
    size_t n_cmc;
    sh_icmc *cmc;           /* by partition, group, then rank */
    sh_iexport *export;     /* owned; NULL unless exported by this run */
    uint64_t n_exported;    /* searches in /identification/searches (0: none) */
} sh_iresults;

/* The searches of a run: which items searched, and what they found. */
typedef struct sh_isearches {
    size_t n_mated;
    const uint32_t *mated_item;          /* the probe image of each mated search */
    const sh_mated_search *mated;    /* its mate's rank and score */
    size_t n_nonmated;
    const uint32_t *nonmated_item;
    const double *nonmated_top;          /* best candidate score, -inf: none */
} sh_isearches;

/* Measures every group of g (and "all") at each target FPIR. */
int sh_identification_results(sh_iresults **out, const sh_groups *g,
                                   const sh_isearches *s, const double *targets,
                                   size_t n_targets, uint64_t n_gallery, uint64_t candidates,
                                   double confidence, sh_err *err);

/* Frees r; NULL is allowed. */
void sh_iresults_destroy(sh_iresults *r);

#endif
