#include "parallel.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct pool {
    size_t n, block;
    sh_worker_block_fn fn;
    void *ctx;
    atomic_size_t next;
    atomic_int stop;
    pthread_mutex_t lock;
    size_t fail_at;        /* lowest failing block start, SIZE_MAX if none */
    sh_err fail_err;
} pool;

/* One thread of a pool: the pool and the thread's number. */
typedef struct seat {
    pool *p;
    unsigned index;
} seat;

static void *worker(void *arg)
{
    seat *me = arg;
    pool *p = me->p;
    sh_err err = {0};
    while (!atomic_load(&p->stop)) {
        size_t begin = atomic_fetch_add(&p->next, p->block);
        if (begin >= p->n)
            break;
        size_t end = begin + p->block < p->n ? begin + p->block : p->n;
        int rc = p->fn(p->ctx, me->index, begin, end, &err);
        if (rc) {
            err.code = rc;
            pthread_mutex_lock(&p->lock);
            if (begin < p->fail_at) {
                p->fail_at = begin;
                p->fail_err = err;
            }
            pthread_mutex_unlock(&p->lock);
            atomic_store(&p->stop, 1);
        }
    }
    return NULL;
}

int sh_parallel_for_workers(size_t n, size_t block, unsigned threads,
                                sh_worker_block_fn fn, void *ctx, sh_err *err)
{
    pool p = {.n = n, .block = block ? block : 1, .fn = fn, .ctx = ctx, .fail_at = SIZE_MAX};
    atomic_init(&p.next, 0);
    atomic_init(&p.stop, 0);
    pthread_mutex_init(&p.lock, NULL);
    if (threads <= 1) {
        seat me = {&p, 0};
        worker(&me);
    } else {
        pthread_t *tids = calloc(threads, sizeof *tids);
        seat *seats = calloc(threads, sizeof *seats);
        if (!tids || !seats) {
            free(tids);
            free(seats);
            pthread_mutex_destroy(&p.lock);
            return sh_err_nomem(err);
        }
        unsigned started = 0;
        for (; started < threads; started++) {
            seats[started] = (seat){&p, started};
            if (pthread_create(&tids[started], NULL, worker, &seats[started]))
                break;
        }
        if (started == 0)
            worker(&seats[0]);
        for (unsigned t = 0; t < started; t++)
            pthread_join(tids[t], NULL);
        free(tids);
        free(seats);
    }
    pthread_mutex_destroy(&p.lock);
    if (p.fail_at != SIZE_MAX) {
        if (err)
            *err = p.fail_err;
        return p.fail_err.code;
    }
    return 0;
}

/* sh_parallel_for's function, called without the worker's number. */
typedef struct plain {
    sh_block_fn fn;
    void *ctx;
} plain;

static int plain_block(void *ctx, unsigned worker, size_t begin, size_t end, sh_err *err)
{
    (void)worker;
    const plain *p = ctx;
    return p->fn(p->ctx, begin, end, err);
}

int sh_parallel_for(size_t n, size_t block, unsigned threads, sh_block_fn fn, void *ctx,
                        sh_err *err)
{
    plain p = {fn, ctx};
    return sh_parallel_for_workers(n, block, threads, plain_block, &p, err);
}
