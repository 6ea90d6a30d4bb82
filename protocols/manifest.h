/* A dataset manifest: CSV with a header row, the columns image_id,
 * subject_id, path, then any attribute columns. */
#ifndef SHADES_PROTOCOLS_MANIFEST_H
#define SHADES_PROTOCOLS_MANIFEST_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

/* The most bytes one image file may have (64 MiB): a larger one is
 * refused before it is read, and reading stops there should it grow. */
#define SHADES_MANIFEST_IMAGE_MAX_BYTES (64 << 20)

/* A loaded manifest. Created by shades_manifest_load and freed by
 * shades_manifest_destroy; read-only afterwards, so threads may share it. */
typedef struct shades_manifest {
    char *path;            /* the manifest file */
    char *root;            /* the dataset root image paths are relative to: the
                            * manifest's directory unless set_root changes it */
    size_t n_items;
    size_t n_attrs;        /* attribute columns after the three required */
    char **attr_names;     /* n_attrs names in column order */
    char **image_id;       /* n_items each */
    char **subject_id;
    char **image_path;     /* as written in the manifest */
    char **attr_values;    /* n_items * n_attrs, row-major; "" when empty */
    size_t *line;          /* line on which each item starts */
    uint32_t *subject;     /* dense subject number of each item */
    size_t n_subjects;
    size_t *by_id;         /* items in image_id order, for shades_manifest_find */
    int confined;          /* images open beneath root_fd (shades_manifest_confine) */
    int root_fd;
} shades_manifest;

/* Loads path. Fails with "file:line: field 'name': why" on a missing
 * required column, a short or long row, an empty id or path, a duplicate
 * image_id, or malformed CSV. */
int shades_manifest_load(shades_manifest **out, const char *path, shades_err *err);

/* Makes image paths relative to root instead of the manifest's directory
 * (docs/datasets.md, "The dataset root"); before shades_manifest_confine. */
int shades_manifest_set_root(shades_manifest *m, const char *root, shades_err *err);

/* Confines m to its root: fails naming the line of the first path that is
 * absolute or climbs out with "..", and from then on shades_manifest_open
 * refuses a path that leaves the root through a symbolic link. */
int shades_manifest_confine(shades_manifest *m, shades_err *err);

/* Opens item i's image for reading into *out (the caller closes it),
 * beneath the root when m is confined, and writes its path (the root
 * joined with the manifest's) into out_path (PATH_MAX bytes). Only a
 * regular file of at most SHADES_MANIFEST_IMAGE_MAX_BYTES opens: a FIFO or
 * a device is refused without blocking. Fails as "file:line: field
 * 'path': why". [thread: any] */
int shades_manifest_open(int *out, char *out_path, const shades_manifest *m, size_t i,
                         shades_err *err);

/* Frees a manifest; NULL is allowed. */
void shades_manifest_destroy(shades_manifest *m);

/* Column index of attribute `name`, or -1. */
int shades_manifest_attr(const shades_manifest *m, const char *name);

/* Value of attribute column `attr` for item i. */
const char *shades_manifest_value(const shades_manifest *m, size_t i, int attr);

/* The item whose image_id is image_id, or -1. */
long shades_manifest_find(const shades_manifest *m, const char *image_id);

#endif
