/* The run configuration, read from YAML with libcyaml. docs/config.md
 * describes every field. */
#ifndef SH_HARNESS_CONFIG_H
#define SH_HARNESS_CONFIG_H

#include <stdbool.h>
#include <stdint.h>

#include "criteria.h"
#include "error.h"
#include "groups.h"
#include "verification.h"


/* run: identity and reproducibility of the run. */
typedef struct sh_cfg_run {
    char *name;
    uint64_t seed;
    unsigned threads;      /* run.threads, 1 if unset */
    double confidence;     /* run.confidence (two-sided, for every interval), 0.95 if unset */
    unsigned *bootstrap;   /* subject-bootstrap replicates; NULL: 1000 */
#define SH_MAX_BOOTSTRAP 100000 /* most replicates a config may ask for */
    /* as the file gives them, NULL where it does not: an explicit 0 is an
     * error, not the default */
    unsigned *threads_given;
    double *confidence_given;
} sh_cfg_run;

/* dataset: the manifest and its card, resolved against the config's
 * directory. */
typedef struct sh_cfg_dataset {
    char *manifest;
    char *card;            /* dataset card (docs/datasets.md), or NULL */
    char *root;            /* folder image paths are relative to, or NULL: the
                            * card's root, else the manifest's directory */
    bool allow_outside_root; /* image paths may leave the manifest's directory */
} sh_cfg_dataset;

/* A scores file for replay: one score per (reference, probe) pair. */
typedef struct sh_cfg_scores {
    char *file;            /* resolved */
    char *reference;       /* column names; defaults reference_id, probe_id, score */
    char *probe;
    char *score;
} sh_cfg_scores;

/* A predictions file for replay: one predicted class per image. */
typedef struct sh_cfg_predictions {
    char *file;            /* resolved */
    char *image;           /* column names; defaults image_id, predicted */
    char *predicted;
    char *confidence;      /* NULL: the column "confidence" if the file has one */
} sh_cfg_predictions;

/* Candidate lists for 1:N replay, in NIST's 1:N layout (docs/datasets.md). */
typedef struct sh_cfg_candidates {
    char *file;            /* resolved */
    char *gallery;         /* resolved CSV of the enrolled images' ids, or NULL: the
                            * gallery the run's seed and holdout draw */
} sh_cfg_candidates;

/* The engine option engine.service gives: "service=<the description's
 * absolute path>"; a config may not set it as an option itself. */
#define SH_SERVICE_OPTION "service"

/* The adapter name that reads existing outputs instead of running an engine. */
#define SH_REPLAY "replay"

/* engine: which adapter and what it is told, or (adapter: replay) which
 * files stand in for it. */
typedef struct sh_cfg_engine {
    char *adapter;         /* built-in name, library path, or "replay" */
    char *config_dir;      /* resolved, or NULL */
    char **options;        /* "key=value" strings */
    unsigned options_count;
    char *model_card;      /* the model set's card (docs/models.md), resolved, or NULL */
    char *service;         /* the service description of an engine that sends images to
                            * a third party (docs/config.md), resolved, or NULL */
    sh_cfg_scores *scores;           /* replay, verification */
    sh_cfg_predictions *predictions; /* replay, classification */
    sh_cfg_candidates *candidates;   /* replay, identification */
} sh_cfg_engine;

/* The file a replay reads in place of an engine (its scores, predictions or
 * candidate lists), or NULL when the engine is not replay. */
const char *sh_config_replayed(const sh_cfg_engine *e);

/* groups: derived attributes and the partitions reported. */
typedef struct sh_cfg_groups {
    sh_group_derived *derived;
    unsigned derived_count;
    char **partitions;     /* "attr" or "attr x attr ..." */
    unsigned partitions_count;
    unsigned min_subjects; /* groups with fewer are too small to estimate */
    sh_group_reference *reference; /* per partition, the group the others'
                                    * rates are divided by (verification) */
    unsigned reference_count;
} sh_cfg_groups;


/* verification: pairs and operating points. Present when an operating
 * point is: a target FMR, a target FNMR or a fixed threshold. */
typedef struct sh_cfg_verification {
    sh_pair_list *pairs; /* explicit pair list, or NULL: pairs generated */
    char *impostors;       /* "all" or "sample" (generated pairs) */
    uint64_t impostor_sample;
    double *target_fmr;
    unsigned target_fmr_count;
    double *target_fnmr;   /* thresholds where the overall FNMR is the target */
    unsigned target_fnmr_count;
    double *fixed_threshold; /* thresholds given as they are (a vendor's default) */
    unsigned fixed_threshold_count;
    double *alpha;         /* weight on FMR in GARBE, FDR, inequity; NULL: 0.5 */
    bool impostor_moments; /* exact impostor means and SDs (and d'): pass 1 costs more */
} sh_cfg_verification;

/* identification: gallery, searches and operating points. */
typedef struct sh_cfg_identification {
    double holdout;        /* share of subjects kept out of the gallery; 0.2 if unset */
    unsigned candidates;   /* candidate list length; 20 if unset */
    double *target_fpir;
    unsigned target_fpir_count;
} sh_cfg_identification;

/* The dataset labels an engine's sex estimates stand for. */
typedef struct sh_cfg_engine_labels {
    char *female;          /* default "F" */
    char *male;            /* default "M" */
} sh_cfg_engine_labels;

/* classification: which attribute is predicted and its classes. */
typedef struct sh_cfg_classification {
    char *attribute;       /* a manifest column or derived attribute */
    char **classes;        /* in report order; NULL: the attribute's values */
    unsigned classes_count;
    sh_cfg_engine_labels engine_labels; /* engines only (not replay) */
} sh_cfg_classification;

/* The protocol a run follows: whichever section the config has. */
typedef enum sh_protocol {
    SH_PROTOCOL_VERIFICATION = 1,
    SH_PROTOCOL_IDENTIFICATION = 2,
    SH_PROTOCOL_CLASSIFICATION = 3
} sh_protocol;


/* What output.export may name: the tables a third party needs to recompute
 * the measures, written only when asked (docs/config.md). */
#define SH_EXPORT_ROC 1u         /* verification: every group's exact ROC points */
#define SH_EXPORT_CANDIDATES 2u  /* identification: gallery, searches, candidate lists */

/* output: where the results file goes, resolved. */
typedef struct sh_cfg_output {
    char *results;
    char *checkpoint;      /* NULL: the results path plus ".checkpoint" */
    char **export;         /* names as written; see exports */
    unsigned export_count;
    unsigned exports;      /* SH_EXPORT_* bits, set by validation */
} sh_cfg_output;

/* The parsed configuration. Created by sh_config_load, freed by
 * sh_config_destroy; read-only afterwards, so threads may share it. */
typedef struct sh_config {
    sh_cfg_run run;
    sh_cfg_dataset dataset;
    sh_cfg_engine engine;
    sh_cfg_groups groups;
    sh_cfg_verification verification;
    sh_cfg_identification *identification;
    sh_cfg_classification *classification;
    sh_protocol protocol;
    sh_cfg_output output;
    sh_criterion *criteria;
    unsigned criteria_count;
    char *path;            /* the config file */
    char *text;            /* its full text, recorded in the results */
} sh_config;

/* Loads and validates path. On failure *out is NULL and err names the file,
 * line and field. */
int sh_config_load(sh_config **out, const char *path, sh_err *err);

/* The line of `key` in top-level `section` of the config's text (of the
 * section itself when key is NULL), or 0: for errors found after loading. */
unsigned sh_config_line(const sh_config *config, const char *section, const char *key);

/* As sh_config_line for the nth `key` (from 0) in section. */
unsigned sh_config_line_nth(const sh_config *config, const char *section,
                                const char *key, unsigned nth);

/* Frees a config from sh_config_load; NULL is allowed. */
void sh_config_destroy(sh_config *config);

/* The engine options as the "key=value\n" text handed to the adapter;
 * caller frees. */
char *sh_config_engine_options(const sh_config *config);

/* The small option structs the floors below take, borrowing from config
 * (which must outlive them). */
void sh_config_groups_spec(sh_groups_spec *out, const sh_config *config);
void sh_config_pairs_spec(sh_pairs_spec *out, const sh_config *config);
void sh_config_criteria_spec(sh_criteria_spec *out, const sh_config *config);

/* Most operating points a verification section lists: 64 of each kind. */
#define SH_CONFIG_POINTS_MAX (3 * 64)

/* The verification section's operating points in table order: its target
 * FMRs, then target FNMRs, then fixed thresholds, each in config order.
 * Returns how many were written to out. */
size_t sh_config_points(sh_vpoint out[SH_CONFIG_POINTS_MAX], const sh_config *config);

/* Part of sh_config_load (config_groups.c): refuses, naming the config
 * line, a partition listed twice, an intersection of more than
 * SH_MAX_FACTORS factors or naming one twice, a derived attribute defined
 * twice or with a label twice, and a map that lists one value under two
 * labels. Records each derived attribute's line. */
int sh_config_check_groups(sh_config *c, sh_err *err);

#endif
