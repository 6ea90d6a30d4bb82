#include "service.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "sha256.h"
#include "yaml_file.h"

#define STR(key, type, member) SH_YAML_STR(key, type, member)
#define OPT(key, type, member) SH_YAML_OPT_STR(key, type, member)
#define OPT_REAL(key, type, member) \
    CYAML_FIELD_FLOAT_PTR(key, CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, type, member)

static const cyaml_schema_value_t string_entry = {
    CYAML_VALUE_STRING(CYAML_FLAG_POINTER, char, 1, CYAML_UNLIMITED),
};

static const cyaml_schema_field_t pair_fields[] = {
    STR("name", http_pair, name),
    STR("value", http_pair, value),
    CYAML_FIELD_END,
};

static const cyaml_schema_value_t pair_schema = {
    CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, http_pair, pair_fields),
};

static const cyaml_schema_field_t answer_fields[] = {
    /* "" is a path: the response itself is the face list. */
    CYAML_FIELD_STRING_PTR("faces", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, http_answer, faces,
                           0, CYAML_UNLIMITED),
    CYAML_FIELD_SEQUENCE("box", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, http_answer, box,
                         &string_entry, 4, 4),
    OPT("box_units", http_answer, box_units),
    OPT("confidence", http_answer, confidence),
    OPT_REAL("confidence_scale", http_answer, confidence_scale),
    OPT("sex", http_answer, sex),
    OPT("female", http_answer, female),
    OPT("male", http_answer, male),
    OPT("sex_confidence", http_answer, sex_confidence),
    OPT_REAL("sex_confidence_scale", http_answer, sex_confidence_scale),
    OPT("age", http_answer, age),
    OPT("age_low", http_answer, age_low),
    OPT("age_high", http_answer, age_high),
    OPT("score", http_answer, score),
    OPT_REAL("score_scale", http_answer, score_scale),
    CYAML_FIELD_FLOAT_PTR("score_absent", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, http_answer,
                          score_absent),
    OPT("embedding", http_answer, embedding),
    CYAML_FIELD_UINT("dimension", CYAML_FLAG_OPTIONAL, http_answer, dimension),
    CYAML_FIELD_END,
};

static const cyaml_schema_field_t call_fields[] = {
    STR("method", http_call, method),
    STR("path", http_call, path),
    OPT("query", http_call, query),
    CYAML_FIELD_SEQUENCE("headers", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, http_call, headers,
                         &pair_schema, 0, CYAML_UNLIMITED),
    STR("body", http_call, body),
    OPT("content_type", http_call, content_type),
    OPT("json", http_call, json),
    CYAML_FIELD_SEQUENCE("parts", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, http_call, parts,
                         &pair_schema, 0, CYAML_UNLIMITED),
    CYAML_FIELD_MAPPING_PTR("answer", CYAML_FLAG_POINTER, http_call, answer, answer_fields),
    CYAML_FIELD_END,
};

static const cyaml_schema_field_t calls_fields[] = {
    CYAML_FIELD_MAPPING_PTR("detect", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, http_calls,
                            detect, call_fields),
    CYAML_FIELD_MAPPING_PTR("verify", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, http_calls,
                            verify, call_fields),
    CYAML_FIELD_MAPPING_PTR("embed", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, http_calls,
                            embed, call_fields),
    CYAML_FIELD_END,
};

static const cyaml_schema_field_t auth_fields[] = {
    STR("kind", http_auth, kind),
    OPT("name", http_auth, name),
    OPT("key", http_auth, key),
    OPT("secret_name", http_auth, secret_name),
    OPT("secret", http_auth, secret),
    OPT("token", http_auth, token),
    OPT("region", http_auth, region),
    OPT("signing_service", http_auth, signing_service),
    CYAML_FIELD_END,
};

static const cyaml_schema_field_t service_fields[] = {
    STR("service", http_service, service),
    STR("api_version", http_service, api_version),
    STR("follows", http_service, follows),
    STR("untested", http_service, untested),
    STR("base_url", http_service, base_url),
    CYAML_FIELD_MAPPING_PTR("auth", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, http_service,
                            auth, auth_fields),
    CYAML_FIELD_MAPPING_PTR("calls", CYAML_FLAG_POINTER, http_service, calls, calls_fields),
    CYAML_FIELD_END,
};

static const cyaml_schema_value_t service_schema = {
    CYAML_VALUE_MAPPING(CYAML_FLAG_POINTER, http_service, service_fields),
};

/* The line of a dotted field ("calls.verify.body"): each key searched from
 * the line of the one before, so the verify call's body is not the detect
 * call's. */
static unsigned field_line(const char *text, const char *field)
{
    unsigned line = 1;
    for (const char *p = field; *p;) {
        size_t n = strcspn(p, ".");
        unsigned at = sh_yaml_key_line(text, p, n, line);
        if (!at)
            return p == field ? 0 : line;
        line = at;
        p += n;
        p += *p == '.';
    }
    return line;
}

typedef struct checker {
    const char *path;
    const char *text;
    sh_err *err;
} checker;

static int bad(const checker *c, const char *field, const char *fmt, const char *arg)
{
    unsigned line = field_line(c->text, field);
    char why[512];
    snprintf(why, sizeof why, fmt, arg ? arg : "");
    if (line)
        return sh_err_set(c->err, SH_E_INPUT, "%s:%u: field '%s': %s", c->path, line, field, why);
    return sh_err_set(c->err, SH_E_INPUT, "%s: field '%s': %s", c->path, field, why);
}

static int is_id(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s) && *s != '-' && *s != '_')
            return 0;
    return 1;
}

/* A path is keys joined by '.', each optionally followed by [N]. */
static int path_ok(const char *p)
{
    if (!*p)
        return 1; /* the response itself */
    int need_key = 1;
    for (; *p; p++) {
        if (*p == '.') {
            if (need_key)
                return 0;
            need_key = 1;
        } else if (*p == '[') {
            if (need_key && p[-1] != ']')
                return 0;
            char *end;
            strtoul(p + 1, &end, 10);
            if (end == p + 1 || *end != ']')
                return 0;
            p = end;
            need_key = 0;
        } else if (*p == ']' || isspace((unsigned char)*p)) {
            return 0;
        } else {
            need_key = 0;
        }
    }
    return !need_key;
}

static int check_path(const checker *c, const char *field, const char *p)
{
    if (p && !path_ok(p))
        return bad(c, field, "'%s' is not a path (keys joined by '.', each with optional [N])",
                   p);
    return 0;
}

static int check_answer(const checker *c, const char *call, const http_answer *a)
{
    char f[96];
#define PATH(member)                                                     \
    do {                                                                 \
        snprintf(f, sizeof f, "calls.%s.answer.%s", call, #member);      \
        if (check_path(c, f, a->member))                                 \
            return c->err->code;                                         \
    } while (0)
    PATH(faces);
    PATH(confidence);
    PATH(sex);
    PATH(sex_confidence);
    PATH(age);
    PATH(age_low);
    PATH(age_high);
    PATH(score);
    PATH(embedding);
#undef PATH
    for (unsigned k = 0; k < a->box_count; k++) {
        snprintf(f, sizeof f, "calls.%s.answer.box", call);
        if (check_path(c, f, a->box[k]))
            return c->err->code;
    }
    snprintf(f, sizeof f, "calls.%s.answer", call);
    if (!strcmp(call, "detect")) {
        if (!a->faces)
            return bad(c, f, "a detect call needs 'faces', the path of the face list", NULL);
        if (a->box_units && strcmp(a->box_units, "pixels") && strcmp(a->box_units, "fraction"))
            return bad(c, f, "box_units '%s' is neither pixels nor fraction", a->box_units);
        if (a->sex && (!a->female || !a->male))
            return bad(c, f, "'sex' needs 'female' and 'male', the values that mean each", NULL);
        if ((a->age_low != NULL) != (a->age_high != NULL))
            return bad(c, f, "'age_low' and 'age_high' go together", NULL);
    } else if (!strcmp(call, "verify")) {
        if (!a->score)
            return bad(c, f, "a verify call needs 'score', the path of the similarity", NULL);
    } else if (!a->embedding || a->dimension == 0 || a->dimension > 65536) {
        return bad(c, f, "an embed call needs 'embedding' and 'dimension' (1 to 65536)", NULL);
    }
    const double *scales[] = {a->confidence_scale, a->sex_confidence_scale, a->score_scale};
    const char *scale_names[] = {"confidence_scale", "sex_confidence_scale", "score_scale"};
    for (int k = 0; k < 3; k++)
        if (scales[k] && !(*scales[k] > 0 && *scales[k] < 1e300)) {
            snprintf(f, sizeof f, "calls.%s.answer.%s", call, scale_names[k]);
            return bad(c, f, "a scale divides the number found: it must be more than 0%s",
                       NULL);
        }
    return 0;
}

/* Text that goes into a URL as it is: printable, no space. */
static int url_text(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s <= 0x20 || (unsigned char)*s >= 0x7f)
            return 0;
    return 1;
}

/* The placeholders each call's images take. */
static const char *const detect_images[] = {"$image", NULL};
static const char *const verify_images[] = {"$image1", "$image2", NULL};

static int check_call(const checker *c, const char *name, http_call *call)
{
    char f[96];
    snprintf(f, sizeof f, "calls.%s.method", name);
    if (strcmp(call->method, "POST") && strcmp(call->method, "PUT"))
        return bad(c, f, "'%s' is not POST or PUT", call->method);
    snprintf(f, sizeof f, "calls.%s.path", name);
    if (call->path[0] != '/')
        return bad(c, f, "'%s' does not start with '/'", call->path);
    if (!url_text(call->path))
        return bad(c, f, "'%s' has a space or a control character (encode it)", call->path);
    snprintf(f, sizeof f, "calls.%s.query", name);
    if (call->query && !url_text(call->query))
        return bad(c, f, "'%s' has a space or a control character (encode it)", call->query);
    snprintf(f, sizeof f, "calls.%s.body", name);
    if (!strcmp(call->body, "multipart"))
        call->body_kind = HTTP_BODY_MULTIPART;
    else if (!strcmp(call->body, "json"))
        call->body_kind = HTTP_BODY_JSON;
    else if (!strcmp(call->body, "raw"))
        call->body_kind = HTTP_BODY_RAW;
    else
        return bad(c, f, "'%s' is not multipart, json or raw", call->body);
    const char *const *images = !strcmp(name, "verify") ? verify_images : detect_images;
    if (call->body_kind == HTTP_BODY_RAW && images == verify_images)
        return bad(c, f, "a raw body carries one image; a verify call sends two%s", NULL);
    if (call->body_kind == HTTP_BODY_JSON) {
        snprintf(f, sizeof f, "calls.%s.json", name);
        if (!call->json)
            return bad(c, f, "a json body needs its template%s", NULL);
        for (const char *const *im = images; *im; im++) {
            char quoted[16];
            snprintf(quoted, sizeof quoted, "\"%s\"", *im);
            if (!strstr(call->json, quoted))
                return bad(c, f, "the template has no \"%s\" for the image", *im);
        }
        /* The template with its placeholders in place must be JSON, or
         * every paid request would be refused. */
        json_error_t je;
        json_t *t = json_loads(call->json, JSON_DECODE_ANY, &je);
        json_decref(t);
        if (!t) {
            char why[200];
            snprintf(why, sizeof why, "the template is not JSON: %s", je.text);
            return bad(c, f, "%s", why);
        }
    }
    if (call->body_kind == HTTP_BODY_MULTIPART) {
        snprintf(f, sizeof f, "calls.%s.parts", name);
        for (const char *const *im = images; *im; im++) {
            unsigned k = 0;
            while (k < call->parts_count && strcmp(call->parts[k].value, *im))
                k++;
            if (k == call->parts_count)
                return bad(c, f, "no part carries %s", *im);
        }
    }
    for (unsigned k = 0; k < call->headers_count; k++)
        if (strpbrk(call->headers[k].name, ": \r\n") || strpbrk(call->headers[k].value, "\r\n")) {
            snprintf(f, sizeof f, "calls.%s.headers", name);
            return bad(c, f, "header '%s' is not one line of name and value",
                       call->headers[k].name);
        }
    return check_answer(c, name, call->answer);
}

static int check_auth(const checker *c, http_auth *a)
{
    static const char *const kinds[] = {"none", "header", "query", "bearer", "form", "aws_sigv4"};
    unsigned k = 0;
    while (k < sizeof kinds / sizeof *kinds && strcmp(a->kind, kinds[k]))
        k++;
    if (k == sizeof kinds / sizeof *kinds)
        return bad(c, "auth.kind", "'%s' is not none, header, query, bearer, form or aws_sigv4",
                   a->kind);
    a->auth_kind = (http_auth_kind)k;
    if (a->auth_kind == HTTP_AUTH_NONE)
        return 0;
    if (!a->key)
        return bad(c, "auth.key", "auth kind '%s' needs 'key', the credential's name", a->kind);
    if ((a->auth_kind == HTTP_AUTH_HEADER || a->auth_kind == HTTP_AUTH_QUERY ||
         a->auth_kind == HTTP_AUTH_FORM) && !a->name)
        return bad(c, "auth.name", "auth kind '%s' needs 'name', where the key goes", a->kind);
    if (a->auth_kind == HTTP_AUTH_FORM && (!a->secret || !a->secret_name))
        return bad(c, "auth.secret", "auth kind form needs 'secret' and 'secret_name'%s", NULL);
    if (a->auth_kind == HTTP_AUTH_AWS_SIGV4 && (!a->secret || !a->region || !a->signing_service))
        return bad(c, "auth", "auth kind aws_sigv4 needs 'secret', 'region' and "
                   "'signing_service'%s", NULL);
    return 0;
}

static int check(const checker *c, http_service *s)
{
    if (!is_id(s->service) || strlen(s->service) > 63)
        return bad(c, "service", "'%s' is not a short id ([a-z0-9_-]+, at most 63)", s->service);
    /* It goes into the cache's tab-separated index and the results. */
    size_t v = 0;
    while (s->api_version[v] > 0x20 && s->api_version[v] < 0x7f)
        v++;
    if (s->api_version[v] || v > 64)
        return bad(c, "api_version", "'%s' is not one word of printable text (at most 64)",
                   s->api_version);
    if (!http_url_ok(s->base_url))
        return bad(c, "base_url", "'%s' is not an http:// or https:// address", s->base_url);
    if (s->auth && check_auth(c, s->auth))
        return c->err->code;
    int form = s->auth && s->auth->auth_kind == HTTP_AUTH_FORM;
    int sigv4 = s->auth && s->auth->auth_kind == HTTP_AUTH_AWS_SIGV4;
    http_call *calls[] = {s->calls->detect, s->calls->verify, s->calls->embed};
    const char *names[] = {"detect", "verify", "embed"};
    int any = 0;
    for (int k = 0; k < 3; k++) {
        if (!calls[k])
            continue;
        any = 1;
        if (check_call(c, names[k], calls[k]))
            return c->err->code;
        char f[64];
        snprintf(f, sizeof f, "calls.%s.body", names[k]);
        if (form && calls[k]->body_kind != HTTP_BODY_MULTIPART)
            return bad(c, f, "auth kind form sends its credentials as parts: the body must be "
                       "multipart%s", NULL);
        if (sigv4 && calls[k]->body_kind == HTTP_BODY_MULTIPART)
            return bad(c, f, "aws_sigv4 signs the body's bytes: use json or raw%s", NULL);
    }
    if (!any)
        return bad(c, "calls", "none of detect, verify and embed is described%s", NULL);
    return 0;
}

int http_url_ok(const char *url)
{
    const char *host = !strncmp(url, "https://", 8) ? url + 8
                       : !strncmp(url, "http://", 7) ? url + 7
                                                      : NULL;
    return host && *host && *host != '/' && url_text(url);
}

int http_service_load(http_service **out, const char *path, sh_err *err)
{
    *out = NULL;
    void *data = NULL;
    char *text = NULL;
    int rc = sh_yaml_load(&data, &text, path, "service description", &service_schema, err);
    if (rc)
        return rc;
    http_service *s = data;
    checker c = {path, text, err};
    rc = check(&c, s);
    if (!rc)
        rc = sh_sha256_bytes(s->sha256, text, strlen(text), err);
    if (!rc && !(s->path = strdup(path)))
        rc = sh_err_nomem(err);
    free(text);
    if (rc) {
        http_service_destroy(s);
        return rc;
    }
    *out = s;
    return 0;
}

void http_service_destroy(http_service *s)
{
    if (!s)
        return;
    free(s->path);
    s->path = NULL;
    sh_yaml_free(&service_schema, s);
}
