#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* "path:line: field 'field': why". */
static int line_error(sh_err *err, const sh_config *c, unsigned line, const char *field,
                      const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static int line_error(sh_err *err, const sh_config *c, unsigned line, const char *field,
                      const char *fmt, ...)
{
    char why[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof why, fmt, ap);
    va_end(ap);
    return sh_err_set(err, SH_E_INPUT, "%s:%u: field '%s': %s", c->path, line, field,
                          why);
}

/* The factors of "a x b x c", trimmed, into names (at most cap, written
 * into buf); their count, which may exceed cap. */
static size_t factors(char names[][128], size_t cap, const char *spec)
{
    size_t n = 0;
    for (const char *p = spec;;) {
        const char *sep = strstr(p, " x ");
        size_t len = sep ? (size_t)(sep - p) : strlen(p);
        while (len && *p == ' ')
            p++, len--;
        while (len && p[len - 1] == ' ')
            len--;
        if (n < cap)
            snprintf(names[n], sizeof names[n], "%.*s", (int)len, p);
        n++;
        if (!sep)
            return n;
        p = sep + 3;
    }
}

static int check_partitions(const sh_config *c, sh_err *err)
{
    const sh_cfg_groups *g = &c->groups;
    unsigned line = sh_config_line(c, "groups", "partitions");
    for (unsigned i = 0; i < g->partitions_count; i++) {
        const char *spec = g->partitions[i];
        for (unsigned j = 0; j < i; j++)
            if (!strcmp(g->partitions[j], spec))
                return line_error(err, c, line, "groups.partitions", "'%s' is listed twice",
                                  spec);
        char names[SH_MAX_FACTORS][128];
        size_t n = factors(names, SH_MAX_FACTORS, spec);
        if (n > SH_MAX_FACTORS)
            return line_error(err, c, line, "groups.partitions",
                              "'%s' has %zu factors, at most %d", spec, n, SH_MAX_FACTORS);
        for (size_t a = 0; a < n; a++)
            for (size_t b = 0; b < a; b++)
                if (!strcmp(names[a], names[b]))
                    return line_error(err, c, line, "groups.partitions", "'%s' names '%s' twice",
                                      spec, names[a]);
    }
    return 0;
}

/* One derived attribute: each label once, each mapped value under one. */
static int check_derived(const sh_config *c, unsigned i, sh_err *err)
{
    const sh_group_derived *d = &c->groups.derived[i];
    for (unsigned j = 0; j < i; j++)
        if (!strcmp(c->groups.derived[j].name, d->name))
            return line_error(err, c, d->line, "groups.derived.name",
                              "'%s' is defined twice (first on line %u)", d->name,
                              c->groups.derived[j].line);
    unsigned n = d->map_count ? d->map_count : d->bands_count;
    for (unsigned a = 0; a < n; a++)
        for (unsigned b = 0; b < a; b++) {
            const char *la = d->map_count ? d->map[a].label : d->bands[a].label;
            const char *lb = d->map_count ? d->map[b].label : d->bands[b].label;
            if (!strcmp(la, lb))
                return line_error(err, c, d->line, d->map_count ? "groups.derived.map"
                                                                : "groups.derived.bands",
                                  "'%s' has the label '%s' twice", d->name, la);
        }
    for (unsigned a = 0; a < d->map_count; a++)
        for (unsigned v = 0; v < d->map[a].values_count; v++)
            for (unsigned b = 0; b <= a; b++)
                for (unsigned w = 0; w < (b == a ? v : d->map[b].values_count); w++)
                    if (!strcmp(d->map[a].values[v], d->map[b].values[w]) && a == b)
                        return line_error(err, c, d->line, "groups.derived.map",
                                          "'%s' lists '%s' twice under '%s'", d->name,
                                          d->map[a].values[v], d->map[a].label);
                    else if (!strcmp(d->map[a].values[v], d->map[b].values[w]))
                        return line_error(err, c, d->line, "groups.derived.map",
                                          "'%s' lists '%s' under both '%s' and '%s'", d->name,
                                          d->map[a].values[v], d->map[b].label, d->map[a].label);
    return 0;
}

/* Each reference: a configured partition, named once, in a verification
 * run (the group itself is checked once the manifest gives the groups). */
static int check_references(const sh_config *c, sh_err *err)
{
    const sh_cfg_groups *g = &c->groups;
    for (unsigned i = 0; i < g->reference_count; i++) {
        const sh_group_reference *ref = &g->reference[i];
        char field[64];
        snprintf(field, sizeof field, "groups.reference entry %u.partition", i + 1);
        int known = 0;
        for (unsigned p = 0; p < g->partitions_count; p++)
            known |= !strcmp(g->partitions[p], ref->partition);
        if (!known)
            return line_error(err, c, ref->line, field, "'%s' is not one of groups.partitions",
                              ref->partition);
        for (unsigned j = 0; j < i; j++)
            if (!strcmp(g->reference[j].partition, ref->partition))
                return line_error(err, c, ref->line, field,
                                  "'%s' has a reference group already (line %u)",
                                  ref->partition, g->reference[j].line);
        if (c->protocol != SH_PROTOCOL_VERIFICATION)
            return line_error(err, c, ref->line, field,
                              "reference groups apply to verification runs only");
    }
    return 0;
}

int sh_config_check_groups(sh_config *c, sh_err *err)
{
    for (unsigned i = 0; i < c->groups.derived_count; i++)
        c->groups.derived[i].line = sh_config_line_nth(c, "groups", "name", i);
    for (unsigned i = 0; i < c->groups.reference_count; i++)
        c->groups.reference[i].line = sh_config_line_nth(c, "groups", "partition", i);
    int rc = check_partitions(c, err);
    for (unsigned i = 0; !rc && i < c->groups.derived_count; i++)
        rc = check_derived(c, i, err);
    if (!rc)
        rc = check_references(c, err);
    return rc;
}
