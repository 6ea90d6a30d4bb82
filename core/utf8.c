#include "utf8.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

size_t sh_utf8_char(const char *s, size_t avail)
{
    const unsigned char *p = (const unsigned char *)s;
    if (!avail)
        return 0;
    if (p[0] < 0x80)
        return 1;
    size_t n = p[0] >= 0xF0 ? 4 : p[0] >= 0xE0 ? 3 : p[0] >= 0xC2 ? 2 : 0;
    if (n == 0 || p[0] > 0xF4 || n > avail)
        return 0;
    for (size_t k = 1; k < n; k++)
        if ((p[k] & 0xC0) != 0x80)
            return 0;
    if ((p[0] == 0xE0 && p[1] < 0xA0) || (p[0] == 0xED && p[1] > 0x9F) ||
        (p[0] == 0xF0 && p[1] < 0x90) || (p[0] == 0xF4 && p[1] > 0x8F))
        return 0;
    return n;
}

size_t sh_utf8_prefix(const char *s, size_t len)
{
    size_t i = 0, n;
    while (i < len && (n = sh_utf8_char(s + i, len - i)))
        i += n;
    return i;
}

/* The control character (C0, DEL or C1, U+0080 to U+009F, which is 0xC2
 * 0x80 to 0xC2 0x9F) that starts s, as its code; -1 for any other. */
static int control_at(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    if (p[0] < 0x20 || p[0] == 0x7f)
        return p[0];
    return p[0] == 0xC2 && p[1] >= 0x80 && p[1] < 0xA0 ? p[1] : -1;
}

/* Whether s starts with a bidirectional control (U+061C, U+200E, U+200F,
 * U+202A to U+202E, U+2066 to U+2069): it would reorder what follows it
 * on the screen, so that a name could be read as other text. */
static int bidi_at(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    if (p[0] == 0xD8)
        return p[1] == 0x9C;
    if (p[0] != 0xE2)
        return 0;
    return (p[1] == 0x80 && (p[2] == 0x8E || p[2] == 0x8F || (p[2] >= 0xAA && p[2] <= 0xAE))) ||
           (p[1] == 0x81 && p[2] >= 0xA6 && p[2] <= 0xA9);
}

int sh_utf8_control(const char *s)
{
    for (; *s; s++) {
        int c = control_at(s);
        if (c >= 0)
            return c;
    }
    return -1;
}

void sh_utf8_printable(char *out, size_t cap, const char *in)
{
    if (!cap)
        return;
    size_t n = 0;
    for (const char *p = in; *p;) {
        unsigned char c = (unsigned char)*p;
        size_t len = sh_utf8_char(p, SIZE_MAX);
        char esc[8];
        const char *piece = p;
        size_t piece_len = len;
        if (c == '\n' || c == '\r' || c == '\t') {
            piece = " ";
            piece_len = 1;
            len = 1;
        } else if (!len || control_at(p) >= 0 || bidi_at(p)) {
            /* a C1 or bidirectional control is escaped byte by byte, as a
             * stray byte is */
            snprintf(esc, sizeof esc, "\\x%02x", c);
            piece = esc;
            piece_len = 4;
            len = 1;
        }
        if (n + piece_len >= cap)
            break;
        memcpy(out + n, piece, piece_len);
        n += piece_len;
        p += len;
    }
    out[n] = '\0';
}

char *sh_utf8_printable_dup(const char *s)
{
    /* sh_utf8_printable writes at most four bytes ("\xNN") a byte. */
    size_t cap = 4 * strlen(s) + 1;
    char *out = malloc(cap);
    if (out)
        sh_utf8_printable(out, cap, s);
    return out;
}

void sh_utf8_print_line(FILE *out, const char *fmt, ...)
{
    char *raw = NULL;
    va_list ap;
    va_start(ap, fmt);
    int n = vasprintf(&raw, fmt, ap);
    va_end(ap);
    char *shown = n < 0 ? NULL : sh_utf8_printable_dup(raw);
    fprintf(out, "%s\n", shown ? shown : "(out of memory)");
    free(shown);
    free(raw);
}
