#include "report_svg_density.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report_table.h"

/* Genuine solid and dark, impostor dashed and orange (Okabe-Ito), so the
 * two stay apart in grey print. */
#define GENUINE_STYLE "stroke=\"#0072B2\" stroke-width=\"1.8\""
#define IMPOSTOR_STYLE "stroke=\"#D55E00\" stroke-width=\"1.8\" stroke-dasharray=\"5 3\""
/* Threshold labels: small, with a white halo over the curves. */
#define LABEL_STYLE "font-size=\"9\" stroke=\"#fff\" stroke-width=\"3\" paint-order=\"stroke\""
#define THRESHOLD_STYLE "stroke=\"#222\" stroke-width=\"1\" stroke-dasharray=\"1 2\""

/* Panel layout: columns, panel size and margins inside each cell. */
#define COLS 3
static const double PW = 300, PH = 150, ML = 14, MR = 10, MT = 22, MB = 30, LEGEND = 26;

/* One group's rows: genuine rows [gen, gen + n_gen), impostor likewise. */
typedef struct panel {
    const char *group;
    size_t gen, n_gen, imp, n_imp;
    uint64_t total_gen, total_imp;
} panel;

/* The density in bin d of a kind counting `total` scores. */
static double density(const sh_vdensity *d, uint64_t total)
{
    double w = d->bin_hi - d->bin_lo;
    return total && w > 0 ? (double)d->count / (double)total / w : 0;
}

/* Collects the partition's panels into *out (malloc'd); returns their
 * count, or SIZE_MAX when out of memory. */
static size_t panels(panel **out, const sh_vresults *v, const char *partition)
{
    *out = NULL;
    size_t n = 0, cap = 0;
    for (size_t i = 0; i < v->n_density; i++) {
        const sh_vdensity *d = &v->density[i];
        if (strcmp(d->partition, partition))
            continue;
        if (!n || strcmp((*out)[n - 1].group, d->group)) {
            if (n == cap) {
                cap = cap ? 2 * cap : 8;
                panel *grown = realloc(*out, cap * sizeof *grown);
                if (!grown) {
                    free(*out);
                    *out = NULL;
                    return SIZE_MAX;
                }
                *out = grown;
            }
            (*out)[n++] = (panel){d->group, 0, 0, 0, 0, 0, 0};
        }
        panel *p = &(*out)[n - 1];
        int gen = strcmp(d->kind, "genuine") == 0;
        if (gen && !p->n_gen++)
            p->gen = i;
        if (!gen && !p->n_imp++)
            p->imp = i;
        *(gen ? &p->total_gen : &p->total_imp) += d->count;
    }
    return n;
}

/* A tick step of 1, 2 or 5 times a power of ten giving about 4 ticks. */
static double tick_step(double span)
{
    double raw = span / 4, mag = pow(10, floor(log10(raw))), f = raw / mag;
    return (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10) * mag;
}

/* One kind's step outline in a panel at (x0, y0). */
static void outline(FILE *out, const sh_vdensity *rows, size_t n, uint64_t total,
                    const char *style, double x0, double y0, double lo, double hi,
                    double ymax)
{
    if (!n || !total)
        return;
    double sx = (PW - ML - MR) / (hi - lo), sy = (PH - MT - MB) / ymax;
    double base = y0 + PH - MB;
    fprintf(out, "<polyline fill=\"none\" %s points=\"%.1f,%.1f", style,
            x0 + ML + (rows[0].bin_lo - lo) * sx, base);
    for (size_t j = 0; j < n; j++) {
        double y = base - density(&rows[j], total) * sy;
        fprintf(out, " %.1f,%.1f %.1f,%.1f", x0 + ML + (rows[j].bin_lo - lo) * sx, y,
                x0 + ML + (rows[j].bin_hi - lo) * sx, y);
    }
    fprintf(out, " %.1f,%.1f\"/>\n", x0 + ML + (rows[n - 1].bin_hi - lo) * sx, base);
}

/* The frame, ticks, thresholds, curves and title of one panel. */
static void draw_panel(FILE *out, const sh_vresults *v, const panel *p, double x0, double y0,
                       double lo, double hi, double ymax)
{
    double pw = PW - ML - MR, ph = PH - MT - MB, sx = pw / (hi - lo);
    fputs("<g class=\"panel\" aria-label=\"", out);
    sh_html_escape(out, p->group);
    fprintf(out, "\">\n<rect x=\"%.1f\" y=\"%.1f\" width=\"%g\" height=\"%g\" class=\"frame\"/>\n",
            x0 + ML, y0 + MT, pw, ph);
    double step = tick_step(hi - lo);
    for (double t = ceil(lo / step) * step; t <= hi + step * 1e-9; t += step) {
        double x = x0 + ML + (t - lo) * sx;
        fprintf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" class=\"grid\"/>"
                     "<text x=\"%.1f\" y=\"%.1f\" class=\"tick\" text-anchor=\"middle\">%g</text>\n",
                x, y0 + MT, x, y0 + PH - MB, x, y0 + PH - MB + 13, fabs(t) < step * 1e-9 ? 0 : t);
    }
    outline(out, &v->density[p->gen], p->n_gen, p->total_gen, GENUINE_STYLE, x0, y0, lo, hi,
            ymax);
    outline(out, &v->density[p->imp], p->n_imp, p->total_imp, IMPOSTOR_STYLE, x0, y0, lo, hi,
            ymax);
    /* Thresholds last: their labels sit over the curves, and over every
     * threshold's line (all lines first), so no line crosses a label. */
    for (int labels = 0; labels < 2; labels++) {
        size_t shown = 0;
        for (size_t k = 0; k < v->n_thresholds; k++) {
            double t = v->thresholds[k].threshold;
            char at[64];
            if (!v->thresholds[k].estimable || !(t >= lo && t <= hi))
                continue;
            double x = x0 + ML + (t - lo) * sx;
            /* In the right half the label goes left of its line, so that it
             * stays inside the panel (the next panel's starts at its edge). */
            int left = x > x0 + ML + pw / 2;
            if (!labels)
                fprintf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
                             THRESHOLD_STYLE "/>\n", x, y0 + MT, x, y0 + PH - MB);
            else
                fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" class=\"tick\" text-anchor=\"%s\" "
                             LABEL_STYLE ">%s</text>\n",
                        left ? x - 2 : x + 2, y0 + MT + 9 + 9 * (double)shown++,
                        left ? "end" : "start",
                        sh_vpoint_label(at, sizeof at,
                                        sh_vthreshold_point(&v->thresholds[k])));
        }
    }
    fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" class=\"legend\"><tspan class=\"part\">", x0 + ML,
            y0 + MT - 6);
    sh_html_escape(out, p->group);
    fprintf(out, "</tspan> %llu genuine, %llu impostor</text>\n</g>\n",
            (unsigned long long)p->total_gen, (unsigned long long)p->total_imp);
}

int sh_svg_density(FILE *out, const sh_vresults *v, const char *partition)
{
    panel *ps;
    size_t n = panels(&ps, v, partition);
    if (n == SIZE_MAX)
        return -1;
    if (!n)
        return 0;
    /* One score axis and one density scale for every panel. */
    double lo = INFINITY, hi = -INFINITY, ymax = 0;
    for (size_t i = 0; i < n; i++) {
        const panel *p = &ps[i];
        for (size_t j = 0; j < p->n_gen + p->n_imp; j++) {
            const sh_vdensity *d = &v->density[j < p->n_gen ? p->gen + j : p->imp + j - p->n_gen];
            uint64_t total = j < p->n_gen ? p->total_gen : p->total_imp;
            lo = d->bin_lo < lo ? d->bin_lo : lo;
            hi = d->bin_hi > hi ? d->bin_hi : hi;
            ymax = density(d, total) > ymax ? density(d, total) : ymax;
        }
    }
    if (!(hi > lo))
        hi = lo + 1;
    /* Headroom above the highest bin for the threshold labels. */
    ymax = ymax > 0 ? ymax * 1.3 : 1;
    size_t cols = n < COLS ? n : COLS, rows = (n + COLS - 1) / COLS;
    /* At least as wide as the legend. */
    double W = PW * (double)cols < 520 ? 520 : PW * (double)cols;
    double H = LEGEND + PH * (double)rows + 14;
    fprintf(out, "<svg class=\"plot\" viewBox=\"0 0 %g %g\" width=\"%g\" height=\"%g\" "
                 "role=\"img\" aria-label=\"Score densities by ",
            W, H, W, H);
    sh_html_escape(out, partition);
    fputs("\">\n<title>Score densities by ", out);
    sh_html_escape(out, partition);
    fputs("</title>\n", out);
    fprintf(out, "<line x1=\"%g\" y1=\"12\" x2=\"%g\" y2=\"12\" " GENUINE_STYLE "/>"
                 "<text x=\"%g\" y=\"16\" class=\"legend\">genuine</text>\n"
                 "<line x1=\"%g\" y1=\"12\" x2=\"%g\" y2=\"12\" " IMPOSTOR_STYLE "/>"
                 "<text x=\"%g\" y=\"16\" class=\"legend\">impostor (same group)</text>\n"
                 "<line x1=\"%g\" y1=\"4\" x2=\"%g\" y2=\"20\" " THRESHOLD_STYLE "/>"
                 "<text x=\"%g\" y=\"16\" class=\"legend\">global thresholds</text>\n",
            ML, ML + 24, ML + 30, ML + 100, ML + 124, ML + 130, ML + 290, ML + 290, ML + 296);
    for (size_t i = 0; i < n; i++)
        draw_panel(out, v, &ps[i], PW * (double)(i % COLS), LEGEND + PH * (double)(i / COLS), lo,
                   hi, ymax);
    fprintf(out, "<text x=\"%g\" y=\"%g\" class=\"axis\" text-anchor=\"middle\">score</text>\n",
            W / 2, H - 4);
    fputs("</svg>\n", out);
    free(ps);
    return 0;
}
