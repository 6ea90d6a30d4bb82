#include "report_svg.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

#include "report_table.h"
#include "report_tables.h"

/* Okabe-Ito colours (readable with colour-blindness) and dash patterns,
 * so curves stay apart in a grey printout too. */
static const char *const colours[] = {"#0072B2", "#D55E00", "#009E73", "#CC79A7",
                                      "#E69F00", "#56B4E9", "#000000", "#F0E442"};
static const char *const dashes[] = {"", "6 3", "2 2", "8 3 2 3", "1 3", "10 4", "4 4", "12 2"};
#define N_STYLES 8

/* Decade tick labels: "0.1", "0.01", then "1e-3" and below. */
static void decade_label(char *out, size_t size, int e)
{
    if (e >= -2)
        snprintf(out, size, "%g", pow(10, e));
    else
        snprintf(out, size, "1e%d", e);
}

/* Maps a rate to [0, 1] along a probit axis from 10^lo_exp to 0.5. */
static double probit_pos(double r, int lo_exp)
{
    double a = gsl_cdf_ugaussian_Pinv(pow(10, lo_exp)), b = 0; /* probit(0.5) = 0 */
    return (gsl_cdf_ugaussian_Pinv(r) - a) / (b - a);
}

int sh_svg_det(FILE *out, const sh_vresults *v, const char *partition)
{
    /* Axis floors: the decade below the smallest positive rate, not below 1e-6. */
    double min_fmr = 0.5, min_fnmr = 0.5;
    size_t n_groups = 0;
    const char *groups[64];
    for (size_t i = 0; i < v->n_det; i++) {
        const sh_vdet *d = &v->det[i];
        if (strcmp(d->partition, partition))
            continue;
        if (d->fmr > 0 && d->fmr < min_fmr)
            min_fmr = d->fmr;
        if (d->fnmr > 0 && d->fnmr < min_fnmr)
            min_fnmr = d->fnmr;
        if ((!n_groups || strcmp(groups[n_groups - 1], d->group)) && n_groups < 64)
            groups[n_groups++] = d->group;
    }
    int xe = (int)floor(log10(min_fmr)), ye = (int)floor(log10(min_fnmr));
    xe = xe < -6 ? -6 : xe > -1 ? -1 : xe;
    ye = ye < -6 ? -6 : ye > -1 ? -1 : ye;
    const double W = 560, H = 380, L = 60, R = 150, T = 20, B = 50;
    const double pw = W - L - R, ph = H - T - B;
    fprintf(out, "<svg class=\"plot\" viewBox=\"0 0 %g %g\" width=\"%g\" height=\"%g\" "
                 "role=\"img\" aria-label=\"DET curves by %s\">\n",
            W, H, W, H, partition);
    fputs("<title>DET curves by ", out);
    sh_html_escape(out, partition);
    fputs("</title>\n", out);
    fprintf(out, "<rect x=\"%g\" y=\"%g\" width=\"%g\" height=\"%g\" class=\"frame\"/>\n", L, T,
            pw, ph);
    char lab[32];
    for (int e = xe; e <= 0; e++) {
        double r = e == 0 ? 0.5 : pow(10, e);
        double x = L + pw * probit_pos(r, xe);
        e == 0 ? snprintf(lab, sizeof lab, "0.5") : decade_label(lab, sizeof lab, e);
        fprintf(out, "<line x1=\"%.1f\" y1=\"%g\" x2=\"%.1f\" y2=\"%g\" class=\"grid\"/>"
                     "<text x=\"%.1f\" y=\"%g\" class=\"tick\" text-anchor=\"middle\">%s</text>\n",
                x, T, x, T + ph, x, T + ph + 16, lab);
    }
    for (int e = ye; e <= 0; e++) {
        double r = e == 0 ? 0.5 : pow(10, e);
        double y = T + ph * (1 - probit_pos(r, ye));
        e == 0 ? snprintf(lab, sizeof lab, "0.5") : decade_label(lab, sizeof lab, e);
        fprintf(out, "<line x1=\"%g\" y1=\"%.1f\" x2=\"%g\" y2=\"%.1f\" class=\"grid\"/>"
                     "<text x=\"%g\" y=\"%.1f\" class=\"tick\" text-anchor=\"end\">%s</text>\n",
                L, y, L + pw, y, L - 6, y + 4, lab);
    }
    fprintf(out, "<text x=\"%g\" y=\"%g\" class=\"axis\" text-anchor=\"middle\">FMR "
                 "(probit scale)</text>\n",
            L + pw / 2, H - 10);
    fprintf(out, "<text x=\"14\" y=\"%g\" class=\"axis\" text-anchor=\"middle\" "
                 "transform=\"rotate(-90 14 %g)\">FNMR (probit scale)</text>\n",
            T + ph / 2, T + ph / 2);
    for (size_t gi = 0; gi < n_groups; gi++) {
        fprintf(out, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\"%s%s%s points=\"",
                colours[gi % N_STYLES], dashes[gi % N_STYLES][0] ? " stroke-dasharray=\"" : "",
                dashes[gi % N_STYLES], dashes[gi % N_STYLES][0] ? "\"" : "");
        /* DET rows run by threshold; plotted from high FMR to low. */
        for (size_t i = 0; i < v->n_det; i++) {
            const sh_vdet *d = &v->det[i];
            if (strcmp(d->partition, partition) || strcmp(d->group, groups[gi]))
                continue;
            if (!(d->fmr > 0) || !(d->fnmr > 0) || d->fmr > 0.5 || d->fnmr > 0.5 ||
                d->fmr < pow(10, xe) || d->fnmr < pow(10, ye))
                continue;
            fprintf(out, "%.1f,%.1f ", L + pw * probit_pos(d->fmr, xe),
                    T + ph * (1 - probit_pos(d->fnmr, ye)));
        }
        fputs("\"/>\n", out);
        double ly = T + 14 + 18 * (double)gi;
        fprintf(out, "<line x1=\"%g\" y1=\"%g\" x2=\"%g\" y2=\"%g\" stroke=\"%s\" "
                     "stroke-width=\"2\"%s%s%s/>"
                     "<text x=\"%g\" y=\"%g\" class=\"legend\">",
                L + pw + 10, ly, L + pw + 34, ly, colours[gi % N_STYLES],
                dashes[gi % N_STYLES][0] ? " stroke-dasharray=\"" : "", dashes[gi % N_STYLES],
                dashes[gi % N_STYLES][0] ? "\"" : "", L + pw + 40, ly + 4);
        sh_html_escape(out, groups[gi]);
        fputs("</text>\n", out);
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
     * the data: cells near the target look alike, departures stand out. */
    double lo = log10(m->target_fmr[k]) - 1, hi = log10(m->target_fmr[k]) + 1;
    for (size_t c = 0; c < cells; c++)
        if (f[c] > 0) {
            lo = fmin(lo, log10(f[c]));
            hi = fmax(hi, log10(f[c]));
        }
    size_t label_w = 8;
    for (size_t i = 0; i < ng; i++)
        label_w = strlen(m->group[i]) > label_w ? strlen(m->group[i]) : label_w;
    const double cell = 56, L = 12 + 7.0 * (double)label_w, T = 40, legend = 80;
    double W = fmax(L + cell * (double)ng + legend, L + 230), H = T + cell * (double)ng + 20;
    fprintf(out, "<svg class=\"plot\" viewBox=\"0 0 %g %g\" width=\"%g\" height=\"%g\" "
                 "role=\"img\" aria-label=\"cross-group FMR\">\n<title>Cross-group FMR, ",
            W, H, W, H);
    sh_html_escape(out, m->partition);
    fprintf(out, ", target FMR %g</title>\n", m->target_fmr[k]);
    fprintf(out, "<text x=\"%g\" y=\"16\" class=\"axis\">target FMR %g, threshold %.4g</text>\n",
            L, m->target_fmr[k], m->threshold[k]);
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
            fprintf(out, "<rect x=\"%g\" y=\"%g\" width=\"%g\" height=\"%g\" fill=\"%s\" "
                         "class=\"cell\"/><text x=\"%g\" y=\"%g\" class=\"cellv%s\" "
                         "text-anchor=\"middle\">%s</text>\n",
                    L + cell * (double)j, T + cell * (double)i, cell, cell, fill,
                    L + cell * ((double)j + 0.5), T + cell * ((double)i + 0.5) + 4,
                    dark ? " light" : "", label);
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

int sh_svg_bars(FILE *out, const char *title, const sh_bar *bars, size_t n)
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
                     "<text x=\"%.1f\" y=\"%g\" class=\"tick\" text-anchor=\"middle\">%.3g</text>\n",
                x, T, x, T + row * (double)rows, x, T + row * (double)rows + 14, top * q / 4.0);
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
        sh_report_rate(cell, sizeof cell, b->rate, b->lo, b->hi);
        fprintf(out, "<text x=\"%g\" y=\"%g\" class=\"tick\">%s</text>\n", L + pw + 8, y + 13,
                cell);
        y += row;
    }
    fputs("</svg>\n", out);
    return 0;
}
