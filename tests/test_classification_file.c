/* Classification results through the file and the report: a small
 * Gender-Shades-shaped set with known error counts is measured, written,
 * read back whole, and printed in the Gender Shades layout.
 * Usage: test_classification_file OUT.h5 (kept for the schema test). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "classification_measures.h"
#include "classification_results.h"
#include "h5_read.h"
#include "h5_write.h"
#include "report.h"
#include "report_format.h"

static const char *out_path;

/* 40 images: F/darker, F/lighter, M/darker, M/lighter, 10 each, with 3
 * (one a missing prediction), 1, 1 and 0 errors. */
#define N 40
static int32_t truth[N], predicted[N], sex[N], skin[N], both[N];

static void make_set(void)
{
    const int errors[4] = {3, 1, 1, 0};
    for (int i = 0; i < N; i++) {
        int cell = i / 10, k = i % 10;
        sex[i] = cell < 2 ? 0 : 1;  /* F, M */
        skin[i] = cell % 2;         /* darker, lighter */
        both[i] = cell;
        truth[i] = sex[i];
        predicted[i] = k < errors[cell] ? 1 - truth[i] : truth[i];
    }
    predicted[0] = SH_NO_PREDICTION;
}

static void measured_written_read_and_reported(void **state)
{
    (void)state;
    make_set();
    char *sex_names[] = {"F", "M"}, *skin_names[] = {"darker", "lighter"};
    char *both_names[] = {"F/darker", "F/lighter", "M/darker", "M/lighter"};
    sh_partition parts[] = {
        {"sex", 2, sex_names, sex, NULL, NULL, -1},
        {"skin", 2, skin_names, skin, NULL, NULL, -1},
        {"sex x skin", 4, both_names, both, NULL, NULL, -1},
    };
    sh_groups g = {3, parts};
    const char *classes[] = {"F", "M"};
    sh_cresults *c;
    sh_err err = {0};
    assert_int_equal(sh_classification_results(&c, "sex", classes, 2, &g, truth, predicted, N,
                                                &(sh_cmeasure_options){.confidence = 0.95},
                                                &err),
                     0);
    assert_int_equal(c->n_groups, 9);
    const struct {
        const char *group;
        uint64_t errors;
    } want[] = {{"All", 5},      {"F", 4},         {"M", 1},        {"darker", 4},     {"lighter", 1},
                {"F/darker", 3}, {"F/lighter", 1}, {"M/darker", 1}, {"M/lighter", 0}};
    for (size_t i = 0; i < 9; i++) {
        assert_string_equal(c->groups[i].group, want[i].group);
        assert_int_equal(c->groups[i].errors, want[i].errors);
    }
    assert_int_equal(c->groups[0].n_no_prediction, 1);
    assert_true(c->groups[5].error_share == 3.0 / 5.0);
    /* Confusion of All: F->F 15, F->M 4... minus the missing one. */
    assert_string_equal(c->confusion[1].predicted, "M");
    assert_int_equal(c->confusion[0].count, 16);  /* F predicted F */
    assert_int_equal(c->confusion[1].count, 3);   /* F predicted M */
    assert_int_equal(c->confusion[2].count, 1);   /* F, no prediction */
    assert_string_equal(c->confusion[2].predicted, SH_CLASS_NONE);

    sh_results r = {
        .info = {.run_name = "gender-shades-like", .adapter_name = "replay",
                 .adapter_version = "1", .dataset_card = "", .n_images = N},
        .classification = c,
    };
    assert_int_equal(sh_h5_write(out_path, &r, &err), 0);
    sh_results *back;
    assert_int_equal(sh_h5_read(&back, out_path, &err), 0);
    assert_null(back->verification);
    assert_non_null(back->classification);
    assert_string_equal(back->classification->attribute, "sex");
    assert_int_equal(back->classification->n_groups, c->n_groups);
    assert_memory_equal(back->classification->groups, c->groups, c->n_groups * sizeof *c->groups);
    assert_memory_equal(back->classification->classes, c->classes,
                        c->n_classes * sizeof *c->classes);
    assert_memory_equal(back->classification->confusion, c->confusion,
                        c->n_confusion * sizeof *c->confusion);

    /* Two engines side by side: one row each, every group's error rate. */
    const sh_results *runs[] = {back, back};
    const char *paths[] = {out_path, out_path};
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    sh_report_options o = {.format = &sh_report_text};
    assert_int_equal(sh_report_write(f, runs, paths, 2, &o, &err), 0);
    fclose(f);
    assert_non_null(strstr(text, "Classification error of sex by group (Gender Shades layout)"));
    assert_non_null(strstr(text, "replay 1 #1  12.5% ["));
    assert_non_null(strstr(text, "replay 1 #2  12.5% ["));
    const char *cells[] = {"20.0% [", "5.0% [", "30.0% [", "10.0% [", "0.0% [0.0,"};
    for (size_t i = 0; i < sizeof cells / sizeof cells[0]; i++)
        assert_non_null(strstr(text, cells[i]));
    /* The side-by-side table's columns and the run's error table's rows
     * in the paper's order: DF, DM, LF, LM. */
    const char *head = strstr(text, "engine ");
    assert_non_null(head);
    assert_true(strstr(head, "F/darker") < strstr(head, "M/darker") &&
                strstr(head, "M/darker") < strstr(head, "F/lighter"));
    const char *rows = strstr(text, "Classification of sex: error by group");
    assert_non_null(rows);
    assert_true(strstr(rows, "  F/darker") < strstr(rows, "  M/darker") &&
                strstr(rows, "  M/darker") < strstr(rows, "  F/lighter"));
    free(text);

    /* HTML: Gender Shades' bar chart, one bar per group with its whiskers,
     * the intersections with sex varying fastest (DF, DM, LF, LM). */
    text = NULL;
    f = open_memstream(&text, &len);
    o.format = &sh_report_html;
    assert_int_equal(sh_report_write(f, runs, paths, 1, &o, &err), 0);
    fclose(f);
    const char *chart = strstr(text, "aria-label=\"Classification error of sex by group\"");
    assert_non_null(chart);
    const char *end = strstr(chart, "</svg>");
    size_t bars = 0, whiskers = 0;
    for (const char *p = strstr(chart, "class=\"bar\""); p && p < end; p = strstr(p + 1, "class=\"bar\""))
        bars++;
    for (const char *p = strstr(chart, "class=\"whisker\""); p && p < end;
         p = strstr(p + 1, "class=\"whisker\""))
        whiskers++;
    assert_int_equal(bars, 9);
    assert_int_equal(whiskers, 9);
    const char *order[] = {">All<", ">F<", ">M<", ">darker<", ">lighter<",
                           ">F/darker<", ">M/darker<", ">F/lighter<", ">M/lighter<"};
    const char *at = chart;
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
        at = strstr(at, order[i]);
        assert_non_null(at);
        assert_true(at < end);
    }
    /* Its values read in percent, as the error table beside it: All is 5 of 40. */
    const char *all = strstr(chart, ">12.5% [");
    assert_non_null(all);
    assert_true(all < end);
    free(text);
    sh_results_destroy(back);
    sh_cresults_destroy(c);
}

int main(int argc, char **argv)
{
    out_path = argc > 1 ? argv[1] : "/tmp/shades-classification.h5";
    const struct CMUnitTest tests[] = {cmocka_unit_test(measured_written_read_and_reported)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
