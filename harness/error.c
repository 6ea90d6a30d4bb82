#include "error.h"

#include <stdio.h>
#include <string.h>

int shades_err_set(shades_err *err, int code, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
        va_end(ap);
        /* One line, always: a message is what a user greps for. */
        for (char *p = err->msg; *p; p++)
            if (*p == '\n' || *p == '\r')
                *p = ' ';
        err->code = code;
    }
    return code;
}

int shades_err_nomem(shades_err *err)
{
    return shades_err_set(err, SHADES_E_NOMEM, "out of memory");
}
