/* What a results file records to bind a run to its inputs and its host
 * (docs/attestation.md): the card's SHA-256, the host's CPU and OS, and a
 * Merkle root over the SHA-256 of every image read, in manifest order. */
#ifndef SH_HARNESS_PROVENANCE_H
#define SH_HARNESS_PROVENANCE_H

#include <stdint.h>

#include "error.h"
#include "manifest.h"
#include "sha256.h"

/* The provenance of one run, filled by sh_provenance_collect. */
typedef struct sh_provenance {
    char card_sha256[SH_SHA256_HEX];       /* "" without a card */
    char host_cpu[256];                    /* /proc/cpuinfo's model name, and the count */
    char host_os[512];                     /* uname: system, release, version, machine */
    char images_merkle_root[SH_SHA256_HEX]; /* "" when no image was read (replay) */
    uint64_t images_hashed;                /* leaves of the root */
} sh_provenance;

/* The SHA-256 of item i's image file into out, the Merkle tree's leaf; all
 * zeros when it cannot be opened. [thread: any] */
void sh_provenance_image_hash(unsigned char out[32], const sh_manifest *m, size_t i);

/* Fills out for a run over m; card_path may be NULL; images_read is 0
 * for a run that opened no image (replayed scores). */
int sh_provenance_collect(sh_provenance *out, const sh_manifest *m, const char *card_path,
                          int images_read, sh_err *err);

#endif
