/* 1:N searches and attribute estimation: the runner's other two loops. */
#include <cblas.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "candidate_pool.h"
#include "embedding_score.h"
#include "image.h"
#include "outcome.h"
#include "executor.h"
#include "runner.h"

typedef struct search_job {
    sh_instance *inst;
    const sh_templates *t;
    const sh_manifest *m;
    const uint32_t *gallery, *probes;
    size_t n_gallery;
    /* the usable gallery: slots with a template, and for embeddings their vectors */
    uint32_t *ok;
    size_t n_ok;
    float *vectors, *norms;
    sh_engine_gallery *engine_gallery;
    sh_candidates *c;
    sh_checkpoint *cp;
    uint32_t stage;
    size_t block; /* probes a block of the harness's own embedding searches */
    sh_progress *progress;
} search_job;

static int cmp_ref(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Whether cand[0..n) lists one gallery entry twice. */
static int listed_twice(const shades_candidate *cand, size_t n)
{
    uint64_t refs[SH_CANDIDATES_MAX];
    for (size_t k = 0; k < n; k++)
        refs[k] = cand[k].ref;
    qsort(refs, n, sizeof *refs, cmp_ref);
    for (size_t k = 1; k < n; k++)
        if (refs[k] == refs[k - 1])
            return 1;
    return 0;
}

/* The engine's own search for probe q into its candidate list. */
static int engine_search(search_job *job, size_t q, double *score, uint32_t *slot,
                         sh_err *err)
{
    size_t L = job->c->length, got = 0;
    uint32_t p = job->probes[q];
    shades_candidate cand[SH_CANDIDATES_MAX];
    sh_instance *inst = job->inst;
    const sh_templates *t = job->t;
    sh_engine_slots slots = sh_templates_slots(t);
    sh_engine_reply reply;
    int rc = inst->calls->search(cand, &got, &reply, inst, job->engine_gallery, &slots, p, L,
                                 err);
    if (rc)
        return rc;
    int st = reply.status;
    const char *bad = st != SHADES_OK ? sh_status_name(st)
                      : got > L       ? "more candidates than asked for"
                                      : NULL;
    for (size_t k = 0; !bad && k < got; k++)
        if (cand[k].ref >= job->n_gallery || !isfinite(cand[k].score) ||
            job->t->outcome[job->gallery[cand[k].ref]] != SHADES_OUTCOME_OK)
            bad = "a candidate that is not a usable gallery entry";
        else if (k && cand[k].score > cand[k - 1].score)
            bad = "candidates out of order";
    if (!bad && listed_twice(cand, got))
        bad = "a gallery entry listed twice";
    if (bad) {
        char words[600];
        sh_runner_engine_words(words, sizeof words, reply.message);
        return sh_err_set(err, SH_E_ENGINE, "engine '%s': search of '%s' returned %s%s",
                              inst->id.name, job->m->image_id[p], bad, words);
    }
    for (size_t k = 0; k < got; k++)
        sh_candidates_insert(score, slot, L, cand[k].score, (uint32_t)cand[k].ref);
    return 0;
}

/* Probe q against every usable gallery template, by the engine's compare. */
static int harness_search(search_job *job, size_t q, double *score, uint32_t *slot, double *s,
                          uint8_t *f, sh_engine_pair *pairs, sh_err *err)
{
    uint32_t p = job->probes[q];
    for (size_t k = 0; k < job->n_ok; k++)
        pairs[k] = (sh_engine_pair){job->gallery[job->ok[k]], p};
    int rc = sh_runner_score_pairs(s, f, job->inst, job->t, job->m, pairs, job->n_ok, err);
    if (rc)
        return rc;
    for (size_t k = 0; k < job->n_ok; k++)
        if (!f[k]) /* a comparison lost to a fault lists nothing */
            sh_candidates_insert(score, slot, job->c->length, s[k], job->ok[k]);
    return 0;
}

/* Probes [begin, end) (at most job->block) against every usable gallery
 * vector, by the harness: the usable probes' vectors packed, scored against
 * SH_SEARCH_TILE gallery vectors at a time with one sgemm, each tile's
 * scores offered to the probes' pool while it is in cache, then the lists
 * written (a failed probe's stays empty). A list does not depend on the
 * order its candidates come in. Returns 0 or -1. */
static int embedding_search(search_job *job, size_t begin, size_t end)
{
    const shades_embedding *e = &job->inst->embedding;
    const sh_templates *t = job->t;
    size_t d = e->dimension, L = job->c->length, n_rows = 0;
    size_t B = job->block;
    float *rows = malloc(B * d * sizeof *rows);
    float *dots = malloc(B * SH_SEARCH_TILE * sizeof *dots);
    size_t *row_q = malloc(B * sizeof *row_q);
    sh_candidate_pool *pool = sh_candidate_pool_create(B, L);
    if (!rows || !dots || !row_q || !pool) {
        free(rows);
        free(dots);
        free(row_q);
        sh_candidate_pool_destroy(pool);
        return -1;
    }
    for (size_t q = begin; q < end; q++)
        if (t->outcome[job->probes[q]] == SHADES_OUTCOME_OK) {
            memcpy(rows + n_rows * d, sh_embedding_vector(e, sh_templates_slot(t, job->probes[q])),
                   d * sizeof *rows);
            row_q[n_rows++] = q;
        }
    for (size_t g0 = 0; n_rows && g0 < job->n_ok; g0 += SH_SEARCH_TILE) {
        size_t ng = job->n_ok - g0 < SH_SEARCH_TILE ? job->n_ok - g0 : SH_SEARCH_TILE;
        sh_embedding_dots(dots, rows, n_rows, d, job->vectors + g0 * d, ng, d, d);
        for (size_t i = 0; i < n_rows; i++) {
            float pn = t->norm[job->probes[row_q[i]]];
            const float *dot = dots + i * ng, *gn = job->norms + g0;
            if (e->metric == SHADES_METRIC_COSINE)
                sh_candidate_pool_cosine_row(pool, i, dot, gn, pn, job->ok + g0, ng);
            else
                for (size_t k = 0; k < ng; k++)
                    sh_candidate_pool_add(pool, i, sh_embedding_from_dot(e, dot[k], gn[k], pn),
                                          job->ok[g0 + k]);
        }
    }
    for (size_t i = 0; i < n_rows; i++)
        sh_candidate_pool_take(job->c->score + row_q[i] * L, job->c->slot + row_q[i] * L, pool, i);
    free(rows);
    free(dots);
    free(row_q);
    sh_candidate_pool_destroy(pool);
    return 0;
}

static int search_block(void *ctx, size_t begin, size_t end, sh_err *err)
{
    search_job *job = ctx;
    size_t L = job->c->length, n = job->n_ok ? job->n_ok : 1;
    sh_ckpt_array saved[2] = {{job->c->score, L * sizeof *job->c->score},
                                  {job->c->slot, L * sizeof *job->c->slot}};
    int restored = sh_runner_restore(job->cp, job->stage, begin, end, saved, 2,
                                         job->progress, err);
    if (restored)
        return restored < 0 ? restored : 0;
    sh_candidates_clear(job->c->score + begin * L, job->c->slot + begin * L, (end - begin) * L);
    if (job->vectors) {
        if (embedding_search(job, begin, end))
            return sh_err_nomem(err);
    } else {
        double *s = malloc(n * sizeof *s);
        uint8_t *f = malloc(n);
        sh_engine_pair *pairs = malloc(n * sizeof *pairs);
        int rc = s && f && pairs ? 0 : sh_err_nomem(err);
        for (size_t q = begin; !rc && q < end; q++) {
            double *score = job->c->score + q * L;
            uint32_t *slot = job->c->slot + q * L;
            if (job->t->outcome[job->probes[q]] != SHADES_OUTCOME_OK)
                continue; /* a failed probe finds nothing */
            rc = job->engine_gallery ? engine_search(job, q, score, slot, err)
                                     : harness_search(job, q, score, slot, s, f, pairs, err);
        }
        free(s);
        free(f);
        free(pairs);
        if (rc)
            return rc;
    }
    int rc = sh_checkpoint_save_arrays(job->cp, job->stage, begin, end, saved, 2, err);
    if (!rc)
        sh_progress_add(job->progress, end - begin);
    return rc;
}

/* Gallery vectors a thread copies at a time. */
#define GALLERY_COPY_BLOCK 1024

/* Copies usable gallery entries [begin, end): their vectors and norms. */
static int copy_gallery(void *ctx, size_t begin, size_t end, sh_err *err)
{
    (void)err;
    search_job *job = ctx;
    const shades_embedding *e = &job->inst->embedding;
    size_t d = e->dimension;
    for (size_t k = begin; k < end; k++) {
        uint32_t item = job->gallery[job->ok[k]];
        memcpy(job->vectors + k * d, sh_embedding_vector(e, sh_templates_slot(job->t, item)),
               d * sizeof(float));
        job->norms[k] = job->t->norm[item];
    }
    return 0;
}

/* The usable gallery, and what the chosen search path needs of it; ex
 * copies the vectors. */
static int prepare_gallery(search_job *job, sh_executor *ex, sh_err *err)
{
    const sh_templates *t = job->t;
    sh_instance *inst = job->inst;
    job->ok = malloc((job->n_gallery ? job->n_gallery : 1) * sizeof *job->ok);
    if (!job->ok)
        return sh_err_nomem(err);
    for (size_t g = 0; g < job->n_gallery; g++)
        if (t->outcome[job->gallery[g]] == SHADES_OUTCOME_OK)
            job->ok[job->n_ok++] = (uint32_t)g;
    size_t n = job->n_ok ? job->n_ok : 1;
    if (inst->has_search) {
        uint32_t *items = malloc(n * sizeof *items);
        uint64_t *ids = malloc(n * sizeof *ids);
        int rc = items && ids ? 0 : sh_err_nomem(err);
        for (size_t k = 0; !rc && k < job->n_ok; k++) {
            items[k] = job->gallery[job->ok[k]];
            ids[k] = job->ok[k];
        }
        sh_engine_slots slots = sh_templates_slots(t);
        sh_engine_reply reply;
        if (!rc)
            rc = inst->calls->gallery_create(&job->engine_gallery, &reply, inst, &slots, items,
                                             ids, job->n_ok, err);
        free(items);
        free(ids);
        if (!rc && !job->engine_gallery) {
            char words[600];
            sh_runner_engine_words(words, sizeof words, reply.message);
            rc = sh_err_set(err, SH_E_ENGINE, "engine '%s': gallery_create failed (%s)%s",
                                inst->id.name, sh_status_name(reply.status), words);
        }
        return rc;
    }
    if (inst->has_embedding) {
        /* Not on 2 MiB pages (huge_alloc.h): measured, their first touch
         * took longer here than the small pages' faults. */
        job->vectors = malloc(n * inst->embedding.dimension * sizeof *job->vectors);
        job->norms = malloc(n * sizeof *job->norms);
        if (!job->vectors || !job->norms)
            return sh_err_nomem(err);
        /* On every thread: on one, 2.6 ms of bench_search's 75 for 8,192
         * vectors, most of it the first touch of the pages; 1.8 ms on two. */
        return sh_executor_for_blocks(ex, inst->threads, job->n_ok, GALLERY_COPY_BLOCK,
                                      copy_gallery, job, err);
    }
    return 0;
}

int sh_runner_search(sh_candidates **out, sh_instance *inst, sh_executor *ex,
                         sh_ranks *ranks, const sh_templates *t, const sh_manifest *m,
                         const uint32_t *gallery, size_t n_gallery, const uint32_t *probes,
                         size_t n, size_t length, size_t block, sh_checkpoint *cp,
                         uint32_t stage, sh_progress *progress, sh_err *err)
{
    *out = NULL;
    sh_candidates *c = sh_candidates_create(n, length);
    if (!c)
        return sh_err_nomem(err);
    search_job job = {.inst = inst, .t = t, .m = m, .gallery = gallery, .probes = probes,
                      .n_gallery = n_gallery, .c = c, .cp = cp, .stage = stage,
                      .block = block ? block : SH_SEARCH_BLOCK,
                      .progress = progress};
    int rc = prepare_gallery(&job, ex, err);
    /* BLAS on each search thread alone: the threads already fill the cores. */
    if (!rc && job.vectors)
        openblas_set_num_threads(1);
    sh_ranks_array made[2] = {{c->score, length * sizeof *c->score, 0, 0},
                              {c->slot, length * sizeof *c->slot, 0, 0}};
    block = job.vectors ? job.block : 8;
    if (!rc)
        rc = sh_ranks_for_blocks(ranks, ex, inst->threads, n, block, search_block, &job, made, 2,
                                 err);
    if (!rc)
        sh_progress_add(progress, sh_ranks_items_elsewhere(ranks, n, block));
    if (job.engine_gallery)
        inst->calls->gallery_destroy(inst, job.engine_gallery);
    free(job.ok);
    free(job.vectors);
    free(job.norms);
    if (rc) {
        sh_candidates_destroy(c);
        return rc;
    }
    *out = c;
    return 0;
}

typedef struct estimate_job {
    sh_instance *inst;
    const sh_manifest *m;
    shades_attributes *out;
    sh_checkpoint *cp;
    sh_progress *progress;
} estimate_job;

/* Estimates item i into *a; a fault becomes a SH_RUN_* outcome.
 * words gets the engine's ": message" after an error status. */
static int estimate_one(shades_attributes *a, int *out_status, char *words, size_t cap,
                        sh_instance *inst, const shades_image *im, size_t i, sh_err *err)
{
    words[0] = 0;
    *a = (shades_attributes){.struct_size = sizeof *a, .age = -1};
    sh_engine_reply reply;
    int rc = inst->calls->estimate(a, &reply, inst, im, (uint32_t)i, err);
    if (rc)
        return rc;
    *out_status = reply.status;
    if (*out_status != SHADES_OK)
        sh_runner_engine_words(words, cap, reply.message);
    return 0;
}

static int estimate_block(void *ctx, size_t begin, size_t end, sh_err *err)
{
    estimate_job *job = ctx;
    const sh_manifest *m = job->m;
    sh_ckpt_array saved[1] = {{job->out, sizeof *job->out}};
    int restored = sh_runner_restore(job->cp, SH_CKPT_ESTIMATES, begin, end, saved, 1,
                                         job->progress, err);
    if (restored)
        return restored < 0 ? restored : 0;
    for (size_t i = begin; i < end; i++) {
        char words[600];
        sh_pixels px;
        shades_image im;
        int rc = sh_runner_image(&im, &px, m, i, err);
        if (rc)
            return rc;
        int st;
        rc = estimate_one(&job->out[i], &st, words, sizeof words, job->inst, &im, i, err);
        sh_image_free(&px);
        if (rc)
            return rc;
        int32_t sex = job->out[i].sex;
        double confidence = job->out[i].sex_confidence;
        /* As check-adapter does: a confidence outside [0, 1] (or NaN) is
         * not one, and would be stored as if it were. */
        const char *bad = st != SHADES_OK ? sh_status_name(st)
                          : !sh_outcome_known(job->out[i].outcome) ? "an unknown outcome"
                          : sex < SHADES_SEX_UNKNOWN || sex > SHADES_SEX_MALE ? "an unknown sex"
                          : !(confidence >= 0 && confidence <= 1)
                              ? "a sex_confidence that is not in [0, 1]"
                              : NULL;
        if (bad)
            return sh_err_set(err, SH_E_ENGINE,
                                  "engine '%s': estimate on image '%s' (%s:%zu) %s %s%s",
                                  job->inst->id.name, m->image_id[i], m->path, m->line[i],
                                  st != SHADES_OK ? "failed with" : "reported", bad, words);
        sh_progress_add(job->progress, 1);
    }
    return sh_checkpoint_save_arrays(job->cp, SH_CKPT_ESTIMATES, begin, end, saved, 1,
                                         err);
}

int sh_runner_estimate(shades_attributes *out, sh_instance *inst, sh_executor *ex,
                           sh_ranks *ranks, const sh_manifest *m, sh_checkpoint *cp,
                           sh_progress *progress, sh_err *err)
{
    estimate_job job = {inst, m, out, cp, progress};
    sh_ranks_array made[1] = {{out, sizeof *out, 0, 0}};
    int rc = sh_ranks_for_blocks(ranks, ex, inst->threads, m->n_items, 16, estimate_block, &job,
                                 made, 1, err);
    if (!rc)
        sh_progress_add(progress, sh_ranks_items_elsewhere(ranks, m->n_items, 16));
    return rc;
}
