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

static int compare_block(void *ctx, size_t begin, size_t end, shades_err *err)
{
    compare_job *job = ctx;
    const shades_templates *t = job->t;
    const shades_adapter *a = job->inst->plugin->entry;
    for (size_t k = begin; k < end; k++) {
        uint32_t ia = job->pairs[k].a, ib = job->pairs[k].b;
        if (t->outcome[ia] != SHADES_OUTCOME_OK || t->outcome[ib] != SHADES_OUTCOME_OK) {
            job->scores[k] = -INFINITY;
            continue;
        }
        double s = NAN;
        int st = a->compare(&s, job->inst->engine, t->bytes + ib * t->stride, t->size[ib],
                            t->bytes + ia * t->stride, t->size[ia]);
        if (st != SHADES_OK || isnan(s)) {
            char msg[512];
            shades_instance_last_message(job->inst, msg, sizeof msg);
            return shades_err_set(err, SHADES_E_ENGINE,
                                  "engine '%s': compare of '%s' with '%s' %s%s%s%s", a->name,
                                  job->m->image_id[ib], job->m->image_id[ia],
                                  st != SHADES_OK ? "failed with " : "returned NaN",
                                  st != SHADES_OK ? shades_status_name(st) : "",
                                  msg[0] ? ": " : "", msg);
        }
        job->scores[k] = s;
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
