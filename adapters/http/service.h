/* A service description (configs/services/, docs/cloud-services.md):
 * where a cloud face API lives, how each call sends its images and
 * credentials, and where in the response JSON each answer lies. */
#ifndef SHADES_HTTP_SERVICE_H
#define SHADES_HTTP_SERVICE_H

#include <stddef.h>

#include "error.h"

/* How a call sends its images. */
typedef enum http_body { HTTP_BODY_MULTIPART, HTTP_BODY_JSON, HTTP_BODY_RAW } http_body;

/* How a request carries its credentials. */
typedef enum http_auth_kind {
    HTTP_AUTH_NONE,
    HTTP_AUTH_HEADER,
    HTTP_AUTH_QUERY,
    HTTP_AUTH_BEARER,
    HTTP_AUTH_FORM,
    HTTP_AUTH_AWS_SIGV4
} http_auth_kind;

/* One fixed header or multipart part: name and literal value. */
typedef struct http_pair {
    char *name;
    char *value;
} http_pair;

/* Where a call's answers lie in its response: paths such as
 * "FaceDetails" or "BoundingBox.Left", NULL when the description gives
 * none. Scales (NULL: 1) divide the number found. */
typedef struct http_answer {
    char *faces;
    char **box;
    unsigned box_count;
    char *box_units;
    char *confidence;
    double *confidence_scale;
    char *sex;
    char *female;
    char *male;
    char *sex_confidence;
    double *sex_confidence_scale;
    char *age;
    char *age_low;
    char *age_high;
    char *score;
    double *score_scale;
    double *score_absent; /* the score when `score` is absent, or NULL: an error */
    char *embedding;
    unsigned dimension;
} http_answer;

/* One call of the service. */
typedef struct http_call {
    char *method;
    char *path;
    char *query;
    http_pair *headers;
    unsigned headers_count;
    char *body;              /* "multipart", "json" or "raw" as written */
    http_body body_kind;     /* set by http_service_load */
    char *content_type;
    char *json;              /* json: the body's template */
    http_pair *parts;        /* multipart: its parts */
    unsigned parts_count;
    http_answer *answer;
} http_call;

/* The credentials a request carries: names of credentials, never values. */
typedef struct http_auth {
    char *kind;
    http_auth_kind auth_kind; /* set by http_service_load */
    char *name;
    char *key;
    char *secret_name;
    char *secret;
    char *token;
    char *region;
    char *signing_service;
} http_auth;

/* The calls a description may define. */
typedef struct http_calls {
    http_call *detect;
    http_call *verify;
    http_call *embed;
} http_calls;

/* A loaded description. Owned by whoever loaded it (http_service_destroy). */
typedef struct http_service {
    char *service;
    char *api_version;
    char *follows;
    char *untested;
    char *base_url;
    http_auth *auth;
    http_calls *calls;
    /* Filled by http_service_load, not read from the file: */
    char *path;
    char sha256[65];
} http_service;

/* Loads and checks the description at path into *out. On failure *out is
 * NULL and err reads "path:line: field 'x': why". */
int http_service_load(http_service **out, const char *path, sh_err *err);

/* True when url is an http:// or https:// address with a host and no
 * space or control character. */
int http_url_ok(const char *url);

/* Frees a description; NULL is allowed. */
void http_service_destroy(http_service *s);

#endif
