#include "fast_float.h"

#include <float.h>
#include <stdint.h>
#include <stdlib.h>

#if FLT_EVAL_METHOD != 0
#error "sh_parse_double's fast path needs FLT_EVAL_METHOD 0"
#endif

/* 10^0 .. 10^22: every one exact in a double. */
static const double pow10_exact[23] = {
    1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

/* strtod's answer: the whole text, or nothing. */
static int slow(const char *text, double *out)
{
    char *end;
    double v = strtod(text, &end);
    if (end == text || *end)
        return 0;
    *out = v;
    return 1;
}

int sh_parse_double(const char *text, double *out)
{
    const char *p = text;
    int neg = 0;
    if (*p == '-' || *p == '+')
        neg = *p++ == '-';
    uint64_t w = 0;
    int digits = 0, any = 0, scale = 0;
    while (*p == '0') {
        p++;
        any = 1;
    }
    for (; *p >= '0' && *p <= '9'; p++, any = 1) {
        if (++digits > 19)
            return slow(text, out);
        w = w * 10 + (uint64_t)(*p - '0');
    }
    if (*p == '.') {
        p++;
        if (!digits)
            for (; *p == '0'; p++, any = 1)
                scale--;
        for (; *p >= '0' && *p <= '9'; p++, any = 1) {
            if (++digits > 19)
                return slow(text, out);
            w = w * 10 + (uint64_t)(*p - '0');
            scale--;
        }
    }
    if (!any)
        return slow(text, out);   /* "inf", "nan", hex, or not a number */
    if (*p == 'e' || *p == 'E') {
        const char *q = p + 1;
        int eneg = 0, e = 0, edigits = 0;
        if (*q == '-' || *q == '+')
            eneg = *q++ == '-';
        for (; *q >= '0' && *q <= '9'; q++)
            if (++edigits > 4)
                return slow(text, out);
            else
                e = e * 10 + (*q - '0');
        if (!edigits)
            return slow(text, out);
        scale += eneg ? -e : e;
        p = q;
    }
    if (*p)
        return slow(text, out);
    if (w > (UINT64_C(1) << 53) || scale < -22 || scale > 22)
        return w ? slow(text, out) : (*out = neg ? -0.0 : 0.0, 1);
    double v = (double)w;
    v = scale < 0 ? v / pow10_exact[-scale] : v * pow10_exact[scale];
    *out = neg ? -v : v;
    return 1;
}
