/* The canonical digest of a results file (docs/attestation.md): one line
 * "PATH<TAB>SHA256" per attribute and dataset outside /signature, in
 * byte order of PATH, each hashing the object's path, type, shape and
 * values but not its storage; the file's digest is the SHA-256 of the
 * lines. h5repack keeps it; a changed value, type or shape changes it.
 * DIMENSION_LIST and REFERENCE_LIST (object references) are left out. */
#ifndef SH_RESULTS_H5_DIGEST_H
#define SH_RESULTS_H5_DIGEST_H

#include "error.h"
#include "sha256.h"

/* The group the signature lives in, left out of the digest. */
#define SH_H5_SIGNATURE "/signature"

/* 1 when `name`, a link path relative to the root as H5Lvisit gives it,
 * is the signature group or lies inside it. */
int sh_h5_in_signature(const char *name);

/* Writes the lines of the file at path into *out_lines (malloc'd, freed
 * by the caller) and their SHA-256 into out_hex. Fails naming the file
 * (and object) when it is not HDF5 or holds a datatype the digest does
 * not define. */
int sh_h5_digest(char **out_lines, char out_hex[SH_SHA256_HEX], const char *path,
                 sh_err *err);

#endif
