/* Opening a file to read it whole. */
#ifndef SH_CORE_FILE_READ_H
#define SH_CORE_FILE_READ_H

#include <errno.h>
#include <stdio.h>
#include <sys/stat.h>

/* fopen(path, "rb"), failing with errno EISDIR on a folder, which would
 * open and then fail its first read with no cause a message could give.
 * Inline, so the files the http adapter compiles from core need no other. */
static inline FILE *sh_file_open_read(const char *path)
{
    FILE *f = fopen(path, "rb");
    struct stat st;
    if (f && fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
        fclose(f);
        errno = EISDIR;
        return NULL;
    }
    return f;
}

#endif
