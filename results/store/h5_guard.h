/* Reading results files that may be damaged. HDF5 1.10 trusts the
 * addresses inside a file, so one flipped byte can make it read past its
 * buffers and crash the process; its error stack prints to stderr unless
 * told not to; and ids a failed read leaves open make it print "infinite
 * loop closing library" at exit. Internal to results/store. */
#ifndef SH_RESULTS_STORE_H5_GUARD_H
#define SH_RESULTS_STORE_H5_GUARD_H

#include <hdf5.h>

/* Opens path (H5F_ACC_RDONLY or H5F_ACC_RDWR) with HDF5's error printing
 * off and a close that also closes every object still open in it, or
 * returns a negative id. */
hid_t sh_h5_open(const char *path, unsigned mode);

/* What a guarded read's end says: an error (stderr, exit 2), or verify's
 * verdict on the file (stdout, exit 1). */
typedef enum { SH_H5_GUARD_ERROR, SH_H5_GUARD_VERDICT } sh_h5_guard_says;

/* Until the matching sh_h5_guard_leave, a crash inside the process (a
 * damaged file read: a fault, or glibc's abort on a heap HDF5 corrupted)
 * or a read of path lasting past a limit set by its size (HDF5 loops
 * forever on some damaged files) ends the process with one line naming
 * path, as `says` has it, in place of dying by the signal or hanging.
 * Calls nest; the outermost stands. [thread: the one reading, one at a
 * time] */
void sh_h5_guard_enter(const char *path, sh_h5_guard_says says);

/* Puts back the signal handling sh_h5_guard_enter replaced. */
void sh_h5_guard_leave(void);

#endif
