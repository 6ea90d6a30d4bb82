#include "card.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "paths.h"
#include "sha256.h"
#include "yaml_file.h"

static const cyaml_schema_value_t string_entry = {
    CYAML_VALUE_STRING(CYAML_FLAG_POINTER, char, 1, CYAML_UNLIMITED),
};

#define REQ_STR SH_YAML_STR

static const cyaml_schema_field_t collection_fields[] = {
    REQ_STR("method", sh_card_collection, method),
    REQ_STR("dates", sh_card_collection, dates),
    CYAML_FIELD_END,
};

static const cyaml_schema_field_t card_fields[] = {
    REQ_STR("name", sh_card, name),
    REQ_STR("version", sh_card, version),
    REQ_STR("licence", sh_card, licence),
    REQ_STR("consent", sh_card, consent),
    CYAML_FIELD_MAPPING("collection", CYAML_FLAG_DEFAULT, sh_card, collection,
                        collection_fields),
    CYAML_FIELD_SEQUENCE("permitted_uses", CYAML_FLAG_POINTER, sh_card, permitted_uses,
                         &string_entry, 1, CYAML_UNLIMITED),
    REQ_STR("contact", sh_card, contact),
    REQ_STR("manifest_sha256", sh_card, manifest_sha256),
    CYAML_FIELD_SEQUENCE("sources", CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, sh_card,
                         sources, &string_entry, 0, CYAML_UNLIMITED),
    SH_YAML_OPT_STR("root", sh_card, root),
    CYAML_FIELD_END,
};

static const cyaml_schema_value_t card_schema = {
    CYAML_VALUE_MAPPING(CYAML_FLAG_POINTER, sh_card, card_fields),
};

/* The line of `key:` at the start of a line of text (after any
 * indentation), or 0. */
static unsigned key_line(const char *text, const char *key)
{
    size_t klen = strlen(key);
    unsigned line = 1;
    for (const char *p = text; *p; p++) {
        if (p == text || p[-1] == '\n') {
            const char *k = p + strspn(p, " ");
            if (!strncmp(k, key, klen) && k[klen] == ':')
                return line;
        }
        line += *p == '\n';
    }
    return 0;
}

/* Whether a value is still an imported skeleton's placeholder. */
static int is_todo(const char *v)
{
    return v && !strncmp(v, "TODO", 4);
}

/* Refuses the first field that still reads TODO, naming it. */
static int check_filled(const sh_card *c, const char *path, sh_err *err)
{
    const char *field = NULL, *key = NULL;
    const char *const scalars[][2] = {
        {"name", c->name},       {"version", c->version},
        {"licence", c->licence}, {"consent", c->consent},
        {"collection.method", c->collection.method},
        {"collection.dates", c->collection.dates},
    };
    for (size_t k = 0; !field && k < sizeof scalars / sizeof *scalars; k++)
        if (is_todo(scalars[k][1]))
            field = scalars[k][0];
    for (unsigned k = 0; !field && k < c->permitted_uses_count; k++)
        if (is_todo(c->permitted_uses[k]))
            field = "permitted_uses";
    if (!field && is_todo(c->contact))
        field = "contact";
    for (unsigned k = 0; !field && k < c->sources_count; k++)
        if (is_todo(c->sources[k]))
            field = "sources";
    if (!field && is_todo(c->root))
        field = "root";
    if (!field)
        return 0;
    key = strchr(field, '.') ? strchr(field, '.') + 1 : field;
    return sh_err_set(err, SH_E_INPUT,
                          "%s:%u: field '%s': still TODO; fill it in before a run "
                          "(docs/datasets.md)", path, key_line(c->text, key), field);
}

/* Resolves the card's root against the card's own folder. */
static int resolve_root(sh_card *c, const char *path, sh_err *err)
{
    if (!c->root)
        return 0;
    char dir[PATH_MAX], root[PATH_MAX];
    int rc = sh_path_dirname(dir, sizeof dir, path, err);
    if (!rc)
        rc = sh_path_join(root, sizeof root, dir, c->root, err);
    if (rc)
        return rc;
    char *copy = strdup(root);
    if (!copy)
        return sh_err_nomem(err);
    free(c->root);
    c->root = copy;
    return 0;
}

int sh_card_load(sh_card **out, const char *path, sh_err *err)
{
    *out = NULL;
    sh_card *c = NULL;
    char *text = NULL;
    int rc = sh_yaml_load((void **)&c, &text, path, "dataset card", &card_schema, err);
    if (rc)
        return rc;
    c->text = text;
    c->path = strdup(path);
    if (!c->path)
        rc = sh_err_nomem(err);
    size_t n = 0;
    while (!rc && isxdigit((unsigned char)c->manifest_sha256[n]))
        n++;
    if (!rc && (n != 64 || c->manifest_sha256[n]))
        rc = sh_err_set(err, SH_E_INPUT,
                            "%s:%u: field 'manifest_sha256': '%s' is not 64 hex digits "
                            "(sha256sum of the manifest)",
                            path, key_line(text, "manifest_sha256"), c->manifest_sha256);
    if (!rc)
        rc = check_filled(c, path, err);
    if (!rc)
        rc = resolve_root(c, path, err);
    if (rc) {
        sh_card_destroy(c);
        return rc;
    }
    *out = c;
    return 0;
}

void sh_card_destroy(sh_card *card)
{
    if (!card)
        return;
    free(card->text);
    free(card->path);
    card->text = card->path = NULL;
    sh_yaml_free(&card_schema, card);
}

int sh_card_check(const sh_card *card, const char *manifest_path,
                      const char *manifest_sha256, sh_err *err)
{
    if (!strcasecmp(card->manifest_sha256, manifest_sha256))
        return 0;
    return sh_err_set(err, SH_E_INPUT,
                          "%s:%u: field 'manifest_sha256': the card describes another manifest: "
                          "%s has sha256 %s",
                          card->path, key_line(card->text, "manifest_sha256"), manifest_path,
                          manifest_sha256);
}

/* ---- the withdrawn datasets ---- */

typedef struct withdrawn {
    const char *name, *aliases;
    int year;
    const char *reason;
} withdrawn;

static const withdrawn withdrawn_list[] = {
#define SH_WITHDRAWN(name, aliases, year, reason) {name, aliases, year, reason},
#include "withdrawn.def"
#undef SH_WITHDRAWN
};

typedef struct derived {
    const char *name, *aliases, *source;
} derived;

static const derived derived_list[] = {
#define SH_DERIVED(name, aliases, source) {name, aliases, source},
#include "withdrawn_derived.def"
#undef SH_DERIVED
};

/* Letters and digits of s, lower case, into out. */
static void fold(char *out, size_t cap, const char *s, size_t len)
{
    size_t n = 0;
    for (size_t i = 0; i < len && n + 1 < cap; i++)
        if (isalnum((unsigned char)s[i]))
            out[n++] = (char)tolower((unsigned char)s[i]);
    out[n] = '\0';
}

/* True when name matches `canonical` or one of the '|'-separated aliases. */
static int names_match(const char *name, const char *canonical, const char *aliases)
{
    char want[128], have[128];
    fold(want, sizeof want, name, strlen(name));
    if (!want[0])
        return 0;
    fold(have, sizeof have, canonical, strlen(canonical));
    if (!strcmp(want, have))
        return 1;
    for (const char *p = aliases; *p;) {
        size_t len = strcspn(p, "|");
        fold(have, sizeof have, p, len);
        if (!strcmp(want, have))
            return 1;
        p += len + (p[len] == '|');
    }
    return 0;
}

static const withdrawn *find_withdrawn(const char *name)
{
    for (size_t i = 0; i < sizeof withdrawn_list / sizeof *withdrawn_list; i++)
        if (names_match(name, withdrawn_list[i].name, withdrawn_list[i].aliases))
            return &withdrawn_list[i];
    return NULL;
}

/* The withdrawn dataset `name` stands for, directly or as a dataset drawn
 * from one, as a sentence in out; 0 when it is none. */
static int withdrawn_lookup(char *out, size_t cap, const withdrawn **out_w, const char *name)
{
    const char *via = NULL;
    const withdrawn *w = find_withdrawn(name);
    for (size_t i = 0; !w && i < sizeof derived_list / sizeof *derived_list; i++)
        if (names_match(name, derived_list[i].name, derived_list[i].aliases)) {
            via = derived_list[i].name;
            w = find_withdrawn(derived_list[i].source);
        }
    if (!w)
        return 0;
    *out_w = w;
    char year[32] = "";
    if (w->year)
        snprintf(year, sizeof year, " (%d)", w->year);
    if (via)
        snprintf(out, cap, "%s draws its images from %s, withdrawn%s: %s.", via, w->name, year,
                 w->reason);
    else
        snprintf(out, cap, "%s was withdrawn%s: %s.", w->name, year, w->reason);
    return 1;
}

/* One sentence per withdrawn dataset that `first` (NULL: none) or one of
 * rest[0..n) names, each once, into out; returns how many. */
static int withdrawn_scan(char *out, size_t cap, const char *first, char *const *rest,
                          size_t n)
{
    out[0] = '\0';
    int found = 0;
    size_t len = 0;
    char one[512];
    const withdrawn *seen[sizeof withdrawn_list / sizeof *withdrawn_list];
    for (size_t i = 0; i <= n; i++) {
        const char *name = i == 0 ? first : rest[i - 1];
        const withdrawn *w = NULL;
        if (!name || !withdrawn_lookup(one, sizeof one, &w, name))
            continue;
        int again = 0;
        for (int k = 0; k < found; k++)
            again |= seen[k] == w;
        if (again)
            continue; /* named twice, or as itself and its source */
        seen[found++] = w;
        if (len < cap)
            len += (size_t)snprintf(out + len, cap - len, "%s%s", len ? " " : "", one);
    }
    return found;
}

int sh_card_withdrawn(char *out, size_t cap, const sh_card *card)
{
    return withdrawn_scan(out, cap, card->name, card->sources, card->sources_count);
}

int sh_card_withdrawn_names(char *out, size_t cap, char *const *names, size_t n)
{
    return withdrawn_scan(out, cap, NULL, names, n);
}

int sh_card_write_generated(const char *dir, const char *manifest, const char *name,
                                const char *version, const char *method, sh_err *err)
{
    char sha[SH_SHA256_HEX], path[PATH_MAX];
    int rc = sh_sha256_file(sha, manifest, err);
    if (!rc)
        rc = sh_path_join(path, sizeof path, dir, "card.yaml", err);
    if (rc)
        return rc;
    FILE *f = fopen(path, "w");
    if (!f)
        return sh_err_set(err, SH_E_IO, "%s: %s", path, strerror(errno));
    fprintf(f,
            "# Dataset card of a cohort generated by shades (docs/datasets.md).\n"
            "name: %s\n"
            "version: \"%s\"\n"
            "licence: generated data, no rights reserved\n"
            "consent: not applicable - no real person is pictured; every image is drawn from "
            "random identity parameters\n"
            "collection:\n"
            "  method: %s\n"
            "  dates: at run time\n"
            "permitted_uses:\n"
            "  - testing and demonstrating the harness\n"
            "  - no claim about any engine's behaviour on real people\n"
            "contact: the shades project\n"
            "manifest_sha256: %s\n",
            name, version, method, sha);
    if (fclose(f) != 0)
        return sh_err_set(err, SH_E_IO, "%s: write error", path);
    return 0;
}

/* 1 when text contains word, in any case (ASCII). */
static int contains_nocase(const char *text, const char *word)
{
    size_t n = strlen(word);
    for (const char *p = text; *p; p++) {
        size_t k = 0;
        while (k < n && p[k] && tolower((unsigned char)p[k]) == word[k])
            k++;
        if (k == n)
            return 1;
    }
    return 0;
}

int sh_card_permits_third_party(const sh_card *card, const char *service, sh_err *err)
{
    int permits = 0, forbids = 0;
    for (unsigned k = 0; k < card->permitted_uses_count; k++) {
        permits |= contains_nocase(card->permitted_uses[k], "third-party processing");
        forbids |= contains_nocase(card->permitted_uses[k], "no third-party processing");
    }
    if (permits && !forbids)
        return 0;
    return sh_err_set(err, SH_E_INPUT,
                      "%s:%u: field 'permitted_uses': %s third-party processing, which "
                      "engine.service (%s) needs: it sends the images to a third party's "
                      "service (docs/datasets.md)",
                      card->path, key_line(card->text, "permitted_uses"),
                      forbids ? "rules out" : "does not permit", service);
}
