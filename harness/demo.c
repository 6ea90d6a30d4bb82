#include "demo.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cohort.h"
#include "config.h"
#include "model.h"
#include "paths.h"
#include "run.h"

static int write_config(const char *path, shades_err *err)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return shades_err_set(err, SHADES_E_IO, "%s: %s", path, strerror(errno));
    fputs(shades_demo_config, f);
    if (fclose(f) != 0)
        return shades_err_set(err, SHADES_E_IO, "%s: write error", path);
    return 0;
}

/* The closed-form truth for the sex x skin groups, whose traits are fixed. */
static void print_truth(const shades_vresults *v, const synth_model *model)
{
    printf("\nPlanted truth (closed form, docs/synthetic.md) beside the measured rates, sex x skin:\n");
    printf("%-12s %-10s %8s %8s %10s %10s %10s %10s\n", "target FMR", "group", "FTE", "true",
           "FNMR", "true", "FMR", "true");
    for (size_t i = 0; i < v->n_groups; i++) {
        const shades_vgroup *g = &v->groups[i];
        char sex[8], skin[16];
        if (strcmp(g->partition, "sex x skin") || isnan(g->threshold) ||
            sscanf(g->group, "%7[^/]/%15s", sex, skin) != 2)
            continue;
        uint8_t traits = synth_cohort_traits(sex, strcmp(skin, "darker") ? "I" : "VI");
        double p = synth_model_fte(model, traits);
        synth_code a = {.subject = 1, .traits = traits}, b = a;
        double fnmr = 1 - (1 - p) * (1 - p) * synth_model_match_prob(model, &a, &a, g->threshold);
        b.subject = 2;
        double fmr = (1 - p) * (1 - p) * synth_model_match_prob(model, &a, &b, g->threshold);
        printf("%-12g %-10s %8.4f %8.4f %10.5f %10.5f %10.6f %10.6f\n", g->target_fmr, g->group,
               g->fte, p, g->fnmr, fnmr, g->fmr, fmr);
    }
}

int shades_demo(const shades_demo_options *opts, shades_err *err)
{
    char cohort[PATH_MAX], config[PATH_MAX];
    int rc = shades_path_mkdirs(opts->out_dir, err);
    if (!rc)
        rc = shades_path_join(cohort, sizeof cohort, opts->out_dir, "demo-cohort", err);
    if (!rc)
        rc = shades_path_join(config, sizeof config, opts->out_dir, "demo.yaml", err);
    if (rc)
        return rc;
    synth_cohort_spec spec = {opts->subjects, opts->images_per_subject, 20261122};
    printf("shades demo: generating %u synthetic subjects x %u images in %s\n", spec.subjects,
           spec.images_per_subject, cohort);
    rc = synth_cohort_write(cohort, &spec, err);
    if (!rc)
        rc = write_config(config, err);
    if (rc)
        return rc;
    printf("shades demo: running %s\n", config);
    shades_run_options ro = {.threads = opts->threads,
                             .report = stdout,
                             .progress = stderr,
                             .progress_mode = opts->progress};
    shades_vresults *v = NULL;
    rc = shades_run(&v, config, &ro, err);
    if (rc < 0)
        return rc;
    /* The demo plants differentials, so a failed criterion is its point,
     * not an error. */
    rc = 0;
    shades_config *c = NULL;
    rc = shades_config_load(&c, config, err);
    char *options = rc ? NULL : shades_config_engine_options(c);
    synth_model model;
    if (!rc && options) {
        char why[256];
        synth_model_default(&model, c->run.seed);
        if (synth_model_parse(&model, options, why, sizeof why) == 0)
            print_truth(v, &model);
    }
    free(options);
    shades_config_destroy(c);
    shades_vresults_destroy(v);
    return rc;
}
