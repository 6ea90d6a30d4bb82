#include "options.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int apply(const adapter_option *o, const char *value, char *why, size_t cap)
{
    if (o->kind == ADAPTER_OPT_TEXT) {
        size_t len = strlen(value);
        if (len == 0 || len >= o->text_cap) {
            snprintf(why, cap, "option %s: value is empty or longer than %zu characters",
                     o->name, o->text_cap - 1);
            return -1;
        }
        memcpy(o->dest, value, len + 1);
        return 0;
    }
    char *end;
    double v = strtod(value, &end);
    if (end == value || *end || !isfinite(v) || v < o->lo || v > o->hi ||
        (o->kind == ADAPTER_OPT_INT && v != floor(v))) {
        /* Whole-number ranges print whole ("2147483647", not "2.14748e+09"). */
        if (o->kind == ADAPTER_OPT_INT)
            snprintf(why, cap, "option %s: '%s' is not a whole number from %.0f to %.0f",
                     o->name, value, o->lo, o->hi);
        else
            snprintf(why, cap, "option %s: '%s' is not a number from %g to %g", o->name, value,
                     o->lo, o->hi);
        return -1;
    }
    if (o->kind == ADAPTER_OPT_INT)
        *(int *)o->dest = (int)v;
    else
        *(double *)o->dest = v;
    return 0;
}

int adapter_options_parse(const char *options, const adapter_option *table, size_t n,
                          char *why, size_t cap)
{
    const char *p = options ? options : "";
    /* A key given twice is refused: read in turn, the last would win
     * without a word. Engines of their own may take a key many times. */
    unsigned char *seen = calloc(n ? n : 1, 1);
    if (!seen) {
        snprintf(why, cap, "out of memory");
        return -1;
    }
    int rc = 0;
    while (*p && !rc) {
        const char *eol = strchr(p, '\n');
        size_t len = eol ? (size_t)(eol - p) : strlen(p);
        char line[1024];
        if (len >= sizeof line) {
            snprintf(why, cap, "an option line is longer than %zu characters", sizeof line - 1);
            rc = -1;
            break;
        }
        memcpy(line, p, len);
        line[len] = '\0';
        p += len + (eol ? 1 : 0);
        if (!line[0])
            continue;
        char *eq = strchr(line, '=');
        if (!eq) {
            snprintf(why, cap, "option '%s' is not key=value", line);
            rc = -1;
            break;
        }
        *eq = '\0';
        size_t i = 0;
        while (i < n && strcmp(table[i].name, line))
            i++;
        if (i == n)
            snprintf(why, cap, "unknown option '%s'", line);
        else if (seen[i])
            snprintf(why, cap, "option '%s' is given twice", line);
        rc = i == n || seen[i] ? -1 : apply(&table[i], eq + 1, why, cap);
        if (i < n)
            seen[i] = 1;
    }
    free(seen);
    return rc;
}

void adapter_log_error(const shades_host *host, const char *engine, const char *fmt, ...)
{
    if (!host || !SHADES_HAS_MEMBER(shades_host, host->struct_size, log) || !host->log)
        return;
    char what[2048], line[2200];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    snprintf(line, sizeof line, "%s: %s", engine, what);
    host->log(host, SHADES_LOG_ERROR, line);
}

int adapter_file_path(char *path, size_t cap, const char *config_dir, const char *name,
                      const char *what, int required, char *why, size_t whycap)
{
    if (!path[0]) {
        if (required)
            snprintf(why, whycap, "option %s is required (the path of its %s)", name, what);
        return required ? -1 : 0;
    }
    if (path[0] == '/' || !config_dir)
        return 0;
    size_t dir = strlen(config_dir), len = strlen(path);
    if (dir + 1 + len >= cap) {
        snprintf(why, whycap, "option %s: path too long", name);
        return -1;
    }
    memmove(path + dir + 1, path, len + 1);
    memcpy(path, config_dir, dir);
    path[dir] = '/';
    return 0;
}
