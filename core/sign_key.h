/* Ed25519 signing keys through OpenSSL's libcrypto: make a key pair, load
 * a private or public key from PEM, sign and verify bytes, and name a key
 * by its fingerprint (docs/attestation.md). */
#ifndef SH_CORE_SIGN_KEY_H
#define SH_CORE_SIGN_KEY_H

#include <stddef.h>

#include "error.h"

/* "SHA256:" + 43 base64 characters (unpadded) + NUL. */
#define SH_KEY_FPR 51
/* An Ed25519 signature as lower-case hex, plus NUL. */
#define SH_KEY_SIG_HEX 129

/* A loaded key: private (signs and verifies) or public (verifies). */
typedef struct sh_key sh_key;

/* Writes a new private key (PEM, mode 0600) to path and its public key to
 * path.pub (PEM, 0644); refuses when either exists. */
int sh_key_generate(const char *path, sh_err *err);

/* Loads the PEM key at path: a private key when want_private, else a
 * public key (a private key's public half is accepted too). */
int sh_key_load(sh_key **out, const char *path, int want_private, sh_err *err);

/* Loads a public key from PEM text (the copy a results file carries);
 * what names where the text came from, for messages. */
int sh_key_from_pem(sh_key **out, const char *pem, const char *what, sh_err *err);

/* The public key as PEM text, malloc'd; NULL when out of memory. */
char *sh_key_public_pem(const sh_key *k);

/* The key's fingerprint: SHA256 of its 32 raw public bytes, base64. */
void sh_key_fingerprint(char out[SH_KEY_FPR], const sh_key *k);

/* Signs n bytes at msg with a private key. */
int sh_key_sign(char out[SH_KEY_SIG_HEX], const sh_key *k, const void *msg, size_t n,
                sh_err *err);

/* 1 when sig_hex is k's signature of the n bytes at msg, else 0. */
int sh_key_verify(const sh_key *k, const void *msg, size_t n, const char *sig_hex);

/* Frees k; NULL is allowed. */
void sh_key_destroy(sh_key *k);

#endif
