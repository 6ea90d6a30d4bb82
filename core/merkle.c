#include "merkle.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

/* SHA256(prefix || a || b), b may be NULL. */
static int node(unsigned char out[32], unsigned char prefix, const unsigned char *a,
                const unsigned char *b)
{
    unsigned char buf[65];
    buf[0] = prefix;
    memcpy(buf + 1, a, 32);
    if (b)
        memcpy(buf + 33, b, 32);
    return EVP_Digest(buf, b ? 65 : 33, out, NULL, EVP_sha256(), NULL) ? 0 : -1;
}

int sh_merkle_root(char out[SH_SHA256_HEX], const unsigned char (*leaves)[32], size_t n,
                   sh_err *err)
{
    unsigned char root[32];
    unsigned char (*level)[32] = malloc((n ? n : 1) * sizeof *level);
    if (!level)
        return sh_err_nomem(err);
    int bad = n ? 0 : !EVP_Digest("", 0, root, NULL, EVP_sha256(), NULL);
    for (size_t i = 0; i < n; i++)
        bad |= node(level[i], 0x00, leaves[i], NULL);
    while (!bad && n > 1) {
        size_t m = 0;
        for (size_t i = 0; i + 1 < n; i += 2)
            bad |= node(level[m++], 0x01, level[i], level[i + 1]);
        if (n % 2)
            memmove(level[m++], level[n - 1], 32);
        n = m;
    }
    if (n == 1)
        memcpy(root, level[0], 32);
    free(level);
    if (bad)
        return sh_err_set(err, SH_E_INTERNAL, "libcrypto cannot hash");
    for (size_t i = 0; i < 32; i++)
        snprintf(out + 2 * i, 3, "%02x", root[i]);
    return 0;
}
