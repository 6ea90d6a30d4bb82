#include "check_junit.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "utf8.h"
#include "version.h"

/* The temporary a signal removes, and the handlers it replaced. */
static char pending[4096];
static volatile sig_atomic_t armed;
static const int ending[] = {SIGTERM, SIGINT, SIGHUP};
static struct sigaction before[3];

static void on_ending(int sig)
{
    if (armed)
        unlink(pending);
    /* Then end as the signal would have: its own action, raised again. */
    for (size_t k = 0; k < 3; k++)
        if (ending[k] == sig)
            sigaction(sig, &before[k], NULL);
    raise(sig);
}

static void disarm(void)
{
    if (!armed)
        return;
    armed = 0;
    for (size_t k = 0; k < 3; k++)
        if (before[k].sa_handler != SIG_IGN)
            sigaction(ending[k], &before[k], NULL);
}

int sh_check_junit_start(sh_check_junit *out, const char *path, sh_err *err)
{
    memset(out, 0, sizeof *out);
    out->path = path;
    struct stat st;
    if (!path[0])
        return sh_err_set(err, SH_E_INPUT, "--junit: empty file name");
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        return sh_err_set(err, SH_E_INPUT, "--junit %s: a folder, not a file", path);
    if ((size_t)snprintf(out->tmp, sizeof out->tmp, "%s.tmp.%ld", path, (long)getpid()) >=
        sizeof out->tmp)
        return sh_err_set(err, SH_E_INPUT, "--junit %s: path too long", path);
    out->f = fopen(out->tmp, "w");
    if (!out->f)
        return sh_err_set(err, SH_E_INPUT, "--junit %s: cannot write: %s", path,
                          strerror(errno));
    time_t now = time(NULL);
    struct tm tm;
    strftime(out->started, sizeof out->started, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&now, &tm));
    memcpy(pending, out->tmp, sizeof pending);
    struct sigaction sa = {0};
    sa.sa_handler = on_ending;
    sigemptyset(&sa.sa_mask);
    /* A signal the caller ignores (nohup's SIGHUP, a script's background
     * SIGINT) stays ignored: it would not end the run. */
    for (size_t k = 0; k < 3; k++)
        if (sigaction(ending[k], NULL, &before[k]) == 0 && before[k].sa_handler != SIG_IGN)
            sigaction(ending[k], &sa, NULL);
    armed = 1;
    return 0;
}

void sh_check_junit_abandon(sh_check_junit *j)
{
    if (j->f) {
        fclose(j->f);
        remove(j->tmp);
    }
    j->f = NULL;
    disarm();
}

/* s as XML character data or an attribute's value: first made printable
 * (an engine's words may hold control characters or bytes that are not
 * UTF-8, which XML 1.0 cannot carry even escaped), then the five
 * characters XML reserves escaped. */
static void put_text(FILE *f, const char *s)
{
    char clean[4400];
    sh_utf8_printable(clean, sizeof clean, s);
    for (const char *p = clean; *p; p++)
        switch (*p) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        case '\'': fputs("&apos;", f); break;
        default: fputc(*p, f);
        }
}

int sh_check_junit_finish(sh_check_junit *j, const char *suite, const char *images,
                          const sh_check_junit_case *cases, size_t n, sh_err *err)
{
    size_t failed = 0, skipped = 0;
    double total = 0;
    for (size_t k = 0; k < n; k++) {
        failed += !strcmp(cases[k].verdict, "FAIL");
        skipped += !strcmp(cases[k].verdict, "SKIP");
        total += cases[k].seconds;
    }
    FILE *f = j->f;
    fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
               "<testsuites name=\"shades check-adapter\" tests=\"%zu\" failures=\"%zu\" "
               "errors=\"0\" skipped=\"%zu\" time=\"%.3f\">\n"
               "  <testsuite name=\"",
            n, failed, skipped, total);
    put_text(f, suite);
    fprintf(f, "\" tests=\"%zu\" failures=\"%zu\" errors=\"0\" skipped=\"%zu\" time=\"%.3f\" "
               "timestamp=\"%s\">\n"
               "    <properties>\n"
               "      <property name=\"shades\" value=\"%s\"/>\n"
               "      <property name=\"images\" value=\"",
            n, failed, skipped, total, j->started, SH_VERSION);
    put_text(f, images);
    fputs("\"/>\n    </properties>\n", f);
    for (size_t k = 0; k < n; k++) {
        const sh_check_junit_case *c = &cases[k];
        fputs("    <testcase classname=\"check-adapter\" name=\"", f);
        put_text(f, c->name);
        fprintf(f, "\" time=\"%.3f\">\n", c->seconds);
        int fail = !strcmp(c->verdict, "FAIL"), skip = !strcmp(c->verdict, "SKIP");
        if (fail || skip) {
            fprintf(f, "      <%s message=\"", fail ? "failure" : "skipped");
            put_text(f, c->detail);
            fputs("\"/>\n", f);
        }
        fprintf(f, "      <system-out>%s: ", c->verdict);
        put_text(f, c->detail);
        fputs("</system-out>\n    </testcase>\n", f);
    }
    fputs("  </testsuite>\n</testsuites>\n", f);
    int bad = ferror(f) != 0;
    bad |= fclose(f) != 0;
    j->f = NULL;
    int rc = 0;
    if (bad || rename(j->tmp, j->path) != 0) {
        int e = errno;
        remove(j->tmp);
        rc = sh_err_set(err, SH_E_IO, "--junit %s: cannot write: %s", j->path, strerror(e));
    }
    disarm();
    return rc;
}
