#include "client.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <curl/curl.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "sigv4.h"

/* Credential values: never logged, never written, wiped at destroy. */
typedef struct secrets {
    char *key;
    char *secret;
    char *token;
} secrets;

struct http_client {
    const http_service *service;
    http_settings set;
    char base_url[1024];
    secrets cred;
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

/* ---- credentials ---- */

/* The value of NAME in the credentials file (malloc'd), or NULL with
 * *found 0. Lines are NAME=value; '#' starts a comment line. */
static int file_value(char **out, const char *file, const char *name, sh_err *err)
{
    *out = NULL;
    struct stat st;
    if (stat(file, &st))
        return sh_err_set(err, SH_E_INPUT, "credentials file '%s': %s", file, strerror(errno));
    if (!S_ISREG(st.st_mode))
        return sh_err_set(err, SH_E_INPUT, "credentials file '%s': not a file", file);
    if (st.st_mode & 077)
        return sh_err_set(err, SH_E_INPUT, "credentials file '%s': others may read it (mode "
                          "%04o): chmod 600 it", file, (unsigned)(st.st_mode & 07777));
    FILE *f = fopen(file, "r");
    if (!f)
        return sh_err_set(err, SH_E_INPUT, "credentials file '%s': %s", file, strerror(errno));
    char line[4096];
    unsigned lineno = 0;
    int rc = 0;
    size_t n = strlen(name);
    while (!rc && fgets(line, sizeof line, f)) {
        lineno++;
        line[strcspn(line, "\r\n")] = 0;
        const char *s = line + strspn(line, " \t");
        if (!*s || *s == '#')
            continue;
        const char *eq = strchr(s, '=');
        if (!eq || eq == s) {
            /* The line may hold a secret: name its number, never its text. */
            rc = sh_err_set(err, SH_E_INPUT, "credentials file '%s':%u: not a NAME=value line",
                            file, lineno);
        } else if ((size_t)(eq - s) == n && !strncmp(s, name, n) && !*out) {
            if (!eq[1])
                rc = sh_err_set(err, SH_E_INPUT, "credentials file '%s':%u: %s is empty", file,
                                lineno, name);
            else if (!(*out = strdup(eq + 1)))
                rc = sh_err_nomem(err);
        }
    }
    explicit_bzero(line, sizeof line);
    fclose(f);
    if (rc) {
        free(*out);
        *out = NULL;
    }
    return rc;
}

/* Reads credential `name` (a file's line, else an environment variable)
 * into *out; NULL name is none. */
static int credential(char **out, const char *name, const char *file, int required,
                      const char *field, sh_err *err)
{
    *out = NULL;
    if (!name)
        return 0;
    if (file && *file) {
        int rc = file_value(out, file, name, err);
        if (rc || *out)
            return rc;
    }
    const char *env = getenv(name);
    if (env && *env) {
        *out = strdup(env);
        return *out ? 0 : sh_err_nomem(err);
    }
    if (!required)
        return 0;
    return sh_err_set(err, SH_E_INPUT, "credential %s (auth.%s) is not set: put it in the "
                      "environment%s%s%s", name, field, file && *file ? " or in '" : "",
                      file && *file ? file : "", file && *file ? "'" : "");
}

static void secret_free(char *s)
{
    if (s) {
        explicit_bzero(s, strlen(s));
        free(s);
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
    const http_auth *a = service->auth;
    int rc = 0;
    if (a && a->auth_kind != HTTP_AUTH_NONE) {
        rc = credential(&c->cred.key, a->key, settings->credentials, 1, "key", err);
        if (!rc && (a->auth_kind == HTTP_AUTH_FORM || a->auth_kind == HTTP_AUTH_AWS_SIGV4))
            rc = credential(&c->cred.secret, a->secret, settings->credentials, 1, "secret", err);
        if (!rc && a->auth_kind == HTTP_AUTH_AWS_SIGV4)
            rc = credential(&c->cred.token, a->token, settings->credentials, 0, "token", err);
    }
    if (rc) {
        http_client_destroy(c);
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
    secret_free(c->cred.key);
    secret_free(c->cred.secret);
    secret_free(c->cred.token);
    if (c->service) {
        pthread_mutex_destroy(&c->lock);
        pthread_cond_destroy(&c->freed);
    }
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
    const char *values[3] = {c->cred.key, c->cred.secret, c->cred.token};
    for (int k = 0; k < 3; k++) {
        if (!values[k] || !values[k][0])
            continue;
        size_t n = strlen(values[k]);
        char *at;
        while ((at = strstr(text, values[k]))) {
            static const char mark[] = "[credential]";
            size_t tail = strlen(at + n);
            size_t room = cap - (size_t)(at - text) - 1;
            size_t m = sizeof mark - 1 < room ? sizeof mark - 1 : room;
            size_t keep = tail < room - m ? tail : room - m;
            memmove(at + m, at + n, keep);
            memcpy(at, mark, m);
            at[m + keep] = 0;
        }
    }
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

/* ---- one request ---- */

/* The largest response body taken: a face API answers in kilobytes. */
#define BODY_MAX (64u << 20)

typedef struct buffer {
    char *data;
    size_t size, cap;
    int over;      /* a response body passed BODY_MAX */
} buffer;

static int buf_add(buffer *b, const void *p, size_t n)
{
    if (b->size + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->size + n + 1)
            cap *= 2;
        char *d = realloc(b->data, cap);
        if (!d)
            return -1;
        b->data = d;
        b->cap = cap;
    }
    memcpy(b->data + b->size, p, n);
    b->size += n;
    b->data[b->size] = 0;
    return 0;
}

static size_t on_body(char *p, size_t size, size_t n, void *ctx)
{
    buffer *b = ctx;
    if (b->size + size * n > BODY_MAX) {
        b->over = 1;
        return 0;
    }
    return buf_add(b, p, size * n) ? 0 : size * n;
}

/* Keeps Retry-After (seconds, or an HTTP date) from the headers. */
static size_t on_header(char *p, size_t size, size_t n, void *ctx)
{
    double *retry_after = ctx;
    size_t len = size * n;
    if (len > 12 && !strncasecmp(p, "Retry-After:", 12)) {
        char v[128];
        size_t m = len - 12 < sizeof v - 1 ? len - 12 : sizeof v - 1;
        memcpy(v, p + 12, m);
        v[m] = 0;
        char *end;
        double s = strtod(v, &end);
        if (end != v && s >= 0) {
            *retry_after = s;
        } else {
            time_t at = curl_getdate(v, NULL);
            if (at > 0)
                *retry_after = difftime(at, time(NULL)) > 0 ? difftime(at, time(NULL)) : 0;
        }
    }
    return len;
}

/* The JSON body: the template with each "$image…" placeholder replaced by
 * the image's base64. */
static int json_body(buffer *out, const char *tmpl, const uint8_t *const *images,
                     const size_t *sizes, size_t n)
{
    static const char *const one[] = {"\"$image\""};
    static const char *const two[] = {"\"$image1\"", "\"$image2\""};
    const char *const *names = n == 1 ? one : two;
    const char *p = tmpl;
    while (*p) {
        size_t best = (size_t)-1;
        const char *at = NULL;
        for (size_t k = 0; k < n; k++) {
            const char *f = strstr(p, names[k]);
            if (f && (!at || f < at)) {
                at = f;
                best = k;
            }
        }
        if (!at)
            return buf_add(out, p, strlen(p));
        if (buf_add(out, p, (size_t)(at - p)) || buf_add(out, "\"", 1))
            return -1;
        size_t b64 = 4 * ((sizes[best] + 2) / 3);
        char *enc = malloc(b64 + 1);
        if (!enc)
            return -1;
        EVP_EncodeBlock((unsigned char *)enc, images[best], (int)sizes[best]);
        int rc = buf_add(out, enc, b64) || buf_add(out, "\"", 1);
        free(enc);
        if (rc)
            return -1;
        p = at + strlen(names[best]);
    }
    return 0;
}

/* Which image a part or placeholder names, or -1 for literal text. */
static int image_index(const char *value, size_t n)
{
    if (n == 1 && !strcmp(value, "$image"))
        return 0;
    if (n == 2 && !strcmp(value, "$image1"))
        return 0;
    if (n == 2 && !strcmp(value, "$image2"))
        return 1;
    return -1;
}

/* The host[:port] and the path of a URL, for SigV4. */
static void split_url(char *host, size_t hcap, char *path, size_t pcap, const char *url)
{
    const char *h = strstr(url, "://");
    h = h ? h + 3 : url;
    size_t hn = strcspn(h, "/?");
    snprintf(host, hcap, "%.*s", (int)hn, h);
    size_t pn = strcspn(h + hn, "?");
    snprintf(path, pcap, "%.*s", (int)pn, h + hn);
    if (!path[0])
        snprintf(path, pcap, "/");
}

typedef struct request {
    CURL *curl;
    struct curl_slist *headers;
    curl_mime *mime;
    buffer body;
    char url[4096];
} request;

static void request_free(request *r)
{
    curl_slist_free_all(r->headers);
    curl_mime_free(r->mime);
    if (r->body.data)
        explicit_bzero(r->body.data, r->body.size);
    free(r->body.data);
    if (r->curl)
        curl_easy_cleanup(r->curl);
}

static int add_header(request *r, const char *name, const char *value)
{
    size_t n = strlen(name) + strlen(value) + 3;
    char *h = malloc(n);
    if (!h)
        return -1;
    snprintf(h, n, "%s: %s", name, value);
    struct curl_slist *l = curl_slist_append(r->headers, h);
    explicit_bzero(h, n);
    free(h);
    if (!l)
        return -1;
    r->headers = l;
    return 0;
}

/* Builds the request for one call into r; -1 with why on failure. */
static int request_build(request *r, http_client *c, const http_call *call,
                         const uint8_t *const *images, const size_t *sizes, size_t n, char *why,
                         size_t cap)
{
    const http_auth *a = c->service->auth;
    http_auth_kind kind = a ? a->auth_kind : HTTP_AUTH_NONE;
    if (!(r->curl = curl_easy_init())) {
        snprintf(why, cap, "libcurl could not start a request");
        return -1;
    }
    char query[2048] = "";
    snprintf(query, sizeof query, "%s", call->query ? call->query : "");
    if (kind == HTTP_AUTH_QUERY) {
        char *v = curl_easy_escape(r->curl, c->cred.key, 0);
        size_t q = strlen(query);
        snprintf(query + q, sizeof query - q, "%s%s=%s", q ? "&" : "", a->name, v ? v : "");
        curl_free(v);
    }
    if (snprintf(r->url, sizeof r->url, "%s%s%s%s", c->base_url, call->path, query[0] ? "?" : "",
                 query) >= (int)sizeof r->url) {
        snprintf(why, cap, "the request's address is longer than %zu bytes", sizeof r->url);
        return -1;
    }
    int bad = 0;
    for (unsigned k = 0; k < call->headers_count; k++)
        bad |= add_header(r, call->headers[k].name, call->headers[k].value);
    if (call->body_kind != HTTP_BODY_MULTIPART)
        bad |= add_header(r, "Content-Type", call->content_type ? call->content_type
                          : call->body_kind == HTTP_BODY_JSON ? "application/json"
                                                              : "application/octet-stream");
    /* libcurl would otherwise send "Expect: 100-continue" on large bodies,
     * a round trip some services answer slowly. */
    bad |= add_header(r, "Expect", "");
    if (kind == HTTP_AUTH_HEADER)
        bad |= add_header(r, a->name, c->cred.key);
    if (kind == HTTP_AUTH_BEARER) {
        size_t m = strlen(c->cred.key) + 8;
        char *b = malloc(m);
        bad |= !b || (snprintf(b, m, "Bearer %s", c->cred.key), add_header(r, "Authorization", b));
        if (b)
            explicit_bzero(b, m);
        free(b);
    }
    if (call->body_kind == HTTP_BODY_JSON)
        bad |= json_body(&r->body, call->json, images, sizes, n);
    else if (call->body_kind == HTTP_BODY_RAW)
        bad |= buf_add(&r->body, images[0], sizes[0]);
    if (bad) {
        snprintf(why, cap, "out of memory building the request");
        return -1;
    }
    if (call->body_kind == HTTP_BODY_MULTIPART) {
        if (!(r->mime = curl_mime_init(r->curl))) {
            snprintf(why, cap, "out of memory building the request");
            return -1;
        }
        for (unsigned k = 0; k < call->parts_count; k++) {
            curl_mimepart *p = curl_mime_addpart(r->mime);
            int im = image_index(call->parts[k].value, n);
            bad |= !p || curl_mime_name(p, call->parts[k].name) != CURLE_OK;
            if (p && im >= 0)
                bad |= curl_mime_data(p, (const char *)images[im], sizes[im]) != CURLE_OK ||
                       curl_mime_filename(p, im ? "image2.png" : "image.png") != CURLE_OK ||
                       curl_mime_type(p, "image/png") != CURLE_OK;
            else if (p)
                bad |= curl_mime_data(p, call->parts[k].value, CURL_ZERO_TERMINATED) != CURLE_OK;
        }
        if (kind == HTTP_AUTH_FORM) {
            const char *names[2] = {a->name, a->secret_name};
            const char *values[2] = {c->cred.key, c->cred.secret};
            for (int k = 0; k < 2; k++) {
                curl_mimepart *p = curl_mime_addpart(r->mime);
                bad |= !p || curl_mime_name(p, names[k]) != CURLE_OK ||
                       curl_mime_data(p, values[k], CURL_ZERO_TERMINATED) != CURLE_OK;
            }
        }
        bad |= curl_easy_setopt(r->curl, CURLOPT_MIMEPOST, r->mime) != CURLE_OK;
    } else {
        bad |= curl_easy_setopt(r->curl, CURLOPT_POSTFIELDS, r->body.data ? r->body.data : "") !=
                   CURLE_OK ||
               curl_easy_setopt(r->curl, CURLOPT_POSTFIELDSIZE_LARGE,
                                (curl_off_t)r->body.size) != CURLE_OK;
    }
    if (kind == HTTP_AUTH_AWS_SIGV4) {
        char host[512], path[2048], amz_date[20];
        split_url(host, sizeof host, path, sizeof path, r->url);
        time_t t = time(NULL);
        struct tm tm;
        gmtime_r(&t, &tm);
        strftime(amz_date, sizeof amz_date, "%Y%m%dT%H%M%SZ", &tm);
        const char *names[34], *values[34];
        size_t nh = 0;
        for (unsigned k = 0; k < call->headers_count && nh < 32; k++, nh++) {
            names[nh] = call->headers[k].name;
            values[nh] = call->headers[k].value;
        }
        names[nh] = "Content-Type";
        values[nh++] = call->content_type ? call->content_type
                       : call->body_kind == HTTP_BODY_JSON ? "application/json"
                                                           : "application/octet-stream";
        http_sigv4_request sr = {
            .method = call->method, .host = host, .path = path, .query = query,
            .header_names = names, .header_values = values, .header_count = nh,
            .payload = (const unsigned char *)r->body.data, .payload_size = r->body.size,
            .region = a->region, .service = a->signing_service, .access_key = c->cred.key,
            .secret_key = c->cred.secret, .session_token = c->cred.token, .amz_date = amz_date,
        };
        http_sigv4_headers h;
        char swhy[256];
        if (http_sigv4_sign(&h, &sr, swhy, sizeof swhy)) {
            snprintf(why, cap, "cannot sign the request: %s", swhy);
            return -1;
        }
        bad |= add_header(r, "X-Amz-Date", amz_date) || add_header(r, "Authorization",
                                                                   h.authorization);
        if (c->cred.token && *c->cred.token)
            bad |= add_header(r, "X-Amz-Security-Token", c->cred.token);
        explicit_bzero(&h, sizeof h);
    }
    long ms = (long)(c->set.timeout * 1000);
    bad |= curl_easy_setopt(r->curl, CURLOPT_URL, r->url) != CURLE_OK ||
           curl_easy_setopt(r->curl, CURLOPT_CUSTOMREQUEST, call->method) != CURLE_OK ||
           curl_easy_setopt(r->curl, CURLOPT_HTTPHEADER, r->headers) != CURLE_OK ||
           curl_easy_setopt(r->curl, CURLOPT_PROTOCOLS_STR, "http,https") != CURLE_OK ||
           curl_easy_setopt(r->curl, CURLOPT_NOSIGNAL, 1L) != CURLE_OK ||
           curl_easy_setopt(r->curl, CURLOPT_TIMEOUT_MS, ms > 0 ? ms : 1) != CURLE_OK ||
           curl_easy_setopt(r->curl, CURLOPT_USERAGENT, "shades-http/1") != CURLE_OK;
    if (bad) {
        snprintf(why, cap, "out of memory building the request");
        return -1;
    }
    return 0;
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
        request r = {0};
        buffer body = {0};
        double retry_after = -1;
        int rc = request_build(&r, c, call, images, sizes, n, wwhy, sizeof wwhy);
        CURLcode e = CURLE_OK;
        long status = 0;
        if (!rc) {
            curl_easy_setopt(r.curl, CURLOPT_WRITEFUNCTION, on_body);
            curl_easy_setopt(r.curl, CURLOPT_WRITEDATA, &body);
            curl_easy_setopt(r.curl, CURLOPT_HEADERFUNCTION, on_header);
            curl_easy_setopt(r.curl, CURLOPT_HEADERDATA, &retry_after);
            e = curl_easy_perform(r.curl);
            curl_easy_getinfo(r.curl, CURLINFO_RESPONSE_CODE, &status);
        }
        request_free(&r);
        slot_give(c);
        if (rc) {
            free(body.data);
            snprintf(why, cap, "%s %s: %s", svc, call_name, wwhy);
            return -1;
        }
        if (e == CURLE_OK && status >= 200 && status < 300) {
            if (!body.data && buf_add(&body, "", 0)) {
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
                     call_name, c->base_url, BODY_MAX >> 20);
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
                     "attempts); the last: %s", svc, call_name, c->base_url, c->set.deadline,
                     attempt + 1, last);
            return -1;
        }
        pthread_mutex_lock(&c->lock);
        c->stats.retries++;
        pthread_mutex_unlock(&c->lock);
        sleep_seconds(delay);
    }
    snprintf(why, cap, "%s %s: no answer from %s after %d attempts; the last: %s", svc,
             call_name, c->base_url, attempt + 1, last);
    return -1;
}
