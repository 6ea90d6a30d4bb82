/* Fuzz targets hand their input to the parsers as a file: a memfd, named
 * by its /proc/self/fd path, rewritten for each input. */
#ifndef SH_FUZZ_FILE_H
#define SH_FUZZ_FILE_H

#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

typedef struct fuzz_file {
    int fd;
    char path[64];
} fuzz_file;

/* The file, created on first use. */
static inline fuzz_file *fuzz_file_get(void)
{
    static fuzz_file f = {-1, ""};
    if (f.fd < 0) {
        f.fd = memfd_create("shades-fuzz", 0);
        if (f.fd < 0)
            abort();
        snprintf(f.path, sizeof f.path, "/proc/self/fd/%d", f.fd);
    }
    return &f;
}

/* Replaces the file's contents with data; returns its path. */
static inline const char *fuzz_file_set(const unsigned char *data, size_t size)
{
    fuzz_file *f = fuzz_file_get();
    if (ftruncate(f->fd, 0) != 0 || pwrite(f->fd, data, size, 0) != (ssize_t)size)
        abort();
    return f->path;
}

#endif
