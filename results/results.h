/* The results model: what one run's results file holds, its run info and
 * its tables. The harness fills it, store/ writes and reads it, report/
 * prints it; none of them needs another's headers for it. */
#ifndef SH_RESULTS_RESULTS_H
#define SH_RESULTS_RESULTS_H

#include <stddef.h>
#include <stdint.h>

#include "classification_results.h"
#include "criteria.h"
#include "error.h"
#include "failures.h"
#include "identification_results.h"
#include "verification_tables.h"

/* What a run's results file records of the run (run_info.def). Strings
 * are borrowed where the caller fills it for writing, owned where
 * sh_results_create's result is filled (by the reader). */
typedef struct sh_run_info {
#define SH_RUN_TEXT(member, name, since) char *member;
#define SH_RUN_COUNT(member, name, since)
#include "run_info.def"
#undef SH_RUN_TEXT
#undef SH_RUN_COUNT
#define SH_RUN_TEXT(member, name, since)
#define SH_RUN_COUNT(member, name, since) uint64_t member;
#include "run_info.def"
#undef SH_RUN_TEXT
#undef SH_RUN_COUNT
} sh_run_info;

/* A file an engine run's model may be read from (docs/attestation.md):
 * its absolute path, SHA-256 (hex) and size. */
typedef struct sh_model_file {
    char path[1024];
    char sha256[65];
    uint64_t bytes;
} sh_model_file;

/* One file a run's model card lists (/engine/model_card/files, schema
 * 1.7): its path in the card's folder, SHA-256 (hex) and purpose. */
typedef struct sh_model_card_file {
    char path[256];
    char sha256[65];
    char purpose[512];
} sh_model_card_file;

/* The model card a run was pinned to (model_card_fields.def) and its
 * files. Strings and files are borrowed where the harness fills it for
 * writing, owned where the reader fills it. */
typedef struct sh_model_card_info {
#define SH_MODEL_CARD_TEXT(member, name, since) char *member;
#include "model_card_fields.def"
#undef SH_MODEL_CARD_TEXT
    size_t n_files;
    sh_model_card_file *files;
} sh_model_card_info;

/* The service description a run's engine answered through
 * (engine.service, service_fields.def; schema 1.8). Strings borrowed
 * where the harness fills it for writing, owned where the reader fills
 * it. */
typedef struct sh_service_info {
#define SH_SERVICE_TEXT(member, name, since) char *member;
#include "service_fields.def"
#undef SH_SERVICE_TEXT
} sh_service_info;

/* Most lines an engine's provenance may have, and the longest key and
 * value (bytes, with the NUL) a line may hold. */
#define SH_PROVENANCE_LINES_MAX 64
#define SH_PROVENANCE_KEY_MAX 64
#define SH_PROVENANCE_VALUE_MAX 1024

/* One line of what an engine says of where its answers came from
 * (shades.provenance/1; a row of /engine/provenance, schema 1.8). */
typedef struct sh_provenance_pair {
    char key[SH_PROVENANCE_KEY_MAX];
    char value[SH_PROVENANCE_VALUE_MAX];
} sh_provenance_pair;

/* Everything a results file holds: verification, identification or
 * classification results (the others NULL), the criteria's verdicts and
 * the failures. The writer borrows it; one from sh_results_create owns
 * everything and is freed with sh_results_destroy. */
typedef struct sh_results {
    sh_run_info info;
    sh_vresults *verification;
    sh_cresults *classification;
    sh_iresults *identification;
    size_t n_verdicts;
    sh_verdict *verdicts;
    sh_failures *failures;
    int has_model_files; /* an engine run (schema 1.5): /engine/model_files is written */
    size_t n_model_files;
    sh_model_file *model_files;
    sh_model_card_info *model_card; /* engine.model_card (schema 1.7), or NULL: none */
    sh_service_info *service;       /* engine.service (schema 1.8), or NULL: none */
    int has_provenance;   /* the engine offered shades.provenance/1 (schema 1.8) */
    size_t n_provenance;  /* its lines, in the engine's order */
    sh_provenance_pair *provenance;
} sh_results;

/* An empty results that will own what is put in it. */
int sh_results_create(sh_results **out, sh_err *err);

/* Frees r and everything it owns; NULL is allowed. */
void sh_results_destroy(sh_results *r);

/* The minor version of a schema_version "major.minor" (0 for NULL or no
 * dot): what a file of it has, by each object's "since". */
int sh_results_schema_minor(const char *version);

#endif
