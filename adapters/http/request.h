/* One request of a service call: its URL, headers, credentials and body
 * as the description says (multipart, JSON with base64 images, or the
 * PNG itself; SigV4 signed when asked), sent once through libcurl. */
#ifndef SHADES_HTTP_REQUEST_H
#define SHADES_HTTP_REQUEST_H

#include <stddef.h>
#include <stdint.h>

#include <curl/curl.h>

#include "credentials.h"
#include "service.h"

/* The largest response body taken: a face API answers in kilobytes. */
#define HTTP_BODY_MAX (64u << 20)

/* A growing byte buffer, NUL-terminated past size. */
typedef struct http_buffer {
    char *data;
    size_t size, cap;
    int over;      /* a response body passed HTTP_BODY_MAX */
} http_buffer;

/* Appends n bytes; 0, or -1 when out of memory. */
int http_buffer_add(http_buffer *b, const void *p, size_t n);

/* Where and how a request goes; all borrowed. */
typedef struct http_target {
    const http_auth *auth;        /* NULL: none */
    const http_secrets *secrets;
    const char *base_url;         /* no trailing '/' */
    double timeout;               /* seconds the attempt may take */
} http_target;

/* A built request; http_request_free releases it. */
typedef struct http_request {
    CURL *curl;
    struct curl_slist *headers;
    curl_mime *mime;
    http_buffer body;
    char url[4096];
} http_request;

/* Builds into *r the request of `call` with n PNG images (one, or two for
 * verify). 0, or -1 with one line in why; *r is then still to be freed. */
int http_request_build(http_request *r, const http_target *t, const http_call *call,
                       const uint8_t *const *images, const size_t *sizes, size_t n, char *why,
                       size_t cap);

/* Sends r once: the response body into *out_body (the caller frees its
 * data), the HTTP status into *out_status (0 when none came), and the
 * service's Retry-After in seconds into *out_retry_after (-1: none).
 * Returns libcurl's result. [thread: any, one request per thread] */
CURLcode http_request_perform(http_buffer *out_body, long *out_status, double *out_retry_after,
                              http_request *r);

/* Frees what a request holds, wiping the body (it may carry a key). */
void http_request_free(http_request *r);

#endif
