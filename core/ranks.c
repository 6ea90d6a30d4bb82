#include "ranks.h"

#include <mpi.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Bytes one broadcast moves at most: MPI counts are ints. */
#define CHUNK (UINT64_C(1) << 30)

struct sh_ranks {
    unsigned rank, size;
    int joined;          /* MPI_Init was called */
    MPI_Comm work;       /* the collectives of the run */
    MPI_Comm last;       /* sh_ranks_finish alone, so it never matches a work collective */
    int agreed;          /* the last failure was seen by every rank */
    int all_failed;      /* ... and every rank failed on its own (the same input) */
    int64_t *head;       /* a collective's heads: each rank's status and length */
    uint64_t *lens;      /* each rank's length in the last collective */
    sh_ranks_traffic traffic;
    char host[SH_RANKS_HOST_MAX];
};

/* Whether a launcher started this process as one of a job's ranks. */
static int launched(void)
{
    static const char *vars[] = {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK"};
    for (size_t i = 0; i < sizeof vars / sizeof *vars; i++)
        if (getenv(vars[i]))
            return 1;
    return 0;
}

/* The first of names set in the environment, as a number; 0 when none is. */
static unsigned env_number(const char *const *names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (getenv(names[i]))
            return (unsigned)strtoul(getenv(names[i]), NULL, 10);
    return 0;
}

int sh_ranks_launched_as(unsigned *out_rank, unsigned *out_size)
{
    static const char *rank[] = {"OMPI_COMM_WORLD_RANK", "PMIX_RANK", "PMI_RANK"};
    static const char *size[] = {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE", "SLURM_NTASKS"};
    *out_rank = env_number(rank, 3);
    *out_size = env_number(size, 3);
    return launched() && *out_size > 0;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

int sh_ranks_create(sh_ranks **out, sh_err *err)
{
    *out = NULL;
    sh_ranks *r = calloc(1, sizeof *r);
    if (!r)
        return sh_err_nomem(err);
    r->size = 1;
    if (gethostname(r->host, sizeof r->host - 1))
        strcpy(r->host, "unknown");
    if (launched()) {
        /* Only the main thread calls MPI; the executor's threads never do. */
        int provided, rank, size;
        if (MPI_Init_thread(NULL, NULL, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS) {
            free(r);
            return sh_err_set(err, SH_E_INTERNAL, "MPI could not start this rank");
        }
        r->joined = 1;
        MPI_Comm_rank(MPI_COMM_WORLD, &rank);
        MPI_Comm_size(MPI_COMM_WORLD, &size);
        MPI_Comm_dup(MPI_COMM_WORLD, &r->work);
        MPI_Comm_dup(MPI_COMM_WORLD, &r->last);
        r->rank = (unsigned)rank;
        r->size = (unsigned)size;
    }
    r->head = malloc(2 * r->size * sizeof *r->head);
    r->lens = malloc(r->size * sizeof *r->lens);
    if (!r->head || !r->lens) {
        sh_ranks_destroy(r);
        return sh_err_nomem(err);
    }
    *out = r;
    return 0;
}

void sh_ranks_destroy(sh_ranks *r)
{
    if (!r)
        return;
    if (r->joined) {
        MPI_Comm_free(&r->work);
        MPI_Comm_free(&r->last);
        MPI_Finalize();
    }
    free(r->head);
    free(r->lens);
    free(r);
}

unsigned sh_ranks_rank(const sh_ranks *r)
{
    return r ? r->rank : 0;
}

unsigned sh_ranks_size(const sh_ranks *r)
{
    return r ? r->size : 1;
}

static char lone_host[SH_RANKS_HOST_MAX];
static pthread_once_t lone_once = PTHREAD_ONCE_INIT;

static void lone_host_find(void)
{
    if (gethostname(lone_host, sizeof lone_host - 1))
        strcpy(lone_host, "unknown");
}

const char *sh_ranks_host(const sh_ranks *r)
{
    if (r)
        return r->host;
    /* A run without ranks (shades demo) is one process on this host. */
    pthread_once(&lone_once, lone_host_find);
    return lone_host;
}

sh_ranks_traffic sh_ranks_traffic_of(const sh_ranks *r)
{
    return r ? r->traffic : (sh_ranks_traffic){0};
}

void sh_ranks_note_merge(sh_ranks *r, double seconds)
{
    if (r)
        r->traffic.merge_seconds += seconds;
}

int sh_ranks_agreed(const sh_ranks *r)
{
    return r && r->agreed;
}

int sh_ranks_all_failed(const sh_ranks *r)
{
    return r && r->agreed && r->all_failed;
}

/* rc after every rank's status is known: the lowest failing rank keeps
 * its own, the others stand aside. */
static int settle(sh_ranks *r, int rc, const int64_t *head, size_t stride)
{
    r->all_failed = 1;
    for (unsigned k = 0; k < r->size; k++)
        r->all_failed &= head[k * stride] && head[k * stride] != SH_E_ELSEWHERE;
    /* A rank that only stood aside before (SH_E_ELSEWHERE) is not the cause. */
    for (int own = 1; own >= 0; own--)
        for (unsigned k = 0; k < r->size; k++)
            if (head[k * stride] && (!own || head[k * stride] != SH_E_ELSEWHERE)) {
                r->agreed = 1;
                return k == r->rank ? rc : SH_E_ELSEWHERE;
            }
    return 0;
}

int sh_ranks_allgather(void **out, const uint64_t **out_lens, sh_ranks *r, int rc,
                       const void *mine, size_t len, sh_err *err)
{
    *out = NULL;
    if (out_lens)
        *out_lens = r ? r->lens : NULL;
    if (!r || r->size == 1) {
        if (rc)
            return rc;
        if (r)
            r->lens[0] = len;
        *out = malloc(len ? len : 1);
        if (!*out)
            return sh_err_nomem(err);
        if (len)
            memcpy(*out, mine, len);
        return 0;
    }
    double t0 = now();
    int64_t me[2] = {rc, (int64_t)len};
    const uint64_t *lens = r->lens;
    MPI_Allgather(me, 2, MPI_INT64_T, r->head, 2, MPI_INT64_T, r->work);
    r->traffic.collectives++;
    int agreed = settle(r, rc, r->head, 2);
    uint64_t total = 0;
    for (unsigned k = 0; k < r->size; k++)
        total += r->lens[k] = (uint64_t)r->head[2 * k + 1];
    if (agreed) {
        r->traffic.seconds += now() - t0;
        return agreed;
    }
    uint8_t *all = malloc(total ? total : 1);
    /* Every rank must take part in the broadcasts below; one that cannot
     * hold them ends the job rather than leave the others waiting. */
    if (!all)
        sh_ranks_abort(r, 2);
    uint64_t at = 0;
    for (unsigned k = 0; k < r->size; k++) {
        if (k == r->rank && len)
            memcpy(all + at, mine, len);
        for (uint64_t o = 0; o < lens[k]; o += CHUNK) {
            uint64_t n = lens[k] - o < CHUNK ? lens[k] - o : CHUNK;
            MPI_Bcast(all + at + o, (int)n, MPI_BYTE, (int)k, r->work);
        }
        if (k == r->rank)
            r->traffic.bytes_sent += lens[k];
        else
            r->traffic.bytes_received += lens[k];
        at += lens[k];
    }
    r->traffic.seconds += now() - t0;
    *out = all;
    return 0;
}

int sh_ranks_agree(sh_ranks *r, int rc, sh_err *err)
{
    void *none = NULL;
    if (!r || r->size == 1)
        return rc;
    int out = sh_ranks_allgather(&none, NULL, r, rc, NULL, 0, err);
    free(none);
    return out;
}

int sh_ranks_finish(sh_ranks *r, int rc, double timeout_s)
{
    if (!r || r->size == 1)
        return rc;
    r->agreed = 0;
    /* The heads' scratch: no work collective runs after this one. */
    int64_t me = rc, *all = r->head;
    MPI_Request req;
    MPI_Iallgather(&me, 1, MPI_INT64_T, all, 1, MPI_INT64_T, r->last, &req);
    double until = now() + timeout_s;
    int done = 0;
    while (!done) {
        MPI_Test(&req, &done, MPI_STATUS_IGNORE);
        if (!done && now() > until)
            break;
        if (!done)
            nanosleep(&(struct timespec){0, 10000000}, NULL);
    }
    /* Not done: the request may still write into the heads, which stay
     * allocated until the job is aborted (the caller does not destroy r). */
    return done ? settle(r, rc, all, 1) : rc;
}

void sh_ranks_abort(sh_ranks *r, int status)
{
    if (r && r->joined)
        MPI_Abort(MPI_COMM_WORLD, status);
}

/* The end of block b of [0, n) in blocks of `block` items (the last may
 * be short). */
static size_t block_end(size_t b, size_t block, size_t n)
{
    return (b + 1) * block < n ? (b + 1) * block : n;
}

size_t sh_ranks_items_elsewhere(const sh_ranks *r, size_t n, size_t block)
{
    size_t own = 0, n_blocks = (n + block - 1) / block;
    if (!r || r->size == 1)
        return 0;
    for (size_t b = r->rank; b < n_blocks; b += r->size)
        own += block_end(b, block, n) - b * block;
    return n - own;
}

/* One rank's blocks as consecutive virtual blocks of the executor: fn_w
 * (sh_ranks_for) or fn (sh_ranks_for_blocks) on each. */
typedef struct share {
    sh_worker_block_fn fn_w;
    sh_block_fn fn;
    void *ctx;
    size_t n, block;
    unsigned rank, size;
} share;

/* The items of the rank's block that virtual item `begin` starts. */
static void share_range(size_t *out_lo, size_t *out_hi, const share *s, size_t begin)
{
    size_t b = (begin / s->block) * s->size + s->rank;
    *out_lo = b * s->block;
    *out_hi = block_end(b, s->block, s->n);
}

static int share_worker_block(void *ctx, unsigned worker, size_t begin, size_t end, sh_err *err)
{
    const share *s = ctx;
    size_t lo, hi;
    (void)end;
    share_range(&lo, &hi, s, begin);
    return s->fn_w(s->ctx, worker, lo, hi, err);
}

static int share_block(void *ctx, size_t begin, size_t end, sh_err *err)
{
    const share *s = ctx;
    size_t lo, hi;
    (void)end;
    share_range(&lo, &hi, s, begin);
    return s->fn(s->ctx, lo, hi, err);
}

/* This rank's blocks of [0, n): how many. */
static size_t own_blocks(const sh_ranks *r, size_t n, size_t block)
{
    size_t n_blocks = (n + block - 1) / block;
    return n_blocks > r->rank ? (n_blocks - r->rank + r->size - 1) / r->size : 0;
}

int sh_ranks_for(const sh_ranks *r, sh_executor *ex, unsigned width, size_t n, size_t block,
                 sh_worker_block_fn fn, void *ctx, sh_err *err)
{
    if (!r || r->size == 1)
        return sh_executor_for(ex, width, n, block, fn, ctx, err);
    size_t mine = own_blocks(r, n, block);
    share s = {fn, NULL, ctx, n, block, r->rank, r->size};
    /* The last block may be short, so the virtual span is whole blocks. */
    return mine ? sh_executor_for(ex, width, mine * block, block, share_worker_block, &s, err)
                : 0;
}

/* Bytes of items [lo, hi) of every array, back to back. */
static size_t items_bytes(const sh_ranks_array *arrays, size_t n_arrays, size_t lo, size_t hi)
{
    size_t bytes = 0;
    for (size_t a = 0; a < n_arrays; a++)
        bytes += (hi - lo) * arrays[a].elem * (arrays[a].rows ? arrays[a].rows : 1);
    return bytes;
}

/* Copies items [lo, hi) of every array to (out) or from (in) p, row by
 * row; returns the end of what it read or wrote. */
static uint8_t *items_copy(uint8_t *p, const sh_ranks_array *arrays, size_t n_arrays, size_t lo,
                           size_t hi, int out)
{
    for (size_t a = 0; a < n_arrays; a++)
        for (size_t row = 0; row < (arrays[a].rows ? arrays[a].rows : 1); row++) {
            uint8_t *at = (uint8_t *)arrays[a].base + row * arrays[a].row_bytes +
                          lo * arrays[a].elem;
            size_t len = (hi - lo) * arrays[a].elem;
            memcpy(out ? p : at, out ? at : p, len);
            p += len;
        }
    return p;
}

/* Each rank's blocks (of `block` items of n, block b rank b % size's) of
 * arrays[0..n_arrays) reach every rank, after this rank's status rc (a
 * failure anywhere fails every rank, as sh_ranks_allgather does). */
static int share_blocks(sh_ranks *r, int rc, size_t n, size_t block,
                        const sh_ranks_array *arrays, size_t n_arrays, sh_err *err)
{
    size_t n_blocks = (n + block - 1) / block;
    /* This rank's items of each array, block by block. */
    size_t bytes = 0;
    for (size_t b = r->rank; b < n_blocks; b += r->size)
        bytes += items_bytes(arrays, n_arrays, b * block, block_end(b, block, n));
    uint8_t *packed = rc ? NULL : malloc(bytes ? bytes : 1), *p = packed;
    if (!rc && !packed)
        rc = sh_err_nomem(err);
    for (size_t b = r->rank; p && b < n_blocks; b += r->size)
        p = items_copy(p, arrays, n_arrays, b * block, block_end(b, block, n), 1);
    void *all = NULL;
    rc = sh_ranks_allgather(&all, NULL, r, rc, packed, bytes, err);
    free(packed);
    uint8_t *q = all;
    for (unsigned k = 0; !rc && k < r->size; k++)
        for (size_t b = k; b < n_blocks; b += r->size) {
            size_t lo = b * block, hi = block_end(b, block, n);
            if (k != r->rank)
                q = items_copy(q, arrays, n_arrays, lo, hi, 0);
            else
                q += items_bytes(arrays, n_arrays, lo, hi);
        }
    free(all);
    return rc;
}

int sh_ranks_for_blocks(sh_ranks *r, sh_executor *ex, unsigned width, size_t n, size_t block,
                        sh_block_fn fn, void *ctx, const sh_ranks_array *arrays,
                        size_t n_arrays, sh_err *err)
{
    if (!r || r->size == 1)
        return sh_executor_for_blocks(ex, width, n, block, fn, ctx, err);
    size_t mine = own_blocks(r, n, block);
    share s = {NULL, fn, ctx, n, block, r->rank, r->size};
    int rc = mine ? sh_executor_for_blocks(ex, width, mine * block, block, share_block, &s, err)
                  : 0;
    if (!n_arrays)
        return sh_ranks_agree(r, rc, err);
    return share_blocks(r, rc, n, block, arrays, n_arrays, err);
}

int sh_ranks_share_blocks(sh_ranks *r, size_t n, size_t block, const sh_ranks_array *arrays,
                          size_t n_arrays, sh_err *err)
{
    if (!r || r->size == 1)
        return 0;
    return share_blocks(r, 0, n, block, arrays, n_arrays, err);
}

/* Whether item i (blocks of `block` items) is rank k's of size. */
static int owner_is(size_t i, size_t block, unsigned k, unsigned size)
{
    return (i / block) % size == k;
}

int sh_ranks_share_items(sh_ranks *r, size_t block, const size_t *items, size_t n_items,
                         const sh_ranks_array *arrays, size_t n_arrays, sh_err *err)
{
    if (!r || r->size == 1)
        return 0;
    size_t per = items_bytes(arrays, n_arrays, 0, 1), own = 0;
    for (size_t j = 0; j < n_items; j++)
        own += owner_is(items[j], block, r->rank, r->size);
    uint8_t *packed = malloc(own * per + 1), *p = packed;
    const uint64_t *lens;
    if (!packed)
        sh_ranks_abort(r, 2);
    for (size_t j = 0; j < n_items; j++)
        if (owner_is(items[j], block, r->rank, r->size))
            p = items_copy(p, arrays, n_arrays, items[j], items[j] + 1, 1);
    void *all = NULL;
    int rc = sh_ranks_allgather(&all, &lens, r, 0, packed, own * per, err);
    free(packed);
    const uint8_t *from = all;
    for (unsigned k = 0; !rc && k < r->size; k++) {
        uint8_t *q = (uint8_t *)from;
        for (size_t j = 0; j < n_items; j++)
            if (owner_is(items[j], block, k, r->size))
                q = k == r->rank ? q + per : items_copy(q, arrays, n_arrays, items[j],
                                                        items[j] + 1, 0);
        from += lens[k];
    }
    free(all);
    return rc;
}

int sh_ranks_share_marks(sh_ranks *r, size_t block, uint8_t *marks, size_t n, sh_err *err)
{
    if (!r || r->size == 1)
        return 0;
    size_t own = 0;
    for (size_t i = 0; i < n; i++)
        own += marks[i] && owner_is(i, block, r->rank, r->size);
    uint64_t *packed = malloc(own * sizeof *packed + 1), *p = packed;
    const uint64_t *lens;
    if (!packed)
        sh_ranks_abort(r, 2);
    /* Index and mark in one word: the index below, the mark in the top byte. */
    for (size_t i = 0; i < n; i++)
        if (marks[i] && owner_is(i, block, r->rank, r->size))
            *p++ = (uint64_t)i | (uint64_t)marks[i] << 56;
    void *all = NULL;
    int rc = sh_ranks_allgather(&all, &lens, r, 0, packed, own * sizeof *packed, err);
    free(packed);
    uint64_t total = 0;
    for (unsigned k = 0; !rc && k < r->size; k++)
        total += lens[k] / sizeof *packed;
    for (uint64_t j = 0; !rc && j < total; j++) {
        uint64_t w;
        memcpy(&w, (uint8_t *)all + j * sizeof w, sizeof w);
        marks[w & ((UINT64_C(1) << 56) - 1)] = (uint8_t)(w >> 56);
    }
    free(all);
    return rc;
}
