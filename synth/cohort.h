/* The demo's cohort generator: synthetic subjects with sex and Fitzpatrick
 * skin type, each image carrying its identity code and trait bits for the
 * synthetic engine. No real person's data is involved. */
#ifndef SH_SYNTH_COHORT_H
#define SH_SYNTH_COHORT_H

#include <stdint.h>

#include <shades/synthetic.h>

#include "error.h"


/* Size and seed of a cohort. */
typedef struct synth_cohort_spec {
    unsigned subjects;
    unsigned images_per_subject;
    uint64_t seed;
} synth_cohort_spec;

/* Writes dir/images/<subject>_<k>.png, dir/manifest.csv (image_id,
 * subject_id, path, sex, skin_type) and its dataset card dir/card.yaml.
 * Deterministic from spec. */
int synth_cohort_write(const char *dir, const synth_cohort_spec *spec, sh_err *err);

/* Trait bits of a subject with this sex ("F"/"M") and skin type ("I".."VI"). */
uint8_t synth_cohort_traits(const char *sex, const char *skin_type);

#endif
