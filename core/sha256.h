/* SHA-256 digests of files, through OpenSSL's libcrypto. */
#ifndef SH_CORE_SHA256_H
#define SH_CORE_SHA256_H

#include <stddef.h>

#include "error.h"

/* Hex digest length plus its terminating NUL. */
#define SH_SHA256_HEX 65

/* Writes the lower-case hex SHA-256 of the file at path into out.
 * [thread: any] */
int sh_sha256_file(char out[SH_SHA256_HEX], const char *path, sh_err *err);

/* Writes the lower-case hex SHA-256 of n bytes at data into out. */
int sh_sha256_bytes(char out[SH_SHA256_HEX], const void *data, size_t n,
                        sh_err *err);

#endif
