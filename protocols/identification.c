#include "identification.h"

#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

void sh_search_plan_destroy(sh_search_plan *p)
{
    if (!p)
        return;
    free(p->gallery);
    free(p->mated);
    free(p->mate);
    free(p->nonmated);
    free(p);
}

/* Working arrays of one plan, one per subject. */
typedef struct scratch {
    size_t *order;         /* subjects shuffled: the first `holdout` are held out */
    size_t *count;         /* images of each subject */
    size_t *pick;          /* which of its images (in file order) a subject enrols */
    size_t *seen;          /* images of each subject met so far */
    uint32_t *slot;        /* gallery index of each subject, UINT32_MAX when held out */
} scratch;

static void scratch_free(scratch *s)
{
    free(s->order);
    free(s->count);
    free(s->pick);
    free(s->seen);
    free(s->slot);
}

/* Fills the plan from the shuffle; every allocation is already made. */
static void fill_plan(sh_search_plan *p, scratch *s, const sh_manifest *m, size_t holdout,
                      gsl_rng *rng)
{
    size_t ns = m->n_subjects;
    for (size_t i = 0; i < m->n_items; i++)
        s->count[m->subject[i]]++;
    for (size_t k = 0; k < ns; k++)
        s->slot[s->order[k]] = k < holdout ? UINT32_MAX : 0;
    /* Enrolled subjects take gallery slots in subject order, each drawing
     * the image it enrols in that order too, so the plan depends on the
     * seed and the manifest only. */
    for (size_t subj = 0; subj < ns; subj++)
        if (s->slot[subj] != UINT32_MAX) {
            s->slot[subj] = (uint32_t)p->n_gallery++;
            s->pick[subj] = (size_t)gsl_rng_uniform_int(rng, s->count[subj]);
        }
    for (size_t i = 0; i < m->n_items; i++) {
        uint32_t subj = m->subject[i];
        size_t rank = s->seen[subj]++;
        if (s->slot[subj] == UINT32_MAX) {
            p->nonmated[p->n_nonmated++] = (uint32_t)i;
        } else if (rank == s->pick[subj]) {
            p->gallery[s->slot[subj]] = (uint32_t)i;
        } else {
            p->mate[p->n_mated] = s->slot[subj];
            p->mated[p->n_mated++] = (uint32_t)i;
        }
    }
    p->n_holdout = holdout;
}

int sh_identification_plan(sh_search_plan **out, const sh_manifest *m,
                               double holdout_share, uint64_t seed, sh_err *err)
{
    *out = NULL;
    size_t ns = m->n_subjects;
    if (ns < 2)
        return sh_err_set(err, SH_E_INPUT,
                              "%s: identification needs two subjects or more", m->path);
    size_t holdout = (size_t)llround(holdout_share * (double)ns);
    if (holdout < 1)
        holdout = 1;
    if (holdout > ns - 1)
        holdout = ns - 1;
    sh_search_plan *p = calloc(1, sizeof *p);
    scratch s = {
        .order = malloc(ns * sizeof *s.order),
        .count = calloc(ns, sizeof *s.count),
        .pick = calloc(ns, sizeof *s.pick),
        .seen = calloc(ns, sizeof *s.seen),
        .slot = malloc(ns * sizeof *s.slot),
    };
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    if (p) {
        p->gallery = malloc(ns * sizeof *p->gallery);
        p->mated = malloc(m->n_items * sizeof *p->mated);
        p->mate = malloc(m->n_items * sizeof *p->mate);
        p->nonmated = malloc(m->n_items * sizeof *p->nonmated);
    }
    if (!p || !p->gallery || !p->mated || !p->mate || !p->nonmated || !s.order || !s.count ||
        !s.pick || !s.seen || !s.slot || !rng) {
        scratch_free(&s);
        if (rng)
            gsl_rng_free(rng);
        sh_search_plan_destroy(p);
        return sh_err_nomem(err);
    }
    gsl_rng_set(rng, (unsigned long)seed);
    for (size_t k = 0; k < ns; k++)
        s.order[k] = k;
    gsl_ran_shuffle(rng, s.order, ns, sizeof *s.order);
    fill_plan(p, &s, m, holdout, rng);
    scratch_free(&s);
    gsl_rng_free(rng);
    if (p->n_mated == 0) {
        sh_search_plan_destroy(p);
        return sh_err_set(err, SH_E_INPUT,
                              "%s: no mated searches: every enrolled subject has a single image",
                              m->path);
    }
    *out = p;
    return 0;
}

int sh_identification_plan_gallery(sh_search_plan **out, const sh_manifest *m,
                                       const uint32_t *items, size_t n, sh_err *err)
{
    *out = NULL;
    sh_search_plan *p = calloc(1, sizeof *p);
    uint32_t *slot = malloc((m->n_subjects + 1) * sizeof *slot);
    if (p) {
        p->gallery = malloc((n + 1) * sizeof *p->gallery);
        p->mated = malloc((m->n_items + 1) * sizeof *p->mated);
        p->mate = malloc((m->n_items + 1) * sizeof *p->mate);
        p->nonmated = malloc((m->n_items + 1) * sizeof *p->nonmated);
    }
    if (!p || !slot || !p->gallery || !p->mated || !p->mate || !p->nonmated) {
        free(slot);
        sh_search_plan_destroy(p);
        return sh_err_nomem(err);
    }
    for (size_t k = 0; k < m->n_subjects; k++)
        slot[k] = UINT32_MAX;
    for (size_t g = 0; g < n; g++) {
        p->gallery[g] = items[g];
        slot[m->subject[items[g]]] = (uint32_t)g;
    }
    p->n_gallery = n;
    for (size_t i = 0; i < m->n_items; i++) {
        uint32_t mate = slot[m->subject[i]];
        if (mate == UINT32_MAX) {
            p->nonmated[p->n_nonmated++] = (uint32_t)i;
        } else if (items[mate] != i) {
            p->mate[p->n_mated] = mate;
            p->mated[p->n_mated++] = (uint32_t)i;
        }
    }
    for (size_t k = 0; k < m->n_subjects; k++)
        p->n_holdout += slot[k] == UINT32_MAX;
    free(slot);
    if (p->n_mated == 0) {
        sh_search_plan_destroy(p);
        return sh_err_set(err, SH_E_INPUT,
                              "%s: no mated searches: no enrolled subject has a second image",
                              m->path);
    }
    *out = p;
    return 0;
}
