/* Path helpers: joining, directories of files and of the executable. */
#ifndef SH_CORE_PATHS_H
#define SH_CORE_PATHS_H

#include <stddef.h>

#include "error.h"

/* out = dir "/" name, or name alone when it is absolute or dir is empty. */
int sh_path_join(char *out, size_t cap, const char *dir, const char *name, sh_err *err);

/* out = the directory part of path ("." when it has none). */
int sh_path_dirname(char *out, size_t cap, const char *path, sh_err *err);

/* Whether path is dir or lies beneath it, both resolved (realpath): by
 * whole components, so /data2 is not beneath /data. */
int sh_path_within(const char *path, const char *dir);

/* A file a command reads, named for messages ("the manifest"). */
typedef struct sh_path_input {
    const char *what;
    const char *path; /* NULL: none, skipped */
} sh_path_input;

/* Checks path as a file about to be written whole (a temporary renamed
 * onto it), before anything is written: what is there must be a regular
 * file, or a symbolic link to one, and not the same file as any of the n
 * inputs. `what` starts messages, naming the setting ("report -o"). Sets out
 * (cap bytes) to the path to write: path, or the file a link at path names,
 * so that the link stays and its file is replaced. */
int sh_path_output(char *out, size_t cap, const char *what, const char *path,
                   const sh_path_input *inputs, size_t n, sh_err *err);

/* out = the directory holding the running executable. */
int sh_path_exe_dir(char *out, size_t cap, sh_err *err);

/* Creates dir and its parents (mode 0755 masked by umask); exists is fine. */
int sh_path_mkdirs(const char *dir, sh_err *err);

/* Creates path, or truncates it, readable and writable by its owner alone
 * (0600, whatever the umask), without following a symbolic link. Returns
 * the open descriptor, which the caller closes, or a negative code with
 * errno kept. */
int sh_path_create_private(const char *path, sh_err *err);

/* Removes the temporaries "PATH.tmp.PID" that a killed writer of path
 * left behind: regular files of this user whose PID is no longer running.
 * Best effort; a live run's temporary is never touched. */
void sh_path_remove_stale_temps(const char *path);

#endif
