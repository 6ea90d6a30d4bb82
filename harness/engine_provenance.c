#include "engine_provenance.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The line as a message may quote it: non-printable bytes as \xNN, cut
 * at about 120 bytes. */
static void quote_line(char *out, size_t cap, const char *line, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len && n + 8 < cap; i++) {
        unsigned char c = (unsigned char)line[i];
        if (n > 120) {
            n += (size_t)snprintf(out + n, cap - n, "...");
            break;
        }
        if (c >= 0x20 && c < 0x7f && c != '\\')
            out[n++] = (char)c;
        else
            n += (size_t)snprintf(out + n, cap - n, "\\x%02x", c);
    }
    out[n < cap ? n : cap - 1] = '\0';
}

/* Why line (len bytes) is not a provenance line, or NULL; `why` holds the
 * reason's text when it needs one. */
static const char *bad_line(char *why, size_t cap, const char *line, size_t len,
                            const sh_provenance_pair *rows, size_t n)
{
    const char *eq = memchr(line, '=', len);
    if (!eq)
        return "not key=value";
    size_t klen = (size_t)(eq - line), vlen = len - klen - 1;
    if (!klen)
        return "the key is empty";
    for (size_t i = 0; i < klen; i++) {
        char c = line[i];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'))
            return "the key is not lowercase letters, digits and '_' ([a-z0-9_]+)";
    }
    if (klen >= SH_PROVENANCE_KEY_MAX) {
        snprintf(why, cap, "the key is longer than %d bytes", SH_PROVENANCE_KEY_MAX - 1);
        return why;
    }
    for (size_t i = 0; i < vlen; i++) {
        unsigned char c = (unsigned char)eq[1 + i];
        if (c < 0x20 || c >= 0x7f) {
            snprintf(why, cap, "the value holds byte 0x%02x, which is not printable ASCII", c);
            return why;
        }
    }
    if (vlen >= SH_PROVENANCE_VALUE_MAX) {
        snprintf(why, cap, "the value is longer than %d bytes", SH_PROVENANCE_VALUE_MAX - 1);
        return why;
    }
    for (size_t i = 0; i < n; i++)
        if (strlen(rows[i].key) == klen && !memcmp(rows[i].key, line, klen)) {
            snprintf(why, cap, "the key is also on line %zu", i + 1);
            return why;
        }
    return NULL;
}

int sh_engine_provenance_parse(sh_provenance_pair **out, size_t *out_n, const char *text,
                               const char *name, sh_err *err)
{
    *out = NULL;
    *out_n = 0;
    sh_provenance_pair *rows = calloc(SH_PROVENANCE_LINES_MAX, sizeof *rows);
    if (!rows)
        return sh_err_nomem(err);
    size_t n = 0;
    for (const char *p = text; *p;) {
        const char *end = strchr(p, '\n');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        char why[96], quoted[160];
        const char *bad = n == SH_PROVENANCE_LINES_MAX ? why : NULL;
        if (bad)
            snprintf(why, sizeof why, "more than %d lines", SH_PROVENANCE_LINES_MAX);
        else
            bad = bad_line(why, sizeof why, p, len, rows, n);
        if (bad) {
            quote_line(quoted, sizeof quoted, p, len);
            free(rows);
            return sh_err_set(err, SH_E_ADAPTER, "engine '%s': %s line %zu '%s': %s", name,
                              SHADES_EXT_PROVENANCE, n + 1, quoted, bad);
        }
        const char *eq = memchr(p, '=', len);
        memcpy(rows[n].key, p, (size_t)(eq - p));
        memcpy(rows[n].value, eq + 1, len - (size_t)(eq - p) - 1);
        n++;
        p = end ? end + 1 : p + len;
    }
    *out = rows;
    *out_n = n;
    return 0;
}

int sh_engine_provenance_collect(sh_provenance_pair **out, size_t *out_n, int *out_has,
                                 sh_instance *inst, sh_err *err)
{
    *out = NULL;
    *out_n = 0;
    *out_has = 0;
    char *text = malloc(SH_PROVENANCE_BUFFER);
    if (!text)
        return sh_err_nomem(err);
    int has = 0;
    int rc = inst->calls->provenance(&has, text, SH_PROVENANCE_BUFFER, inst, err);
    if (!rc && has)
        rc = sh_engine_provenance_parse(out, out_n, text, inst->id.name, err);
    free(text);
    *out_has = !rc && has;
    return rc;
}
