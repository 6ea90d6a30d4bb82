/* UTF-8 validity, for readers that must refuse other text with its place
 * (results files and reports declare their strings UTF-8). */
#ifndef SH_CORE_UTF8_H
#define SH_CORE_UTF8_H

#include <stddef.h>
#include <stdio.h>

/* Length (1 to 4) of the valid UTF-8 character at s, of at most avail
 * bytes, or 0 when it is not one: a stray or missing continuation, an
 * overlong form, a surrogate, past U+10FFFF. A NUL ends a character early,
 * so avail may be SIZE_MAX for a NUL-terminated s. */
size_t sh_utf8_char(const char *s, size_t avail);

/* Length of the longest valid UTF-8 prefix of s[0..len): len when all of
 * it is UTF-8, else the offset of the first byte that is not. */
size_t sh_utf8_prefix(const char *s, size_t len);

/* The first control character (C0, DEL, C1) of NUL-terminated s, as its
 * code (a C1's is 0x80 to 0x9F), or -1 when it has none. */
int sh_utf8_control(const char *s);

/* A one-line, printable copy of another program's text (an engine's
 * message) into out (cap bytes, NUL-terminated, cut at a whole character):
 * line breaks and tabs become spaces; other control characters (C0, DEL,
 * C1), bidirectional controls (U+202E...) and bytes that are not UTF-8
 * become "\xNN" byte by byte, so the text can neither drive a terminal,
 * reorder a line, nor break a UTF-8 file. Idempotent. */
void sh_utf8_printable(char *out, size_t cap, const char *in);

/* A printable copy of s as sh_utf8_printable makes it, whole (never cut),
 * malloc'd; NULL when out of memory. */
char *sh_utf8_printable_dup(const char *s);

/* Prints fmt's text to out as sh_utf8_printable shows it, then a line
 * break: for a line that quotes a config's, a card's or an engine's text,
 * which must neither forge a line nor drive a terminal. */
void sh_utf8_print_line(FILE *out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
