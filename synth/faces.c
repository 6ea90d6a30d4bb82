#include "faces.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "card.h"
#include "image.h"
#include "executor.h"
#include "paths.h"

/* Shared by the rendering threads; read-only once set. */
typedef struct render_job {
    const synth_faces_spec *spec;
    const char *images;
} render_job;

static void image_name(char *out, size_t cap, unsigned subject, unsigned k)
{
    snprintf(out, cap, "s%05u_%u.png", subject + 1, k);
}

static int render_block(void *ctx, size_t begin, size_t end, sh_err *err)
{
    const render_job *job = ctx;
    const synth_faces_spec *spec = job->spec;
    unsigned side = spec->params.size;
    uint8_t *rgb = malloc((size_t)3 * side * side);
    if (!rgb)
        return sh_err_nomem(err);
    int rc = 0;
    for (size_t i = begin; i < end && !rc; i++) {
        unsigned s = (unsigned)(i / spec->images_per_subject);
        unsigned k = (unsigned)(i % spec->images_per_subject);
        synth_face_identity id;
        synth_face_capture cap;
        synth_face_identity_draw(&id, &spec->params, spec->seed, s);
        synth_face_capture_draw(&cap, &spec->params, spec->seed, s, k);
        char name[64], path[PATH_MAX];
        image_name(name, sizeof name, s, k);
        rc = sh_path_join(path, sizeof path, job->images, name, err);
        if (!rc && synth_face_render(rgb, side, &id, &cap))
            rc = sh_err_nomem(err);
        if (!rc)
            rc = sh_image_write_rgb_png(path, rgb, side, side, 3 * side, err);
    }
    free(rgb);
    return rc;
}

static int write_manifest(const char *tmp, const synth_faces_spec *spec, sh_err *err)
{
    FILE *f = fopen(tmp, "w");
    if (!f)
        return sh_err_set(err, SH_E_IO, "%s: %s", tmp, strerror(errno));
    fprintf(f, "image_id,subject_id,path,sex,skin_type,ita,illumination,light_angle,roll,yaw,"
               "pitch,smile,mouth_open,exposure,noise_sd,blur\n");
    for (unsigned s = 0; s < spec->subjects; s++) {
        synth_face_identity id;
        synth_face_identity_draw(&id, &spec->params, spec->seed, s);
        for (unsigned k = 0; k < spec->images_per_subject; k++) {
            synth_face_capture c;
            synth_face_capture_draw(&c, &spec->params, spec->seed, s, k);
            char name[64];
            image_name(name, sizeof name, s, k);
            double angle = acos(c.light[2]) * 180 / 3.141592653589793;
            fprintf(f,
                    "s%05u_%u,s%05u,images/%s,%c,%s,%.1f,%.3f,%.1f,%.2f,%.3f,%.3f,%.2f,%.2f,"
                    "%.2f,%.2f,%.2f\n",
                    s + 1, k, s + 1, name, id.sex, synth_face_skin_name(id.skin_type), id.ita,
                    c.level, angle, c.roll_deg, c.yaw, c.pitch, c.smile, c.open, c.exposure,
                    c.noise_sd, c.blur);
        }
    }
    if (fclose(f) != 0)
        return sh_err_set(err, SH_E_IO, "%s: write error", tmp);
    return 0;
}

int synth_faces_write(const char *dir, const synth_faces_spec *spec, sh_err *err)
{
    if (spec->subjects == 0 || spec->images_per_subject == 0)
        return sh_err_set(err, SH_E_INPUT, "a cohort needs at least one subject and image");
    if ((uint64_t)spec->subjects > 99999)
        return sh_err_set(err, SH_E_INPUT, "at most 99999 subjects");
    char images[PATH_MAX], manifest[PATH_MAX], tmp[PATH_MAX];
    int rc = sh_path_join(images, sizeof images, dir, "images", err);
    if (!rc)
        rc = sh_path_join(manifest, sizeof manifest, dir, "manifest.csv", err);
    if (!rc)
        rc = sh_path_join(tmp, sizeof tmp, dir, "manifest.csv.tmp", err);
    if (!rc)
        rc = sh_path_mkdirs(images, err);
    render_job job = {spec, images};
    size_t n = (size_t)spec->subjects * spec->images_per_subject;
    if (!rc)
        rc = sh_executor_for_blocks(spec->executor, 0, n, 16, render_block, &job, err);
    if (!rc)
        rc = write_manifest(tmp, spec, err);
    if (!rc && rename(tmp, manifest) != 0)
        rc = sh_err_set(err, SH_E_IO, "%s: %s", manifest, strerror(errno));
    if (rc) {
        remove(tmp);
        return rc;
    }
    const synth_face_params *p = &spec->params;
    char version[160];
    snprintf(version, sizeof version,
             "seed %llu, %u subjects x %u images, %u px, illumination %g-%g",
             (unsigned long long)spec->seed, spec->subjects, spec->images_per_subject, p->size,
             p->illumination_min, p->illumination_max);
    return sh_card_write_generated(dir, manifest, "shades synthetic faces", version,
                                       "rendered by shades synth (synth/, docs/synth.md)", err);
}
