/* Reads a results file back (for `shades report` and for tests). */
#ifndef SHADES_RESULTS_H5_READ_H
#define SHADES_RESULTS_H5_READ_H

#include "error.h"
#include "h5_write.h"

/* Loads every attribute and table of the results file at path into *out,
 * freed with shades_results_destroy. Fails naming the file and what is
 * wrong: not HDF5, not a shades file, another schema major version, a
 * missing table or field. [thread: one at a time; HDF5 is built
 * without thread safety] */
int shades_h5_read(shades_results **out, const char *path, shades_err *err);

/* Frees what shades_h5_read returned; NULL is allowed. */
void shades_results_destroy(shades_results *r);

#endif
