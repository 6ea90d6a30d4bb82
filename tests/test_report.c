/* The report's building blocks: text tables that stay within 100 columns,
 * Markdown and HTML escaping, the table of formats, the reader's message
 * for every kind of file it cannot use, the DET plot's axes, points and
 * operating-point markers, Gender Shades' order of groups, and the summary
 * panel each format opens with (on a run held in memory, so every number is
 * known). */
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
#include "report_summary.h"
#include "report_svg.h"
#include "report_table.h"
#include "report_verdict.h"

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
    assert_non_null(strstr(md, "### A &lt;b> & c"));
    assert_non_null(strstr(md, "| a\\|b | &lt;script> |"));
    assert_non_null(strstr(md, "|:---|---:|"));
    char *html = capture(print_html, t, 0);
    assert_non_null(strstr(html, "<caption>A &lt;b&gt; &amp; c</caption>"));
    assert_non_null(strstr(html, "&lt;script&gt;"));
    assert_null(strstr(html, "<script>"));
    free(md);
    free(html);
    sh_table_destroy(t);
}

/* A heading built from names keeps each name whole: a '|' or a backslash in
 * one neither splits nor joins columns, and a control character is shown
 * printable. */
static void headings_from_names_keep_their_columns(void **state)
{
    (void)state;
    char heads[64] = "engine";
    sh_table_heads_add(heads, sizeof heads, "a|b");
    sh_table_heads_add(heads, sizeof heads, "c\\");
    sh_table_heads_add(heads, sizeof heads, "d\033[2J\n");
    sh_table *t = sh_table_create("t", heads, "lrrr");
    assert_non_null(t);
    assert_string_equal(t->head[0], "engine");
    assert_string_equal(t->head[1], "a|b");
    assert_string_equal(t->head[2], "c\\");
    assert_string_equal(t->head[3], "d\\x1b[2J ");
    for (int c = 0; c < 4; c++)
        sh_table_cellf(t, "%d", c);
    char *md = capture(print_md, t, 3);
    assert_non_null(strstr(md, "| engine | a\\|b | c\\\\ | d\\\\x1b[2J  |"));
    free(md);
    sh_table_destroy(t);
    /* Cut to fit, never past the end. */
    char small[8] = "x";
    sh_table_heads_add(small, sizeof small, "||||||||");
    assert_true(strlen(small) < sizeof small);
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
        {"sex", "Z", 0.3, 0, 0.5},       {"sex", "Z", 0.4, 0, 0.6}, /* no point drawable */
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
        /* a group with rows but no curve (no same-group impostors) */
        {.partition = "sex", .group = "X", .target_fmr = 0.01, .fmr = NAN, .fnmr = 0.5},
        {.partition = "sex", .group = "X", .target_fmr = 0.001, .fmr = NAN, .fnmr = 0.5},
    };
    sh_vresults v = {.n_thresholds = 3, .thresholds = th, .n_groups = 8, .groups = g,
                     .n_det = sizeof det / sizeof det[0], .det = det};
    char *svg = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&svg, &len);
    sh_det_drawn d;
    assert_int_equal(sh_svg_det(f, &d, &v, "sex"), 0);
    fclose(f);
    assert_int_equal(d.points, 11);
    /* X has no curve, and is named once for the caption, not left out;
     * Z has one, but no point of it can be drawn, and is named too */
    assert_int_equal(d.no_curve, 1);
    assert_string_equal(d.no_curve_names, "X");
    assert_int_equal(d.flat, 1);
    assert_string_equal(d.flat_names, "Z");
    assert_int_equal(d.points_zero, 5);
    assert_int_equal(d.points_one, 1);
    assert_int_equal(det_points_in_frame(svg), 11 - 5 - 1);
    assert_int_equal(count(svg, "class=\"det\""), 3);
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
 * classified attribute varying fastest, each alphabetically (the file
 * lists lighter before darker, young before old), then the rest. */
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
        {"skin", "lighter"},       {"skin", "darker"},
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
                          "darker/F", "darker/M", "lighter/F", "lighter/M", "old/F",
                          "old/M",    "young/F",  "young/M",   "I",         "II"};
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

/* In the Gender Shades layout across runs, only classification runs have
 * a row: a verification run's row would be all dashes. */
static void gender_shades_layout_leaves_out_runs_without_classification(void **state)
{
    (void)state;
    sh_crow g[2] = {0};
    strcpy(g[0].partition, "all");
    strcpy(g[0].group, "All");
    strcpy(g[1].partition, "sex");
    strcpy(g[1].group, "F");
    sh_cresults c = {.attribute = "sex", .n_groups = 2, .groups = g, .confidence = 0.95};
    sh_results verification = {0}, classification = {.classification = &c};
    sh_report_run runs[] = {{&verification, "v.h5", "V", "", NULL},
                            {&classification, "c.h5", "C", "", NULL},
                            {&verification, "w.h5", "W", "", NULL}};
    sh_report_style st = {.min_subjects = 10};
    sh_table *t = sh_table_gender_shades(runs, 3, &st);
    assert_non_null(t);
    assert_int_equal(t->n_rows, 1);
    assert_string_equal(t->cells[0], "C");
    sh_table_destroy(t);
    assert_null(sh_table_gender_shades(runs, 1, &st));
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

/* ---- the summary panel, on runs held in memory ---- */

#define WARNING_TEXT "RFW draws its images from MS-Celeb-1M, withdrawn (2019): a test."

/* Sets a run-info string, freeing the one before. */
static void set_text(char **member, const char *value)
{
    free(*member);
    *member = strdup(value);
}

/* One group row of sex at `target`. */
static sh_vgroup group_row(const char *partition, const char *group, double target, double fnmr,
                           double lo, double hi, double fte)
{
    sh_vgroup g = {.target_fmr = target, .threshold = 0.5, .n_subjects = 40, .n_images = 50,
                   .fte = fte, .fte_wilson_lo = 0.03, .fte_wilson_hi = 0.19,
                   .n_fte = (uint64_t)(fte * 50 + 0.5), .n_genuine = 100,
                   .n_false_nonmatch = (uint64_t)(fnmr * 100 + 0.5), .fnmr = fnmr,
                   .fnmr_boot_lo = lo, .fnmr_boot_hi = hi, .n_impostor = 1000,
                   .n_false_match = 1, .fmr = 0.001, .fmr_boot_lo = 0.0005,
                   .fmr_boot_hi = 0.002, .group_estimable = 1, .group_threshold = 0.6,
                   .group_fnmr = fnmr / 2, .group_fmr = 0.0008,
                   .group_threshold_lo = NAN, .group_threshold_hi = NAN,
                   .group_fnmr_lo = NAN, .group_fnmr_hi = NAN,
                   .group_fmr_lo = NAN, .group_fmr_hi = NAN};
    snprintf(g.partition, sizeof g.partition, "%s", partition);
    snprintf(g.group, sizeof g.group, "%s", group);
    if (!strcmp(group, "F")) { /* bounds at its own threshold (schema 1.12) */
        g.group_threshold_lo = 0.55;
        g.group_threshold_hi = 0.65;
        g.group_fnmr_lo = 0.05;
        g.group_fnmr_hi = 0.2;
        /* Below its estimate, as a bootstrap of an FMR at its own target
         * can be: the cell is marked. */
        g.group_fmr_lo = 0.0004;
        g.group_fmr_hi = 0.00079;
    }
    return g;
}

/* A verification run: groups F and M of sex at one target, a summary whose
 * interval lies above its estimate, one failed rule (or none), no failed
 * image, and a card's warning. */
static sh_results *memory_run(const char *manifest_sha, double target, int rule)
{
    sh_results *r;
    sh_err err = {0};
    assert_int_equal(sh_results_create(&r, &err), 0);
#define SH_RUN_TEXT(member, name, since) r->info.member = strdup("");
#define SH_RUN_COUNT(member, name, since)
#include "run_info.def"
#undef SH_RUN_TEXT
#undef SH_RUN_COUNT
    set_text(&r->info.adapter_name, "eng");
    set_text(&r->info.adapter_version, "1.0");
    set_text(&r->info.run_name, "r");
    set_text(&r->info.manifest_sha256, manifest_sha);
    set_text(&r->info.dataset_name, "RFW");
    set_text(&r->info.dataset_warning, WARNING_TEXT);
    set_text(&r->info.criteria_passed, rule ? "fail" : "none");
    r->info.n_images = 100;
    sh_vresults *v = calloc(1, sizeof *v);
    v->confidence = 0.95;
    v->bootstrap = 100;
    v->n_thresholds = 1;
    v->thresholds = calloc(1, sizeof *v->thresholds);
    v->thresholds[0] = (sh_vthreshold){target, 1, 0.5, 2000, 2, 0.001, 200, 25, 0.125,
                                       "target_fmr", NAN};
    v->n_groups = 3;
    v->groups = calloc(3, sizeof *v->groups);
    v->groups[0] = group_row("all", "All", target, 0.125, 0.1, 0.15, 0.04);
    v->groups[1] = group_row("sex", "F", target, 0.2, 0.15, 0.25, 0.08);
    v->groups[2] = group_row("sex", "M", target, 0.05, 0.03, 0.08, 0);
    v->n_summaries = 1;
    v->summaries = calloc(1, sizeof *v->summaries);
    sh_vsummary *s = v->summaries;
    snprintf(s->partition, sizeof s->partition, "sex");
    s->target_fmr = target;
    s->threshold = 0.5;
    s->alpha = 0.5;
    s->fnmr_max_geomean = 2;
    s->fnmr_max_geomean_lo = 2.1;
    s->fnmr_max_geomean_hi = 2.82;
    s->fnmr_max_min = 4;
    s->fnmr_max_min_lo = 3;
    s->fnmr_max_min_hi = 6;
    s->fmr_max_min = 1;
    s->fmr_max_min_lo = 1;
    s->fmr_max_min_hi = 1.5;
    r->verification = v;
    r->failures = calloc(1, sizeof *r->failures);
    if (rule) {
        r->n_verdicts = 1;
        r->verdicts = calloc(1, sizeof *r->verdicts);
        sh_verdict *k = r->verdicts;
        snprintf(k->name, sizeof k->name, "parity");
        snprintf(k->measure, sizeof k->measure, "fnmr_max_geomean");
        snprintf(k->partition, sizeof k->partition, "sex");
        snprintf(k->bound, sizeof k->bound, "upper");
        snprintf(k->op, sizeof k->op, "<=");
        k->target_fmr = target;
        k->limit = 1.5;
        k->value = 2.82;
    }
    return r;
}

/* The report of n runs in a format, as a string the caller frees. */
static char *report_of(sh_results **runs, size_t n, const sh_report_format *fmt)
{
    const char *paths[] = {"/nonexistent/a.h5", "/nonexistent/b.h5"};
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    sh_report_options o = {.format = fmt};
    sh_err err = {0};
    assert_int_equal(sh_report_write(f, (const sh_results *const *)runs, paths, n, &o, &err), 0);
    fclose(f);
    return buf;
}

static void the_summary_comes_first_in_every_format(void **state)
{
    (void)state;
    sh_results *r = memory_run("aaaa", 1e-3, 1);
    char *text = report_of(&r, 1, &sh_report_text);
    char *md = report_of(&r, 1, &sh_report_markdown);
    char *html = report_of(&r, 1, &sh_report_html);
    assert_true(strncmp(text, "\n== Summary: eng 1.0, run r ==\nCriteria: FAIL (1 of 1 rules "
                              "failed)\n- parity: FNMR max/geomean across sex",
                        91) == 0);
    assert_true(strncmp(md, "# shades report\n\n## Summary: eng 1.0, run r\n\n**Criteria: "
                            "FAIL** (1 of 1 rules failed)\n",
                        82) == 0);
    assert_non_null(strstr(html, "<body>\n<h1>shades report</h1>\n<section id=\"summary\">"));
    const char *badge = strstr(html, "<span class=\"badge fail\">FAIL</span>");
    assert_non_null(badge);
    assert_true(badge < strstr(html, "</section>"));
    free(text);
    free(md);
    free(html);
    sh_results_destroy(r);
}

/* A file whose verdict disagrees with itself (an edited row or attribute)
 * or whose signature no longer holds reads neither PASS nor FAIL anywhere. */
static void a_verdict_in_doubt_is_never_shown_as_pass(void **state)
{
    (void)state;
    sh_results *r = memory_run("aaaa", 1e-3, 1);
    /* The rule's row and the attribute edited to passed; the value is still
     * above the limit. */
    r->verdicts[0].pass = 1;
    set_text(&r->info.criteria_passed, "pass");
    char *text = report_of(&r, 1, &sh_report_text);
    char *md = report_of(&r, 1, &sh_report_markdown);
    char *html = report_of(&r, 1, &sh_report_html);
    assert_non_null(strstr(text, "Criteria: CONTRADICTED: the file contradicts itself"));
    assert_non_null(strstr(md, "**Criteria: CONTRADICTED**: the file contradicts itself: rule "
                               "'parity' is recorded as passed, but its value 2.82 is not <= "
                               "1.5; the file may have been edited. As the file records them, "
                               "0 of 1 rules failed\n"));
    assert_non_null(strstr(html, "<span class=\"badge fail\">CONTRADICTED</span>"));
    for (const char *const *f = (const char *const[]){text, md, html, NULL}; *f; f++) {
        assert_null(strstr(*f, "PASS"));
        assert_null(strstr(*f, "| pass |"));
    }
    free(text);
    free(md);
    free(html);
    /* The row as the run wrote it, the attribute alone edited. */
    r->verdicts[0].pass = 0;
    md = report_of(&r, 1, &sh_report_markdown);
    assert_non_null(strstr(md, "**Criteria: CONTRADICTED**: the file contradicts itself: its "
                               "rules are recorded as not all passed, but its criteria_passed "
                               "attribute says 'pass'"));
    assert_null(strstr(md, "PASS"));
    free(md);
    /* Consistent, but changed since it was signed. */
    set_text(&r->info.criteria_passed, "fail");
    sh_report_run run = {r, "a.h5", "A", "ALTERED: /criteria", NULL};
    char why[400];
    assert_string_equal(sh_report_verdict(why, sizeof why, run.r, run.signature),
                        SH_VERDICT_ALTERED);
    assert_non_null(strstr(why, "changed after it was signed (ALTERED: /criteria)"));
    run.signature = "unsigned";
    assert_string_equal(sh_report_verdict(why, sizeof why, run.r, run.signature), SH_VERDICT_FAIL);
    assert_string_equal(why, "");
    sh_results_destroy(r);
}

static void a_failed_rule_is_one_sentence_with_its_numbers(void **state)
{
    (void)state;
    sh_results *r = memory_run("aaaa", 1e-3, 1);
    char *md = report_of(&r, 1, &sh_report_markdown);
    assert_non_null(strstr(md, "\n- parity: FNMR max/geomean across sex at FMR 0.001 is 2 "
                               "[2.1, 2.82]\u2020 (bootstrap interval); its upper bound 2.82 is "
                               "above the limit 1.5 (a rule on the upper bound needs the whole "
                               "interval within the limit).\n"));
    /* The worst differential: F's FNMR, 4 times M's, with intervals. */
    assert_non_null(strstr(md, "| sex | FMR 0.001 | F 0.2 [0.15,0.25] | 4x [3,6] (M) |"));
    /* FTE above 5%: F, not M. */
    assert_non_null(strstr(md, "Failure to enrol above 5% of a group's images: F (sex) 8.0% "
                               "[3.0, 19.0], 4 of 50 images (95% Wilson intervals)."));
    /* The criteria table: the estimate beside the tested bound, and the bound explained. */
    assert_non_null(strstr(md, "| FAIL | parity | FMR 0.001 | upper fnmr_max_geomean | 2.82 | "
                               "<= 1.5 | 2 [2.1,2.8]\u2020 bootstrap |"));
    assert_non_null(strstr(md, "Bound: what a rule compares with its limit."));
    /* The interval above its estimate is marked and footnoted beside the table. */
    assert_true(count(md, "\u2020 The interval does not contain its estimate.") >= 2);
    /* Per-group thresholds (BFW). */
    const char *own = strstr(md, "### Each group at its own threshold (BFW)");
    assert_non_null(own);
    /* An interval there that leaves out its estimate is marked and footnoted too. */
    const char *own_end = strstr(own + 1, "\n### ");
    const char *own_note = strstr(own, "\u2020 The interval does not contain its estimate.");
    assert_true(own_note && (!own_end || own_note < own_end));
    /* Groups indented under their partition, in Markdown's terms: a
     * renderer strips leading blanks. */
    assert_non_null(
        strstr(md, "| &nbsp;&nbsp;F | FMR 0.001 | 0.6 [0.55,0.65] | 0.1 [0.05,0.2] | "
                       "0.0008 [0.0004,0.00079]\u2020 | 0.2 | 0.001 |"));
    assert_null(strstr(md, "|   F |"));
    free(md);
    sh_results_destroy(r);
}

static void no_failures_and_the_warning_once(void **state)
{
    (void)state;
    sh_results *r = memory_run("aaaa", 1e-3, 1);
    const sh_report_format *fmts[] = {&sh_report_text, &sh_report_markdown, &sh_report_html};
    for (size_t i = 0; i < 3; i++) {
        char *s = report_of(&r, 1, fmts[i]);
        assert_int_equal(count(s, "MS-Celeb-1M"), 1);
        assert_non_null(strstr(s, "No failures: every one of the 100 images went through."));
        assert_null(strstr(s, "stage"));
        free(s);
    }
    /* Two runs on one card: the second run's panel points to the first. */
    sh_results *two[] = {r, r};
    char *md = report_of(two, 2, &sh_report_markdown);
    assert_int_equal(count(md, "MS-Celeb-1M"), 1);
    assert_non_null(strstr(md, "> **Dataset warning:** the same as for eng 1.0 (a.h5) above."));
    free(md);
    sh_results_destroy(r);
}

static void a_run_without_criteria_says_so(void **state)
{
    (void)state;
    sh_results *r = memory_run("aaaa", 1e-3, 0);
    char *text = report_of(&r, 1, &sh_report_text);
    char *html = report_of(&r, 1, &sh_report_html);
    assert_non_null(strstr(text, "\nCriteria: no criteria set\n"));
    assert_null(strstr(text, "FAIL"));
    assert_non_null(strstr(html, "<span class=\"badge none\">no criteria set</span>"));
    free(text);
    free(html);
    sh_results_destroy(r);
}

/* The number of bytes of s a terminal would act on: C0 controls other
 * than the line break, and DEL. */
static size_t controls(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s < 0x20 && *s != '\n') || *s == 0x7f;
    return n;
}

/* Names a results file holds reach the page as one printable line each:
 * an escape sequence or a line break in a run's, a dataset's or a group's
 * name can neither drive the reader's terminal nor break a table. */
static void names_from_the_file_are_shown_printable(void **state)
{
    (void)state;
    sh_results *r = memory_run("aaaa", 1e-3, 1);
    set_text(&r->info.run_name, "run\033[2J\nnext|line\a");
    set_text(&r->info.dataset_name, "RFW\033]0;title\a");
    set_text(&r->info.dataset_warning, "consent\rwithdrawn\033[8m");
    snprintf(r->verification->groups[1].group, sizeof r->verification->groups[1].group,
             "F\033[31m\n");
    const sh_report_format *formats[] = {&sh_report_text, &sh_report_markdown, &sh_report_html};
    for (size_t f = 0; f < 3; f++) {
        char *page = report_of(&r, 1, formats[f]);
        /* Markdown doubles a backslash, so that it shows as one. */
        const char *bs = formats[f] == &sh_report_markdown ? "\\\\" : "\\";
        char want[5][64];
        snprintf(want[0], sizeof want[0], "run%sx1b[2J next", bs);
        snprintf(want[1], sizeof want[1], "line%sx07", bs);
        snprintf(want[2], sizeof want[2], "RFW%sx1b]0;title%sx07", bs, bs);
        snprintf(want[3], sizeof want[3], "consent withdrawn%sx1b[8m", bs);
        snprintf(want[4], sizeof want[4], "F%sx1b[31m", bs);
        assert_int_equal(controls(page), 0);
        for (size_t k = 0; k < 5; k++)
            assert_non_null(strstr(page, want[k]));
        free(page);
    }
    /* CSV quotes its fields and keeps them as the file holds them. */
    char *csv = report_of(&r, 1, &sh_report_csv);
    assert_non_null(strstr(csv, "F\033[31m\n"));
    free(csv);
    /* Markdown: a name's HTML and links are shown, not acted on. */
    set_text(&r->info.run_name, "<script>x</script>[a](javascript:b) & &amp; <= 1");
    char *md = report_of(&r, 1, &sh_report_markdown);
    assert_non_null(strstr(md, "## Summary: eng 1.0, run &lt;script>x&lt;/script>[a]\\("
                               "javascript:b) & &amp;amp; <= 1\n"));
    assert_null(strstr(md, "<script>"));
    assert_null(strstr(md, "](javascript"));
    free(md);
    sh_results_destroy(r);
}

static void runs_on_other_data_are_warned_about_first(void **state)
{
    (void)state;
    sh_results *a = memory_run("aaaaaaaaaaaaaaaa", 1e-3, 1), *b = memory_run("bbbbbbbbbbbbbbbb", 1e-4, 1);
    sh_report_run runs[] = {{a, "a.h5", "A", "", NULL}, {b, "b.h5", "B", "", NULL}};
    char **lines;
    assert_int_equal(sh_summary_differences(&lines, runs, 2), 2);
    assert_string_equal(lines[0], "The runs used different manifests: A manifest sha256 "
                                  "aaaaaaaaaaaa; B manifest sha256 bbbbbbbbbbbb. Their rates "
                                  "were measured on different images.");
    assert_string_equal(lines[1], "The runs used different operating points: A FMR 0.001; B FMR "
                                  "0.0001. Their thresholds, and every rate at them, differ by "
                                  "design.");
    sh_summary_free_lines(lines);
    sh_report_run same[] = {{a, "a.h5", "A", "", NULL}, {a, "a.h5", "A2", "", NULL}};
    assert_int_equal(sh_summary_differences(&lines, same, 2), 0);
    sh_summary_free_lines(lines);
    /* Group definitions: another config's groups: section. */
    set_text(&b->info.manifest_sha256, "aaaaaaaaaaaaaaaa");
    set_text(&a->info.config_text, "run: {name: x}\ngroups:\n  partitions: [sex]  # comment\n");
    set_text(&b->info.config_text, "groups:\n  partitions: [sex]\n  min_subjects: 5\n");
    assert_int_equal(sh_summary_differences(&lines, runs, 2), 2);
    assert_non_null(strstr(lines[0], "The runs defined their groups differently"));
    sh_summary_free_lines(lines);

    /* The text report: the warnings above all else; the verdicts side by side. */
    sh_results *both[] = {a, b};
    char *text = report_of(both, 2, &sh_report_text);
    assert_true(strncmp(text, "\nWARNING: The runs defined their groups differently", 51) == 0);
    assert_non_null(strstr(text, "\nCriteria side by side\n"));
    assert_non_null(strstr(text, "\nparity     FAIL 2.82\n"));
    /* B's rule of that name is at another target: its cell says so. */
    assert_non_null(strstr(text, "\nparity     FAIL 2.82 (its rule: upper fnmr_max_geomean, sex, "
                                 "FMR 0.0001, <= 1.5)\n"));
    assert_non_null(strstr(text, "those verdicts are not comparable"));
    free(text);
    sh_results_destroy(a);
    sh_results_destroy(b);
}

/* A model card record owned by r (as the reader leaves one). */
static void give_model_card(sh_results *r, const char *sha, const char *training_data,
                            const char *warning)
{
    sh_model_card_info *mc = calloc(1, sizeof *mc);
    assert_non_null(mc);
#define SH_MODEL_CARD_TEXT(member, name, since) mc->member = strdup("");
#include "model_card_fields.def"
#undef SH_MODEL_CARD_TEXT
    set_text(&mc->name, "stand-in");
    set_text(&mc->version, "2");
    set_text(&mc->package, "npm stand-in@2");
    set_text(&mc->licence, "MIT, as the package states");
    set_text(&mc->training_data, training_data);
    set_text(&mc->training_datasets, "MS1M-ArcFace\nGlint360K");
    set_text(&mc->warning, warning);
    set_text(&mc->card_sha256, sha);
    set_text(&mc->shipped_as, "configs/models/stand-in-2.yaml");
    mc->n_files = 1;
    mc->files = calloc(1, sizeof *mc->files);
    snprintf(mc->files[0].path, sizeof mc->files[0].path, "w.onnx");
    snprintf(mc->files[0].purpose, sizeof mc->files[0].purpose, "the embedding");
    r->model_card = mc;
}

#define MODEL_WARNING "stand-in 2 was trained on withdrawn data: MS-Celeb-1M was withdrawn."

static void the_model_card_is_shown_and_its_warning_once(void **state)
{
    (void)state;
    sh_results *r = memory_run("aaaa", 1e-3, 0);
    give_model_card(r, "cccccccccccccccccccc", "not stated: nobody says", MODEL_WARNING);
    char *text = report_of(&r, 1, &sh_report_text);
    assert_non_null(strstr(text, "\nModel warning: " MODEL_WARNING "\n"));
    assert_non_null(strstr(text, "\nModel card of /nonexistent/a.h5\n"));
    assert_non_null(strstr(text, "\nlicence               MIT, as the package states\n"));
    assert_non_null(strstr(text, "\ntraining data         NOT STATED: the publisher does not "));
    assert_non_null(strstr(text, "\ntraining datasets     MS1M-ArcFace, Glint360K\n"));
    assert_non_null(strstr(text, "\nmodel card          stand-in 2 (below)\n"));
    free(text);
    char *md = report_of(&r, 1, &sh_report_markdown);
    assert_non_null(strstr(md, "> **Model warning:** " MODEL_WARNING "\n"));
    free(md);
    char *html = report_of(&r, 1, &sh_report_html);
    assert_non_null(strstr(html, "<strong>Model warning:</strong> " MODEL_WARNING));
    assert_non_null(strstr(html, "<caption>Model card of /nonexistent/a.h5</caption>"));
    free(html);
    /* Stated training data is shown as stated; two runs on one card warn once. */
    set_text(&r->model_card->training_data, "a licensed set of 1M images");
    sh_results *two[] = {r, r};
    text = report_of(two, 2, &sh_report_text);
    assert_non_null(strstr(text, "a licensed set of 1M images (as the publisher states it)"));
    assert_null(strstr(text, "NOT STATED"));
    assert_int_equal(count(text, "MS-Celeb-1M was withdrawn."), 1);
    assert_non_null(strstr(text, "Model warning: the same as for eng 1.0 (a.h5) above."));
    assert_null(strstr(text, "different model cards"));
    free(text);
    sh_results_destroy(r);
}

/* A service record and n provenance lines owned by r (as the reader leaves
 * them). */
static void give_service(sh_results *r, const char *sha, size_t n)
{
    sh_service_info *sv = calloc(1, sizeof *sv);
    assert_non_null(sv);
    sv->description = strdup("./services/acme.yaml");
    sv->description_sha256 = strdup(sha);
    r->service = sv;
    r->has_provenance = 1;
    r->n_provenance = n;
    r->provenance = calloc(n ? n : 1, sizeof *r->provenance);
    assert_non_null(r->provenance);
    for (size_t i = 0; i < n; i++) {
        snprintf(r->provenance[i].key, sizeof r->provenance[i].key, "key_%zu", i);
        snprintf(r->provenance[i].value, sizeof r->provenance[i].value, "<value %zu>", i);
    }
}

/* Frees r's service record, leaving its provenance. */
static void drop_service(sh_results *r)
{
    free(r->service->description);
    free(r->service->description_sha256);
    free(r->service);
    r->service = NULL;
}

static void the_service_table_is_shown_in_every_format(void **state)
{
    (void)state;
    sh_results *r = memory_run("aaaa", 1e-3, 0);
    give_service(r, "dddddddddddddddddddd", 2);
    char *text = report_of(&r, 1, &sh_report_text);
    assert_non_null(strstr(text, "\nService of /nonexistent/a.h5\n"));
    assert_non_null(strstr(text, "\nservice description  ./services/acme.yaml\n"));
    assert_non_null(strstr(text, "\ndescription sha256   dddddddddddddddddddd\n"));
    assert_non_null(strstr(text, "\nkey_1                <value 1>\n"));
    assert_non_null(strstr(text, "\nservice             ./services/acme.yaml (below)\n"));
    free(text);
    char *md = report_of(&r, 1, &sh_report_markdown);
    assert_non_null(strstr(md, "Service of /nonexistent/a.h5"));
    assert_non_null(strstr(md, "| key_0 "));
    free(md);
    char *html = report_of(&r, 1, &sh_report_html);
    assert_non_null(strstr(html, "<caption>Service of /nonexistent/a.h5</caption>"));
    assert_non_null(strstr(html, "&lt;value 1&gt;")); /* the engine's words, escaped */
    assert_null(strstr(html, "<value 1>"));
    free(html);
    /* Provenance without a service description; a run with neither has no table. */
    drop_service(r);
    text = report_of(&r, 1, &sh_report_text);
    assert_non_null(strstr(text, "\nservice description  none (engine.service, docs/config.md)\n"));
    assert_non_null(strstr(text, "\nkey_0                <value 0>\n"));
    free(text);
    sh_results *plain = memory_run("aaaa", 1e-3, 0);
    text = report_of(&plain, 1, &sh_report_text);
    assert_null(strstr(text, "Service of"));
    free(text);
    /* Runs through different descriptions are warned about. */
    free(r->provenance);
    give_service(r, "dddddddddddddddddddd", 0);
    give_service(plain, "eeeeeeeeeeeeeeeeeeee", 0);
    sh_report_run runs[] = {{r, "a.h5", "A", "", NULL}, {plain, "b.h5", "B", "", NULL}};
    char **lines;
    assert_int_equal(sh_summary_differences(&lines, runs, 2), 1);
    assert_string_equal(lines[0], "The runs used different service descriptions: A service "
                                  "description ./services/acme.yaml, sha256 dddddddddddd; B "
                                  "service description ./services/acme.yaml, sha256 "
                                  "eeeeeeeeeeee. Their engines answered through different "
                                  "services, or not through one.");
    sh_summary_free_lines(lines);
    sh_results_destroy(r);
    sh_results_destroy(plain);
}

#define UNSTATED "Model stand-in 2: its publisher does not state what data trained it."

static void unstated_training_data_is_in_the_summary_once_per_card(void **state)
{
    (void)state;
    sh_results *r = memory_run("aaaa", 1e-3, 0);
    give_model_card(r, "cccccccccccccccccccc", "NOT Stated: nobody says", "");
    char *text = report_of(&r, 1, &sh_report_text);
    const char *line = strstr(text, "\n" UNSTATED "\n");
    assert_non_null(line);
    assert_true(line < strstr(text, "\nModel card of /nonexistent/a.h5\n"));
    free(text);
    char *md = report_of(&r, 1, &sh_report_markdown);
    assert_non_null(strstr(md, "\n" UNSTATED "\n"));
    free(md);
    char *html = report_of(&r, 1, &sh_report_html);
    line = strstr(html, "<p>" UNSTATED "</p>");
    assert_non_null(line);
    assert_true(line < strstr(html, "</section>"));
    free(html);
    /* Two runs on the card: said once, the second names the first. */
    sh_results *two[] = {r, r};
    text = report_of(two, 2, &sh_report_text);
    assert_int_equal(count(text, UNSTATED), 1);
    assert_non_null(strstr(text, "Model stand-in 2: training data not stated, as for eng 1.0 (a.h5) "
                                 "above."));
    free(text);
    /* A card shades does not ship (or an altered one): its claims are its
     * author's, said before what it says of its training data. */
    set_text(&r->model_card->shipped_as, "");
    text = report_of(&r, 1, &sh_report_markdown); /* text wraps the long line */
    assert_non_null(strstr(text, "\nModel stand-in 2: its card is not one shades ships (or is "
                                 "one altered), so what it states is its author's word; it says "
                                 "its training data is not stated.\n"));
    free(text);
    /* Stated training data, or no model card: no such line; an unshipped
     * card with stated training data is still said to be unshipped. */
    set_text(&r->model_card->training_data, "a licensed set; not stated elsewhere");
    text = report_of(&r, 1, &sh_report_markdown);
    assert_null(strstr(text, "does not state what data"));
    assert_non_null(strstr(text, "so what it states is its author's word.\n"));
    free(text);
    set_text(&r->model_card->shipped_as, "configs/models/stand-in-2.yaml");
    text = report_of(&r, 1, &sh_report_text);
    assert_null(strstr(text, "Model stand-in 2:"));
    free(text);
    sh_results *plain = memory_run("aaaa", 1e-3, 0);
    html = report_of(&plain, 1, &sh_report_html);
    assert_null(strstr(html, "does not state what data"));
    free(html);
    sh_results_destroy(plain);
    sh_results_destroy(r);
}

static void runs_on_other_model_cards_are_warned_about(void **state)
{
    (void)state;
    sh_results *a = memory_run("aaaa", 1e-3, 0), *b = memory_run("aaaa", 1e-3, 0);
    give_model_card(a, "cccccccccccccccccccc", "stated", "");
    sh_report_run runs[] = {{a, "a.h5", "A", "", NULL}, {b, "b.h5", "B", "", NULL}};
    char **lines;
    assert_int_equal(sh_summary_differences(&lines, runs, 2), 1);
    assert_string_equal(lines[0], "The runs used different model cards: A stand-in 2, model card "
                                  "sha256 cccccccccccc; B no model card. Their engines ran "
                                  "different models, or models nobody pinned.");
    sh_summary_free_lines(lines);
    give_model_card(b, "dddddddddddddddddddd", "stated", "");
    assert_int_equal(sh_summary_differences(&lines, runs, 2), 1);
    assert_non_null(strstr(lines[0], "B stand-in 2, model card sha256 dddddddddddd."));
    sh_summary_free_lines(lines);
    set_text(&b->model_card->card_sha256, "cccccccccccccccccccc");
    assert_int_equal(sh_summary_differences(&lines, runs, 2), 0);
    sh_summary_free_lines(lines);
    sh_results_destroy(a);
    sh_results_destroy(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(text_table_aligns_and_has_no_trailing_blanks),
        cmocka_unit_test(wide_tables_wrap_repeating_the_key_columns),
        cmocka_unit_test(a_cell_too_wide_for_the_page_wraps_under_itself),
        cmocka_unit_test(markdown_and_html_escape_cells),
        cmocka_unit_test(headings_from_names_keep_their_columns),
        cmocka_unit_test(formats_parse_by_name),
        cmocka_unit_test(help_lists_every_format),
        cmocka_unit_test(probit_axes_are_fitted_to_the_data),
        cmocka_unit_test(det_draws_high_fnmr_and_marks_each_target),
        cmocka_unit_test(classification_groups_in_gender_shades_order),
        cmocka_unit_test(gender_shades_layout_leaves_out_runs_without_classification),
        cmocka_unit_test(unreadable_results_files_are_named_with_the_reason),
        cmocka_unit_test(the_summary_comes_first_in_every_format),
        cmocka_unit_test(a_failed_rule_is_one_sentence_with_its_numbers),
        cmocka_unit_test(a_verdict_in_doubt_is_never_shown_as_pass),
        cmocka_unit_test(no_failures_and_the_warning_once),
        cmocka_unit_test(a_run_without_criteria_says_so),
        cmocka_unit_test(names_from_the_file_are_shown_printable),
        cmocka_unit_test(runs_on_other_data_are_warned_about_first),
        cmocka_unit_test(the_model_card_is_shown_and_its_warning_once),
        cmocka_unit_test(unstated_training_data_is_in_the_summary_once_per_card),
        cmocka_unit_test(runs_on_other_model_cards_are_warned_about),
        cmocka_unit_test(the_service_table_is_shown_in_every_format),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
