#include "error.h"

#include <stdio.h>
#include <string.h>

int sh_err_set(sh_err *err, int code, const char *fmt, ...)
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

int sh_err_nomem(sh_err *err)
{
    return sh_err_set(err, SH_E_NOMEM, "out of memory");
}
