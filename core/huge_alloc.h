/* Large buffers that are written through once: on 2 MiB pages where the
 * kernel allows them (transparent huge pages in "madvise" mode, Debian's
 * default), so that filling one takes a page fault per 2 MiB, not per 4 KiB.
 * Measured: page faults were a tenth of a replay's time on a VM. */
#ifndef SH_CORE_HUGE_ALLOC_H
#define SH_CORE_HUGE_ALLOC_H

#include <stddef.h>

/* bytes of uninitialised memory, or NULL; free it with free(). [thread: any] */
void *sh_huge_alloc(size_t bytes);

#endif
