/* Replay: existing outputs stand in for an engine. A scores file gives each
 * pair's similarity and a predictions file each image's predicted class,
 * both keyed by the manifest's image ids. Real engines never see ids, so
 * this is a score source of the runner, not a plugin. */
#ifndef SH_HARNESS_REPLAY_H
#define SH_HARNESS_REPLAY_H

#include <stdint.h>

#include "config.h"
#include "error.h"
#include "executor.h"
#include "manifest.h"
#include "score_source.h"
#include "str_index.h"
#include "verification.h"

/* Fills out_genuine[n_genuine] and out_impostor[n_impostor] (the caller's)
 * with the file's score for every pair of the run, looked up as (reference,
 * probe) and failing that as (probe, reference). An empty score is a failed
 * comparison (-inf: always a non-match). Rows for pairs the run does not
 * use are read and checked, then left out. Fails naming the line on an
 * unknown image id, a pair given twice, a score that is not a number; and
 * naming the pair on a pair of the run the file has no score for. */
int sh_replay_scores(double *out_genuine, double *out_impostor, const sh_cfg_scores *cfg,
                         const sh_manifest *m, const sh_pairs *pairs, sh_err *err);

/* Part of a kept sample: pair[i] scored score[i]. */
typedef struct sh_replay_sample {
    sh_pair *pair;
    double *score;
    size_t n, cap;
} sh_replay_sample;

/* A held score that is not a count of 10^-digits, kept beside: pair `bit`
 * scored `score`. */
typedef struct sh_replay_other {
    uint64_t bit;
    double score;
} sh_replay_other;

/* Every impostor pair of a run whose pairs are all pairs, left implicit
 * (sh_pairs.implicit), as a score source. While the image pairs' scores fit
 * in SH_REPLAY_HELD_MAX_BYTES at 4 bytes a pair, each a count of 10^-digits
 * that an int32 holds and that gives back the same double bit for bit, bar
 * a few (-0.0, a score of more places) kept aside with their pair, the
 * checking read keeps them and replays never read the file again.
 * Otherwise each replay reads the file again, in blocks split across the
 * executor's threads: memory is then a block of text per replay and one bit
 * per image pair. Made by sh_replay_all_pairs; read-only while it lives
 * (replays may not overlap); out must not move. */
typedef struct sh_replay_source {
    sh_score_source base;
    const sh_cfg_scores *cfg;
    const sh_manifest *m;
    sh_str_index *ids;         /* owned */
    int col[3];                /* reference, probe and score columns */
    size_t width;              /* the header's fields */
    /* The sample (score_source.h) the checking read kept, when small
     * enough: the impostor pairs of 1 in sample_every items; owned. */
    unsigned sample_every;     /* 0: none kept; a sample reads the file */
    unsigned n_parts;          /* one part per worker of the checking read */
    struct sh_replay_sample *part;
    /* Each image pair's score times 10^digits, by its bit (upper triangle
     * row by row), SH_REPLAY_HELD_FAILED for a failed comparison,
     * SH_REPLAY_HELD_OTHER for one in `other`; NULL: not held. Owned. */
    int32_t *held;
    unsigned digits;
    sh_replay_other *other;    /* sorted by bit; owned */
    size_t n_other;
    unsigned reads;            /* whole reads of the file so far (replays never overlap) */
    /* The verify image (the later of the two) of each impostor pair whose
     * row has no score (a failed comparison), for /failures, in no set
     * order; owned. */
    uint32_t *no_score;
    size_t n_no_score;
} sh_replay_source;

/* The most memory held scores may take: 16.7 M image pairs, 5,800 images. */
#define SH_REPLAY_HELD_MAX_BYTES (64u << 20)
/* A held failed comparison (-inf). */
#define SH_REPLAY_HELD_FAILED INT32_MIN
/* A held score kept in sh_replay_source.other. */
#define SH_REPLAY_HELD_OTHER (INT32_MIN + 1)

/* sh_replay_scores for pairs that are all pairs, implicit: reads and
 * checks the whole file once (in parallel on ex, NULL: the calling thread;
 * the same checks and messages, the first in file order), fills
 * out_genuine[n_genuine], and makes out the source of the impostors'
 * scores, with the sample the measures predict pass 1's window from (kept
 * by the checking read up to a few MiB, so that pass 2 is seldom needed).
 * Close it with sh_replay_source_close. */
int sh_replay_all_pairs(sh_replay_source *out, double *out_genuine, const sh_cfg_scores *cfg,
                        const sh_manifest *m, const sh_pairs *pairs, sh_executor *ex,
                        sh_err *err);

/* Frees what the source holds; a zeroed one is allowed. */
void sh_replay_source_close(sh_replay_source *src);

/* Fills out_predicted[m->n_items] (the caller's) with the index in
 * class_names of each image's predicted class, or SH_NO_PREDICTION for
 * an empty one (the engine could not process the image). Fails naming the
 * line on an unknown or repeated image id, a class not among class_names,
 * a confidence that is not a number in [0, 1]; and naming the manifest line
 * of an image the file has no row for. */
int sh_replay_predictions(int32_t *out_predicted, const sh_cfg_predictions *cfg,
                              const sh_manifest *m, const char *const *class_names,
                              size_t n_classes, sh_err *err);

#endif
