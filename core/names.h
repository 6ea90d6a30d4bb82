/* How long a name the results file holds may be: a partition's, a group's,
 * a rule's, a class's. Longer ones are refused where they are read, not
 * cut where they are stored (two cut names could become one). */
#ifndef SH_CORE_NAMES_H
#define SH_CORE_NAMES_H

#include <stddef.h>

/* Bytes of a stored name, its NUL included: names are at most 63 bytes. */
#define SH_NAME_MAX 64

/* names[0..n) joined by ", " into out (cap bytes, NUL-terminated, cut
 * where it fills), for a message that lists what a name may be; returns
 * out. */
char *sh_names_join(char *out, size_t cap, const char *const *names, size_t n);

#endif
