#include "runner.h"

#include <errno.h>
#include <fcntl.h>
#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "checkpoint.h"
#include "embedding_score.h"
#include "image.h"
#include "outcome.h"
#include "executor.h"
#include "paths.h"
#include "provenance.h"

void sh_runner_engine_words(char *out, size_t cap, const char *message)
{
    snprintf(out, cap, "%s%s", message[0] ? ": " : "", message);
}

int sh_runner_image(shades_image *out, sh_pixels *px, const sh_manifest *m, size_t i,
                      sh_err *err)
{
    char path[PATH_MAX];
    int fd = -1;
    int rc = sh_manifest_open(&fd, path, m, i, err);
    if (rc)
        return rc;
    rc = sh_image_load_fd(px, fd, path, err);
    close(fd);
    if (rc) {
        char why[SH_ERR_MSG_MAX];
        memcpy(why, err->msg, sizeof why);
        return sh_err_set(err, rc, "%s:%zu: field 'path': %s", m->path, m->line[i], why);
    }
    *out = (shades_image){
        .struct_size = sizeof *out,
        .width = px->width,
        .height = px->height,
        .stride = px->stride,
        .format = px->format,
        .capture = SHADES_CAPTURE_UNKNOWN,
        .pixels = px->data,
    };
    return 0;
}

typedef struct template_job {
    sh_instance *inst;
    const sh_manifest *m;
    const int32_t *roles;
    sh_templates *t;
    sh_checkpoint *cp;
    sh_progress *progress;
} template_job;

/* One engine template call into slot i; a fault leaves result.outcome
 * set to SH_RUN_*. */
static int template_call(int *out_status, shades_template_result *res, char *words, size_t cap,
                         template_job *job, size_t i, const shades_image *im, int role,
                         sh_err *err)
{
    sh_instance *inst = job->inst;
    sh_engine_reply reply;
    words[0] = 0;
    *out_status = SHADES_OK;
    int rc = inst->calls->create_template(res, &reply, inst, sh_templates_slot(job->t, i),
                                          job->t->capacity, job->t->stride, im, role,
                                          (uint32_t)i, err);
    if (rc == 1)
        return sh_err_set(err, SH_E_ENGINE,
                              "engine '%s': create_template on image '%s' (%s:%zu) wrote "
                              "past the end of its %zu-byte buffer",
                              inst->id.name, job->m->image_id[i], job->m->path,
                              job->m->line[i], job->t->capacity);
    if (rc)
        return rc;
    *out_status = reply.status;
    if (*out_status != SHADES_OK)
        sh_runner_engine_words(words, cap, reply.message);
    return 0;
}

/* Checks a declared embedding fits template i. */
static int check_vector(template_job *job, size_t i, sh_err *err)
{
    const shades_embedding *e = &job->inst->embedding;
    size_t need = (size_t)e->offset + 4 * (size_t)e->dimension;
    if (job->t->size[i] < need)
        return sh_err_set(err, SH_E_ENGINE,
                              "engine '%s': template of image '%s' (%s:%zu) is %zu bytes; its "
                              "declared embedding needs %zu",
                              job->inst->id.name, job->m->image_id[i], job->m->path,
                              job->m->line[i], job->t->size[i], need);
    /* Scores are float dot products times the norms: a vector whose
     * squared length passes FLT_MAX / 4, or too short for float to hold
     * 1 / its length, would make them inf or NaN (and NaN stalls every
     * measure that sorts scores). */
    const float *v = sh_embedding_vector(e, sh_templates_slot(job->t, i));
    double sq = 0;
    for (size_t k = 0; k < e->dimension; k++) {
        if (!isfinite(v[k]))
            return sh_err_set(err, SH_E_ENGINE,
                                  "engine '%s': template of image '%s' (%s:%zu) has a "
                                  "non-finite value at element %zu of its declared embedding",
                                  job->inst->id.name, job->m->image_id[i], job->m->path,
                                  job->m->line[i], k);
        sq += (double)v[k] * v[k];
    }
    float norm = sh_embedding_norm(e, v);
    if (sq > FLT_MAX / 4 || !isfinite(norm))
        return sh_err_set(err, SH_E_ENGINE,
                              "engine '%s': template of image '%s' (%s:%zu) has a declared "
                              "embedding of length %g, %s float scores can hold",
                              job->inst->id.name, job->m->image_id[i], job->m->path,
                              job->m->line[i], sqrt(sq),
                              sq > FLT_MAX / 4 ? "longer than" : "shorter than");
    job->t->norm[i] = norm;
    return 0;
}

/* Templates per block, and per checkpoint record. */
#define TEMPLATE_BLOCK 16

static int make_templates_here(template_job *job, size_t begin, size_t end, sh_err *err)
{
    const sh_manifest *m = job->m;
    const char *name = job->inst->id.name;
    for (size_t i = begin; i < end; i++) {
        sh_pixels px;
        shades_image im;
        int rc = sh_runner_image(&im, &px, m, i, err);
        if (rc)
            return rc;
        shades_template_result res = {.struct_size = sizeof res};
        int st;
        char words[600];
        rc = template_call(&st, &res, words, sizeof words, job, i, &im,
                           job->roles ? job->roles[i] : SHADES_ROLE_ENROL_11, err);
        sh_image_free(&px);
        if (rc)
            return rc;
        if (st != SHADES_OK)
            return sh_err_set(err, SH_E_ENGINE,
                                  "engine '%s': create_template failed with %s on image '%s' "
                                  "(%s:%zu)%s",
                                  name, sh_status_name(st), m->image_id[i], m->path,
                                  m->line[i], words);
        if (res.size > job->t->capacity || !sh_outcome_known(res.outcome))
            return sh_err_set(err, SH_E_ENGINE,
                                  "engine '%s': create_template on image '%s' (%s:%zu) reported %s",
                                  name, m->image_id[i], m->path, m->line[i],
                                  res.size > job->t->capacity ? "a template larger than its buffer"
                                                              : "an unknown outcome");
        job->t->size[i] = res.size;
        job->t->outcome[i] = res.outcome;
        sh_engine_slot_set_size(sh_templates_slot(job->t, i), job->t->stride, res.size);
        if (job->t->norm && res.outcome == SHADES_OUTCOME_OK) {
            rc = check_vector(job, i, err);
            if (rc)
                return rc;
        }
        sh_progress_add(job->progress, 1);
    }
    return 0;
}

/* The per-item arrays of a templates record; the template bytes follow them. */
static size_t template_arrays(sh_ckpt_array *out, const sh_templates *t)
{
    out[0] = (sh_ckpt_array){t->size, sizeof *t->size};
    out[1] = (sh_ckpt_array){t->outcome, sizeof *t->outcome};
    out[2] = (sh_ckpt_array){t->norm, t->norm ? sizeof *t->norm : 0};
    return 3;
}

/* Templates [begin, end) from the checkpoint: 1 restored, 0 not there. */
static int restore_templates(template_job *job, size_t begin, size_t end, sh_err *err)
{
    sh_templates *t = job->t;
    void *payload;
    size_t len;
    int rc = sh_checkpoint_load(&payload, &len, job->cp, SH_CKPT_TEMPLATES, begin, end,
                                    err);
    if (rc <= 0)
        return rc;
    sh_ckpt_array a[3];
    size_t na = template_arrays(a, t), at = 0, n = end - begin;
    for (size_t k = 0; k < na && at + n * a[k].elem <= len; k++) {
        if (a[k].elem) /* no norms without a declared embedding */
            memcpy((uint8_t *)a[k].base + begin * a[k].elem, (uint8_t *)payload + at,
                   n * a[k].elem);
        at += n * a[k].elem;
    }
    /* The images the templates were made of: one changed since (mended
     * before its block was made is fine) would leave its old template,
     * and its scores, in a result that names the new image's hash. */
    for (size_t i = begin; i < end && at + 32 <= len; i++, at += 32) {
        unsigned char now[32];
        sh_provenance_image_hash(now, job->m, i);
        if (memcmp(now, (uint8_t *)payload + at, 32)) {
            free(payload);
            return sh_err_set(err, SH_E_INPUT,
                              "checkpoint %s: image '%s' (%s:%zu) has changed since its "
                              "template was made; a resume would keep the old image's template "
                              "and scores: delete the checkpoint and run afresh",
                              sh_checkpoint_dir(job->cp), job->m->image_id[i], job->m->path,
                              job->m->line[i]);
        }
    }
    for (size_t i = begin; i < end && at <= len; i++) {
        if (t->size[i] > t->capacity || t->size[i] > len - at) {
            at = len + 1;
            break;
        }
        memcpy(sh_templates_slot(t, i), (uint8_t *)payload + at, t->size[i]);
        sh_engine_slot_set_size(sh_templates_slot(t, i), t->stride, t->size[i]);
        at += t->size[i];
    }
    free(payload);
    if (at != len)
        return sh_err_set(err, SH_E_IO,
                              "checkpoint: templates %zu to %zu do not fit this engine's "
                              "templates; delete the checkpoint to start over",
                              begin, end - 1);
    sh_progress_add(job->progress, n);
    return 1;
}

/* Templates [begin, end) into the checkpoint. */
static int save_templates(template_job *job, size_t begin, size_t end, sh_err *err)
{
    const sh_templates *t = job->t;
    struct iovec parts[4 + TEMPLATE_BLOCK];
    sh_ckpt_array a[3];
    size_t na = template_arrays(a, t), n = end - begin, np = 0;
    if (!job->cp)
        return 0;
    for (size_t k = 0; k < na; k++)
        parts[np++] = (struct iovec){(uint8_t *)a[k].base + begin * a[k].elem, n * a[k].elem};
    unsigned char hash[TEMPLATE_BLOCK][32];
    for (size_t i = begin; i < end; i++)
        sh_provenance_image_hash(hash[i - begin], job->m, i);
    parts[np++] = (struct iovec){hash, n * 32};
    for (size_t i = begin; i < end; i++)
        parts[np++] = (struct iovec){sh_templates_slot(t, i), t->size[i]};
    return sh_checkpoint_save(job->cp, SH_CKPT_TEMPLATES, begin, end, parts, (int)np,
                                  err);
}

static int make_templates(void *ctx, size_t begin, size_t end, sh_err *err)
{
    template_job *job = ctx;
    int rc = restore_templates(job, begin, end, err);
    if (rc)
        return rc < 0 ? rc : 0;
    rc = make_templates_here(job, begin, end, err);
    return rc ? rc : save_templates(job, begin, end, err);
}

int sh_runner_restore(sh_checkpoint *cp, uint32_t stage, size_t begin, size_t end,
                          const sh_ckpt_array *arrays, size_t n, sh_progress *progress,
                          sh_err *err)
{
    int rc = sh_checkpoint_load_arrays(cp, stage, begin, end, arrays, n, err);
    if (rc > 0)
        sh_progress_add(progress, end - begin);
    return rc;
}

/* The templates' memory: a memfd, so engine calls made in other processes
 * can map it too (calls->share). Once mapped here it is sealed: its size
 * fixed, and no other writable mapping or write(), since a worker handed a
 * read-only descriptor can reopen it read-write through /proc and, unsealed,
 * could shrink it under this mapping (a SIGBUS here) or rewrite templates. */
static int map_templates(sh_templates *t, sh_err *err)
{
    size_t bytes = t->n * t->stride;
    t->fd = memfd_create("shades-templates", MFD_CLOEXEC | MFD_ALLOW_SEALING);
    if (t->fd < 0 || ftruncate(t->fd, (off_t)(bytes ? bytes : 8)) != 0)
        return sh_err_set(err, SH_E_NOMEM, "templates: cannot reserve %zu bytes", bytes);
    void *p = mmap(NULL, bytes ? bytes : 8, PROT_READ | PROT_WRITE, MAP_SHARED, t->fd, 0);
    if (p == MAP_FAILED)
        return sh_err_set(err, SH_E_NOMEM, "templates: cannot map %zu bytes", bytes);
    t->bytes = p;
    if (fcntl(t->fd, F_ADD_SEALS,
              F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_FUTURE_WRITE | F_SEAL_SEAL))
        return sh_err_set(err, SH_E_IO, "templates: cannot seal their memory: %s",
                          strerror(errno));
    return 0;
}

int sh_runner_templates(sh_templates **out, sh_instance *inst, sh_executor *ex,
                            sh_ranks *ranks, const sh_manifest *m, const int32_t *roles,
                            sh_checkpoint *cp, sh_progress *progress, sh_err *err)
{
    *out = NULL;
    sh_templates *t = calloc(1, sizeof *t);
    if (!t)
        return sh_err_nomem(err);
    t->fd = -1;
    t->n = m->n_items;
    t->capacity = inst->template_max;
    t->stride = (inst->template_max + 7) / 8 * 8 + 8;
    if (t->stride > SIZE_MAX / (t->n ? t->n : 1)) {
        free(t);
        return sh_err_nomem(err);
    }
    int rc = map_templates(t, err);
    t->size = calloc(t->n ? t->n : 1, sizeof *t->size);
    t->outcome = calloc(t->n ? t->n : 1, sizeof *t->outcome);
    if (inst->has_embedding)
        t->norm = calloc(t->n ? t->n : 1, sizeof *t->norm);
    if (!rc && (!t->size || !t->outcome || (inst->has_embedding && !t->norm)))
        rc = sh_err_nomem(err);
    sh_engine_slots slots = sh_templates_slots(t);
    if (!rc)
        rc = inst->calls->share(inst, &slots, err);
    template_job job = {inst, m, roles, t, cp, progress};
    sh_ranks_array made[4] = {{t->bytes, t->stride, 0, 0},
                              {t->size, sizeof *t->size, 0, 0},
                              {t->outcome, sizeof *t->outcome, 0, 0},
                              {t->norm, sizeof *t->norm, 0, 0}};
    if (!rc)
        rc = sh_ranks_for_blocks(ranks, ex, inst->threads, m->n_items, TEMPLATE_BLOCK,
                                 make_templates, &job, made, t->norm ? 4 : 3, err);
    if (!rc)
        sh_progress_add(progress, sh_ranks_items_elsewhere(ranks, m->n_items, TEMPLATE_BLOCK));
    if (rc) {
        sh_templates_destroy(t);
        return rc;
    }
    /* Made: from here on nothing writes a template. Read-only, an engine
     * that kept a buffer and writes to it later faults in that call, which
     * the guard names, instead of changing scores unseen. */
    if (t->n && mprotect(t->bytes, t->n * t->stride, PROT_READ) == 0)
        sh_guard_protect(t->bytes, t->n * t->stride);
    *out = t;
    return 0;
}

void sh_templates_destroy(sh_templates *t)
{
    if (!t)
        return;
    if (t->bytes) {
        sh_guard_protect(NULL, 0);
        munmap(t->bytes, t->n ? t->n * t->stride : 8);
    }
    if (t->fd >= 0)
        close(t->fd);
    free(t->size);
    free(t->outcome);
    free(t->norm);
    free(t);
}

/* The message for a failed compare of verify b with enrol a: an error
 * status, or a score that is not a finite number. */
static int compare_error(sh_instance *inst, const sh_manifest *m, uint32_t a, uint32_t b,
                         const sh_engine_bad_pair *bad, sh_err *err)
{
    char words[600], what[64];
    sh_runner_engine_words(words, sizeof words, bad->message);
    if (bad->status != SHADES_OK)
        snprintf(what, sizeof what, "failed with %s", sh_status_name(bad->status));
    else
        snprintf(what, sizeof what, "returned %s, not a finite score",
                 isnan(bad->score) ? "NaN" : bad->score > 0 ? "+inf" : "-inf");
    return sh_err_set(err, SH_E_ENGINE, "engine '%s': compare of '%s' with '%s' %s%s",
                          inst->id.name, m->image_id[b], m->image_id[a], what, words);
}

/* Score of verify item b against enrol item a by the harness itself. */
static double embedding_pair(const sh_instance *inst, const sh_templates *t, uint32_t a,
                             uint32_t b)
{
    const shades_embedding *e = &inst->embedding;
    return sh_embedding_score(e, sh_embedding_vector(e, sh_templates_slot(t, b)), t->norm[b],
                                  sh_embedding_vector(e, sh_templates_slot(t, a)), t->norm[a]);
}

int sh_runner_score_pairs(double *out, uint8_t *faults, sh_instance *inst,
                       const sh_templates *t, const sh_manifest *m,
                       const sh_engine_pair *pairs, size_t n, sh_err *err)
{
    if (inst->has_embedding) {
        memset(faults, SH_FAULT_NONE, n); /* the harness's own scores never fault */
        for (size_t k = 0; k < n; k++)
            out[k] = embedding_pair(inst, t, pairs[k].enrol, pairs[k].verify);
        return 0;
    }
    sh_engine_slots slots = sh_templates_slots(t);
    sh_engine_bad_pair bad;
    int rc = inst->calls->compare_batch(out, faults, &bad, inst, &slots, pairs, n, err);
    if (rc == 1)
        return compare_error(inst, m, pairs[bad.index].enrol, pairs[bad.index].verify, &bad,
                             err);
    return rc;
}

typedef struct compare_job {
    sh_instance *inst;
    const sh_templates *t;
    const sh_manifest *m;
    const sh_pair *pairs;
    double *scores;
    uint8_t *faults;
    sh_checkpoint *cp;
    uint32_t stage;
    sh_progress *progress;
} compare_job;

#define COMPARE_BLOCK SH_RUNNER_COMPARE_BLOCK

static int compare_block(void *ctx, size_t begin, size_t end, sh_err *err)
{
    compare_job *job = ctx;
    const sh_templates *t = job->t;
    sh_ckpt_array saved[2] = {{job->scores, sizeof *job->scores},
                                  {job->faults, job->faults ? 1 : 0}};
    int restored = sh_runner_restore(job->cp, job->stage, begin, end, saved, 2,
                                         job->progress, err);
    if (restored)
        return restored < 0 ? restored : 0;
    sh_engine_pair *live = calloc(end - begin, sizeof *live);
    size_t *at = malloc((end - begin) * sizeof *at);
    double *s = malloc((end - begin) * sizeof *s);
    uint8_t *f = calloc(end - begin, 1);
    size_t n = 0;
    int rc = live && at && s && f ? 0 : sh_err_nomem(err);
    for (size_t k = begin; !rc && k < end; k++) {
        uint32_t a = job->pairs[k].a, b = job->pairs[k].b;
        job->scores[k] = -INFINITY; /* a failed template is never compared */
        if (job->faults)
            job->faults[k] = SH_FAULT_NONE;
        if (t->outcome[a] == SHADES_OUTCOME_OK && t->outcome[b] == SHADES_OUTCOME_OK) {
            live[n] = (sh_engine_pair){a, b};
            at[n++] = k;
        }
    }
    if (!rc)
        rc = sh_runner_score_pairs(s, f, job->inst, t, job->m, live, n, err);
    for (size_t j = 0; !rc && j < n; j++) {
        job->scores[at[j]] = s[j];
        if (job->faults)
            job->faults[at[j]] = f[j];
    }
    free(live);
    free(at);
    free(s);
    free(f);
    if (!rc)
        rc = sh_checkpoint_save_arrays(job->cp, job->stage, begin, end, saved, 2, err);
    if (!rc)
        sh_progress_add(job->progress, end - begin);
    return rc;
}

int sh_runner_compare(double *out_scores, uint8_t *out_faults, sh_instance *inst,
                      sh_executor *ex, sh_ranks *ranks, int shared,
                          const sh_templates *t, const sh_manifest *m,
                          const sh_pair *pairs, size_t n, sh_checkpoint *cp,
                          uint32_t stage, sh_progress *progress, sh_err *err)
{
    compare_job job = {inst, t, m, pairs, out_scores, out_faults, cp, stage, progress};
    sh_ranks_array made[2] = {{out_scores, sizeof *out_scores, 0, 0},
                              {out_faults, 1, 0, 0}};
    int rc = sh_ranks_for_blocks(ranks, ex, inst->threads, n, COMPARE_BLOCK, compare_block,
                                 &job, made, !shared ? 0 : out_faults ? 2 : 1, err);
    if (!rc)
        sh_progress_add(progress, sh_ranks_items_elsewhere(ranks, n, COMPARE_BLOCK));
    return rc;
}
