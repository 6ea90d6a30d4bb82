#include "sign_key.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/pem.h>

struct sh_key {
    EVP_PKEY *pkey;
    int has_private;
};

/* Writes PEM text to a new file of the given mode; refuses an existing one. */
static int write_new(const char *path, mode_t mode, EVP_PKEY *pkey, int private_part,
                     sh_err *err)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
    if (fd < 0)
        return sh_err_set(err, errno == EEXIST ? SH_E_INPUT : SH_E_IO, "%s: %s", path,
                          errno == EEXIST ? "already exists; keygen never overwrites a key"
                                          : strerror(errno));
    FILE *f = fdopen(fd, "w");
    int ok = f && (private_part ? PEM_write_PrivateKey(f, pkey, NULL, NULL, 0, NULL, NULL)
                                : PEM_write_PUBKEY(f, pkey));
    if (!f)
        close(fd);
    if ((f && fclose(f) != 0) || !ok) {
        unlink(path);
        return sh_err_set(err, SH_E_IO, "%s: cannot write the key", path);
    }
    return 0;
}

int sh_key_generate(const char *path, sh_err *err)
{
    char pub[4096];
    if ((size_t)snprintf(pub, sizeof pub, "%s.pub", path) >= sizeof pub)
        return sh_err_set(err, SH_E_INPUT, "%s: path too long", path);
    if (access(pub, F_OK) == 0)
        return sh_err_set(err, SH_E_INPUT, "%s: already exists; keygen never overwrites a key",
                          pub);
    EVP_PKEY *pkey = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
    if (!pkey)
        return sh_err_set(err, SH_E_INTERNAL, "libcrypto cannot make an Ed25519 key");
    int rc = write_new(path, 0600, pkey, 1, err);
    if (!rc && (rc = write_new(pub, 0644, pkey, 0, err)))
        unlink(path);
    EVP_PKEY_free(pkey);
    return rc;
}

static int wrap(sh_key **out, EVP_PKEY *pkey, int has_private, const char *what, sh_err *err)
{
    if (EVP_PKEY_get_id(pkey) != EVP_PKEY_ED25519) {
        EVP_PKEY_free(pkey);
        return sh_err_set(err, SH_E_INPUT, "%s: not an Ed25519 key", what);
    }
    sh_key *k = malloc(sizeof *k);
    if (!k) {
        EVP_PKEY_free(pkey);
        return sh_err_nomem(err);
    }
    *k = (sh_key){pkey, has_private};
    *out = k;
    return 0;
}

int sh_key_load(sh_key **out, const char *path, int want_private, sh_err *err)
{
    *out = NULL;
    FILE *f = fopen(path, "r");
    if (!f)
        return sh_err_set(err, errno == ENOENT ? SH_E_INPUT : SH_E_IO, "%s: cannot open key: %s",
                          path, strerror(errno));
    EVP_PKEY *pkey = PEM_read_PrivateKey(f, NULL, NULL, NULL);
    int has_private = pkey != NULL;
    if (!pkey && !want_private) {
        rewind(f);
        pkey = PEM_read_PUBKEY(f, NULL, NULL, NULL);
    }
    fclose(f);
    if (!pkey)
        return sh_err_set(err, SH_E_INPUT, "%s: not a PEM %s key", path,
                          want_private ? "private" : "public");
    return wrap(out, pkey, has_private, path, err);
}

int sh_key_from_pem(sh_key **out, const char *pem, const char *what, sh_err *err)
{
    *out = NULL;
    BIO *b = BIO_new_mem_buf(pem, -1);
    EVP_PKEY *pkey = b ? PEM_read_bio_PUBKEY(b, NULL, NULL, NULL) : NULL;
    BIO_free(b);
    if (!pkey)
        return sh_err_set(err, SH_E_INPUT, "%s: not a PEM public key", what);
    return wrap(out, pkey, 0, what, err);
}

char *sh_key_public_pem(const sh_key *k)
{
    BIO *b = BIO_new(BIO_s_mem());
    char *text = NULL, *data;
    if (b && PEM_write_bio_PUBKEY(b, k->pkey)) {
        long n = BIO_get_mem_data(b, &data);
        if (n >= 0 && (text = malloc((size_t)n + 1))) {
            memcpy(text, data, (size_t)n);
            text[n] = '\0';
        }
    }
    BIO_free(b);
    return text;
}

void sh_key_fingerprint(char out[SH_KEY_FPR], const sh_key *k)
{
    unsigned char raw[32], md[32];
    size_t n = sizeof raw;
    unsigned char b64[48];
    strcpy(out, "SHA256:?");
    if (!EVP_PKEY_get_raw_public_key(k->pkey, raw, &n) || n != 32 ||
        !EVP_Digest(raw, n, md, NULL, EVP_sha256(), NULL))
        return;
    int len = EVP_EncodeBlock(b64, md, 32); /* 44 characters, the last '=' */
    while (len > 0 && b64[len - 1] == '=')
        b64[--len] = '\0';
    snprintf(out, SH_KEY_FPR, "SHA256:%.43s", (char *)b64);
}

int sh_key_sign(char out[SH_KEY_SIG_HEX], const sh_key *k, const void *msg, size_t n,
                sh_err *err)
{
    if (!k->has_private)
        return sh_err_set(err, SH_E_INPUT, "the key is public; signing needs the private key");
    unsigned char sig[64];
    size_t len = sizeof sig;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    int ok = ctx && EVP_DigestSignInit(ctx, NULL, NULL, NULL, k->pkey) == 1 &&
             EVP_DigestSign(ctx, sig, &len, msg, n) == 1 && len == 64;
    EVP_MD_CTX_free(ctx);
    if (!ok)
        return sh_err_set(err, SH_E_INTERNAL, "libcrypto cannot sign");
    for (size_t i = 0; i < 64; i++)
        snprintf(out + 2 * i, 3, "%02x", sig[i]);
    return 0;
}

int sh_key_verify(const sh_key *k, const void *msg, size_t n, const char *sig_hex)
{
    unsigned char sig[64];
    if (!sig_hex || strlen(sig_hex) != 128)
        return 0;
    for (size_t i = 0; i < 64; i++) {
        unsigned v;
        if (sscanf(sig_hex + 2 * i, "%2x", &v) != 1)
            return 0;
        sig[i] = (unsigned char)v;
    }
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    int ok = ctx && EVP_DigestVerifyInit(ctx, NULL, NULL, NULL, k->pkey) == 1 &&
             EVP_DigestVerify(ctx, sig, sizeof sig, msg, n) == 1;
    EVP_MD_CTX_free(ctx);
    return ok;
}

void sh_key_destroy(sh_key *k)
{
    if (k) {
        EVP_PKEY_free(k->pkey);
        free(k);
    }
}
