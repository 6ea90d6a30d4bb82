/* The synthetic engine's generative model, shared by the engine, the cohort
 * generator and the tests: how an identity is written into pixels, how scores
 * are drawn, and the closed-form error rates that follow. docs/synthetic.md
 * states the model in full. */
#ifndef SH_SYNTH_MODEL_H
#define SH_SYNTH_MODEL_H

#include <stddef.h>
#include <stdint.h>

#define SYNTH_TRAITS 8        /* trait bits an image can carry */
#define SYNTH_SIDE 64         /* code images are SYNTH_SIDE pixels square */

/* Little-endian 32-bit store and load, for codes and templates. */
static inline void synth_put_u32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static inline uint32_t synth_get_u32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* What a generated image carries: who, which capture, and trait bits. */
typedef struct synth_code {
    uint32_t subject;
    uint32_t image;
    uint8_t traits;
} synth_code;

/* Planted behaviour per trait; see docs/synthetic.md for the closed forms. */
typedef struct synth_trait_effect {
    double genuine_sd_scale;     /* multiplies the genuine sd */
    double genuine_mean_shift;   /* added to the genuine mean */
    double impostor_mean_shift;  /* added when both subjects carry the trait */
    double fte;                  /* probability a template fails */
    double sex_error;            /* probability the sex estimate is wrong */
} synth_trait_effect;

/* The whole model: base distributions, correlation, per-trait effects. */
typedef struct synth_model {
    double genuine_mean, genuine_sd;
    double impostor_mean, impostor_sd;
    double subject_corr;         /* share of genuine variance per subject */
    uint64_t seed;
    synth_trait_effect trait[SYNTH_TRAITS];
    double template_delay_ms;    /* not the model: how long each template call sleeps */
} synth_model;

/* SplitMix64 finaliser: the one hash behind every draw of the model. */
uint64_t synth_mix64(uint64_t x);

/* Default model with the given seed: genuine N(3,1), impostor N(0,1). */
void synth_model_default(synth_model *out, uint64_t seed);

/* Parses "key=value" lines (see docs/synthetic.md) over *out's current
 * values. Returns 0, or -1 with a one-line reason in errbuf. */
int synth_model_parse(synth_model *out, const char *options, char *errbuf,
                      size_t errcap);

/* Writes the code as a SYNTH_SIDE x SYNTH_SIDE gray image (stride
 * SYNTH_SIDE), with mild deterministic texture from noise_seed. */
void synth_code_draw(uint8_t *out_pixels, const synth_code *code,
                     uint64_t noise_seed);

/* Reads a code back from gray or RGB pixels; -1 when the image carries
 * none (the engine's "no face found"). */
int synth_code_read(synth_code *out, const uint8_t *pixels, uint32_t width,
                    uint32_t height, uint32_t stride, int rgb);

/* 1 when the model fails this image's template (deterministic). */
int synth_model_fails(const synth_model *m, const synth_code *code);

/* Probability a template of an image with these traits fails. */
double synth_model_fte(const synth_model *m, uint8_t traits);

/* Trait bits the cohort generator plants (docs/synthetic.md). */
#define SYNTH_TRAIT_DARKER 0   /* Fitzpatrick IV-VI */
#define SYNTH_TRAIT_FEMALE 1   /* sex F */

/* The trait bit the engine's sex estimate reads. */
#define SYNTH_SEX_TRAIT SYNTH_TRAIT_FEMALE

/* Probability the sex estimate of an image with these traits is wrong:
 * 1 - product over its traits k of (1 - sex_error_k). */
double synth_model_sex_error(const synth_model *m, uint8_t traits);

/* 1 when the engine estimates the image's subject female: the truth,
 * flipped with probability synth_model_sex_error (deterministic). */
int synth_model_says_female(const synth_model *m, const synth_code *code);

/* Score of a comparison of two successful templates (symmetric). */
double synth_model_score(const synth_model *m, const synth_code *a,
                         const synth_code *b);

/* P(score >= t) for one pair of successful templates of these codes'
 * subjects and traits: the closed form the measures are tested against. */
double synth_model_match_prob(const synth_model *m, const synth_code *a,
                              const synth_code *b, double t);

#endif
