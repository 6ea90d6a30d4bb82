#include "utf8.h"

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
