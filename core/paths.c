#include "paths.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int sh_path_join(char *out, size_t cap, const char *dir, const char *name, sh_err *err)
{
    int n;
    /* "./x" under dir is dir/x, not dir/./x, which messages would show. */
    while (dir[0] && name[0] == '.' && name[1] == '/')
        name += 2 + strspn(name + 2, "/");
    if (name[0] == '/' || !dir[0])
        n = snprintf(out, cap, "%s", name);
    else
        n = snprintf(out, cap, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", name);
    if (n < 0 || (size_t)n >= cap)
        return sh_err_set(err, SH_E_INPUT, "path too long: %s/%s", dir, name);
    return 0;
}

int sh_path_within(const char *path, const char *dir)
{
    size_t n = strlen(dir);
    if (n == 1 && dir[0] == '/')
        return 1;
    return !strncmp(path, dir, n) && (path[n] == '/' || path[n] == '\0');
}

/* What a file of mode m that is not a regular file is, for messages. */
static const char *kind_of(mode_t m)
{
    return S_ISDIR(m)                    ? "a directory"
           : S_ISCHR(m) || S_ISBLK(m)    ? "a device"
           : S_ISFIFO(m)                 ? "a FIFO"
           : S_ISSOCK(m)                 ? "a socket"
                                         : "not a regular file";
}

int sh_path_output(char *out, size_t cap, const char *what, const char *path,
                   const sh_path_input *inputs, size_t n, sh_err *err)
{
    struct stat lst, st;
    if (lstat(path, &lst) != 0) {
        if (errno != ENOENT)
            return sh_err_set(err, SH_E_IO, "%s: '%s': %s", what, path, strerror(errno));
        return snprintf(out, cap, "%s", path) < (int)cap
                   ? 0
                   : sh_err_set(err, SH_E_INPUT, "%s: path too long", path);
    }
    if (stat(path, &st) != 0)
        return sh_err_set(err, SH_E_INPUT, "%s: '%s' is a symbolic link to nothing (%s)", what,
                          path, strerror(errno));
    if (!S_ISREG(st.st_mode))
        return sh_err_set(err, SH_E_INPUT,
                          "%s: '%s' is %s, not a regular file; writing would replace it", what,
                          path, kind_of(st.st_mode));
    for (size_t i = 0; i < n; i++) {
        struct stat in;
        if (inputs[i].path && stat(inputs[i].path, &in) == 0 && in.st_dev == st.st_dev &&
            in.st_ino == st.st_ino)
            return sh_err_set(err, SH_E_INPUT,
                              "%s: '%s' is %s '%s'; writing there would destroy it", what, path,
                              inputs[i].what, inputs[i].path);
    }
    if (!S_ISLNK(lst.st_mode))
        return snprintf(out, cap, "%s", path) < (int)cap
                   ? 0
                   : sh_err_set(err, SH_E_INPUT, "%s: path too long", path);
    char real[PATH_MAX];
    if (!realpath(path, real) || strlen(real) >= cap)
        return sh_err_set(err, SH_E_INPUT, "%s: '%s': cannot resolve the link", what, path);
    memcpy(out, real, strlen(real) + 1);
    return 0;
}

int sh_path_dirname(char *out, size_t cap, const char *path, sh_err *err)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return sh_path_join(out, cap, "", ".", err);
    size_t n = slash == path ? 1 : (size_t)(slash - path);
    if (n >= cap)
        return sh_err_set(err, SH_E_INPUT, "path too long: %s", path);
    memcpy(out, path, n);
    out[n] = '\0';
    return 0;
}

int sh_path_exe_dir(char *out, size_t cap, sh_err *err)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n < 0)
        return sh_err_set(err, SH_E_IO, "cannot find the shades executable: %s",
                              strerror(errno));
    exe[n] = '\0';
    return sh_path_dirname(out, cap, exe, err);
}

int sh_path_mkdirs(const char *dir, sh_err *err)
{
    char buf[PATH_MAX];
    if (strlen(dir) >= sizeof buf)
        return sh_err_set(err, SH_E_INPUT, "path too long: %s", dir);
    strcpy(buf, dir);
    for (char *p = buf + 1; ; p++) {
        if (*p == '/' || *p == '\0') {
            char c = *p;
            *p = '\0';
            if (mkdir(buf, 0755) != 0 && errno != EEXIST)
                return sh_err_set(err, SH_E_IO, "%s: cannot create directory: %s", buf,
                                      strerror(errno));
            *p = c;
            if (!c)
                break;
        }
    }
    return 0;
}

int sh_path_create_private(const char *path, sh_err *err)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
    /* An existing file keeps its mode through O_CREAT: set it. */
    if (fd >= 0 && fchmod(fd, 0600) != 0) {
        int e = errno;
        close(fd);
        errno = e;
        fd = -1;
    }
    if (fd < 0) {
        int e = errno;
        sh_err_set(err, SH_E_IO, "%s: cannot create: %s", path, strerror(e));
        errno = e; /* for a caller naming the file it stands in for */
        return err ? err->code : SH_E_IO;
    }
    return fd;
}

/* The pid in NAME when it is BASE ".tmp." and digits; 0 otherwise. */
static long temp_pid(const char *name, const char *base)
{
    size_t n = strlen(base);
    if (strncmp(name, base, n) || strncmp(name + n, ".tmp.", 5) || !name[n + 5])
        return 0;
    char *end;
    long pid = strtol(name + n + 5, &end, 10);
    return *end || pid <= 0 ? 0 : pid;
}

void sh_path_remove_stale_temps(const char *path)
{
    char dir[PATH_MAX];
    sh_err ignored = {0};
    if (sh_path_dirname(dir, sizeof dir, path, &ignored))
        return;
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d))) {
        long pid = temp_pid(e->d_name, base);
        struct stat st;
        /* Only a dead writer's own regular file: a live run's temporary, or
         * a link someone planted under that name, is left alone. */
        if (!pid || pid == (long)getpid() || kill((pid_t)pid, 0) == 0 || errno != ESRCH ||
            fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) || !S_ISREG(st.st_mode) ||
            st.st_uid != geteuid())
            continue;
        unlinkat(dirfd(d), e->d_name, 0);
    }
    closedir(d);
}
