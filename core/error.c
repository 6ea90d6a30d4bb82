#include "error.h"

#include <stdio.h>
#include <string.h>

#include "utf8.h"

int sh_err_set(sh_err *err, int code, const char *fmt, ...)
{
    if (err) {
        char raw[sizeof err->msg];
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(raw, sizeof raw, fmt, ap);
        va_end(ap);
        /* One printable line, always: a message is what a user greps for,
         * and the text it quotes (a file's, a config's, an engine's) must
         * not drive the terminal it is printed on. */
        sh_utf8_printable(err->msg, sizeof err->msg, raw);
        err->code = code;
    }
    return code;
}

int sh_err_nomem(sh_err *err)
{
    return sh_err_set(err, SH_E_NOMEM, "out of memory");
}
