/* What a run holds while it runs, shared by run.c (the common steps and
 * the results file) and run_protocols.c (the three protocols). Internal to
 * the harness. */
#ifndef SH_HARNESS_RUN_STATE_H
#define SH_HARNESS_RUN_STATE_H

#include <limits.h>

#include "card.h"
#include "checkpoint.h"
#include "classification_results.h"
#include "config.h"
#include "criteria.h"
#include "failures.h"
#include "executor.h"
#include "groups.h"
#include "guard.h"
#include "identification_results.h"
#include "instance.h"
#include "manifest.h"
#include "model_card.h"
#include "progress.h"
#include "ranks.h"
#include "repeat_check.h"
#include "results.h"
#include "runner.h"
#include "service.h"
#include "sha256.h"
#include "sign_key.h"
#include "verification.h"
#include "verification_measures.h"

/* Everything a run holds, released in one place (run_state_free). */
typedef struct run_state {
    sh_config *config;
    sh_manifest *manifest;
    sh_card *card;
    sh_groups *groups;
    sh_instance *inst;         /* NULL for replay */
    int engine_stdout;         /* stdout's own descriptor while an in-process engine has
                                  stdout pointed at stderr (run.c); -1 otherwise */
    sh_progress *progress;
    sh_checkpoint *checkpoint; /* NULL for replay and --no-checkpoint */
    sh_guard_items guard_items; /* the manifest's items, as the in-process guard names them */
    char manifest_sha[SH_SHA256_HEX];
    char results_path[PATH_MAX];   /* where the results file is written (run_outputs.h) */
    sh_key *sign_key;              /* signs the results file (--sign); NULL: unsigned */
    char warning[2048];            /* withdrawn datasets the card names */
    unsigned threads;              /* the engine's share of the run's threads, or the run's */
    sh_executor *executor;         /* of `threads` threads: every parallel stage runs on it */
    sh_ranks *ranks;               /* the run's MPI ranks (borrowed); NULL: one process */
    char *rank_hosts;              /* each rank's host, in rank order, comma-separated */
    uint64_t totals[3];            /* over every rank: checkpoint blocks restored, found
                                      and saved (run.c, sum_over_ranks) */
    const int32_t *outcome;        /* per item: template outcome, the templates' or no_failures */
    int32_t *no_failures;          /* all OK, for replay, which makes no templates */
    sh_templates *templates;
    int32_t *estimate_outcome;     /* classification by an engine: per item */
    uint8_t *no_prediction;        /* classification: per item, 1 when no class came back */
    sh_failures *failures;
    /* verification */
    sh_pairs *pairs;
    double *genuine, *impostor;
    uint8_t *genuine_faults, *impostor_faults; /* calls that may fault: sh_fault per pair */
    sh_repeat repeat;          /* engine runs: pairs scored again */
    sh_vresults *vresults;
    char replay_reads[96];     /* replay of all pairs: how often the file was read; "" */
    uint32_t *no_score;        /* replay of all pairs: the verify image of each
                                * impostor pair without a score, in no set order */
    size_t n_no_score;
    sh_verdict *verdicts;
    /* identification */
    sh_iresults *iresults;
    /* classification */
    sh_cresults *cresults;
    sh_model_file *model_files; /* engine runs: /engine/model_files */
    size_t n_model_files;
    sh_model_card *model_card;  /* engine.model_card, its files checked; or NULL */
    char model_warning[2048];   /* withdrawn datasets the model card names; "" none */
    int has_service;            /* engine.service: the description, checked */
    sh_service service;
    int has_provenance;         /* the engine offered shades.provenance/1 */
    sh_provenance_pair *provenance; /* its lines, after the last engine call */
    size_t n_provenance;
} run_state;

/* Rows of declared embeddings' impostor tiles and probes of their searches'
 * blocks, as a run uses them and its checkpoint records them: the defaults
 * (SH_EMBEDDING_BLOCK, SH_SEARCH_BLOCK), or for both SHADES_EMBEDDING_BLOCK,
 * which tests/mpi_runs.sh sets small so a small cohort has blocks for every
 * rank. A value past 4096 rows (whose scratch could overflow its size) or
 * not a number leaves the defaults. */
void sh_run_tiles(size_t *out_rows, size_t *out_probes);

/* The protocols: each leaves its results in s or fails with err set. */
int sh_run_verification(run_state *s, sh_err *err);
int sh_run_identification(run_state *s, sh_err *err);
int sh_run_classification(run_state *s, sh_err *err);

#endif
