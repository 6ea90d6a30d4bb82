/* AWS Signature Version 4 for the HTTP engine adapter: the headers that
 * sign one request to a cloud API (AWS's "Signature Version 4 signing
 * process"; the canonical request of its services other than S3, whose
 * path is encoded once where the others encode the sent path again).
 * Stands alone on OpenSSL's libcrypto; no global state, so every function
 * here may run on any thread at once. */
#ifndef HTTP_SIGV4_H
#define HTTP_SIGV4_H

#include <stddef.h>

/* The longest Authorization value the signer writes, its NUL included. */
#define HTTP_SIGV4_AUTHORIZATION_MAX 1024

/* The longest region and service names taken. */
#define HTTP_SIGV4_SCOPE_PART_MAX 63

/* What SigV4 signs one request with; all strings are the caller's and
 * only read during the call. */
typedef struct http_sigv4_request {
    const char *method;        /* "POST" */
    const char *host;          /* Host header as sent, with the port when not the default */
    const char *path;          /* "/..." already URI-encoded as sent */
    const char *query;         /* "" or NULL when none, else "a=b&c=d" as sent: each
                                * key and value is decoded and encoded again, a key
                                * alone signs as "key=", '+' is a plus (a space is
                                * sent as %20) */
    const char *const *header_names;  /* further headers sent and signed */
    const char *const *header_values;
    size_t header_count;
    const unsigned char *payload;     /* the body; NULL when payload_size is 0 */
    size_t payload_size;
    const char *region;        /* "us-east-1" */
    const char *service;       /* "rekognition" */
    const char *access_key;
    const char *secret_key;
    const char *session_token; /* NULL or "" when none */
    const char *amz_date;      /* "20150830T123600Z": UTC, from the caller */
} http_sigv4_request;

/* The headers to add to the request. x-amz-content-sha256 is not one of
 * them (the services other than S3 do not ask for it). */
typedef struct http_sigv4_headers {
    char amz_date[17];      /* X-Amz-Date */
    char authorization[HTTP_SIGV4_AUTHORIZATION_MAX];  /* Authorization */
    const char *security_token;  /* X-Amz-Security-Token: the request's own
                                  * string (lives as long as it does), NULL
                                  * when there is no token to send */
} http_sigv4_headers;

/* Signs req: fills out with the headers to send beside req's own. Signed
 * headers are host, x-amz-date, x-amz-security-token when there is a
 * token, and req's headers: names lower-cased, values trimmed with inner
 * runs of blanks made one space, sorted by name; a name given twice signs
 * its values joined by commas in the order given. Returns 0, or -1 with
 * one line in why (NUL-terminated, truncated to whycap) naming the field at
 * fault; out is then unspecified. */
int http_sigv4_sign(http_sigv4_headers *out, const http_sigv4_request *req, char *why,
                    size_t whycap);

/* The canonical request of req, as http_sigv4_sign hashes it, in a new
 * string at *out that the caller frees with free(). Returns 0, or -1 with
 * one line in why and *out NULL. */
int http_sigv4_canonical_request(char **out, const http_sigv4_request *req, char *why,
                                 size_t whycap);

/* The string to sign of req (algorithm, date, scope and the canonical
 * request's SHA-256), in a new string at *out that the caller frees with
 * free(). Returns 0, or -1 with one line in why and *out NULL. */
int http_sigv4_string_to_sign(char **out, const http_sigv4_request *req, char *why,
                              size_t whycap);

#endif
