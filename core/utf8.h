/* UTF-8 validity, for readers that must refuse other text with its place
 * (results files and reports declare their strings UTF-8). */
#ifndef SH_CORE_UTF8_H
#define SH_CORE_UTF8_H

#include <stddef.h>

/* Length (1 to 4) of the valid UTF-8 character at s, of at most avail
 * bytes, or 0 when it is not one: a stray or missing continuation, an
 * overlong form, a surrogate, past U+10FFFF. A NUL ends a character early,
 * so avail may be SIZE_MAX for a NUL-terminated s. */
size_t sh_utf8_char(const char *s, size_t avail);

/* Length of the longest valid UTF-8 prefix of s[0..len): len when all of
 * it is UTF-8, else the offset of the first byte that is not. */
size_t sh_utf8_prefix(const char *s, size_t len);

#endif
