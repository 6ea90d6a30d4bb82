/* Numbers in a loaded YAML text that libcyaml read only in part: its float
 * fields take the longest number at a value's start and drop the rest, so
 * "0.01abc" would be read as 0.01 without a word. */
#ifndef SH_CORE_YAML_NUMBERS_H
#define SH_CORE_YAML_NUMBERS_H

#include <cyaml/cyaml.h>

#include "error.h"

/* Walks text (which loaded against schema) along the schema and refuses the
 * first float field whose value is not wholly a number: "path:line: field
 * 'a.b entry 1': '0.01abc' is not a number". Returns 0 or SH_E_INPUT. */
int sh_yaml_check_numbers(const char *text, const char *path,
                          const cyaml_schema_value_t *schema, sh_err *err);

#endif
