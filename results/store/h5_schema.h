/* The results file's layout, shared by its writer and its reader:
 * root attributes, and the named fields of every compound table.
 * docs/results-schema.md documents it; tests/test_schema.c holds the two
 * to each other. */
#ifndef SH_RESULTS_STORE_H5_SCHEMA_H
#define SH_RESULTS_STORE_H5_SCHEMA_H

#include <stddef.h>
#include <stdint.h>

#include <hdf5.h>

#include "results.h"

/* Schema version: a reader accepts files of its own major version. */
#define SH_RESULTS_SCHEMA "1.15"
#define SH_RESULTS_SCHEMA_MAJOR 1

/* One root attribute: its name and where it lives in sh_run_info
 * (run_info.def). */
typedef struct sh_h5_attr {
    const char *name;
    size_t offset;
    int since_minor;         /* the schema 1.x that added it; older files lack it */
} sh_h5_attr;

/* The root string attributes (char *) and integer attributes (uint64_t). */
extern const sh_h5_attr sh_h5_string_attrs[];
extern const size_t sh_h5_n_string_attrs;
extern const sh_h5_attr sh_h5_u64_attrs[];
extern const size_t sh_h5_n_u64_attrs;

/* The attributes of /engine/model_card (char * members of
 * sh_model_card_info, model_card_fields.def), since 1.7. */
#define SH_H5_MODEL_CARD "/engine/model_card"
extern const sh_h5_attr sh_h5_model_card_attrs[];
extern const size_t sh_h5_n_model_card_attrs;

/* The attributes of /engine/service (char * members of sh_service_info,
 * service_fields.def), since 1.8. */
#define SH_H5_SERVICE "/engine/service"
extern const sh_h5_attr sh_h5_service_attrs[];
extern const size_t sh_h5_n_service_attrs;

/* One field of a compound table: name, offset in the row struct, kind
 * ('d' double, 'u' uint64, 'i' int32, 's' fixed string), size, and the
 * schema 1.x that added it to a table older than it (0: as old as the
 * table). A reader fills a newer field that an older file lacks with NaN,
 * 0 or "". */
typedef struct sh_h5_column {
    const char *name;
    size_t offset;
    char kind;
    size_t size;
    int since_minor;
} sh_h5_column;

/* A compound table at a fixed path, one row per struct. */
typedef struct sh_h5_table {
    const char *path;
    const sh_h5_column *cols;
    size_t n_cols;
    size_t row_size;
} sh_h5_table;

/* The fixed-path tables, in the order they are written. */
enum {
    SH_H5_THRESHOLDS,
    SH_H5_GROUPS,
    SH_H5_EER,
    SH_H5_DET,
    SH_H5_SUMMARIES,
    SH_H5_CRITERIA,
    SH_H5_CGROUPS,          /* the classification tables, when a run has them */
    SH_H5_CCLASSES,
    SH_H5_CCONFUSION,
    SH_H5_ITHRESHOLDS,      /* the identification tables, when a run has them */
    SH_H5_IGROUPS,
    SH_H5_ICMC,
    SH_H5_MODEL_FILES, /* engine runs only, since 1.5 */
    SH_H5_DENSITY,     /* /verification/score_density, since 1.6 */
    SH_H5_MODEL_CARD_FILES, /* /engine/model_card/files: runs with a model card, since 1.7 */
    SH_H5_PROVENANCE,  /* /engine/provenance: engines that offer it, since 1.8 */
    SH_H5_TESTS,       /* /verification/tests, since 1.10 */
    SH_H5_PAIRWISE,    /* /verification/pairwise, since 1.10 */
    SH_H5_CSUMMARIES,  /* /classification/summaries, since 1.11 */
    SH_H5_CPAIRWISE,   /* /classification/pairwise, since 1.11 */
    SH_H5_SCORES,      /* /verification/scores, since 1.11 */
    SH_H5_ROC,         /* /verification/roc: output.export [roc] only, since 1.12 */
    SH_H5_FOLDS,       /* /verification/folds: pair lists with folds only, since 1.14 */
    SH_H5_FOLD_ACCURACY, /* /verification/fold_accuracy: the same runs, since 1.14 */
    SH_H5_N_TABLES
};
extern const sh_h5_table sh_h5_tables[SH_H5_N_TABLES];

/* The compound type of a table's rows: native (for memory) or packed
 * little-endian (for the file). The caller closes it. */
hid_t sh_h5_compound_type(const sh_h5_table *t, int native);

/* The native type of the columns of t that a file's type `in_file` has,
 * for reading a file older than a column. The caller closes it. */
hid_t sh_h5_compound_type_read(const sh_h5_table *t, hid_t in_file);

/* A /failures row packed in a buffer: image_id (wi bytes), subject_id (ws
 * bytes), manifest_line (uint64), stage and outcome (16 bytes each). */
#define SH_H5_FAILURE_TAIL 16
size_t sh_h5_failure_row_size(size_t wi, size_t ws);

/* The compound type of such rows: native (memory) or little-endian (file).
 * The caller closes it. */
hid_t sh_h5_failure_type(size_t wi, size_t ws, int native);

/* Groups holding the per-partition FMR matrices, and the failure records. */
#define SH_H5_MATRIX_GROUP "/verification/fmr_matrix"
#define SH_H5_FAILURES "/failures"

/* The HDF5 link name of a partition's matrix group: its name with '/'
 * (not allowed in a link name) written as '|'. */
void sh_h5_partition_link(char *out, size_t size, const char *partition);

#endif
