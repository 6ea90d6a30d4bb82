/* The run configuration, read from YAML with libcyaml. docs/config.md
 * describes every field. */
#ifndef SHADES_HARNESS_CONFIG_H
#define SHADES_HARNESS_CONFIG_H

#include <stdbool.h>
#include <stdint.h>

#include "error.h"

/* One label of a derived attribute and the source values it gathers. */
typedef struct shades_cfg_label {
    char *label;
    char **values;
    unsigned values_count;
} shades_cfg_label;

/* One numeric band [min, below) of a derived attribute. */
typedef struct shades_cfg_band {
    char *label;
    double min;
    double below;
} shades_cfg_band;

/* A derived attribute: labels mapped from values, or numeric bands. */
typedef struct shades_cfg_derived {
    char *name;
    char *from;
    shades_cfg_label *map;
    unsigned map_count;
    shades_cfg_band *bands;
    unsigned bands_count;
    unsigned line;         /* where its name is in the config */
} shades_cfg_derived;

/* run: identity and reproducibility of the run. */
typedef struct shades_cfg_run {
    char *name;
    uint64_t seed;
    unsigned threads;
    double confidence;     /* two-sided, for every interval; 0.95 if unset */
    unsigned *bootstrap;   /* subject-bootstrap replicates; NULL: 1000 */
#define SHADES_MAX_BOOTSTRAP 100000 /* most replicates a config may ask for */
} shades_cfg_run;

/* dataset: the manifest and its card, resolved against the config's
 * directory. */
typedef struct shades_cfg_dataset {
    char *manifest;
    char *card;            /* dataset card (docs/datasets.md), or NULL */
    char *root;            /* folder image paths are relative to, or NULL: the
                            * card's root, else the manifest's directory */
    bool allow_outside_root; /* image paths may leave the manifest's directory */
} shades_cfg_dataset;

/* A scores file for replay: one score per (reference, probe) pair. */
typedef struct shades_cfg_scores {
    char *file;            /* resolved */
    char *reference;       /* column names; defaults reference_id, probe_id, score */
    char *probe;
    char *score;
} shades_cfg_scores;

/* A predictions file for replay: one predicted class per image. */
typedef struct shades_cfg_predictions {
    char *file;            /* resolved */
    char *image;           /* column names; defaults image_id, predicted, confidence */
    char *predicted;
    char *confidence;
} shades_cfg_predictions;

/* The adapter name that reads existing outputs instead of running an engine. */
#define SHADES_REPLAY "replay"

/* engine: which adapter and what it is told, or (adapter: replay) which
 * files stand in for it. */
typedef struct shades_cfg_engine {
    char *adapter;         /* built-in name, library path, or "replay" */
    char *config_dir;      /* resolved, or NULL */
    char **options;        /* "key=value" strings */
    unsigned options_count;
    shades_cfg_scores *scores;           /* replay, verification */
    shades_cfg_predictions *predictions; /* replay, classification */
} shades_cfg_engine;

/* Most factors an intersection partition may have ("a x b x ..."). */
#define SHADES_MAX_FACTORS 8

/* groups: derived attributes and the partitions reported. */
typedef struct shades_cfg_groups {
    shades_cfg_derived *derived;
    unsigned derived_count;
    char **partitions;     /* "attr" or "attr x attr ..." */
    unsigned partitions_count;
    unsigned min_subjects; /* groups with fewer are too small to estimate */
} shades_cfg_groups;

/* An explicit pair list: one comparison per row. */
typedef struct shades_cfg_pairs {
    char *file;            /* resolved */
    char *reference;       /* column names; defaults reference_id, probe_id */
    char *probe;
    char *fold;            /* optional column; NULL: no folds */
} shades_cfg_pairs;

/* verification: pairs and operating points. Present when target_fmr is. */
typedef struct shades_cfg_verification {
    shades_cfg_pairs *pairs; /* explicit pair list, or NULL: pairs generated */
    char *impostors;       /* "all" or "sample" (generated pairs) */
    uint64_t impostor_sample;
    double *target_fmr;
    unsigned target_fmr_count;
    double *alpha;         /* weight on FMR in GARBE, FDR, inequity; NULL: 0.5 */
} shades_cfg_verification;

/* identification: gallery, searches and operating points. */
typedef struct shades_cfg_identification {
    double holdout;        /* share of subjects kept out of the gallery; 0.2 if unset */
    unsigned candidates;   /* candidate list length; 20 if unset */
    double *target_fpir;
    unsigned target_fpir_count;
} shades_cfg_identification;

/* The dataset labels an engine's sex estimates stand for. */
typedef struct shades_cfg_engine_labels {
    char *female;          /* default "F" */
    char *male;            /* default "M" */
} shades_cfg_engine_labels;

/* classification: which attribute is predicted and its classes. */
typedef struct shades_cfg_classification {
    char *attribute;       /* a manifest column or derived attribute */
    char **classes;        /* in report order; NULL: the attribute's values */
    unsigned classes_count;
    shades_cfg_engine_labels engine_labels; /* engines only (not replay) */
} shades_cfg_classification;

/* The protocol a run follows: whichever section the config has. */
typedef enum shades_protocol {
    SHADES_PROTOCOL_VERIFICATION = 1,
    SHADES_PROTOCOL_IDENTIFICATION = 2,
    SHADES_PROTOCOL_CLASSIFICATION = 3
} shades_protocol;

/* One pass/fail rule, fixed before the run (docs/criteria.md). */
typedef struct shades_cfg_criterion {
    char *name;
    char *measure;         /* a summary (fnmr_max_geomean) or a group rate (fnmr) */
    char *partition;
    double *target_fmr;    /* one of verification.target_fmr */
    char *group;           /* group rates: one group; NULL: every group */
    char *bound;           /* value, lower or upper; NULL: upper */
    char *interval;        /* group rates: wilson, clopper-pearson or bootstrap */
    double *at_most;       /* exactly one of at_most and at_least */
    double *at_least;
    unsigned line;         /* where the rule starts in the config */
} shades_cfg_criterion;

/* output: where the results file goes, resolved. */
typedef struct shades_cfg_output {
    char *results;
    char *checkpoint;      /* NULL: the results path plus ".checkpoint" */
} shades_cfg_output;

/* The parsed configuration. Created by shades_config_load, freed by
 * shades_config_destroy; read-only afterwards, so threads may share it. */
typedef struct shades_config {
    shades_cfg_run run;
    shades_cfg_dataset dataset;
    shades_cfg_engine engine;
    shades_cfg_groups groups;
    shades_cfg_verification verification;
    shades_cfg_identification *identification;
    shades_cfg_classification *classification;
    shades_protocol protocol;
    shades_cfg_output output;
    shades_cfg_criterion *criteria;
    unsigned criteria_count;
    char *path;            /* the config file */
    char *text;            /* its full text, recorded in the results */
} shades_config;

/* Loads and validates path. On failure *out is NULL and err names the file,
 * line and field. */
int shades_config_load(shades_config **out, const char *path, shades_err *err);

/* The line of `key` in top-level `section` of the config's text (of the
 * section itself when key is NULL), or 0: for errors found after loading. */
unsigned shades_config_line(const shades_config *config, const char *section, const char *key);

/* As shades_config_line for the nth `key` (from 0) in section. */
unsigned shades_config_line_nth(const shades_config *config, const char *section,
                                const char *key, unsigned nth);

/* Frees a config from shades_config_load; NULL is allowed. */
void shades_config_destroy(shades_config *config);

/* The engine options as the "key=value\n" text handed to the adapter;
 * caller frees. */
char *shades_config_engine_options(const shades_config *config);

#endif
