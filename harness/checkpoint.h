/* Checkpoints of a run: what the engine has computed so far, block by
 * block, so `shades run --resume` after a kill continues where the run
 * stopped and writes the results file an uninterrupted run would.
 *
 * A checkpoint is a directory, owner-only (templates are biometric data),
 * holding `identity` (what run it belongs to, one "name value" per line)
 * and `log`, an append-only file of records: stage, block, payload and
 * the SHA-256 of all three. A kill can tear only the last record, which a
 * resume cuts off; a record whose digest does not match is computed again.
 * Records are in the machine's byte order: a checkpoint is resumed on the
 * machine that wrote it. */
#ifndef SH_HARNESS_CHECKPOINT_H
#define SH_HARNESS_CHECKPOINT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

#include "error.h"

/* What a record holds; a stage's block size is fixed in the code, and a
 * new shades version never resumes an old checkpoint. */
enum {
    SH_CKPT_TEMPLATES = 1,      /* sizes, outcomes, norms and bytes of templates */
    SH_CKPT_GENUINE = 2,        /* genuine pairs' scores and faults */
    SH_CKPT_IMPOSTOR = 3,       /* listed impostor pairs' scores and faults */
    SH_CKPT_MATED = 4,          /* mated searches' candidate lists */
    SH_CKPT_NONMATED = 5,       /* non-mated searches' candidate lists */
    SH_CKPT_ESTIMATES = 6,      /* attribute estimates */
    SH_CKPT_IMPOSTOR_COUNTS = 7 /* pass 1 of uncounted impostors (one record) */
};

/* An open checkpoint. Saving and loading are safe from many threads. */
typedef struct sh_checkpoint sh_checkpoint;

/* Opens the checkpoint in dir for the run described by identity ("name
 * value" lines). Without resume, a checkpoint already there is refused
 * (it holds an interrupted run's work); with resume, its identity must
 * match line for line, and its records become loadable. A missing or
 * empty dir starts a new checkpoint either way. *out_resumed (may be
 * NULL) says whether records were found. */
int sh_checkpoint_open(sh_checkpoint **out, int *out_resumed, const char *dir,
                           const char *identity, int resume, sh_err *err);

/* Appends the record of block [begin, end) of stage: the parts, in order,
 * as its payload. cp NULL saves nothing. [thread: any] */
int sh_checkpoint_save(sh_checkpoint *cp, uint32_t stage, size_t begin, size_t end,
                           const struct iovec *parts, int n_parts, sh_err *err);

/* The payload of block [begin, end) of stage from the resumed checkpoint:
 * 1 with *out (malloc'd, the caller frees) and *out_len set, 0 when there
 * is none (or cp is NULL, or its digest fails). [thread: any] */
int sh_checkpoint_load(void **out, size_t *out_len, sh_checkpoint *cp, uint32_t stage,
                           size_t begin, size_t end, sh_err *err);

/* One per-item array of a block: `elem` bytes per item from base. */
typedef struct sh_ckpt_array {
    void *base;
    size_t elem;
} sh_ckpt_array;

/* Saves items [begin, end) of each of arrays[0..n) as one record. */
int sh_checkpoint_save_arrays(sh_checkpoint *cp, uint32_t stage, size_t begin,
                                  size_t end, const sh_ckpt_array *arrays, size_t n,
                                  sh_err *err);

/* Restores items [begin, end) of each array from its record: 1 restored, 0
 * not checkpointed (the arrays untouched), or a negative code. */
int sh_checkpoint_load_arrays(sh_checkpoint *cp, uint32_t stage, size_t begin,
                                  size_t end, const sh_ckpt_array *arrays, size_t n,
                                  sh_err *err);

/* Records restored so far, records the resume found, and records saved
 * by this run. */
void sh_checkpoint_counts(uint64_t *out_restored, uint64_t *out_found, uint64_t *out_saved,
                              const sh_checkpoint *cp);

/* The checkpoint's directory, as opened. */
const char *sh_checkpoint_dir(const sh_checkpoint *cp);

/* Closes cp; with remove, deletes its files and directory (the run is
 * complete), else leaves them for a resume. NULL is allowed. */
int sh_checkpoint_close(sh_checkpoint *cp, int remove, sh_err *err);

#endif
