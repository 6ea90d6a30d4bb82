#include <shades/synthetic.h>

#include <errno.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

static const uint8_t synth_magic[4] = {'S', 'H', 'D', 'S'};
#define SYNTH_VERSION 1
#define SYNTH_CODE_BYTES 32
#define SYNTH_CELL 8 /* a nibble per 8x8 cell: 64 cells, 32 bytes */

uint64_t synth_mix64(uint64_t x)
{
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

static uint64_t hash3(uint64_t a, uint64_t b, uint64_t c)
{
    return synth_mix64(synth_mix64(synth_mix64(a) ^ b) ^ c);
}

/* Uniform in the open interval (0, 1), so the normal quantile stays finite. */
static double unit_open(uint64_t h)
{
    return ((double)(h >> 11) + 0.5) * (1.0 / 9007199254740992.0);
}

static uint64_t image_key(const synth_code *c)
{
    return ((uint64_t)c->subject << 32) | c->image;
}

void synth_model_default(synth_model *out, uint64_t seed)
{
    memset(out, 0, sizeof *out);
    out->genuine_mean = 3.0;
    out->genuine_sd = 1.0;
    out->impostor_mean = 0.0;
    out->impostor_sd = 1.0;
    out->subject_corr = 0.0;
    out->seed = seed;
    for (int k = 0; k < SYNTH_TRAITS; k++)
        out->trait[k].genuine_sd_scale = 1.0;
}

static int parse_double(double *out, const char *s)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || *end || !isfinite(v))
        return -1;
    *out = v;
    return 0;
}

/* A named numeric field of the model and the range it accepts. */
typedef struct model_field {
    const char *name;
    double *field;
    double lo, hi;
} model_field;

/* Sets the field called key from text; 0, -1 unknown key, -2 bad value
 * (why says what is wrong with it). */
static int set_field(const model_field *fields, size_t n, const char *key, const char *val,
                     char *why, size_t cap)
{
    for (size_t i = 0; i < n; i++) {
        if (strcmp(key, fields[i].name) == 0) {
            double v;
            if (parse_double(&v, val)) {
                snprintf(why, cap, "'%s' is not a number", val);
                return -2;
            }
            if (v < fields[i].lo || v > fields[i].hi) {
                snprintf(why, cap, "%s is not from %g to %g", val, fields[i].lo, fields[i].hi);
                return -2;
            }
            *fields[i].field = v;
            return 0;
        }
    }
    return -1;
}

/* Applies one key=value; returns 0, -1 unknown key, -2 bad value (why says
 * what is wrong with it). */
static int apply_option(synth_model *m, const char *key, const char *val, char *why, size_t cap)
{
    if (strcmp(key, "seed") == 0) {
        char *end;
        errno = 0;
        unsigned long long s = strtoull(val, &end, 10);
        if (errno || end == val || *end || val[0] == '-') {
            snprintf(why, cap, "'%s' is not a whole number", val);
            return -2;
        }
        m->seed = s;
        return 0;
    }
    int k, used = 0;
    if (sscanf(key, "trait%d_%n", &k, &used) == 1 && used > 0) {
        /* Only the plain spelling ("trait0_", not "trait00_" or "trait+0_"),
         * so that a key given twice is seen as one. */
        char plain[32];
        snprintf(plain, sizeof plain, "trait%d_", k);
        if (k < 0 || k >= SYNTH_TRAITS || strncmp(key, plain, (size_t)used) ||
            strlen(plain) != (size_t)used)
            return -1;
        synth_trait_effect *t = &m->trait[k];
        const model_field fields[] = {
            {"genuine_sd_scale", &t->genuine_sd_scale, 1e-9, 1e6},
            {"genuine_mean_shift", &t->genuine_mean_shift, -1e6, 1e6},
            {"impostor_mean_shift", &t->impostor_mean_shift, -1e6, 1e6},
            {"fte", &t->fte, 0.0, 0.999},
            {"sex_error", &t->sex_error, 0.0, 1.0},
        };
        return set_field(fields, sizeof fields / sizeof fields[0], key + used, val, why, cap);
    }
    const model_field fields[] = {
        {"genuine_mean", &m->genuine_mean, -1e6, 1e6},
        {"genuine_sd", &m->genuine_sd, 1e-9, 1e6},
        {"impostor_mean", &m->impostor_mean, -1e6, 1e6},
        {"impostor_sd", &m->impostor_sd, 1e-9, 1e6},
        {"subject_corr", &m->subject_corr, 0.0, 0.999},
        {"template_delay_ms", &m->template_delay_ms, 0.0, 10000.0},
    };
    return set_field(fields, sizeof fields / sizeof fields[0], key, val, why, cap);
}

/* Whether a line "key=..." comes before `upto` in options. */
static int given_before(const char *options, const char *upto, const char *key)
{
    size_t n = strlen(key);
    for (const char *l = options; l && l < upto; l = strchr(l, '\n'), l = l ? l + 1 : NULL)
        if (!strncmp(l, key, n) && l[n] == '=')
            return 1;
    return 0;
}

int synth_model_parse(synth_model *out, const char *options, char *errbuf,
                      size_t errcap)
{
    synth_model m = *out;
    const char *p = options ? options : "";
    while (*p) {
        const char *eol = strchr(p, '\n'), *start = p;
        size_t len = eol ? (size_t)(eol - p) : strlen(p);
        char line[256];
        if (len >= sizeof line) {
            snprintf(errbuf, errcap, "option line too long");
            return -1;
        }
        memcpy(line, p, len);
        line[len] = '\0';
        p += len + (eol ? 1 : 0);
        if (!line[0])
            continue;
        char *eq = strchr(line, '=');
        if (!eq) {
            snprintf(errbuf, errcap, "option '%s' is not key=value", line);
            return -1;
        }
        *eq = '\0';
        /* Read in turn, the last would win without a word. */
        if (given_before(options, start, line)) {
            snprintf(errbuf, errcap, "option '%s' is given twice", line);
            return -1;
        }
        char why[160];
        int rc = apply_option(&m, line, eq + 1, why, sizeof why);
        if (rc == -1) {
            snprintf(errbuf, errcap, "unknown option '%s'", line);
            return -1;
        }
        if (rc == -2) {
            snprintf(errbuf, errcap, "option '%s': %s", line, why);
            return -1;
        }
    }
    *out = m;
    return 0;
}

static uint32_t fnv1a32(const uint8_t *p, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ p[i]) * 16777619u;
    return h;
}

void synth_code_draw(uint8_t *out_pixels, const synth_code *code, uint64_t noise_seed)
{
    uint8_t bytes[SYNTH_CODE_BYTES] = {0};
    memcpy(bytes, synth_magic, 4);
    bytes[4] = SYNTH_VERSION;
    bytes[5] = code->traits;
    synth_put_u32(bytes + 8, code->subject);
    synth_put_u32(bytes + 12, code->image);
    synth_put_u32(bytes + 28, fnv1a32(bytes, 28));
    uint64_t state = noise_seed;
    for (int y = 0; y < SYNTH_SIDE; y++) {
        for (int x = 0; x < SYNTH_SIDE; x++) {
            int cell = (y / SYNTH_CELL) * (SYNTH_SIDE / SYNTH_CELL) + x / SYNTH_CELL;
            int nib = (bytes[cell / 2] >> (4 * (cell & 1))) & 0xf;
            state = synth_mix64(state);
            /* Levels 16 apart with +-6 texture: a cell mean is off by far
             * less than the 8 needed to misread a nibble. */
            int v = 8 + 16 * nib + (int)(state % 13) - 6;
            out_pixels[y * SYNTH_SIDE + x] = (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v);
        }
    }
}

int synth_code_read(synth_code *out, const uint8_t *pixels, uint32_t width,
                    uint32_t height, uint32_t stride, int rgb)
{
    if (!pixels || width < SYNTH_SIDE || height < SYNTH_SIDE)
        return -1;
    uint32_t bpp = rgb ? 3 : 1;
    if (stride < width * bpp)
        return -1;
    uint8_t bytes[SYNTH_CODE_BYTES] = {0};
    for (int cell = 0; cell < 2 * SYNTH_CODE_BYTES; cell++) {
        int cy = (cell / (SYNTH_SIDE / SYNTH_CELL)) * SYNTH_CELL;
        int cx = (cell % (SYNTH_SIDE / SYNTH_CELL)) * SYNTH_CELL;
        unsigned sum = 0;
        for (int y = cy + 2; y < cy + 6; y++)
            for (int x = cx + 2; x < cx + 6; x++)
                sum += pixels[(size_t)y * stride + (size_t)x * bpp + (rgb ? 1 : 0)];
        int level = (int)lround((sum / 16.0 - 8.0) / 16.0);
        if (level < 0 || level > 15)
            return -1;
        bytes[cell / 2] |= (uint8_t)(level << (4 * (cell & 1)));
    }
    if (memcmp(bytes, synth_magic, 4) || bytes[4] != SYNTH_VERSION ||
        synth_get_u32(bytes + 28) != fnv1a32(bytes, 28))
        return -1;
    out->traits = bytes[5];
    out->subject = synth_get_u32(bytes + 8);
    out->image = synth_get_u32(bytes + 12);
    return 0;
}

/* 1 - product over the traits present of (1 - p_k), p_k at `offset` in a trait effect. */
static double any_of(const synth_model *m, uint8_t traits, size_t offset)
{
    double ok = 1.0;
    for (int k = 0; k < SYNTH_TRAITS; k++)
        if (traits & (1u << k))
            ok *= 1.0 - *(const double *)(const void *)((const char *)&m->trait[k] + offset);
    return 1.0 - ok;
}

double synth_model_fte(const synth_model *m, uint8_t traits)
{
    return any_of(m, traits, offsetof(synth_trait_effect, fte));
}

double synth_model_sex_error(const synth_model *m, uint8_t traits)
{
    return any_of(m, traits, offsetof(synth_trait_effect, sex_error));
}

int synth_model_says_female(const synth_model *m, const synth_code *code)
{
    int female = (code->traits >> SYNTH_SEX_TRAIT) & 1;
    double p = synth_model_sex_error(m, code->traits);
    int wrong = p > 0 && unit_open(hash3(m->seed, 0x5e7, image_key(code))) < p;
    return female ^ wrong;
}

int synth_model_fails(const synth_model *m, const synth_code *code)
{
    double p = synth_model_fte(m, code->traits);
    return p > 0 && unit_open(hash3(m->seed, 0xf7e, image_key(code))) < p;
}

static void genuine_params(const synth_model *m, uint8_t traits, double *mean, double *sd)
{
    *mean = m->genuine_mean;
    *sd = m->genuine_sd;
    for (int k = 0; k < SYNTH_TRAITS; k++) {
        if (traits & (1u << k)) {
            *mean += m->trait[k].genuine_mean_shift;
            *sd *= m->trait[k].genuine_sd_scale;
        }
    }
}

static double impostor_mean(const synth_model *m, uint8_t both)
{
    double mean = m->impostor_mean;
    for (int k = 0; k < SYNTH_TRAITS; k++)
        if (both & (1u << k))
            mean += m->trait[k].impostor_mean_shift;
    return mean;
}

double synth_model_score(const synth_model *m, const synth_code *a, const synth_code *b)
{
    uint64_t ka = image_key(a), kb = image_key(b);
    uint64_t lo = ka < kb ? ka : kb, hi = ka < kb ? kb : ka;
    double z_pair = gsl_cdf_ugaussian_Pinv(unit_open(hash3(m->seed, lo, hi)));
    if (a->subject == b->subject) {
        double mean, sd;
        genuine_params(m, a->traits, &mean, &sd);
        double z_subj = gsl_cdf_ugaussian_Pinv(unit_open(hash3(m->seed, 0x5b1, a->subject)));
        double z = sqrt(m->subject_corr) * z_subj + sqrt(1.0 - m->subject_corr) * z_pair;
        return mean + sd * z;
    }
    return impostor_mean(m, a->traits & b->traits) + m->impostor_sd * z_pair;
}

double synth_model_match_prob(const synth_model *m, const synth_code *a,
                              const synth_code *b, double t)
{
    if (a->subject == b->subject) {
        double mean, sd;
        genuine_params(m, a->traits, &mean, &sd);
        return gsl_cdf_ugaussian_Q((t - mean) / sd);
    }
    return gsl_cdf_ugaussian_Q((t - impostor_mean(m, a->traits & b->traits)) / m->impostor_sd);
}
