#include "cohort.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "image.h"
#include "model.h"
#include "paths.h"

static const char *const skin_types[6] = {"I", "II", "III", "IV", "V", "VI"};

uint8_t synth_cohort_traits(const char *sex, const char *skin_type)
{
    uint8_t t = 0;
    for (int k = 3; k < 6; k++)
        if (strcmp(skin_type, skin_types[k]) == 0)
            t |= 1u << SYNTH_TRAIT_DARKER;
    if (strcmp(sex, "F") == 0)
        t |= 1u << SYNTH_TRAIT_FEMALE;
    return t;
}

int synth_cohort_write(const char *dir, const synth_cohort_spec *spec, shades_err *err)
{
    if (spec->subjects == 0 || spec->images_per_subject == 0)
        return shades_err_set(err, SHADES_E_INPUT, "cohort needs at least one subject and image");
    char images[PATH_MAX], manifest[PATH_MAX], tmp[PATH_MAX];
    int rc = shades_path_join(images, sizeof images, dir, "images", err);
    if (!rc)
        rc = shades_path_join(manifest, sizeof manifest, dir, "manifest.csv", err);
    if (!rc)
        rc = shades_path_mkdirs(images, err);
    if (!rc && (size_t)snprintf(tmp, sizeof tmp, "%s.tmp", manifest) >= sizeof tmp)
        rc = shades_err_set(err, SHADES_E_INPUT, "%s: path too long", manifest);
    if (rc)
        return rc;
    FILE *f = fopen(tmp, "w");
    if (!f)
        return shades_err_set(err, SHADES_E_IO, "%s: %s", tmp, strerror(errno));
    fprintf(f, "image_id,subject_id,path,sex,skin_type\n");
    uint8_t px[SYNTH_SIDE * SYNTH_SIDE];
    for (unsigned s = 0; s < spec->subjects && !rc; s++) {
        uint64_t h = synth_mix64(spec->seed ^ synth_mix64(s + 1));
        const char *sex = (h & 1) ? "F" : "M";
        const char *skin = skin_types[(h >> 8) % 6];
        synth_code code = {.subject = s + 1, .traits = synth_cohort_traits(sex, skin)};
        for (unsigned k = 0; k < spec->images_per_subject && !rc; k++) {
            char name[64], path[PATH_MAX];
            code.image = k;
            snprintf(name, sizeof name, "s%05u_%u.png", s + 1, k);
            rc = shades_path_join(path, sizeof path, images, name, err);
            if (rc)
                break;
            synth_code_draw(px, &code, synth_mix64(h ^ (k + 1)));
            rc = shades_image_write_gray_png(path, px, SYNTH_SIDE, SYNTH_SIDE, SYNTH_SIDE, err);
            fprintf(f, "s%05u_%u,s%05u,images/%s,%s,%s\n", s + 1, k, s + 1, name, sex, skin);
        }
    }
    if (fclose(f) != 0 && !rc)
        rc = shades_err_set(err, SHADES_E_IO, "%s: write error", tmp);
    if (!rc && rename(tmp, manifest) != 0)
        rc = shades_err_set(err, SHADES_E_IO, "%s: %s", manifest, strerror(errno));
    if (rc)
        remove(tmp);
    return rc;
}
