/* Loading adapter libraries: by built-in name or by path, with every ABI
 * check done before any member of the entry is used. */
#ifndef SH_ENGINE_PLUGIN_H
#define SH_ENGINE_PLUGIN_H

#include <shades/adapter.h>

#include "error.h"

/* A loaded adapter library. Owned by whoever opened it; the entry pointer
 * is valid until sh_plugin_close. Not shared across processes. */
typedef struct sh_plugin {
    void *handle;                 /* dlopen handle */
    const shades_adapter *entry;  /* the library's exported entry */
    char *path;                   /* file that was loaded */
} sh_plugin;

/* Directory of the built-in adapters: $SH_ADAPTER_DIR, else
 * "adapters" beside the running executable. Written into out (cap bytes). */
int sh_plugin_builtin_dir(char *out, size_t cap, sh_err *err);

/* The file `spec` names, into out (cap bytes): a path when it contains '/'
 * or ends in ".so", else a built-in adapter's file. Fails when it is missing. */
int sh_plugin_resolve(char *out, size_t cap, const char *spec, sh_err *err);

/* Opens `spec`: a path when it contains '/' or ends in ".so", else the name
 * of a built-in adapter. Fails, with one line naming the file, when the file
 * is missing, not a library, not a shades adapter, built for another major
 * version, or its entry is too small or incomplete. */
int sh_plugin_open(sh_plugin **out, const char *spec, sh_err *err);

/* Unloads the library; NULL is allowed. */
void sh_plugin_close(sh_plugin *plugin);

#endif
