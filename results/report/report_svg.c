#include "report_svg.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report_probit.h"
#include "report_table.h"
#include "report_tables.h"

/* Okabe-Ito colours (readable with colour-blindness) and dash patterns,
 * so curves stay apart in a grey printout too. */
static const char *const colours[] = {"#0072B2", "#D55E00", "#009E73", "#CC79A7",
                                      "#E69F00", "#56B4E9", "#000000", "#F0E442"};
static const char *const dashes[] = {"", "6 3", "2 2", "8 3 2 3", "1 3", "10 4", "4 4", "12 2"};
#define N_STYLES 8

/* Marker shapes for the operating points, told apart in grey too: five
 * outlines, then the same five filled; past ten they repeat (each marker's
 * title and the legend still name its point). */
#define N_SHAPES 5
#define N_MARKS (2 * N_SHAPES)

/* The marker of point k: its place among the estimable points, which are
 * the ones drawn. */
static unsigned mark_of(const sh_vresults *v, size_t k)
{
    unsigned m = 0;
    for (size_t i = 0; i < k; i++)
        m += v->thresholds[i].estimable != 0;
    return m % N_MARKS;
}

/* Opens a path of class `cls`, marker `shape` centred on (x, y), stroked
 * in `colour`; the caller adds its title and closes it. */
static void mark_open(FILE *out, unsigned shape, double x, double y, const char *colour,
                      const char *cls)
{
    fprintf(out, "<path class=\"%s\" fill=\"%s\" stroke=\"%s\" stroke-width=\"1.5\" d=\"",
            cls, shape % N_MARKS < N_SHAPES ? "#fff" : colour, colour);
    switch (shape % N_SHAPES) {
    case 0: /* circle */
        fprintf(out, "M%.1f %.1fa4.5 4.5 0 1 0 9 0a4.5 4.5 0 1 0 -9 0Z", x - 4.5, y);
        break;
    case 1: /* square */
        fprintf(out, "M%.1f %.1fh8v8h-8Z", x - 4, y - 4);
        break;
    case 2: /* triangle */
        fprintf(out, "M%.1f %.1fl5.5 9.5h-11Z", x, y - 6);
        break;
    case 3: /* diamond */
        fprintf(out, "M%.1f %.1fl5.5 5.5l-5.5 5.5l-5.5 -5.5Z", x, y - 5.5);
        break;
    default: /* triangle pointing down */
        fprintf(out, "M%.1f %.1fl5.5 -9.5h-11Z", x, y + 6);
        break;
    }
    fputs("\">", out);
}

/* Grows the range [*lo, *hi] to r. */
static void widen(double *lo, double *hi, double r)
{
    *lo = isnan(*lo) || r < *lo ? r : *lo;
    *hi = isnan(*hi) || r > *hi ? r : *hi;
}

/* Whether a point can sit on probit axes at all (both rates in (0, 1)). */
static int inside(double fmr, double fnmr)
{
    return fmr > 0 && fmr < 1 && fnmr > 0 && fnmr < 1;
}

/* Grid lines and labels of one axis (across when `across`), labels that
 * would overlap the previous one left out. */
static void probit_grid(FILE *out, const sh_probit_axis *a, int across, double L, double T,
                        double pw, double ph)
{
    double ticks[SH_PROBIT_MAX_TICKS], last = -1e9;
    size_t n = sh_probit_ticks(ticks, a);
    for (size_t i = 0; i < n; i++) {
        char lab[32];
        sh_probit_label(lab, sizeof lab, ticks[i]);
        double at = sh_probit_pos(a, ticks[i]), half = 3.2 * (double)strlen(lab) + 3;
        if (across) {
            double x = L + pw * at;
            fprintf(out, "<line x1=\"%.1f\" y1=\"%g\" x2=\"%.1f\" y2=\"%g\" class=\"grid\"/>", x,
                    T, x, T + ph);
            if (x - half >= last) {
                fprintf(out, "<text x=\"%.1f\" y=\"%g\" class=\"tick\" "
                             "text-anchor=\"middle\">%s</text>",
                        x, T + ph + 16, lab);
                last = x + half;
            }
        } else {
            double y = T + ph * (1 - at);
            fprintf(out, "<line x1=\"%g\" y1=\"%.1f\" x2=\"%g\" y2=\"%.1f\" class=\"grid\"/>", L,
                    y, L + pw, y);
            if (-y - 6 >= last) {
                fprintf(out, "<text x=\"%g\" y=\"%.1f\" class=\"tick\" "
                             "text-anchor=\"end\">%s</text>",
                        L - 6, y + 4, lab);
                last = -y + 6;
            }
        }
        fputc('\n', out);
    }
}

/* Appends name to list (capacity cap), ", " between; "..." ends a list
 * that has no room for it. */
static void name_append(char *list, size_t cap, const char *name)
{
    size_t len = strlen(list);
    if (len >= 3 && !strcmp(list + len - 3, "..."))
        return;
    int fits = len + strlen(name) + 2 + 4 < cap;
    snprintf(list + len, cap - len, "%s%s", len ? ", " : "", fits ? name : "...");
}

int sh_svg_det(FILE *out, sh_det_drawn *drawn, const sh_vresults *v, const char *partition)
{
    memset(drawn, 0, sizeof *drawn);
    /* The axes hold every point and operating point with both rates in (0, 1). */
    double x_lo = NAN, x_hi = NAN, y_lo = NAN, y_hi = NAN;
    size_t n_groups = 0;
    const char *groups[64];
    for (size_t i = 0; i < v->n_det; i++) {
        const sh_vdet *d = &v->det[i];
        if (strcmp(d->partition, partition))
            continue;
        if (inside(d->fmr, d->fnmr)) {
            widen(&x_lo, &x_hi, d->fmr);
            widen(&y_lo, &y_hi, d->fnmr);
        }
        if ((!n_groups || strcmp(groups[n_groups - 1], d->group)) && n_groups < 64)
            groups[n_groups++] = d->group;
    }
    /* Groups with rows but no curve are named under the plot, not left out
     * without a word. */
    for (size_t i = 0; i < v->n_groups; i++) {
        const sh_vgroup *g = &v->groups[i];
        if (strcmp(g->partition, partition))
            continue;
        size_t gi = 0, j = 0;
        while (gi < n_groups && strcmp(groups[gi], g->group))
            gi++;
        /* A group has a row per operating point: named at its first. */
        while (j < i && (strcmp(v->groups[j].partition, partition) ||
                         strcmp(v->groups[j].group, g->group)))
            j++;
        if (gi < n_groups || j < i)
            continue;
        drawn->no_curve++;
        name_append(drawn->no_curve_names, sizeof drawn->no_curve_names, g->group);
    }
    size_t n_targets = 0;
    for (size_t k = 0; k < v->n_thresholds; k++) {
        n_targets += v->thresholds[k].estimable != 0;
        for (size_t gi = 0; gi < n_groups && v->thresholds[k].estimable; gi++) {
            const sh_vgroup *g =
                sh_vresults_group(v, partition, groups[gi], sh_vthreshold_point(&v->thresholds[k]));
            if (g && inside(g->fmr, g->fnmr)) {
                widen(&x_lo, &x_hi, g->fmr);
                widen(&y_lo, &y_hi, g->fnmr);
            }
        }
    }
    sh_probit_axis xa, ya;
    sh_probit_axis_fit(&xa, x_lo, x_hi);
    sh_probit_axis_fit(&ya, y_lo, y_hi);

    /* The legend (groups, then the targets' markers) sets the height past
     * the plot's own when it is long. */
    const double W = 560, L = 60, R = 160, T = 20, B = 50, ph = 330, pw = W - L - R;
    double legend_end = T + 18 * (double)n_groups + (n_targets ? 30 + 18 * (double)n_targets : 0);
    double H = fmax(T + ph + B, legend_end + 10);
    fprintf(out, "<svg class=\"plot\" viewBox=\"0 0 %g %g\" width=\"%g\" height=\"%g\" "
                 "role=\"img\" aria-label=\"DET curves by ",
            W, H, W, H);
    sh_html_escape(out, partition);
    fputs("\">\n<title>DET curves by ", out);
    sh_html_escape(out, partition);
    fputs("</title>\n", out);
    fprintf(out, "<rect x=\"%g\" y=\"%g\" width=\"%g\" height=\"%g\" class=\"frame\"/>\n", L, T,
            pw, ph);
    probit_grid(out, &xa, 1, L, T, pw, ph);
    probit_grid(out, &ya, 0, L, T, pw, ph);
    fprintf(out, "<text x=\"%g\" y=\"%g\" class=\"axis\" text-anchor=\"middle\">FMR "
                 "(probit scale)</text>\n",
            L + pw / 2, T + ph + B - 10);
    fprintf(out, "<text x=\"14\" y=\"%g\" class=\"axis\" text-anchor=\"middle\" "
                 "transform=\"rotate(-90 14 %g)\">FNMR (probit scale)</text>\n",
            T + ph / 2, T + ph / 2);
    for (size_t gi = 0; gi < n_groups; gi++) {
        const char *colour = colours[gi % N_STYLES], *dash = dashes[gi % N_STYLES];
        fprintf(out, "<polyline class=\"det\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"%s%s%s "
                     "points=\"",
                colour, dash[0] ? " stroke-dasharray=\"" : "", dash, dash[0] ? "\"" : "");
        /* DET rows run by threshold: from high FMR to low. */
        size_t on_axes = 0;
        for (size_t i = 0; i < v->n_det; i++) {
            const sh_vdet *d = &v->det[i];
            if (strcmp(d->partition, partition) || strcmp(d->group, groups[gi]))
                continue;
            drawn->points++;
            if (sh_probit_holds(&xa, d->fmr) && sh_probit_holds(&ya, d->fnmr)) {
                on_axes++;
                fprintf(out, "%.1f,%.1f ", L + pw * sh_probit_pos(&xa, d->fmr),
                        T + ph * (1 - sh_probit_pos(&ya, d->fnmr)));
            } else if ((d->fmr < 0.5 && !sh_probit_holds(&xa, d->fmr)) ||
                     (d->fnmr < 0.5 && !sh_probit_holds(&ya, d->fnmr)))
                drawn->points_zero++;
            else
                drawn->points_one++;
        }
        fputs("\"/>\n", out);
        /* In the legend, yet no line: the caption names it. */
        if (!on_axes) {
            drawn->flat++;
            name_append(drawn->flat_names, sizeof drawn->flat_names, groups[gi]);
        }
        /* Where each target's global threshold puts this group. */
        for (size_t k = 0; k < v->n_thresholds; k++) {
            char at[64];
            sh_vpoint target = sh_vthreshold_point(&v->thresholds[k]);
            const sh_vgroup *g = sh_vresults_group(v, partition, groups[gi], target);
            if (!v->thresholds[k].estimable || !g)
                continue;
            drawn->marks++;
            if (!sh_probit_holds(&xa, g->fmr) || !sh_probit_holds(&ya, g->fnmr)) {
                drawn->marks_off++;
                continue;
            }
            mark_open(out, mark_of(v, k), L + pw * sh_probit_pos(&xa, g->fmr),
                      T + ph * (1 - sh_probit_pos(&ya, g->fnmr)), colour, "op");
            fputs("<title>", out);
            sh_html_escape(out, g->group);
            fprintf(out, " at %s: FMR %.3g, FNMR %.3g</title></path>\n",
                    sh_vpoint_threshold_words(at, sizeof at, target), g->fmr, g->fnmr);
        }
        double ly = T + 14 + 18 * (double)gi;
        fprintf(out, "<line x1=\"%g\" y1=\"%g\" x2=\"%g\" y2=\"%g\" stroke=\"%s\" "
                     "stroke-width=\"2\"%s%s%s/>"
                     "<text x=\"%g\" y=\"%g\" class=\"legend\">",
                L + pw + 10, ly, L + pw + 34, ly, colour, dash[0] ? " stroke-dasharray=\"" : "",
                dash, dash[0] ? "\"" : "", L + pw + 40, ly + 4);
        sh_html_escape(out, groups[gi]);
        fputs("</text>\n", out);
    }
    /* The markers' legend: which shape is which target. */
    double ly = T + 18 * (double)n_groups + 26;
    if (n_targets)
        fprintf(out, "<text x=\"%g\" y=\"%g\" class=\"legend\">operating point</text>\n",
                L + pw + 10, ly);
    for (size_t k = 0; k < v->n_thresholds; k++) {
        if (!v->thresholds[k].estimable)
            continue;
        char at[64];
        ly += 18;
        mark_open(out, mark_of(v, k), L + pw + 22, ly - 4, "#333", "op-key");
        fprintf(out, "</path><text x=\"%g\" y=\"%g\" class=\"legend\">%s</text>\n",
                L + pw + 40, ly,
                sh_vpoint_label(at, sizeof at, sh_vthreshold_point(&v->thresholds[k])));
    }
    fputs("</svg>\n", out);
    return 0;
}

/* Viridis at nine stops, interpolated linearly: perceptually even, and
 * still ordered when printed in grey. */
static void viridis(char *out, size_t size, double t, int *dark)
{
    static const double stops[9][3] = {
        {68, 1, 84},    {71, 44, 122},  {59, 81, 139},  {44, 113, 142}, {33, 144, 141},
        {39, 173, 129}, {92, 200, 99},  {170, 220, 50}, {253, 231, 37}};
    t = t < 0 ? 0 : t > 1 ? 1 : t;
    double x = t * 8;
    int i = (int)x < 8 ? (int)x : 7;
    double f = x - i;
    int c[3];
    for (int k = 0; k < 3; k++)
        c[k] = (int)lround(stops[i][k] + f * (stops[i + 1][k] - stops[i][k]));
    snprintf(out, size, "#%02x%02x%02x", c[0], c[1], c[2]);
    *dark = t < 0.6;
}

int sh_svg_heatmap(FILE *out, const sh_vmatrix *m, size_t k, unsigned id)
{
    size_t ng = m->n_groups, cells = ng * ng;
    const double *f = m->fmr + k * cells;
    /* The scale runs from a tenth of the target to ten times it, widened to
     * the data: cells near the target look alike, departures stand out.
     * Where the point is not a target FMR, the FMR of all its cells
     * together stands for the target. */
    double centre = m->target_fmr[k];
    if (isnan(centre)) {
        double fm = 0, n = 0;
        for (size_t c = 0; c < cells; c++) {
            fm += (double)m->n_false_match[k * cells + c];
            n += (double)m->n_impostor[c];
        }
        centre = fm > 0 && n > 0 ? fm / n : 1e-3;
    }
    /* ...and never past 1, which no FMR exceeds. */
    double lo = log10(centre) - 1, hi = fmin(log10(centre) + 1, 0);
    lo = fmin(lo, hi - 1);
    for (size_t c = 0; c < cells; c++)
        if (f[c] > 0) {
            lo = fmin(lo, log10(f[c]));
            hi = fmax(hi, log10(f[c]));
        }
    size_t label_w = 8;
    for (size_t i = 0; i < ng; i++)
        label_w = strlen(m->group[i]) > label_w ? strlen(m->group[i]) : label_w;
    /* Cells with bootstrap bounds are wider, to give them under the rate. */
    const double *blo = m->fmr_boot_lo ? m->fmr_boot_lo + k * cells : NULL;
    const double *bhi = m->fmr_boot_hi ? m->fmr_boot_hi + k * cells : NULL;
    int bounded = 0;
    size_t ci_w = 0;
    for (size_t c = 0; blo && bhi && c < cells; c++)
        if (!isnan(blo[c])) {
            char ci[64];
            bounded = 1;
            size_t w = (size_t)snprintf(ci, sizeof ci, "[%.2g,%.2g]", blo[c], bhi[c]);
            ci_w = w > ci_w ? w : ci_w;
        }
    /* Wide enough for the widest interval at 9 px (about 5.4 px a
     * character), so "[0.00039,0.00052]" stays inside its cell. */
    const double cell = bounded ? fmax(84, 5.4 * (double)ci_w + 12) : 56,
                 L = 12 + 7.0 * (double)label_w, T = 40, legend = 80;
    double W = fmax(L + cell * (double)ng + legend, L + 230), H = T + cell * (double)ng + 20;
    fprintf(out, "<svg class=\"plot\" viewBox=\"0 0 %g %g\" width=\"%g\" height=\"%g\" "
                 "role=\"img\" aria-label=\"cross-group FMR\">\n<title>Cross-group FMR, ",
            W, H, W, H);
    char at[64];
    sh_vpoint_label(at, sizeof at, sh_vmatrix_point(m, k));
    sh_html_escape(out, m->partition);
    fprintf(out, ", %s</title>\n", at);
    if (sh_vmatrix_point(m, k).kind == SH_VPOINT_FIXED)
        fprintf(out, "<text x=\"%g\" y=\"16\" class=\"axis\">%s</text>\n", L, at);
    else
        fprintf(out, "<text x=\"%g\" y=\"16\" class=\"axis\">%s, threshold %.4g</text>\n",
                L, at, m->threshold[k]);
    for (size_t i = 0; i < ng; i++) {
        fprintf(out, "<text x=\"%g\" y=\"%g\" class=\"tick\" text-anchor=\"end\">", L - 6,
                T + cell * ((double)i + 0.5) + 4);
        sh_html_escape(out, m->group[i]);
        fprintf(out, "</text><text x=\"%g\" y=\"%g\" class=\"tick\" text-anchor=\"middle\">",
                L + cell * ((double)i + 0.5), T - 6);
        sh_html_escape(out, m->group[i]);
        fputs("</text>\n", out);
        for (size_t j = 0; j < ng; j++) {
            double r = f[i * ng + j];
            char fill[16] = "#dddddd", label[32];
            int dark = 0;
            if (r > 0)
                viridis(fill, sizeof fill, (log10(r) - lo) / (hi - lo), &dark);
            else if (isnan(r))
                snprintf(fill, sizeof fill, "#ffffff");
            snprintf(label, sizeof label, isnan(r) ? "n/a" : r == 0 ? "0" : "%.2g", r);
            int has_ci = bounded && !isnan(blo[i * ng + j]);
            fprintf(out, "<rect x=\"%g\" y=\"%g\" width=\"%g\" height=\"%g\" fill=\"%s\" "
                         "class=\"cell\"/><text x=\"%g\" y=\"%g\" class=\"cellv%s\" "
                         "text-anchor=\"middle\">%s</text>\n",
                    L + cell * (double)j, T + cell * (double)i, cell, cell, fill,
                    L + cell * ((double)j + 0.5), T + cell * ((double)i + 0.5) + (has_ci ? -2 : 4),
                    dark ? " light" : "", label);
            if (has_ci)
                fprintf(out, "<text x=\"%g\" y=\"%g\" class=\"cellv%s\" font-size=\"9\" "
                             "text-anchor=\"middle\">[%.2g,%.2g]</text>\n",
                        L + cell * ((double)j + 0.5), T + cell * ((double)i + 0.5) + 12,
                        dark ? " light" : "", blo[i * ng + j], bhi[i * ng + j]);
        }
    }
    /* The colour scale: top is the largest rate. */
    double lx = L + cell * (double)ng + 14, lh = cell * (double)ng;
    fprintf(out, "<defs><linearGradient id=\"shades-heat-%u\" x1=\"0\" y1=\"1\" x2=\"0\" "
                 "y2=\"0\">",
            id);
    for (int s = 0; s <= 8; s++) {
        char c[16];
        int dark;
        viridis(c, sizeof c, s / 8.0, &dark);
        fprintf(out, "<stop offset=\"%g\" stop-color=\"%s\"/>", s / 8.0, c);
    }
    fprintf(out, "</linearGradient></defs><rect x=\"%g\" y=\"%g\" width=\"12\" height=\"%g\" "
                 "fill=\"url(#shades-heat-%u)\"/>\n",
            lx, T, lh, id);
    fprintf(out, "<text x=\"%g\" y=\"%g\" class=\"tick\">%.2g</text>"
                 "<text x=\"%g\" y=\"%g\" class=\"tick\">%.2g</text>\n",
            lx + 16, T + 8, pow(10, hi), lx + 16, T + lh, pow(10, lo));
    fputs("</svg>\n", out);
    return 0;
}

/* The smallest 1, 2, 2.5 or 5 times a power of ten at or above x, so the
 * axis ticks at quarters are round numbers. */
static double nice_ceiling(double x)
{
    double p = pow(10, floor(log10(x)));
    static const double steps[] = {1, 2, 2.5, 5, 10};
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++)
        if (steps[i] * p >= x * (1 - 1e-12))
            return steps[i] * p;
    return 10 * p;
}

int sh_svg_bars(FILE *out, const char *title, const sh_bar *bars, size_t n, int percent)
{
    double top = 0;
    size_t rows = 0, label_w = 8;
    const char *last = "";
    for (size_t i = 0; i < n; i++) {
        const sh_bar *b = &bars[i];
        top = fmax(top, isnan(b->hi) ? (isnan(b->rate) ? 0 : b->rate) : b->hi);
        rows += 1 + (strcmp(b->partition, last) != 0);
        last = b->partition;
        label_w = strlen(b->group) + 2 > label_w ? strlen(b->group) + 2 : label_w;
    }
    top = nice_ceiling(top > 0 ? top : 1);
    const double row = 18, L = 12 + 7.0 * (double)label_w, T = 30, pw = 260, R = 190;
    /* Wide enough for the title too (12 px text, about 6.6 px a character):
     * "FMR (same-group impostors) at the threshold for FMR 0.0001, with
     * intervals" lost its last letters at L + pw + R. */
    double W = fmax(L + pw + R, ceil(L + 6.6 * (double)strlen(title) + 8)),
           H = T + row * (double)rows + 30;
    fprintf(out, "<svg class=\"plot\" viewBox=\"0 0 %g %g\" width=\"%g\" height=\"%g\" "
                 "role=\"img\" aria-label=\"",
            W, H, W, H);
    sh_html_escape(out, title);
    fputs("\">\n<title>", out);
    sh_html_escape(out, title);
    fprintf(out, "</title>\n<text x=\"%g\" y=\"16\" class=\"axis\">", L);
    sh_html_escape(out, title);
    fputs("</text>\n", out);
    for (int q = 0; q <= 4; q++) {
        double x = L + pw * q / 4.0;
        fprintf(out, "<line x1=\"%.1f\" y1=\"%g\" x2=\"%.1f\" y2=\"%g\" class=\"grid\"/>"
                     "<text x=\"%.1f\" y=\"%g\" class=\"tick\" text-anchor=\"middle\">%.3g%s</text>\n",
                x, T, x, T + row * (double)rows, x, T + row * (double)rows + 14,
                (percent ? 100 : 1) * top * q / 4.0, percent ? "%" : "");
    }
    double y = T;
    last = "";
    for (size_t i = 0; i < n; i++) {
        const sh_bar *b = &bars[i];
        if (strcmp(b->partition, last)) {
            fprintf(out, "<text x=\"4\" y=\"%g\" class=\"part\">", y + 13);
            sh_html_escape(out, strcmp(b->partition, "all") ? b->partition : "all");
            fputs("</text>\n", out);
            y += row;
            last = b->partition;
        }
        fprintf(out, "<text x=\"%g\" y=\"%g\" class=\"tick\" text-anchor=\"end\">", L - 6,
                y + 13);
        sh_html_escape(out, b->group);
        fputs("</text>", out);
        if (!isnan(b->rate))
            fprintf(out, "<rect x=\"%g\" y=\"%g\" width=\"%.1f\" height=\"%g\" class=\"bar\"/>",
                    L, y + 3, pw * b->rate / top, row - 6);
        if (!isnan(b->lo) && !isnan(b->hi))
            fprintf(out, "<path d=\"M%.1f %gV%gM%.1f %gH%.1fM%.1f %gV%g\" class=\"whisker\"/>",
                    L + pw * b->lo / top, y + 5, y + row - 5, L + pw * b->lo / top, y + row / 2,
                    L + pw * b->hi / top, L + pw * b->hi / top, y + 5, y + row - 5);
        char cell[64];
        if (percent && !isnan(b->rate) && !isnan(b->lo) && !isnan(b->hi))
            snprintf(cell, sizeof cell, "%.1f%% [%.1f,%.1f]", 100 * b->rate, 100 * b->lo,
                     100 * b->hi);
        else if (percent && !isnan(b->rate))
            snprintf(cell, sizeof cell, "%.1f%%", 100 * b->rate);
        else
            sh_report_rate(cell, sizeof cell, b->rate, b->lo, b->hi);
        fprintf(out, "<text x=\"%g\" y=\"%g\" class=\"tick\">%s</text>\n", L + pw + 8, y + 13,
                cell);
        y += row;
    }
    fputs("</svg>\n", out);
    return 0;
}
