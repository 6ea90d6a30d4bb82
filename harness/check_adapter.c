#include "check_adapter.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check_junit.h"
#include "cohort.h"
#include "guard.h"
#include "image_dir.h"
#include <shades/synthetic.h>
#include "paths.h"
#include "plugin.h"
#include "utf8.h"

/* Images used from --images unless --max-images says otherwise. */
#define DEFAULT_MAX_IMAGES 64
/* Generated images: 8 subjects x 2 captures. */
#define GENERATED_IMAGES 16

/* Generated images: 8 subjects x 2 captures carrying the synthetic code,
 * which only the synthetic engine reads as a face. Real engines need
 * --images. */
static int generated_images(sh_pixels *out, size_t *out_n, sh_err *err)
{
    size_t n = 0;
    for (uint32_t s = 0; s < 8; s++)
        for (uint32_t k = 0; k < 2; k++, n++) {
            synth_code code = {s + 1, k, (uint8_t)(s & 3)};
            out[n] = (sh_pixels){SYNTH_SIDE, SYNTH_SIDE, SYNTH_SIDE, SHADES_PIXEL_GRAY8,
                                     malloc(SYNTH_SIDE * SYNTH_SIDE)};
            if (!out[n].data) {
                *out_n = n;
                return sh_err_nomem(err);
            }
            synth_code_draw(out[n].data, &code, synth_mix64(n + 1));
        }
    *out_n = n;
    return 0;
}

/* The first `max` image files under dir and its subdirectories, in path
 * order (a `shades synth` or `shades cohort` folder as it is). */
static int directory_images(sh_pixels *out, size_t *out_n, const char *dir, size_t max,
                            sh_err *err)
{
    *out_n = 0;
    char **paths;
    size_t n;
    int rc = sh_image_dir_list(&paths, &n, dir, err);
    if (!rc && !n)
        rc = sh_err_set(err, SH_E_INPUT,
                            "--images %s: no .png, .jpg, .bmp, .pgm or .ppm files in it or below",
                            dir);
    for (size_t k = 0; !rc && k < n && k < max; k++) {
        rc = sh_image_load(&out[k], paths[k], err);
        if (!rc)
            (*out_n)++;
    }
    sh_image_dir_free(paths, n);
    return rc;
}

/* The status a check's child ends with once destroy has returned; any
 * other (0 included: an engine's exit(0) in destroy) is the engine's. */
#define CHILD_DONE 71

/* Runs one check in a child; its verdict and detail come back on a pipe.
 * *out_own gets the check's own verdict as the child wrote it, or -1 where
 * the child wrote none (it died first): a crash in destroy, after it, fails
 * the check but does not mean the adapter did not load. */
static int run_child(char *detail, size_t cap, int *out_own, const sh_check *check,
                     const sh_check_options *o, const sh_pixels *images, size_t n)
{
    *out_own = -1;
    int fd[2];
    if (pipe(fd)) {
        snprintf(detail, cap, "cannot run: pipe: %s", strerror(errno));
        return SH_CHECK_FAIL;
    }
    fflush(NULL);
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid == 0) {
        close(fd[0]);
        /* A check-adapter killed (a CI job cancelled) takes its check with
         * it, rather than leave an engine hung in a call running on. */
        if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != parent)
            _exit(3);
        /* The engine's own printing goes to stderr, as in a run: stdout is
         * the checks' verdicts, which a vendor's CI parses. */
        if (dup2(STDERR_FILENO, STDOUT_FILENO) < 0)
            _exit(3);
        sh_guard_default_signals();
        sh_check_ctx ctx = {
            .images = images, .n_images = n, .notes = fd[1], .timing = o->timing};
        sh_instance_options io = {.spec = o->spec, .config_dir = o->config_dir,
                                      .options = o->options ? o->options : "", .seed = 1,
                                      .threads = 8};
        sh_err err = {0};
        int r;
        sh_check_note(&ctx, "in create");
        if (sh_instance_create(&ctx.inst, &io, &err)) {
            snprintf(ctx.detail, sizeof ctx.detail, "%s", err.msg);
            r = SH_CHECK_FAIL;
        } else {
            r = check->fn(&ctx);
        }
        char line[1100];
        int len = snprintf(line, sizeof line, "=%d%s\n", r, ctx.detail);
        len = len < (int)sizeof line ? len : (int)sizeof line - 1;
        ssize_t w = write(fd[1], line, (size_t)len);
        (void)w;
        if (ctx.inst)
            sh_check_note(&ctx, "in destroy");
        sh_instance_destroy(ctx.inst);
        _exit(CHILD_DONE);
    }
    close(fd[1]);
    if (pid < 0) {
        close(fd[0]);
        snprintf(detail, cap, "cannot run: fork: %s", strerror(errno));
        return SH_CHECK_FAIL;
    }
    char buf[8192];
    size_t got = 0;
    unsigned limit_ms = (o->timeout_s ? o->timeout_s : 120) * 1000u;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int timed_out = 0;
    for (;;) {
        clock_gettime(CLOCK_MONOTONIC, &t1);
        long long spent = (t1.tv_sec - t0.tv_sec) * 1000LL + (t1.tv_nsec - t0.tv_nsec) / 1000000;
        struct pollfd p = {fd[0], POLLIN, 0};
        int ready = spent >= limit_ms ? 0 : poll(&p, 1, (int)(limit_ms - spent));
        if (ready < 0 && errno == EINTR)
            continue; /* a signal handled: the limit still runs, and read would block */
        if (ready == 0) {
            timed_out = 1;
            break;
        }
        /* Near full: keep only the latest note (and the verdict, with the
         * notes after it, once it has come), so a child that notes many
         * calls never finds the pipe closed under it (SIGPIPE). */
        if (sizeof buf - 1 - got < 2048) {
            buf[got] = 0;
            char *last = buf[0] == '=' ? buf : strstr(buf, "\n=");
            last = last ? last + (*last == '\n') : strrchr(buf, '@');
            size_t keep = last ? got - (size_t)(last - buf) : 0;
            memmove(buf, buf + got - keep, keep);
            got = keep;
        }
        ssize_t r = read(fd[0], buf + got, sizeof buf - 1 - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    close(fd[0]);
    if (timed_out)
        kill(pid, SIGKILL);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    buf[got] = 0;
    /* Notes ("@what\n") say where the child was; "=N detail" is its verdict. */
    /* Lines: "@note" and "=N words"; the words end at their line's end. */
    char *verdict = NULL, *note = NULL;
    for (char *p = buf; *p; p += strcspn(p, "\n"), p += *p == '\n') {
        if (*p == '@')
            note = p + 1;
        else if (*p == '=' && !verdict)
            verdict = p;
    }
    char where[128] = "";
    if (note)
        snprintf(where, sizeof where, " %.*s", (int)strcspn(note, "\n"), note);
    /* The check's verdict came before the trouble (in destroy): say both. */
    char own[1100] = "";
    if (verdict && verdict[1]) {
        *out_own = verdict[1] - '0';
        snprintf(own, sizeof own, " (the check itself: %.*s)",
                 (int)strcspn(verdict + 2, "\n"), verdict + 2);
    }
    if (timed_out) {
        snprintf(detail, cap, "did not finish within %u s (a hang)%s%s", limit_ms / 1000, where,
                 own);
        return SH_CHECK_FAIL;
    }
    if (WIFSIGNALED(status)) {
        snprintf(detail, cap, "crashed (SIG%s)%s%s", sigabbrev_np(WTERMSIG(status)), where, own);
        return SH_CHECK_FAIL;
    }
    if (WEXITSTATUS(status) != CHILD_DONE && verdict && verdict[1]) {
        snprintf(detail, cap, "the engine ended the process (exit status %d)%s%s",
                 WEXITSTATUS(status), where, own);
        return SH_CHECK_FAIL;
    }
    if (!verdict || !verdict[1]) {
        snprintf(detail, cap, "the engine ended the process (exit status %d)%s",
                 WEXITSTATUS(status), where);
        return SH_CHECK_FAIL;
    }
    snprintf(detail, cap, "%.*s", (int)strcspn(verdict + 2, "\n"), verdict + 2);
    return verdict[1] - '0';
}

int sh_check_timing_parse(sh_check_timing *out, const char *s)
{
    static const char *const names[] = {"fail", "warn", "off"};
    for (int k = 0; k < 3; k++)
        if (strcmp(s, names[k]) == 0) {
            *out = (sh_check_timing)k;
            return 0;
        }
    return -1;
}

static const char *verdict_name(int r)
{
    return r == SH_CHECK_PASS   ? "PASS"
           : r == SH_CHECK_SKIP ? "SKIP"
           : r == SH_CHECK_WARN ? "WARN"
                                    : "FAIL";
}

int sh_check_adapter(const sh_check_options *o, sh_err *err)
{
    /* A file that is not there, or no such built-in, is the caller's
     * mistake (exit 2), not a failed check. */
    char library[PATH_MAX];
    int rc = sh_plugin_resolve(library, sizeof library, o->spec, err);
    if (rc)
        return rc;
    size_t max = !o->images       ? GENERATED_IMAGES
                 : o->max_images ? o->max_images
                                 : DEFAULT_MAX_IMAGES;
    sh_check_junit junit = {0};
    if (o->junit && (rc = sh_check_junit_start(&junit, o->junit, err)))
        return rc;
    sh_pixels *images = calloc(max, sizeof *images);
    sh_check_junit_case *cases = calloc(sh_n_checks, sizeof *cases);
    char(*details)[1100] = calloc(sh_n_checks, sizeof *details);
    if (!images || !cases || !details)
        rc = sh_err_nomem(err);
    size_t n = 0;
    if (!rc)
        rc = o->images ? directory_images(images, &n, o->images, max, err)
                       : generated_images(images, &n, err);
    char what[64];
    snprintf(what, sizeof what, "%zu %s images", n, o->images ? "given" : "generated");
    if (!rc) {
        sh_utf8_print_line(o->out, "shades check-adapter %s (%s)", o->spec, what);
        size_t failed = 0, skipped = 0, warned = 0;
        int loaded = 1;
        for (size_t k = 0; k < sh_n_checks; k++) {
            char *detail = details[k];
            snprintf(detail, sizeof details[k], "the adapter did not load");
            /* The first check loads the adapter; without it the rest cannot run. */
            int own = -1;
            double t0 = sh_check_now();
            int r = loaded ? run_child(detail, sizeof details[k], &own, &sh_checks[k], o, images,
                                       n)
                           : SH_CHECK_SKIP;
            cases[k] = (sh_check_junit_case){sh_checks[k].name, verdict_name(r), detail,
                                             sh_check_now() - t0};
            if (k == 0)
                loaded = own == SH_CHECK_PASS;
            failed += r == SH_CHECK_FAIL;
            skipped += r == SH_CHECK_SKIP;
            warned += r == SH_CHECK_WARN;
            /* The detail quotes the engine (its version, its messages). */
            sh_utf8_print_line(o->out, "  %-4s  %-14s %s", verdict_name(r), sh_checks[k].name,
                               detail);
            fflush(o->out);
        }
        fprintf(o->out, "result: %s (%zu checks: %zu passed, %zu failed, %zu skipped",
                failed ? "FAIL" : "PASS", sh_n_checks,
                sh_n_checks - failed - skipped - warned, failed, skipped);
        if (warned)
            fprintf(o->out, ", %zu passed with a warning", warned);
        fprintf(o->out, ")\n");
        rc = failed ? 1 : 0;
        /* The checks ran: their verdicts are the file, failed or not. */
        if (o->junit) {
            int jrc = sh_check_junit_finish(&junit, o->spec, what, cases, sh_n_checks, err);
            rc = jrc ? jrc : rc;
        }
    }
    sh_check_junit_abandon(&junit);
    for (size_t k = 0; images && k < n; k++)
        sh_image_free(&images[k]);
    free(images);
    free(cases);
    free(details);
    return rc;
}
