/* Loads a YAML file into a struct with libcyaml, turning libcyaml's log
 * into one message that names the file, line and field. */
#ifndef SH_CORE_YAML_FILE_H
#define SH_CORE_YAML_FILE_H

#include <cyaml/cyaml.h>
#include <stddef.h>

#include "error.h"

/* Schema fields for a required or optional string member of a struct. */
#define SH_YAML_STR(key, type, member) \
    CYAML_FIELD_STRING_PTR(key, CYAML_FLAG_POINTER, type, member, 1, CYAML_UNLIMITED)
#define SH_YAML_OPT_STR(key, type, member)                                         \
    CYAML_FIELD_STRING_PTR(key, CYAML_FLAG_POINTER | CYAML_FLAG_OPTIONAL, type, member, 1, \
                           CYAML_UNLIMITED)

/* A true-or-false field in a bool member. libcyaml's own BOOL reads every
 * word but four as true, so a typo ("flase") would switch a safety check
 * off; this takes only YAML's words for the two values, any case. */
#define SH_YAML_BOOL_WORDS 6
extern const cyaml_strval_t sh_yaml_bool_words[SH_YAML_BOOL_WORDS];
#define SH_YAML_BOOL(key, type, member)                                                   \
    CYAML_FIELD_ENUM(key, CYAML_FLAG_OPTIONAL | CYAML_FLAG_STRICT | CYAML_FLAG_CASE_INSENSITIVE, \
                     type, member, sh_yaml_bool_words, SH_YAML_BOOL_WORDS)

/* Reads path and loads it against schema (a pointer mapping) into *out;
 * *out_text receives the file's full text. Both are the caller's: free the
 * data with sh_yaml_free and the text with free(). On failure both are
 * NULL and err reads "path:line: field 'a.b': why". `what` names the file
 * in an open error ("config", "dataset card"). */
int sh_yaml_load(void **out, char **out_text, const char *path, const char *what,
                     const cyaml_schema_value_t *schema, sh_err *err);

/* The line (from 1) of the first `key:` (key's first n bytes) at or after
 * line `from` where the key starts a line, after indentation or "- ", or
 * follows "{" or "," in a flow mapping; 0 when none. For messages about a
 * loaded file's fields that libcyaml did not locate. */
unsigned sh_yaml_key_line(const char *text, const char *key, size_t n, unsigned from);

/* Frees data loaded by sh_yaml_load against schema; NULL is allowed. */
void sh_yaml_free(const cyaml_schema_value_t *schema, void *data);

#endif
