/* Path helpers: joining, directories of files and of the executable. */
#ifndef SHADES_HARNESS_PATHS_H
#define SHADES_HARNESS_PATHS_H

#include <stddef.h>

#include "error.h"

/* out = dir "/" name, or name alone when it is absolute or dir is empty. */
int shades_path_join(char *out, size_t cap, const char *dir, const char *name, shades_err *err);

/* out = the directory part of path ("." when it has none). */
int shades_path_dirname(char *out, size_t cap, const char *path, shades_err *err);

/* out = the directory holding the running executable. */
int shades_path_exe_dir(char *out, size_t cap, shades_err *err);

/* Creates dir and its parents (mode 0755 masked by umask); exists is fine. */
int shades_path_mkdirs(const char *dir, shades_err *err);

/* Creates path, or truncates it, readable and writable by its owner alone
 * (0600, whatever the umask), without following a symbolic link. Returns
 * the open descriptor, which the caller closes, or a negative code. */
int shades_path_create_private(const char *path, shades_err *err);

/* Removes the temporaries "PATH.tmp.PID" that a killed writer of path
 * left behind: regular files of this user whose PID is no longer running.
 * Best effort; a live run's temporary is never touched. */
void shades_path_remove_stale_temps(const char *path);

#endif
