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

static volatile sig_atomic_t child, stopped;

/* A signal meant for the run: the child gets it too (a terminal's Ctrl-C
 * already reached it; a kill of this pid did not). */
static void forward(int sig)
{
    stopped = sig;
    if (child > 0)
        kill((pid_t)child, sig);
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

/* The line for a child that ended inside an engine call, with its items
 * named where they still load. */
static int postmortem(char *out, size_t cap, const sh_guard_state *s, int status,
                      const sh_supervise_items *items)
{
    if (!sh_guard_postmortem(out, cap, s, status, NULL))
        return 0;
    sh_guard_items named;
    void *owner = NULL;
    if (items && items->load && !items->load(&named, &owner, items->ctx)) {
        sh_guard_postmortem(out, cap, s, status, &named);
        if (items->release)
            items->release(owner);
    }
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
    sa.sa_handler = forward;
    sigemptyset(&sa.sa_mask);
    const int passed[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2};
    for (size_t k = 0; k < sizeof passed / sizeof passed[0]; k++)
        sigaction(passed[k], &sa, NULL);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR) {
            *out_status = 2;
            return 1;
        }
    child = 0; /* reaped: its pid may be another process's now */
    char line[4096];
    /* Stopped from outside (a terminal, a timeout, the OOM killer): the
     * signal is passed on, not blamed on the call that was in flight. */
    int outside = WIFSIGNALED(status) &&
                  (WTERMSIG(status) == SIGINT || WTERMSIG(status) == SIGTERM ||
                   WTERMSIG(status) == SIGHUP || WTERMSIG(status) == SIGQUIT ||
                   WTERMSIG(status) == SIGKILL);
    if (!outside && postmortem(line, sizeof line, s, status, items)) {
        if (!another_rank_reported())
            fputs(line, stderr);
        *out_status = 2;
        return 1;
    }
    /* One rank of an MPI job killed alone (the OOM killer, a node's
     * limits): the job's one line says which, where and during what; the
     * others' SIGTERM from mpirun says nothing. */
    unsigned rank, size;
    if (WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL &&
        sh_ranks_launched_as(&rank, &size) && size > 1) {
        char who[128], host[SH_RANKS_HOST_MAX] = "unknown";
        gethostname(host, sizeof host - 1);
        snprintf(who, sizeof who, "rank %u of %u on %s", rank, size, host);
        sh_guard_items named;
        void *owner = NULL;
        int loaded = items && items->load && !items->load(&named, &owner, items->ctx);
        sh_guard_killed(line, sizeof line, s, who, loaded ? &named : NULL);
        if (loaded && items->release)
            items->release(owner);
        if (!another_rank_reported())
            fputs(line, stderr);
        *out_status = 2;
        return 1;
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
