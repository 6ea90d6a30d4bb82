/* One import in progress: its options and the tables its format's reader
 * fills (protocols/import_csv.c, import_rfw.c, import_utkface.c); the
 * caller, sh_import, writes them out. Internal to the importers. */
#ifndef SH_PROTOCOLS_IMPORT_JOB_H
#define SH_PROTOCOLS_IMPORT_JOB_H

#include <stdio.h>

#include "import.h"
#include "import_table.h"

/* The reader's inputs and what it builds. */
typedef struct sh_import_job {
    const sh_import_options *o;
    const char *input;     /* o->inputs[0] */
    sh_import_manifest m;
    sh_import_pairs p;
    char **files;          /* input files a reader found (the tables point at them) */
    size_t n_files;
} sh_import_job;

/* Reads a CSV layout (ppb, fairface, bfw) into job; 1 when the format is
 * not one of them (nothing done), 0 when read, or a negative code. */
int sh_import_csv(sh_import_job *job, sh_err *err);

/* Reads RFW pair lists: each input is a <Race>_pairs.txt or a folder
 * searched for them. */
int sh_import_rfw(sh_import_job *job, sh_err *err);

/* Reads a folder of UTKFace file names. */
int sh_import_utkface(sh_import_job *job, sh_err *err);

/* Writes to f the dataset card skeleton of format: name, version,
 * collection and sources as published, root (the absolute folder image
 * paths are relative to) and the manifest's sha256 filled in; licence,
 * consent, permitted uses and contact left as "TODO: ...", which `shades
 * run` refuses. Fails on a write error. */
int sh_import_card_write(FILE *f, const char *format, const char *root, const char *sha256);

#endif
