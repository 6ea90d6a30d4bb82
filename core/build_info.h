/* What this harness was built with, recorded in every results file. */
#ifndef SH_CORE_BUILD_INFO_H
#define SH_CORE_BUILD_INFO_H

#include <stddef.h>

/* Writes "shades V; compiler, build type, sanitizers; HDF5 x, GSL y,
 * OpenCV z, OpenSSL w" into out (truncated to size). [thread: any] */
void sh_build_info(char *out, size_t size);

#endif
