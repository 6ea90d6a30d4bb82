/* Credentials: the values a service description names, read from a
 * credentials file or the environment, held only in memory, wiped when
 * freed, and cut out of any message that quotes them. */
#ifndef SHADES_HTTP_CREDENTIALS_H
#define SHADES_HTTP_CREDENTIALS_H

#include <stddef.h>

#include "error.h"
#include "service.h"

/* Credential values, NULL when not needed. Never logged, never written.
 * Owned by whoever loaded them (http_secrets_free). */
typedef struct http_secrets {
    char *key;
    char *secret;
    char *token;
} http_secrets;

/* Reads into *out the credentials auth names (NULL: none): each from file
 * (NAME=value lines, mode 600; NULL or "" for none), else from the
 * environment. On failure *out holds nothing and err names the credential
 * or the file's line, never a value. */
int http_secrets_load(http_secrets *out, const http_auth *auth, const char *file, sh_err *err);

/* Wipes and frees the values; a zeroed struct is allowed. */
void http_secrets_free(http_secrets *s);

/* Replaces, in text (cap bytes, NUL-terminated), every value s holds with
 * "[credential]": for messages that quote what a service sent back, which
 * may echo a key. [thread: any] */
void http_secrets_redact(const http_secrets *s, char *text, size_t cap);

#endif
