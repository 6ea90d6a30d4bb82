#include "runner.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "image.h"
#include "parallel.h"
#include "paths.h"

typedef struct template_job {
    shades_instance *inst;
    const shades_manifest *m;
    shades_templates *t;
    shades_progress *progress;
} template_job;

static int make_templates(void *ctx, size_t begin, size_t end, shades_err *err)
{
    template_job *job = ctx;
    const shades_manifest *m = job->m;
    const shades_adapter *a = job->inst->plugin->entry;
    for (size_t i = begin; i < end; i++) {
        char path[PATH_MAX];
        int rc = shades_path_join(path, sizeof path, m->root, m->image_path[i], err);
        shades_pixels px;
        if (!rc)
            rc = shades_image_load(&px, path, err);
        if (rc) {
            char why[SHADES_ERR_MSG_MAX];
            memcpy(why, err->msg, sizeof why);
            return shades_err_set(err, rc, "%s:%zu: field 'path': %s", m->path, m->line[i], why);
        }
        shades_image im = {
            .struct_size = sizeof im,
            .width = px.width,
            .height = px.height,
            .stride = px.stride,
            .format = px.format,
            .capture = SHADES_CAPTURE_UNKNOWN,
            .pixels = px.data,
        };
        shades_template_result res = {.struct_size = sizeof res};
        uint8_t *buf = job->t->bytes + i * job->t->stride;
        int st = a->create_template(buf, &res, job->inst->engine, &im, 1, job->t->stride,
                                    SHADES_ROLE_ENROL_11);
        shades_image_free(&px);
        char msg[512];
        if (st != SHADES_OK) {
            shades_instance_last_message(job->inst, msg, sizeof msg);
            return shades_err_set(err, SHADES_E_ENGINE,
                                  "engine '%s': create_template failed with %s on image '%s' (%s:%zu)%s%s",
                                  a->name, shades_status_name(st), m->image_id[i], m->path,
                                  m->line[i], msg[0] ? ": " : "", msg);
        }
        if (res.size > job->t->stride || res.outcome < SHADES_OUTCOME_OK ||
            res.outcome > SHADES_OUTCOME_FAILED)
            return shades_err_set(err, SHADES_E_ENGINE,
                                  "engine '%s': create_template on image '%s' (%s:%zu) reported %s",
                                  a->name, m->image_id[i], m->path, m->line[i],
                                  res.size > job->t->stride ? "a template larger than its buffer"
                                                            : "an unknown outcome");
        job->t->size[i] = res.size;
        job->t->outcome[i] = res.outcome;
        shades_progress_add(job->progress, 1);
    }
    return 0;
}

int shades_runner_templates(shades_templates **out, shades_instance *inst,
                            const shades_manifest *m, shades_progress *progress,
                            shades_err *err)
{
    *out = NULL;
    shades_templates *t = calloc(1, sizeof *t);
    if (!t)
        return shades_err_nomem(err);
    t->n = m->n_items;
    t->stride = inst->template_max;
    if (t->stride > SIZE_MAX / (t->n ? t->n : 1)) {
        free(t);
        return shades_err_nomem(err);
    }
    t->bytes = calloc(t->n, t->stride);
    t->size = calloc(t->n, sizeof *t->size);
    t->outcome = calloc(t->n, sizeof *t->outcome);
    if (!t->bytes || !t->size || !t->outcome) {
        shades_templates_destroy(t);
        return shades_err_nomem(err);
    }
    template_job job = {inst, m, t, progress};
    int rc = shades_parallel_for(m->n_items, 16, inst->threads, make_templates, &job, err);
    if (rc) {
        shades_templates_destroy(t);
        return rc;
    }
    *out = t;
    return 0;
}

void shades_templates_destroy(shades_templates *t)
{
    if (!t)
        return;
    free(t->bytes);
    free(t->size);
    free(t->outcome);
    free(t);
}

typedef struct compare_job {
    shades_instance *inst;
    const shades_templates *t;
    const shades_manifest *m;
    const shades_pair *pairs;
    double *scores;
    shades_progress *progress;
} compare_job;

/* The engine's score of verify item b against enrol item a into *out;
 * -inf when either template failed. */
static int compare_one(double *out, shades_instance *inst, const shades_templates *t,
                       const shades_manifest *m, uint32_t a, uint32_t b, shades_err *err)
{
    const shades_adapter *ad = inst->plugin->entry;
    if (t->outcome[a] != SHADES_OUTCOME_OK || t->outcome[b] != SHADES_OUTCOME_OK) {
        *out = -INFINITY;
        return 0;
    }
    double s = NAN;
    int st = ad->compare(&s, inst->engine, t->bytes + b * t->stride, t->size[b],
                         t->bytes + a * t->stride, t->size[a]);
    if (st != SHADES_OK || isnan(s)) {
        char msg[512];
        shades_instance_last_message(inst, msg, sizeof msg);
        return shades_err_set(err, SHADES_E_ENGINE, "engine '%s': compare of '%s' with '%s' %s%s%s%s",
                              ad->name, m->image_id[b], m->image_id[a],
                              st != SHADES_OK ? "failed with " : "returned NaN",
                              st != SHADES_OK ? shades_status_name(st) : "", msg[0] ? ": " : "",
                              msg);
    }
    *out = s;
    return 0;
}

static int compare_block(void *ctx, size_t begin, size_t end, shades_err *err)
{
    compare_job *job = ctx;
    for (size_t k = begin; k < end; k++) {
        int rc = compare_one(&job->scores[k], job->inst, job->t, job->m, job->pairs[k].a,
                             job->pairs[k].b, err);
        if (rc)
            return rc;
    }
    shades_progress_add(job->progress, end - begin);
    return 0;
}

int shades_runner_compare(double *out_scores, shades_instance *inst, const shades_templates *t,
                          const shades_manifest *m, const shades_pair *pairs, size_t n,
                          shades_progress *progress, shades_err *err)
{
    compare_job job = {inst, t, m, pairs, out_scores, progress};
    return shades_parallel_for(n, 4096, inst->threads, compare_block, &job, err);
}

typedef struct search_job {
    shades_instance *inst;
    const shades_templates *t;
    const shades_manifest *m;
    const uint32_t *gallery, *probes;
    size_t n_gallery;
    shades_candidates *c;
    shades_progress *progress;
} search_job;

/* Inserts (score, slot) into a best-first list of length L if it belongs. */
static void insert_candidate(double *score, uint32_t *slot, size_t L, double s, uint32_t g)
{
    if (!(s > score[L - 1]) && !(s == score[L - 1] && g < slot[L - 1]))
        return;
    size_t k = L - 1;
    while (k > 0 && (s > score[k - 1] || (s == score[k - 1] && g < slot[k - 1]))) {
        score[k] = score[k - 1];
        slot[k] = slot[k - 1];
        k--;
    }
    score[k] = s;
    slot[k] = g;
}

static int search_block(void *ctx, size_t begin, size_t end, shades_err *err)
{
    search_job *job = ctx;
    size_t L = job->c->length;
    for (size_t q = begin; q < end; q++) {
        double *score = job->c->score + q * L;
        uint32_t *slot = job->c->slot + q * L;
        for (size_t k = 0; k < L; k++) {
            score[k] = -INFINITY;
            slot[k] = UINT32_MAX;
        }
        for (size_t g = 0; g < job->n_gallery; g++) {
            double s;
            int rc = compare_one(&s, job->inst, job->t, job->m, job->gallery[g], job->probes[q],
                                 err);
            if (rc)
                return rc;
            if (s > -INFINITY) /* a failed template is never a candidate */
                insert_candidate(score, slot, L, s, (uint32_t)g);
        }
    }
    shades_progress_add(job->progress, end - begin);
    return 0;
}

int shades_runner_search(shades_candidates **out, shades_instance *inst,
                         const shades_templates *t, const shades_manifest *m,
                         const uint32_t *gallery, size_t n_gallery, const uint32_t *probes,
                         size_t n, size_t length, shades_progress *progress, shades_err *err)
{
    *out = NULL;
    shades_candidates *c = calloc(1, sizeof *c);
    if (c) {
        c->n_searches = n;
        c->length = length;
        c->score = malloc((n ? n : 1) * length * sizeof *c->score);
        c->slot = malloc((n ? n : 1) * length * sizeof *c->slot);
    }
    if (!c || !c->score || !c->slot) {
        shades_candidates_destroy(c);
        return shades_err_nomem(err);
    }
    search_job job = {inst, t, m, gallery, probes, n_gallery, c, progress};
    int rc = shades_parallel_for(n, 8, inst->threads, search_block, &job, err);
    if (rc) {
        shades_candidates_destroy(c);
        return rc;
    }
    *out = c;
    return 0;
}

void shades_candidates_destroy(shades_candidates *c)
{
    if (!c)
        return;
    free(c->score);
    free(c->slot);
    free(c);
}
