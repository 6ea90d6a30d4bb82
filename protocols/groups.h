/* Demographic groups: attributes, derived labels and bands, and their
 * intersections, assigned to every manifest item. */
#ifndef SH_PROTOCOLS_GROUPS_H
#define SH_PROTOCOLS_GROUPS_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "manifest.h"

/* One label of a derived attribute and the source values it gathers. */
typedef struct sh_group_label {
    char *label;
    char **values;
    unsigned values_count;
} sh_group_label;

/* One numeric band [min, below) of a derived attribute. */
typedef struct sh_group_band {
    char *label;
    double min;
    double below;
} sh_group_band;

/* A derived attribute: labels mapped from values, or numeric bands. */
typedef struct sh_group_derived {
    char *name;
    char *from;
    sh_group_label *map;
    unsigned map_count;
    sh_group_band *bands;
    unsigned bands_count;
    unsigned line;         /* where its name is in the config */
} sh_group_derived;

/* A partition's reference group, whose rates the other groups' are
 * divided by (groups.reference). */
typedef struct sh_group_reference {
    char *partition;
    char *group;
    unsigned line;         /* where its entry is in the config */
} sh_group_reference;

/* Most factors an intersection partition may have ("a x b x ..."). */
#define SH_MAX_FACTORS 8

/* What the groups are built from (the config's groups section) and where
 * it is, for messages. Borrowed. */
typedef struct sh_groups_spec {
    const sh_group_derived *derived;
    unsigned derived_count;
    char *const *partitions;   /* "attr" or "attr x attr ..." */
    unsigned partitions_count;
    unsigned min_subjects;     /* groups with fewer are too small to estimate */
    const sh_group_reference *references; /* at most one per partition */
    unsigned references_count;
    const char *config_path;
    unsigned partitions_line;  /* line of groups.partitions in config_path */
} sh_groups_spec;

/* One partition of the items ("sex", "sex x skin"): its groups, in report
 * order, and each item's group. */
typedef struct sh_partition {
    char *name;
    size_t n_groups;
    char **group_names;    /* "F", "F/darker" */
    int32_t *item_group;   /* n_items entries, each < n_groups */
    uint64_t *n_subjects;  /* per group: distinct subjects with an image in it */
    uint8_t *too_small;    /* per group: fewer than groups.min_subjects subjects, so
                            * reported but left out of summaries and criteria */
    int32_t reference;     /* the group whose rates the others' are divided by
                            * (groups.reference), or -1: none */
} sh_partition;

/* All partitions of a run. Built once, then read-only. */
typedef struct sh_groups {
    size_t n_partitions;
    sh_partition *partitions;
} sh_groups;

/* Assigns every item of m to a group of every configured partition. Fails
 * naming the manifest line and field when a value maps to no label or a
 * band value is not a number, and naming the config field when a partition
 * names an unknown attribute. */
int sh_groups_build(sh_groups **out, const sh_manifest *m,
                        const sh_groups_spec *spec, sh_err *err);

/* Builds the one partition `name` ("attr" or "a x b") into *part, without
 * subject counts: what sh_groups_build does per configured partition,
 * for protocols that need an attribute's labels (classification truth).
 * Free with sh_partition_free. */
int sh_partition_build(sh_partition *part, const sh_manifest *m,
                           const sh_groups_spec *spec, const char *name, sh_err *err);

/* Frees what a partition holds and zeroes it. */
void sh_partition_free(sh_partition *part);

/* Frees groups; NULL is allowed. */
void sh_groups_destroy(sh_groups *g);

#endif
