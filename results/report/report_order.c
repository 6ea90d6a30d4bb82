#include "report_order.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Most factors of an intersection this order sorts by. */
#define MAX_FACTORS 8

/* Splits "a x b" into its factor names (into buf); returns their count,
 * 0 when there are more than MAX_FACTORS. */
static size_t factors(char (*buf)[SH_NAME_MAX], const char *partition)
{
    size_t n = 0;
    for (const char *p = partition; p; n++) {
        if (n == MAX_FACTORS)
            return 0;
        const char *sep = strstr(p, " x ");
        size_t len = sep ? (size_t)(sep - p) : strlen(p);
        memcpy(buf[n], p, len);
        buf[n][len] = '\0';
        p = sep ? sep + 3 : NULL;
    }
    return n;
}

/* Whether partition `name` is a factor of some intersection of c. */
static int crossed(const sh_cresults *c, const char *name)
{
    char f[MAX_FACTORS][SH_NAME_MAX];
    for (size_t i = 0; i < c->n_groups; i++) {
        size_t nf = strstr(c->groups[i].partition, " x ") ? factors(f, c->groups[i].partition) : 0;
        for (size_t k = 0; k < nf; k++)
            if (!strcmp(f[k], name))
                return 1;
    }
    return 0;
}

/* The step of Gender Shades' order a partition falls in (0 for All). */
static int step(const sh_cresults *c, const char *partition)
{
    if (!strcmp(partition, "all"))
        return 0;
    if (!strcmp(partition, c->attribute))
        return 1;
    if (strstr(partition, " x "))
        return 3;
    return crossed(c, partition) ? 2 : 4;
}

/* Label k of the group name "a/b/c" into out; 0 when it has no label k. */
static int label(char *out, const char *group, size_t k)
{
    const char *p = group;
    for (size_t i = 0; i < k; i++) {
        p = strchr(p, '/');
        if (!p)
            return 0;
        p++;
    }
    size_t len = strcspn(p, "/");
    memcpy(out, p, len);
    out[len] = '\0';
    return 1;
}

/* Label k of rows a and b compared, letter case aside: Gender Shades'
 * table is alphabetical within each attribute (F before M, Darker before
 * Lighter), so the order does not depend on how a config lists groups. */
static int label_cmp(const sh_cresults *c, size_t a, size_t b, size_t k)
{
    char la[SH_NAME_MAX], lb[SH_NAME_MAX];
    label(la, c->groups[a].group, k);
    label(lb, c->groups[b].group, k);
    return strcasecmp(la, lb);
}

/* One attribute's rows [first, end) in out, alphabetically, stable. */
static void alphabetical(size_t *out, const sh_cresults *c, size_t first, size_t end)
{
    for (size_t i = first; i < end; i++) {
        size_t j = i - first;
        for (; j > 0 && strcasecmp(c->groups[i].group, c->groups[out[j - 1]].group) < 0; j--)
            out[j] = out[j - 1];
        out[j] = i;
    }
}

/* One intersection's rows [first, end) in out, the classified attribute's
 * label varying fastest: by the other labels' ranks, then by its own. */
static void intersection(size_t *out, const sh_cresults *c, size_t first, size_t end)
{
    char f[MAX_FACTORS][SH_NAME_MAX], tmp[SH_NAME_MAX];
    size_t nf = factors(f, c->groups[first].partition), ci = nf;
    for (size_t k = 0; k < nf; k++)
        ci = strcmp(f[k], c->attribute) ? ci : k;
    for (size_t i = first; i < end; i++)
        out[i - first] = i;
    for (size_t i = first; i < end; i++)
        if (ci == nf || !label(tmp, c->groups[i].group, nf - 1) || label(tmp, c->groups[i].group, nf))
            return; /* the classified attribute not crossed, or names not "a/b": file order */
    /* Insertion sort, stable: few groups. */
    for (size_t i = 1; i < end - first; i++) {
        size_t row = out[i], j = i;
        for (; j > 0; j--) {
            int before = 0, decided = 0;
            for (size_t pass = 0; pass < 2 && !decided; pass++)
                for (size_t k = 0; k < nf && !decided; k++) {
                    if ((k == ci) != (pass == 1))
                        continue;
                    int d = label_cmp(c, row, out[j - 1], k);
                    if (d) {
                        before = d < 0;
                        decided = 1;
                    }
                }
            if (!before)
                break;
            out[j] = out[j - 1];
        }
        out[j] = row;
    }
}

int sh_report_gender_shades_order(size_t *out, const sh_cresults *c)
{
    int *steps = malloc((c->n_groups ? c->n_groups : 1) * sizeof *steps);
    if (!steps) {
        for (size_t i = 0; i < c->n_groups; i++)
            out[i] = i;
        return -1;
    }
    for (size_t i = 0; i < c->n_groups; i++)
        steps[i] = step(c, c->groups[i].partition);
    size_t n = 0;
    for (int s = 0; s <= 4; s++)
        for (size_t i = 0; i < c->n_groups;) {
            /* One partition's rows, contiguous in the file. */
            size_t end = i + 1;
            while (end < c->n_groups && !strcmp(c->groups[end].partition, c->groups[i].partition))
                end++;
            if (steps[i] == s && s == 3)
                intersection(out + n, c, i, end);
            else if (steps[i] == s && (s == 1 || s == 2))
                alphabetical(out + n, c, i, end);
            else if (steps[i] == s)
                for (size_t j = i; j < end; j++)
                    out[n + j - i] = j;
            n += steps[i] == s ? end - i : 0;
            i = end;
        }
    free(steps);
    return 0;
}
