#include "groups.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "names.h"
#include "pair_map.h"

#define MAX_FACTORS SH_MAX_FACTORS

/* One column the partitions can use: a manifest attribute or a derived
 * attribute, with its distinct labels in report order. */
typedef struct column {
    const char *name;
    size_t n_labels;
    const char **labels;   /* borrowed from the manifest or the config */
    uint32_t *item_label;  /* n_items */
} column;

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Labels of a raw attribute: its distinct values, sorted. */
static int column_from_attr(column *c, const sh_manifest *m, int attr, sh_err *err)
{
    const char **sorted = malloc(m->n_items * sizeof *sorted);
    c->item_label = malloc(m->n_items * sizeof *c->item_label);
    if (!sorted || !c->item_label) {
        free(sorted);
        return sh_err_nomem(err);
    }
    for (size_t i = 0; i < m->n_items; i++)
        sorted[i] = sh_manifest_value(m, i, attr);
    qsort(sorted, m->n_items, sizeof *sorted, cmp_str);
    size_t n = 0;
    for (size_t i = 0; i < m->n_items; i++)
        if (n == 0 || strcmp(sorted[n - 1], sorted[i]))
            sorted[n++] = sorted[i];
    c->labels = sorted;
    c->n_labels = n;
    for (size_t i = 0; i < m->n_items; i++) {
        const char *v = sh_manifest_value(m, i, attr);
        const char **hit = bsearch(&v, sorted, n, sizeof *sorted, cmp_str);
        c->item_label[i] = (uint32_t)(hit - sorted);
    }
    return 0;
}

/* Labels of a derived attribute, in the order the config lists them. */
static int column_from_derived(column *c, const sh_manifest *m, const sh_group_derived *d,
                               const char *config_path, sh_err *err)
{
    int attr = sh_manifest_attr(m, d->from);
    if (attr < 0)
        return sh_err_set(err, SH_E_INPUT,
                              "%s:%u: field 'groups.derived.from': '%s' (for '%s') is not a column of %s",
                              config_path, d->line, d->from, d->name, m->path);
    size_t n = d->map_count ? d->map_count : d->bands_count;
    c->labels = malloc(n * sizeof *c->labels);
    c->item_label = malloc(m->n_items * sizeof *c->item_label);
    if (!c->labels || !c->item_label)
        return sh_err_nomem(err);
    c->n_labels = n;
    for (size_t k = 0; k < n; k++)
        c->labels[k] = d->map_count ? d->map[k].label : d->bands[k].label;
    for (size_t i = 0; i < m->n_items; i++) {
        const char *v = sh_manifest_value(m, i, attr);
        long found = -1;
        if (d->map_count) {
            for (unsigned k = 0; k < d->map_count && found < 0; k++)
                for (unsigned j = 0; j < d->map[k].values_count; j++)
                    if (strcmp(v, d->map[k].values[j]) == 0) {
                        found = k;
                        break;
                    }
        } else {
            char *end;
            errno = 0;
            double x = strtod(v, &end);
            if (errno || end == v || *end || !isfinite(x))
                return sh_err_set(err, SH_E_INPUT,
                                      "%s:%zu: field '%s': '%s' is not a number (needed for bands of '%s')",
                                      m->path, m->line[i], d->from, v, d->name);
            for (unsigned k = 0; k < d->bands_count && found < 0; k++)
                if (x >= d->bands[k].min && x < d->bands[k].below)
                    found = k;
        }
        if (found < 0)
            return sh_err_set(err, SH_E_INPUT,
                                  "%s:%zu: field '%s': value '%s' falls in no group of '%s' (%s, groups.derived)",
                                  m->path, m->line[i], d->from, v, d->name, config_path);
        c->item_label[i] = (uint32_t)found;
    }
    return 0;
}

static int find_column(column *out, const sh_manifest *m, const sh_groups_spec *cfg,
                       const char *name, sh_err *err)
{
    memset(out, 0, sizeof *out);
    out->name = name;
    for (unsigned k = 0; k < cfg->derived_count; k++)
        if (strcmp(cfg->derived[k].name, name) == 0)
            return column_from_derived(out, m, &cfg->derived[k], cfg->config_path, err);
    int attr = sh_manifest_attr(m, name);
    if (attr < 0)
        return sh_err_set(err, SH_E_INPUT,
                              "%s:%u: field 'groups.partitions': '%s' is neither a column of %s "
                              "nor a derived attribute",
                              cfg->config_path, cfg->partitions_line, name,
                              m->path);
    return column_from_attr(out, m, attr, err);
}

static void column_free(column *c)
{
    free(c->labels);
    free(c->item_label);
}

/* Splits "a x b x c" into trimmed factor names (written into buf). */
static int split_factors(char *buf, char **names, const char *spec)
{
    int n = 0;
    char *p = buf;
    strcpy(buf, spec);
    while (p && n < MAX_FACTORS) {
        char *sep = strstr(p, " x ");
        if (sep)
            *sep = '\0';
        while (*p == ' ')
            p++;
        char *e = p + strlen(p);
        while (e > p && e[-1] == ' ')
            *--e = '\0';
        if (!*p)
            return -1;
        names[n++] = p;
        p = sep ? sep + 3 : NULL;
    }
    return p ? -1 : n;
}

/* Builds one partition as the intersection of its factors; groups that no
 * item falls into are left out, the rest keep the factors' label order. */
int sh_partition_build(sh_partition *part, const sh_manifest *m,
                           const sh_groups_spec *cfg, const char *spec, sh_err *err)
{
    memset(part, 0, sizeof *part);
    part->reference = -1;
    char buf[512], *names[MAX_FACTORS];
    if (strlen(spec) >= sizeof buf)
        return sh_err_set(err, SH_E_INPUT, "%s:%u: field 'groups.partitions': too long",
                              cfg->config_path, cfg->partitions_line);
    if (strlen(spec) >= SH_NAME_MAX)
        return sh_err_set(err, SH_E_INPUT, "%s:%u: field 'groups.partitions': '%s' is %zu bytes; "
                          "a partition's name is at most %d (name the attributes more "
                          "briefly, in groups.derived)", cfg->config_path,
                          cfg->partitions_line, spec, strlen(spec), SH_NAME_MAX - 1);
    int nf = split_factors(buf, names, spec);
    if (nf <= 0)
        return sh_err_set(err, SH_E_INPUT,
                              "%s:%u: field 'groups.partitions': '%s' is not 'attr' or 'attr x attr' (at most %d)",
                              cfg->config_path, cfg->partitions_line, spec,
                              MAX_FACTORS);
    column cols[MAX_FACTORS] = {0};
    int rc = 0;
    size_t cells = 1;
    for (int f = 0; f < nf && !rc; f++) {
        rc = find_column(&cols[f], m, cfg, names[f], err);
        if (!rc && cols[f].n_labels > 0 && cells > SIZE_MAX / 4096 / cols[f].n_labels)
            rc = sh_err_set(err, SH_E_INPUT, "%s: partition '%s' has too many groups",
                                cfg->config_path, spec);
        if (!rc)
            cells *= cols[f].n_labels;
    }
    size_t *cell_of = NULL, *group_of_cell = NULL;
    if (!rc) {
        cell_of = malloc(m->n_items * sizeof *cell_of);
        group_of_cell = malloc(cells * sizeof *group_of_cell);
        part->item_group = malloc(m->n_items * sizeof *part->item_group);
        part->name = strdup(spec);
        if (!cell_of || !group_of_cell || !part->item_group || !part->name)
            rc = sh_err_nomem(err);
    }
    if (!rc) {
        for (size_t i = 0; i < m->n_items; i++) {
            size_t cell = 0;
            for (int f = 0; f < nf; f++)
                cell = cell * cols[f].n_labels + cols[f].item_label[i];
            cell_of[i] = cell;
        }
        for (size_t c = 0; c < cells; c++)
            group_of_cell[c] = SIZE_MAX;
        for (size_t i = 0; i < m->n_items; i++)
            group_of_cell[cell_of[i]] = 0;
        size_t n = 0;
        for (size_t c = 0; c < cells; c++)
            if (group_of_cell[c] != SIZE_MAX)
                group_of_cell[c] = n++;
        part->n_groups = n;
        part->group_names = calloc(n ? n : 1, sizeof *part->group_names);
        if (!part->group_names)
            rc = sh_err_nomem(err);
        for (size_t c = 0; c < cells && !rc; c++) {
            if (group_of_cell[c] == SIZE_MAX)
                continue;
            char label[512];
            size_t len = 0, rest = c;
            size_t idx[MAX_FACTORS];
            for (int f = nf - 1; f >= 0; f--) {
                idx[f] = rest % cols[f].n_labels;
                rest /= cols[f].n_labels;
            }
            label[0] = '\0';
            for (int f = 0; f < nf && len < sizeof label; f++)
                len += (size_t)snprintf(label + len, sizeof label - len, "%s%s", f ? "/" : "",
                                        cols[f].labels[idx[f]][0] ? cols[f].labels[idx[f]]
                                                                  : "(missing)");
            if (len >= SH_NAME_MAX) {
                size_t i = 0, cut = 40;
                while (cell_of[i] != c)
                    i++;
                while (cut && (label[cut] & 0xC0) == 0x80)
                    cut--; /* not inside a UTF-8 character */
                label[cut] = '\0';
                rc = sh_err_set(err, SH_E_INPUT, "%s:%zu: field '%s': group '%s...' of "
                                "partition '%s' is %zu bytes; a group's name is at most %d "
                                "(map long values to short labels in groups.derived)", m->path,
                                m->line[i], nf == 1 ? names[0] : spec, label, spec, len,
                                SH_NAME_MAX - 1);
                break;
            }
            part->group_names[group_of_cell[c]] = strdup(label);
            if (!part->group_names[group_of_cell[c]])
                rc = sh_err_nomem(err);
        }
        for (size_t i = 0; i < m->n_items && !rc; i++)
            part->item_group[i] = (int32_t)group_of_cell[cell_of[i]];
    }
    free(cell_of);
    free(group_of_cell);
    for (int f = 0; f < nf; f++)
        column_free(&cols[f]);
    return rc;
}

/* Distinct subjects with an image in each group, and which groups have
 * fewer than min_subjects. */
static int count_subjects(sh_partition *part, const sh_manifest *m, unsigned min_subjects,
                          sh_err *err)
{
    part->n_subjects = calloc(part->n_groups ? part->n_groups : 1, sizeof *part->n_subjects);
    part->too_small = calloc(part->n_groups ? part->n_groups : 1, sizeof *part->too_small);
    sh_pair_map *seen = sh_pair_map_create(m->n_items);
    if (!part->n_subjects || !part->too_small || !seen) {
        sh_pair_map_destroy(seen);
        return sh_err_nomem(err);
    }
    for (size_t i = 0; i < m->n_items; i++) {
        uint32_t g = (uint32_t)part->item_group[i];
        if (sh_pair_map_put(NULL, seen, m->subject[i], g, 0) == 1)
            part->n_subjects[g]++;
    }
    sh_pair_map_destroy(seen);
    for (size_t g = 0; g < part->n_groups; g++)
        part->too_small[g] = part->n_subjects[g] < min_subjects;
    return 0;
}

/* Sets each configured reference group; fails naming the entry when its
 * partition has no such group or the group is too small to estimate. */
static int set_references(sh_groups *g, const sh_groups_spec *spec, sh_err *err)
{
    for (unsigned i = 0; i < spec->references_count; i++) {
        const sh_group_reference *ref = &spec->references[i];
        for (size_t p = 0; p < g->n_partitions; p++) {
            sh_partition *part = &g->partitions[p];
            if (strcmp(part->name, ref->partition))
                continue;
            for (size_t gi = 0; gi < part->n_groups; gi++)
                if (!strcmp(part->group_names[gi], ref->group))
                    part->reference = (int32_t)gi;
            if (part->reference < 0)
                return sh_err_set(err, SH_E_INPUT,
                                      "%s:%u: field 'groups.reference entry %u.group': partition "
                                      "'%s' has no group '%s'",
                                      spec->config_path, ref->line, i + 1, ref->partition,
                                      ref->group);
            if (part->too_small[part->reference])
                return sh_err_set(err, SH_E_INPUT,
                                      "%s:%u: field 'groups.reference entry %u.group': group '%s' "
                                      "has %llu subjects, fewer than groups.min_subjects (%u): "
                                      "too small to be the reference",
                                      spec->config_path, ref->line, i + 1, ref->group,
                                      (unsigned long long)part->n_subjects[part->reference],
                                      spec->min_subjects);
        }
    }
    return 0;
}

int sh_groups_build(sh_groups **out, const sh_manifest *m,
                        const sh_groups_spec *spec, sh_err *err)
{
    *out = NULL;
    sh_groups *g = calloc(1, sizeof *g);
    if (!g)
        return sh_err_nomem(err);
    g->partitions = calloc(spec->partitions_count, sizeof *g->partitions);
    if (!g->partitions) {
        free(g);
        return sh_err_nomem(err);
    }
    int rc = 0;
    /* A derived attribute named like a column would hide the column. */
    for (unsigned k = 0; k < spec->derived_count && !rc; k++) {
        const sh_group_derived *d = &spec->derived[k];
        if (sh_manifest_attr(m, d->name) >= 0)
            rc = sh_err_set(err, SH_E_INPUT,
                                "%s:%u: field 'groups.derived.name': '%s' is also a column of %s; "
                                "give the derived attribute another name",
                                spec->config_path, d->line, d->name, m->path);
    }
    for (unsigned p = 0; p < spec->partitions_count && !rc; p++) {
        g->n_partitions = p + 1;
        rc = sh_partition_build(&g->partitions[p], m, spec, spec->partitions[p],
                                    err);
        if (!rc)
            rc = count_subjects(&g->partitions[p], m, spec->min_subjects, err);
    }
    if (!rc)
        rc = set_references(g, spec, err);
    if (rc) {
        sh_groups_destroy(g);
        return rc;
    }
    *out = g;
    return 0;
}

void sh_partition_free(sh_partition *part)
{
    for (size_t k = 0; k < part->n_groups && part->group_names; k++)
        free(part->group_names[k]);
    free(part->group_names);
    free(part->item_group);
    free(part->n_subjects);
    free(part->too_small);
    free(part->name);
    memset(part, 0, sizeof *part);
}

void sh_groups_destroy(sh_groups *g)
{
    if (!g)
        return;
    for (size_t p = 0; p < g->n_partitions; p++)
        sh_partition_free(&g->partitions[p]);
    free(g->partitions);
    free(g);
}
