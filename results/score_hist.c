#include "score_hist.h"

#include <math.h>
#include <stdlib.h>

#include "score_sort.h"

double sh_score_bin_edge(uint32_t b)
{
    uint64_t key = (uint64_t)b << SH_HIST_SHIFT;
    uint64_t u = (key >> 63) ? key & ~(UINT64_C(1) << 63) : ~key;
    double s;
    memcpy(&s, &u, sizeof s);
    if (isnan(s))
        return (key >> 63) ? INFINITY : -INFINITY;
    /* The negative half's smallest key is its most negative value; the
     * lower edge of a negative bin is that value. */
    return s;
}

int sh_window_add(sh_score_window *w, uint32_t b)
{
    uint64_t **m = &w->mask[b / SH_HIST_SUB];
    if (!*m && !(*m = calloc(SH_HIST_SUB / 64, sizeof **m)))
        return -1;
    uint32_t lo = b % SH_HIST_SUB;
    if (!((*m)[lo / 64] >> (lo % 64) & 1u)) {
        (*m)[lo / 64] |= UINT64_C(1) << (lo % 64);
        w->n_bins++;
    }
    return 0;
}

int sh_window_add_range(sh_score_window *w, uint32_t lo, uint32_t hi)
{
    /* Word by word: a range can span millions of bins. */
    for (uint64_t b = lo; b <= hi;) {
        uint64_t **m = &w->mask[b / SH_HIST_SUB];
        if (!*m && !(*m = calloc(SH_HIST_SUB / 64, sizeof **m)))
            return -1;
        uint32_t lo_bit = (uint32_t)(b % 64);
        uint64_t word_end = (b / 64 + 1) * 64; /* first bin of the next word */
        uint32_t n = (uint32_t)((hi + 1 < word_end ? hi + 1 : word_end) - b);
        uint64_t bits = (n == 64 ? ~UINT64_C(0) : ((UINT64_C(1) << n) - 1)) << lo_bit;
        uint64_t *word = &(*m)[(b % SH_HIST_SUB) / 64];
        w->n_bins += (size_t)__builtin_popcountll(bits & ~*word);
        *word |= bits;
        b += n;
    }
    return 0;
}

uint32_t sh_window_lowest(const sh_score_window *w)
{
    for (uint32_t blk = 0; blk < SH_HIST_BLOCKS; blk++)
        for (uint32_t k = 0; w->mask[blk] && k < SH_HIST_SUB / 64; k++)
            if (w->mask[blk][k])
                return blk * SH_HIST_SUB + k * 64 + (uint32_t)__builtin_ctzll(w->mask[blk][k]);
    return UINT32_MAX;
}

int sh_window_widen(sh_score_window *dst, const sh_score_window *src,
                        uint32_t margin)
{
    for (uint32_t blk = 0; blk < SH_HIST_BLOCKS; blk++)
        for (uint32_t j = 0; src->mask[blk] && j < SH_HIST_SUB; j++)
            if (src->mask[blk][j / 64] >> (j % 64) & 1u) {
                uint32_t b = blk * SH_HIST_SUB + j;
                uint32_t lo = b > margin ? b - margin : 0;
                uint32_t hi = b < SH_HIST_BINS - 1 - margin ? b + margin : SH_HIST_BINS - 1;
                if (sh_window_add_range(dst, lo, hi))
                    return -1;
            }
    return 0;
}

int sh_window_within(const sh_score_window *a, const sh_score_window *b)
{
    for (size_t blk = 0; blk < SH_HIST_BLOCKS; blk++)
        for (size_t k = 0; a->mask[blk] && k < SH_HIST_SUB / 64; k++)
            if (a->mask[blk][k] & ~(b->mask[blk] ? b->mask[blk][k] : 0))
                return 0;
    return 1;
}

void sh_hist_keep_only(sh_score_hist *h, const sh_score_window *w)
{
    size_t kept = 0;
    for (size_t i = 0; i < h->n_window; i++)
        if (sh_window_has(w, sh_score_bin(h->window[i])))
            h->window[kept++] = h->window[i];
    h->n_window = kept;
}

void sh_window_clear(sh_score_window *w)
{
    for (size_t i = 0; i < SH_HIST_BLOCKS; i++)
        free(w->mask[i]);
    memset(w, 0, sizeof *w);
}

int sh_hist_touch(sh_score_hist *h, uint32_t b)
{
    uint64_t **blk = &h->block[b / SH_HIST_SUB];
    if (!*blk && !(*blk = calloc(h->no_sums ? SH_HIST_SUB : SH_HIST_BLOCK_WORDS, sizeof **blk)))
        return -1;
    return 0;
}

/* The score of a key (inverse of sh_score_key). */
static double key_value(uint64_t key)
{
    uint64_t u = (key >> 63) ? key & ~(UINT64_C(1) << 63) : ~key;
    double s;
    memcpy(&s, &u, sizeof s);
    return s;
}

/* Adds lane `from` of a block's sums into lane `to` of another's (or the
 * same block's); integer adds, so any order gives the same sums. */
/* Two words, low first, as one 128-bit integer. */
static sh_u128 u128_of(const uint64_t *w)
{
    return (sh_u128)w[1] << 64 | w[0];
}

static void add_lane(uint64_t *to, const uint64_t *from)
{
    sh_u128 a = u128_of(to) + u128_of(from), add = u128_of(from + 2);
    sh_u128 lo = u128_of(to + 2) + add;
    to[0] = (uint64_t)a;
    to[1] = (uint64_t)(a >> 64);
    to[2] = (uint64_t)lo;
    to[3] = (uint64_t)(lo >> 64);
    to[4] += from[4] + (lo < add);
}

/* A block's count and its sums over its lanes: the offsets' (two words)
 * and their squares' (three), low words first. */
static uint64_t block_sums(uint64_t *out_m, const uint64_t *blk)
{
    uint64_t c = 0;
    memset(out_m, 0, SH_HIST_SUMS * sizeof *out_m);
    for (unsigned l = 0; l < SH_HIST_LANES; l++)
        add_lane(out_m, SH_HIST_LANE(blk, l));
    for (size_t j = 0; j < SH_HIST_SUB; j++)
        c += blk[j];
    return c;
}

/* Adds p to the 256-bit integer w (four words, low first) at word i. */
static void add_at(uint64_t *w, size_t i, sh_u128 p)
{
    for (; p && i < 4; i++) {
        sh_u128 t = (sh_u128)w[i] + (uint64_t)p;
        w[i] = (uint64_t)t;
        p = (p >> 64) + (t >> 64);
    }
}

/* c s2 - s1^2 for a block of c offsets (sums m): c times their sum of
 * squares about their own mean, exactly (Cauchy-Schwarz: never negative),
 * as a long double. */
static long double spread(uint64_t c, const uint64_t *m)
{
    uint64_t x[4] = {0}, y[4] = {0};
    for (size_t j = 0; j < 3; j++)
        add_at(x, j, (sh_u128)c * m[2 + j]);
    add_at(y, 0, (sh_u128)m[0] * m[0]);
    add_at(y, 1, (sh_u128)m[0] * m[1]);
    add_at(y, 1, (sh_u128)m[0] * m[1]);
    add_at(y, 2, (sh_u128)m[1] * m[1]);
    uint64_t borrow = 0;
    long double v = 0, scale = 1;
    for (size_t j = 0; j < 4; j++) {
        uint64_t d = x[j] - y[j] - borrow;
        borrow = x[j] < y[j] || (x[j] == y[j] && borrow);
        v += (long double)d * scale;
        scale *= 18446744073709551616.0L;
    }
    return v;
}

void sh_hist_moments(uint64_t *out_n, double *out_mean, double *out_sd,
                     const sh_score_hist *h)
{
    /* A score of block i is edge + offset * step exactly: within a binade
     * the key's low 52 bits are the significand's (sign and exponent are
     * fixed). A block's mean is edge + step (s1 / c), its offsets' integer
     * quotient exact; its spread about that mean is exact in integers; the
     * rest is long double (no overflow at 1e300, no underflow of squared
     * subnormal steps). */
    uint64_t n = 0, m[SH_HIST_SUMS];
    *out_n = 0;
    *out_mean = *out_sd = NAN;
    if (h->no_sums)
        return;
    for (size_t i = 0; i < SH_HIST_BLOCKS; i++)
        if (h->block[i] && isfinite(key_value((uint64_t)i << 52)))
            n += block_sums(m, h->block[i]); /* not the blocks of -inf and +inf */
    *out_n = n;
    if (!n)
        return;
    long double mean = 0, ss = 0;
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < SH_HIST_BLOCKS; i++) {
            uint64_t base = (uint64_t)i << 52;
            double edge = key_value(base);
            if (!h->block[i] || !isfinite(edge))
                continue;
            uint64_t c = block_sums(m, h->block[i]);
            if (!c)
                continue;
            long double step = (long double)key_value(base + 1) - edge;
            sh_u128 s1 = u128_of(m), q = s1 / c, r = s1 % c;
            long double bm = (long double)edge + step * (long double)(uint64_t)q +
                             step * ((long double)(uint64_t)r / (long double)c);
            if (pass == 0) {
                mean += ((long double)c / (long double)n) * bm;
            } else {
                long double d = bm - mean;
                ss += step * step * (spread(c, m) / (long double)c) + (long double)c * d * d;
            }
        }
    *out_mean = (double)mean;
    *out_sd = (double)sqrtl(ss / (long double)n);
}

static int reserve(sh_score_hist *h, size_t more)
{
    if (h->n_window + more <= h->cap_window)
        return 0;
    size_t cap = h->cap_window ? h->cap_window : 256;
    while (cap < h->n_window + more)
        cap *= 2;
    double *p = realloc(h->window, cap * sizeof *p);
    if (!p)
        return -1;
    h->window = p;
    h->cap_window = cap;
    return 0;
}

int sh_hist_keep_slow(sh_score_hist *h, double s)
{
    if (reserve(h, 1))
        return -1;
    h->window[h->n_window++] = s;
    return 0;
}

static int merge(sh_score_hist *dst, const sh_score_hist *src, int sums)
{
    for (size_t i = 0; i < SH_HIST_BLOCKS; i++) {
        if (!src->block[i])
            continue;
        if (sh_hist_touch(dst, (uint32_t)(i * SH_HIST_SUB)))
            return -1;
        uint64_t *d = dst->block[i];
        const uint64_t *s = src->block[i];
        for (size_t j = 0; j < SH_HIST_SUB; j++)
            d[j] += s[j];
        for (unsigned l = 0; sums && !dst->no_sums && !src->no_sums && l < SH_HIST_LANES; l++)
            add_lane(SH_HIST_LANE(d, l), SH_HIST_LANE(s, l));
    }
    dst->n += src->n;
    if (src->n_window) {
        if (reserve(dst, src->n_window))
            return -1;
        memcpy(dst->window + dst->n_window, src->window, src->n_window * sizeof *src->window);
        dst->n_window += src->n_window;
    }
    return 0;
}

int sh_hist_merge(sh_score_hist *dst, const sh_score_hist *src)
{
    return merge(dst, src, 1);
}

int sh_hist_merge_counts(sh_score_hist *dst, const sh_score_hist *src)
{
    return merge(dst, src, 0);
}

void sh_hist_clear(sh_score_hist *h)
{
    int no_sums = h->no_sums;
    for (size_t i = 0; i < SH_HIST_BLOCKS; i++)
        free(h->block[i]);
    free(h->above);
    free(h->window);
    memset(h, 0, sizeof *h);
    h->no_sums = no_sums; /* a cleared histogram keeps its kind */
}

int sh_hist_index(sh_score_hist *h)
{
    if (!h->above && !(h->above = malloc(SH_HIST_BLOCKS * sizeof *h->above)))
        return -1;
    uint64_t sum = 0;
    for (size_t i = SH_HIST_BLOCKS; i-- > 0;) {
        h->above[i] = sum;
        for (size_t j = 0; h->block[i] && j < SH_HIST_SUB; j++)
            sum += h->block[i][j];
    }
    return 0;
}

uint64_t sh_hist_in_bin(const sh_score_hist *h, uint32_t b)
{
    const uint64_t *blk = h->block[b / SH_HIST_SUB];
    return blk ? blk[b % SH_HIST_SUB] : 0;
}

uint64_t sh_hist_above_bin(const sh_score_hist *h, uint32_t b)
{
    uint32_t i = b / SH_HIST_SUB;
    uint64_t sum = h->above[i];
    for (uint32_t j = b % SH_HIST_SUB + 1; h->block[i] && j < SH_HIST_SUB; j++)
        sum += h->block[i][j];
    return sum;
}

uint32_t sh_hist_bin_of_rank(const sh_score_hist *h, uint64_t k)
{
    /* Counts above fall as blocks rise: the lowest non-empty block with at
     * most k above it holds the score; then its bins from the top. */
    size_t i = 0;
    while (i + 1 < SH_HIST_BLOCKS && !(h->block[i] && h->above[i] <= k))
        i++;
    uint64_t sum = h->above[i];
    for (uint32_t j = SH_HIST_SUB; j-- > 0;) {
        sum += h->block[i][j];
        if (sum > k)
            return (uint32_t)i * SH_HIST_SUB + j;
    }
    return (uint32_t)i * SH_HIST_SUB; /* not reached for k < n */
}

uint32_t sh_hist_next_bin(const sh_score_hist *h, uint32_t b)
{
    uint64_t next = b == UINT32_MAX ? 0 : (uint64_t)b + 1;
    while (next < SH_HIST_BINS) {
        const uint64_t *blk = h->block[next / SH_HIST_SUB];
        if (!blk) {
            next = (next / SH_HIST_SUB + 1) * SH_HIST_SUB;
            continue;
        }
        if (blk[next % SH_HIST_SUB])
            return (uint32_t)next;
        next++;
    }
    return UINT32_MAX;
}

/* Kept values >= t. */
static size_t kept_ge(const sh_score_hist *h, double t)
{
    return sh_count_ge(h->window, h->n_window, t);
}

int sh_hist_seal(sh_score_hist *h, const sh_score_window *w)
{
    if (h->n_window)
        sh_scores_sort(h->window, h->n_window);
    /* Walk the kept values bin by bin against pass 1's counts. */
    size_t k = 0;
    while (k < h->n_window) {
        uint32_t b = sh_score_bin(h->window[k]);
        size_t start = k;
        while (k < h->n_window && sh_score_bin(h->window[k]) == b)
            k++;
        if (k - start != sh_hist_in_bin(h, b))
            return -1;
    }
    /* Every kept bin matched; now no window bin may be missing. */
    uint64_t expected = 0;
    for (size_t i = 0; i < SH_HIST_BLOCKS; i++)
        for (uint32_t j = 0; w->mask[i] && h->block[i] && j < SH_HIST_SUB; j++)
            if (w->mask[i][j / 64] >> (j % 64) & 1u)
                expected += h->block[i][j];
    if (expected != h->n_window)
        return -1;
    return 0;
}

uint64_t sh_hist_count_ge(const sh_score_hist *h, const sh_score_window *w, double t)
{
    if (t == -INFINITY)
        return h->n;
    uint32_t b = sh_score_bin(t);
    uint64_t above = sh_hist_above_bin(h, b);
    if (!sh_window_has(w, b))
        return above + (t == sh_score_bin_edge(b) ? sh_hist_in_bin(h, b) : 0);
    double top = sh_score_bin_top(b);
    return above + kept_ge(h, t) - kept_ge(h, top);
}

double sh_hist_rank_value(const sh_score_hist *h, const sh_score_window *w,
                              uint64_t k)
{
    uint32_t b = sh_hist_bin_of_rank(h, k);
    if (!sh_window_has(w, b))
        return NAN;
    /* Within the bin, the (k - above)-th largest kept value. */
    uint64_t above = sh_hist_above_bin(h, b);
    double top = sh_score_bin_top(b);
    size_t hi = h->n_window - kept_ge(h, top); /* one past the bin's largest */
    return h->window[hi - 1 - (size_t)(k - above)];
}
