#include "request.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <openssl/evp.h>

#include "sigv4.h"

int http_buffer_add(http_buffer *b, const void *p, size_t n)
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
    http_buffer *b = ctx;
    if (b->size + size * n > HTTP_BODY_MAX) {
        b->over = 1;
        return 0;
    }
    return http_buffer_add(b, p, size * n) ? 0 : size * n;
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
static int json_body(http_buffer *out, const char *tmpl, const uint8_t *const *images,
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
            return http_buffer_add(out, p, strlen(p));
        if (http_buffer_add(out, p, (size_t)(at - p)) || http_buffer_add(out, "\"", 1))
            return -1;
        size_t b64 = 4 * ((sizes[best] + 2) / 3);
        char *enc = malloc(b64 + 1);
        if (!enc)
            return -1;
        EVP_EncodeBlock((unsigned char *)enc, images[best], (int)sizes[best]);
        int rc = http_buffer_add(out, enc, b64) || http_buffer_add(out, "\"", 1);
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

void http_request_free(http_request *r)
{
    curl_slist_free_all(r->headers);
    curl_mime_free(r->mime);
    if (r->body.data)
        explicit_bzero(r->body.data, r->body.size);
    free(r->body.data);
    if (r->curl)
        curl_easy_cleanup(r->curl);
}

static int add_header(http_request *r, const char *name, const char *value)
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

int http_request_build(http_request *r, const http_target *t, const http_call *call,
                       const uint8_t *const *images, const size_t *sizes, size_t n, char *why,
                       size_t cap)
{
    *r = (http_request){0};
    const http_auth *a = t->auth;
    http_auth_kind kind = a ? a->auth_kind : HTTP_AUTH_NONE;
    if (!(r->curl = curl_easy_init())) {
        snprintf(why, cap, "libcurl could not start a request");
        return -1;
    }
    char query[2048] = "";
    snprintf(query, sizeof query, "%s", call->query ? call->query : "");
    if (kind == HTTP_AUTH_QUERY) {
        char *v = curl_easy_escape(r->curl, t->secrets->key, 0);
        size_t q = strlen(query);
        snprintf(query + q, sizeof query - q, "%s%s=%s", q ? "&" : "", a->name, v ? v : "");
        curl_free(v);
    }
    if (snprintf(r->url, sizeof r->url, "%s%s%s%s", t->base_url, call->path, query[0] ? "?" : "",
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
        bad |= add_header(r, a->name, t->secrets->key);
    if (kind == HTTP_AUTH_BEARER) {
        size_t m = strlen(t->secrets->key) + 8;
        char *b = malloc(m);
        bad |= !b || (snprintf(b, m, "Bearer %s", t->secrets->key),
                      add_header(r, "Authorization", b));
        if (b)
            explicit_bzero(b, m);
        free(b);
    }
    if (call->body_kind == HTTP_BODY_JSON)
        bad |= json_body(&r->body, call->json, images, sizes, n);
    else if (call->body_kind == HTTP_BODY_RAW)
        bad |= http_buffer_add(&r->body, images[0], sizes[0]);
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
            const char *values[2] = {t->secrets->key, t->secrets->secret};
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
        time_t now = time(NULL);
        struct tm tm;
        gmtime_r(&now, &tm);
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
            .region = a->region, .service = a->signing_service,
            .access_key = t->secrets->key, .secret_key = t->secrets->secret,
            .session_token = t->secrets->token, .amz_date = amz_date,
        };
        http_sigv4_headers h;
        char swhy[256];
        if (http_sigv4_sign(&h, &sr, swhy, sizeof swhy)) {
            snprintf(why, cap, "cannot sign the request: %s", swhy);
            return -1;
        }
        bad |= add_header(r, "X-Amz-Date", amz_date) || add_header(r, "Authorization",
                                                                   h.authorization);
        if (t->secrets->token && *t->secrets->token)
            bad |= add_header(r, "X-Amz-Security-Token", t->secrets->token);
        explicit_bzero(&h, sizeof h);
    }
    long ms = (long)(t->timeout * 1000);
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

CURLcode http_request_perform(http_buffer *out_body, long *out_status, double *out_retry_after,
                              http_request *r)
{
    *out_status = 0;
    *out_retry_after = -1;
    curl_easy_setopt(r->curl, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(r->curl, CURLOPT_WRITEDATA, out_body);
    curl_easy_setopt(r->curl, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(r->curl, CURLOPT_HEADERDATA, out_retry_after);
    CURLcode e = curl_easy_perform(r->curl);
    curl_easy_getinfo(r->curl, CURLINFO_RESPONSE_CODE, out_status);
    return e;
}
