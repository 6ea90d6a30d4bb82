/* What a run holds while it runs, shared by run.c (the common steps and
 * the results file) and run_protocols.c (the three protocols). Internal to
 * the harness. */
#ifndef SHADES_HARNESS_RUN_STATE_H
#define SHADES_HARNESS_RUN_STATE_H

#include "card.h"
#include "checkpoint.h"
#include "classification_results.h"
#include "config.h"
#include "criteria.h"
#include "failures.h"
#include "groups.h"
#include "identification_results.h"
#include "instance.h"
#include "manifest.h"
#include "progress.h"
#include "repeat_check.h"
#include "runner.h"
#include "sha256.h"
#include "verification.h"
#include "verification_measures.h"

/* Everything a run holds, released in one place (run_state_free). */
typedef struct run_state {
    shades_config *config;
    shades_manifest *manifest;
    shades_card *card;
    shades_groups *groups;
    shades_instance *inst;         /* NULL for replay */
    shades_progress *progress;
    shades_checkpoint *checkpoint; /* NULL for replay and --no-checkpoint */
    char manifest_sha[SHADES_SHA256_HEX];
    char warning[2048];            /* withdrawn datasets the card names */
    unsigned threads;              /* the engine's share of the run's threads, or the run's */
    const int32_t *outcome;        /* per item: template outcome, the templates' or no_failures */
    int32_t *no_failures;          /* all OK, for replay, which makes no templates */
    shades_templates *templates;
    int32_t *estimate_outcome;     /* classification by an engine: per item */
    uint8_t *no_prediction;        /* classification: per item, 1 when no class came back */
    shades_failures *failures;
    /* verification */
    shades_pairs *pairs;
    double *genuine, *impostor;
    uint8_t *genuine_faults, *impostor_faults; /* isolated runs: shades_fault per pair */
    shades_repeat repeat;          /* engine runs: pairs scored again */
    shades_vresults *vresults;
    shades_verdict *verdicts;
    /* identification */
    shades_iresults *iresults;
    /* classification */
    shades_cresults *cresults;
} run_state;

/* The protocols: each leaves its results in s or fails with err set. */
int shades_run_verification(run_state *s, shades_err *err);
int shades_run_identification(run_state *s, shades_err *err);
int shades_run_classification(run_state *s, shades_err *err);

#endif
