/* The isolated worker's entry: what `shades __worker` runs (isolate.h
 * starts it; call_isolated.c is the harness's side). */
#ifndef SH_ENGINE_WORKER_H
#define SH_ENGINE_WORKER_H

/* The worker side: serves requests on fd 3 until the harness goes away.
 * argv: library spec, config dir ("" for none), options, seed, limits
 * (sh_sandbox_limits_format). Ends the process, without exit
 * handlers, with its exit status; returns only on a wrong argument count.
 * [thread: main, the process's only thread] */
int sh_worker_main(int argc, char **argv);

#endif
