/* Sends a service's calls: builds each request from the description
 * (body, headers, credentials, SigV4), paces it (rate, concurrency,
 * budget) and retries it (429, 5xx, lost connections) with jittered
 * exponential backoff that honours Retry-After. */
#ifndef SHADES_HTTP_CLIENT_H
#define SHADES_HTTP_CLIENT_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "error.h"
#include "service.h"

/* How a run may use the service: the http adapter's options. */
typedef struct http_settings {
    const char *base_url;    /* replaces the description's, or NULL */
    const char *credentials; /* file of NAME=value lines, or NULL: the environment only */
    double rate;             /* requests a second at most; 0: unpaced */
    int concurrency;         /* requests in flight at most, >= 1 */
    double timeout;          /* seconds one attempt may take */
    int retries;             /* attempts after the first */
    double backoff;          /* seconds before the first retry; doubles each time */
    double deadline;         /* seconds one call may take, retries included: no
                              * retry starts that could end past it */
    long budget;             /* requests this run may send; 0: no limit */
} http_settings;

/* What the client did this run. */
typedef struct http_stats {
    long requests;           /* sent over the network, retries included */
    long retries;
    time_t first, last;      /* when the first and last request were sent; 0: none */
} http_stats;

/* A client for one service; calls from any thread. */
typedef struct http_client http_client;

/* Creates a client into *out, reading the credentials the description
 * names (from the settings' file, else the environment). The service
 * must outlive the client. */
int http_client_create(http_client **out, const http_service *service,
                       const http_settings *settings, sh_err *err);

/* Frees a client; NULL is allowed. */
void http_client_destroy(http_client *c);

/* Sends `call` (named call_name) with n PNG images and on a 2xx answer
 * stores the body in *out (malloc'd, NUL-terminated; the caller frees).
 * Otherwise fails with one line in why naming the service and call.
 * [thread: any] */
int http_client_send(char **out, size_t *out_size, http_client *c, const char *call_name,
                     const http_call *call, const uint8_t *const *images,
                     const size_t *sizes, size_t n, char *why, size_t cap);

/* The run's figures so far. [thread: any] */
void http_client_stats(http_stats *out, http_client *c);

/* Replaces, in text (cap bytes, NUL-terminated), every credential value
 * the client holds with "[credential]": for messages that quote what a
 * service sent back, which may echo a key. [thread: any] */
void http_client_redact(const http_client *c, char *text, size_t cap);

/* The address requests go to: scheme://host[:port] and any path prefix. */
const char *http_client_base_url(const http_client *c);

#endif
