#include "candidate_pool.h"

#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "candidates.h"

/* Scores a row tests against its bound at a time: a fixed count, so the
 * compiler's vectors take the test whatever the optimisation level. */
#define CANDIDATE_RUN 16

typedef struct entry {
    double s;
    uint32_t g;
} entry;

/* One buffered search: its buffer's first n entries, and the entry a score
 * must beat to be kept (the length'th best when the buffer was last cut
 * back, or the padding (-inf, UINT32_MAX) an empty list holds). */
typedef struct pool_row {
    size_t n;
    entry last;
} pool_row;

/* Lists at most this long are kept as lists, by sh_candidates_insert (an
 * insert shifts fewer entries than a cut-back compares), longer ones in a
 * buffer: in bench_search, 20 candidates took 4 % longer buffered, 100 the
 * same, 1,000 a quarter of the time. */
#define SORTED_MAX 64

/* Rows whose first lasts make the guess of the next row's (the least of
 * them): in bench_search (20 candidates), the guess failed one row in 9,
 * and with 4 rows one in 5, for the same time. */
#define GUESS_ROWS 8

struct sh_candidate_pool {
    size_t length, cap;       /* cap: a buffer's entries */
    sh_candidates *lists;     /* length <= SORTED_MAX: a list a row */
    pool_row *row;            /* longer: a buffer a row */
    entry *buf;               /* rows x cap */
    unsigned char *started;   /* a row: whether it was offered anything */
    double first_last[GUESS_ROWS]; /* the lasts the latest rows reached on their first call */
    size_t n_first;           /* rows that ended a first call, all told */
};

/* Whether a ranks before b in a list: higher score first, ties to the
 * lower index. A NaN ranks before nothing. */
static inline int before(entry a, entry b)
{
    return a.s > b.s || (a.s == b.s && a.g < b.g);
}

/* Empties search `row`: a list of padding, or a buffer of none whose
 * entry to beat is the padding. */
static void reset_row(sh_candidate_pool *p, size_t row)
{
    size_t L = p->length;
    if (p->lists)
        sh_candidates_clear(p->lists->score + row * L, p->lists->slot + row * L, L);
    else
        p->row[row] = (pool_row){0, {-INFINITY, UINT32_MAX}};
}

sh_candidate_pool *sh_candidate_pool_create(size_t rows, size_t length)
{
    sh_candidate_pool *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->length = length;
    p->started = calloc(rows ? rows : 1, 1);
    if (length <= SORTED_MAX) {
        p->lists = sh_candidates_create(rows, length);
        if (!p->lists || !p->started) {
            sh_candidate_pool_destroy(p);
            return NULL;
        }
        return p;
    }
    /* Twice the list and a little more: a cut-back, linear in the buffer,
     * comes once every `length` kept candidates or more. */
    size_t nr = rows ? rows : 1;
    p->cap = 2 * length + 16;
    p->row = malloc(nr * sizeof *p->row);
    p->buf = malloc(nr * p->cap * sizeof *p->buf);
    if (!p->row || !p->buf || !p->started) {
        sh_candidate_pool_destroy(p);
        return NULL;
    }
    for (size_t r = 0; r < rows; r++)
        reset_row(p, r);
    return p;
}

void sh_candidate_pool_destroy(sh_candidate_pool *p)
{
    if (!p)
        return;
    sh_candidates_destroy(p->lists);
    free(p->started);
    free(p->row);
    free(p->buf);
    free(p);
}

/* Puts the k'th best (from 0) of e[0..n) at e[k], those ranking before it
 * in e[0..k), the rest after: Hoare's FIND, as Wirth writes it. */
static void select_best(entry *e, size_t n, size_t k)
{
    ptrdiff_t lo = 0, hi = (ptrdiff_t)n - 1, kk = (ptrdiff_t)k;
    while (lo < hi) {
        entry pivot = e[kk];
        ptrdiff_t i = lo, j = hi;
        do {
            while (before(e[i], pivot))
                i++;
            while (before(pivot, e[j]))
                j--;
            if (i <= j) {
                entry t = e[i];
                e[i] = e[j];
                e[j] = t;
                i++;
                j--;
            }
        } while (i <= j);
        if (j < kk)
            lo = i;
        if (kk < i)
            hi = j;
    }
}

/* Keeps a full buffer's best `length` and the entry to beat from now on. */
static void cut_back(const sh_candidate_pool *p, pool_row *r, entry *e)
{
    select_best(e, r->n, p->length - 1);
    r->n = p->length;
    r->last = e[p->length - 1];
}

/* Keeps (s, g) in search `row` if it ranks before the row's last: in a
 * list, in its place; in a buffer, at the end, cutting back when full. */
static inline void offer(sh_candidate_pool *p, size_t row, double s, uint32_t g)
{
    if (p->lists) {
        sh_candidates_insert(p->lists->score + row * p->length,
                             p->lists->slot + row * p->length, p->length, s, g);
        return;
    }
    pool_row *r = &p->row[row];
    entry x = {s, g}, *e = p->buf + row * p->cap;
    if (!before(x, r->last))
        return;
    e[r->n++] = x;
    if (r->n == p->cap)
        cut_back(p, r, e);
}

/* The score a row's candidates must reach to be kept: its list's last, or
 * its buffer's. */
static double last_score(const sh_candidate_pool *p, size_t row)
{
    return p->lists ? p->lists->score[row * p->length + p->length - 1] : p->row[row].last.s;
}

void sh_candidate_pool_add(sh_candidate_pool *p, size_t row, double s, uint32_t g)
{
    p->started[row] = 1;
    offer(p, row, s, g);
}

/* Makes a buffered row's last its length'th best, where it holds that
 * many, so that last_score is the list's last. */
static void settle(sh_candidate_pool *p, size_t row)
{
    if (!p->lists && p->row[row].n >= p->length)
        cut_back(p, &p->row[row], p->buf + row * p->cap);
}

/* Offers search `row` those of its cosine scores (as
 * sh_candidate_pool_cosine_row) that pass the float test of the larger of
 * its last and `floor`; the others are below both. */
static void cosine_scan(sh_candidate_pool *p, size_t row, const float *dot, const float *gn,
                        float pn, const uint32_t *ok, size_t ng, double floor)
{
    double last = last_score(p, row);
    float bound = sh_candidates_cosine_bound(last > floor ? last : floor, pn);
    for (size_t k0 = 0; k0 < ng; k0 += CANDIDATE_RUN) {
        size_t m = ng - k0 < CANDIDATE_RUN ? ng - k0 : CANDIDATE_RUN;
        int any = 0;
        /* The bound holds for dot x gn rounded to float, as the cast asks,
         * and for it kept wider, as x87 keeps it whatever the cast says. */
        if (m == CANDIDATE_RUN)
            for (size_t k = 0; k < CANDIDATE_RUN; k++)
                any |= (float)(dot[k0 + k] * gn[k0 + k]) >= bound;
        else
            any = 1; /* a short run is tested score by score */
        if (!any)
            continue;
        /* Only the run's scores past the bound (which still holds, as the
         * last only rises) are formed in double and offered; they are
         * picked out without a branch a score, as which pass is a coin's
         * toss. The bound is formed again only when the last moved past
         * the floor. */
        unsigned char past[CANDIDATE_RUN];
        size_t n_past = 0;
        for (size_t k = 0; k < m; k++) {
            past[n_past] = (unsigned char)k;
            n_past += (float)(dot[k0 + k] * gn[k0 + k]) >= bound;
        }
        for (size_t i = 0; i < n_past; i++) {
            size_t k = k0 + past[i]; /* sh_embedding_from_dot's, written out */
            offer(p, row, dot[k] * (double)gn[k] * pn, ok[k]);
        }
        if (last_score(p, row) != last) {
            last = last_score(p, row);
            if (last > floor)
                bound = sh_candidates_cosine_bound(last, pn);
        }
    }
}

void sh_candidate_pool_cosine_row(sh_candidate_pool *p, size_t row, const float *dot,
                                  const float *gn, float pn, const uint32_t *ok, size_t ng)
{
    if (p->started[row]) {
        cosine_scan(p, row, dot, gn, pn, ok, ng, -INFINITY);
        return;
    }
    p->started[row] = 1;
    /* A row's first call: until its list fills, its last is -inf and every
     * score passes, so the list is first filled with scores that mostly
     * fall out again. A block's probes score alike against one gallery,
     * so the scan is tried against a guess of the last the list will
     * reach, the least the latest rows reached on their first call. Where
     * the list reaches the guess, every score skipped (below the guess)
     * ranks after its last, and the list is what every score makes; where
     * not, the row is emptied and scanned again. */
    double guess = -INFINITY;
    for (size_t k = 0; p->n_first >= GUESS_ROWS && k < GUESS_ROWS; k++)
        guess = k ? fmin(guess, p->first_last[k]) : p->first_last[k];
    int held = 0;
    if (guess > -INFINITY) {
        cosine_scan(p, row, dot, gn, pn, ok, ng, guess);
        settle(p, row);
        if (!(held = last_score(p, row) >= guess))
            reset_row(p, row);
    }
    if (!held) {
        cosine_scan(p, row, dot, gn, pn, ok, ng, -INFINITY);
        settle(p, row);
    }
    p->first_last[p->n_first++ % GUESS_ROWS] = last_score(p, row);
}

static int cmp_entry(const void *x, const void *y)
{
    const entry *a = x, *b = y;
    return before(*a, *b) ? -1 : before(*b, *a) ? 1 : 0;
}

void sh_candidate_pool_take(double *out_score, uint32_t *out_slot, sh_candidate_pool *p,
                            size_t row)
{
    size_t L = p->length;
    if (p->lists) {
        memcpy(out_score, p->lists->score + row * L, L * sizeof *out_score);
        memcpy(out_slot, p->lists->slot + row * L, L * sizeof *out_slot);
        return;
    }
    entry *e = p->buf + row * p->cap;
    size_t n = p->row[row].n;
    if (n > L) {
        select_best(e, n, L - 1);
        n = L;
    }
    qsort(e, n, sizeof *e, cmp_entry);
    for (size_t k = 0; k < n; k++) {
        out_score[k] = e[k].s;
        out_slot[k] = e[k].g;
    }
    sh_candidates_clear(out_score + n, out_slot + n, L - n);
}
