#include "yaml_numbers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

/* Deep enough for every schema the harness loads; deeper nesting is not
 * checked (libcyaml has refused what does not fit the schema already). */
#define DEPTH 32

/* One open mapping or sequence and its place in the schema. */
typedef struct level {
    const cyaml_schema_value_t *schema; /* NULL: off the schema */
    int is_map;
    int want_key;                       /* a mapping's next scalar is a key */
    const cyaml_schema_value_t *value;  /* a mapping's schema after its key */
    unsigned entries;                   /* a sequence's entries so far */
    size_t path_len;                    /* the field's path before this level's part */
} level;

/* An anchor ("&name"): the scalars of the node it names, as a range of
 * walk.vals, so that an alias ("*name") where a number belongs is checked
 * as what it stands for. */
typedef struct anchor {
    char *name;
    size_t first, n;
} anchor;

typedef struct walk {
    level at[DEPTH];
    int depth;
    const cyaml_schema_value_t *top;
    char path[256];
    char **vals;               /* every scalar so far, in document order */
    size_t n_vals, cap_vals;
    anchor *anchors;
    size_t n_anchors, cap_anchors;
    long open[DEPTH];          /* per open collection: its anchor, or -1 */
    int nest;                  /* collections open, however deep */
    int nomem;
} walk;

/* Keeps a copy of scalar v. */
static void keep_value(walk *w, const char *v)
{
    if (w->n_vals == w->cap_vals) {
        size_t cap = w->cap_vals ? 2 * w->cap_vals : 64;
        char **grown = realloc(w->vals, cap * sizeof *grown);
        if (!grown) {
            w->nomem = 1;
            return;
        }
        w->vals = grown;
        w->cap_vals = cap;
    }
    if (!(w->vals[w->n_vals] = strdup(v)))
        w->nomem = 1;
    else
        w->n_vals++;
}

/* Starts anchor `name` at the next value; its index, or -1. */
static long add_anchor(walk *w, const char *name)
{
    if (!name)
        return -1;
    if (w->n_anchors == w->cap_anchors) {
        size_t cap = w->cap_anchors ? 2 * w->cap_anchors : 8;
        anchor *grown = realloc(w->anchors, cap * sizeof *grown);
        if (!grown) {
            w->nomem = 1;
            return -1;
        }
        w->anchors = grown;
        w->cap_anchors = cap;
    }
    char *copy = strdup(name);
    if (!copy) {
        w->nomem = 1;
        return -1;
    }
    w->anchors[w->n_anchors] = (anchor){copy, w->n_vals, 0};
    return (long)w->n_anchors++;
}

/* The latest anchor of that name (YAML lets a name be anchored again). */
static const anchor *find_anchor(const walk *w, const char *name)
{
    for (size_t k = w->n_anchors; k-- > 0;)
        if (!strcmp(w->anchors[k].name, name))
            return &w->anchors[k];
    return NULL;
}

static void walk_free(walk *w)
{
    for (size_t k = 0; k < w->n_vals; k++)
        free(w->vals[k]);
    for (size_t k = 0; k < w->n_anchors; k++)
        free(w->anchors[k].name);
    free(w->vals);
    free(w->anchors);
}

static const cyaml_schema_field_t *field_named(const cyaml_schema_value_t *map, const char *key)
{
    if (!map || map->type != CYAML_MAPPING)
        return NULL;
    for (const cyaml_schema_field_t *f = map->mapping.fields; f && f->key; f++)
        if (!strcmp(f->key, key))
            return f;
    return NULL;
}

/* Appends ".key" (or "key" first) or " entry N" to the field's path. */
static void append(walk *w, const char *key, unsigned entry)
{
    size_t len = strlen(w->path);
    if (key)
        snprintf(w->path + len, sizeof w->path - len, "%s%s", len ? "." : "", key);
    else
        snprintf(w->path + len, sizeof w->path - len, " entry %u", entry);
}

/* The schema of the value starting now, its path appended; NULL off it. */
static const cyaml_schema_value_t *begin_value(walk *w)
{
    if (w->depth == 0)
        return w->top;
    level *l = &w->at[w->depth - 1];
    if (l->is_map)
        return l->schema ? l->value : NULL;
    l->entries++;
    append(w, NULL, l->entries);
    if (!l->schema || (l->schema->type != CYAML_SEQUENCE &&
                       l->schema->type != CYAML_SEQUENCE_FIXED))
        return NULL;
    return l->schema->sequence.entry;
}

/* After a value: the path back to its container's, a mapping's next
 * scalar its key. */
static void end_value(walk *w)
{
    if (w->depth == 0)
        return;
    level *l = &w->at[w->depth - 1];
    w->path[l->path_len] = '\0';
    if (l->is_map)
        l->want_key = 1;
}

/* Whether text is all number to strtod, as libcyaml reads a float: it
 * takes the longest number at the start and ignores the rest. */
static int whole_number(const char *text)
{
    char *end = NULL;
    (void)strtod(text, &end);
    return end != text && *end == '\0';
}

static int open_level(walk *w, int is_map, const cyaml_schema_value_t *s)
{
    if (w->depth == DEPTH)
        return 0;
    w->at[w->depth++] = (level){
        .schema = s, .is_map = is_map, .want_key = 1, .path_len = strlen(w->path)};
    return 1;
}

int sh_yaml_check_numbers(const char *text, const char *path,
                          const cyaml_schema_value_t *schema, sh_err *err)
{
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser))
        return sh_err_nomem(err);
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, strlen(text));
    walk w = {.top = schema};
    int rc = 0, done = 0, deep = 0;
    while (!rc && !done) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&parser, &ev))
            break; /* libcyaml has loaded the text: not expected */
        const cyaml_schema_value_t *s;
        level *l = w.depth ? &w.at[w.depth - 1] : NULL;
        switch (ev.type) {
        case YAML_MAPPING_START_EVENT:
        case YAML_SEQUENCE_START_EVENT:
            if (w.nest < DEPTH)
                w.open[w.nest] = add_anchor(&w, (const char *)(ev.type == YAML_MAPPING_START_EVENT
                                                                   ? ev.data.mapping_start.anchor
                                                                   : ev.data.sequence_start.anchor));
            w.nest++;
            if (deep) {
                deep++;
                break;
            }
            s = begin_value(&w);
            if (!open_level(&w, ev.type == YAML_MAPPING_START_EVENT, s))
                deep = 1;
            break;
        case YAML_MAPPING_END_EVENT:
        case YAML_SEQUENCE_END_EVENT:
            w.nest--;
            if (w.nest >= 0 && w.nest < DEPTH && w.open[w.nest] >= 0) {
                anchor *a = &w.anchors[w.open[w.nest]];
                a->n = w.n_vals - a->first;
            }
            if (deep) {
                deep--;
                break;
            }
            w.depth--;
            end_value(&w);
            break;
        case YAML_SCALAR_EVENT: {
            const char *v = (const char *)ev.data.scalar.value;
            long a = add_anchor(&w, (const char *)ev.data.scalar.anchor);
            keep_value(&w, v);
            if (a >= 0)
                w.anchors[a].n = 1;
            if (deep)
                break;
            if (l && l->is_map && l->want_key) {
                const cyaml_schema_field_t *f = field_named(l->schema, v);
                l->value = f ? &f->value : NULL;
                l->want_key = 0;
                append(&w, v, 0);
                break;
            }
            s = begin_value(&w);
            if (s && s->type == CYAML_FLOAT && !whole_number(v))
                rc = sh_err_set(err, SH_E_INPUT, "%s:%zu: field '%s': '%s' is not a number",
                                path, ev.start_mark.line + 1, w.path, v);
            end_value(&w);
            break;
        }
        case YAML_ALIAS_EVENT: {
            if (deep)
                break;
            /* What the alias stands for, where a number or a list of them
             * belongs: each of its scalars. */
            const anchor *a = find_anchor(&w, (const char *)ev.data.alias.anchor);
            s = begin_value(&w);
            int numbers = s && (s->type == CYAML_FLOAT ||
                                ((s->type == CYAML_SEQUENCE || s->type == CYAML_SEQUENCE_FIXED) &&
                                 s->sequence.entry && s->sequence.entry->type == CYAML_FLOAT));
            for (size_t k = 0; a && numbers && !rc && k < a->n; k++)
                if (!whole_number(w.vals[a->first + k]))
                    rc = sh_err_set(err, SH_E_INPUT, "%s:%zu: field '%s': '%s' (*%s) is not a "
                                    "number", path, ev.start_mark.line + 1, w.path,
                                    w.vals[a->first + k], a->name);
            end_value(&w);
            break;
        }
        case YAML_STREAM_END_EVENT:
            done = 1;
            break;
        default:
            break;
        }
        yaml_event_delete(&ev);
        if (!rc && w.nomem)
            rc = sh_err_nomem(err);
    }
    yaml_parser_delete(&parser);
    walk_free(&w);
    return rc;
}
