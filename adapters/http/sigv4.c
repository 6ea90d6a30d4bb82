/* AWS Signature Version 4: canonical request, string to sign, signing key
 * and Authorization header, as AWS's "Create a signed AWS API request"
 * describes them. */
#include "sigv4.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#define ALGORITHM "AWS4-HMAC-SHA256"

/* The longest secret key taken (AWS's are 40 bytes). */
#define SECRET_MAX 1024

/* Writes one line into why (when there is room) and returns -1. */
static int fail(char *why, size_t whycap, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(char *why, size_t whycap, const char *fmt, ...)
{
    if (why && whycap) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(why, whycap, fmt, ap);
        va_end(ap);
    }
    return -1;
}

/* A growing NUL-terminated string; failed once an allocation failed. */
typedef struct strbuf {
    char *p;
    size_t len, cap;
    int failed;
} strbuf;

/* Appends n bytes of s. */
static void sb_put(strbuf *b, const char *s, size_t n)
{
    if (b->failed)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (b->len + n + 1 > cap)
            cap *= 2;
        char *p = realloc(b->p, cap);
        if (!p) {
            b->failed = 1;
            return;
        }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

/* Appends the string s, or the byte c. */
static void sb_str(strbuf *b, const char *s) { sb_put(b, s, strlen(s)); }
static void sb_char(strbuf *b, char c) { sb_put(b, &c, 1); }

/* Hands the string over: "" when nothing was written, NULL when an
 * allocation failed. */
static char *sb_take(strbuf *b)
{
    if (b->failed) {
        free(b->p);
        return NULL;
    }
    if (!b->p)
        return calloc(1, 1);
    return b->p;
}

/* RFC 3986's unreserved characters, which SigV4 never encodes. */
static int unreserved(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           c == '-' || c == '.' || c == '_' || c == '~';
}

/* Appends n bytes percent-encoded as SigV4's UriEncode does (upper-case
 * hex); '/' stays as it is when keep_slash. */
static void sb_uri_encode(strbuf *b, const unsigned char *s, size_t n, int keep_slash)
{
    static const char hex[] = "0123456789ABCDEF";
    for (size_t i = 0; i < n; i++) {
        if (unreserved(s[i]) || (keep_slash && s[i] == '/')) {
            sb_char(b, (char)s[i]);
        } else {
            char e[3] = {'%', hex[s[i] >> 4], hex[s[i] & 15]};
            sb_put(b, e, 3);
        }
    }
}

/* Writes n bytes as lower-case hex and a NUL into out (2n + 1 bytes). */
static void hex_encode(char *out, const unsigned char *md, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = hex[md[i] >> 4];
        out[2 * i + 1] = hex[md[i] & 15];
    }
    out[2 * n] = '\0';
}

/* The value of one hex digit, -1 for any other byte. */
static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* 1 when every byte of s is visible ASCII (no space, no control). */
static int visible(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s <= 0x20 || (unsigned char)*s >= 0x7f)
            return 0;
    return 1;
}

/* 1 when s is a non-empty HTTP token (RFC 9110's tchar). */
static int http_token(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
              (*s && strchr("!#$%&'*+-.^_`|~", *s))))
            return 0;
    return 1;
}

/* 1 when s (n bytes) has every '%' followed by two hex digits. */
static int escapes_valid(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] == '%' && (i + 2 >= n || hex_value(s[i + 1]) < 0 || hex_value(s[i + 2]) < 0))
            return 0;
    return 1;
}

/* 1 when path has a "." or ".." segment. */
static int dot_segment(const char *path)
{
    for (const char *seg = path; seg; seg = strchr(seg + 1, '/')) {
        const char *s = seg + 1;
        size_t n = strcspn(s, "/");
        if ((n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' && s[1] == '.'))
            return 1;
    }
    return 0;
}

/* 1 for the blanks Trimall removes. */
static int is_blank(char c) { return c == ' ' || c == '\t'; }

/* strcasecmp for ASCII, without POSIX's header. */
static int ascii_casecmp(const char *a, const char *b)
{
    for (;; a++, b++) {
        int x = (*a >= 'A' && *a <= 'Z') ? *a - 'A' + 'a' : *a;
        int y = (*b >= 'A' && *b <= 'Z') ? *b - 'A' + 'a' : *b;
        if (x != y || !x)
            return x - y;
    }
}

/* Checks every field of req before anything is built. */
static int validate(const http_sigv4_request *req, char *why, size_t whycap)
{
    if (!req)
        return fail(why, whycap, "no request to sign");
    if (!req->method || !http_token(req->method))
        return fail(why, whycap, "method is empty or not an HTTP token");
    if (!req->host || !*req->host)
        return fail(why, whycap, "host is empty");
    if (!visible(req->host))
        return fail(why, whycap, "host has a space, a control or a non-ASCII byte");
    if (!req->path || req->path[0] != '/')
        return fail(why, whycap, "path does not start with '/'");
    if (!visible(req->path))
        return fail(why, whycap, "path has a space, a control or a non-ASCII byte");
    if (!escapes_valid(req->path, strlen(req->path)))
        return fail(why, whycap, "path \"%s\" has a '%%' without two hex digits", req->path);
    if (strchr(req->path, '?') || strchr(req->path, '#'))
        return fail(why, whycap, "path \"%s\" holds a '?' or '#'; the query goes in query",
                    req->path);
    if (dot_segment(req->path))
        return fail(why, whycap, "path \"%s\" has a '.' or '..' segment; send it normalised",
                    req->path);
    const char *query = req->query ? req->query : "";
    if (!visible(query))
        return fail(why, whycap, "query has a space, a control or a non-ASCII byte");
    if (strchr(query, '#') || !escapes_valid(query, strlen(query)))
        return fail(why, whycap, "query \"%s\" has a '#', or a '%%' without two hex digits",
                    query);
    const struct {
        const char *name, *value;
    } scope[] = {{"region", req->region}, {"service", req->service}};
    for (size_t i = 0; i < 2; i++) {
        const char *v = scope[i].value;
        if (!v || !*v)
            return fail(why, whycap, "%s is empty", scope[i].name);
        if (strlen(v) > HTTP_SIGV4_SCOPE_PART_MAX)
            return fail(why, whycap, "%s is longer than %d bytes", scope[i].name,
                        HTTP_SIGV4_SCOPE_PART_MAX);
        for (const char *c = v; *c; c++)
            if (!unreserved((unsigned char)*c))
                return fail(why, whycap, "%s has a byte other than A-Z a-z 0-9 - . _ ~",
                            scope[i].name);
    }
    if (!req->access_key || !*req->access_key)
        return fail(why, whycap, "access key is empty");
    if (!visible(req->access_key) || strchr(req->access_key, '/') ||
        strchr(req->access_key, ','))
        return fail(why, whycap, "access key has a '/', ',', space or non-ASCII byte");
    if (!req->secret_key || !*req->secret_key)
        return fail(why, whycap, "secret key is empty");
    if (strlen(req->secret_key) > SECRET_MAX)
        return fail(why, whycap, "secret key is longer than %d bytes", SECRET_MAX);
    if (req->session_token && *req->session_token && !visible(req->session_token))
        return fail(why, whycap, "session token has a space or a non-ASCII byte");
    const char *d = req->amz_date;
    int date_ok = d && strlen(d) == 16 && d[8] == 'T' && d[15] == 'Z';
    for (int i = 0; date_ok && i < 15; i++)
        if (i != 8 && (d[i] < '0' || d[i] > '9'))
            date_ok = 0;
    if (!date_ok && d && visible(d))
        return fail(why, whycap, "amz_date \"%s\" is not YYYYMMDDTHHMMSSZ", d);
    if (!date_ok)
        return fail(why, whycap, "amz_date is not YYYYMMDDTHHMMSSZ");
    if (req->header_count && (!req->header_names || !req->header_values))
        return fail(why, whycap, "%zu headers but no names or values", req->header_count);
    static const char *const own[] = {"host", "x-amz-date", "x-amz-security-token",
                                      "authorization"};
    for (size_t i = 0; i < req->header_count; i++) {
        const char *n = req->header_names[i], *v = req->header_values[i];
        if (!n || !http_token(n))
            return fail(why, whycap, "header %zu's name is empty or not an HTTP token", i + 1);
        for (size_t k = 0; k < sizeof own / sizeof *own; k++)
            if (!ascii_casecmp(n, own[k]))
                return fail(why, whycap, "header %s is the signer's to set", n);
        if (!v)
            return fail(why, whycap, "header %s has no value", n);
        for (const char *c = v; *c; c++)
            if (((unsigned char)*c < 0x20 && *c != '\t') || *c == 0x7f)
                return fail(why, whycap, "header %s's value has a control byte", n);
    }
    if (req->payload_size && !req->payload)
        return fail(why, whycap, "payload is NULL with %zu bytes", req->payload_size);
    return 0;
}

/* One signed header: its lower-cased name, trimmed value and place given. */
typedef struct header {
    char *name;
    char *value;
    size_t order;
} header;

/* qsort order: by name, then as given (so repeated names keep their order). */
static int header_cmp(const void *a, const void *b)
{
    const header *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    return c ? c : (x->order > y->order) - (x->order < y->order);
}

/* A copy of s lower-cased (when lower) or with its blanks trimmed and inner
 * runs of them made one space (SigV4's Trimall); NULL when out of memory. */
static char *header_text(const char *s, int lower)
{
    char *out = malloc(strlen(s) + 1), *o = out;
    if (!out)
        return NULL;
    if (lower) {
        for (; *s; s++)
            *o++ = (*s >= 'A' && *s <= 'Z') ? (char)(*s - 'A' + 'a') : *s;
    } else {
        while (is_blank(*s))
            s++;
        while (*s) {
            if (is_blank(*s)) {
                while (is_blank(*s))
                    s++;
                if (*s)
                    *o++ = ' ';
            } else {
                *o++ = *s++;
            }
        }
    }
    *o = '\0';
    return out;
}

/* One query parameter, both parts SigV4-encoded. */
typedef struct param {
    char *key;
    char *value;
} param;

/* qsort order: by encoded key, then encoded value. */
static int param_cmp(const void *a, const void *b)
{
    const param *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    return c ? c : strcmp(x->value, y->value);
}

/* s (n bytes, escapes already checked) decoded, then encoded again as
 * SigV4 encodes a query key or value; NULL when out of memory. */
static char *query_part(const char *s, size_t n)
{
    unsigned char *raw = malloc(n + 1);
    if (!raw)
        return NULL;
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '%') {
            raw[m++] = (unsigned char)(hex_value(s[i + 1]) << 4 | hex_value(s[i + 2]));
            i += 2;
        } else {
            raw[m++] = (unsigned char)s[i];
        }
    }
    strbuf b = {0};
    sb_uri_encode(&b, raw, m, 0);
    free(raw);
    return sb_take(&b);
}

/* Appends the canonical query string of query: each "key[=value]" decoded
 * and encoded again, sorted by key, then value, joined by '&'. */
static int canonical_query(strbuf *b, const char *query)
{
    size_t n = 0;
    for (const char *c = query; *c; c++)
        n += *c == '&';
    param *ps = calloc(n + 1, sizeof *ps);
    if (!ps)
        return -1;
    size_t count = 0;
    int rc = 0;
    for (const char *s = query; *s && !rc;) {
        size_t len = strcspn(s, "&");
        if (len) {
            const char *eq = memchr(s, '=', len);
            size_t klen = eq ? (size_t)(eq - s) : len;
            ps[count].key = query_part(s, klen);
            ps[count].value = eq ? query_part(eq + 1, len - klen - 1) : calloc(1, 1);
            if (!ps[count].key || !ps[count].value)
                rc = -1;
            count++;
        }
        s += len;
        if (*s == '&')
            s++;
    }
    if (!rc) {
        qsort(ps, count, sizeof *ps, param_cmp);
        for (size_t i = 0; i < count; i++) {
            if (i)
                sb_char(b, '&');
            sb_str(b, ps[i].key);
            sb_char(b, '=');
            sb_str(b, ps[i].value);
        }
    }
    for (size_t i = 0; i < count; i++) {
        free(ps[i].key);
        free(ps[i].value);
    }
    free(ps);
    return rc;
}

/* Builds req's canonical request into *creq and its SignedHeaders list
 * into *signed_names (both the caller's to free). req must be valid. */
static int build(const http_sigv4_request *req, char **creq, char **signed_names)
{
    *creq = *signed_names = NULL;
    int token = req->session_token && *req->session_token;
    size_t n = req->header_count + 2 + (size_t)token;
    header *hs = calloc(n, sizeof *hs);
    if (!hs)
        return -1;
    int rc = 0;
    for (size_t i = 0; i < n && !rc; i++) {
        const char *name, *value;
        if (i < req->header_count) {
            name = req->header_names[i];
            value = req->header_values[i];
        } else if (i == req->header_count) {
            name = "host";
            value = req->host;
        } else if (i == req->header_count + 1) {
            name = "x-amz-date";
            value = req->amz_date;
        } else {
            name = "x-amz-security-token";
            value = req->session_token;
        }
        hs[i].name = header_text(name, 1);
        hs[i].value = header_text(value, 0);
        hs[i].order = i;
        if (!hs[i].name || !hs[i].value)
            rc = -1;
    }
    strbuf c = {0}, names = {0};
    if (!rc) {
        qsort(hs, n, sizeof *hs, header_cmp);
        sb_str(&c, req->method);
        sb_char(&c, '\n');
        sb_uri_encode(&c, (const unsigned char *)req->path, strlen(req->path), 1);
        sb_char(&c, '\n');
        rc = canonical_query(&c, req->query ? req->query : "");
        sb_char(&c, '\n');
        for (size_t i = 0; i < n; i++) {
            int same = i && !strcmp(hs[i].name, hs[i - 1].name);
            if (same) {
                sb_char(&c, ',');
            } else {
                if (i) {
                    sb_char(&c, '\n');
                    sb_char(&names, ';');
                }
                sb_str(&c, hs[i].name);
                sb_char(&c, ':');
                sb_str(&names, hs[i].name);
            }
            sb_str(&c, hs[i].value);
        }
        sb_str(&c, "\n\n");
        sb_str(&c, names.p ? names.p : "");
        sb_char(&c, '\n');
        unsigned char md[SHA256_DIGEST_LENGTH];
        char hex[2 * SHA256_DIGEST_LENGTH + 1];
        static const unsigned char none[1] = {0};
        SHA256(req->payload_size ? req->payload : none, req->payload_size, md);
        hex_encode(hex, md, sizeof md);
        sb_str(&c, hex);
    }
    for (size_t i = 0; i < n; i++) {
        free(hs[i].name);
        free(hs[i].value);
    }
    free(hs);
    *creq = sb_take(&c);
    *signed_names = sb_take(&names);
    if (rc || !*creq || !*signed_names) {
        free(*creq);
        free(*signed_names);
        *creq = *signed_names = NULL;
        return -1;
    }
    return 0;
}

/* The string to sign of a canonical request, into a new string. */
static char *string_to_sign(const http_sigv4_request *req, const char *creq)
{
    unsigned char md[SHA256_DIGEST_LENGTH];
    char hex[2 * SHA256_DIGEST_LENGTH + 1];
    SHA256((const unsigned char *)creq, strlen(creq), md);
    hex_encode(hex, md, sizeof md);
    strbuf b = {0};
    sb_str(&b, ALGORITHM "\n");
    sb_str(&b, req->amz_date);
    sb_char(&b, '\n');
    sb_put(&b, req->amz_date, 8);
    sb_char(&b, '/');
    sb_str(&b, req->region);
    sb_char(&b, '/');
    sb_str(&b, req->service);
    sb_str(&b, "/aws4_request\n");
    sb_str(&b, hex);
    return sb_take(&b);
}

int http_sigv4_canonical_request(char **out, const http_sigv4_request *req, char *why,
                                 size_t whycap)
{
    *out = NULL;
    if (validate(req, why, whycap))
        return -1;
    char *names;
    if (build(req, out, &names))
        return fail(why, whycap, "out of memory building the canonical request");
    free(names);
    return 0;
}

int http_sigv4_string_to_sign(char **out, const http_sigv4_request *req, char *why,
                              size_t whycap)
{
    char *creq;
    if (http_sigv4_canonical_request(&creq, req, why, whycap)) {
        *out = NULL;
        return -1;
    }
    *out = string_to_sign(req, creq);
    free(creq);
    return *out ? 0 : fail(why, whycap, "out of memory building the string to sign");
}

/* HMAC-SHA256 of n bytes of data under key, into out (32 bytes). */
static int hmac(unsigned char out[SHA256_DIGEST_LENGTH], const void *key, size_t keylen,
                const void *data, size_t n)
{
    unsigned len = 0;
    return HMAC(EVP_sha256(), key, (int)keylen, data, n, out, &len) && len == SHA256_DIGEST_LENGTH
               ? 0
               : -1;
}

int http_sigv4_sign(http_sigv4_headers *out, const http_sigv4_request *req, char *why,
                    size_t whycap)
{
    if (!out)
        return fail(why, whycap, "nowhere to write the headers");
    if (validate(req, why, whycap))
        return -1;
    char *creq, *names;
    if (build(req, &creq, &names))
        return fail(why, whycap, "out of memory building the canonical request");
    char *sts = string_to_sign(req, creq);
    free(creq);
    if (!sts) {
        free(names);
        return fail(why, whycap, "out of memory building the string to sign");
    }

    char secret[4 + SECRET_MAX + 1];
    unsigned char date_k[SHA256_DIGEST_LENGTH], region_k[SHA256_DIGEST_LENGTH],
        service_k[SHA256_DIGEST_LENGTH], signing_k[SHA256_DIGEST_LENGTH],
        sig[SHA256_DIGEST_LENGTH];
    int n = snprintf(secret, sizeof secret, "AWS4%s", req->secret_key);
    int rc = hmac(date_k, secret, (size_t)n, req->amz_date, 8) ||
             hmac(region_k, date_k, sizeof date_k, req->region, strlen(req->region)) ||
             hmac(service_k, region_k, sizeof region_k, req->service, strlen(req->service)) ||
             hmac(signing_k, service_k, sizeof service_k, "aws4_request", 12) ||
             hmac(sig, signing_k, sizeof signing_k, sts, strlen(sts));
    OPENSSL_cleanse(secret, sizeof secret);
    OPENSSL_cleanse(date_k, sizeof date_k);
    OPENSSL_cleanse(region_k, sizeof region_k);
    OPENSSL_cleanse(service_k, sizeof service_k);
    OPENSSL_cleanse(signing_k, sizeof signing_k);
    free(sts);
    if (rc) {
        free(names);
        return fail(why, whycap, "libcrypto could not compute an HMAC-SHA256");
    }
    char hex[2 * SHA256_DIGEST_LENGTH + 1];
    hex_encode(hex, sig, sizeof sig);
    n = snprintf(out->authorization, sizeof out->authorization,
                 ALGORITHM " Credential=%s/%.8s/%s/%s/aws4_request, SignedHeaders=%s, Signature=%s",
                 req->access_key, req->amz_date, req->region, req->service, names, hex);
    free(names);
    if (n < 0 || (size_t)n >= sizeof out->authorization)
        return fail(why, whycap, "the Authorization header would pass %d bytes",
                    HTTP_SIGV4_AUTHORIZATION_MAX - 1);
    memcpy(out->amz_date, req->amz_date, sizeof out->amz_date);
    out->security_token = req->session_token && *req->session_token ? req->session_token : NULL;
    return 0;
}
