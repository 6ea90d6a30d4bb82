/* A dataset manifest: CSV with a header row, the columns image_id,
 * subject_id, path, then any attribute columns. */
#ifndef SH_PROTOCOLS_MANIFEST_H
#define SH_PROTOCOLS_MANIFEST_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

/* A loaded manifest. Created by sh_manifest_load and freed by
 * sh_manifest_destroy; read-only afterwards, so threads may share it. */
typedef struct sh_manifest {
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
    size_t *by_id;         /* items in image_id order, for sh_manifest_find */
    int confined;          /* images open beneath root_fd (sh_manifest_confine) */
    int root_fd;
} sh_manifest;

/* Loads path. Fails with "file:line: field 'name': why" on a missing
 * required column, a short or long row, an empty id or path, a duplicate
 * image_id, or malformed CSV. */
int sh_manifest_load(sh_manifest **out, const char *path, sh_err *err);

/* Makes image paths relative to root instead of the manifest's directory
 * (docs/datasets.md, "The dataset root"); before sh_manifest_confine. */
int sh_manifest_set_root(sh_manifest *m, const char *root, sh_err *err);

/* Confines m to its root: fails naming the line of the first path that is
 * absolute or climbs out with "..", and from then on sh_manifest_open
 * refuses a path that leaves the root through a symbolic link. */
int sh_manifest_confine(sh_manifest *m, sh_err *err);

/* Opens item i's image for reading into *out (the caller closes it),
 * beneath the root when m is confined, and writes its path (the root
 * joined with the manifest's) into out_path (PATH_MAX bytes). Only a
 * regular file of at most SH_IMAGE_MAX_BYTES opens: a FIFO or
 * a device is refused without blocking. Fails as "file:line: field
 * 'path': why". [thread: any] */
int sh_manifest_open(int *out, char *out_path, const sh_manifest *m, size_t i,
                         sh_err *err);

/* Opens every item's image as sh_manifest_open does and closes it again,
 * failing as it does on the first that will not: a run names a missing or
 * unreadable image before its engine loads, not hours into its work. */
int sh_manifest_check_images(const sh_manifest *m, sh_err *err);

/* Frees a manifest; NULL is allowed. */
void sh_manifest_destroy(sh_manifest *m);

/* Column index of attribute `name`, or -1. */
int sh_manifest_attr(const sh_manifest *m, const char *name);

/* Value of attribute column `attr` for item i. */
const char *sh_manifest_value(const sh_manifest *m, size_t i, int attr);

/* The item whose image_id is image_id, or -1. */
long sh_manifest_find(const sh_manifest *m, const char *image_id);

#endif
