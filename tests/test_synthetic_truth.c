/* End to end on a generated cohort: the synthetic engine's planted
 * differentials are recovered, per group, within sampling error of the
 * closed form; the results file holds the same table; the thread count
 * changes nothing. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <hdf5.h>

#include "cohort.h"
#include "h5_read.h"
#include "h5_schema.h"
#include "manifest.h"
#include <shades/synthetic.h>
#include "run.h"

static char dir[64], config[128], results[128];
/* The truth config's run, made once in setup and read by several tests. */
static sh_vresults *shared;

static const char *options[] = {
    "genuine_mean=4.0", "genuine_sd=1.0", "impostor_mean=0.0", "impostor_sd=1.0",
    "trait0_genuine_sd_scale=1.6", "trait0_fte=0.05", "trait1_impostor_mean_shift=0.5",
};
#define N_OPTIONS (sizeof options / sizeof options[0])
#define SEED 11

static int setup(void **state)
{
    (void)state;
    setenv("SHADES_ADAPTER_DIR", SH_TEST_ADAPTER_DIR, 1);
    snprintf(dir, sizeof dir, "/tmp/shades-truth-XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    char cohort[128];
    snprintf(cohort, sizeof cohort, "%s/cohort", dir);
    synth_cohort_spec spec = {300, 5, 5};
    sh_err err = {0};
    if (synth_cohort_write(cohort, &spec, &err)) {
        fprintf(stderr, "%s\n", err.msg);
        return -1;
    }
    snprintf(config, sizeof config, "%s/run.yaml", dir);
    snprintf(results, sizeof results, "%s/out/r.h5", dir);
    FILE *f = fopen(config, "w");
    fprintf(f, "run: {name: truth, seed: %d, threads: 2}\n"
               "dataset: {manifest: cohort/manifest.csv}\n"
               "engine:\n  adapter: synthetic\n  options:\n", SEED);
    for (size_t i = 0; i < N_OPTIONS; i++)
        fprintf(f, "    - %s\n", options[i]);
    fprintf(f, "groups:\n  derived:\n    - name: skin\n      from: skin_type\n      map:\n"
               "        - {label: lighter, values: [I, II, III]}\n"
               "        - {label: darker, values: [IV, V, VI]}\n"
               "  partitions: [sex x skin, sex]\n"
               "verification: {target_fmr: [0.01, 0.001]}\n"
               "output: {results: out/r.h5}\n");
    if (fclose(f))
        return -1;
    sh_run_options ro = {0};
    if (sh_run(&shared, config, &ro, &err)) {
        fprintf(stderr, "%s\n", err.msg);
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    sh_vresults_destroy(shared);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static synth_code code_of(const sh_manifest *m, size_t i)
{
    synth_code c;
    c.subject = (uint32_t)atoi(m->subject_id[i] + 1);
    c.image = (uint32_t)atoi(strchr(m->image_id[i], '_') + 1);
    c.traits = synth_cohort_traits(sh_manifest_value(m, i, sh_manifest_attr(m, "sex")),
                                   sh_manifest_value(m, i, sh_manifest_attr(m, "skin_type")));
    return c;
}

static int in_group(const sh_manifest *m, size_t i, const char *group)
{
    char sex[8], skin[16];
    if (sscanf(group, "%7[^/]/%15s", sex, skin) != 2)
        return 0;
    const char *st = sh_manifest_value(m, i, sh_manifest_attr(m, "skin_type"));
    int darker = !strcmp(st, "IV") || !strcmp(st, "V") || !strcmp(st, "VI");
    return !strcmp(sh_manifest_value(m, i, sh_manifest_attr(m, "sex")), sex) &&
           darker == !strcmp(skin, "darker");
}

/* |observed - expected| within 4.5 standard deviations (plus one for
 * discreteness); the seed is fixed, so this either always holds or the
 * harness disagrees with the model. */
static void assert_near(const char *what, const char *group, double obs, double mean, double var)
{
    double tol = 4.5 * sqrt(var) + 1.0;
    if (fabs(obs - mean) > tol)
        fail_msg("%s of %s: observed %.0f, expected %.1f +- %.1f", what, group, obs, mean, tol);
}

static void planted_rates_are_recovered(void **state)
{
    (void)state;
    sh_err err = {0};
    const sh_vresults *v = shared;
    sh_manifest *m;
    char mpath[160];
    snprintf(mpath, sizeof mpath, "%s/cohort/manifest.csv", dir);
    assert_int_equal(sh_manifest_load(&m, mpath, &err), 0);
    synth_model model;
    synth_model_default(&model, SEED);
    char opts[512] = "", why[256];
    for (size_t i = 0; i < N_OPTIONS; i++)
        strcat(strcat(opts, options[i]), "\n");
    assert_int_equal(synth_model_parse(&model, opts, why, sizeof why), 0);
    int checked = 0;
    for (size_t r = 0; r < v->n_groups; r++) {
        const sh_vgroup *g = &v->groups[r];
        if (strcmp(g->partition, "sex x skin"))
            continue;
        double t = g->threshold;
        uint64_t n_img = 0, n_fail = 0, gen_failed = 0;
        double fte_p = 0, fnm_mean = 0, fnm_var = 0, fm_mean = 0, fm_var = 0;
        for (size_t i = 0; i < m->n_items; i++) {
            if (!in_group(m, i, g->group))
                continue;
            synth_code a = code_of(m, i);
            int fa = synth_model_fails(&model, &a);
            n_img++;
            n_fail += (uint64_t)fa;
            fte_p = synth_model_fte(&model, a.traits);
            for (size_t j = i + 1; j < m->n_items; j++) {
                if (!in_group(m, j, g->group))
                    continue;
                synth_code b = code_of(m, j);
                int failed = fa || synth_model_fails(&model, &b);
                double q = failed ? 0.0 : synth_model_match_prob(&model, &a, &b, t);
                if (a.subject == b.subject) {
                    gen_failed += (uint64_t)failed;
                    fnm_mean += 1 - q;
                    fnm_var += q * (1 - q);
                } else {
                    fm_mean += q;
                    fm_var += q * (1 - q);
                }
            }
        }
        assert_int_equal(g->n_images, n_img);
        assert_int_equal(g->n_fte, n_fail);
        assert_int_equal(g->n_genuine_failed, gen_failed);
        assert_near("failures to enrol", g->group, (double)g->n_fte, n_img * fte_p,
                    n_img * fte_p * (1 - fte_p));
        assert_near("false non-matches", g->group, (double)g->n_false_nonmatch, fnm_mean, fnm_var);
        assert_near("false matches", g->group, (double)g->n_false_match, fm_mean, fm_var);
        checked++;
    }
    assert_int_equal(checked, 8); /* four groups at two targets */
    sh_manifest_destroy(m);
}

/* The planted effects must show: darker FNMR above lighter, female FMR
 * above male, at every target. */
static void differentials_point_the_planted_way(void **state)
{
    (void)state;
    const sh_vresults *v = shared;
    for (size_t r = 0; r < v->n_groups; r++) {
        const sh_vgroup *g = &v->groups[r];
        if (!strcmp(g->group, "F/darker")) {
            const sh_vgroup *lighter = g - 2; /* F/lighter at the same target */
            assert_string_equal(lighter->group, "F/lighter");
            assert_true(g->fnmr > lighter->fnmr);
        }
        if (!strcmp(g->partition, "sex") && !strcmp(g->group, "F")) {
            const sh_vgroup *male = g + v->n_thresholds;
            assert_string_equal(male->group, "M");
            assert_true(g->fmr > 2 * male->fmr);
        }
    }
}

/* Every field of n rows of table t agrees between a and b (NaN with NaN). */
static void assert_rows_equal(const sh_h5_table *t, const void *a, const void *b, size_t n)
{
    for (size_t r = 0; r < n; r++)
        for (size_t c = 0; c < t->n_cols; c++) {
            const sh_h5_column *col = &t->cols[c];
            const char *x = (const char *)a + r * t->row_size + col->offset;
            const char *y = (const char *)b + r * t->row_size + col->offset;
            if (col->kind == 's') {
                assert_string_equal(x, y);
            } else if (col->kind == 'd') {
                double dx, dy;
                memcpy(&dx, x, sizeof dx);
                memcpy(&dy, y, sizeof dy);
                if (!(isnan(dx) && isnan(dy)) && dx != dy)
                    fail_msg("%s row %zu field %s: %g != %g", t->path, r, col->name, dx, dy);
            } else {
                assert_memory_equal(x, y, col->size);
            }
        }
}

/* The file read back holds exactly what the run computed. */
static void results_file_reads_back_whole(void **state)
{
    (void)state;
    const sh_vresults *v = shared;
    sh_results *r;
    sh_err err = {0};
    assert_int_equal(sh_h5_read(&r, results, &err), 0);
    const sh_vresults *w = r->verification;
    const void *mine[] = {v->thresholds, v->groups, v->eer, v->det, v->summaries};
    const void *read[] = {w->thresholds, w->groups, w->eer, w->det, w->summaries};
    size_t n_mine[] = {v->n_thresholds, v->n_groups, v->n_eer, v->n_det, v->n_summaries};
    size_t n_read[] = {w->n_thresholds, w->n_groups, w->n_eer, w->n_det, w->n_summaries};
    for (size_t t = 0; t < 5; t++) {
        assert_int_equal(n_mine[t], n_read[t]);
        assert_rows_equal(&sh_h5_tables[t], mine[t], read[t], n_mine[t]);
    }
    assert_true(v->n_density > 0);
    assert_int_equal(w->n_density, v->n_density);
    assert_rows_equal(&sh_h5_tables[SH_H5_DENSITY], v->density, w->density, v->n_density);
    /* Each group's genuine bins hold its pairs whose templates both exist,
     * its impostor bins at most its same-group impostors. */
    for (size_t i = 0; i < v->n_groups; i++) {
        const sh_vgroup *g = &v->groups[i];
        uint64_t gen = 0, imp = 0;
        for (size_t j = 0; j < v->n_density; j++) {
            const sh_vdensity *d = &v->density[j];
            if (strcmp(d->partition, g->partition) || strcmp(d->group, g->group))
                continue;
            *(strcmp(d->kind, "genuine") ? &imp : &gen) += d->count;
        }
        assert_int_equal(gen, g->n_genuine - g->n_genuine_failed);
        assert_true(imp <= g->n_impostor && imp > 0);
    }
    assert_string_equal(r->info.schema_version, SH_RESULTS_SCHEMA);
    assert_string_equal(r->info.adapter_name, "synthetic");
    assert_string_equal(r->info.criteria_passed, "none");
    assert_int_equal(strlen(r->info.adapter_sha256), 64);
    assert_int_equal(strlen(r->info.manifest_sha256), 64);
    assert_int_equal(r->info.n_subjects, 300);
    assert_int_equal(r->info.seed, SEED);
    assert_true(strstr(r->info.config_text, "trait0_fte=0.05") != NULL);
    assert_int_equal(w->bootstrap, v->bootstrap);
    /* One failure record per image without a template: the "All" row's count. */
    assert_int_equal(r->failures->n, v->groups[0].n_fte);
    assert_true(r->failures->n > 0);
    for (size_t i = 0; i < r->failures->n; i++) {
        assert_string_equal(r->failures->rows[i].stage, "template");
        assert_true(r->failures->rows[i].manifest_line >= 2);
    }
    /* The matrices come back in partition order, with their group names. */
    assert_int_equal(w->n_matrices, v->n_matrices);
    for (size_t m = 0; m < v->n_matrices; m++) {
        const sh_vmatrix *a = &v->matrices[m], *b = &w->matrices[m];
        assert_string_equal(a->partition, b->partition);
        assert_int_equal(a->n_groups, b->n_groups);
        size_t cube = a->n_targets * a->n_groups * a->n_groups;
        for (size_t g = 0; g < a->n_groups; g++)
            assert_string_equal(a->group[g], b->group[g]);
        assert_memory_equal(a->n_false_match, b->n_false_match, cube * sizeof(uint64_t));
        assert_memory_equal(a->n_impostor, b->n_impostor,
                            a->n_groups * a->n_groups * sizeof(uint64_t));
    }
    sh_results_destroy(r);
}

/* The matrix diagonal is the same-group FMR of the groups table, the
 * matrix is symmetric, and its cells add up to all impostor pairs. */
static void fmr_matrix_agrees_with_the_groups(void **state)
{
    (void)state;
    const sh_vresults *v = shared;
    assert_int_equal(v->n_matrices, 2); /* sex x skin, sex */
    for (size_t m = 0; m < v->n_matrices; m++) {
        const sh_vmatrix *x = &v->matrices[m];
        size_t ng = x->n_groups, cells = ng * ng;
        uint64_t pairs = 0;
        for (size_t i = 0; i < ng; i++)
            for (size_t j = 0; j <= i; j++)
                pairs += x->n_impostor[i * ng + j];
        assert_int_equal(pairs, v->thresholds[0].n_impostor);
        for (size_t t = 0; t < x->n_targets; t++) {
            uint64_t matches = 0;
            for (size_t i = 0; i < ng; i++)
                for (size_t j = 0; j < ng; j++) {
                    assert_int_equal(x->n_false_match[t * cells + i * ng + j],
                                     x->n_false_match[t * cells + j * ng + i]);
                    if (j <= i)
                        matches += x->n_false_match[t * cells + i * ng + j];
                }
            assert_int_equal(matches, v->thresholds[t].n_false_match);
            for (size_t i = 0; i < ng; i++) {
                const sh_vgroup *g = NULL;
                for (size_t k = 0; k < v->n_groups; k++)
                    if (strcmp(v->groups[k].partition, x->partition) == 0 &&
                        strcmp(v->groups[k].group, x->group[i]) == 0 &&
                        v->groups[k].target_fmr == x->target_fmr[t])
                        g = &v->groups[k];
                assert_non_null(g);
                assert_int_equal(x->n_impostor[i * ng + i], g->n_impostor);
                assert_int_equal(x->n_false_match[t * cells + i * ng + i], g->n_false_match);
            }
        }
    }
}

/* The shared run used the config's two threads; one thread must agree. */
static void thread_count_changes_nothing(void **state)
{
    (void)state;
    sh_err err = {0};
    sh_vresults *one;
    const sh_vresults *two = shared;
    sh_run_options r1 = {.threads = 1};
    assert_int_equal(sh_run(&one, config, &r1, &err), 0);
    assert_int_equal(one->n_groups, two->n_groups);
    assert_memory_equal(one->groups, two->groups, one->n_groups * sizeof *one->groups);
    assert_memory_equal(one->thresholds, two->thresholds,
                        one->n_thresholds * sizeof *one->thresholds);
    sh_vresults_destroy(one);
}

/* Writes dir/<name>.yaml: the truth config with `from` replaced by `to`,
 * writing its results to out/bad.h5 so the good run's file is untouched. */
static void write_variant(char *out_path, size_t cap, const char *name, const char *from,
                          const char *to)
{
    FILE *f = fopen(config, "r");
    char text[4096], swapped[4200];
    size_t n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[n] = '\0';
    char *at = strstr(text, from);
    assert_non_null(at);
    snprintf(swapped, sizeof swapped, "%.*s%s%s", (int)(at - text), text, to, at + strlen(from));
    at = strstr(swapped, "out/r.h5");
    assert_non_null(at);
    snprintf(out_path, cap, "%s/%s.yaml", dir, name);
    f = fopen(out_path, "w");
    fprintf(f, "%.*sout/bad.h5%s", (int)(at - swapped), swapped, at + strlen("out/r.h5"));
    fclose(f);
}

/* Each bad option value is named with what is wrong with it, and a failed
 * parse leaves the model as it was. */
static void bad_option_values_say_why(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {"genuine_mean=abc", "option 'genuine_mean': 'abc' is not a number"},
        {"genuine_sd=0", "option 'genuine_sd': 0 is not from 1e-09 to 1e+06"},
        {"trait0_fte=1", "option 'trait0_fte': 1 is not from 0 to 0.999"},
        {"seed=-3", "option 'seed': '-3' is not a whole number"},
        {"impostor_sd=1\nimpostor_sd=2", "option 'impostor_sd' is given twice"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        synth_model model, before;
        synth_model_default(&model, SEED);
        before = model;
        char why[256] = "";
        assert_int_equal(synth_model_parse(&model, cases[i][0], why, sizeof why), -1);
        assert_string_equal(why, cases[i][1]);
        assert_memory_equal(&model, &before, sizeof model);
    }
}

static void expect_run_error(const char *config_path, const char *expected)
{
    char out[160];
    snprintf(out, sizeof out, "%s/out/bad.h5", dir);
    unlink(out);
    sh_err err = {0};
    sh_vresults *v = (sh_vresults *)1;
    sh_run_options ro = {0};
    assert_true(sh_run(&v, config_path, &ro, &err) < 0);
    assert_null(v);
    assert_string_equal(err.msg, expected);
    assert_int_equal(access(out, F_OK), -1);
}

static void failed_runs_name_the_cause_and_write_nothing(void **state)
{
    (void)state;
    char path[160], want[1024];
    FILE *f;
    write_variant(path, sizeof path, "bad_option", "    - genuine_mean=4.0\n",
                  "    - genuine_mean=4.0\n    - bogus=1\n");
    snprintf(want, sizeof want,
             "%s:5: field 'engine.options': adapter '%s/libshades_adapter_synthetic.so': create "
             "failed (SHADES_ERR_CONFIG): synthetic: unknown option 'bogus'",
             path, SH_TEST_ADAPTER_DIR);
    expect_run_error(path, want);

    write_variant(path, sizeof path, "bad_partition", "[sex x skin, sex]", "[sex x skn]");
    snprintf(want, sizeof want,
             "%s:20: field 'groups.partitions': 'skn' is neither a column of %s/cohort/manifest.csv "
             "nor a derived attribute",
             path, dir);
    expect_run_error(path, want);

    /* A manifest whose second row names an image that is not there. */
    char manifest[160];
    snprintf(manifest, sizeof manifest, "%s/cohort/broken.csv", dir);
    f = fopen(manifest, "w");
    fprintf(f, "image_id,subject_id,path,sex,skin_type\n"
               "s00001_0,s00001,images/s00001_0.png,F,I\n"
               "s00001_9,s00001,images/missing.png,F,I\n"
               "s00002_0,s00002,images/s00002_0.png,F,I\n");
    fclose(f);
    write_variant(path, sizeof path, "bad_image", "cohort/manifest.csv", "cohort/broken.csv");
    snprintf(want, sizeof want,
             "%s:3: field 'path': %s/cohort/images/missing.png: cannot open image: No such file "
             "or directory",
             manifest, dir);
    expect_run_error(path, want);
}

static void impostor_sample_is_seeded_and_exact_in_size(void **state)
{
    (void)state;
    char path[160];
    write_variant(path, sizeof path, "sample", "verification: {",
                  "verification: {impostors: sample, impostor_sample: 20000, ");
    sh_err err = {0};
    sh_vresults *a, *b;
    sh_run_options ro = {0};
    assert_int_equal(sh_run(&a, path, &ro, &err), 0);
    assert_int_equal(sh_run(&b, path, &ro, &err), 0);
    assert_int_equal(a->thresholds[0].n_impostor, 20000);
    assert_int_equal(a->thresholds[0].n_genuine, 300 * 10);
    assert_memory_equal(a->groups, b->groups, a->n_groups * sizeof *a->groups);
    /* 20000 impostors support FMR 1e-3 (20 false matches) at the global cut. */
    assert_int_equal(a->thresholds[1].estimable, 1);
    assert_int_equal(a->thresholds[1].n_false_match, 20);
    sh_vresults_destroy(a);
    sh_vresults_destroy(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(planted_rates_are_recovered),
        cmocka_unit_test(differentials_point_the_planted_way),
        cmocka_unit_test(results_file_reads_back_whole),
        cmocka_unit_test(fmr_matrix_agrees_with_the_groups),
        cmocka_unit_test(thread_count_changes_nothing),
        cmocka_unit_test(bad_option_values_say_why),
        cmocka_unit_test(failed_runs_name_the_cause_and_write_nothing),
        cmocka_unit_test(impostor_sample_is_seeded_and_exact_in_size),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
