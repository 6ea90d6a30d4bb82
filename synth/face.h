/* The face generator behind `shades synth`: synthetic identities drawn from
 * documented parameters, rendered as face images under varied capture
 * conditions. docs/synth.md states the model and its sources. No image of a
 * real person is used or produced; a generated cohort shows how the harness
 * measures, and is no evidence about any engine on real people. */
#ifndef SH_SYNTH_FACE_H
#define SH_SYNTH_FACE_H

#include <stddef.h>
#include <stdint.h>

/* Generator knobs; synth_face_params_default gives the documented defaults. */
typedef struct synth_face_params {
    unsigned size;             /* image side in pixels */
    double female_share;       /* share of identities drawn female */
    double illumination_min;   /* light level range, 1 = well lit studio */
    double illumination_max;
    double light_angle_deg;    /* largest angle of the key light off frontal */
    double colour_cast;        /* largest white-balance error per channel */
    double roll_deg;           /* largest in-plane head roll */
    double yaw;                /* largest head turn, as a share of face width */
    double pitch;              /* largest nod, as a share of face height */
    double expression;         /* largest smile and mouth opening, 0..1 */
    double exposure_sd;        /* exposure error sd, in stops */
    double noise_sd;           /* sensor noise sd in 8-bit levels at level 1 */
    double blur_max;           /* largest optical blur sigma, pixels */
} synth_face_params;

/* One synthetic identity: fixed for every image of that subject. */
typedef struct synth_face_identity {
    char sex;                  /* 'F' or 'M' */
    int skin_type;             /* Fitzpatrick type 1..6 */
    double lab[3];             /* skin colour, CIE L*a*b* (D65) */
    double ita;                /* individual typology angle of lab, degrees */
    double width;              /* face half-width over half-height */
    double jaw;                /* narrowing of the lower face, 0..0.4 */
    double eye_x, eye_y;       /* eye centre offset from the face centre */
    double eye_w, eye_h;       /* eye half-width and half-height */
    double iris[3];            /* iris albedo, linear RGB */
    double brow_y, brow_len, brow_thick, brow_arch;
    double nose_len, nose_w;
    double mouth_y, mouth_w, lip_h;
    double hair[3];            /* hair albedo, linear RGB */
    int hair_style;            /* 0 short, 1 long, 2 shaved */
    double hairline;           /* height of the hairline above the face centre */
    double beard;              /* stubble density, 0..1 */
    double cloth[3];           /* clothing albedo, linear RGB */
    uint64_t complexion;       /* seed of the skin's fixed blotches and marks */
    int moles;                 /* 0..3 moles at mole[k] */
    double mole[3][2];
} synth_face_identity;

/* One capture of an identity: pose, expression, light and camera. */
typedef struct synth_face_capture {
    double roll_deg, yaw, pitch, scale, dx, dy;
    double smile, open, brow_raise;
    double level;              /* light level, 1 = well lit */
    double light[3];           /* unit direction towards the key light */
    double tint[3];            /* white-balance multipliers */
    double exposure;           /* stops over correct exposure */
    double noise_sd;           /* sensor noise sd, 8-bit levels */
    double blur;               /* optical blur sigma, pixels */
    double background[3];      /* backdrop albedo, linear RGB */
    uint64_t noise_seed;
} synth_face_capture;

/* Documented defaults: controlled indoor capture, 128 px. */
void synth_face_params_default(synth_face_params *out);

/* Applies one "key=value" setting; returns 0, or -1 with a reason in why. */
int synth_face_params_set(synth_face_params *out, const char *setting, char *why, size_t cap);

/* Checks what settings can only break together (illumination_min above
 * illumination_max), once all are applied; returns 0, or -1 with a reason
 * in why. */
int synth_face_params_check(const synth_face_params *p, char *why, size_t cap);

/* Draws identity `subject` of a cohort with this seed. Deterministic. */
void synth_face_identity_draw(synth_face_identity *out, const synth_face_params *p,
                              uint64_t seed, unsigned subject);

/* Draws capture `image` of an identity. Deterministic. */
void synth_face_capture_draw(synth_face_capture *out, const synth_face_params *p,
                             uint64_t seed, unsigned subject, unsigned image);

/* Renders one capture into out_rgb (size x size x 3, 8-bit RGB, stride
 * 3 x size). Returns 0, or a negative code when out of memory. [thread: any] */
int synth_face_render(uint8_t *out_rgb, unsigned size, const synth_face_identity *id,
                      const synth_face_capture *cap);

/* "I".."VI" for a Fitzpatrick type 1..6. */
const char *synth_face_skin_name(int skin_type);

#endif
