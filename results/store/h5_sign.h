/* Signing and verifying a results file (docs/attestation.md): an Ed25519
 * signature over the canonical digest (h5_digest.h), kept in the file's
 * /signature group with the public key, its fingerprint and the digest's
 * lines, so verify can name the first object that changed. */
#ifndef SH_RESULTS_H5_SIGN_H
#define SH_RESULTS_H5_SIGN_H

#include <stddef.h>

#include "error.h"
#include "sign_key.h"

/* What the message signed starts with; the digest's hex follows. */
#define SH_ATTEST_PREFIX "shades-attestation-v1:"

/* What verify found. */
typedef enum sh_sig_state {
    SH_SIG_UNSIGNED,   /* no /signature group */
    SH_SIG_VALID,      /* signed, and nothing changed since */
    SH_SIG_ALTERED,    /* object names the first object that differs, printable */
    SH_SIG_OTHER_KEY   /* valid, but not by the key the caller expected */
} sh_sig_state;

/* A verify's result: the state, the signing key's fingerprint, the key
 * expected (SH_SIG_OTHER_KEY) and the object that differs (SH_SIG_ALTERED). */
typedef struct sh_sig_status {
    sh_sig_state state;
    char fingerprint[SH_KEY_FPR];
    char expected[SH_KEY_FPR];
    char object[1024];
} sh_sig_status;

/* Signs the unsigned results file at path in place (the caller owns the
 * file: a temporary one the writer renames, or a copy). Refuses a file
 * that is already signed. */
int sh_h5_sign(const char *path, const sh_key *key, sh_err *err);

/* Signs the file at path: a copy signed, then renamed over it, so it is
 * signed or as it was. Refuses a file already signed. */
int sh_h5_sign_file(const char *path, const sh_key *key, sh_err *err);

/* Checks the file at path against its signature, and against expect's
 * fingerprint when expect is not NULL. Errors (not HDF5, unreadable) are
 * negative codes; a missing or broken signature is a state. */
int sh_h5_verify(sh_sig_status *out, const char *path, const sh_key *expect, sh_err *err);

/* The status in one line: "signed by key SHA256:..., valid", "unsigned",
 * "ALTERED: /path" or "signed by key SHA256:..., not by SHA256:...". */
void sh_sig_describe(char *out, size_t size, const sh_sig_status *s);

#endif
