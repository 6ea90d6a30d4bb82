#include "build_info.h"

#include <stdio.h>

#include <cblas.h>

#include <gsl/gsl_version.h>
#include <hdf5.h>
#include <openssl/crypto.h>

#include "image.h"
#include "version.h"

void sh_build_info(char *out, size_t size)
{
    unsigned maj = 0, min = 0, rel = 0;
    H5get_libversion(&maj, &min, &rel);
    snprintf(out, size, "shades %s; %s; HDF5 %u.%u.%u, GSL %s, OpenCV %s, %s; %s", SH_VERSION,
             SH_BUILD_INFO, maj, min, rel, gsl_version, sh_image_codec_version(),
             OpenSSL_version(OPENSSL_VERSION), sh_build_blas());
}

const char *sh_build_blas(void)
{
    return openblas_get_config();
}
