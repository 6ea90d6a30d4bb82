#include "yaml_file.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "file_read.h"
#include "utf8.h"
#include "yaml_numbers.h"

const cyaml_strval_t sh_yaml_bool_words[SH_YAML_BOOL_WORDS] = {
    {"false", 0}, {"true", 1}, {"no", 0}, {"yes", 1}, {"off", 0}, {"on", 1},
};

/* ---- libcyaml's log, gathered into one line ---- */

typedef struct yaml_log {
    char first[512];  /* the first error libcyaml reports: the cause */
    char seg[8][72];  /* backtrace segments, innermost first */
    int nseg;
    int line;         /* innermost line libcyaml names, or 0 */
} yaml_log;

static void yaml_log_fn(cyaml_log_t level, void *ctx, const char *fmt, va_list args)
{
    yaml_log *log = ctx;
    if (level < CYAML_LOG_ERROR)
        return;
    char text[512];
    vsnprintf(text, sizeof text, fmt, args);
    text[strcspn(text, "\n")] = '\0';
    const char *msg = strncmp(text, "Load: ", 6) == 0 ? text + 6 : text;
    msg += strspn(msg, " ");
    if (strncmp(msg, "Backtrace:", 10) == 0)
        return;
    char name[64];
    int line;
    if (strncmp(msg, "in ", 3) == 0) {
        /* "in mapping field 'seed' (line: 3, column: 9)" or
         * "in sequence entry '2' (line: ...)" */
        if (log->nseg < 8 && (sscanf(msg, "in mapping field '%63[^']'", name) == 1 ||
                              sscanf(msg, "in sequence entry '%63[^']'", name) == 1)) {
            if (strstr(msg, "sequence entry"))
                snprintf(log->seg[log->nseg++], sizeof log->seg[0], " entry %s", name);
            else
                snprintf(log->seg[log->nseg++], sizeof log->seg[0], "%s", name);
        }
        const char *at = strstr(msg, "(line: ");
        if (at && !log->line && sscanf(at, "(line: %d", &line) == 1)
            log->line = line;
        return;
    }
    if (!log->first[0])
        snprintf(log->first, sizeof log->first, "%s", msg);
}

/* The backtrace as a dotted field path, outermost first. */
static void yaml_log_field(const yaml_log *log, char *out, size_t cap)
{
    size_t len = 0;
    out[0] = '\0';
    for (int i = log->nseg - 1; i >= 0 && len < cap; i--) {
        const char *sep = (len && log->seg[i][0] != ' ') ? "." : "";
        len += (size_t)snprintf(out + len, cap - len, "%s%s", sep, log->seg[i]);
    }
}

static char *read_text(size_t *out_len, const char *path, const char *what, sh_err *err)
{
    FILE *f = sh_file_open_read(path);
    if (!f) {
        sh_err_set(err, SH_E_INPUT, "%s: cannot open %s: %s", path, what, strerror(errno));
        return NULL;
    }
    char *buf = NULL;
    size_t len = 0, cap = 0;
    char chunk[8192];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (len + n + 1 > cap) {
            cap = (len + n + 1) * 2;
            char *grown = realloc(buf, cap);
            if (!grown) {
                free(buf);
                fclose(f);
                sh_err_nomem(err);
                return NULL;
            }
            buf = grown;
        }
        memcpy(buf + len, chunk, n);
        len += n;
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        free(buf);
        sh_err_set(err, SH_E_IO, "%s: read error", path);
        return NULL;
    }
    if (!buf && !(buf = calloc(1, 1)))
        sh_err_nomem(err);
    else
        buf[len] = '\0';
    *out_len = len;
    return buf;
}

/* Fails naming the line and column (in characters) of the first byte of
 * the len bytes of text that is not UTF-8, which libyaml reports without a
 * place, or is NUL, where libyaml would take the file to end. */
static int check_text(const char *text, size_t len, const char *path, sh_err *err)
{
    const unsigned char *p = (const unsigned char *)text, *end = p + len;
    unsigned line = 1, column = 1;
    while (p < end) {
        size_t n = *p ? sh_utf8_char((const char *)p, (size_t)(end - p)) : 0;
        if (!*p)
            return sh_err_set(err, SH_E_INPUT, "%s:%u: column %u: a NUL byte (the file is "
                              "not text)", path, line, column);
        if (!n)
            return sh_err_set(err, SH_E_INPUT,
                                  "%s:%u: column %u: byte 0x%02x is not UTF-8 (save the file "
                                  "as UTF-8)", path, line, column, *p);
        if (*p == '\n') {
            line++;
            column = 1;
        } else {
            column++;
        }
        p += n;
    }
    return 0;
}

/* The YAML node kind libcyaml names, in the words a config's author uses. */
static const char *node_words(const char *name)
{
    static const char *const map[][2] = {
        {"STRING", "a string"},           {"SEQUENCE_START", "a list"},
        {"MAPPING_START", "a mapping"},   {"SCALAR", "a single value"},
        {"MAPPING", "a mapping"},         {"SEQUENCE", "a list"},
        {"SEQUENCE_FIXED", "a list"},     {"INT", "a whole number"},
        {"UINT", "a whole number"},       {"FLOAT", "a number"},
        {"BOOL", "true or false"},        {"ENUM", "true or false"},
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (strcmp(name, map[i][0]) == 0)
            return map[i][1];
    return name;
}

/* libcyaml's "Expecting X, got event: Y" as "expected X, got Y"; other
 * messages as they are. */
static void plain_words(char *out, size_t cap, const char *why)
{
    char want[32], got[32], value[256];
    unsigned have, need;
    if (sscanf(why, "Expecting %31[A-Z_], got event: %31[A-Z_]", want, got) == 2)
        snprintf(out, cap, "expected %s, got %s", node_words(want), node_words(got));
    else if (sscanf(why, "Invalid ENUM value: %255[^\n]", value) == 1)
        /* SH_YAML_BOOL is the only enum our schemas have */
        snprintf(out, cap, "'%s' is not true or false", value);
    else if (sscanf(why, "Invalid %31s value: '%255[^']'", want, value) == 2 ||
             sscanf(why, "Invalid %31s value: %255[^\n]", want, value) == 2) {
        int whole = strstr(want, "int") || strstr(want, "INT");
        size_t digits = strspn(value + (value[0] == '-'), "0123456789");
        /* libcyaml says the same of digits past the field's range. */
        if (whole && digits && !value[(value[0] == '-') + digits])
            snprintf(out, cap, "'%s' is out of the range this field takes", value);
        else
            snprintf(out, cap, "'%s' is not %s", value, whole ? "a whole number" : "a number");
    }
    else if (sscanf(why, "Mapping field already seen: %255s", value) == 1)
        snprintf(out, cap, "given twice");
    else if (sscanf(why, "Insufficient entries (%u of %u min)", &have, &need) == 2)
        snprintf(out, cap, "has %u entries, at least %u needed", have, need);
    else if (sscanf(why, "Excessive entries (%u max)", &need) == 1)
        snprintf(out, cap, "has more than %u entries", need);
    else if (strstr(why, "mapping values are not allowed in this context"))
        snprintf(out, cap, "a ': ' inside a value (put the value in quotes)");
    else if (!strncmp(why, "STRING length < 1", 17))
        snprintf(out, cap, "empty, where text is needed");
    else
        snprintf(out, cap, "%s", why);
}

unsigned sh_yaml_key_line(const char *text, const char *key, size_t n, unsigned from)
{
    unsigned line = 1;
    for (const char *p = text; *p; p++) {
        if (*p == '\n') {
            line++;
            continue;
        }
        if (line < from || strncmp(p, key, n) || p[n] != ':')
            continue;
        const char *b = p;
        while (b > text && (b[-1] == ' ' || b[-1] == '\t' || b[-1] == '-'))
            b--;
        if (b == text || b[-1] == '\n' || b[-1] == '{' || b[-1] == ',')
            return line;
    }
    return 0;
}

static const cyaml_config_t *yaml_config(yaml_log *log)
{
    static _Thread_local cyaml_config_t c;
    c = (cyaml_config_t){
        .log_fn = yaml_log_fn,
        .log_ctx = log,
        .mem_fn = cyaml_mem,
        .log_level = CYAML_LOG_ERROR,
        .flags = CYAML_CFG_DEFAULT,
    };
    return &c;
}

/* The first line from line `from` on whose indentation holds a tab, or 0. */
static unsigned tab_line(const char *text, unsigned from)
{
    unsigned line = 1;
    for (const char *p = text; *p; line++) {
        size_t n = strcspn(p, "\n"), lead = strspn(p, " \t");
        if (line >= from && memchr(p, '\t', lead < n ? lead : n))
            return line;
        p += n + (p[n] == '\n');
    }
    return 0;
}

/* Refuses a second YAML document ("---" after content), which libcyaml
 * would leave unread. */
static int one_document(const char *text, const char *path, const char *what, sh_err *err)
{
    unsigned line = 1;
    int content = 0;
    if (!strncmp(text, "\xEF\xBB\xBF", 3))
        text += 3; /* a byte-order mark */
    for (const char *p = text; *p; line++) {
        size_t n = strcspn(p, "\n");
        int marker = n >= 3 && !strncmp(p, "---", 3) && (n == 3 || p[3] == ' ' ||
                                                       p[3] == '\t' || p[3] == '\r');
        if (marker && content)
            return sh_err_set(err, SH_E_INPUT, "%s:%u: a second YAML document; the %s is "
                              "one", path, line, what);
        size_t lead = strspn(p, " \t\r");
        /* Comments and directives ("%YAML 1.1") come before a document. */
        if (!marker && lead < n && p[lead] != '#' && !(lead == 0 && p[0] == '%'))
            content = 1;
        p += n + (p[n] == '\n');
    }
    return 0;
}

/* The line (from 1) on which top-level key `key:` starts, in column 0;
 * 0 when none. */
static unsigned top_key_line(const char *text, const char *key)
{
    size_t n = strlen(key);
    unsigned line = 1;
    for (const char *p = text; *p; line++) {
        if (!strncmp(p, key, n) && p[n] == ':')
            return line;
        const char *end = strchr(p, '\n');
        if (!end)
            break;
        p = end + 1;
    }
    return 0;
}

int sh_yaml_load(void **out, char **out_text, const char *path, const char *what,
                     const cyaml_schema_value_t *schema, sh_err *err)
{
    *out = NULL;
    *out_text = NULL;
    size_t len = 0;
    char *text = read_text(&len, path, what, err);
    if (!text)
        return err ? err->code : SH_E_INPUT;
    int rc = check_text(text, len, path, err);
    if (!rc)
        rc = one_document(text, path, what, err);
    if (rc) {
        free(text);
        return rc;
    }
    yaml_log log = {0};
    cyaml_err_t yerr = cyaml_load_data((const uint8_t *)text, strlen(text), yaml_config(&log),
                                       schema, (cyaml_data_t **)out, NULL);
    if (yerr == CYAML_OK && *out) {
        rc = sh_yaml_check_numbers(text, path, schema, err);
        if (rc) {
            sh_yaml_free(schema, *out);
            *out = NULL;
            free(text);
            return rc;
        }
        *out_text = text;
        return 0;
    }
    if (yerr == CYAML_OK) {
        /* A file with no document (empty, or only comments) loads as NULL. */
        free(text);
        return sh_err_set(err, SH_E_INPUT, "%s:1: the %s is empty", path, what);
    }
    *out = NULL;
    const char *why = log.first[0] ? log.first : cyaml_strerror(yerr);
    char field[256], at[32] = "", plain[512];
    yaml_log_field(&log, field, sizeof field);
    char key[128];
    if (sscanf(why, "Unexpected key: %127s", key) == 1) {
        /* libcyaml places an unexpected key on the line of the field
         * before it: name the key's own line. */
        unsigned line = sh_yaml_key_line(text, key, strlen(key), (unsigned)log.line);
        free(text);
        if (line)
            snprintf(at, sizeof at, ":%u", line);
        return sh_err_set(err, SH_E_INPUT, "%s%s: field '%s%s%s': not a key this file "
                              "may have", path, at, field, field[0] ? "." : "", key);
    }
    /* libyaml places a tab in an indentation on the line before it, in that
     * line's field: name the first line from there indented with one. */
    if (strstr(why, "tab character") || strstr(why, "cannot start any token")) {
        unsigned at_line = tab_line(text, log.line > 1 ? (unsigned)log.line - 1 : 1);
        if (at_line) {
            free(text);
            return sh_err_set(err, SH_E_INPUT, "%s:%u: a tab in the indentation (YAML "
                              "indents with spaces)", path, at_line);
        }
    }
    /* libcyaml places a key given twice on the line of the event before it:
     * name the second's own line. */
    unsigned dup = 0;
    if (sscanf(why, "Mapping field already seen: %127s", key) == 1 && log.line > 0) {
        dup = sh_yaml_key_line(text, key, strlen(key), (unsigned)log.line + 1);
        if (!dup)
            dup = sh_yaml_key_line(text, key, strlen(key), (unsigned)log.line);
    }
    /* libcyaml places a missing key at the end of the enclosing mapping,
     * with that mapping's last field innermost: the key's own path is the
     * mapping's, then the key, and a top-level mapping's own line is where
     * to add it. */
    if (sscanf(why, "Missing required mapping field: %127s", key) == 1) {
        char *last = strrchr(field, '.');
        *(last ? last : field) = '\0';
        unsigned line = field[0] && !strpbrk(field, ". ") ? top_key_line(text, field) : 0;
        free(text);
        if (line || log.line)
            snprintf(at, sizeof at, ":%u", line ? line : (unsigned)log.line);
        return sh_err_set(err, SH_E_INPUT, "%s%s: field '%s%s%s': required but missing",
                              path, at, field, field[0] ? "." : "", key);
    }
    free(text);
    if (dup)
        snprintf(at, sizeof at, ":%u", dup);
    else if (log.line)
        snprintf(at, sizeof at, ":%d", log.line);
    plain_words(plain, sizeof plain, why);
    /* A list's count is the list's fault, not its entry's libcyaml names. */
    char *entry = NULL;
    for (char *e = strstr(field, " entry "); e; e = strstr(e + 1, " entry "))
        entry = e;
    if (entry && !strchr(entry + 7, '.') &&
        (!strncmp(why, "Insufficient entries", 20) || !strncmp(why, "Excessive entries", 17)))
        *entry = '\0';
    if (field[0])
        return sh_err_set(err, SH_E_INPUT, "%s%s: field '%s': %s", path, at, field, plain);
    return sh_err_set(err, SH_E_INPUT, "%s%s: %s", path, at, plain);
}

void sh_yaml_free(const cyaml_schema_value_t *schema, void *data)
{
    if (!data)
        return;
    yaml_log log = {0};
    cyaml_free(yaml_config(&log), schema, data, 0);
}
