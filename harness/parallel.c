#include "parallel.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct pool {
    size_t n, block;
    shades_block_fn fn;
    void *ctx;
    atomic_size_t next;
    atomic_int stop;
    pthread_mutex_t lock;
    size_t fail_at;        /* lowest failing block start, SIZE_MAX if none */
    shades_err fail_err;
} pool;

static void *worker(void *arg)
{
    pool *p = arg;
    shades_err err = {0};
    while (!atomic_load(&p->stop)) {
        size_t begin = atomic_fetch_add(&p->next, p->block);
        if (begin >= p->n)
            break;
        size_t end = begin + p->block < p->n ? begin + p->block : p->n;
        int rc = p->fn(p->ctx, begin, end, &err);
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

int shades_parallel_for(size_t n, size_t block, unsigned threads, shades_block_fn fn, void *ctx,
                        shades_err *err)
{
    pool p = {.n = n, .block = block ? block : 1, .fn = fn, .ctx = ctx, .fail_at = SIZE_MAX};
    atomic_init(&p.next, 0);
    atomic_init(&p.stop, 0);
    pthread_mutex_init(&p.lock, NULL);
    if (threads <= 1) {
        worker(&p);
    } else {
        pthread_t *tids = calloc(threads, sizeof *tids);
        if (!tids) {
            pthread_mutex_destroy(&p.lock);
            return shades_err_nomem(err);
        }
        unsigned started = 0;
        for (; started < threads; started++)
            if (pthread_create(&tids[started], NULL, worker, &p))
                break;
        if (started == 0)
            worker(&p);
        for (unsigned t = 0; t < started; t++)
            pthread_join(tids[t], NULL);
        free(tids);
    }
    pthread_mutex_destroy(&p.lock);
    if (p.fail_at != SIZE_MAX) {
        if (err)
            *err = p.fail_err;
        return p.fail_err.code;
    }
    return 0;
}
