#include "supervise.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "guard.h"
#include "ranks.h"

static volatile sig_atomic_t child, stopped, by_child;

/* A signal meant for the run: the child gets it too (a terminal's Ctrl-C
 * already reached it; a kill of this pid did not). One the child sent (the
 * engine, from inside the run) is not the run's: the child is ended and
 * the engine named. */
static void forward(int sig, siginfo_t *info, void *context)
{
    (void)context;
    if (child > 0 && info && info->si_pid == (pid_t)child) {
        by_child = sig;
        kill((pid_t)child, SIGKILL);
        return;
    }
    stopped = sig;
    if (child > 0)
        kill((pid_t)child, sig);
}

/* Whether process pid is stopped by a signal now (state T; a debugger's
 * stop is t, and is left alone). */
static int still_stopped(pid_t pid)
{
    char path[64], buf[256];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    const char *end = strrchr(buf, ')'); /* the name may hold spaces and parentheses */
    return end && end[1] == ' ' && end[2] == 'T';
}

/* Whether this rank of an MPI job (rank > 0) should keep its line to
 * itself: it waits rank x 1.5 s (at most 12 s) first, and a lower rank
 * that failed at about the same time (an engine that crashes on every
 * node) has by then ended the job, whose launcher stops this one (Open
 * MPI's mpirun signals the others about 1 s after a rank exits). So the
 * job's line is the lowest failing rank's, unless ranks above 8 alone
 * failed together. */
static int another_rank_reported(void)
{
    unsigned rank, size;
    if (!sh_ranks_launched_as(&rank, &size) || size < 2 || rank == 0)
        return 0;
    for (unsigned t = 0; t < (rank < 8 ? rank : 8) * 150 && !stopped; t++)
        nanosleep(&(struct timespec){0, 10000000}, NULL);
    return stopped != 0;
}

/* The run's items, loaded into *named where they still load (then
 * *owner is for release_items); NULL where they do not. */
static const sh_guard_items *load_items(sh_guard_items *named, void **owner,
                                        const sh_supervise_items *items)
{
    *owner = NULL;
    return items && items->load && !items->load(named, owner, items->ctx) ? named : NULL;
}

static void release_items(const sh_guard_items *named, void *owner,
                          const sh_supervise_items *items)
{
    if (named && items->release)
        items->release(owner);
}

/* The line for a child that ended inside an engine call, with its items
 * named where they still load. */
static int postmortem(char *out, size_t cap, const sh_guard_state *s, int status,
                      const sh_supervise_items *items)
{
    if (!sh_guard_postmortem(out, cap, s, status, NULL))
        return 0;
    sh_guard_items named;
    void *owner;
    const sh_guard_items *m = load_items(&named, &owner, items);
    if (m)
        sh_guard_postmortem(out, cap, s, status, m);
    release_items(m, owner, items);
    return 1;
}

/* The line for a child killed or stopped by signal sig with no signal to
 * this process, naming the rank of an MPI job and the call in flight. */
static void killed_line(char *out, size_t cap, const sh_guard_state *s, int sig,
                        const sh_supervise_items *items)
{
    unsigned rank, size;
    int ranked = sh_ranks_launched_as(&rank, &size) && size > 1;
    char who[128] = "the run", host[SH_RANKS_HOST_MAX] = "unknown";
    if (ranked) {
        gethostname(host, sizeof host - 1);
        snprintf(who, sizeof who, "rank %u of %u on %s", rank, size, host);
    }
    sh_guard_items named;
    void *owner;
    const sh_guard_items *m = load_items(&named, &owner, items);
    sh_guard_killed(out, cap, s, who, sig,
                    ranked ? "; the job ends with it" : "; no results were written", m);
    release_items(m, owner, items);
}

/* Prints the run's one line (unless a lower rank of an MPI job said its
 * own) and sets the exit status 2; returns 1, as sh_supervise does. */
static int report(int *out_status, const char *line)
{
    if (!another_rank_reported())
        fputs(line, stderr);
    *out_status = 2;
    return 1;
}

int sh_supervise(int *out_status, const sh_supervise_items *items)
{
    sh_guard_state *s = sh_guard_share();
    if (!s)
        return 0;
    fflush(NULL);
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0)
        return 0;
    if (pid == 0) {
        /* A kill of the parent (a CI timeout, a test's SIGKILL) is the run's. */
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent)
            _exit(2);
        sh_guard_supervised();
        return 0;
    }
    child = pid;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = forward;
    sa.sa_flags = SA_SIGINFO;
    sigemptyset(&sa.sa_mask);
    const int passed[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2};
    for (size_t k = 0; k < sizeof passed / sizeof passed[0]; k++)
        sigaction(passed[k], &sa, NULL);
    int status = 0;
    char line[4096];
    for (;;) {
        if (waitpid(pid, &status, WUNTRACED) < 0) {
            if (errno == EINTR)
                continue;
            *out_status = 2;
            return 1;
        }
        /* Stopped inside an engine call (the engine's own SIGSTOP, or
         * another program's, which cannot be told apart): the child's
         * watchdog is stopped with it, so the parent ends the run. A stop
         * already resumed (a terminal's, then fg) or outside any call is
         * waited out. */
        if (!WIFSTOPPED(status))
            break;
        if (still_stopped(pid) && sh_guard_in_call(s)) {
            killed_line(line, sizeof line, s, WSTOPSIG(status), items);
            kill(pid, SIGKILL);
            while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
                ;
            child = 0;
            return report(out_status, line);
        }
    }
    child = 0; /* reaped: its pid may be another process's now */
    if (by_child) {
        /* The engine signalled this process to end the run: its fault. */
        sh_guard_items named;
        void *owner;
        const sh_guard_items *m = load_items(&named, &owner, items);
        sh_guard_signalled(line, sizeof line, s, by_child, m);
        release_items(m, owner, items);
        return report(out_status, line);
    }
    /* Stopped from outside (a terminal, a timeout): the signal this process
     * was sent is passed on, not blamed on the call that was in flight. A
     * child killed so without one (the OOM killer, a kill of the child's
     * pid, the engine's raise) is reported, not blamed on the engine. */
    int ending = WIFSIGNALED(status) &&
                 (WTERMSIG(status) == SIGINT || WTERMSIG(status) == SIGTERM ||
                  WTERMSIG(status) == SIGHUP || WTERMSIG(status) == SIGQUIT ||
                  WTERMSIG(status) == SIGKILL);
    int outside = ending && stopped, killed = ending && !stopped;
    if (!outside && !killed && postmortem(line, sizeof line, s, status, items))
        return report(out_status, line);
    /* Killed alone (the OOM killer, a node's limits, the engine): one line
     * says which rank of an MPI job, where and during what; the other
     * ranks' SIGTERM from mpirun says nothing. */
    if (killed) {
        killed_line(line, sizeof line, s, WTERMSIG(status), items);
        return report(out_status, line);
    }
    if (WIFSIGNALED(status)) {
        int sig = WTERMSIG(status);
        signal(sig, SIG_DFL);
        raise(sig);
        *out_status = 128 + sig;
        return 1;
    }
    *out_status = WEXITSTATUS(status);
    return 1;
}
