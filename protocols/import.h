/* Importers: published datasets' metadata layouts turned into a shades
 * manifest (and, where the layout has pairs, a pair list), so a paper's
 * protocol runs on the user's own copy of its data (docs/datasets.md). */
#ifndef SHADES_PROTOCOLS_IMPORT_H
#define SHADES_PROTOCOLS_IMPORT_H

#include <stdio.h>

#include "error.h"

/* What an import reads and where it writes. */
typedef struct shades_import_options {
    const char *format;        /* ppb, rfw, bfw, fairface, utkface */
    const char *input;         /* the published file (utkface: the image folder) */
    const char *out_dir;       /* manifest.csv (and pairs.csv) go here */
    const char *images;        /* prefix of image paths in the manifest; NULL: the
                                * format's own ("" for none) */
    const char *race;          /* rfw: the race of the pairs file; NULL: from its name */
    FILE *log;                 /* where skipped inputs are listed; NULL for none */
} shades_import_options;

/* Runs one import. Output files are written to temporary names and renamed
 * only when the whole input was read, so a failed import leaves what was
 * there before. Errors name the input file, line and field. */
int shades_import(const shades_import_options *opts, shades_err *err);

/* The formats shades_import knows, for help text. */
extern const char shades_import_formats[];

#endif
