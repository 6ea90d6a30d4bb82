/* Replayed scores of all pairs, never held: one checking read of the file
 * (harness/replay.h, sh_replay_all_pairs), then a read per replay. */
#include <math.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "csv_fast.h"
#include "huge_alloc.h"
#include "replay.h"
#include "replay_rows.h"
#include "text_blocks.h"

/* Scores handed to a sink at once. */
#define BATCH 4096
/* Tasks each thread's share of a block is cut into, so threads finish together. */
#define TASKS_PER_THREAD 4
/* The sample the checking read keeps: the impostors of 1 in SAMPLE_EVERY
 * items, as results/verification_measures.c asks for them (any other
 * `every` reads the file), while it fits in SAMPLE_MAX_BYTES. */
#define SAMPLE_EVERY 16
#define SAMPLE_MAX_BYTES (32u << 20)

typedef sh_replay_sample sample_part;

/* Work on one record of a parallel read, as `worker`; 0 or a negative code
 * with err set to the reason. */
typedef int (*row_fn)(void *ctx, unsigned worker, char **f, const size_t *lens, size_t n,
                      sh_err *err);

/* The columns as replay_rows.h holds them. */
static sh_replay_columns columns_of(const sh_replay_source *s)
{
    return (sh_replay_columns){s->width, {s->col[0], s->col[1], s->col[2]}};
}

/* One block's text cut into tasks at line starts: task t is
 * text[bound[t], bound[t + 1]). */
typedef struct block_job {
    char *text;
    const size_t *bound;
    row_fn row;
    void *ctx;
} block_job;

static int block_task(void *ctx, unsigned worker, size_t begin, size_t end, sh_err *err)
{
    const block_job *j = ctx;
    char *fields[SH_CSV_FAST_MAX_FIELDS];
    size_t lens[SH_CSV_FAST_MAX_FIELDS];
    for (size_t t = begin; t < end; t++) {
        size_t pos = j->bound[t], stop = j->bound[t + 1];
        while (pos < stop) {
            size_t n;
            int rc = sh_csv_split(j->text, stop, &pos, fields, lens, SH_CSV_FAST_MAX_FIELDS, &n,
                                  err);
            if (!rc && n)
                rc = j->row(j->ctx, worker, fields, lens, n, err);
            if (rc)
                return rc;
        }
    }
    return 0;
}

/* Whether a line starts at text[i] (0 < i < len). */
static int line_starts(const char *text, size_t i)
{
    return text[i - 1] == '\n' || (text[i - 1] == '\r' && text[i] != '\n');
}

/* Calls row for every record after the header, each block's records split
 * across the source's workers. */
static int read_rows(sh_replay_source *s, row_fn row, void *ctx, sh_err *err)
{
    sh_text_blocks *in;
    int rc = sh_text_open(&in, s->cfg->file, "scores file", err);
    if (rc)
        return rc;
    s->reads++;
    unsigned nw = s->base.workers ? s->base.workers : 1;
    size_t T = nw > 1 ? (size_t)nw * TASKS_PER_THREAD : 1;
    size_t *bound = malloc((T + 1) * sizeof *bound);
    if (!bound)
        rc = sh_err_nomem(err);
    int header = 1, first = 1;
    while (!rc) {
        char *text, *fields[SH_CSV_FAST_MAX_FIELDS];
        size_t len, pos = 0;
        rc = sh_text_next(in, &text, &len, err);
        if (rc || !len)
            break;
        if (first)
            sh_csv_skip_bom(text, len, &pos);
        first = 0;
        while (!rc && header && pos < len) {
            size_t n;
            rc = sh_csv_split(text, len, &pos, fields, NULL, SH_CSV_FAST_MAX_FIELDS, &n, err);
            header = !n;
        }
        if (rc || pos == len)
            continue;
        bound[0] = pos;
        for (size_t t = 1; t < T; t++) {
            size_t i = pos + (len - pos) / T * t;
            if (i < bound[t - 1])
                i = bound[t - 1];
            while (i < len && i > 0 && !line_starts(text, i))
                i++;
            bound[t] = i;
        }
        bound[T] = len;
        block_job job = {text, bound, row, ctx};
        rc = sh_executor_for(s->base.executor, nw, T, 1, block_task, &job, err);
    }
    free(bound);
    sh_text_close(in);
    return rc;
}

/* ---- the checking read ---- */

/* What the checking read keeps: one bit per pair of images. */
typedef struct checker {
    const sh_replay_source *s;
    sh_replay_columns cols;
    const sh_pairs *pairs;
    double *genuine;
    _Atomic uint64_t *bits;    /* pair (a < b) scored, upper triangle row by row */
    _Atomic uint64_t *self;    /* pair (a, a) scored, per image */
    uint64_t n_bits;
    int header_seen;           /* the sequential read: the header is behind */
    sh_replay_cache *cache;    /* per worker */
    sample_part *sample;       /* per worker; NULL: not kept */
    size_t n_workers;
    _Atomic int sample_off;    /* too big, or out of memory: none kept */
    int32_t *held;             /* sh_replay_source.held being filled; NULL: not */
    double scale;              /* 10^digits */
    _Atomic int held_off;      /* too many scores it cannot count: none held */
    struct other_part *other;  /* per worker: the scores held aside */
    size_t other_max;          /* the most held aside, all workers together */
    _Atomic size_t n_other;    /* held aside so far (rare: shared) */
    struct no_score_part *no_score; /* per worker: impostor rows without a score */
} checker;

/* One worker's impostor rows without a score: each pair's later image. */
typedef struct no_score_part {
    uint32_t *item;
    size_t n, cap;
} no_score_part;

/* Notes item, the later image of an impostor pair whose row has no score;
 * 0, or -1 when out of memory. */
static int note_no_score(checker *c, unsigned worker, uint32_t item)
{
    no_score_part *p = &c->no_score[worker];
    if (p->n == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 64;
        uint32_t *grown = realloc(p->item, cap * sizeof *grown);
        if (!grown)
            return -1;
        p->item = grown;
        p->cap = cap;
    }
    p->item[p->n++] = item;
    return 0;
}

/* Gathers the workers' rows without a score into s, in the workers' order
 * (the run puts them in image order with the rest); frees the parts. 0 or
 * -1. */
static int no_score_keep(checker *c, sh_replay_source *s)
{
    size_t n = 0;
    for (size_t w = 0; c->no_score && w < c->n_workers; w++)
        n += c->no_score[w].n;
    s->no_score = n ? malloc(n * sizeof *s->no_score) : NULL;
    for (size_t w = 0; c->no_score && w < c->n_workers; w++) {
        if (s->no_score && c->no_score[w].n)
            memcpy(s->no_score + s->n_no_score, c->no_score[w].item,
                   c->no_score[w].n * sizeof *s->no_score);
        s->n_no_score += s->no_score ? c->no_score[w].n : 0;
        free(c->no_score[w].item);
    }
    free(c->no_score);
    c->no_score = NULL;
    return n && !s->no_score ? -1 : 0;
}

/* Keeps pair (lo, hi) once for each of its items the sample takes. */
static void keep_sample(checker *c, unsigned worker, uint32_t lo, uint32_t hi, double score)
{
    int k = (lo % SAMPLE_EVERY == 0) + (hi % SAMPLE_EVERY == 0);
    if (!k || !c->sample || atomic_load_explicit(&c->sample_off, memory_order_relaxed))
        return;
    /* Each worker's share of the cap, so no count is shared between threads. */
    sample_part *p = &c->sample[worker];
    if ((p->n + (size_t)k) * (sizeof(sh_pair) + sizeof(double)) * c->n_workers >
        SAMPLE_MAX_BYTES) {
        atomic_store(&c->sample_off, 1);
        return;
    }
    if (p->n + 2 > p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 4096;
        sh_pair *pair = realloc(p->pair, cap * sizeof *pair);
        if (pair)
            p->pair = pair;
        double *score = realloc(p->score, cap * sizeof *score);
        if (score)
            p->score = score;
        if (!pair || !score) {
            atomic_store(&c->sample_off, 1);
            return;
        }
        p->cap = cap;
    }
    for (int i = 0; i < k; i++) {
        p->pair[p->n] = (sh_pair){lo, hi};
        p->score[p->n++] = score;
    }
}

/* Hands the workers' samples to the source, or drops them. */
static void sample_keep(checker *c, sh_replay_source *s, unsigned nw)
{
    if (c->sample && !atomic_load(&c->sample_off) && !s->held) {
        s->part = c->sample;
        s->n_parts = nw;
        s->sample_every = SAMPLE_EVERY;
        c->sample = NULL;
        return;
    }
    for (unsigned w = 0; c->sample && w < nw; w++) {
        free(c->sample[w].pair);
        free(c->sample[w].score);
    }
    free(c->sample);
    c->sample = NULL;
}

/* The bit of pair (lo < hi) of n images. */
static uint64_t triangle_bit(uint64_t lo, uint64_t hi, uint64_t n)
{
    return lo * (2 * n - lo - 1) / 2 + (hi - lo - 1);
}

static int test_and_set(_Atomic uint64_t *words, uint64_t bit)
{
    uint64_t mask = UINT64_C(1) << (bit & 63);
    return (atomic_fetch_or_explicit(&words[bit >> 6], mask, memory_order_relaxed) & mask) != 0;
}

static int test_bit(_Atomic uint64_t *words, uint64_t bit)
{
    uint64_t mask = UINT64_C(1) << (bit & 63);
    return (atomic_load_explicit(&words[bit >> 6], memory_order_relaxed) & mask) != 0;
}

/* One worker's scores held aside (sh_replay_source.other). */
typedef struct other_part {
    sh_replay_other *item;
    size_t n, cap;
} other_part;

/* Scores held aside at most: a few per cent of the pairs, and 1 Mi (16 MiB). */
static size_t other_max(uint64_t n_bits)
{
    uint64_t most = 1024 + n_bits / 64;
    return most < (1u << 20) ? (size_t)most : (size_t)1 << 20;
}

/* Keeps (bit, score) aside in the worker's part; 0, or -1 when all the
 * workers together hold the most, or memory ran out. */
static int hold_aside(checker *c, unsigned worker, uint64_t bit, double score)
{
    if (atomic_fetch_add_explicit(&c->n_other, 1, memory_order_relaxed) >= c->other_max)
        return -1;
    other_part *p = &c->other[worker];
    if (p->n == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 256;
        sh_replay_other *grown = realloc(p->item, cap * sizeof *grown);
        if (!grown)
            return -1;
        p->item = grown;
        p->cap = cap;
    }
    p->item[p->n++] = (sh_replay_other){bit, score};
    return 0;
}

/* Holds score at held[bit], or aside, or gives up holding. A score held in
 * place is round(score x 10^digits), kept only when dividing it by
 * 10^digits gives back the same bits (both exact, the division correctly
 * rounded, so it does every time); -0.0 would come back +0.0, and a score
 * of more places or too large would not come back at all: those go aside. */
static void hold(checker *c, unsigned worker, uint64_t bit, double score)
{
    if (!c->held || atomic_load_explicit(&c->held_off, memory_order_relaxed))
        return;
    if (score == -INFINITY) {
        c->held[bit] = SH_REPLAY_HELD_FAILED;
        return;
    }
    double v = nearbyint(score * c->scale);
    double back = v / c->scale;
    /* -0.0 would be held as 0, which comes back +0.0. */
    if (fabs(v) < 2147483647.0 && !(v == 0 && signbit(v)) &&
        memcmp(&back, &score, sizeof back) == 0) {
        c->held[bit] = (int32_t)v;
    } else if (hold_aside(c, worker, bit, score) == 0) {
        c->held[bit] = SH_REPLAY_HELD_OTHER;
    } else {
        atomic_store_explicit(&c->held_off, 1, memory_order_relaxed);
    }
}

static int cmp_other(const void *a, const void *b)
{
    uint64_t x = ((const sh_replay_other *)a)->bit, y = ((const sh_replay_other *)b)->bit;
    return (x > y) - (x < y);
}

/* Gathers the workers' scores held aside into s->other, sorted; 0 or -1. */
static int others_keep(checker *c, sh_replay_source *s)
{
    size_t n = 0;
    for (size_t w = 0; w < c->n_workers; w++)
        n += c->other[w].n;
    s->other = malloc((n ? n : 1) * sizeof *s->other);
    if (!s->other)
        return -1;
    for (size_t w = 0; w < c->n_workers; w++) {
        if (c->other[w].n)
            memcpy(s->other + s->n_other, c->other[w].item,
                   c->other[w].n * sizeof *s->other);
        s->n_other += c->other[w].n;
    }
    qsort(s->other, s->n_other, sizeof *s->other, cmp_other);
    return 0;
}

static void others_free(checker *c)
{
    for (size_t w = 0; c->other && w < c->n_workers; w++)
        free(c->other[w].item);
    free(c->other);
    c->other = NULL;
}

/* The index of genuine pair (lo, hi) in pairs (sorted by a, then b). */
static size_t genuine_index(const sh_pairs *p, uint32_t lo, uint32_t hi)
{
    size_t a = 0, b = p->n_genuine;
    while (a < b) {
        size_t mid = a + (b - a) / 2;
        sh_pair q = p->genuine[mid];
        if (q.a < lo || (q.a == lo && q.b < hi))
            a = mid + 1;
        else
            b = mid;
    }
    return a;
}

/* The first earlier row that scored pair {a, b}: its line, and whether it
 * ran the same way (reference a). */
typedef struct first_finder {
    const sh_replay_source *s;
    sh_replay_columns cols;
    uint32_t a, b;
    size_t before;
    int header_seen, found, same_way;
    size_t line;
} first_finder;

static int find_row(void *ctx, char **f, size_t n, size_t line, sh_err *err)
{
    first_finder *ff = ctx;
    (void)n;
    if (!ff->header_seen) {
        ff->header_seen = 1;
        return 0;
    }
    uint32_t ref, probe;
    double score;
    if (line >= ff->before || sh_replay_row(&ref, &probe, &score, f, NULL, NULL, &ff->cols,
                                            ff->s->cfg, ff->s->m, ff->s->ids, err))
        return SH_E_INTERNAL;
    if ((ref == ff->a && probe == ff->b) || (ref == ff->b && probe == ff->a)) {
        ff->found = 1;
        ff->same_way = ref == ff->a;
        ff->line = line;
        return SH_E_INTERNAL;   /* found: stop */
    }
    return 0;
}

/* The message for a row of pair (ref, probe) scored before, the same way
 * or the other, naming the line that did. */
static int scored_twice(const checker *c, uint32_t ref, uint32_t probe, size_t line, sh_err *err)
{
    first_finder ff = {c->s, c->cols, ref, probe, line, 0, 0, 0, 0};
    sh_err ignored = {0};
    sh_csv_read_fast(c->s->cfg->file, "scores file", find_row, &ff, &ignored);
    const char *ref_id = c->s->m->image_id[ref], *probe_id = c->s->m->image_id[probe];
    if (!ff.found || ff.same_way)
        return sh_err_set(err, SH_E_INPUT,
                          "reference '%s' and probe '%s' are scored twice (first on line %llu)",
                          ref_id, probe_id, (unsigned long long)ff.line);
    return sh_err_set(err, SH_E_INPUT,
                      "reference '%s' and probe '%s' score the pair that line %zu already scored",
                      ref_id, probe_id, ff.line);
}

/* Checks one row and keeps a genuine pair's score; `line` is 0 in a
 * parallel read, where a pair scored twice fails with no message (the
 * sequential read that follows finds the first error and words it). */
static int check(checker *c, unsigned worker, char **f, const size_t *lens, size_t n,
                 size_t line, sh_err *err)
{
    int rc = sh_replay_width(&c->cols, n, err);
    uint32_t ref, probe;
    double score;
    if (!rc)
        rc = sh_replay_row(&ref, &probe, &score, f, lens, &c->cache[worker], &c->cols,
                           c->s->cfg, c->s->m, c->s->ids, err);
    if (rc)
        return rc;
    uint32_t lo = ref < probe ? ref : probe, hi = ref < probe ? probe : ref;
    uint64_t bit = lo == hi ? 0 : triangle_bit(lo, hi, c->s->m->n_items);
    int again = lo == hi ? test_and_set(c->self, lo) : test_and_set(c->bits, bit);
    if (again)
        return line ? scored_twice(c, ref, probe, line, err)
                    : sh_err_set(err, SH_E_INPUT, "a pair is scored twice");
    if (lo != hi && c->s->m->subject[lo] == c->s->m->subject[hi]) {
        c->genuine[genuine_index(c->pairs, lo, hi)] = score;
    } else if (c->s->m->subject[lo] != c->s->m->subject[hi]) {
        /* The pair's verify image as the run orders the pair (b: the later
         * image), whichever way round the row names it. */
        if (score == -INFINITY && note_no_score(c, worker, hi))
            return sh_err_nomem(err);
        hold(c, worker, bit, score);
        keep_sample(c, worker, lo, hi, score);
    }
    return 0;
}

static int check_parallel(void *ctx, unsigned worker, char **f, const size_t *lens, size_t n,
                          sh_err *err)
{
    return check(ctx, worker, f, lens, n, 0, err);
}

static int check_sequential(void *ctx, char **f, size_t n, size_t line, sh_err *err)
{
    checker *c = ctx;
    if (!c->header_seen) {
        c->header_seen = 1;
        return 0;
    }
    return check(c, 0, f, NULL, n, line, err);
}

/* Rows after the header that decide whether scores can be held. */
#define HELD_PROBE_ROWS 100

/* The header: the columns, or the message naming its line; then the first
 * rows' scores, to choose sh_replay_source.digits. */
typedef struct header_reader {
    sh_replay_source *s;
    int seen;
    size_t rows;
    size_t long_rows;          /* of them, scores of more than 9 places */
    double largest;            /* the largest magnitude among them */
} header_reader;

/* Whether a score has more than 9 decimal places: "0.1234567891" and
 * "1.23456e-05" do, "0.125", "1.5e-3" and "12" do not. */
static int long_places(const char *score)
{
    const char *dot = strchr(score, '.');
    const char *e = strpbrk(score, "eE");
    long places = dot ? (long)strcspn(dot + 1, "eE ") : 0;
    long shift = e ? strtol(e + 1, NULL, 10) : 0;
    /* Clamped, so no exponent a file can hold overflows the difference. */
    shift = shift < -1000 ? -1000 : shift > 1000 ? 1000 : shift;
    return places - shift > 9;
}

/* The places held scores count in (sh_replay_source.digits): as many as 9,
 * fewer where twice the first rows' largest score would not fit an int32
 * (room for a larger one later); -1 when the scores are not held: none of
 * the rows had one, or more than a tenth of them had more than 9 places
 * (full-precision doubles, "0.12345678901234567"), which would all be held
 * aside. */
static int held_digits(const header_reader *h)
{
    if (!h->rows || h->long_rows * 10 > h->rows || !(h->largest * 2 < 2147483647.0))
        return -1;
    int digits = 9;
    while (digits > 0 && h->largest * 2 * pow(10, digits) >= 2147483647.0)
        digits--;
    return digits;
}

static int header_row(void *ctx, char **f, size_t n, size_t line, sh_err *err)
{
    (void)line;
    header_reader *h = ctx;
    if (h->seen) {
        /* Read only for their scores; the checking read checks them later. */
        if ((size_t)h->s->col[2] < n && f[h->s->col[2]][0]) {
            const char *score = f[h->s->col[2]];
            double v = fabs(strtod(score, NULL));
            h->long_rows += long_places(score);
            h->largest = v > h->largest ? v : h->largest;
        }
        return ++h->rows == HELD_PROBE_ROWS ? SH_E_INTERNAL : 0;
    }
    const sh_cfg_scores *cfg = h->s->cfg;
    static const char *const keys[3] = {"reference", "probe", "score"};
    const char *names[3] = {cfg->reference, cfg->probe, cfg->score};
    sh_replay_columns cols = {0};
    int rc = sh_replay_header(&cols, f, n, names, "scores", keys, 0, err);
    if (rc)
        return rc;
    h->s->width = cols.n;
    memcpy(h->s->col, cols.col, sizeof cols.col);
    h->seen = 1;
    return 0;
}

/* Allocates the checker's bits (zeroed). */
static int bits_create(checker *c, size_t n_items)
{
    c->n_bits = (uint64_t)n_items * (n_items - 1) / 2;
    c->bits = calloc((size_t)(c->n_bits / 64 + 1), sizeof *c->bits);
    c->self = calloc(n_items / 64 + 1, sizeof *c->self);
    return c->bits && c->self ? 0 : -1;
}

static void bits_free(checker *c)
{
    free((void *)c->bits);
    free((void *)c->self);
    c->bits = c->self = NULL;
}

/* Reports the first pair of the run (genuine first, then impostors by
 * (a, b)) without a score, as sh_replay_scores does. */
static int missing_score(const checker *c, sh_err *err)
{
    uint64_t set = 0;
    for (uint64_t w = 0; w <= c->n_bits / 64; w++)
        set += (uint64_t)__builtin_popcountll(atomic_load_explicit(&c->bits[w],
                                                                   memory_order_relaxed));
    if (set == c->n_bits)
        return 0;
    uint64_t missing = c->n_bits - set;
    const sh_manifest *m = c->s->m;
    size_t n = m->n_items;
    sh_pair first = {0, 0};
    int found = 0;
    for (size_t k = 0; k < c->pairs->n_genuine && !found; k++) {
        sh_pair q = c->pairs->genuine[k];
        if (!test_bit(c->bits, triangle_bit(q.a, q.b, n))) {
            first = q;
            found = 1;
        }
    }
    for (uint32_t a = 0; a < n && !found; a++)
        for (uint32_t b = a + 1; b < n && !found; b++)
            if (m->subject[a] != m->subject[b] && !test_bit(c->bits, triangle_bit(a, b, n))) {
                first = (sh_pair){a, b};
                found = 1;
            }
    return sh_err_set(err, SH_E_INPUT,
                      "%s: no score for reference '%s' and probe '%s'; %llu pair%s of the run "
                      "%s no score",
                      c->s->cfg->file, m->image_id[first.a], m->image_id[first.b],
                      (unsigned long long)missing, missing == 1 ? "" : "s",
                      missing == 1 ? "has" : "have");
}

/* ---- the replays ---- */

/* One worker's batch being filled. */
typedef struct worker_batch {
    sh_replay_cache cache;
    sh_pair pair[BATCH];
    double score[BATCH];
    size_t n;
    uint64_t total;
} worker_batch;

typedef struct emitter {
    const sh_replay_source *s;
    sh_replay_columns cols;
    sh_score_sink sink;
    void *ctx;
    worker_batch *w;
} emitter;

/* Hands worker's batch b to the sink and empties it. */
static int batch_flush(worker_batch *b, sh_score_sink sink, void *ctx, unsigned worker,
                       sh_err *err)
{
    sh_score_batch batch = {.n = b->n, .pair = b->pair, .score = b->score};
    b->total += b->n;
    b->n = 0;
    return batch.n ? sink(ctx, worker, &batch, err) : 0;
}

/* Adds pair p's score to worker's batch b `times` times, handing each full
 * batch to the sink. */
static int batch_add(worker_batch *b, sh_pair p, double score, int times, sh_score_sink sink,
                     void *ctx, unsigned worker, sh_err *err)
{
    int rc = 0;
    for (int i = 0; i < times && !rc; i++) {
        b->pair[b->n] = p;
        b->score[b->n++] = score;
        if (b->n == BATCH)
            rc = batch_flush(b, sink, ctx, worker, err);
    }
    return rc;
}

static int flush(emitter *e, unsigned worker, sh_err *err)
{
    return batch_flush(&e->w[worker], e->sink, e->ctx, worker, err);
}

static int emit(void *ctx, unsigned worker, char **f, const size_t *lens, size_t n,
                sh_err *err)
{
    emitter *e = ctx;
    (void)n;
    uint32_t ref, probe;
    double score;
    int rc = sh_replay_row(&ref, &probe, &score, f, lens, &e->w[worker].cache, &e->cols,
                           e->s->cfg, e->s->m, e->s->ids, err);
    if (rc)
        return rc;
    const uint32_t *subject = e->s->m->subject;
    if (subject[ref] == subject[probe])
        return 0;   /* genuine, or an image against itself */
    return batch_add(&e->w[worker], sh_pair_of(ref, probe), score, 1, e->sink, e->ctx, worker,
                     err);
}

/* ---- replays of held scores ---- */

/* Rows of images handed to a thread at once: rows near the end are short. */
#define HELD_ROWS 16

typedef struct held_replay {
    const sh_replay_source *s;
    sh_score_sink sink;
    void *ctx;
    unsigned every;            /* 0: every impostor pair; else the sample of 1 in `every` */
    double scale;              /* 10^digits */
    worker_batch *w;
} held_replay;

/* The score held for pair `bit`. */
static double held_score(const held_replay *h, uint64_t bit)
{
    int32_t v = h->s->held[bit];
    if (v == SH_REPLAY_HELD_FAILED)
        return -INFINITY;
    if (v != SH_REPLAY_HELD_OTHER)
        return v / h->scale;
    size_t a = 0, b = h->s->n_other;
    while (a < b) {
        size_t mid = a + (b - a) / 2;
        if (h->s->other[mid].bit < bit)
            a = mid + 1;
        else
            b = mid;
    }
    return h->s->other[a].score;   /* there: it was put aside with its bit */
}

static int held_rows(void *ctx, unsigned worker, size_t begin, size_t end, sh_err *err)
{
    held_replay *h = ctx;
    const sh_manifest *m = h->s->m;
    uint64_t n = m->n_items;
    int rc = 0;
    for (uint32_t a = (uint32_t)begin; a < end && !rc; a++) {
        uint64_t first = a + 1 < n ? triangle_bit(a, a + 1, n) : 0;
        for (uint32_t b = a + 1; b < n && !rc; b++) {
            if (m->subject[a] == m->subject[b])
                continue;
            int times = !h->every ? 1 : (a % h->every == 0) + (b % h->every == 0);
            if (times)
                rc = batch_add(&h->w[worker], (sh_pair){a, b},
                               held_score(h, first + (b - a - 1)), times, h->sink, h->ctx,
                               worker, err);
        }
    }
    return rc;
}

/* Replays the held scores, or their sample of 1 in `every` items. */
static int held_replay_all(const sh_replay_source *s, unsigned every, sh_score_sink sink,
                           void *ctx, sh_err *err)
{
    const sh_score_source *base = &s->base;
    unsigned nw = base->workers ? base->workers : 1;
    held_replay h = {s, sink, ctx, every, pow(10, s->digits), calloc(nw, sizeof(worker_batch))};
    if (!h.w)
        return sh_err_nomem(err);
    int rc = sh_executor_for(base->executor, nw, s->m->n_items, HELD_ROWS, held_rows, &h, err);
    for (unsigned w = 0; w < nw && !rc; w++)
        rc = batch_flush(&h.w[w], sink, ctx, w, err);
    free(h.w);
    return rc;
}

static int file_replay(const sh_score_source *base, sh_score_sink sink, void *ctx, sh_err *err)
{
    /* Not const: the source counts its reads (sh_replay_source.reads). */
    sh_replay_source *s = (sh_replay_source *)base->self;
    if (s->held)
        return held_replay_all(s, 0, sink, ctx, err);
    unsigned nw = base->workers ? base->workers : 1;
    emitter e = {s, columns_of(s), sink, ctx, calloc(nw, sizeof(worker_batch))};
    if (!e.w)
        return sh_err_nomem(err);
    int rc = read_rows(s, emit, &e, err);
    uint64_t total = 0;
    for (unsigned w = 0; w < nw; w++) {
        if (!rc)
            rc = flush(&e, w, err);
        total += e.w[w].total;
    }
    free(e.w);
    if (rc && rc != SH_E_NOMEM) {
        sh_err why = *err;
        rc = sh_err_set(err, rc, "%s: %s", s->cfg->file, why.msg);
    }
    if (!rc && total != base->n)
        rc = sh_err_set(err, SH_E_INPUT, "%s: the scores file changed while it was read",
                        s->cfg->file);
    return rc;
}

/* The sample of 1 in `every` items: read from the file, kept for
 * another `every`. */
typedef struct sampler {
    emitter e;
    unsigned every;
} sampler;

static int emit_sampled(void *ctx, unsigned worker, char **f, const size_t *lens, size_t n,
                        sh_err *err)
{
    sampler *sm = ctx;
    emitter *e = &sm->e;
    (void)n;
    uint32_t ref, probe;
    double score;
    int rc = sh_replay_row(&ref, &probe, &score, f, lens, &e->w[worker].cache, &e->cols,
                           e->s->cfg, e->s->m, e->s->ids, err);
    if (rc || e->s->m->subject[ref] == e->s->m->subject[probe])
        return rc;
    uint32_t lo = ref < probe ? ref : probe, hi = ref < probe ? probe : ref;
    int k = (lo % sm->every == 0) + (hi % sm->every == 0);
    return batch_add(&e->w[worker], (sh_pair){lo, hi}, score, k, e->sink, e->ctx, worker, err);
}

typedef struct kept_replay {
    const sample_part *part;
    sh_score_sink sink;
    void *ctx;
} kept_replay;

static int kept_block(void *ctx, unsigned worker, size_t begin, size_t end, sh_err *err)
{
    const kept_replay *k = ctx;
    sh_score_batch b = {.n = end - begin, .pair = k->part->pair + begin,
                        .score = k->part->score + begin};
    return k->sink(k->ctx, worker, &b, err);
}

static int file_sample(const sh_score_source *base, unsigned every, sh_score_sink sink,
                       void *ctx, sh_err *err)
{
    sh_replay_source *s = (sh_replay_source *)base->self;
    if (s->held)
        return every ? held_replay_all(s, every, sink, ctx, err) : 0;
    unsigned nw = base->workers ? base->workers : 1;
    if (every && every == s->sample_every) {
        int rc = 0;
        for (unsigned p = 0; p < s->n_parts && !rc; p++) {
            kept_replay k = {&s->part[p], sink, ctx};
            rc = sh_executor_for(base->executor, nw, s->part[p].n, BATCH, kept_block, &k, err);
        }
        return rc;
    }
    if (!every)
        return 0;
    sampler sm = {{s, columns_of(s), sink, ctx, calloc(nw, sizeof(worker_batch))}, every};
    if (!sm.e.w)
        return sh_err_nomem(err);
    int rc = read_rows(s, emit_sampled, &sm, err);
    for (unsigned w = 0; w < nw && !rc; w++)
        rc = flush(&sm.e, w, err);
    free(sm.e.w);
    return rc;
}

int sh_replay_all_pairs(sh_replay_source *out, double *out_genuine, const sh_cfg_scores *cfg,
                        const sh_manifest *m, const sh_pairs *pairs, sh_executor *ex,
                        sh_err *err)
{
    memset(out, 0, sizeof *out);
    out->base = (sh_score_source){.n = pairs->impostor_total,
                                  .workers = sh_executor_threads(ex),
                                  .executor = ex,
                                  .replay = file_replay,
                                  .sample = file_sample,
                                  .self = out};
    out->cfg = cfg;
    out->m = m;
    out->ids = sh_str_index_create((const char *const *)m->image_id, m->n_items);
    if (!out->ids)
        return sh_err_nomem(err);
    header_reader h = {out, 0, 0, 0, 0};
    int rc = sh_csv_read_fast(cfg->file, "scores file", header_row, &h, err);
    if (h.seen)
        rc = 0;   /* a bad first row is worded by the checking read, in its place */
    else if (!rc)
        rc = sh_err_set(err, SH_E_INPUT, "%s:1: empty file, expected a header row", cfg->file);
    unsigned nw = out->base.workers ? out->base.workers : 1;
    checker c = {out, columns_of(out), pairs, out_genuine, NULL, NULL, 0, 0,
                 calloc(nw, sizeof(sh_replay_cache)), NULL, nw, 0, NULL, 1.0, 0, NULL, 0, 0, NULL};
    if (!rc && (!c.cache || bits_create(&c, m->n_items)))
        rc = sh_err_nomem(err);
    /* Scores held need no sample: it is read from them. Without them the
     * sample is kept, or the read would be one more. */
    int digits = held_digits(&h);
    out->digits = digits < 0 ? 0 : (unsigned)digits;
    if (!rc && digits >= 0 && c.n_bits <= SH_REPLAY_HELD_MAX_BYTES / sizeof(int32_t))
        c.held = sh_huge_alloc((size_t)c.n_bits * sizeof(int32_t));
    c.scale = pow(10, out->digits);
    c.other_max = other_max(c.n_bits);
    if (!rc && c.held && !(c.other = calloc(nw, sizeof(other_part))))
        rc = sh_err_nomem(err);
    if (!rc && !(c.no_score = calloc(nw, sizeof(no_score_part))))
        rc = sh_err_nomem(err);
    if (!rc && !c.held && !(c.sample = calloc(nw, sizeof(sample_part))))
        rc = sh_err_nomem(err);
    int parallel = !rc;
    if (parallel)
        rc = read_rows(out, check_parallel, &c, err);
    if (parallel && rc && rc != SH_E_NOMEM && rc != SH_E_IO) {
        /* Word the first error in file order, with its line, as a
         * single reader meets it. */
        bits_free(&c);
        sample_keep(&c, out, nw);   /* no sample is kept for a run that fails */
        sh_err again = {0};
        int seq = bits_create(&c, m->n_items)
                      ? sh_err_nomem(&again)
                      : sh_csv_read_fast(cfg->file, "scores file", check_sequential, &c, &again);
        if (seq)
            *err = again;
        rc = seq ? seq : rc;
    }
    if (!rc)
        rc = missing_score(&c, err);
    if (no_score_keep(&c, out) && !rc)
        rc = sh_err_nomem(err);
    bits_free(&c);
    free(c.cache);
    if (!rc && c.held && !atomic_load(&c.held_off) && others_keep(&c, out) == 0) {
        out->held = c.held;
        out->sample_every = SAMPLE_EVERY;
    } else {
        free(c.held);
    }
    others_free(&c);
    sample_keep(&c, out, nw);
    /* Without a kept sample, reading one would cost a pass: pass 1 then
     * counts and pass 2 refines, as many reads as a sample and pass 1. */
    if (!out->sample_every)
        out->base.sample = NULL;
    if (rc)
        sh_replay_source_close(out);
    return rc;
}

void sh_replay_source_close(sh_replay_source *src)
{
    free(src->held);
    free(src->other);
    free(src->no_score);
    src->held = NULL;
    src->other = NULL;
    src->no_score = NULL;
    src->n_other = 0;
    src->n_no_score = 0;
    sh_str_index_destroy(src->ids);
    for (unsigned p = 0; p < src->n_parts; p++) {
        free(src->part[p].pair);
        free(src->part[p].score);
    }
    free(src->part);
    src->ids = NULL;
    src->part = NULL;
    src->n_parts = 0;
    src->sample_every = 0;
}
