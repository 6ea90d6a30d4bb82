#include "impostor_stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Values and hits one worker may keep in pass 1 (16 bytes or more each)
 * before it gives up sparing pass 2: memory stays bounded whatever the
 * prediction. */
#define KEEP_CAP ((size_t)1 << 22)

/* What one sink worker fills. */
typedef struct worker_part {
    sh_score_hist *stream;   /* n_streams */
    sh_impostor_hit *hits;
    size_t n_hits, cap_hits;
    size_t n_kept;               /* pass 1: values kept */
    uint64_t seen;               /* scores this worker took */
    int overflow;                /* pass 1: stopped keeping at KEEP_CAP */
} worker_part;

/* What a pass does with each score. */
enum { COUNT, REFINE, COUNT_AND_KEEP };

typedef struct pass {
    sh_impostors *s;
    sh_progress *progress;
    worker_part *w;
    int mode;
    uint32_t hit_bin;
    uint32_t *cell;      /* per partition, ng x ng: the stream of groups (i, j) */
    size_t *cell_at;     /* per partition: its table's start in cell */
    uint32_t keep_lo;    /* the lowest bin of s->kept (COUNT_AND_KEEP) or of
                            s->window (REFINE); UINT32_MAX: none */
} pass;

static size_t cells(size_t n_groups)
{
    return n_groups * (n_groups + 1) / 2;
}

/* The stream of the cell of groups i and j (either order) of partition p. */
static size_t cell_stream(const sh_impostors *s, size_t p, size_t i, size_t j)
{
    size_t ng = s->groups->partitions[p].n_groups;
    if (i > j) {
        size_t t = i;
        i = j;
        j = t;
    }
    /* Row i of the upper triangle starts after rows 0..i-1 of ng, ng-1, ... cells. */
    return s->offset[p] + i * ng - i * (i - 1) / 2 + (j - i);
}

sh_score_hist *sh_impostors_cell(const sh_impostors *s, size_t p, size_t i, size_t j)
{
    return &s->stream[p == SIZE_MAX ? 0 : cell_stream(s, p, i, j)];
}

static int add_hit(worker_part *w, const sh_pair *pr, double score)
{
    if (w->n_hits == w->cap_hits) {
        size_t cap = w->cap_hits ? w->cap_hits * 2 : 1024;
        sh_impostor_hit *h = realloc(w->hits, cap * sizeof *h);
        if (!h)
            return -1;
        w->hits = h;
        w->cap_hits = cap;
    }
    w->hits[w->n_hits++] = (sh_impostor_hit){*pr, score};
    return 0;
}

/* Counts a score of bin b into h, all but h->n: a worker's n is recounted
 * from its bins when the pass ends (recount), so consecutive scores of one
 * cell do not wait on each other's store. Returns 0, or -1 when out of
 * memory. */
static inline int add_bin(sh_score_hist *h, uint32_t b)
{
    uint64_t *blk = h->block[b / SH_HIST_SUB];
    if (!blk) {
        if (sh_hist_touch(h, b))
            return -1;
        blk = h->block[b / SH_HIST_SUB];
    }
    blk[b % SH_HIST_SUB]++;
    return 0;
}

/* Sets h->n to the sum of its bins' counts. */
static void recount(sh_score_hist *h)
{
    uint64_t n = 0;
    for (size_t i = 0; i < SH_HIST_BLOCKS; i++)
        for (size_t j = 0; h->block[i] && j < SH_HIST_SUB; j++)
            n += h->block[i][j];
    h->n = n;
}

/* Scores a sink call takes at a time: their bins and cells in L1. */
#define SINK_CHUNK 256

/* Pass 1: counts m scores (bins b, streams cell; NULL: stream 0), adds
 * their sums (keys `key`; where the pass keeps sums) to stream 0 (cell
 * NULL) or to the cells of one group (diag[k]: only "all" and each group's
 * own cell need them) and, with a prediction, keeps those whose bins were
 * predicted, until the worker's cap. The counts first, in a loop of their
 * own, so the cache misses of independent increments overlap; consecutive
 * sums go to different lanes. Returns 0, or -1 when out of memory. */
static int count_chunk(const pass *ps, worker_part *w, const double *sc, const uint32_t *b,
                       const uint64_t *key, const uint32_t *cell, const uint8_t *diag, size_t m)
{
    int bad = 0;
    for (size_t k = 0; k < m; k++)
        bad |= add_bin(&w->stream[cell ? cell[k] : 0], b[k]);
    for (size_t k = 0; ps->s->moments && !bad && k < m; k++) {
        if (cell && !diag[k])
            continue;
        uint64_t *blk = w->stream[cell ? cell[k] : 0].block[b[k] / SH_HIST_SUB];
        sh_hist_add_moments(SH_HIST_LANE(blk, k % SH_HIST_LANES), key[k]);
    }
    const sh_score_window *kept = &ps->s->kept;
    for (size_t k = 0; ps->mode == COUNT_AND_KEEP && !bad && k < m; k++)
        if (!w->overflow && b[k] >= ps->keep_lo && sh_window_has(kept, b[k])) {
            w->overflow = ++w->n_kept + w->n_hits > KEEP_CAP;
            bad = sh_hist_keep_slow(&w->stream[cell ? cell[k] : 0], sc[k]);
        }
    return bad;
}

/* Pass 2: keeps each of m scores whose bin is in the window. */
static int refine_chunk(const pass *ps, worker_part *w, const double *sc, const uint32_t *b,
                        const uint32_t *cell, size_t m)
{
    const sh_score_window *win = &ps->s->window;
    for (size_t k = 0; k < m; k++)
        if (b[k] >= ps->keep_lo && sh_window_has(win, b[k]) &&
            sh_hist_keep_slow(&w->stream[cell ? cell[k] : 0], sc[k]))
            return -1;
    return 0;
}

/* Part of a batch: m scores, each with its pair (pr) or, where pr is
 * NULL, a row's: the pair of item `row` and item col0 + k. */
typedef struct chunk {
    const double *sc;
    const sh_pair *pr;
    uint32_t row, col0;
    size_t m;
} chunk;

static sh_pair chunk_pair(const chunk *c, size_t k)
{
    if (c->pr)
        return c->pr[k];
    return sh_pair_of(c->row, c->col0 + (uint32_t)k);
}

/* The streams of c's scores in partition p (and, with diag, whether each
 * is in a group's own cell). A row looks its own group up once. */
static void chunk_cells(uint32_t *cell, uint8_t *diag, const pass *ps, size_t p,
                        const chunk *c)
{
    const sh_partition *part = &ps->s->groups->partitions[p];
    const uint32_t *table = ps->cell + ps->cell_at[p];
    const int32_t *ig = part->item_group;
    size_t ng = part->n_groups, m = c->m;
    if (!c->pr) {
        int32_t ga = ig[c->row];
        const int32_t *gb = ig + c->col0;
        const uint32_t *trow = table + (size_t)ga * ng;
        for (size_t k = 0; k < m; k++)
            cell[k] = trow[gb[k]];
        for (size_t k = 0; diag && k < m; k++)
            diag[k] = gb[k] == ga;
        return;
    }
    for (size_t k = 0; k < m; k++) {
        int32_t ga = ig[c->pr[k].a], gb = ig[c->pr[k].b];
        cell[k] = table[(size_t)ga * ng + (size_t)gb];
        if (diag)
            diag[k] = ga == gb;
    }
}

/* Counts, keeps or refines the scores of one chunk. Returns 0, or -1 when
 * out of memory. */
static int sink_chunk(const pass *ps, worker_part *w, const chunk *c)
{
    const sh_groups *g = ps->s->groups;
    size_t np = g->n_partitions, m = c->m;
    const double *sc = c->sc;
    uint32_t bin[SINK_CHUNK], cell[SINK_CHUNK];
    uint64_t key[SINK_CHUNK];
    uint8_t diag[SINK_CHUNK];
    int bad = 0, sums = ps->s->moments && ps->mode != REFINE;
    if (sums)
        for (size_t k = 0; k < m; k++) {
            key[k] = sh_score_key(sc[k]);
            bin[k] = (uint32_t)(key[k] >> SH_HIST_SHIFT);
        }
    else
        for (size_t k = 0; k < m; k++)
            bin[k] = sh_score_bin(sc[k]);
    for (size_t k = 0; ps->mode != COUNT && ps->hit_bin != UINT32_MAX && k < m; k++)
        if (!w->overflow && bin[k] >= ps->hit_bin) {
            sh_pair pr = chunk_pair(c, k);
            bad |= add_hit(w, &pr, sc[k]);
            if (ps->mode == COUNT_AND_KEEP)
                w->overflow = w->n_kept + w->n_hits > KEEP_CAP;
        }
    /* With partitions, "all" counts the sum of the first one's cells,
     * and its sums are added here; without, every score goes to
     * stream 0. */
    for (size_t k = 0; np && sums && !bad && k < m; k++) {
        sh_score_hist *all = &w->stream[0];
        if (!all->block[bin[k] / SH_HIST_SUB] && sh_hist_touch(all, bin[k]))
            bad = 1;
        else
            sh_hist_add_moments(SH_HIST_LANE(all->block[bin[k] / SH_HIST_SUB],
                                             k % SH_HIST_LANES),
                                key[k]);
    }
    for (size_t p = 0; p < (np ? np : 1) && !bad; p++) {
        if (np)
            chunk_cells(cell, sums ? diag : NULL, ps, p, c);
        bad = ps->mode == REFINE ? refine_chunk(ps, w, sc, bin, np ? cell : NULL, m)
                                 : count_chunk(ps, w, sc, bin, key, np ? cell : NULL, diag, m);
    }
    return bad;
}

static int sink(void *ctx, unsigned worker, const sh_score_batch *batch, sh_err *err)
{
    const pass *ps = ctx;
    worker_part *w = &ps->w[worker];
    size_t total = batch->pair ? batch->n : batch->span;
    sh_pair pairs[SINK_CHUNK];
    double scores[SINK_CHUNK];
    int bad = 0;
    for (size_t k0 = 0; k0 < total && !bad; k0 += SINK_CHUNK) {
        chunk c = {batch->score + k0, batch->pair ? batch->pair + k0 : NULL, batch->row,
                   batch->col0 + (uint32_t)k0, total - k0 < SINK_CHUNK ? total - k0 : SINK_CHUNK};
        size_t none = 0;
        if (!c.pr && batch->n < batch->span)
            for (size_t k = 0; k < c.m; k++)
                none += isnan(c.sc[k]) != 0;
        if (none) {
            /* A row's entries that are no pair (its own subject's items,
             * a handful a row): the rest as pairs. */
            size_t n = 0;
            for (size_t k = 0; k < c.m; k++)
                if (!isnan(c.sc[k])) {
                    pairs[n] = chunk_pair(&c, k);
                    scores[n++] = c.sc[k];
                }
            c = (chunk){scores, pairs, 0, 0, n};
        }
        bad = sink_chunk(ps, w, &c);
    }
    if (bad)
        return sh_err_nomem(err);
    sh_progress_add(ps->progress, batch->n);
    w->seen += batch->n;
    return 0;
}

/* The pass's table of cells: every partition's ng x ng streams. Returns 0
 * or -1. */
static int cell_table(pass *ps)
{
    const sh_impostors *s = ps->s;
    const sh_groups *g = s->groups;
    size_t total = 0;
    ps->cell_at = malloc((g->n_partitions + 1) * sizeof *ps->cell_at);
    for (size_t p = 0; ps->cell_at && p < g->n_partitions; p++) {
        ps->cell_at[p] = total;
        total += g->partitions[p].n_groups * g->partitions[p].n_groups;
    }
    ps->cell = malloc((total ? total : 1) * sizeof *ps->cell);
    if (!ps->cell_at || !ps->cell)
        return -1;
    for (size_t p = 0; p < g->n_partitions; p++) {
        size_t ng = g->partitions[p].n_groups;
        for (size_t i = 0; i < ng; i++)
            for (size_t j = 0; j < ng; j++)
                ps->cell[ps->cell_at[p] + i * ng + j] = (uint32_t)cell_stream(s, p, i, j);
    }
    return 0;
}

static int cmp_hit(const void *x, const void *y)
{
    const sh_impostor_hit *p = x, *q = y;
    if (p->pair.a != q->pair.a)
        return p->pair.a < q->pair.a ? -1 : 1;
    if (p->pair.b != q->pair.b)
        return p->pair.b < q->pair.b ? -1 : 1;
    return (p->score > q->score) - (p->score < q->score);
}

/* Appends w's hits to *hits (of *n_hits, room *cap, growing it by half
 * again as much as it needs). Returns 0, or -1 when out of memory. */
static int append_hits(sh_impostor_hit **hits, size_t *n_hits, size_t *cap,
                       const worker_part *w)
{
    if (*n_hits + w->n_hits > *cap) {
        size_t room = (*n_hits + w->n_hits) * 2;
        sh_impostor_hit *h = realloc(*hits, room * sizeof *h);
        if (!h)
            return -1;
        *hits = h;
        *cap = room;
    }
    if (w->n_hits)
        memcpy(*hits + *n_hits, w->hits, w->n_hits * sizeof **hits);
    *n_hits += w->n_hits;
    return 0;
}

/* Adds one part to s: its streams, and "all" the cells of the first
 * partition (each score is in exactly one); its hits are appended to
 * *hits (of *n_hits, room *cap). Returns 0, or -1 when out of memory. */
static int merge_part(sh_impostors *s, const worker_part *w, sh_impostor_hit **hits,
                      size_t *n_hits, size_t *cap)
{
    for (size_t i = 0; i < s->n_streams; i++)
        if (sh_hist_merge(&s->stream[i], &w->stream[i]))
            return -1;
    size_t first = s->groups->n_partitions ? s->offset[0] : s->n_streams;
    size_t last = s->groups->n_partitions > 1 ? s->offset[1] : s->n_streams;
    for (size_t i = first; i < last; i++)
        if (sh_hist_merge_counts(&s->stream[0], &w->stream[i]))
            return -1;
    s->overflow |= w->overflow;
    return append_hits(hits, n_hits, cap, w);
}

static void part_clear(worker_part *w, size_t n_streams)
{
    for (size_t i = 0; w->stream && i < n_streams; i++)
        sh_hist_clear(&w->stream[i]);
    free(w->stream);
    free(w->hits);
    memset(w, 0, sizeof *w);
}

/* Words of a block of h: its counts, and its sums where it keeps them. */
static size_t hist_block_words(const sh_score_hist *h)
{
    return h->no_sums ? SH_HIST_SUB : SH_HIST_BLOCK_WORDS;
}

/* Writes h's count, its number of touched blocks, then each block's index
 * and its `per` words at p; returns the end. */
static uint64_t *pack_blocks(uint64_t *p, const sh_score_hist *h, size_t per)
{
    uint64_t *n_blocks = &p[1];
    p[0] = h->n;
    *n_blocks = 0;
    p += 2;
    for (size_t b = 0; b < SH_HIST_BLOCKS; b++)
        if (h->block[b]) {
            *p++ = b;
            memcpy(p, h->block[b], per * sizeof *p);
            p += per;
            ++*n_blocks;
        }
    return p;
}

/* Reads back into h (empty, its kind set) what pack_blocks wrote at *p
 * (words up to end), moving *p past it: 0, -1 when the words do not fit
 * (a block twice, out of range, cut short), -2 when out of memory. */
static int unpack_blocks(sh_score_hist *h, const uint64_t **p, const uint64_t *end,
                         size_t per)
{
    const uint64_t *q = *p;
    if (end - q < 2)
        return -1;
    h->n = *q++;
    for (uint64_t k = 0, n_blocks = *q++; k < n_blocks; k++) {
        if ((size_t)(end - q) < 1 + per || *q >= SH_HIST_BLOCKS || h->block[*q])
            return -1;
        uint32_t b = (uint32_t)*q++;
        if (sh_hist_touch(h, b * SH_HIST_SUB))
            return -2;
        memcpy(h->block[b], q, per * sizeof *q);
        q += per;
    }
    *p = q;
    return 0;
}

/* A part as uint64 words, for another rank: per stream its count, its
 * blocks (number, then each block's index and words) and its kept values;
 * then its hits, values kept and overflow. *out is malloc'd. */
static int part_pack(uint64_t **out, size_t *out_words, const worker_part *w, size_t n_streams)
{
    size_t words = 3 + 2 * w->n_hits;
    for (size_t i = 0; i < n_streams; i++) {
        const sh_score_hist *h = &w->stream[i];
        words += 3 + h->n_window;
        for (size_t b = 0; b < SH_HIST_BLOCKS; b++)
            words += h->block[b] ? 1 + hist_block_words(h) : 0;
    }
    uint64_t *p = malloc(words * sizeof *p);
    if (!(*out = p))
        return -1;
    for (size_t i = 0; i < n_streams; i++) {
        const sh_score_hist *h = &w->stream[i];
        p = pack_blocks(p, h, hist_block_words(h));
        *p++ = h->n_window;
        if (h->n_window)
            memcpy(p, h->window, h->n_window * sizeof *p);
        p += h->n_window;
    }
    *p++ = w->n_hits;
    if (w->n_hits)
        memcpy(p, w->hits, w->n_hits * sizeof *w->hits);
    p += 2 * w->n_hits;
    *p++ = w->n_kept;
    *p++ = (uint64_t)w->overflow;
    *out_words = words;
    return 0;
}

/* The part another rank packed (its streams of s's kind) into w, zeroed.
 * Returns 0, -1 when the words do not fit, or -2 when out of memory. */
static int part_unpack(worker_part *w, const sh_impostors *s, const uint64_t *p, size_t words)
{
    const uint64_t *end = p + words;
    if (!(w->stream = calloc(s->n_streams, sizeof *w->stream)))
        return -2;
    for (size_t i = 0; i < s->n_streams; i++) {
        sh_score_hist *h = &w->stream[i];
        h->no_sums = !s->moments;
        int bad = unpack_blocks(h, &p, end, hist_block_words(h));
        if (bad)
            return bad;
        if (end - p < 1 || (uint64_t)(end - p - 1) < *p)
            return -1;
        h->n_window = h->cap_window = *p++;
        if (h->n_window && !(h->window = malloc(h->n_window * sizeof *h->window)))
            return -2;
        if (h->n_window)
            memcpy(h->window, p, h->n_window * sizeof *p);
        p += h->n_window;
    }
    if (end - p < 1 || (uint64_t)(end - p - 1) / 2 < *p)
        return -1;
    w->n_hits = w->cap_hits = *p++;
    if (w->n_hits && !(w->hits = malloc(w->n_hits * sizeof *w->hits)))
        return -2;
    if (w->n_hits)
        memcpy(w->hits, p, w->n_hits * sizeof *w->hits);
    p += 2 * w->n_hits;
    if (end - p != 2)
        return -1;
    w->n_kept = *p++;
    w->overflow = (int)*p;
    return 0;
}

/* Merges the parts of every rank into s, in rank order: this rank's
 * (mine) and the others', sent across; rc is this rank's status so far,
 * shared with the rest (ranks.h). Merging is exact in any order
 * (score_hist.h), so s is what one process would hold. */
static int merge_ranks(sh_impostors *s, sh_ranks *ranks, const worker_part *mine,
                       sh_impostor_hit **hits, size_t *n_hits, size_t *cap, int rc,
                       sh_err *err)
{
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    uint64_t *packed = NULL;
    size_t words = 0;
    void *all = NULL;
    const uint64_t *lens;
    if (!rc && part_pack(&packed, &words, mine, s->n_streams))
        rc = sh_err_nomem(err);
    rc = sh_ranks_allgather(&all, &lens, ranks, rc, packed, words * sizeof *packed, err);
    free(packed);
    /* Every part is whole words, so each starts aligned in the malloc'd all. */
    const uint64_t *at = all;
    for (unsigned k = 0; !rc && k < sh_ranks_size(ranks); k++) {
        worker_part other = {0};
        const worker_part *part = mine;
        if (k != sh_ranks_rank(ranks)) {
            int bad = lens[k] % sizeof *at ? -1 : part_unpack(&other, s, at, lens[k] / sizeof *at);
            if (bad == -2)
                rc = sh_err_nomem(err);
            else if (bad)
                rc = sh_err_set(err, SH_E_INTERNAL,
                                    "impostor scores: rank %u's counts could not be read", k);
            part = &other;
        }
        if (!rc && merge_part(s, part, hits, n_hits, cap))
            rc = sh_err_nomem(err);
        part_clear(&other, s->n_streams);
        at += lens[k] / sizeof *at;
    }
    free(all);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    sh_ranks_note_merge(ranks, (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) * 1e-9);
    return rc;
}

/* Pass 1 that kept values under MPI: where any rank's worker stopped
 * keeping (KEEP_CAP), pass 2 is due whatever the others kept, so no rank
 * sends its kept values and pairs; only the counts cross. rc is this
 * rank's status so far. */
static int drop_kept_if_any_overflowed(worker_part *w, unsigned nw, size_t n_streams,
                                       sh_ranks *ranks, int rc, sh_err *err)
{
    uint8_t mine = 0, *any = NULL;
    for (unsigned k = 0; w && k < nw; k++)
        mine |= (uint8_t)w[k].overflow;
    rc = sh_ranks_allgather((void **)&any, NULL, ranks, rc, &mine, 1, err);
    uint8_t over = 0;
    for (unsigned k = 0; !rc && k < sh_ranks_size(ranks); k++)
        over |= any[k];
    for (unsigned k = 0; !rc && over && k < nw; k++) {
        for (size_t i = 0; i < n_streams; i++)
            w[k].stream[i].n_window = 0;
        w[k].n_hits = 0;
        w[k].overflow = 1;
    }
    free(any);
    return rc;
}

/* Replays src into per-worker parts, then merges them into s in worker
 * order; where src splits its replays across ranks, each rank first sums
 * its workers' parts into one and the ranks share those. */
static int run_pass(sh_impostors *s, const sh_score_source *src, int mode,
                    uint32_t hit_bin, unsigned sample_every, sh_progress *progress,
                    sh_err *err)
{
    unsigned nw = src->workers ? src->workers : 1;
    worker_part *w = calloc(nw, sizeof *w);
    int rc = w ? 0 : sh_err_nomem(err);
    for (unsigned k = 0; !rc && k < nw; k++)
        if (!(w[k].stream = calloc(s->n_streams, sizeof *w[k].stream)))
            rc = sh_err_nomem(err);
        else
            for (size_t i = 0; i < s->n_streams; i++)
                w[k].stream[i].no_sums = !s->moments;
    pass ps = {s, progress, w, mode, hit_bin, NULL, NULL,
               sh_window_lowest(mode == REFINE ? &s->window : &s->kept)};
    if (!rc && cell_table(&ps))
        rc = sh_err_nomem(err);
    if (!rc)
        rc = sample_every ? src->sample(src, sample_every, sink, &ps, err)
                          : src->replay(src, sink, &ps, err);
    for (unsigned k = 0; !rc && mode != REFINE && k < nw; k++)
        for (size_t i = 0; i < s->n_streams; i++)
            recount(&w[k].stream[i]);
    sh_impostor_hit *hits = NULL;
    size_t n_hits = 0, cap = 0;
    if (sh_ranks_size(src->ranks) > 1 && mode == COUNT_AND_KEEP)
        rc = drop_kept_if_any_overflowed(w, nw, s->n_streams, src->ranks, rc, err);
    if (sh_ranks_size(src->ranks) > 1) {
        /* This rank's workers as one part (w[0]), then every rank's. */
        for (unsigned k = 1; !rc && k < nw; k++) {
            for (size_t i = 0; !rc && i < s->n_streams; i++)
                if (sh_hist_merge(&w[0].stream[i], &w[k].stream[i]))
                    rc = sh_err_nomem(err);
            if (!rc && append_hits(&w[0].hits, &w[0].n_hits, &w[0].cap_hits, &w[k]))
                rc = sh_err_nomem(err);
            w[0].n_kept += w[k].n_kept;
            w[0].overflow |= w[k].overflow;
        }
        rc = merge_ranks(s, src->ranks, w ? &w[0] : NULL, &hits, &n_hits, &cap, rc, err);
        /* Progress counted this rank's scores; the others' are done too. */
        uint64_t seen = 0;
        for (unsigned k = 0; !rc && !sample_every && k < nw; k++)
            seen += w[k].seen;
        if (!rc && !sample_every && seen < src->n)
            sh_progress_add(progress, src->n - seen);
    } else {
        for (unsigned k = 0; !rc && k < nw; k++)
            if (merge_part(s, &w[k], &hits, &n_hits, &cap))
                rc = sh_err_nomem(err);
    }
    if (!rc && n_hits) {
        /* Workers split the pairs by scheduling; sorted, the list is the same every run. */
        s->hits = hits;
        s->n_hits = n_hits;
        hits = NULL;
        qsort(s->hits, s->n_hits, sizeof *s->hits, cmp_hit);
    }
    free(hits);
    for (unsigned k = 0; w && k < nw; k++)
        part_clear(&w[k], s->n_streams);
    free(w);
    free(ps.cell);
    free(ps.cell_at);
    return rc;
}

/* An empty accumulator over the partitions of g. */
static sh_impostors *impostors_new(const sh_groups *g)
{
    sh_impostors *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->groups = g;
    s->offset = calloc(g->n_partitions + 1, sizeof *s->offset);
    s->n_streams = 1;
    for (size_t p = 0; s->offset && p < g->n_partitions; p++) {
        s->offset[p] = s->n_streams;
        s->n_streams += cells(g->partitions[p].n_groups);
    }
    s->stream = calloc(s->n_streams, sizeof *s->stream);
    if (!s->offset || !s->stream) {
        sh_impostors_destroy(s);
        return NULL;
    }
    return s;
}

/* Ends pass 1: indexes every stream and checks n scores came. */
static int end_count(sh_impostors *s, uint64_t n, sh_err *err)
{
    for (size_t i = 0; i < s->n_streams; i++)
        if (sh_hist_index(&s->stream[i]))
            return sh_err_nomem(err);
    if (s->stream[0].n != n)
        return sh_err_set(err, SH_E_INTERNAL,
                              "impostor scores: %llu handed over where %llu pairs were planned",
                              (unsigned long long)s->stream[0].n, (unsigned long long)n);
    return 0;
}

int sh_impostors_count(sh_impostors **out, const sh_groups *g,
                           const sh_score_source *src, sh_score_window *keep,
                           uint32_t hit_bin, int moments, sh_progress *progress, sh_err *err)
{
    *out = NULL;
    sh_impostors *s = impostors_new(g);
    if (!s) {
        if (keep)
            sh_window_clear(keep);
        return sh_err_nomem(err);
    }
    s->moments = moments;
    for (size_t i = 0; i < s->n_streams; i++)
        s->stream[i].no_sums = !moments;
    s->kept_hit_bin = UINT32_MAX;
    if (keep) {
        s->kept = *keep;
        s->kept_hit_bin = hit_bin;
        memset(keep, 0, sizeof *keep);
    }
    int rc = run_pass(s, src, keep ? COUNT_AND_KEEP : COUNT, s->kept_hit_bin, 0, progress, err);
    if (!rc)
        rc = end_count(s, src->n, err);
    if (rc) {
        sh_impostors_destroy(s);
        return rc;
    }
    *out = s;
    return 0;
}

int sh_impostors_sample(sh_impostors **out, const sh_groups *g,
                            const sh_score_source *src, unsigned every, sh_err *err)
{
    *out = NULL;
    sh_impostors *s = impostors_new(g);
    int rc = s ? run_pass(s, src, COUNT, UINT32_MAX, every, NULL, err) : sh_err_nomem(err);
    if (!rc)
        rc = end_count(s, s->stream[0].n, err);
    if (rc) {
        sh_impostors_destroy(s);
        return rc;
    }
    *out = s;
    return 0;
}

int sh_impostors_settle(sh_impostors *s, uint32_t hit_bin, sh_err *err)
{
    int settled = !s->overflow && s->kept.n_bins && hit_bin >= s->kept_hit_bin &&
                  sh_window_within(&s->window, &s->kept);
    for (size_t i = 0; i < s->n_streams; i++) {
        if (settled)
            sh_hist_keep_only(&s->stream[i], &s->window);
        else
            s->stream[i].n_window = 0;
    }
    size_t kept = 0;
    for (size_t k = 0; settled && k < s->n_hits; k++)
        if (sh_score_bin(s->hits[k].score) >= hit_bin)
            s->hits[kept++] = s->hits[k];
    s->n_hits = kept;
    if (!kept) {
        free(s->hits);
        s->hits = NULL;
    }
    sh_window_clear(&s->kept);
    for (size_t i = 0; settled && i < s->n_streams; i++)
        if (sh_hist_seal(&s->stream[i], &s->window))
            return sh_err_set(err, SH_E_INTERNAL,
                                  "impostor scores: pass 1 kept a bin only in part");
    return settled;
}

/* Packed counts: n_streams, then per stream its count, its number of
 * blocks, and each block's number and SH_HIST_SUB counts; uint64s. */
/* Words a block of s's streams holds: counts, and sums where pass 1 kept them. */
static size_t block_words(const sh_impostors *s)
{
    return s->moments ? SH_HIST_BLOCK_WORDS : SH_HIST_SUB;
}

/* The packed counts' first word: their layout's version ("SHIC", then 2:
 * each block's exact sums joined the counts, after whether pass 1 kept
 * them). */
#define PACK_MAGIC UINT64_C(0x5348494300000002)

int sh_impostors_pack(void **out, size_t *out_len, const sh_impostors *s,
                          sh_err *err)
{
    size_t words = 3, per_block = block_words(s);
    for (size_t i = 0; i < s->n_streams; i++) {
        words += 2;
        for (size_t b = 0; b < SH_HIST_BLOCKS; b++)
            words += s->stream[i].block[b] ? 1 + per_block : 0;
    }
    uint64_t *w = malloc(words * sizeof *w), *p = w;
    if (!w)
        return sh_err_nomem(err);
    *p++ = PACK_MAGIC;
    *p++ = (uint64_t)s->moments;
    *p++ = s->n_streams;
    for (size_t i = 0; i < s->n_streams; i++)
        p = pack_blocks(p, &s->stream[i], per_block);
    *out = w;
    *out_len = words * sizeof *w;
    return 0;
}

/* Fills s's streams from packed words; -1 when they do not fit s. */
static int unpack_streams(sh_impostors *s, const uint64_t *p, size_t words)
{
    const uint64_t *end = p + words;
    size_t per_block = block_words(s);
    if (words < 3 || *p++ != PACK_MAGIC || *p++ != (uint64_t)s->moments ||
        *p++ != s->n_streams)
        return -1;
    for (size_t i = 0; i < s->n_streams; i++) {
        int bad = unpack_blocks(&s->stream[i], &p, end, per_block);
        if (bad)
            return bad;
    }
    return p == end ? 0 : -1;
}

int sh_impostors_unpack(sh_impostors **out, const sh_groups *g, uint64_t n, int moments,
                            const void *data, size_t len, sh_err *err)
{
    *out = NULL;
    sh_impostors *s = impostors_new(g);
    if (!s)
        return sh_err_nomem(err);
    s->moments = moments;
    for (size_t i = 0; i < s->n_streams; i++)
        s->stream[i].no_sums = !moments;
    int bad = len % sizeof(uint64_t) ? -1 : unpack_streams(s, data, len / sizeof(uint64_t));
    int rc = bad == -2  ? sh_err_nomem(err)
             : bad      ? sh_err_set(err, SH_E_INPUT,
                                         "saved impostor counts do not fit this run's groups "
                                         "or verification.impostor_moments (or were saved "
                                         "by another version of shades)")
                        : end_count(s, n, err);
    if (rc) {
        sh_impostors_destroy(s);
        return rc;
    }
    *out = s;
    return 0;
}

int sh_impostors_refine(sh_impostors *s, const sh_score_source *src,
                            uint32_t hit_bin, sh_progress *progress, sh_err *err)
{
    int rc = run_pass(s, src, REFINE, hit_bin, 0, progress, err);
    for (size_t i = 0; !rc && i < s->n_streams; i++)
        if (sh_hist_seal(&s->stream[i], &s->window))
            rc = sh_err_set(err, SH_E_ENGINE,
                                "impostor scores changed between two passes over the same "
                                "pairs: the engine's scores are not deterministic");
    return rc;
}

void sh_impostors_destroy(sh_impostors *s)
{
    if (!s)
        return;
    for (size_t i = 0; s->stream && i < s->n_streams; i++)
        sh_hist_clear(&s->stream[i]);
    free(s->stream);
    free(s->offset);
    sh_window_clear(&s->window);
    sh_window_clear(&s->kept);
    free(s->hits);
    free(s);
}
