/* The importers' registry, like curl's lib/vtls: one row per published
 * format in sh_importers (protocols/importers.c), its reader in a file of
 * its own (import_NAME.c). A reader fills an import job's tables;
 * sh_import (protocols/import.c) picks the row and writes the tables out.
 * Adding a format: import_NAME.c, its reader declared below, and a row.
 * Internal to the importers; stands below import.h, never on it. */
#ifndef SH_PROTOCOLS_IMPORTER_H
#define SH_PROTOCOLS_IMPORTER_H

#include <stddef.h>
#include <stdio.h>

#include "error.h"
#include "import_table.h"

/* What a reader is given and what it builds. */
typedef struct sh_import_job {
    const char *const *inputs; /* as given: one, or several for SH_IMPORT_TAKES_INPUTS */
    size_t n_inputs;
    const char *input;         /* inputs[0] */
    const char *race;          /* --race, or NULL; read by SH_IMPORT_TAKES_RACE formats */
    FILE *log;                 /* where skipped inputs are listed; NULL for none */
    sh_import_manifest m;      /* the reader sets its attribute columns, then fills it */
    sh_import_pairs p;         /* pair layouts fill it */
    char **files;              /* input files a reader found (the tables point at them) */
    size_t n_files;
    size_t n_read;             /* files read where not the inputs or files above (utkface:
                                * the folder's file names); 0 for those */
} sh_import_job;

/* What a format writes besides manifest.csv and card.yaml. */
#define SH_IMPORT_WRITES_PAIRS 1u /* pairs.csv */

/* What a format takes besides one input. */
#define SH_IMPORT_TAKES_INPUTS 1u /* several inputs, into one manifest */
#define SH_IMPORT_TAKES_RACE 2u   /* --race */

/* What is published about a format's dataset, as its card records it. */
typedef struct sh_import_card {
    const char *name, *version;
    const char *method, *dates; /* its collection */
    const char *sources;        /* the datasets it was drawn from, or NULL */
} sh_import_card;

/* One published format: a row of the registry. */
typedef struct sh_importer {
    const char *name;        /* the FORMAT of `shades import` */
    const char *description; /* one line: the input it reads */
    int (*read)(sh_import_job *job, sh_err *err); /* fills job from its inputs */
    unsigned writes;         /* SH_IMPORT_WRITES_* */
    unsigned takes;          /* SH_IMPORT_TAKES_* */
    sh_import_card card;     /* the facts its card.yaml skeleton records */
} sh_importer;

/* Every format, in the order help and messages list them. */
extern const sh_importer sh_importers[];

/* How many rows sh_importers has. */
extern const size_t sh_n_importers;

/* The row of format name, or NULL. */
const sh_importer *sh_importer_find(const char *name);

/* PPB's metadata CSV (import_ppb.c). */
int sh_import_read_ppb(sh_import_job *job, sh_err *err);

/* RFW's <Race>_pairs.txt lists, or folders searched for them (import_rfw.c). */
int sh_import_read_rfw(sh_import_job *job, sh_err *err);

/* BFW's datatable as CSV (import_bfw.c). */
int sh_import_read_bfw(sh_import_job *job, sh_err *err);

/* FairFace's label CSV (import_fairface.c). */
int sh_import_read_fairface(sh_import_job *job, sh_err *err);

/* A folder of UTKFace file names (import_utkface.c). */
int sh_import_read_utkface(sh_import_job *job, sh_err *err);

/* Writes to f the card skeleton of format imp: name, version, collection
 * and sources as published, root (the absolute folder image paths are
 * relative to) and the manifest's sha256 filled in; licence, consent,
 * permitted uses and contact left as "TODO: ...", which `shades run`
 * refuses. Fails on a write error. */
int sh_import_card_write(FILE *f, const sh_importer *imp, const char *root,
                         const char *sha256);

#endif
