/* A parent for an in-process run: the engine shares the run's process, so
 * whatever it does to that process (exit, _exit, close every descriptor,
 * ignore a fatal signal and then fault) the parent, which the engine
 * cannot touch, still says in one line what happened, and the run still
 * ends with status 2. */
#ifndef SHADES_HARNESS_SUPERVISE_H
#define SHADES_HARNESS_SUPERVISE_H

/* Forks the run. Returns 0 in the child, which goes on with the run (and
 * is killed should the parent die), or when no child could be had (the
 * run then goes on unsupervised). In the parent it waits for the child,
 * prints the line the child could not, and returns 1 with the status to
 * exit with in *out_status (a child killed by a signal the engine did not
 * cause is passed on by raising it). config_path names the items of the
 * call in flight. [thread: main, before any other thread exists] */
int shades_supervise(int *out_status, const char *config_path);

#endif
