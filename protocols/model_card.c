#include "model_card.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "card.h"
#include "paths.h"
#include "sha256.h"
#include "yaml_file.h"

/* The command that installs a model set (docs/models.md). */
#define FETCH "scripts/fetch_models.py"

/* Strings may load empty so that check_fields names an empty one in
 * words, not in libcyaml's. */
#define STR(key, type, member) \
    CYAML_FIELD_STRING_PTR(key, CYAML_FLAG_POINTER, type, member, 0, CYAML_UNLIMITED)

static const cyaml_schema_value_t string_entry = {
    CYAML_VALUE_STRING(CYAML_FLAG_POINTER, char, 0, CYAML_UNLIMITED),
};

static const cyaml_schema_field_t entry_fields[] = {
    STR("path", sh_model_card_entry, path),
    STR("from", sh_model_card_entry, from),
    STR("sha256", sh_model_card_entry, sha256),
    STR("purpose", sh_model_card_entry, purpose),
    CYAML_FIELD_END,
};

static const cyaml_schema_value_t entry_schema = {
    CYAML_VALUE_MAPPING(CYAML_FLAG_DEFAULT, sh_model_card_entry, entry_fields),
};

static const cyaml_schema_field_t card_fields[] = {
    STR("name", sh_model_card, name),
    STR("version", sh_model_card, version),
    STR("package", sh_model_card, package),
    STR("source", sh_model_card, source),
    STR("source_sha256", sh_model_card, source_sha256),
    STR("licence", sh_model_card, licence),
    STR("training_data", sh_model_card, training_data),
    CYAML_FIELD_SEQUENCE("training_datasets", CYAML_FLAG_POINTER, sh_model_card,
                         training_datasets, &string_entry, 0, CYAML_UNLIMITED),
    CYAML_FIELD_SEQUENCE("files", CYAML_FLAG_POINTER, sh_model_card, files, &entry_schema, 0,
                         CYAML_UNLIMITED),
    CYAML_FIELD_END,
};

static const cyaml_schema_value_t card_schema = {
    CYAML_VALUE_MAPPING(CYAML_FLAG_POINTER, sh_model_card, card_fields),
};

/* The line of the nth (from 0) `key:` that starts a line of text after
 * indentation or a sequence's "- ", or 0. */
static unsigned key_line(const char *text, const char *key, unsigned nth)
{
    size_t klen = strlen(key);
    unsigned line = 1;
    for (const char *p = text; *p; p++) {
        if (p == text || p[-1] == '\n') {
            const char *k = p + strspn(p, " -");
            if (!strncmp(k, key, klen) && k[klen] == ':' && nth-- == 0)
                return line;
        }
        line += *p == '\n';
    }
    return 0;
}

/* Whether s is 64 hex digits. */
static int is_sha256(const char *s)
{
    size_t n = strspn(s, "0123456789abcdefABCDEF");
    return n == 64 && !s[n];
}

/* Whether s holds nothing but blanks. */
static int is_blank(const char *s)
{
    return s[strspn(s, " \t\r\n")] == '\0';
}

/* Refuses the first field that is empty, naming its line. */
static int check_filled(const sh_model_card *c, const char *path, sh_err *err)
{
    const char *const scalars[][2] = {
        {"name", c->name},       {"version", c->version},
        {"package", c->package}, {"source", c->source},
        {"source_sha256", c->source_sha256}, {"licence", c->licence},
        {"training_data", c->training_data},
    };
    for (size_t k = 0; k < sizeof scalars / sizeof *scalars; k++)
        if (is_blank(scalars[k][1]))
            return sh_err_set(err, SH_E_INPUT, "%s:%u: field '%s': empty", path,
                              key_line(c->text, scalars[k][0], 0), scalars[k][0]);
    for (unsigned i = 0; i < c->training_datasets_count; i++)
        if (is_blank(c->training_datasets[i]))
            return sh_err_set(err, SH_E_INPUT, "%s:%u: field 'training_datasets': entry %u is "
                              "empty", path, key_line(c->text, "training_datasets", 0), i + 1);
    if (!c->files_count)
        return sh_err_set(err, SH_E_INPUT,
                          "%s:%u: field 'files': lists no file; a model card pins at least one",
                          path, key_line(c->text, "files", 0));
    for (unsigned i = 0; i < c->files_count; i++) {
        const sh_model_card_entry *e = &c->files[i];
        const char *const fields[][2] = {
            {"path", e->path}, {"from", e->from}, {"sha256", e->sha256}, {"purpose", e->purpose},
        };
        for (size_t k = 0; k < sizeof fields / sizeof *fields; k++)
            if (is_blank(fields[k][1]))
                return sh_err_set(err, SH_E_INPUT, "%s:%u: field 'files entry %u.%s': empty",
                                  path, key_line(c->text, fields[k][0], i), i + 1,
                                  fields[k][0]);
    }
    return 0;
}

/* Refuses the first sha256, file path or purpose that is malformed,
 * naming its line and field. */
static int check_fields(const sh_model_card *c, const char *path, sh_err *err)
{
    int rc = check_filled(c, path, err);
    if (rc)
        return rc;
    if (!is_sha256(c->source_sha256))
        return sh_err_set(err, SH_E_INPUT,
                          "%s:%u: field 'source_sha256': '%s' is not 64 hex digits", path,
                          key_line(c->text, "source_sha256", 0), c->source_sha256);
    for (unsigned i = 0; i < c->files_count; i++) {
        const sh_model_card_entry *e = &c->files[i];
        const char *p = e->path;
        if (!is_sha256(e->sha256))
            return sh_err_set(err, SH_E_INPUT,
                              "%s:%u: field 'files entry %u.sha256': '%s' is not 64 hex "
                              "digits",
                              path, key_line(c->text, "sha256", i), i + 1, e->sha256);
        if (p[0] == '/' || !strcmp(p, "..") || !strncmp(p, "../", 3) || strstr(p, "/../") ||
            (strlen(p) >= 3 && !strcmp(p + strlen(p) - 3, "/..")))
            return sh_err_set(err, SH_E_INPUT,
                              "%s:%u: field 'files entry %u.path': '%s' leaves the card's "
                              "folder",
                              path, key_line(c->text, "path", i), i + 1, p);
        int long_path = strlen(p) >= SH_MODEL_CARD_PATH_MAX;
        if (long_path || strlen(e->purpose) >= SH_MODEL_CARD_PURPOSE_MAX) {
            const char *key = long_path ? "path" : "purpose";
            return sh_err_set(err, SH_E_INPUT,
                              "%s:%u: field 'files entry %u.%s': longer than %d characters",
                              path, key_line(c->text, key, i), i + 1, key,
                              (long_path ? SH_MODEL_CARD_PATH_MAX : SH_MODEL_CARD_PURPOSE_MAX) - 1);
        }
    }
    return 0;
}

int sh_model_card_load(sh_model_card **out, const char *path, sh_err *err)
{
    *out = NULL;
    sh_model_card *c = NULL;
    char *text = NULL;
    int rc = sh_yaml_load((void **)&c, &text, path, "model card", &card_schema, err);
    if (rc)
        return rc;
    c->text = text;
    c->path = strdup(path);
    char dir[PATH_MAX];
    if (!c->path)
        rc = sh_err_nomem(err);
    if (!rc)
        rc = sh_path_dirname(dir, sizeof dir, path, err);
    if (!rc && !(c->dir = strdup(dir)))
        rc = sh_err_nomem(err);
    if (!rc)
        rc = sh_sha256_file(c->sha256, path, err);
    if (!rc)
        rc = check_fields(c, path, err);
    if (rc) {
        sh_model_card_destroy(c);
        return rc;
    }
    *out = c;
    return 0;
}

void sh_model_card_destroy(sh_model_card *card)
{
    if (!card)
        return;
    free(card->text);
    free(card->path);
    free(card->dir);
    card->text = card->path = card->dir = NULL;
    sh_yaml_free(&card_schema, card);
}

int sh_model_card_verify(const sh_model_card *card, sh_err *err)
{
    for (unsigned i = 0; i < card->files_count; i++) {
        const sh_model_card_entry *e = &card->files[i];
        char file[PATH_MAX], sha[SH_SHA256_HEX];
        int rc = sh_path_join(file, sizeof file, card->dir, e->path, err);
        if (rc)
            return rc;
        struct stat st;
        if (stat(file, &st) != 0 || !S_ISREG(st.st_mode))
            return sh_err_set(err, SH_E_INPUT, "%s: missing (fetch it with " FETCH ")", file);
        rc = sh_sha256_file(sha, file, err);
        if (rc)
            return rc;
        if (strcasecmp(sha, e->sha256))
            return sh_err_set(err, SH_E_INPUT,
                              "%s: SHA-256 differs from the model card %s (fetch it again "
                              "with " FETCH ")",
                              file, card->path);
    }
    return 0;
}

int sh_model_card_pins(const sh_model_card *card, const char *sha256)
{
    for (unsigned i = 0; i < card->files_count; i++)
        if (!strcasecmp(card->files[i].sha256, sha256))
            return 1;
    return 0;
}

int sh_model_card_withdrawn(char *out, size_t cap, const sh_model_card *card)
{
    return sh_card_withdrawn_names(out, cap, card->training_datasets,
                                   card->training_datasets_count);
}
