#include "credentials.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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

int http_secrets_load(http_secrets *out, const http_auth *a, const char *file, sh_err *err)
{
    *out = (http_secrets){0};
    if (!a || a->auth_kind == HTTP_AUTH_NONE)
        return 0;
    int rc = credential(&out->key, a->key, file, 1, "key", err);
    if (!rc && (a->auth_kind == HTTP_AUTH_FORM || a->auth_kind == HTTP_AUTH_AWS_SIGV4))
        rc = credential(&out->secret, a->secret, file, 1, "secret", err);
    if (!rc && a->auth_kind == HTTP_AUTH_AWS_SIGV4)
        rc = credential(&out->token, a->token, file, 0, "token", err);
    if (rc)
        http_secrets_free(out);
    return rc;
}

void http_secrets_free(http_secrets *s)
{
    secret_free(s->key);
    secret_free(s->secret);
    secret_free(s->token);
    *s = (http_secrets){0};
}

void http_secrets_redact(const http_secrets *s, char *text, size_t cap)
{
    const char *values[3] = {s->key, s->secret, s->token};
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
