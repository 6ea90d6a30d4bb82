#include "demo.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cohort.h"
#include "faces.h"
#include "model_card_record.h"
#include "config.h"
#include <shades/synthetic.h>
#include "paths.h"
#include "report.h"
#include "run.h"

static int write_config(const char *path, const char *text, sh_err *err)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return sh_err_set(err, SH_E_IO, "%s: %s", path, strerror(errno));
    fputs(text, f);
    if (fclose(f) != 0)
        return sh_err_set(err, SH_E_IO, "%s: write error", path);
    return 0;
}

/* The closed-form truth for the sex x skin groups, whose traits are fixed. */
static void print_truth(const sh_vresults *v, const synth_model *model)
{
    printf("\nPlanted truth (closed form, docs/synthetic.md) beside the measured rates, sex x skin:\n");
    printf("%-12s %-10s %8s %8s %10s %10s %10s %10s\n", "target FMR", "group", "FTE", "true",
           "FNMR", "true", "FMR", "true");
    for (size_t i = 0; i < v->n_groups; i++) {
        const sh_vgroup *g = &v->groups[i];
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

/* Writes out_dir/name from text and runs it; *out_results may be NULL. */
static int run_config(sh_vresults **out_results, const sh_demo_options *opts,
                      const char *name, const char *text, sh_err *err)
{
    char config[PATH_MAX];
    int rc = sh_path_join(config, sizeof config, opts->out_dir, name, err);
    if (!rc)
        rc = write_config(config, text, err);
    if (rc)
        return rc;
    printf("shades demo: running %s\n", config);
    sh_run_options ro = {.threads = opts->threads,
                             .report = stdout,
                             .progress = stderr,
                             .progress_mode = opts->progress,
                             /* a demo is quick to run again; an old one's checkpoint must not stop it */
                             .no_checkpoint = 1};
    sh_vresults *v = NULL;
    rc = sh_run(&v, config, &ro, err);
    /* The demo plants differentials, so a failed criterion (rc 1) is its
     * point, not an error. */
    if (rc < 0)
        return rc;
    if (out_results)
        *out_results = v;
    else
        sh_vresults_destroy(v);
    return 0;
}

/* The model set the demo's configs name (configs/models/). */
#define SH_DEMO_MODEL_SET "faceplugin-face-recognition-js-0.0.1"

/* The folder model sets are installed in: $SHADES_MODELS, else the source
 * tree's models/ (scripts/fetch_models.py installs there by default). */
static const char *models_dir(void)
{
    const char *env = getenv("SHADES_MODELS");
    return env && env[0] ? env : SH_DEFAULT_MODELS;
}

/* text with every "../models" replaced by dir: the shipped demo configs name
 * the models as the repository lays them out, and the written copy must work
 * wherever --out is. Returns malloc'd text or NULL (out of memory). */
static char *with_models(const char *text, const char *dir)
{
    static const char mark[] = "../models";
    size_t n = 0, len = strlen(text), dlen = strlen(dir);
    for (const char *p = text; (p = strstr(p, mark)); p += sizeof mark - 1)
        n++;
    char *out = malloc(len + n * dlen + 1);
    if (!out)
        return NULL;
    char *w = out;
    for (const char *p = text, *q; ; p = q + sizeof mark - 1) {
        q = strstr(p, mark);
        size_t keep = q ? (size_t)(q - p) : strlen(p);
        memcpy(w, p, keep);
        w += keep;
        if (!q)
            break;
        memcpy(w, dir, dlen);
        w += dlen;
    }
    *w = '\0';
    return out;
}

/* A real pretrained engine on generated faces: shades synth, then the
 * faceplugin models through opencv-onnx, for verification and for a
 * classification audit of their sex estimate. */
static int demo_faces(const sh_demo_options *opts, sh_err *err)
{
    char faces[PATH_MAX], card[PATH_MAX];
    int rc = sh_path_join(faces, sizeof faces, opts->out_dir, "demo-faces", err);
    if (!rc)
        rc = sh_path_join(card, sizeof card, models_dir(), SH_DEMO_MODEL_SET "/card.yaml", err);
    if (rc)
        return rc;
    /* Before rendering anything: the run would refuse later, with less said. */
    if (access(card, R_OK) != 0)
        return sh_err_set(err, SH_E_INPUT,
                          "%s: %s: the demo's pretrained models are not installed (fetch them "
                          "with scripts/fetch_models.py, or skip them with --faces 0)",
                          card, strerror(errno));
    sh_model_card *mc = NULL;
    char warning[1024];
    rc = sh_model_card_open(&mc, warning, sizeof warning, card, err);
    sh_model_card_destroy(mc);
    if (rc)
        return rc;
    printf("shades demo: the faces are generated; no rate below is evidence about any engine "
           "on real people\n");
    synth_faces_spec spec = {.subjects = opts->face_subjects,
                             .images_per_subject = 4,
                             .seed = 20261122};
    synth_face_params_default(&spec.params);
    printf("shades demo: rendering %u synthetic identities x %u face images in %s\n",
           spec.subjects, spec.images_per_subject, faces);
    rc = sh_executor_create(&spec.executor, opts->threads ? opts->threads : 2, err);
    if (!rc)
        rc = synth_faces_write(faces, &spec, err);
    sh_executor_destroy(spec.executor);
    char *verify = rc ? NULL : with_models(sh_demo_onnx_config, models_dir());
    char *sex = rc ? NULL : with_models(sh_demo_onnx_sex_config, models_dir());
    if (!rc && (!verify || !sex))
        rc = sh_err_nomem(err);
    if (!rc)
        rc = run_config(NULL, opts, "demo-onnx.yaml", verify, err);
    if (!rc)
        rc = run_config(NULL, opts, "demo-onnx-sex.yaml", sex, err);
    free(verify);
    free(sex);
    return rc;
}

/* The synthetic engine on code images, with its planted truth beside. */
static int demo_synthetic(const sh_demo_options *opts, sh_err *err)
{
    char cohort[PATH_MAX], config[PATH_MAX];
    int rc = sh_path_join(cohort, sizeof cohort, opts->out_dir, "demo-cohort", err);
    if (!rc)
        rc = sh_path_join(config, sizeof config, opts->out_dir, "demo.yaml", err);
    if (rc)
        return rc;
    synth_cohort_spec spec = {opts->subjects, opts->images_per_subject, 20261122};
    printf("\nshades demo: generating %u synthetic subjects x %u code images in %s\n",
           spec.subjects, spec.images_per_subject, cohort);
    sh_vresults *v = NULL;
    rc = synth_cohort_write(cohort, &spec, err);
    if (!rc)
        rc = run_config(&v, opts, "demo.yaml", sh_demo_config, err);
    if (rc)
        return rc;
    sh_config *c = NULL;
    rc = sh_config_load(&c, config, err);
    char *options = rc ? NULL : sh_config_engine_options(c);
    synth_model model;
    if (!rc && options) {
        char why[256];
        synth_model_default(&model, c->run.seed);
        if (synth_model_parse(&model, options, why, sizeof why) == 0)
            print_truth(v, &model);
    }
    free(options);
    sh_config_destroy(c);
    sh_vresults_destroy(v);
    return rc;
}

int sh_demo(const sh_demo_options *opts, sh_err *err)
{
    char html[PATH_MAX], onnx[PATH_MAX], sex[PATH_MAX], synthetic[PATH_MAX];
    int rc = sh_path_mkdirs(opts->out_dir, err);
    if (!rc)
        rc = sh_path_join(html, sizeof html, opts->out_dir, "report.html", err);
    if (!rc)
        rc = sh_path_join(onnx, sizeof onnx, opts->out_dir, "demo-onnx.h5", err);
    if (!rc)
        rc = sh_path_join(sex, sizeof sex, opts->out_dir, "demo-onnx-sex.h5", err);
    if (!rc)
        rc = sh_path_join(synthetic, sizeof synthetic, opts->out_dir, "demo.h5", err);
    if (!rc && opts->face_subjects)
        rc = demo_faces(opts, err);
    if (!rc)
        rc = demo_synthetic(opts, err);
    if (rc)
        return rc;
    const char *paths[3] = {onnx, sex, synthetic};
    size_t first = opts->face_subjects ? 0 : 2;
    sh_report_options ro = {.format = sh_report_format_find("html")};
    rc = sh_report_files(paths + first, 3 - first, html, &ro, err);
    if (!rc) {
        printf("\nshades demo: results ");
        for (size_t i = first; i < 3; i++)
            printf("%s%s", paths[i], i + 1 < 3 ? ", " : "\n");
        printf("shades demo: report  %s\n", html);
        if (opts->face_subjects)
            printf("shades demo: the faces are generated; no rate here is evidence about any "
                   "engine on real people\n");
    }
    return rc;
}
