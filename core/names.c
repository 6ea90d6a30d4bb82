#include "names.h"

#include <stdio.h>

char *sh_names_join(char *out, size_t cap, const char *const *names, size_t n)
{
    size_t len = 0;
    if (cap)
        out[0] = '\0';
    for (size_t k = 0; k < n && len < cap; k++) {
        int w = snprintf(out + len, cap - len, "%s%s", k ? ", " : "", names[k]);
        len += w < 0 ? 0 : (size_t)w;
    }
    return out;
}
