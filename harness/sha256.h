/* SHA-256 digests of files, through OpenSSL's libcrypto. */
#ifndef SHADES_HARNESS_SHA256_H
#define SHADES_HARNESS_SHA256_H

#include <stddef.h>

#include "error.h"

/* Hex digest length plus its terminating NUL. */
#define SHADES_SHA256_HEX 65

/* Writes the lower-case hex SHA-256 of the file at path into out.
 * [thread: any] */
int shades_sha256_file(char out[SHADES_SHA256_HEX], const char *path, shades_err *err);

/* Writes the lower-case hex SHA-256 of n bytes at data into out. */
int shades_sha256_bytes(char out[SHADES_SHA256_HEX], const void *data, size_t n,
                        shades_err *err);

#endif
