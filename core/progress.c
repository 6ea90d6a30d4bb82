#include "progress.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct sh_progress {
    FILE *out;
    int bar;                  /* 1: redraw one line; 0: plain lines */
    double interval;          /* seconds between prints */
    const char *label;
    int active;               /* a stage has started and not ended */
    uint64_t total;
    double start;
    _Atomic uint64_t done;
    _Atomic int64_t last_ns;  /* when the last print happened */
    pthread_mutex_t print;    /* one printer at a time; others skip */
};

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

sh_progress *sh_progress_create(FILE *stream, sh_progress_mode mode, double interval)
{
    if (mode == SH_PROGRESS_OFF || !stream)
        return NULL;
    sh_progress *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->out = stream;
    p->bar = mode == SH_PROGRESS_BAR ||
             (mode == SH_PROGRESS_AUTO && isatty(fileno(stream)));
    p->interval = p->bar ? 0.1 : interval;
    pthread_mutex_init(&p->print, NULL);
    return p;
}

void sh_progress_destroy(sh_progress *p)
{
    if (!p)
        return;
    /* A bar left mid-stage by a failure: end its line before the error. */
    if (p->bar && p->active)
        fputc('\n', p->out);
    pthread_mutex_destroy(&p->print);
    free(p);
}

int sh_progress_mode_parse(sh_progress_mode *out, const char *name)
{
    static const char *names[] = {"auto", "bar", "lines", "off"};
    for (int i = 0; i < 4; i++)
        if (strcmp(name, names[i]) == 0) {
            *out = (sh_progress_mode)i;
            return 0;
        }
    return -1;
}

void sh_progress_stage(sh_progress *p, const char *label, uint64_t total)
{
    if (!p)
        return;
    p->label = label;
    p->active = 1;
    p->total = total;
    p->start = now_s();
    atomic_store(&p->done, 0);
    atomic_store(&p->last_ns, (int64_t)(p->start * 1e9));
}

/* "1:02:03", "2:03" or "4.2 s". */
static void duration(char *out, size_t size, double s)
{
    if (s < 60) {
        snprintf(out, size, "%.1f s", s);
        return;
    }
    long t = (long)(s + 0.5);
    if (t >= 3600)
        snprintf(out, size, "%ld:%02ld:%02ld", t / 3600, t / 60 % 60, t % 60);
    else
        snprintf(out, size, "%ld:%02ld", t / 60, t % 60);
}

/* A count per second as "850", "35.7k", "9.4M". */
static void per_second(char *out, size_t size, double r)
{
    static const char *const unit[] = {"", "k", "M", "G", "T"};
    int u = 0;
    while (r >= 1000 && u < 4) {
        r /= 1000;
        u++;
    }
    snprintf(out, size, "%.3g%s/s", r, unit[u]);
}

static void print(sh_progress *p, uint64_t done, double t, int final)
{
    double elapsed = t - p->start, rate = elapsed > 0 ? (double)done / elapsed : 0;
    double frac = p->total ? (double)done / (double)p->total : 1;
    char eta[32] = "", took[32], speed[32];
    duration(took, sizeof took, elapsed);
    per_second(speed, sizeof speed, rate);
    if (rate > 0 && done < p->total)
        duration(eta, sizeof eta, (double)(p->total - done) / rate);
    /* What the run printed so far goes first when both streams share a file. */
    if (p->out != stdout)
        fflush(stdout);
    if (p->bar) {
        char bar[31];
        int filled = (int)(frac * 30);
        for (int i = 0; i < 30; i++)
            bar[i] = i < filled ? '#' : '.';
        bar[30] = '\0';
        /* \r and clear-to-end redraw the line in place. */
        fprintf(p->out, "\r%-16.16s [%s] %3.0f%% %llu/%llu %s %s%s\033[K%s", p->label, bar,
                100 * frac, (unsigned long long)done, (unsigned long long)p->total, speed,
                final ? "in " : eta[0] ? "ETA " : "", final ? took : eta, final ? "\n" : "");
    } else if (final) {
        fprintf(p->out, "shades: %s: %llu done in %s (%s)\n", p->label,
                (unsigned long long)done, took, speed);
    } else {
        fprintf(p->out, "shades: %s: %llu/%llu (%.0f%%), %s, ETA %s\n", p->label,
                (unsigned long long)done, (unsigned long long)p->total, 100 * frac, speed,
                eta[0] ? eta : "-");
    }
    fflush(p->out);
}

void sh_progress_add(sh_progress *p, uint64_t n)
{
    if (!p)
        return;
    uint64_t done = atomic_fetch_add(&p->done, n) + n;
    double t = now_s();
    int64_t last = atomic_load(&p->last_ns);
    if ((double)((int64_t)(t * 1e9) - last) < p->interval * 1e9)
        return;
    /* A worker that finds the printer busy goes back to work. */
    if (pthread_mutex_trylock(&p->print) != 0)
        return;
    if (atomic_load(&p->last_ns) == last) {
        atomic_store(&p->last_ns, (int64_t)(t * 1e9));
        print(p, done, t, 0);
    }
    pthread_mutex_unlock(&p->print);
}

void sh_progress_end(sh_progress *p)
{
    if (!p)
        return;
    pthread_mutex_lock(&p->print);
    print(p, atomic_load(&p->done), now_s(), 1);
    p->active = 0;
    pthread_mutex_unlock(&p->print);
}
