/* What an import builds before it writes anything: the manifest's rows (one
 * per distinct image, in first-seen order) and the pair list, each checked
 * as it grows. Shared by the importers of protocols/import*.c only. */
#ifndef SH_PROTOCOLS_IMPORT_TABLE_H
#define SH_PROTOCOLS_IMPORT_TABLE_H

#include <stddef.h>

#include "error.h"
#include "pair_map.h"

/* Attribute columns a layout may write after image_id, subject_id, path. */
#define SH_IMPORT_MAX_ATTRS 8

/* The manifest being built, found again by image id through an
 * open-addressing index. */
typedef struct sh_import_manifest {
    size_t n_attrs;
    const char *attr_names[SH_IMPORT_MAX_ATTRS];
    size_t n, cap;
    char **rows;           /* n x (3 + n_attrs) strings */
    size_t *first_line;    /* the input line that introduced each image */
    const char **first_file; /* the input file of that line (borrowed) */
    size_t index_cap;
    size_t *index;         /* row + 1, 0 empty */
} sh_import_manifest;

/* The pair list being built: reference, probe and fold of each pair, and
 * where each unordered pair was first given. */
typedef struct sh_import_pairs {
    size_t n, cap;
    char **cells;          /* n x 3: reference_id, probe_id, fold */
    size_t *line;          /* n: the input line of each pair */
    const char **file;     /* n: its input file (borrowed) */
    sh_pair_map *seen; /* (lower row, higher row) -> pair */
} sh_import_pairs;

/* Adds an image (fields: image_id, subject_id, path, then the attributes)
 * read from file:line into *out_row. When the layout gives each image one
 * row, id_field names the input column of its id, and a repeated id is an
 * error naming both lines; when id_field is NULL a repeat must agree with
 * the first mention, and *out_row is that row. */
int sh_import_add_image(size_t *out_row, sh_import_manifest *m,
                            const char *const *fields, const char *file, size_t line,
                            const char *id_field, sh_err *err);

/* Adds the pair of manifest rows (ref, probe) in fold, read from
 * file:line, refusing an image compared with itself and a pair (either way
 * round) given before, whose line the message names; messages leave out
 * "file:line: ". */
int sh_import_add_pair(sh_import_pairs *p, const sh_import_manifest *m, size_t ref,
                           size_t probe, long fold, const char *file, size_t line,
                           sh_err *err);

/* Frees what the tables hold and zeroes them. */
void sh_import_manifest_free(sh_import_manifest *m);
void sh_import_pairs_free(sh_import_pairs *p);

#endif
