#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "classification_measures.h"
#include "classification_results.h"
#include "embedding_blocks.h"
#include "identification.h"
#include "replay.h"
#include "replay_candidates.h"
#include "roc_export.h"
#include "run_state.h"
#include "verification_folds.h"

/* Points per axis of each group's DET curve: enough for smooth probit plots. */
#define DET_PER_AXIS 100

/* Impostor values up to which the ROC export is at every score; the tests
 * set SHADES_ROC_EVERY_SCORE_CAP (0: never) to see the bounded form on a
 * small run. */
static uint64_t roc_cap(void)
{
    const char *cap = getenv("SHADES_ROC_EVERY_SCORE_CAP");
    return cap && *cap ? strtoull(cap, NULL, 10) : SH_ROC_EVERY_SCORE_CAP;
}

void sh_run_tiles(size_t *out_rows, size_t *out_probes)
{
    const char *rows = getenv("SHADES_EMBEDDING_BLOCK");
    unsigned long long b = rows && *rows ? strtoull(rows, NULL, 10) : 0;
    if (b > 4096)
        b = 0;
    *out_rows = b ? (size_t)b : SH_EMBEDDING_BLOCK;
    *out_probes = b ? (size_t)b : SH_SEARCH_BLOCK;
}

/* Under --isolate a fault costs its image and the run goes on; a fault on
 * every image measured nothing but the engine's breakage (every group's
 * FNMR 1, every parity 1, rules on parity passing): the run stops there. */
static int every_template_faulted(const run_state *s, sh_err *err)
{
    const sh_manifest *m = s->manifest;
    size_t kinds[3] = {0};
    for (size_t i = 0; i < m->n_items; i++) {
        int32_t o = s->templates->outcome[i];
        int k = o == SH_RUN_CRASHED ? 0 : o == SH_RUN_TIMED_OUT ? 1 : o == SH_RUN_BAD_REPLY ? 2 : -1;
        if (k < 0)
            return 0;
        kinds[k]++;
    }
    if (!m->n_items)
        return 0;
    return sh_err_set(err, SH_E_ENGINE, "engine '%s' faulted on every one of the %zu images "
                      "(%zu crashed, %zu timed out, %zu broke the ABI; the first, image '%s' "
                      "(%s:%zu)), so the run measured nothing; no results were written",
                      s->inst->id.name, m->n_items, kinds[0], kinds[1], kinds[2],
                      m->image_id[0], m->path, m->line[0]);
}

/* Templates of every image from the engine, with their outcomes; roles
 * per item, or NULL for 1:1 enrolment. */
static int make_templates(run_state *s, const int32_t *roles, sh_err *err)
{
    sh_progress_stage(s->progress, "templates", s->manifest->n_items);
    int rc = sh_runner_templates(&s->templates, s->inst, s->executor, s->ranks, s->manifest, roles,
                                 s->checkpoint,
                                     s->progress, err);
    if (rc)
        return rc;
    sh_progress_end(s->progress);
    s->outcome = s->templates->outcome;
    return s->inst->calls->may_fault ? every_template_faulted(s, err) : 0;
}

/* Replay makes no templates, so no image failed to enrol. */
static int no_template_failures(run_state *s, sh_err *err)
{
    s->outcome = s->no_failures = calloc(s->manifest->n_items, sizeof *s->no_failures);
    return s->outcome ? 0 : sh_err_nomem(err);
}

/* Across ranks, listed impostors' scores stay with their ranks; what every
 * rank reads of them besides the measures comes to all: the pairs the
 * repeat check scores again, and which pairs faulted (the failures the
 * file lists). */
static int share_impostor_sample(run_state *s, sh_err *err)
{
    size_t sample[SH_REPEAT_PAIRS];
    size_t n = sh_repeat_sample(sample, s->pairs->n_impostor);
    sh_ranks_array arrays[2] = {{s->impostor, sizeof *s->impostor, 0, 0},
                                {s->impostor_faults, 1, 0, 0}};
    int rc = sh_ranks_share_items(s->ranks, SH_RUNNER_COMPARE_BLOCK, sample, n, arrays,
                                  s->impostor_faults ? 2 : 1, err);
    if (!rc && s->impostor_faults)
        rc = sh_ranks_share_marks(s->ranks, SH_RUNNER_COMPARE_BLOCK, s->impostor_faults,
                                  s->pairs->n_impostor, err);
    return rc;
}

static int engine_scores(run_state *s, sh_err *err)
{
    int rc = make_templates(s, NULL, err);
    if (!rc && s->inst->calls->may_fault) {
        s->genuine_faults = calloc(s->pairs->n_genuine + 1, 1);
        s->impostor_faults = calloc(s->pairs->n_impostor + 1, 1);
        if (!s->genuine_faults || !s->impostor_faults)
            rc = sh_err_nomem(err);
    }
    if (!rc) {
        sh_progress_stage(s->progress, "genuine pairs", s->pairs->n_genuine);
        rc = sh_runner_compare(s->genuine, s->genuine_faults, s->inst, s->executor, s->ranks, 1,
                               s->templates,
                                   s->manifest, s->pairs->genuine, s->pairs->n_genuine,
                                   s->checkpoint, SH_CKPT_GENUINE, s->progress, err);
    }
    if (!rc && !s->pairs->implicit) {
        sh_progress_end(s->progress);
        sh_progress_stage(s->progress, "impostor pairs", s->pairs->n_impostor);
        /* Listed impostors stay with the rank that scored them: the
         * measures read them through a source split the same way. */
        rc = sh_runner_compare(s->impostor, s->impostor_faults, s->inst, s->executor, s->ranks, 0,
                               s->templates,
                                   s->manifest, s->pairs->impostor, s->pairs->n_impostor,
                                   s->checkpoint, SH_CKPT_IMPOSTOR, s->progress, err);
    }
    if (!rc)
        sh_progress_end(s->progress);
    if (!rc)
        rc = sh_repeat_check(&s->repeat, s->inst, s->templates, s->manifest,
                                 s->pairs->genuine, s->genuine, s->genuine_faults,
                                 s->pairs->n_genuine, err);
    if (!rc && !s->pairs->implicit)
        rc = share_impostor_sample(s, err);
    if (!rc && !s->pairs->implicit)
        rc = sh_repeat_check(&s->repeat, s->inst, s->templates, s->manifest,
                                 s->pairs->impostor, s->impostor, s->impostor_faults,
                                 s->pairs->n_impostor, err);
    return rc;
}

/* Pass 1's counts of uncounted impostors, kept in the checkpoint as one
 * record over all of them. */
static int counts_load(void *ctx, void **out, size_t *out_len, sh_err *err)
{
    const run_state *s = ctx;
    return sh_checkpoint_load(out, out_len, s->checkpoint, SH_CKPT_IMPOSTOR_COUNTS, 0,
                                  s->pairs->impostor_total, err);
}

static int counts_save(void *ctx, const void *data, size_t len, sh_err *err)
{
    const run_state *s = ctx;
    struct iovec part = {(void *)data, len};
    return sh_checkpoint_save(s->checkpoint, SH_CKPT_IMPOSTOR_COUNTS, 0,
                                  s->pairs->impostor_total, &part, 1, err);
}

int sh_run_verification(run_state *s, sh_err *err)
{
    const sh_config *c = s->config;
    /* Declared embeddings score every impostor pair block by block, and
     * replay reads every pair's score from its file on each pass, never
     * listing them; an opaque engine needs each pair's score. */
    int blocks = s->inst && s->inst->has_embedding;
    sh_pairs_spec pairs;
    sh_config_pairs_spec(&pairs, c);
    /* SHADES_REPLAY_LISTED: replay lists every pair and holds every score,
     * as before issue 27; only tests/replay_stream.sh sets it, to check
     * that both ways give the same tables and messages. */
    int streamed = !s->inst && !getenv("SHADES_REPLAY_LISTED");
    int rc = sh_verification_pairs(&s->pairs, s->manifest, &pairs, blocks || streamed, err);
    if (rc)
        return rc;
    s->genuine = malloc((s->pairs->n_genuine ? s->pairs->n_genuine : 1) * sizeof(double));
    if (!s->pairs->implicit)
        s->impostor = malloc((s->pairs->n_impostor ? s->pairs->n_impostor : 1) * sizeof(double));
    if (!s->genuine || (!s->pairs->implicit && !s->impostor))
        return sh_err_nomem(err);
    sh_replay_source replayed = {0};
    if (s->inst) {
        rc = engine_scores(s, err);
    } else {
        rc = no_template_failures(s, err);
        if (!rc && s->pairs->implicit)
            rc = sh_replay_all_pairs(&replayed, s->genuine, c->engine.scores, s->manifest,
                                     s->pairs, s->executor, err);
        else if (!rc)
            rc = sh_replay_scores(s->genuine, s->impostor, c->engine.scores,
                                      s->manifest, s->pairs, err);
    }
    if (rc)
        return rc;
    sh_vpoint points[SH_CONFIG_POINTS_MAX];
    size_t n_points = sh_config_points(points, c);
    sh_vmeasure_options mo = {
        .points = points,
        .n_points = n_points,
        .confidence = c->run.confidence,
        .bootstrap = c->run.bootstrap ? *c->run.bootstrap : 1000,
        .seed = c->run.seed,
        .alpha = c->verification.alpha ? *c->verification.alpha : 0.5,
        .moments = c->verification.impostor_moments,
        .roc = !!(c->output.exports & SH_EXPORT_ROC),
        .roc_cap = roc_cap(),
        .det_per_axis = DET_PER_AXIS,
        .executor = s->executor,
        .ranks = s->ranks,
        .progress = s->progress,
    };
    /* Listed impostors' scores are checkpointed as they are compared;
     * impostors scored block by block are kept as pass 1's counts (not
     * replayed ones: the file may change between runs, and is the record). */
    sh_count_store counts = {s, counts_load, counts_save};
    if (s->pairs->implicit && s->checkpoint && s->inst)
        mo.counts = &counts;
    sh_array_source listed;
    sh_embedding_source computed;
    const sh_score_source *impostors;
    if (s->pairs->implicit && !s->inst) {
        impostors = &replayed.base;
    } else if (s->pairs->implicit) {
        size_t rows, probes;
        sh_run_tiles(&rows, &probes);
        sh_embedding_source_init(&computed, &s->inst->embedding, s->templates,
                                     s->manifest->subject, s->manifest->n_items,
                                     s->pairs->impostor_total, s->executor, rows);
        computed.base.ranks = s->ranks;
        impostors = &computed.base;
    } else {
        sh_array_source_init(&listed, s->pairs->impostor, s->impostor, s->pairs->n_impostor,
                                 s->executor);
        /* Engine runs: each rank holds the scores of its own blocks. */
        if (s->inst)
            listed.base.ranks = s->ranks;
        impostors = &listed.base;
    }
    rc = sh_verification_measure(&s->vresults, s->manifest, s->groups, s->pairs, s->genuine,
                                     impostors, s->outcome, &mo, err);
    /* A pair list with folds: RFW's accuracy over them, which sorts each
     * group's pairs, so every listed impostor's score comes to every rank
     * (an engine run's stay with the rank that scored them). */
    sh_ranks_array listed_scores = {s->impostor, sizeof *s->impostor, 0, 0};
    if (!rc && s->pairs->n_folds && s->inst)
        rc = sh_ranks_share_blocks(s->ranks, s->pairs->n_impostor, SH_RUNNER_COMPARE_BLOCK,
                                   &listed_scores, 1, err);
    if (!rc && s->pairs->n_folds)
        rc = sh_vfolds_measure(s->vresults, s->pairs, s->genuine, s->impostor, s->groups, err);
    if (s->pairs->implicit && !s->inst) {
        unsigned reads = replayed.reads;
        char times[32] = "once";
        if (reads != 1)
            snprintf(times, sizeof times, "%u times", reads);
        snprintf(s->replay_reads, sizeof s->replay_reads, "scores file read %s%s", times,
                 replayed.held ? ", then its scores held in memory (4 bytes a pair)" : "");
    }
    /* The rows without a score outlive the source, for /failures. */
    s->no_score = replayed.no_score;
    s->n_no_score = replayed.n_no_score;
    replayed.no_score = NULL;
    replayed.n_no_score = 0;
    sh_replay_source_close(&replayed);
    sh_criteria_spec criteria;
    sh_config_criteria_spec(&criteria, c);
    if (!rc)
        rc = sh_criteria_evaluate(&s->verdicts, &criteria, s->vresults, NULL, err);
    return rc;
}

/* What each search found: the mate's rank and score, or the best score. */
static void summarise_searches(sh_mated_search *mated, double *top,
                               const sh_search_plan *p, const sh_candidates *mc,
                               const sh_candidates *nc)
{
    size_t L = mc->length;
    for (size_t q = 0; q < p->n_mated; q++) {
        mated[q] = (sh_mated_search){0, -INFINITY};
        for (size_t k = 0; k < L; k++)
            if (mc->slot[q * L + k] == p->mate[q]) {
                mated[q] = (sh_mated_search){(uint32_t)(k + 1), mc->score[q * L + k]};
                break;
            }
    }
    for (size_t q = 0; q < p->n_nonmated; q++)
        top[q] = nc->score[q * L];
}

/* The export of a run's searches (output.export: candidates): the plan's
 * gallery and searches, copied, and both candidate blocks, mated lists
 * first. The mated block (most searches) is taken over from mc, grown to
 * hold the non-mated lists after it, not copied: mc then holds none. */
static int export_searches(sh_iexport **out, const sh_search_plan *p, sh_candidates *mc,
                           const sh_candidates *nc, const sh_manifest *m, sh_err *err)
{
    size_t n = p->n_mated + p->n_nonmated, L = mc->length, nm = p->n_mated * L;
    sh_iexport *x = calloc(1, sizeof *x);
    if (x) {
        *x = (sh_iexport){.m = m, .n_gallery = p->n_gallery, .n_searches = n, .length = L};
        x->gallery = malloc((p->n_gallery + 1) * sizeof *x->gallery);
        x->item = malloc((n + 1) * sizeof *x->item);
        x->mate = malloc((n + 1) * sizeof *x->mate);
    }
    /* Grown in place where it can be; mc keeps whichever block it has. */
    double *score = x ? realloc(mc->score, (n * L + 1) * sizeof *score) : NULL;
    if (score)
        mc->score = score;
    uint32_t *slot = score ? realloc(mc->slot, (n * L + 1) * sizeof *slot) : NULL;
    if (slot)
        mc->slot = slot;
    if (!x || !x->gallery || !x->item || !x->mate || !score || !slot) {
        sh_iexport_destroy(x);
        return sh_err_nomem(err);
    }
    memcpy(x->gallery, p->gallery, p->n_gallery * sizeof *x->gallery);
    for (size_t q = 0; q < p->n_mated; q++) {
        x->item[q] = p->mated[q];
        x->mate[q] = p->mate[q];
    }
    for (size_t q = 0; q < p->n_nonmated; q++) {
        x->item[p->n_mated + q] = p->nonmated[q];
        x->mate[p->n_mated + q] = UINT32_MAX;
    }
    memcpy(score + nm, nc->score, p->n_nonmated * L * sizeof *score);
    memcpy(slot + nm, nc->slot, p->n_nonmated * L * sizeof *slot);
    x->score = score;
    x->slot = slot;
    mc->score = NULL;
    mc->slot = NULL;
    *out = x;
    return 0;
}

/* The engine's searches of the drawn gallery: templates (gallery images
 * enrol for 1:N, every other image searches), then both kinds of search. */
static int engine_searches(sh_candidates **mc, sh_candidates **nc, run_state *s,
                           const sh_search_plan *plan, sh_err *err)
{
    const sh_cfg_identification *id = s->config->identification;
    int32_t *roles = malloc((s->manifest->n_items + 1) * sizeof *roles);
    if (!roles)
        return sh_err_nomem(err);
    for (size_t i = 0; i < s->manifest->n_items; i++)
        roles[i] = SHADES_ROLE_SEARCH_1N;
    for (size_t g = 0; g < plan->n_gallery; g++)
        roles[plan->gallery[g]] = SHADES_ROLE_ENROL_1N;
    int rc = make_templates(s, roles, err);
    free(roles);
    size_t rows, probes;
    sh_run_tiles(&rows, &probes);
    if (!rc) {
        sh_progress_stage(s->progress, "mated searches", plan->n_mated);
        rc = sh_runner_search(mc, s->inst, s->executor, s->ranks, s->templates, s->manifest,
                              plan->gallery,
                                  plan->n_gallery, plan->mated, plan->n_mated, id->candidates,
                                  probes, s->checkpoint, SH_CKPT_MATED, s->progress,
                                  err);
    }
    if (!rc) {
        sh_progress_end(s->progress);
        sh_progress_stage(s->progress, "non-mated searches", plan->n_nonmated);
        rc = sh_runner_search(nc, s->inst, s->executor, s->ranks, s->templates, s->manifest,
                              plan->gallery,
                                  plan->n_gallery, plan->nonmated, plan->n_nonmated,
                                  id->candidates, probes, s->checkpoint,
                                  SH_CKPT_NONMATED,
                                  s->progress, err);
    }
    if (!rc)
        sh_progress_end(s->progress);
    return rc;
}

int sh_run_identification(run_state *s, sh_err *err)
{
    const sh_cfg_identification *id = s->config->identification;
    const sh_cfg_candidates *replayed = s->inst ? NULL : s->config->engine.candidates;
    sh_search_plan *drawn = NULL, *plan = NULL;
    sh_candidates *mc = NULL, *nc = NULL;
    sh_mated_search *mated = NULL;
    double *top = NULL;
    int rc = sh_identification_plan(&drawn, s->manifest, s->config->identification->holdout,
                                        s->config->run.seed, err);
    if (!rc && replayed) {
        rc = sh_replay_gallery(&plan, &drawn, replayed, s->manifest, err);
        if (!rc)
            rc = sh_replay_candidates(&mc, &nc, replayed, s->manifest, plan, id->candidates,
                                      err);
        if (!rc)
            rc = no_template_failures(s, err);
    } else if (!rc) {
        plan = drawn;
        drawn = NULL;
        rc = engine_searches(&mc, &nc, s, plan, err);
    }
    if (!rc) {
        mated = malloc((plan->n_mated + 1) * sizeof *mated);
        top = malloc((plan->n_nonmated + 1) * sizeof *top);
        if (mated && top)
            summarise_searches(mated, top, plan, mc, nc);
        else
            rc = sh_err_nomem(err);
    }
    if (!rc) {
        sh_isearches searches = {plan->n_mated, plan->mated, mated,
                                     plan->n_nonmated, plan->nonmated, top};
        rc = sh_identification_results(&s->iresults, s->groups, &searches, id->target_fpir,
                                           id->target_fpir_count, plan->n_gallery,
                                           id->candidates, s->config->run.confidence, err);
    }
    if (!rc)
        s->iresults->n_holdout = plan->n_holdout;
    if (!rc && (s->config->output.exports & SH_EXPORT_CANDIDATES)) {
        rc = export_searches(&s->iresults->export, plan, mc, nc, s->manifest, err);
        if (!rc)
            s->iresults->n_exported = plan->n_mated + plan->n_nonmated;
    }
    free(mated);
    free(top);
    sh_candidates_destroy(mc);
    sh_candidates_destroy(nc);
    sh_search_plan_destroy(plan);
    sh_search_plan_destroy(drawn);
    return rc;
}

/* Each item's true class as an index into the class names, failing on an
 * image whose label is not a class. */
static int truth_classes(int32_t *truth, const sh_partition *attr, const char *const *names,
                         size_t n_classes, const run_state *s, sh_err *err)
{
    const sh_manifest *m = s->manifest;
    const char *name = s->config->classification->attribute;
    for (size_t i = 0; i < m->n_items; i++) {
        const char *label = attr->group_names[attr->item_group[i]];
        truth[i] = -1;
        for (size_t c = 0; c < n_classes && truth[i] < 0; c++)
            if (!strcmp(label, names[c]))
                truth[i] = (int32_t)c;
        if (truth[i] < 0)
            return sh_err_set(err, SH_E_INPUT,
                                  "%s:%zu: field '%s': '%s' is not one of classification.classes "
                                  "(%s)",
                                  m->path, m->line[i], name, label, s->config->path);
    }
    return 0;
}

/* Predictions from the engine's attribute estimates: the class its sex
 * estimate stands for (classification.engine_labels), or no prediction. */
static int engine_predictions(int32_t *predicted, run_state *s, const char *const *names,
                              size_t n_classes, sh_err *err)
{
    const sh_cfg_classification *cc = s->config->classification;
    size_t n = s->manifest->n_items;
    if (!(s->inst->id.capabilities & SHADES_CAP_ATTRIBUTES))
        return sh_err_set(err, SH_E_ADAPTER,
                              "%s: engine '%s' does not estimate attributes "
                              "(SHADES_CAP_ATTRIBUTES), which classification needs",
                              s->config->path, s->inst->id.name);
    int32_t label[3] = {SH_NO_PREDICTION, SH_NO_PREDICTION, SH_NO_PREDICTION};
    for (size_t c = 0; c < n_classes; c++) {
        if (!strcmp(names[c], cc->engine_labels.female))
            label[SHADES_SEX_FEMALE] = (int32_t)c;
        if (!strcmp(names[c], cc->engine_labels.male))
            label[SHADES_SEX_MALE] = (int32_t)c;
    }
    for (int k = SHADES_SEX_FEMALE; k <= SHADES_SEX_MALE; k++)
        if (label[k] == SH_NO_PREDICTION)
            return sh_err_set(err, SH_E_INPUT,
                                  "%s: field 'classification.engine_labels.%s': '%s' is not a "
                                  "class of '%s'",
                                  s->config->path, k == SHADES_SEX_FEMALE ? "female" : "male",
                                  k == SHADES_SEX_FEMALE ? cc->engine_labels.female
                                                         : cc->engine_labels.male,
                                  cc->attribute);
    shades_attributes *a = malloc((n ? n : 1) * sizeof *a);
    s->estimate_outcome = malloc((n ? n : 1) * sizeof *s->estimate_outcome);
    if (!a || !s->estimate_outcome) {
        free(a);
        return sh_err_nomem(err);
    }
    sh_progress_stage(s->progress, "estimates", n);
    int rc = sh_runner_estimate(a, s->inst, s->executor, s->ranks, s->manifest, s->checkpoint,
                                s->progress, err);
    if (!rc)
        sh_progress_end(s->progress);
    for (size_t i = 0; !rc && i < n; i++) {
        s->estimate_outcome[i] = a[i].outcome;
        predicted[i] = a[i].outcome == SHADES_OUTCOME_OK ? label[a[i].sex] : SH_NO_PREDICTION;
    }
    free(a);
    return rc;
}

int sh_run_classification(run_state *s, sh_err *err)
{
    const sh_config *c = s->config;
    const sh_cfg_classification *cc = c->classification;
    size_t n = s->manifest->n_items;
    sh_partition attr;
    sh_groups_spec groups;
    sh_config_groups_spec(&groups, c);
    int rc = sh_partition_build(&attr, s->manifest, &groups, cc->attribute, err);
    if (rc) {
        sh_partition_free(&attr);
        return rc;
    }
    const char *const *names = cc->classes_count ? (const char *const *)cc->classes
                                                 : (const char *const *)attr.group_names;
    size_t n_classes = cc->classes_count ? cc->classes_count : attr.n_groups;
    int32_t *truth = malloc(n * sizeof *truth), *predicted = malloc(n * sizeof *predicted);
    rc = truth && predicted ? no_template_failures(s, err) : sh_err_nomem(err);
    if (!rc)
        rc = truth_classes(truth, &attr, names, n_classes, s, err);
    if (!rc && s->inst)
        rc = engine_predictions(predicted, s, names, n_classes, err);
    else if (!rc)
        rc = sh_replay_predictions(predicted, c->engine.predictions, s->manifest, names,
                                       n_classes, err);
    if (!rc && !(s->no_prediction = calloc(n ? n : 1, 1)))
        rc = sh_err_nomem(err);
    for (size_t i = 0; !rc && i < n; i++)
        s->no_prediction[i] = predicted[i] == SH_NO_PREDICTION;
    sh_cmeasure_options mo = {
        .confidence = c->run.confidence,
        .bootstrap = c->run.bootstrap ? *c->run.bootstrap : 1000,
        .seed = c->run.seed,
        .subject = s->manifest->subject,
        .n_subjects = s->manifest->n_subjects,
        .executor = s->executor,
        .ranks = s->ranks,
        .progress = s->progress,
    };
    if (!rc)
        rc = sh_classification_results(&s->cresults, cc->attribute, names, n_classes,
                                       s->groups, truth, predicted, n, &mo, err);
    sh_criteria_spec criteria;
    sh_config_criteria_spec(&criteria, c);
    if (!rc)
        rc = sh_criteria_evaluate(&s->verdicts, &criteria, NULL, s->cresults, err);
    free(truth);
    free(predicted);
    sh_partition_free(&attr);
    return rc;
}
