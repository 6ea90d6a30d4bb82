/* Replay: existing outputs stand in for an engine. A scores file gives each
 * pair's similarity and a predictions file each image's predicted class,
 * both keyed by the manifest's image ids. Real engines never see ids, so
 * this is a score source of the runner, not a plugin. */
#ifndef SH_HARNESS_REPLAY_H
#define SH_HARNESS_REPLAY_H

#include <stdint.h>

#include "config.h"
#include "error.h"
#include "manifest.h"
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
