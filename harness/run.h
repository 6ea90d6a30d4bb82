/* One verification run from a config file to a results file. */
#ifndef SH_HARNESS_RUN_H
#define SH_HARNESS_RUN_H

#include <stdio.h>

#include "error.h"
#include "guard.h"
#include "progress.h"
#include "ranks.h"
#include "results.h"
#include "sandbox.h"
#include "verification_measures.h"

/* Overrides from the command line; zero means "as the config says". */
typedef struct sh_run_options {
    unsigned threads;
    FILE *report;              /* where the table goes; NULL for none */
    FILE *progress;            /* where progress goes (stderr); NULL for none */
    sh_progress_mode progress_mode;
    int isolate;               /* engine calls in worker processes (--isolate) */
    unsigned call_timeout_ms;  /* longest engine call; 0: SH_CALL_TIMEOUT_MS */
    int resume;                /* continue from the checkpoint a killed run left (--resume) */
    int keep_checkpoint;       /* keep the checkpoint after a complete run */
    int no_checkpoint;         /* write no checkpoint (--no-checkpoint) */
    sh_sandbox_policy sandbox; /* isolated workers' user and limits (--isolate-*) */
    const char *sign_key;      /* private key that signs the results file (--sign) */
    const char *results_path;  /* write here, not to the config's output.results (rerun) */
    const char *expect_from;   /* a results file whose adapter and manifest the run must */
    const char *expect_adapter_sha256;  /* have (rerun): refused before any engine call */
    const char *expect_manifest_sha256; /* when either differs */
    const char *expect_images_merkle_root; /* the images' root the file records ("" none):
                                            * refused when the images here give another */
    const sh_model_file *expect_model_files; /* and when one of these differs or is */
    size_t n_expect_model_files;              /* missing (engine runs) */
    const char *expect_model_card_sha256;     /* or the model card is another ("": none) */
    const char *expect_service_sha256;        /* or the service description ("": none) */
    sh_ranks *ranks;           /* the MPI ranks this process is one of; NULL: one process */
} sh_run_options;

/* Runs config_path end to end and writes its results file (rank 0 of
 * opts->ranks writes; every rank returns the same status, except that where
 * one failed the others return SH_E_ELSEWHERE and only it names the rank,
 * host and cause). *out (may be
 * NULL) receives the measures, owned by the caller. Returns 0 when every
 * criterion passed (or there are none), 1 when one failed (the results are
 * written either way), or a negative code with err set, and then nothing
 * is written. */
int sh_run(sh_vresults **out, const char *config_path, const sh_run_options *opts,
               sh_err *err);

/* For a supervising parent (supervise.h): the items of config_path's
 * manifest as the guard names them; *out_owner goes to
 * sh_run_guard_items_release. Returns 0, or nonzero when the config or
 * its manifest does not load. */
int sh_run_guard_items_load(sh_guard_items *out, void **out_owner, void *config_path);
void sh_run_guard_items_release(void *owner);

#endif
