#include "run.h"

#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "criteria.h"
#include "failures.h"
#include "groups.h"
#include "h5_write.h"
#include "instance.h"
#include "manifest.h"
#include "report.h"
#include "runner.h"
#include "sha256.h"
#include "verification.h"

/* Everything a run holds, released in one place. */
typedef struct run_state {
    shades_config *config;
    shades_manifest *manifest;
    shades_groups *groups;
    shades_pairs *pairs;
    shades_instance *inst;
    shades_templates *templates;
    double *genuine, *impostor;
    shades_vresults *results;
    shades_verdict *verdicts;
    shades_failures *failures;
    shades_progress *progress;
} run_state;

static void run_state_free(run_state *s)
{
    shades_vresults_destroy(s->results);
    free(s->verdicts);
    shades_failures_destroy(s->failures);
    free(s->genuine);
    free(s->impostor);
    shades_templates_destroy(s->templates);
    shades_instance_destroy(s->inst);
    shades_pairs_destroy(s->pairs);
    shades_groups_destroy(s->groups);
    shades_manifest_destroy(s->manifest);
    shades_config_destroy(s->config);
    shades_progress_destroy(s->progress);
}

/* Points per axis of each group's DET curve: enough for smooth probit plots. */
#define DET_PER_AXIS 100

static int measure_and_write(run_state *s, const shades_run_options *opts, shades_err *err)
{
    const shades_config *c = s->config;
    shades_vmeasure_options mo = {
        .targets = c->verification.target_fmr,
        .n_targets = c->verification.target_fmr_count,
        .confidence = c->run.confidence,
        .bootstrap = c->run.bootstrap ? *c->run.bootstrap : 1000,
        .seed = c->run.seed,
        .alpha = c->verification.alpha ? *c->verification.alpha : 0.5,
        .det_per_axis = DET_PER_AXIS,
        .threads = s->inst->threads,
        .progress = s->progress,
    };
    int rc = shades_verification_measure(&s->results, s->manifest, s->groups, s->pairs,
                                         s->genuine, s->impostor, s->templates->outcome, &mo,
                                         err);
    if (!rc)
        rc = shades_criteria_evaluate(&s->verdicts, c, s->results, err);
    if (!rc)
        rc = shades_failures_collect(&s->failures, s->manifest, s->templates->outcome, err);
    char adapter_sha[SHADES_SHA256_HEX], manifest_sha[SHADES_SHA256_HEX];
    if (!rc)
        rc = shades_sha256_file(adapter_sha, s->inst->plugin->path, err);
    if (!rc)
        rc = shades_sha256_file(manifest_sha, s->manifest->path, err);
    if (rc)
        return rc;
    const shades_adapter *a = s->inst->plugin->entry;
    shades_results r = {
        .info =
            {
                .run_name = c->run.name,
                .config_path = c->path,
                .config_text = c->text,
                .adapter_name = (char *)a->name,
                .adapter_version = (char *)a->version,
                .adapter_vendor = (char *)(a->vendor ? a->vendor : ""),
                .adapter_library = s->inst->plugin->path,
                .adapter_sha256 = adapter_sha,
                .manifest_path = s->manifest->path,
                .manifest_sha256 = manifest_sha,
                .dataset_card = "", /* cards arrive with the datasets issue */
                .adapter_abi_major = a->abi_major,
                .adapter_abi_minor = a->abi_minor,
                .n_images = s->manifest->n_items,
                .n_subjects = s->manifest->n_subjects,
                .seed = c->run.seed,
                .threads = s->inst->threads,
            },
        .verification = s->results,
        .n_verdicts = c->criteria_count,
        .verdicts = s->verdicts,
        .failures = s->failures,
    };
    rc = shades_h5_write(c->output.results, &r, err);
    if (rc || !opts || !opts->report)
        return rc;
    FILE *out = opts->report;
    fprintf(out, "shades: %s: %zu images of %zu subjects, engine %s %s,\n"
                 "        %zu genuine and %zu impostor pairs\n",
            c->run.name, s->manifest->n_items, s->manifest->n_subjects, a->name, a->version,
            s->pairs->n_genuine, s->pairs->n_impostor);
    const shades_results *runs[] = {&r};
    const char *paths[] = {c->output.results};
    shades_report_options ro = {.format = SHADES_REPORT_TEXT, .brief = 1};
    rc = shades_report_write(out, runs, paths, 1, &ro, err);
    if (!rc)
        fprintf(out, "\nresults: %s (full report: shades report %s)\n", c->output.results,
                c->output.results);
    return rc;
}

int shades_run(shades_vresults **out, const char *config_path, const shades_run_options *opts,
               shades_err *err)
{
    if (out)
        *out = NULL;
    run_state s = {0};
    int rc = shades_config_load(&s.config, config_path, err);
    if (!rc)
        rc = shades_manifest_load(&s.manifest, s.config->dataset.manifest, err);
    if (!rc)
        rc = shades_groups_build(&s.groups, s.manifest, s.config, err);
    if (!rc)
        rc = shades_criteria_check(s.config, s.groups, err);
    if (!rc)
        rc = shades_verification_pairs(&s.pairs, s.manifest, s.config, err);
    if (!rc) {
        char *options = shades_config_engine_options(s.config);
        unsigned threads = opts && opts->threads ? opts->threads : s.config->run.threads;
        rc = options ? shades_instance_create(&s.inst, s.config->engine.adapter,
                                              s.config->engine.config_dir, options,
                                              s.config->run.seed, threads, err)
                     : shades_err_nomem(err);
        free(options);
    }
    /* Plain progress lines every 10 s keep a CI log alive without flooding it. */
    if (!rc && opts && opts->progress)
        s.progress = shades_progress_create(opts->progress, opts->progress_mode, 10.0);
    if (!rc) {
        shades_progress_stage(s.progress, "templates", s.manifest->n_items);
        rc = shades_runner_templates(&s.templates, s.inst, s.manifest, s.progress, err);
    }
    if (!rc)
        shades_progress_end(s.progress);
    if (!rc) {
        s.genuine = malloc((s.pairs->n_genuine ? s.pairs->n_genuine : 1) * sizeof(double));
        s.impostor = malloc((s.pairs->n_impostor ? s.pairs->n_impostor : 1) * sizeof(double));
        if (!s.genuine || !s.impostor)
            rc = shades_err_nomem(err);
    }
    if (!rc) {
        shades_progress_stage(s.progress, "genuine pairs", s.pairs->n_genuine);
        rc = shades_runner_compare(s.genuine, s.inst, s.templates, s.manifest, s.pairs->genuine,
                                   s.pairs->n_genuine, s.progress, err);
    }
    if (!rc) {
        shades_progress_end(s.progress);
        shades_progress_stage(s.progress, "impostor pairs", s.pairs->n_impostor);
        rc = shades_runner_compare(s.impostor, s.inst, s.templates, s.manifest,
                                   s.pairs->impostor, s.pairs->n_impostor, s.progress, err);
    }
    if (!rc)
        shades_progress_end(s.progress);
    if (!rc)
        rc = measure_and_write(&s, opts, err);
    int failed = !rc && !shades_criteria_passed(s.verdicts, s.config->criteria_count);
    if (!rc && out) {
        *out = s.results;
        s.results = NULL;
    }
    run_state_free(&s);
    return rc ? rc : failed;
}
