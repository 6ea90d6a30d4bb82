#include "sha256.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>

/* Ends ctx's digest as lower-case hex into out; -1 on failure. */
static int hex_digest(char out[SH_SHA256_HEX], EVP_MD_CTX *ctx)
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned len = 0;
    if (!EVP_DigestFinal_ex(ctx, md, &len) || len != 32)
        return -1;
    for (unsigned i = 0; i < len; i++)
        snprintf(out + 2 * i, 3, "%02x", md[i]);
    return 0;
}

int sh_sha256_file(char out[SH_SHA256_HEX], const char *path, sh_err *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return sh_err_set(err, SH_E_IO, "%s: cannot read: %s", path, strerror(errno));
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    int ok = ctx && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
    unsigned char buf[1 << 16];
    size_t n;
    while (ok && (n = fread(buf, 1, sizeof buf, f)) > 0)
        ok = EVP_DigestUpdate(ctx, buf, n);
    int read_failed = ferror(f);
    fclose(f);
    ok = ok && !read_failed && !hex_digest(out, ctx);
    EVP_MD_CTX_free(ctx);
    if (!ok)
        return sh_err_set(err, SH_E_IO, "%s: cannot compute its sha256", path);
    return 0;
}

int sh_sha256_bytes(char out[SH_SHA256_HEX], const void *data, size_t n,
                        sh_err *err)
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    int ok = ctx && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) &&
             EVP_DigestUpdate(ctx, data, n) && !hex_digest(out, ctx);
    EVP_MD_CTX_free(ctx);
    return ok ? 0 : sh_err_set(err, SH_E_INTERNAL, "cannot compute a sha256");
}
