/* The isolated worker's sandbox: what a hostile engine may still reach
 * once its worker has entered it (docs/isolation.md). */
#ifndef SHADES_HARNESS_SANDBOX_H
#define SHADES_HARNESS_SANDBOX_H

#include <stddef.h>

/* Directories every worker may read: the system's libraries and settings. */
extern const char *const shades_sandbox_system_dirs[];

/* Confines the calling process for good: no new privileges; no ptrace or
 * process_vm_* calls (seccomp); and, where the kernel has Landlock, reads
 * only beneath `readable` (n paths, each may be NULL or missing) and the
 * system directories, writes nowhere but /dev/null, no TCP, no signals or
 * abstract sockets outside itself. Writes what it achieved to out (for the
 * run's record). 0, or -1 with out saying which step failed. [thread: call
 * before any other thread exists] */
int shades_sandbox_enter(char *out, size_t cap, const char *const *readable, size_t n);

#endif
