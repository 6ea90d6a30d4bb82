/* A Merkle root over SHA-256 leaves (docs/attestation.md): leaf hashes
 * SHA256(0x00 || leaf), node hashes SHA256(0x01 || left || right), an odd
 * node at the end of a level carried up unchanged; no leaves: SHA256(""). */
#ifndef SH_CORE_MERKLE_H
#define SH_CORE_MERKLE_H

#include <stddef.h>

#include "error.h"
#include "sha256.h"

/* Writes the hex root over n 32-byte leaves (in their order) into out. */
int sh_merkle_root(char out[SH_SHA256_HEX], const unsigned char (*leaves)[32], size_t n,
                   sh_err *err);

#endif
