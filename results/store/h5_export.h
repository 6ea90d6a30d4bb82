/* The export tables of the results file (output.export; docs/results-schema.md,
 * "Exports"): large, written in blocks so memory stays bounded by a block. */
#ifndef SH_RESULTS_STORE_H5_EXPORT_H
#define SH_RESULTS_STORE_H5_EXPORT_H

#include <hdf5.h>

#include "identification_results.h"

/* /identification/gallery, /searches and /candidates from x into the open
 * file f (whose /identification exists). Returns 0, or -1 on an HDF5 or
 * memory failure. */
int sh_h5_write_iexport(hid_t f, const sh_iexport *x);

/* Dataset creation properties of every results dataset (h5_write.c): no
 * object times, chunked and compressed when large, chunked when empty. The
 * caller closes it. */
hid_t sh_h5_dataset_props(int rank, const hsize_t *dims);

/* The dataspace of every results dataset of that shape (h5_write.c):
 * extendible where empty, to go with its chunks. The caller closes it. */
hid_t sh_h5_dataset_space(int rank, const hsize_t *dims);

#endif
