/* What this harness was built with, recorded in every results file. */
#ifndef SH_CORE_BUILD_INFO_H
#define SH_CORE_BUILD_INFO_H

#include <stddef.h>

/* Writes "shades V; compiler, build type, sanitizers; HDF5 x, GSL y,
 * OpenCV z, OpenSSL w; " and sh_build_blas's line into out (truncated to
 * size). [thread: any] */
void sh_build_info(char *out, size_t size);

/* OpenBLAS's build line with the kernels it chose for this CPU
 * (OPENBLAS_CORETYPE can choose others): they set the last float bit of
 * every score the harness computes with BLAS. A static string.
 * [thread: any] */
const char *sh_build_blas(void);

#endif
