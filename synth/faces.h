/* A generated face cohort on disk: PNG images, a manifest with sex, skin
 * type and capture conditions, and a dataset card (docs/synth.md). */
#ifndef SH_SYNTH_FACES_H
#define SH_SYNTH_FACES_H

#include <stdint.h>

#include "error.h"
#include "executor.h"
#include "face.h"

/* What to generate. */
typedef struct synth_faces_spec {
    unsigned subjects;
    unsigned images_per_subject;
    uint64_t seed;
    sh_executor *executor;     /* renders on it (borrowed); NULL: on the calling thread */
    synth_face_params params;
} synth_faces_spec;

/* Writes dir/images/s<subject>_<k>.png, dir/manifest.csv and dir/card.yaml.
 * Deterministic from spec (the thread count changes nothing). The manifest
 * is written last, under a temporary name renamed into place, so a failed
 * run leaves no manifest that names missing images. */
int synth_faces_write(const char *dir, const synth_faces_spec *spec, sh_err *err);

#endif
