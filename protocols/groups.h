/* Demographic groups: attributes, derived labels and bands, and their
 * intersections, assigned to every manifest item. */
#ifndef SHADES_PROTOCOLS_GROUPS_H
#define SHADES_PROTOCOLS_GROUPS_H

#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "error.h"
#include "manifest.h"

/* One partition of the items ("sex", "sex x skin"): its groups, in report
 * order, and each item's group. */
typedef struct shades_partition {
    char *name;
    size_t n_groups;
    char **group_names;    /* "F", "F/darker" */
    int32_t *item_group;   /* n_items entries, each < n_groups */
    uint64_t *n_subjects;  /* per group: distinct subjects with an image in it */
    uint8_t *too_small;    /* per group: fewer than groups.min_subjects subjects, so
                            * reported but left out of summaries and criteria */
} shades_partition;

/* All partitions of a run. Built once, then read-only. */
typedef struct shades_groups {
    size_t n_partitions;
    shades_partition *partitions;
} shades_groups;

/* Assigns every item of m to a group of every configured partition. Fails
 * naming the manifest line and field when a value maps to no label or a
 * band value is not a number, and naming the config field when a partition
 * names an unknown attribute. */
int shades_groups_build(shades_groups **out, const shades_manifest *m,
                        const shades_config *config, shades_err *err);

/* Builds the one partition `spec` ("attr" or "a x b") into *part, without
 * subject counts: what shades_groups_build does per configured partition,
 * for protocols that need an attribute's labels (classification truth).
 * Free with shades_partition_free. */
int shades_partition_build(shades_partition *part, const shades_manifest *m,
                           const shades_config *config, const char *spec, shades_err *err);

/* Frees what a partition holds and zeroes it. */
void shades_partition_free(shades_partition *part);

/* Frees groups; NULL is allowed. */
void shades_groups_destroy(shades_groups *g);

#endif
