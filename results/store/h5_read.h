/* Reads a results file back (for `shades report` and for tests). */
#ifndef SH_RESULTS_STORE_H5_READ_H
#define SH_RESULTS_STORE_H5_READ_H

#include "error.h"
#include "results.h"

/* Loads every attribute and table of the results file at path into *out,
 * freed with sh_results_destroy. Fails naming the file and what is
 * wrong: not HDF5, not a shades file, another schema major version, a
 * missing table or field. [thread: one at a time; HDF5 is built
 * without thread safety] */
int sh_h5_read(sh_results **out, const char *path, sh_err *err);

#endif
