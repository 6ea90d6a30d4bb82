/* The report's building blocks: text tables that stay within 100 columns,
 * Markdown and HTML escaping, the table of formats, the reader's message
 * for every kind of file it cannot use, the DET plot's axes, points and
 * operating-point markers, and Gender Shades' order of groups. */
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

#include "h5_read.h"
#include "help.h"
#include "report.h"
#include "report_format.h"
#include "report_order.h"
#include "report_probit.h"
#include "report_svg.h"
#include "report_table.h"

/* Prints with fn into a string the caller frees. */
static char *capture(int (*fn)(FILE *, const sh_table *, size_t), const sh_table *t,
                     size_t width)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_int_equal(fn(f, t, width), 0);
    fclose(f);
    return buf;
}

static int print_md(FILE *f, const sh_table *t, size_t level)
{
    return sh_table_print_markdown(f, t, (int)level);
}

static int print_html(FILE *f, const sh_table *t, size_t unused)
{
    (void)unused;
    return sh_table_print_html(f, t);
}

static void text_table_aligns_and_has_no_trailing_blanks(void **state)
{
    (void)state;
    sh_table *t = sh_table_create("Rates", "group|n|rate", "lrl");
    sh_table_cellf(t, "F");
    sh_table_cellf(t, "%d", 120);
    sh_table_cellf(t, "0.1");
    sh_table_cellf(t, "M/darker");
    sh_table_cellf(t, "%d", 7);
    sh_table_cellf(t, "%s", "");
    sh_table_note(t, "a note");
    char *s = capture(sh_table_print_text, t, 100);
    assert_string_equal(s, "\nRates\n"
                           "group       n  rate\n"
                           "--------  ---  ----\n"
                           "F         120  0.1\n"
                           "M/darker    7\n"
                           "a note\n");
    free(s);
    sh_table_destroy(t);
}

static void wide_tables_wrap_repeating_the_key_columns(void **state)
{
    (void)state;
    sh_table *t = sh_table_create("Wide", "engine|rate|a|b|c|d", "llrrrr");
    t->n_key = 2;
    for (int r = 0; r < 2; r++) {
        sh_table_cellf(t, "engine-%d", r);
        sh_table_cellf(t, "FNMR");
        for (int c = 0; c < 4; c++)
            sh_table_cellf(t, "%030d", c);
    }
    char *s = capture(sh_table_print_text, t, 100);
    /* engine(8) + rate(4) + 2 x 30 fit in 100 with separators; 3 do not. */
    size_t blocks = 0;
    for (char *line = strtok(s, "\n"); line; line = strtok(NULL, "\n")) {
        assert_true(strlen(line) <= 100);
        if (strncmp(line, "engine  ", 8) == 0) {
            blocks++;
            assert_non_null(strstr(line, "rate"));
        }
    }
    assert_int_equal(blocks, 2);
    free(s);
    sh_table_destroy(t);
}

static void a_cell_too_wide_for_the_page_wraps_under_itself(void **state)
{
    (void)state;
    sh_table *t = sh_table_create("Provenance", "item|value", "ll");
    sh_table_cellf(t, "build");
    sh_table_cellf(t, "alpha beta gamma delta epsilon");
    char *s = capture(sh_table_print_text, t, 27);
    assert_string_equal(s, "\nProvenance\n"
                           "item   value\n"
                           "-----  --------------------\n"
                           "build  alpha beta gamma\n"
                           "       delta epsilon\n");
    free(s);
    sh_table_destroy(t);
}

static void markdown_and_html_escape_cells(void **state)
{
    (void)state;
    sh_table *t = sh_table_create("A <b> & c", "x|y", "lr");
    sh_table_cellf(t, "a|b");
    sh_table_cellf(t, "<script>");
    char *md = capture(print_md, t, 3);
    assert_non_null(strstr(md, "### A <b> & c"));
    assert_non_null(strstr(md, "| a\\|b | <script> |"));
    assert_non_null(strstr(md, "|:---|---:|"));
    char *html = capture(print_html, t, 0);
    assert_non_null(strstr(html, "<caption>A &lt;b&gt; &amp; c</caption>"));
    assert_non_null(strstr(html, "&lt;script&gt;"));
    assert_null(strstr(html, "<script>"));
    free(md);
    free(html);
    sh_table_destroy(t);
}

static void formats_parse_by_name(void **state)
{
    (void)state;
    assert_ptr_equal(sh_report_format_find("html"), &sh_report_html);
    assert_ptr_equal(sh_report_format_find("md"), &sh_report_markdown);
    assert_ptr_equal(sh_report_format_find("markdown"), &sh_report_markdown);
    assert_ptr_equal(sh_report_format_find("csv"), &sh_report_csv);
    assert_ptr_equal(sh_report_format_find("txt"), &sh_report_text);
    assert_ptr_equal(sh_report_format_find("text"), &sh_report_text);
    assert_null(sh_report_format_find("pdf"));
    char names[64];
    sh_report_format_list(names, sizeof names);
    assert_string_equal(names, "txt, md, csv or html");
}

/* `shades report --help` lists the formats of the table, so a new format
 * cannot be left out of it (help_cli.sh holds the man page and the
 * completion to the help). */
static void help_lists_every_format(void **state)
{
    (void)state;
    char want[128] = "[--format ";
    for (size_t i = 0; i < sh_report_n_formats; i++) {
        strcat(want, i ? "|" : "");
        strcat(want, sh_report_formats[i]->name);
    }
    strcat(want, "]");
    char *page = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&page, &len);
    assert_int_equal(sh_help_command(f, "report"), 0);
    fclose(f);
    assert_non_null(strstr(page, want));
    free(page);
}

/* Probit axes reach past a weak engine's rates: 0.97 needs 0.99, 0.5 and
 * below keep the axis at 0.5, and the lower end is the decade below. */
static void probit_axes_are_fitted_to_the_data(void **state)
{
    (void)state;
    sh_probit_axis a;
    sh_probit_axis_fit(&a, 2e-6, 0.97);
    assert_int_equal(a.lo_exp, -6);
    assert_int_equal(a.hi_exp, -2);
    assert_true(sh_probit_holds(&a, 0.97) && sh_probit_holds(&a, 2e-6));
    assert_true(sh_probit_holds(&a, 0.99) && !sh_probit_holds(&a, 0.991));
    assert_false(sh_probit_holds(&a, 0) || sh_probit_holds(&a, 1));
    sh_probit_axis_fit(&a, 0.001, 0.99);
    assert_int_equal(a.lo_exp, -3);
    assert_int_equal(a.hi_exp, -2);
    assert_true(fabs(sh_probit_pos(&a, 0.001)) < 1e-12 && fabs(sh_probit_pos(&a, 0.99) - 1) < 1e-12);
    sh_probit_axis_fit(&a, 0.02, 0.4);
    assert_int_equal(a.lo_exp, -2);
    assert_int_equal(a.hi_exp, 0);
    double ticks[SH_PROBIT_MAX_TICKS];
    sh_probit_axis_fit(&a, 1e-4, 0.9995);
    size_t n = sh_probit_ticks(ticks, &a);
    const char *want[] = {"1e-4", "1e-3", "0.01", "0.1", "0.5", "0.9", "0.99", "0.999", "0.9999"};
    assert_int_equal(n, sizeof want / sizeof want[0]);
    for (size_t i = 0; i < n; i++) {
        char lab[32];
        sh_probit_label(lab, sizeof lab, ticks[i]);
        assert_string_equal(lab, want[i]);
    }
}

/* Counts "x,y " pairs of every DET polyline in svg, each inside the plot's
 * frame (x 60 to 400, y 20 to 350). */
static size_t det_points_in_frame(const char *svg)
{
    size_t n = 0;
    for (const char *p = strstr(svg, "class=\"det\""); p; p = strstr(p + 1, "class=\"det\"")) {
        const char *q = strstr(p, "points=\"") + 8;
        double x, y;
        int used;
        while (sscanf(q, "%lf,%lf %n", &x, &y, &used) == 2) {
            assert_true(x >= 60 - 0.05 && x <= 400 + 0.05);
            assert_true(y >= 20 - 0.05 && y <= 350 + 0.05);
            n++;
            q += used;
        }
    }
    return n;
}

/* Occurrences of needle in s. */
static size_t count(const char *s, const char *needle)
{
    size_t n = 0;
    for (const char *p = strstr(s, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

/* A weak engine's DET (FNMR 0.6 to 0.97) is drawn whole on axes that reach
 * 0.99; only points with a rate of 0 or 1 are left out, and counted; each
 * group is marked at each estimable target's global threshold. */
static void det_draws_high_fnmr_and_marks_each_target(void **state)
{
    (void)state;
    sh_vdet det[] = {
        {"sex", "F", -INFINITY, 1, 0},  /* FNMR 0: not drawn */
        {"sex", "F", 0.1, 0.5, 0.6},     {"sex", "F", 0.2, 0.01, 0.9},
        {"sex", "F", 0.3, 1e-4, 0.95},   {"sex", "F", 0.4, 0, 0.97}, /* FMR 0 */
        {"sex", "M", 0.05, 1, 0.1},      /* FMR 1: not drawn */
        {"sex", "M", 0.1, 0.3, 0.62},    {"sex", "M", 0.2, 0.002, 0.8},
        {"sex", "M", 0.5, 0, 1},         /* FMR 0, FNMR 1 */
        {"all", "All", 0.2, 0.01, 0.7},
    };
    sh_vthreshold th[] = {{.target_fmr = 0.01, .estimable = 1},
                          {.target_fmr = 0.001, .estimable = 1},
                          {.target_fmr = 1e-6, .estimable = 0}};
    sh_vgroup g[] = {
        {.partition = "sex", .group = "F", .target_fmr = 0.01, .fmr = 0.012, .fnmr = 0.9},
        {.partition = "sex", .group = "F", .target_fmr = 0.001, .fmr = 0.0008, .fnmr = 0.93},
        {.partition = "sex", .group = "F", .target_fmr = 1e-6, .fmr = NAN, .fnmr = NAN},
        {.partition = "sex", .group = "M", .target_fmr = 0.01, .fmr = 0.004, .fnmr = 0.75},
        {.partition = "sex", .group = "M", .target_fmr = 0.001, .fmr = 0, .fnmr = 0.85},
        {.partition = "sex", .group = "M", .target_fmr = 1e-6, .fmr = NAN, .fnmr = NAN},
    };
    sh_vresults v = {.n_thresholds = 3, .thresholds = th, .n_groups = 6, .groups = g,
                     .n_det = sizeof det / sizeof det[0], .det = det};
    char *svg = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&svg, &len);
    sh_det_drawn d;
    assert_int_equal(sh_svg_det(f, &d, &v, "sex"), 0);
    fclose(f);
    assert_int_equal(d.points, 9);
    assert_int_equal(d.points_zero, 3);
    assert_int_equal(d.points_one, 1);
    assert_int_equal(det_points_in_frame(svg), 9 - 3 - 1);
    assert_int_equal(count(svg, "class=\"det\""), 2);
    /* Markers: 2 groups x 2 estimable targets, M's at 0.001 has FMR 0. */
    assert_int_equal(d.marks, 4);
    assert_int_equal(d.marks_off, 1);
    assert_int_equal(count(svg, "class=\"op\""), 3);
    assert_int_equal(count(svg, "class=\"op-key\""), 2);
    assert_non_null(strstr(svg, ">FMR 0.01</text>"));
    assert_non_null(strstr(svg, ">FMR 0.001</text>"));
    assert_null(strstr(svg, ">FMR 1e-06</text>"));
    /* The FNMR axis reaches 0.99 (the largest drawn FNMR is 0.95), the
     * FMR axis starts at 1e-4 and ends at 0.5. */
    assert_non_null(strstr(svg, "text-anchor=\"end\">0.99</text>"));
    assert_null(strstr(svg, "text-anchor=\"end\">0.999</text>"));
    assert_non_null(strstr(svg, "text-anchor=\"middle\">1e-4</text>"));
    assert_null(strstr(svg, "text-anchor=\"middle\">0.9</text>"));
    free(svg);
}

/* Gender Shades' order whatever the config's: All, the classified
 * attribute, the attributes crossed, the intersections with the
 * classified attribute varying fastest, then the rest. */
static void classification_groups_in_gender_shades_order(void **state)
{
    (void)state;
    static const char *const rows[][2] = {
        {"all", "All"},
        {"skin_type", "I"},        {"skin_type", "II"},
        {"skin x sex", "darker/F"}, {"skin x sex", "darker/M"},
        {"skin x sex", "lighter/F"}, {"skin x sex", "lighter/M"},
        {"age x sex", "young/F"},  {"age x sex", "young/M"},
        {"age x sex", "old/F"},    {"age x sex", "old/M"},
        {"skin", "darker"},        {"skin", "lighter"},
        {"sex", "F"},              {"sex", "M"},
    };
    enum { N_ROWS = sizeof rows / sizeof rows[0] };
    sh_crow g[N_ROWS] = {0};
    for (size_t i = 0; i < N_ROWS; i++) {
        strcpy(g[i].partition, rows[i][0]);
        strcpy(g[i].group, rows[i][1]);
    }
    sh_cresults c = {.attribute = "sex", .n_groups = N_ROWS, .groups = g};
    size_t order[N_ROWS];
    assert_int_equal(sh_report_gender_shades_order(order, &c), 0);
    const char *want[] = {"All",      "F",        "M",         "darker",    "lighter",
                          "darker/F", "darker/M", "lighter/F", "lighter/M", "young/F",
                          "young/M",  "old/F",    "old/M",     "I",         "II"};
    for (size_t i = 0; i < N_ROWS; i++)
        assert_string_equal(g[order[i]].group, want[i]);
    /* Sex first in the intersection: still DF, DM, LF, LM. */
    static const char *const both[] = {"F/darker", "F/lighter", "M/darker", "M/lighter"};
    for (size_t i = 0; i < 4; i++) {
        strcpy(g[3 + i].partition, "sex x skin");
        strcpy(g[3 + i].group, both[i]);
    }
    assert_int_equal(sh_report_gender_shades_order(order, &c), 0);
    const char *want2[] = {"F/darker", "M/darker", "F/lighter", "M/lighter"};
    for (size_t i = 0; i < 4; i++)
        assert_string_equal(g[order[5 + i]].group, want2[i]);
}

static char dir[64];

/* Writes an HDF5 file with a root string attribute (none when value is NULL). */
static void write_h5(const char *path, const char *name, const char *value)
{
    hid_t f = H5Fcreate(path, H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    assert_true(f >= 0);
    if (value) {
        hid_t t = H5Tcopy(H5T_C_S1);
        H5Tset_size(t, strlen(value) + 1);
        hid_t sp = H5Screate(H5S_SCALAR);
        hid_t a = H5Acreate2(f, name, t, sp, H5P_DEFAULT, H5P_DEFAULT);
        H5Awrite(a, t, value);
        H5Aclose(a);
        H5Sclose(sp);
        H5Tclose(t);
    }
    H5Fclose(f);
}

static void expect_read_error(const char *path, const char *want)
{
    sh_results *r = (sh_results *)1;
    sh_err err = {0};
    assert_true(sh_h5_read(&r, path, &err) < 0);
    assert_null(r);
    char full[512];
    snprintf(full, sizeof full, "%s: %s", path, want);
    assert_string_equal(err.msg, full);
}

static void unreadable_results_files_are_named_with_the_reason(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/shades-report-XXXXXX");
    assert_non_null(mkdtemp(dir));
    char path[256];
    H5Eset_auto2(H5E_DEFAULT, NULL, NULL);

    snprintf(path, sizeof path, "%s/missing.h5", dir);
    expect_read_error(path, "cannot read: No such file or directory");

    snprintf(path, sizeof path, "%s/text.h5", dir);
    FILE *f = fopen(path, "w");
    fputs("not hdf5\n", f);
    fclose(f);
    expect_read_error(path, "not an HDF5 file");

    snprintf(path, sizeof path, "%s/other.h5", dir);
    write_h5(path, "title", "someone else's file");
    expect_read_error(path, "not a shades results file (no schema_version attribute)");

    snprintf(path, sizeof path, "%s/future.h5", dir);
    write_h5(path, "schema_version", "2.0");
    expect_read_error(path, "results schema 2.0; this shades reads schema 1.x");

    snprintf(path, sizeof path, "%s/partial.h5", dir);
    write_h5(path, "schema_version", "1.0");
    expect_read_error(path, "root attribute 'creator' is missing or not a string");

    /* A report of several files writes nothing when one cannot be read. */
    char out[256];
    snprintf(out, sizeof out, "%s/report.html", dir);
    const char *paths[] = {path};
    sh_report_options o = {.format = &sh_report_html};
    sh_err err = {0};
    assert_true(sh_report_files(paths, 1, out, &o, &err) < 0);
    assert_int_equal(access(out, F_OK), -1);

    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(text_table_aligns_and_has_no_trailing_blanks),
        cmocka_unit_test(wide_tables_wrap_repeating_the_key_columns),
        cmocka_unit_test(a_cell_too_wide_for_the_page_wraps_under_itself),
        cmocka_unit_test(markdown_and_html_escape_cells),
        cmocka_unit_test(formats_parse_by_name),
        cmocka_unit_test(help_lists_every_format),
        cmocka_unit_test(probit_axes_are_fitted_to_the_data),
        cmocka_unit_test(det_draws_high_fnmr_and_marks_each_target),
        cmocka_unit_test(classification_groups_in_gender_shades_order),
        cmocka_unit_test(unreadable_results_files_are_named_with_the_reason),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
