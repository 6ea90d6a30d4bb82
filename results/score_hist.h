/* An exact, bounded-memory distribution of similarity scores.
 *
 * Pass 1 counts every score in a histogram on the top 20 bits of its
 * order-preserving 64-bit key: 4096 blocks (sign and exponent) of 256
 * bins (the next 8 bits), a block allocated when first touched, so memory
 * follows the binades the scores use, not how many pass. Counts at bin
 * edges are exact. Pass 2 replays the same scores and keeps the exact
 * values that fall in a few chosen bins (the window): those around the
 * thresholds, so a threshold and every count at it come out as sorting
 * all scores would give them.
 *
 * Each block also sums its scores exactly: as integers, the offsets of their
 * keys from the block's lower edge (the low 52 bits: within a binade a
 * score is its edge plus a multiple of one step) and their squares, so the
 * mean and SD of a distribution come out the same however its scores were
 * split among threads.
 *
 * A histogram is filled by one thread; histograms of the same scores split
 * any way merge to the same one, so threads each keep their own. */
#ifndef SH_RESULTS_SCORE_HIST_H
#define SH_RESULTS_SCORE_HIST_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define SH_HIST_BLOCKS 4096u
/* 256 bins a binade: 2 KiB of counts per binade and cell stay in cache
 * while pass 1 counts; a finer bin only narrows the window pass 2 keeps. */
#define SH_HIST_SUB 256u
#define SH_HIST_SHIFT 44    /* 64 - 12 - 8 */
#define SH_HIST_BINS (SH_HIST_BLOCKS * SH_HIST_SUB)
/* A key's offset from its block's lower edge. */
#define SH_HIST_OFFSET(key) ((key) & ((UINT64_C(1) << 52) - 1))
/* After a block's SH_HIST_SUB counts, its sums in SH_HIST_LANES lanes of
 * five words, low word first: the offsets' in two, their squares' in three.
 * Consecutive scores of one block go to different lanes, so their adds do
 * not wait on each other; the lanes are summed when read. */
#define SH_HIST_LANES 4
#define SH_HIST_SUMS 5
#define SH_HIST_BLOCK_WORDS (SH_HIST_SUB + SH_HIST_LANES * SH_HIST_SUMS)

__extension__ typedef unsigned __int128 sh_u128;

/* The order-preserving key of a score: a < b exactly when key(a) < key(b)
 * (NaN is never a score). */
static inline uint64_t sh_score_key(double s)
{
    uint64_t u;
    if (s == 0)
        s = 0.0; /* -0 equals +0, so it must share its key */
    memcpy(&u, &s, sizeof u);
    /* Without a branch: a score's sign is a coin toss, so a branch on it
     * is mispredicted every other score. Negative: all bits flipped;
     * positive: the sign bit set. */
    uint64_t flip = (0 - (u >> 63)) | (UINT64_C(1) << 63);
    return u ^ flip;
}

/* The bin of a score: the top 20 bits of its key. */
static inline uint32_t sh_score_bin(double s)
{
    return (uint32_t)(sh_score_key(s) >> SH_HIST_SHIFT);
}

/* The smallest double in bin b (its lower edge), -inf below every finite
 * score and +inf above them where the edge is not a number. */
double sh_score_bin_edge(uint32_t b);

/* The upper edge of bin b: the next bin's lower edge (+inf past the last),
 * so every score in b lies below it. */
static inline double sh_score_bin_top(uint32_t b)
{
    return b + 1 < SH_HIST_BINS ? sh_score_bin_edge(b + 1) : INFINITY;
}

/* The set of bins whose exact values pass 2 keeps. Read-only while
 * histograms fill from many threads. */
typedef struct sh_score_window {
    uint64_t *mask[SH_HIST_BLOCKS]; /* SH_HIST_SUB bits per touched block */
    size_t n_bins;
} sh_score_window;

/* Adds bin b to w. Returns 0, or -1 when out of memory. */
int sh_window_add(sh_score_window *w, uint32_t b);

/* Whether bin b is in w. [thread: any, once w is built] */
static inline int sh_window_has(const sh_score_window *w, uint32_t b)
{
    const uint64_t *m = w->mask[b / SH_HIST_SUB];
    uint32_t lo = b % SH_HIST_SUB;
    return m && (m[lo / 64] >> (lo % 64)) & 1u;
}

/* The lowest bin in w, or UINT32_MAX when w is empty: a pass tests it
 * first, so most scores skip the window's lookup. */
uint32_t sh_window_lowest(const sh_score_window *w);

/* Adds bins lo to hi (both included) to w. Returns 0, or -1 when out of
 * memory. */
int sh_window_add_range(sh_score_window *w, uint32_t lo, uint32_t hi);

/* Adds to dst every bin within `margin` bins of a bin of src. Returns 0,
 * or -1 when out of memory. */
int sh_window_widen(sh_score_window *dst, const sh_score_window *src,
                        uint32_t margin);

/* Whether every bin of a is in b. */
int sh_window_within(const sh_score_window *a, const sh_score_window *b);

/* Frees what w holds and zeroes it; a zeroed window is empty. */
void sh_window_clear(sh_score_window *w);

/* One distribution. Zeroed is empty; sh_hist_clear frees. */
typedef struct sh_score_hist {
    uint64_t n;                          /* scores counted */
    uint64_t *block[SH_HIST_BLOCKS]; /* SH_HIST_BLOCK_WORDS: counts, then sums; or NULL */
    int no_sums;                         /* blocks hold counts only (set while empty) */
    uint64_t *above;                     /* after indexing: scores in blocks above each */
    double *window;                      /* pass 2: exact values in window bins */
    size_t n_window, cap_window;
} sh_score_hist;

/* Lane `lane` (< SH_HIST_LANES) of the sums of block blk. */
#define SH_HIST_LANE(blk, lane) ((blk) + SH_HIST_SUB + (lane) * SH_HIST_SUMS)

/* Adds a score of key `key` to the sums of one lane (SH_HIST_LANE of its
 * block). [thread: the owner] */
static inline void sh_hist_add_moments(uint64_t *lane, uint64_t key)
{
    /* Word by word, so each load meets the store before it whole. */
    uint64_t off = SH_HIST_OFFSET(key);
    sh_u128 sq = (sh_u128)off * off;
    uint64_t sq_lo = (uint64_t)sq, sq_hi = (uint64_t)(sq >> 64);
    uint64_t a = lane[0] + off;
    lane[1] += a < off;
    lane[0] = a;
    uint64_t b = lane[2] + sq_lo;
    uint64_t carry = b < sq_lo;
    lane[2] = b;
    uint64_t c = lane[3] + sq_hi + carry; /* sq_hi < 2^40: no wrap of sq_hi + carry */
    lane[4] += c < sq_hi + carry;
    lane[3] = c;
}

/* Allocates the block of bin b (counts and sums). Returns 0, or -1 when out
 * of memory. [thread: the owner] */
int sh_hist_touch(sh_score_hist *h, uint32_t b);

/* Counts one score. Returns 0, or -1 when out of memory. [thread: the owner] */
static inline int sh_hist_add(sh_score_hist *h, double s)
{
    uint64_t key = sh_score_key(s);
    uint32_t b = (uint32_t)(key >> SH_HIST_SHIFT);
    if (!h->block[b / SH_HIST_SUB] && sh_hist_touch(h, b))
        return -1;
    uint64_t *blk = h->block[b / SH_HIST_SUB];
    blk[b % SH_HIST_SUB]++;
    if (!h->no_sums)
        sh_hist_add_moments(SH_HIST_LANE(blk, 0), key);
    h->n++;
    return 0;
}

/* Pass 2: keeps s when its bin is in w. Returns 0, or -1 when out of
 * memory. [thread: the owner] */
int sh_hist_keep_slow(sh_score_hist *h, double s);
static inline int sh_hist_keep(sh_score_hist *h, const sh_score_window *w, double s)
{
    return sh_window_has(w, sh_score_bin(s)) ? sh_hist_keep_slow(h, s) : 0;
}

/* Adds src's counts, sums and kept values to dst. Returns 0, or -1 when out
 * of memory (dst then holds part of src: discard it). */
int sh_hist_merge(sh_score_hist *dst, const sh_score_hist *src);

/* The same without the sums, for a dst whose sums come from elsewhere. */
int sh_hist_merge_counts(sh_score_hist *dst, const sh_score_hist *src);

/* Frees what h holds and zeroes it. */
void sh_hist_clear(sh_score_hist *h);

/* Drops the kept values whose bins are not in w. */
void sh_hist_keep_only(sh_score_hist *h, const sh_score_window *w);

/* Ends pass 1: builds the index the queries below use. Returns 0, or -1
 * when out of memory. */
int sh_hist_index(sh_score_hist *h);

/* Scores in bin b. */
uint64_t sh_hist_in_bin(const sh_score_hist *h, uint32_t b);

/* The finite scores' count, mean and SD (population: over n, not n - 1),
 * from the exact sums; NaN mean and SD with none, or where h kept no sums. */
void sh_hist_moments(uint64_t *out_n, double *out_mean, double *out_sd,
                     const sh_score_hist *h);


/* Scores in bins above b. Needs the index. */
uint64_t sh_hist_above_bin(const sh_score_hist *h, uint32_t b);

/* The bin holding the k-th largest score (k = 0 the largest; k < n).
 * Needs the index. */
uint32_t sh_hist_bin_of_rank(const sh_score_hist *h, uint64_t k);

/* The next non-empty bin after b, or UINT32_MAX; b = UINT32_MAX starts. */
uint32_t sh_hist_next_bin(const sh_score_hist *h, uint32_t b);

/* Ends pass 2: sorts the kept values and checks that each window bin kept
 * as many as pass 1 counted there. Returns 0, or -1 when they differ: the
 * scores changed between the passes. */
int sh_hist_seal(sh_score_hist *h, const sh_score_window *w);

/* Exact after sealing, where noted. */

/* The number of scores >= t: exact when t's bin is in the window, is
 * empty, or t is its lower edge. */
uint64_t sh_hist_count_ge(const sh_score_hist *h, const sh_score_window *w, double t);

/* The k-th largest score (k = 0 the largest), exact when its bin is in
 * the window; NaN when it is not. */
double sh_hist_rank_value(const sh_score_hist *h, const sh_score_window *w,
                              uint64_t k);

#endif
