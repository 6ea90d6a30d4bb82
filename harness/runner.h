/* The runner: templates for every image, then every pair's score, on a
 * thread pool, with results that do not depend on the thread count. Under
 * MPI (ranks of more than one) each rank makes its share of every stage's
 * blocks and the ranks share what they made, so each ends holding all of
 * it (ranks.h); NULL ranks is one process. */
#ifndef SH_HARNESS_RUNNER_H
#define SH_HARNESS_RUNNER_H

#include <stddef.h>
#include <stdint.h>

#include "call.h"
#include "candidates.h"
#include "checkpoint.h"
#include "error.h"
#include "executor.h"
#include "failures.h"
#include "image.h"
#include "instance.h"
#include "manifest.h"
#include "progress.h"
#include "ranks.h"
#include "score_source.h"
#include "verification.h"

/* One template per manifest item, in memory that engine calls in other
 * processes may share.
 * Slot i is `stride` bytes at bytes + i * stride: the template (at most
 * `capacity` bytes), then its size as a uint64 in the slot's last 8 bytes.
 * Owned by the run; read-only once made. */
typedef struct sh_templates {
    size_t n;
    size_t stride;         /* bytes per slot, a multiple of 8 */
    size_t capacity;       /* bytes the engine may write per template */
    uint8_t *bytes;        /* n * stride, mapped from fd */
    int fd;                /* the memfd behind bytes */
    size_t *size;          /* bytes used by each */
    int32_t *outcome;      /* shades_outcome, or SH_RUN_*, of each */
    float *norm;           /* declared embeddings: each vector's norm term; else NULL */
} sh_templates;

/* Slot i of t: its template's bytes. [thread: any] */
static inline uint8_t *sh_templates_slot(const sh_templates *t, size_t i)
{
    return t->bytes + i * t->stride;
}

/* The engine's slots view of t, for its calls (call.h). [thread: any] */
static inline sh_engine_slots sh_templates_slots(const sh_templates *t)
{
    return (sh_engine_slots){t->bytes, t->n, t->stride, t->capacity, t->size, t->fd};
}

/* The engine's last words (a reply's message) as ": message", or "" when
 * it said nothing. */
void sh_runner_engine_words(char *out, size_t cap, const char *message);

/* Decodes item i of m into px (freed with sh_image_free) and describes
 * it as an engine image in *out; a failure names the manifest line.
 * [thread: any] */
int sh_runner_image(shades_image *out, sh_pixels *px, const sh_manifest *m, size_t i,
                        sh_err *err);

/* Decodes every image of m and makes its template, with roles[i] (NULL:
 * all SHADES_ROLE_ENROL_11), counting each image on progress (may be
 * NULL). A negative engine status or an undecodable image stops the run
 * with a message naming the image and its manifest line; a call that
 * faults (calls->may_fault) is recorded as that image's outcome. Blocks found in cp
 * (may be NULL) are restored, and each block made is saved there. */
int sh_runner_templates(sh_templates **out, sh_instance *inst, sh_executor *ex,
                            sh_ranks *ranks, const sh_manifest *m, const int32_t *roles,
                            sh_checkpoint *cp, sh_progress *progress, sh_err *err);

/* Restores block [begin, end) of stage from cp (may be NULL) into
 * arrays, counting it on progress: 1 restored, 0 not checkpointed, or a
 * negative code. [thread: any] */
int sh_runner_restore(sh_checkpoint *cp, uint32_t stage, size_t begin, size_t end,
                          const sh_ckpt_array *arrays, size_t n, sh_progress *progress,
                          sh_err *err);

/* Frees templates; NULL is allowed. */
void sh_templates_destroy(sh_templates *t);

/* Pairs a block of comparisons holds: the unit of checkpoints and of the
 * split across ranks, the array source's, so a rank's listed scores are
 * the ones its replays hand over. */
#define SH_RUNNER_COMPARE_BLOCK SH_ARRAY_SOURCE_BLOCK

/* Scores n pairs into out_scores (n doubles, owned by the caller): the
 * engine's similarity of verify = b to enrol = a (by BLAS for declared
 * embeddings, in batches where the engine offers them), or -infinity where
 * either template failed (never compared, always a non-match). out_faults
 * (n bytes, may be NULL where calls cannot fault) gets each pair's sh_fault; a
 * faulted pair scores -infinity. Counts each pair on progress (may be
 * NULL). Blocks are restored from and saved to cp (may be NULL) as
 * `stage` (SH_CKPT_GENUINE or SH_CKPT_IMPOSTOR). Across ranks, shared 1
 * leaves every rank holding every score; 0 leaves each holding its own
 * blocks' (pair k is rank (k / SH_RUNNER_COMPARE_BLOCK) % size's), for a
 * score source split the same way. */
int sh_runner_compare(double *out_scores, uint8_t *out_faults, sh_instance *inst,
                      sh_executor *ex, sh_ranks *ranks, int shared,
                          const sh_templates *t, const sh_manifest *m,
                          const sh_pair *pairs, size_t n, sh_checkpoint *cp,
                          uint32_t stage, sh_progress *progress, sh_err *err);

/* Scores pairs[0..n) (slots of t whose templates all succeeded) into
 * out_scores, by whichever path the engine allows: BLAS on declared
 * embeddings, else the engine's calls (calls->compare_batch). out_faults
 * (n bytes) gets each pair's sh_fault. [thread: any] */
int sh_runner_score_pairs(double *out_scores, uint8_t *out_faults, sh_instance *inst,
                              const sh_templates *t, const sh_manifest *m,
                              const sh_engine_pair *pairs, size_t n, sh_err *err);

/* Probes a harness search of declared embeddings scores with one sgemm
 * per gallery tile: with fewer, sgemm's packing of each gallery tile, done
 * again for every block, costs a third as much as the products. Not 512,
 * though that packs the gallery half as often (4 % faster in bench_search):
 * the block is also the executor's unit, and a few thousand probes against
 * a large gallery would keep only half as many threads busy. */
#define SH_SEARCH_BLOCK 256

/* Gallery vectors per sgemm of a search: the block's probes are packed
 * again for every tile, so the longer the tile the less often (2,048: about
 * 3 % faster in bench_search than 512, a tile of scores 2 MiB). The tiles fix a
 * score's last float bit (docs/measures.md). */
#define SH_SEARCH_TILE 2048

/* Searches each of probes[0..n) against gallery[0..n_gallery) (item
 * numbers into t), keeping the `length` best candidates: higher score
 * first, ties to the lower gallery index, failed templates never listed.
 * A comparison lost to a fault lists nothing. Counts each search
 * on progress (may be NULL). Declared embeddings are searched by the
 * harness in blocks of `block` probes (0: SH_SEARCH_BLOCK), the unit of the
 * executor, the ranks and the checkpoint; an engine's searches go 8 at a
 * time. Blocks are restored from and saved to cp (may be NULL) as `stage`
 * (SH_CKPT_MATED or SH_CKPT_NONMATED). */
int sh_runner_search(sh_candidates **out, sh_instance *inst, sh_executor *ex,
                         sh_ranks *ranks, const sh_templates *t, const sh_manifest *m,
                         const uint32_t *gallery, size_t n_gallery, const uint32_t *probes,
                         size_t n, size_t length, size_t block, sh_checkpoint *cp,
                         uint32_t stage, sh_progress *progress, sh_err *err);

/* Estimates the attributes of every image of m into out (n_items, owned
 * by the caller), outcome set to SH_RUN_* on a faulted call; blocks
 * are restored from and saved to cp (may be NULL). [thread: main] */
int sh_runner_estimate(shades_attributes *out, sh_instance *inst, sh_executor *ex,
                           sh_ranks *ranks, const sh_manifest *m, sh_checkpoint *cp,
                           sh_progress *progress, sh_err *err);

#endif
