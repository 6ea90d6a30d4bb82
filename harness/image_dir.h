/* The image files under a directory, found recursively, for commands that
 * take a folder of images (check-adapter --images). */
#ifndef SH_HARNESS_IMAGE_DIR_H
#define SH_HARNESS_IMAGE_DIR_H

#include <stddef.h>

#include "error.h"

/* The paths (dir joined with each file's path below it) of the image files
 * (.png, .jpg, .jpeg, .bmp, .pgm, .ppm; any case) under dir and its
 * subdirectories, in byte order of the path, skipping names that start
 * with '.' and symbolic links. *out is a new array of new strings, freed
 * with sh_image_dir_free; none found is not an error (*out_n = 0). */
int sh_image_dir_list(char ***out, size_t *out_n, const char *dir, sh_err *err);

/* Frees what sh_image_dir_list returned. */
void sh_image_dir_free(char **paths, size_t n);

#endif
