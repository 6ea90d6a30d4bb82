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

/* u128 to double, rounded. */
static double u128_double(sh_u128 x)
{
    return (double)(uint64_t)(x >> 64) * 18446744073709551616.0 + (double)(uint64_t)x;
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

/* A block's sums over its lanes, as doubles: the offsets' and their
 * squares'. */
static void block_sums(double *out_s1, double *out_s2, const uint64_t *blk)
{
    uint64_t m[SH_HIST_SUMS] = {0};
    for (unsigned l = 0; l < SH_HIST_LANES; l++)
        add_lane(m, SH_HIST_LANE(blk, l));
    *out_s1 = u128_double(u128_of(m));
    *out_s2 = u128_double(u128_of(m + 2)) +
              (double)m[4] * 18446744073709551616.0 * 18446744073709551616.0;
}

void sh_hist_moments(uint64_t *out_n, double *out_mean, double *out_sd,
                     const sh_score_hist *h)
{
    /* A score of block i is edge + offset * step exactly: within a binade
     * the key's low 52 bits are the significand's (sign and exponent are
     * fixed), so a block's sum is n edge + step s1. */
    uint64_t n = 0;
    double sum = 0;
    *out_n = 0;
    *out_mean = *out_sd = NAN;
    if (h->no_sums)
        return;
    for (size_t i = 0; i < SH_HIST_BLOCKS; i++) {
        const uint64_t *blk = h->block[i];
        uint64_t base = (uint64_t)i << 52, c = 0;
        double edge = key_value(base), s1, s2;
        if (!blk || !isfinite(edge))
            continue; /* the blocks of -inf and +inf, and empty ones */
        for (size_t j = 0; j < SH_HIST_SUB; j++)
            c += blk[j];
        block_sums(&s1, &s2, blk);
        n += c;
        sum += (double)c * edge + (key_value(base + 1) - edge) * s1;
    }
    *out_n = n;
    *out_mean = *out_sd = NAN;
    if (!n)
        return;
    double mean = sum / (double)n, ss = 0;
    /* Squares about the mean, block by block: sum (d + step u)^2 with d the
     * edge's distance from the mean. */
    for (size_t i = 0; i < SH_HIST_BLOCKS; i++) {
        const uint64_t *blk = h->block[i];
        uint64_t base = (uint64_t)i << 52, c = 0;
        double edge = key_value(base), s1, s2;
        if (!blk || !isfinite(edge))
            continue;
        for (size_t j = 0; j < SH_HIST_SUB; j++)
            c += blk[j];
        block_sums(&s1, &s2, blk);
        double step = key_value(base + 1) - edge, d = edge - mean;
        ss += (double)c * d * d + 2 * d * step * s1 + step * step * s2;
    }
    *out_mean = mean;
    *out_sd = sqrt(fmax(ss, 0) / (double)n);
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
