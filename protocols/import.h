/* Importers: published datasets' metadata layouts turned into a shades
 * manifest (and, where the layout has pairs, a pair list), so a paper's
 * protocol runs on the user's own copy of its data (docs/datasets.md). */
#ifndef SH_PROTOCOLS_IMPORT_H
#define SH_PROTOCOLS_IMPORT_H

#include <limits.h>
#include <stddef.h>
#include <stdio.h>

#include "error.h"

/* What an import reads and where it writes. */
typedef struct sh_import_options {
    const char *format;        /* a name sh_import_format_names lists */
    const char *const *inputs; /* the published file (utkface: the image folder); rfw:
                                * pairs files or folders searched for them */
    size_t n_inputs;           /* one, except for rfw */
    const char *out_dir;       /* manifest.csv, pairs.csv and card.yaml go here */
    const char *images;        /* the dataset root, which the manifest's image paths
                                * are relative to; NULL: the input folder, or the
                                * folder the input file is in */
    const char *race;          /* rfw: the race of one pairs file; NULL: from its name */
    FILE *log;                 /* where skipped inputs are listed; NULL for none */
} sh_import_options;

/* What an import wrote. */
typedef struct sh_import_result {
    char root[PATH_MAX];       /* the dataset root, absolute, as the card records it */
    size_t n_images, n_pairs;
    size_t n_files;            /* input files read (rfw: the pair lists found; utkface:
                                * the folder's file names) */
    int card_kept;             /* an existing card.yaml was left as it was */
} sh_import_result;

/* Runs one import: manifest.csv, pairs.csv for pair layouts, and a card.yaml
 * skeleton recording the dataset root and the manifest's sha256 (an
 * existing card is kept). Output files are written to temporary names and
 * renamed only when the whole input was read, so a failed import leaves
 * what was there before. Errors name the input file, line and field. */
int sh_import(sh_import_result *out, const sh_import_options *opts,
                  sh_err *err);

/* Writes the names of the formats sh_import knows (protocols/importers.c)
 * into out, cap bytes at most, in the order help lists them, joined by sep
 * and the last two by last_sep; with pairs_only, only the formats that
 * write pairs.csv. Returns out. */
const char *sh_import_format_names(char *out, size_t cap, int pairs_only, const char *sep,
                                   const char *last_sep);

#endif
