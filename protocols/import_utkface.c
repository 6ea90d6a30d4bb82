/* UTKFace: the attributes are in the file names of one folder. */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "importer.h"

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* age_gender_race_datetime.jpg: gender 0 male, 1 female; race 0 White,
 * 1 Black, 2 Asian, 3 Indian, 4 Others. 0 when the name does not parse. */
static int utk_parse(const char *name, long *age, const char **sex, const char **race)
{
    static const char *const races[] = {"White", "Black", "Asian", "Indian", "Others"};
    char *end;
    const char *p = name;
    *age = strtol(p, &end, 10);
    if (end == p || *end != '_' || *age < 0 || *age > 130)
        return 0;
    p = end + 1;
    long g = strtol(p, &end, 10);
    if (end == p || *end != '_' || (g != 0 && g != 1))
        return 0;
    p = end + 1;
    long r = strtol(p, &end, 10);
    if (end == p || *end != '_' || r < 0 || r > 4)
        return 0;
    const char *dot = strrchr(name, '.');
    if (!dot || (strcasecmp(dot, ".jpg") && strcasecmp(dot, ".jpeg") && strcasecmp(dot, ".png")))
        return 0;
    *sex = g ? "F" : "M";
    *race = races[r];
    return 1;
}

/* The folder's visible entries, sorted, into *out (n of them). */
static int read_names(char ***out, size_t *n, const char *dir, sh_err *err)
{
    DIR *d = opendir(dir);
    if (!d)
        return sh_err_set(err, SH_E_INPUT, "%s: cannot open folder: %s", dir,
                              strerror(errno));
    char **names = NULL;
    size_t cap = 0;
    int rc = 0;
    *n = 0;
    for (struct dirent *e; !rc && (e = readdir(d));) {
        if (e->d_name[0] == '.')
            continue;
        if (*n == cap) {
            cap = cap ? cap * 2 : 256;
            char **grown = realloc(names, cap * sizeof *names);
            if (!grown) {
                rc = sh_err_nomem(err);
                break;
            }
            names = grown;
        }
        if (!(names[*n] = strdup(e->d_name)))
            rc = sh_err_nomem(err);
        else
            (*n)++;
    }
    closedir(d);
    if (!rc && *n) /* qsort's array may not be NULL, even empty (an empty folder) */
        qsort(names, *n, sizeof *names, cmp_name);
    *out = names;
    return rc;
}

int sh_import_read_utkface(sh_import_job *job, sh_err *err)
{
    job->m.n_attrs = 3;
    job->m.attr_names[0] = "age";
    job->m.attr_names[1] = "sex";
    job->m.attr_names[2] = "race";
    char **names = NULL;
    size_t n = 0, skipped = 0;
    int rc = read_names(&names, &n, job->input, err);
    job->n_read = n;
    for (size_t i = 0; !rc && i < n; i++) {
        long age;
        const char *sex, *race;
        char path[PATH_MAX];
        struct stat st;
        /* A folder, a FIFO or a link to nothing named like an image is none. */
        int file = (size_t)snprintf(path, sizeof path, "%s/%s", job->input, names[i]) <
                       sizeof path && stat(path, &st) == 0 && S_ISREG(st.st_mode);
        if (!file || !utk_parse(names[i], &age, &sex, &race)) {
            if (job->log)
                fprintf(job->log, "shades: import utkface: skipped '%s': %s\n", names[i],
                        file ? "not age_gender_race_datetime.jpg" : "not a regular file");
            skipped++;
            continue;
        }
        char age_s[16];
        snprintf(age_s, sizeof age_s, "%ld", age);
        const char *row[] = {names[i], names[i], names[i], age_s, sex, race};
        size_t r;
        rc = sh_import_add_image(&r, &job->m, row, job->input, i + 1, "file name", err);
    }
    if (!rc && job->log && skipped)
        fprintf(job->log, "shades: import utkface: %zu of %zu file names skipped\n", skipped, n);
    if (!rc && !job->m.n)
        rc = sh_err_set(err, SH_E_INPUT, "%s: no file named age_gender_race_datetime.jpg",
                            job->input);
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    return rc;
}
