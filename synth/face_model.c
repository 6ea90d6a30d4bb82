#include "face.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "raster.h"
#include "rng.h"

static const char *const skin_names[6] = {"I", "II", "III", "IV", "V", "VI"};

const char *synth_face_skin_name(int skin_type)
{
    return skin_type >= 1 && skin_type <= 6 ? skin_names[skin_type - 1] : "?";
}

/* Individual typology angle bands (Chardon et al. 1991: very light > 55,
 * light 41-55, intermediate 28-41, tan 10-28, brown -30-10, dark < -30),
 * matched type by type to Fitzpatrick I-VI as Del Bino and Bernerd (2013)
 * do, with the b* and a* means of their groups (docs/synth.md). The band
 * edges are kept 1 degree inside so that every drawn colour classifies. */
typedef struct skin_band {
    double ita_lo, ita_hi, b, a;
} skin_band;
static const skin_band skin_bands[6] = {
    {56, 65, 13.0, 8.5},  {42, 54, 15.0, 9.5},  {29, 40, 17.0, 10.5},
    {11, 27, 19.0, 11.5}, {-29, 9, 19.0, 12.0}, {-55, -31, 14.0, 10.0},
};

void synth_face_params_default(synth_face_params *out)
{
    *out = (synth_face_params){
        .size = 128,
        .female_share = 0.5,
        .illumination_min = 0.5,
        .illumination_max = 1.0,
        .light_angle_deg = 25,
        .colour_cast = 0.08,
        .roll_deg = 4,
        .yaw = 0.06,
        .pitch = 0.03,
        .expression = 0.4,
        .exposure_sd = 0.2,
        .noise_sd = 2.5,
        .blur_max = 0.8,
    };
}

/* One settable knob: name, where it lives, and its allowed range. */
typedef struct knob {
    const char *name;
    size_t offset;
    double lo, hi;
} knob;

#define KNOB(f, lo, hi) {#f, offsetof(synth_face_params, f), lo, hi}
static const knob knobs[] = {
    KNOB(female_share, 0, 1),       KNOB(illumination_min, 0.05, 2),
    KNOB(illumination_max, 0.05, 2), KNOB(light_angle_deg, 0, 80),
    KNOB(colour_cast, 0, 0.5),      KNOB(roll_deg, 0, 30),
    KNOB(yaw, 0, 0.5),              KNOB(pitch, 0, 0.3),
    KNOB(expression, 0, 1),         KNOB(exposure_sd, 0, 2),
    KNOB(noise_sd, 0, 40),          KNOB(blur_max, 0, 6),
};

int synth_face_params_set(synth_face_params *out, const char *setting, char *why, size_t cap)
{
    const char *eq = strchr(setting, '=');
    if (!eq) {
        snprintf(why, cap, "'%s' is not key=value", setting);
        return -1;
    }
    size_t klen = (size_t)(eq - setting);
    char *end;
    double v = strtod(eq + 1, &end);
    int numeric = end != eq + 1 && *end == '\0' && isfinite(v);
    if (klen == 4 && strncmp(setting, "size", 4) == 0) {
        if (!numeric || v != floor(v) || v < 64 || v > 1024) {
            snprintf(why, cap, "size: '%s' is not a whole number of pixels from 64 to 1024",
                     eq + 1);
            return -1;
        }
        out->size = (unsigned)v;
        return 0;
    }
    for (size_t i = 0; i < sizeof knobs / sizeof knobs[0]; i++) {
        if (strlen(knobs[i].name) != klen || strncmp(knobs[i].name, setting, klen))
            continue;
        if (!numeric || v < knobs[i].lo || v > knobs[i].hi) {
            snprintf(why, cap, "%s: '%s' is not a number from %g to %g", knobs[i].name, eq + 1,
                     knobs[i].lo, knobs[i].hi);
            return -1;
        }
        *(double *)(void *)((char *)out + knobs[i].offset) = v;
        return 0;
    }
    snprintf(why, cap, "unknown setting '%.*s' (docs/synth.md lists them)", (int)klen, setting);
    return -1;
}

int synth_face_params_check(const synth_face_params *p, char *why, size_t cap)
{
    if (p->illumination_min > p->illumination_max) {
        snprintf(why, cap, "illumination_min %g is above illumination_max %g",
                 p->illumination_min, p->illumination_max);
        return -1;
    }
    return 0;
}

static void set3(double out[3], double a, double b, double c)
{
    out[0] = a, out[1] = b, out[2] = c;
}

/* Hair from black through browns to blond and grey, in linear RGB. */
static void draw_hair(double out[3], synth_rng *r, int skin_type)
{
    double u = synth_rng_unit(r);
    /* Darker skin types draw dark hair more often, as populations do. */
    double dark_share = 0.35 + 0.1 * skin_type;
    if (u < dark_share)
        set3(out, 0.012, 0.010, 0.009);
    else if (u < dark_share + 0.25)
        set3(out, 0.05, 0.03, 0.018);
    else if (u < 0.93)
        set3(out, 0.30, 0.22, 0.12);
    else
        set3(out, 0.28, 0.27, 0.26);
    double k = synth_rng_range(r, 0.8, 1.25);
    for (int c = 0; c < 3; c++)
        out[c] *= k;
}

void synth_face_identity_draw(synth_face_identity *out, const synth_face_params *p,
                              uint64_t seed, unsigned subject)
{
    synth_rng r = synth_rng_make(seed, subject, 0);
    synth_face_identity id = {0};
    id.sex = synth_rng_unit(&r) < p->female_share ? 'F' : 'M';
    id.skin_type = 1 + (int)(synth_rng_unit(&r) * 6);
    int f = id.sex == 'F';
    const skin_band *band = &skin_bands[id.skin_type - 1];
    id.ita = synth_rng_range(&r, band->ita_lo, band->ita_hi);
    double b = band->b + 1.5 * synth_rng_normal(&r);
    id.lab[2] = b;
    id.lab[1] = band->a + 1.2 * synth_rng_normal(&r);
    id.lab[0] = 50 + b * tan(id.ita * 3.141592653589793 / 180);
    id.width = synth_rng_range(&r, 0.70, 0.82) - 0.02 * f;
    id.jaw = synth_rng_range(&r, 0.12, 0.30) + 0.06 * f;
    id.eye_x = synth_rng_range(&r, 0.29, 0.36);
    id.eye_y = synth_rng_range(&r, -0.16, -0.06);
    id.eye_w = synth_rng_range(&r, 0.11, 0.15);
    id.eye_h = synth_rng_range(&r, 0.040, 0.058) + 0.004 * f;
    double iu = synth_rng_unit(&r);
    if (iu < 0.7 || id.skin_type >= 4)
        set3(id.iris, 0.04, 0.02, 0.01);
    else if (iu < 0.85)
        set3(id.iris, 0.08, 0.12, 0.22);
    else
        set3(id.iris, 0.07, 0.09, 0.04);
    id.brow_y = id.eye_y - synth_rng_range(&r, 0.13, 0.19);
    id.brow_len = synth_rng_range(&r, 0.14, 0.19);
    id.brow_thick = synth_rng_range(&r, 0.018, 0.034) + 0.01 * (1 - f);
    id.brow_arch = synth_rng_range(&r, 0.01, 0.05);
    id.nose_len = synth_rng_range(&r, 0.24, 0.34);
    id.nose_w = synth_rng_range(&r, 0.09, 0.14) + 0.012 * (id.skin_type >= 5);
    id.mouth_y = id.nose_len + synth_rng_range(&r, 0.17, 0.24);
    id.mouth_w = synth_rng_range(&r, 0.17, 0.24);
    id.lip_h = synth_rng_range(&r, 0.030, 0.050) + 0.008 * f;
    draw_hair(id.hair, &r, id.skin_type);
    double su = synth_rng_unit(&r);
    id.hair_style = f ? (su < 0.75 ? 1 : 0) : (su < 0.12 ? 1 : su < 0.8 ? 0 : 2);
    id.hairline = -synth_rng_range(&r, 0.52, 0.68);
    id.beard = !f && synth_rng_unit(&r) < 0.3 ? synth_rng_range(&r, 0.3, 1.0) : 0;
    set3(id.cloth, synth_rng_range(&r, 0.02, 0.5), synth_rng_range(&r, 0.02, 0.5),
         synth_rng_range(&r, 0.02, 0.5));
    id.complexion = synth_mix64(r.key ^ 0xc0e1);
    id.moles = (int)(synth_rng_unit(&r) * 4);
    for (int k = 0; k < id.moles; k++) {
        id.mole[k][0] = synth_rng_range(&r, -0.55, 0.55) * id.width;
        id.mole[k][1] = synth_rng_range(&r, -0.4, 0.7);
    }
    *out = id;
}

void synth_face_capture_draw(synth_face_capture *out, const synth_face_params *p,
                             uint64_t seed, unsigned subject, unsigned image)
{
    synth_rng r = synth_rng_make(seed, subject, (uint64_t)image + 1);
    synth_face_capture c = {0};
    c.roll_deg = synth_rng_range(&r, -p->roll_deg, p->roll_deg);
    c.yaw = synth_rng_range(&r, -p->yaw, p->yaw);
    c.pitch = synth_rng_range(&r, -p->pitch, p->pitch);
    c.scale = synth_rng_range(&r, 0.94, 1.06);
    c.dx = synth_rng_range(&r, -0.03, 0.03);
    c.dy = synth_rng_range(&r, -0.03, 0.03);
    c.smile = synth_rng_range(&r, 0, p->expression);
    c.open = synth_rng_unit(&r) < 0.3 ? synth_rng_range(&r, 0, p->expression) : 0;
    c.brow_raise = synth_rng_range(&r, 0, p->expression);
    c.level = synth_rng_range(&r, p->illumination_min, p->illumination_max);
    double angle = synth_rng_range(&r, 0, p->light_angle_deg) * 3.141592653589793 / 180;
    double azimuth = synth_rng_range(&r, 0, 6.283185307179586);
    set3(c.light, sin(angle) * cos(azimuth), -fabs(sin(angle) * sin(azimuth)), cos(angle));
    for (int k = 0; k < 3; k++)
        c.tint[k] = 1 + synth_rng_range(&r, -p->colour_cast, p->colour_cast);
    c.exposure = p->exposure_sd * synth_rng_normal(&r);
    /* Less light means more gain, and gain amplifies sensor noise. */
    c.noise_sd = p->noise_sd / sqrt(c.level);
    c.blur = synth_rng_range(&r, 0, p->blur_max);
    double g = synth_rng_range(&r, 0.06, 0.35);
    set3(c.background, g * synth_rng_range(&r, 0.85, 1.15), g, g * synth_rng_range(&r, 0.85, 1.15));
    c.noise_seed = synth_mix64(r.key ^ 0x5eed);
    *out = c;
}
