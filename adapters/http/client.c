#include "client.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/rand.h>

#include "credentials.h"
#include "request.h"

struct http_client {
    const http_service *service;
    http_settings set;
    char base_url[1024];
    http_secrets cred;
    pthread_mutex_t lock;  /* everything below */
    pthread_cond_t freed;  /* a request slot was given back */
    int in_flight;
    double next_slot;      /* monotonic seconds when the next request may go */
    http_stats stats;
};

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void sleep_seconds(double s)
{
    if (s <= 0)
        return;
    struct timespec ts = {(time_t)s, (long)((s - floor(s)) * 1e9)};
    while (nanosleep(&ts, &ts) && errno == EINTR) {
    }
}

int http_client_create(http_client **out, const http_service *service,
                       const http_settings *settings, sh_err *err)
{
    *out = NULL;
    http_client *c = calloc(1, sizeof *c);
    if (!c)
        return sh_err_nomem(err);
    c->service = service;
    c->set = *settings;
    const char *base = settings->base_url && *settings->base_url ? settings->base_url
                                                                  : service->base_url;
    snprintf(c->base_url, sizeof c->base_url, "%s", base);
    size_t bl = strlen(c->base_url);
    while (bl && c->base_url[bl - 1] == '/')
        c->base_url[--bl] = 0;
    int rc = http_secrets_load(&c->cred, service->auth, settings->credentials, err);
    if (rc) {
        free(c);
        return rc;
    }
    pthread_mutex_init(&c->lock, NULL);
    pthread_cond_init(&c->freed, NULL);
    c->next_slot = now_seconds();
    *out = c;
    return 0;
}

void http_client_destroy(http_client *c)
{
    if (!c)
        return;
    http_secrets_free(&c->cred);
    pthread_mutex_destroy(&c->lock);
    pthread_cond_destroy(&c->freed);
    free(c);
}

const char *http_client_base_url(const http_client *c)
{
    return c->base_url;
}

void http_client_stats(http_stats *out, http_client *c)
{
    pthread_mutex_lock(&c->lock);
    *out = c->stats;
    pthread_mutex_unlock(&c->lock);
}

void http_client_redact(const http_client *c, char *text, size_t cap)
{
    http_secrets_redact(&c->cred, text, cap);
}

/* ---- pacing ---- */

/* Waits for a request slot: under the concurrency limit, at the rate,
 * within the budget. Fails only when the budget is spent. */
static int slot_take(http_client *c, char *why, size_t cap)
{
    pthread_mutex_lock(&c->lock);
    while (c->in_flight >= c->set.concurrency)
        pthread_cond_wait(&c->freed, &c->lock);
    if (c->set.budget > 0 && c->stats.requests >= c->set.budget) {
        pthread_mutex_unlock(&c->lock);
        snprintf(why, cap, "%s: the budget of %ld requests is spent; the answers so far are "
                 "cached: raise option budget and run again with --resume",
                 c->service->service, c->set.budget);
        return -1;
    }
    c->in_flight++;
    c->stats.requests++;
    double wait = 0;
    if (c->set.rate > 0) {
        double t = now_seconds();
        double slot = c->next_slot > t ? c->next_slot : t;
        c->next_slot = slot + 1.0 / c->set.rate;
        wait = slot - t;
    }
    time_t wall = time(NULL) + (time_t)wait;
    if (!c->stats.first)
        c->stats.first = wall;
    c->stats.last = wall;
    pthread_mutex_unlock(&c->lock);
    sleep_seconds(wait);
    return 0;
}

static void slot_give(http_client *c)
{
    pthread_mutex_lock(&c->lock);
    c->in_flight--;
    pthread_cond_signal(&c->freed);
    pthread_mutex_unlock(&c->lock);
}

/* A printable first line of a response body, for messages. */
static void snippet(char *out, size_t cap, const char *body, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n && k + 1 < cap; i++)
        out[k++] = isprint((unsigned char)body[i]) ? body[i] : ' ';
    out[k] = 0;
}

/* Errors worth another attempt: the network, not the request. */
static int transient(CURLcode e)
{
    switch (e) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_SSL_CONNECT_ERROR:
        return 1;
    default:
        return 0;
    }
}

/* A delay drawn uniformly from [0, backoff * 2^attempt) ("full jitter"),
 * at most 60 s, and never shorter than the service's Retry-After. */
static double backoff_delay(const http_client *c, int attempt, double retry_after)
{
    double ceiling = c->set.backoff * ldexp(1.0, attempt);
    if (ceiling > 60)
        ceiling = 60;
    uint32_t r = 0;
    if (RAND_bytes((unsigned char *)&r, sizeof r) != 1)
        r = (uint32_t)rand();
    double d = ceiling * (r / 4294967296.0);
    return retry_after > d ? retry_after : d;
}

int http_client_send(char **out, size_t *out_size, http_client *c, const char *call_name,
                     const http_call *call, const uint8_t *const *images,
                     const size_t *sizes, size_t n, char *why, size_t cap)
{
    *out = NULL;
    *out_size = 0;
    char last[320] = "";
    const char *svc = c->service->service;
    double start = now_seconds();
    int attempt = 0;
    for (; attempt <= c->set.retries; attempt++) {
        char wwhy[512];
        if (slot_take(c, why, cap))
            return -1;
        http_request r;
        http_buffer body = {0};
        double retry_after = -1;
        http_target t = {c->service->auth, &c->cred, c->base_url, c->set.timeout};
        int rc = http_request_build(&r, &t, call, images, sizes, n, wwhy, sizeof wwhy);
        CURLcode e = CURLE_OK;
        long status = 0;
        if (!rc)
            e = http_request_perform(&body, &status, &retry_after, &r);
        http_request_free(&r);
        slot_give(c);
        if (rc) {
            free(body.data);
            snprintf(why, cap, "%s %s: %s", svc, call_name, wwhy);
            return -1;
        }
        if (e == CURLE_OK && status >= 200 && status < 300) {
            if (!body.data && http_buffer_add(&body, "", 0)) {
                snprintf(why, cap, "%s %s: out of memory", svc, call_name);
                return -1;
            }
            *out = body.data;
            *out_size = body.size;
            return 0;
        }
        if (body.over) {
            free(body.data);
            snprintf(why, cap, "%s %s: the response from %s is larger than %u MiB", svc,
                     call_name, c->base_url, HTTP_BODY_MAX >> 20);
            return -1;
        }
        /* Redacted whole, then cut, so no part of a key survives the cut. */
        char text[4096] = "";
        if (e == CURLE_OK)
            snippet(text, sizeof text, body.data ? body.data : "", body.size);
        http_client_redact(c, text, sizeof text);
        text[160] = 0;
        free(body.data);
        int again = e != CURLE_OK ? transient(e) : status == 429 || status >= 500;
        if (e != CURLE_OK)
            snprintf(last, sizeof last, "%s", curl_easy_strerror(e));
        else
            snprintf(last, sizeof last, "HTTP %ld%s%s", status, text[0] ? ": " : "", text);
        if (!again) {
            snprintf(why, cap, "%s %s: %s from %s", svc, call_name, last, c->base_url);
            return -1;
        }
        if (attempt == c->set.retries)
            break;
        double delay = backoff_delay(c, attempt, retry_after);
        /* A retry that could end past the deadline is not started, so the
         * call ends with this message, before the harness's --call-timeout. */
        if (c->set.deadline > 0 &&
            now_seconds() + delay + c->set.timeout > start + c->set.deadline) {
            snprintf(why, cap, "%s %s: no answer from %s within the deadline of %g s (%d "
                     "attempt%s); the last: %s", svc, call_name, c->base_url, c->set.deadline,
                     attempt + 1, attempt ? "s" : "", last);
            return -1;
        }
        pthread_mutex_lock(&c->lock);
        c->stats.retries++;
        pthread_mutex_unlock(&c->lock);
        sleep_seconds(delay);
    }
    snprintf(why, cap, "%s %s: no answer from %s after %d attempt%s; the last: %s", svc,
             call_name, c->base_url, attempt + 1, attempt ? "s" : "", last);
    return -1;
}
