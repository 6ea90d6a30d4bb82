#include "face.h"

#include <math.h>
#include <stdlib.h>

#include "raster.h"
#include "rng.h"

/* Face geometry is in face units: the face centre is the origin and the
 * half-height of the face (centre to chin) is 1; +y points down. The face
 * centre sits at the image centre and its half-height is FACE_SHARE of the
 * image side. */
#define FACE_SHARE 0.30

static double clamp01(double x)
{
    return x < 0 ? 0 : x > 1 ? 1 : x;
}

/* Coverage of a shape at signed distance d (face units, negative inside),
 * anti-aliased over one pixel of `px` face units. */
static double cover(double d, double px)
{
    return clamp01(0.5 - d / px);
}

static void mix(double c[3], const double with[3], double a)
{
    for (int k = 0; k < 3; k++)
        c[k] += (with[k] - c[k]) * a;
}

static void scale3(double c[3], double k)
{
    for (int k2 = 0; k2 < 3; k2++)
        c[k2] *= k;
}

static double sq(double x)
{
    return x * x;
}

/* Approximate signed distance to an axis-aligned ellipse. */
static double ellipse(double x, double y, double cx, double cy, double rx, double ry)
{
    double r = sqrt(sq((x - cx) / rx) + sq((y - cy) / ry));
    return (r - 1) * (rx < ry ? rx : ry);
}

/* Gaussian bump, 1 at (cx, cy). */
static double bump(double x, double y, double cx, double cy, double sx, double sy)
{
    return exp(-(sq((x - cx) / sx) + sq((y - cy) / sy)));
}

/* Value noise in 0..1 from a hash of the lattice, for hair and stubble. */
static double grain(double x, double y, uint64_t key)
{
    int64_t ix = (int64_t)floor(x), iy = (int64_t)floor(y);
    return (double)(synth_mix64(key ^ synth_mix64((uint64_t)ix * 0x9e3779b97f4a7c15u ^ (uint64_t)iy)) >> 11) *
           0x1.0p-53;
}

/* Smooth value noise in 0..1: grain interpolated between lattice points. */
static double smooth_grain(double x, double y, uint64_t key)
{
    double fx = floor(x), fy = floor(y), tx = x - fx, ty = y - fy;
    tx = tx * tx * (3 - 2 * tx);
    ty = ty * ty * (3 - 2 * ty);
    double a = grain(fx, fy, key), b = grain(fx + 1, fy, key);
    double c = grain(fx, fy + 1, key), d = grain(fx + 1, fy + 1, key);
    return (a + (b - a) * tx) + ((c + (d - c) * tx) - (a + (b - a) * tx)) * ty;
}

/* Half-width of the face at height y: the jaw narrows below the centre. */
static double face_half_width(const synth_face_identity *id, double y)
{
    return id->width * (1 - id->jaw * sq(y > 0 ? y : 0));
}

/* Shading of the face as an ellipsoid lit by the key light plus ambient. */
static double face_shade(const synth_face_identity *id, const synth_face_capture *c, double x,
                         double y)
{
    double nx = x / face_half_width(id, y), ny = y * 0.9;
    double nz2 = 1 - nx * nx - ny * ny;
    double nz = sqrt(nz2 > 0.02 ? nz2 : 0.02);
    double n = sqrt(nx * nx + ny * ny + nz * nz);
    double diffuse = (nx * c->light[0] + ny * c->light[1] + nz * c->light[2]) / n;
    return 0.28 + 0.72 * (diffuse > 0 ? diffuse : 0);
}

/* Inner features, drawn over the lit skin colour `col` at feature
 * coordinates (x, y); `skin` is the unlit skin albedo. */
static void features(double col[3], const double skin[3], const synth_face_identity *id,
                     const synth_face_capture *c, double x, double y, double nose_x, double px)
{
    static const double black[3] = {0.01, 0.008, 0.008};
    double shade = face_shade(id, c, x, y);
    for (int s = -1; s <= 1; s += 2) {
        double ex = s * id->eye_x, ey = id->eye_y;
        /* Eye sockets sit deeper than the cheeks, so they catch less light. */
        scale3(col, 1 - 0.38 * bump(x, y, ex, ey - 0.01, 0.19, 0.10));
        /* Brow: a thick arc above the eye, raised by expression. */
        double bx = (x - s * (id->eye_x + 0.02)) / id->brow_len;
        if (fabs(bx) < 1.15) {
            double line = id->brow_y - 0.04 * c->brow_raise - id->brow_arch * (1 - bx * bx);
            double half = id->brow_thick * (1 - 0.45 * bx * bx);
            double a = cover(fabs(y - line) - half, px) * cover(fabs(bx) - 1, px / id->brow_len);
            double brow[3] = {id->hair[0] * 0.7, id->hair[1] * 0.7, id->hair[2] * 0.7};
            scale3(brow, shade * c->level);
            mix(col, brow, 0.88 * a);
        }
        /* Eye: an almond of sclera with iris, pupil and the upper lid line. */
        double u = (x - ex) / id->eye_w;
        if (fabs(u) < 1) {
            double h = id->eye_h * pow(1 - u * u, 0.7);
            double lid = ey - h;
            double in = cover(fabs(y - ey) - h, px);
            if (in > 0) {
                double e[3] = {0.45, 0.42, 0.40};
                double r = hypot(x - ex - c->yaw * 0.05, y - ey);
                mix(e, id->iris, cover(r - id->eye_h * 1.05, px));
                mix(e, black, cover(r - id->eye_h * 0.45, px));
                scale3(e, shade * 0.8 * c->level);
                mix(col, e, in);
            }
            double lash[3] = {0.01, 0.01, 0.01};
            mix(col, lash, 0.9 * cover(fabs(y - lid) - 0.012, px));
        }
    }
    /* Nose: a lit bridge, shaded sides, nostrils and the shadow beneath. */
    double tip = id->nose_len;
    if (y > id->eye_y && y < tip) {
        double t = (y - id->eye_y) / (tip - id->eye_y);
        double side = id->nose_w * (0.45 + 0.55 * t);
        scale3(col, 1 + 0.12 * bump(nose_x, y, 0, y, 0.035, 1));
        scale3(col, 1 - 0.3 * t * bump(fabs(nose_x), y, side, y, 0.035, 1));
    }
    scale3(col, 1 - 0.45 * bump(nose_x, y, 0, tip + 0.06, 0.11, 0.03));
    for (int s = -1; s <= 1; s += 2)
        scale3(col, 1 - 0.75 * cover(ellipse(nose_x, y, s * id->nose_w * 0.5, tip + 0.02, 0.045,
                                             0.022),
                                     px));
    /* Mouth: lips around a line that curves up with a smile and opens. */
    double mx = x / id->mouth_w;
    if (fabs(mx) < 1.1) {
        double w = sqrt(clamp01(1 - mx * mx));
        double line = id->mouth_y - 0.05 * c->smile * mx * mx;
        double gap = 0.07 * c->open * w;
        double up = cover(fabs(y - (line - gap / 2 - id->lip_h * w / 2)) - id->lip_h * w / 2, px);
        double lo = cover(fabs(y - (line + gap / 2 + id->lip_h * 0.65 * w)) - id->lip_h * 0.65 * w,
                          px);
        double lip[3] = {skin[0] * 0.82, skin[1] * 0.52, skin[2] * 0.55};
        scale3(lip, shade * c->level);
        mix(col, lip, 0.9 * (up > lo ? up : lo));
        double inner = cover(fabs(y - line) - gap / 2 - 0.006, px) * cover(fabs(mx) - 1, px);
        double dark[3] = {0.02 * c->level, 0.008 * c->level, 0.008 * c->level};
        mix(col, dark, 0.85 * inner);
    }
    /* Stubble darkens the lower face outside the lips. */
    if (id->beard > 0 && y > tip + 0.08) {
        double g = grain(x * 90, y * 90, (uint64_t)(id->lab[0] * 1000));
        double a = id->beard * 0.55 * clamp01((y - tip - 0.08) / 0.06) * (0.6 + 0.4 * g);
        double stub[3] = {id->hair[0], id->hair[1], id->hair[2]};
        scale3(stub, shade * c->level);
        if (fabs(y - id->mouth_y) > id->lip_h * 1.5 || fabs(mx) > 1.1)
            mix(col, stub, a);
    }
    for (int k = 0; k < id->moles; k++) {
        double mole[3] = {0.03 * c->level, 0.015 * c->level, 0.01 * c->level};
        mix(col, mole, 0.8 * cover(hypot(x - id->mole[k][0], y - id->mole[k][1]) - 0.018, px));
    }
}

/* Colour of one point of the scene, linear RGB, before the camera. */
static void shade_point(double col[3], const double skin[3], const synth_face_identity *id,
                        const synth_face_capture *c, double x, double y, double px)
{
    double lv = c->level;
    double bg[3] = {c->background[0], c->background[1], c->background[2]};
    scale3(bg, lv * (0.9 + 0.2 * y / 3));
    col[0] = bg[0], col[1] = bg[1], col[2] = bg[2];
    double hair[3] = {id->hair[0] * lv, id->hair[1] * lv, id->hair[2] * lv};
    double skin_lit[3] = {skin[0] * lv, skin[1] * lv, skin[2] * lv};
    /* Shoulders, neck, long hair behind, ears. */
    double cloth[3] = {id->cloth[0] * lv * 0.8, id->cloth[1] * lv * 0.8, id->cloth[2] * lv * 0.8};
    mix(col, cloth, cover(ellipse(x, y, 0, 2.3, 1.9, 0.95), px));
    double neck[3] = {skin_lit[0] * 0.5, skin_lit[1] * 0.5, skin_lit[2] * 0.5};
    if (y > 0.4)
        mix(col, neck, cover(fabs(x) - id->width * 0.45, px) * cover(y - 1.45 - 0.2 * sq(x), px));
    if (id->hair_style == 1) {
        double back = ellipse(x, y, 0, 0.2, id->width * 1.32, 1.3);
        double g = 0.75 + 0.25 * grain(x * 40, y * 4, (uint64_t)(id->hair[0] * 1e6));
        double h2[3] = {hair[0] * g, hair[1] * g, hair[2] * g};
        mix(col, h2, cover(back, px));
    }
    double ear[3] = {skin_lit[0] * 0.7, skin_lit[1] * 0.7, skin_lit[2] * 0.7};
    for (int s = -1; s <= 1; s += 2)
        mix(col, ear, cover(ellipse(x, y, s * id->width * 0.98, -0.02, 0.12, 0.21), px));
    /* The face itself. */
    double fw = face_half_width(id, y);
    double d = ellipse(x, y, 0, 0, fw, 1.0);
    double a = cover(d, px);
    if (a > 0) {
        double f[3] = {skin_lit[0], skin_lit[1], skin_lit[2]};
        /* Complexion: blotches and fine marks fixed for the identity, which
         * move with the face as its features do. */
        double tx = x - c->yaw * 0.22, ty = y - c->pitch * 0.3;
        double marks = 0.22 * (smooth_grain(tx * 5 + 50, ty * 5 + 50, id->complexion) - 0.5) +
                       0.14 * (smooth_grain(tx * 13 + 50, ty * 13 + 50, id->complexion ^ 1) - 0.5);
        scale3(f, face_shade(id, c, x, y) * (1 + marks));
        /* Features move with the head's turn and nod; the nose, nearest the
         * camera, moves most. */
        double fx = x - c->yaw * 0.22, fy = y - c->pitch * 0.3;
        features(f, skin, id, c, fx, fy, x - c->yaw * 0.34, px);
        mix(col, f, a);
    }
    /* Hair over the top of the head, with a ragged hairline. */
    {
        double cap = ellipse(x, y, 0, -0.1, id->width * 1.1, 1.08);
        double edge = id->hairline + 0.22 * sq(x / id->width) +
                      0.02 * sin(x * 31 + id->hairline * 50);
        double in = cover(cap, px) * cover(y - edge, px);
        double g = 0.7 + 0.3 * grain(x * 60, y * 8, (uint64_t)(id->hair[1] * 1e6));
        double h2[3] = {hair[0] * g, hair[1] * g, hair[2] * g};
        scale3(h2, 0.6 + 0.4 * face_shade(id, c, x, 0));
        mix(col, h2, (id->hair_style == 2 ? 0.35 : 0.97) * in);
    }
}

int synth_face_render(uint8_t *out_rgb, unsigned size, const synth_face_identity *id,
                      const synth_face_capture *c)
{
    float *buf = malloc(sizeof(float) * 3 * size * size);
    if (!buf)
        return -1;
    double skin[3];
    synth_raster_lab_to_linear(skin, id->lab);
    double half = FACE_SHARE * size * c->scale;
    double px = 1.0 / half;
    double th = c->roll_deg * 3.141592653589793 / 180, ct = cos(th), st = sin(th);
    for (unsigned py = 0; py < size; py++) {
        for (unsigned pxi = 0; pxi < size; pxi++) {
            double ix = pxi + 0.5 - size * (0.5 + c->dx), iy = py + 0.5 - size * (0.5 + c->dy);
            double x = (ct * ix + st * iy) / half, y = (-st * ix + ct * iy) / half;
            double col[3];
            shade_point(col, skin, id, c, x, y, px);
            float *o = buf + 3 * ((size_t)py * size + pxi);
            for (int k = 0; k < 3; k++)
                o[k] = (float)(col[k] * c->tint[k] * pow(2, c->exposure));
        }
    }
    if (synth_raster_blur(buf, size, c->blur)) {
        free(buf);
        return -1;
    }
    synth_rng noise = {c->noise_seed, 0};
    for (size_t i = 0; i < (size_t)3 * size * size; i++) {
        double v = clamp01(buf[i]);
        /* The sRGB transfer function, as a camera encodes. */
        double e = v <= 0.0031308 ? 12.92 * v : 1.055 * pow(v, 1 / 2.4) - 0.055;
        double q = e * 255 + c->noise_sd * synth_rng_normal(&noise);
        out_rgb[i] = (uint8_t)(q < 0 ? 0 : q > 255 ? 255 : lround(q));
    }
    free(buf);
    return 0;
}
