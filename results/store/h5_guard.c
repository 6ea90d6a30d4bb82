#include "h5_guard.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* What the handler writes, set before it can run: it may only call
 * async-signal-safe functions. */
static char guard_line[4096 + 256];
static size_t guard_len;
static int guard_fd, guard_status, guard_depth;

static const int guard_signals[] = {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGALRM};
#define N_SIGNALS (sizeof guard_signals / sizeof *guard_signals)
static struct sigaction guard_old[N_SIGNALS];
static stack_t guard_old_stack;
/* Room to run the handler when the crash is a stack overflow (a damaged
 * file can send a reader into deep recursion). */
static char guard_stack[64 * 1024];

static void on_crash(int sig)
{
    (void)sig;
    ssize_t ignored = write(guard_fd, guard_line, guard_len);
    (void)ignored;
    _exit(guard_status);
}

hid_t sh_h5_open(const char *path, unsigned mode)
{
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
    hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
    if (fapl < 0)
        return -1;
    H5Pset_fclose_degree(fapl, H5F_CLOSE_STRONG);
    hid_t f = H5Fopen(path, mode, fapl);
    H5Pclose(fapl);
    return f;
}

/* Seconds a whole read of a file of `bytes` may take: far more than a
 * results file needs on a slow disk (30 s, and 1 s a MiB). */
static unsigned read_limit(const char *path)
{
    struct stat st;
    off_t bytes = stat(path, &st) == 0 ? st.st_size : 0;
    return 30u + (unsigned)(bytes / (1 << 20));
}

void sh_h5_guard_enter(const char *path, sh_h5_guard_says says)
{
    if (guard_depth++)
        return;
    int verdict = says == SH_H5_GUARD_VERDICT;
    int n = snprintf(guard_line, sizeof guard_line,
                     verdict ? "%s: ALTERED: damaged past reading (reading it crashed the "
                               "HDF5 library or did not end)\n"
                             : "shades: error: %s: damaged: reading it crashed the HDF5 "
                               "library or did not end; it is not a file shades wrote\n",
                     path);
    guard_len = n < 0 ? 0 : (size_t)n < sizeof guard_line ? (size_t)n : sizeof guard_line - 1;
    guard_fd = verdict ? STDOUT_FILENO : STDERR_FILENO;
    guard_status = verdict ? 1 : 2;
    if (verdict)
        fflush(stdout); /* what verify printed before reads before the verdict */
    stack_t st = {.ss_sp = guard_stack, .ss_size = sizeof guard_stack, .ss_flags = 0};
    sigaltstack(&st, &guard_old_stack);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_crash;
    sa.sa_flags = SA_ONSTACK | SA_RESETHAND;
    sigemptyset(&sa.sa_mask);
    for (size_t i = 0; i < N_SIGNALS; i++)
        sigaction(guard_signals[i], &sa, &guard_old[i]);
    alarm(read_limit(path));
}

void sh_h5_guard_leave(void)
{
    if (guard_depth == 0 || --guard_depth)
        return;
    alarm(0);
    for (size_t i = 0; i < N_SIGNALS; i++)
        sigaction(guard_signals[i], &guard_old[i], NULL);
    sigaltstack(&guard_old_stack, NULL);
}
