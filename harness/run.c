#include "run.h"

#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "criteria.h"
#include "groups.h"
#include "h5_write.h"
#include "instance.h"
#include "manifest.h"
#include "report_text.h"
#include "runner.h"
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
} run_state;

static void run_state_free(run_state *s)
{
    shades_vresults_destroy(s->results);
    free(s->verdicts);
    free(s->genuine);
    free(s->impostor);
    shades_templates_destroy(s->templates);
    shades_instance_destroy(s->inst);
    shades_pairs_destroy(s->pairs);
    shades_groups_destroy(s->groups);
    shades_manifest_destroy(s->manifest);
    shades_config_destroy(s->config);
}

/* Points per axis of each group's DET curve: enough for smooth probit plots. */
#define DET_PER_AXIS 100

static int measure_and_write(run_state *s, shades_err *err)
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
    };
    int rc = shades_verification_measure(&s->results, s->manifest, s->groups, s->pairs,
                                         s->genuine, s->impostor, s->templates->outcome, &mo,
                                         err);
    if (!rc)
        rc = shades_criteria_evaluate(&s->verdicts, c, s->results, err);
    if (rc)
        return rc;
    const shades_adapter *a = s->inst->plugin->entry;
    shades_run_info info = {
        .run_name = c->run.name,
        .config_path = c->path,
        .config_text = c->text,
        .adapter_name = a->name,
        .adapter_version = a->version,
        .adapter_vendor = a->vendor ? a->vendor : "",
        .adapter_library = s->inst->plugin->path,
        .abi_major = a->abi_major,
        .abi_minor = a->abi_minor,
        .manifest_path = s->manifest->path,
        .n_images = s->manifest->n_items,
        .n_subjects = s->manifest->n_subjects,
        .seed = c->run.seed,
        .threads = s->inst->threads,
    };
    return shades_h5_write(c->output.results, &info, s->results, s->verdicts, c->criteria_count,
                           err);
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
    if (!rc)
        rc = shades_runner_templates(&s.templates, s.inst, s.manifest, err);
    if (!rc) {
        s.genuine = malloc((s.pairs->n_genuine ? s.pairs->n_genuine : 1) * sizeof(double));
        s.impostor = malloc((s.pairs->n_impostor ? s.pairs->n_impostor : 1) * sizeof(double));
        if (!s.genuine || !s.impostor)
            rc = shades_err_nomem(err);
    }
    if (!rc)
        rc = shades_runner_compare(s.genuine, s.inst, s.templates, s.manifest, s.pairs->genuine,
                                   s.pairs->n_genuine, err);
    if (!rc)
        rc = shades_runner_compare(s.impostor, s.inst, s.templates, s.manifest,
                                   s.pairs->impostor, s.pairs->n_impostor, err);
    if (!rc)
        rc = measure_and_write(&s, err);
    if (!rc && opts && opts->report) {
        fprintf(opts->report, "shades: %s: %zu images of %zu subjects, engine %s %s,\n"
                              "        %zu genuine and %zu impostor pairs\n",
                s.config->run.name, s.manifest->n_items, s.manifest->n_subjects,
                s.inst->plugin->entry->name, s.inst->plugin->entry->version, s.pairs->n_genuine,
                s.pairs->n_impostor);
        shades_report_verification(opts->report, s.results);
        shades_report_summaries(opts->report, s.results);
        shades_report_criteria(opts->report, s.verdicts, s.config->criteria_count);
        fprintf(opts->report, "\nresults: %s\n", s.config->output.results);
    }
    int failed = !rc && !shades_criteria_passed(s.verdicts, s.config->criteria_count);
    if (!rc && out) {
        *out = s.results;
        s.results = NULL;
    }
    run_state_free(&s);
    return rc ? rc : failed;
}
