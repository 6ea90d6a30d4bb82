#include "executor.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>

/* One submitted parallel-for. Lives on the submitter's stack. */
typedef struct job {
    size_t n, block;
    unsigned width;
    sh_worker_block_fn fn;
    void *ctx;
    atomic_size_t next;
    atomic_int stop;
    pthread_mutex_t fail_lock;
    size_t fail_at;        /* lowest failing block start, SIZE_MAX if none */
    sh_err fail_err;
} job;

struct sh_executor {
    unsigned threads;          /* in all, the submitter included */
    unsigned started;          /* helper threads running (threads - 1 unless short) */
    pthread_t *helpers;
    pthread_mutex_t submit;    /* held by the job that owns the pool */
    pthread_mutex_t lock;      /* guards what follows */
    pthread_cond_t work, done;
    unsigned long generation;  /* bumped per job, so a helper takes each job once */
    job *current;
    unsigned pending;          /* helpers not yet back from the current job */
    int quit;
};

/* Takes blocks of j until none is left or one has failed. */
static void run_blocks(job *j, unsigned worker)
{
    sh_err err = {0};
    while (!atomic_load(&j->stop)) {
        size_t begin = atomic_fetch_add(&j->next, j->block);
        if (begin >= j->n)
            break;
        size_t end = begin + j->block < j->n ? begin + j->block : j->n;
        int rc = j->fn(j->ctx, worker, begin, end, &err);
        if (rc) {
            err.code = rc;
            pthread_mutex_lock(&j->fail_lock);
            if (begin < j->fail_at) {
                j->fail_at = begin;
                j->fail_err = err;
            }
            pthread_mutex_unlock(&j->fail_lock);
            atomic_store(&j->stop, 1);
        }
    }
}

/* A helper's seat: its pool and its worker number (1 up). */
typedef struct seat {
    sh_executor *ex;
    unsigned worker;
} seat;

static void *helper(void *arg)
{
    seat me = *(seat *)arg;
    free(arg);
    sh_executor *ex = me.ex;
    unsigned long seen = 0;
    pthread_mutex_lock(&ex->lock);
    for (;;) {
        while (!ex->quit && ex->generation == seen)
            pthread_cond_wait(&ex->work, &ex->lock);
        if (ex->quit)
            break;
        seen = ex->generation;
        job *j = ex->current;
        pthread_mutex_unlock(&ex->lock);
        if (me.worker < j->width)
            run_blocks(j, me.worker);
        pthread_mutex_lock(&ex->lock);
        if (--ex->pending == 0)
            pthread_cond_signal(&ex->done);
    }
    pthread_mutex_unlock(&ex->lock);
    return NULL;
}

int sh_executor_create(sh_executor **out, unsigned threads, sh_err *err)
{
    *out = NULL;
    if (threads < 1 || threads > SH_THREADS_MAX)
        return sh_err_set(err, SH_E_INPUT, "an executor of %u threads (1 to %d)", threads,
                          SH_THREADS_MAX);
    sh_executor *ex = calloc(1, sizeof *ex);
    if (!ex)
        return sh_err_nomem(err);
    ex->threads = threads;
    ex->helpers = calloc(threads, sizeof *ex->helpers);
    if (!ex->helpers) {
        free(ex);
        return sh_err_nomem(err);
    }
    pthread_mutex_init(&ex->submit, NULL);
    pthread_mutex_init(&ex->lock, NULL);
    pthread_cond_init(&ex->work, NULL);
    pthread_cond_init(&ex->done, NULL);
    for (unsigned w = 1; w < threads; w++) {
        seat *s = malloc(sizeof *s);
        if (!s)
            break;
        *s = (seat){ex, w};
        if (pthread_create(&ex->helpers[ex->started], NULL, helper, s)) {
            free(s);
            break;
        }
        ex->started++;
    }
    /* A pool short of threads (a process limit) still runs every job: the
     * workers it lacks are simply never there to take blocks. */
    *out = ex;
    return 0;
}

void sh_executor_destroy(sh_executor *ex)
{
    if (!ex)
        return;
    pthread_mutex_lock(&ex->lock);
    ex->quit = 1;
    pthread_cond_broadcast(&ex->work);
    pthread_mutex_unlock(&ex->lock);
    for (unsigned k = 0; k < ex->started; k++)
        pthread_join(ex->helpers[k], NULL);
    pthread_cond_destroy(&ex->done);
    pthread_cond_destroy(&ex->work);
    pthread_mutex_destroy(&ex->lock);
    pthread_mutex_destroy(&ex->submit);
    free(ex->helpers);
    free(ex);
}

unsigned sh_executor_threads(const sh_executor *ex)
{
    return ex ? ex->threads : 1;
}

int sh_executor_for(sh_executor *ex, unsigned width, size_t n, size_t block,
                    sh_worker_block_fn fn, void *ctx, sh_err *err)
{
    job j = {.n = n, .block = block ? block : 1, .fn = fn, .ctx = ctx, .fail_at = SIZE_MAX};
    atomic_init(&j.next, 0);
    atomic_init(&j.stop, 0);
    pthread_mutex_init(&j.fail_lock, NULL);
    unsigned threads = sh_executor_threads(ex);
    j.width = width == 0 || width > threads ? threads : width;
    /* Only a job of more than one block is worth waking the pool for. */
    int pooled = ex && j.width > 1 && ex->started > 0 && n > j.block &&
                 pthread_mutex_trylock(&ex->submit) == 0;
    if (pooled) {
        pthread_mutex_lock(&ex->lock);
        ex->current = &j;
        ex->pending = ex->started;
        ex->generation++;
        pthread_cond_broadcast(&ex->work);
        pthread_mutex_unlock(&ex->lock);
    } else {
        j.width = 1;
    }
    run_blocks(&j, 0);
    if (pooled) {
        pthread_mutex_lock(&ex->lock);
        while (ex->pending)
            pthread_cond_wait(&ex->done, &ex->lock);
        ex->current = NULL;
        pthread_mutex_unlock(&ex->lock);
        pthread_mutex_unlock(&ex->submit);
    }
    pthread_mutex_destroy(&j.fail_lock);
    if (j.fail_at != SIZE_MAX) {
        if (err)
            *err = j.fail_err;
        return j.fail_err.code;
    }
    return 0;
}

/* sh_executor_for_blocks's function, called without the worker's number. */
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

int sh_executor_for_blocks(sh_executor *ex, unsigned width, size_t n, size_t block,
                           sh_block_fn fn, void *ctx, sh_err *err)
{
    plain p = {fn, ctx};
    return sh_executor_for(ex, width, n, block, plain_block, &p, err);
}
