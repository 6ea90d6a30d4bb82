#include "answer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

json_t *http_json_at(json_t *root, const char *path)
{
    json_t *v = root;
    const char *p = path;
    while (v && *p) {
        if (*p == '.')
            p++;
        if (*p == '[') {
            char *end;
            unsigned long i = strtoul(p + 1, &end, 10);
            v = json_is_array(v) ? json_array_get(v, i) : NULL;
            p = *end == ']' ? end + 1 : end;
            continue;
        }
        size_t n = strcspn(p, ".[");
        char key[256];
        if (n >= sizeof key)
            return NULL;
        memcpy(key, p, n);
        key[n] = 0;
        v = json_is_object(v) ? json_object_get(v, key) : NULL;
        p += n;
    }
    return v;
}

int http_json_parse(json_t **out, const char *body, size_t size, char *why, size_t cap)
{
    json_error_t e;
    *out = json_loadb(body, size, 0, &e);
    if (!*out) {
        snprintf(why, cap, "the response is not JSON: %s at line %d", e.text, e.line);
        return -1;
    }
    return 0;
}

/* A number at path under v, divided by *scale (NULL: 1). */
static int number(double *out, json_t *v, const char *path, const double *scale, char *why,
                  size_t cap)
{
    json_t *n = http_json_at(v, path);
    if (!n) {
        snprintf(why, cap, "the response has no '%s'", path);
        return -1;
    }
    if (!json_is_number(n)) {
        snprintf(why, cap, "the response's '%s' is not a number", path);
        return -1;
    }
    *out = json_number_value(n) / (scale ? *scale : 1);
    return 0;
}

/* A face's confidence, or 1 when the description names none. */
static double face_confidence(const http_answer *a, json_t *f)
{
    json_t *c = a->confidence ? http_json_at(f, a->confidence) : NULL;
    double s = a->confidence_scale ? *a->confidence_scale : 1;
    return c && json_is_number(c) ? json_number_value(c) / s : 1;
}

static int sex_and_age(shades_attributes *out, const http_answer *a, json_t *f, char *why,
                       size_t cap)
{
    out->outcome = SHADES_OUTCOME_OK;
    out->sex = SHADES_SEX_UNKNOWN;
    out->age = -1;
    if (a->sex) {
        json_t *s = http_json_at(f, a->sex);
        if (!s || !json_is_string(s)) {
            snprintf(why, cap, "the response's face has no text '%s'", a->sex);
            return -1;
        }
        const char *v = json_string_value(s);
        out->sex = !strcmp(v, a->female) ? SHADES_SEX_FEMALE
                   : !strcmp(v, a->male) ? SHADES_SEX_MALE
                                         : SHADES_SEX_UNKNOWN;
        if (a->sex_confidence) {
            double c;
            if (number(&c, f, a->sex_confidence, a->sex_confidence_scale, why, cap))
                return -1;
            out->sex_confidence = (float)(c < 0 ? 0 : c > 1 ? 1 : c);
        }
    }
    if (a->age) {
        double age;
        if (number(&age, f, a->age, NULL, why, cap))
            return -1;
        out->age = (float)age;
    } else if (a->age_low) {
        double lo, hi;
        if (number(&lo, f, a->age_low, NULL, why, cap) ||
            number(&hi, f, a->age_high, NULL, why, cap))
            return -1;
        out->age = (float)((lo + hi) / 2);
    }
    return 0;
}

int http_answer_faces(shades_face *out, size_t *out_count, shades_attributes *out_attrs,
                      size_t capacity, const http_answer *a, json_t *root, uint32_t width,
                      uint32_t height, char *why, size_t cap)
{
    *out_count = 0;
    json_t *faces = http_json_at(root, a->faces);
    if (!faces || !json_is_array(faces)) {
        snprintf(why, cap, "the response has no list '%s'", a->faces[0] ? a->faces : "(the "
                 "response itself)");
        return -1;
    }
    size_t n = json_array_size(faces);
    if (out_attrs && n == 0) {
        out_attrs->outcome = SHADES_OUTCOME_NO_FACE;
        out_attrs->sex = SHADES_SEX_UNKNOWN;
        out_attrs->age = -1;
    }
    /* The order of confidence: selection by rank, n is a few faces. */
    size_t best = 0;
    for (size_t i = 1; i < n; i++)
        if (face_confidence(a, json_array_get(faces, i)) >
            face_confidence(a, json_array_get(faces, best)))
            best = i;
    if (out_attrs && n && sex_and_age(out_attrs, a, json_array_get(faces, best), why, cap))
        return -1;
    unsigned char *taken = calloc(n ? n : 1, 1);
    if (!taken) {
        snprintf(why, cap, "out of memory");
        return -1;
    }
    int fraction = a->box_units && !strcmp(a->box_units, "fraction");
    size_t k = 0;
    for (; k < n && k < capacity; k++) {
        size_t pick = n;
        for (size_t i = 0; i < n; i++)
            if (!taken[i] && (pick == n || face_confidence(a, json_array_get(faces, i)) >
                                               face_confidence(a, json_array_get(faces, pick))))
                pick = i;
        taken[pick] = 1;
        json_t *f = json_array_get(faces, pick);
        shades_face face = {0};
        face.confidence = (float)face_confidence(a, f);
        if (a->box_count == 4) {
            double b[4];
            for (int j = 0; j < 4; j++)
                if (number(&b[j], f, a->box[j], NULL, why, cap)) {
                    free(taken);
                    return -1;
                }
            if (fraction) {
                b[0] *= width;
                b[2] *= width;
                b[1] *= height;
                b[3] *= height;
            }
            face.x = (float)b[0];
            face.y = (float)b[1];
            face.width = (float)b[2];
            face.height = (float)b[3];
        }
        out[k] = face;
    }
    free(taken);
    *out_count = k;
    return 0;
}

int http_answer_score(double *out, const http_answer *a, json_t *root, char *why, size_t cap)
{
    if (!http_json_at(root, a->score) && a->score_absent) {
        *out = *a->score_absent;
        return 0;
    }
    return number(out, root, a->score, a->score_scale, why, cap);
}

int http_answer_embedding(float *out, const http_answer *a, json_t *root, char *why,
                          size_t cap)
{
    json_t *v = http_json_at(root, a->embedding);
    if (!v || !json_is_array(v)) {
        snprintf(why, cap, "the response has no list '%s'", a->embedding);
        return -1;
    }
    if (json_array_size(v) != a->dimension) {
        snprintf(why, cap, "the response's '%s' has %zu numbers, the description says %u",
                 a->embedding, json_array_size(v), a->dimension);
        return -1;
    }
    for (unsigned i = 0; i < a->dimension; i++) {
        json_t *x = json_array_get(v, i);
        if (!json_is_number(x)) {
            snprintf(why, cap, "the response's '%s[%u]' is not a number", a->embedding, i);
            return -1;
        }
        out[i] = (float)json_number_value(x);
    }
    return 0;
}
