/* The isolated worker's sandbox: what a hostile engine may still reach
 * once its worker has entered it (docs/isolation.md). */
#ifndef SH_ENGINE_SANDBOX_H
#define SH_ENGINE_SANDBOX_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "error.h"

/* Default limits of one worker: address space and open files. */
#define SH_SANDBOX_MEMORY_MIB 16384u
#define SH_SANDBOX_OPEN_FILES 1024u

/* Who a worker runs as and what it may use, as the harness asks for it. */
typedef struct sh_sandbox_policy {
    const char *user;          /* as root: the user to become; NULL: "nobody" */
    uint64_t memory_mib;       /* address space per worker; 0: SH_SANDBOX_MEMORY_MIB,
                                  UINT64_MAX: no limit */
    unsigned open_files;       /* 0: SH_SANDBOX_OPEN_FILES */
} sh_sandbox_policy;

/* The same, resolved to numbers, as a worker receives it. */
typedef struct sh_sandbox_limits {
    int drop;                  /* become uid/gid (the harness runs as root) */
    uid_t uid;
    gid_t gid;
    uint64_t memory_bytes;     /* 0: none */
    uint64_t open_files;
} sh_sandbox_limits;

/* Resolves a policy in the harness: the user's ids (only as root; another
 * user may not change ids, so naming one is an error) and the limits.
 * [thread: any] */
int sh_sandbox_resolve(sh_sandbox_limits *out, const sh_sandbox_policy *p,
                           sh_err *err);

/* The limits as one argument for a worker's command line, and back. */
void sh_sandbox_limits_format(char *out, size_t cap, const sh_sandbox_limits *l);
int sh_sandbox_limits_parse(sh_sandbox_limits *out, const char *text);

/* The system directory every confined worker may read that holds path
 * (an absolute path without links), or NULL: a dataset there is the
 * engine's to read. */
const char *sh_sandbox_system_dir(const char *path);

/* Confines the calling process for good, before the engine is loaded: a
 * new empty network namespace; as root, the unprivileged user of `l`
 * with no groups or capabilities; resource limits (address space, open
 * files, no file writes, no core dumps); no new privileges; seccomp
 * refusing sockets, new processes, ptrace and process_vm_*, io_uring and
 * namespace changes; and, where the kernel has Landlock, reads only
 * beneath the system's library directories, a few named files and
 * `readable` (n paths, each may be NULL or missing), writes nowhere but
 * /dev/null, no TCP, no signals or abstract sockets outside itself.
 * Writes what it achieved to out (for the run's record). 0, or -1 with
 * out saying which step failed. [thread: call before any other thread
 * exists] */
int sh_sandbox_enter(char *out, size_t cap, const sh_sandbox_limits *l,
                         const char *const *readable, size_t n);

#endif
