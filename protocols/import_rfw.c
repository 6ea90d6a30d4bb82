/* RFW pair lists: one <Race>_pairs.txt, or every one found in a folder,
 * into one manifest and one pair list. */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "csv_rows.h"
#include "importer.h"

/* How deep below the folder given pair lists are looked for: RFW keeps
 * them as txts/<Race>/<Race>_pairs.txt. */
#define RFW_MAX_DEPTH 3

/* The pair lists found, as paths. */
typedef struct file_list {
    char **paths;
    size_t n, cap;
} file_list;

static int list_add(file_list *l, const char *path)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 8;
        char **grown = realloc(l->paths, cap * sizeof *grown);
        if (!grown)
            return -1;
        l->paths = grown;
        l->cap = cap;
    }
    if (!(l->paths[l->n] = strdup(path)))
        return -1;
    l->n++;
    return 0;
}

static int ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), k = strlen(tail);
    return n > k && !strcmp(s + n - k, tail);
}

/* Every *_pairs.txt beneath dir, down to depth levels. */
static int find_lists(file_list *l, const char *dir, int depth, sh_err *err)
{
    DIR *d = opendir(dir);
    if (!d)
        return sh_err_set(err, SH_E_INPUT, "%s: cannot open folder: %s", dir,
                              strerror(errno));
    int rc = 0;
    for (struct dirent *e; !rc && (e = readdir(d));) {
        if (e->d_name[0] == '.')
            continue;
        char path[PATH_MAX];
        if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, e->d_name) >= sizeof path) {
            rc = sh_err_set(err, SH_E_INPUT, "%s/%s: path too long", dir, e->d_name);
            break;
        }
        struct stat st;
        if (stat(path, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode) && depth > 0)
            rc = find_lists(l, path, depth - 1, err);
        else if (S_ISREG(st.st_mode) && ends_with(e->d_name, "_pairs.txt") && list_add(l, path))
            rc = sh_err_nomem(err);
    }
    closedir(d);
    return rc;
}

static int cmp_path(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Splits a line (its line end dropped) into fields; the first cap go to
 * out. Returns how many fields the line has, 0 for a blank line. RFW's
 * fields are tab-separated, and an empty one between two tabs counts (it
 * would otherwise shift the next into its place: a non-mated line with an
 * empty id read as mated); a line without a tab is split at runs of
 * spaces, as copies retyped with spaces are. */
static size_t split_fields(char **out, size_t cap, char *line)
{
    line[strcspn(line, "\r\n")] = 0;
    if (!line[strspn(line, " \t")])
        return 0;
    size_t n = 0;
    if (strchr(line, '\t')) {
        for (char *p = line;; n++) {
            char *tab = strchr(p, '\t');
            if (tab)
                *tab = 0;
            if (n < cap)
                out[n] = p;
            if (!tab)
                return n + 1;
            p = tab + 1;
        }
    }
    char *save = NULL;
    for (char *tok = strtok_r(line, " ", &save); tok; tok = strtok_r(NULL, " ", &save), n++)
        if (n < cap)
            out[n] = tok;
    return n;
}

/* The longest id taken: RFW's are Freebase ids of about ten bytes, and the
 * image id and path are made from it in fixed buffers. */
#define RFW_ID_MAX 128

/* The first field of the n (at most 4) in f that is empty, or whose id
 * (fields 1 and 3 of a non-mated line, 1 of a mated one) could leave the
 * race's folder as a path ('/', ".", "..") or is longer than RFW_ID_MAX, as
 * 1 + its index, into *out_why; 0 when none. */
static size_t bad_text_field(const char **out_why, char *const *f, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        int id = k == 0 || (n == 4 && k == 2);
        if (!f[k][0])
            *out_why = "empty";
        else if (id && (strchr(f[k], '/') || !strcmp(f[k], ".") || !strcmp(f[k], "..")))
            *out_why = "an id is a folder name in RFW's layout, without '/' and not '.' or '..'";
        else if (id && strlen(f[k]) > RFW_ID_MAX)
            *out_why = "an id of more than 128 bytes (RFW's are about ten)";
        else
            continue;
        return k + 1;
    }
    return 0;
}

/* An image number: 1 to 5 digits, no sign or leading zero, as RFW writes
 * them (0 is refused by the caller, with its own message). "+1" or "01"
 * would name image 1 under another spelling. */
static int parse_index(long *out, const char *s)
{
    size_t n = strspn(s, "0123456789");
    if (!n || s[n] || n > 5 || (s[0] == '0' && n > 1))
        return 0;
    *out = strtol(s, NULL, 10);
    return 1;
}

/* The next line of f into *buf, without a leading byte-order mark on the
 * first; -1 at the end. */
static ssize_t next_line(char **buf, size_t *cap, FILE *f, size_t line)
{
    ssize_t n = getline(buf, cap, f);
    if (n >= 3 && line == 0 && !memcmp(*buf, SH_UTF8_BOM, 3)) {
        memmove(*buf, *buf + 3, (size_t)n - 2);
        n -= 3;
    }
    return n;
}

/* One image of a pair line, added to the manifest; *out_row is its row. */
static int add_side(size_t *out_row, sh_import_job *job, const char *input, size_t line,
                    const char *race, const char *id, long index, char *img, size_t img_cap,
                    sh_err *err)
{
    char path[PATH_MAX];
    snprintf(img, img_cap, "%s_%04ld", id, index);
    snprintf(path, sizeof path, "%s/%s/%s.jpg", race, id, img);
    const char *row[] = {img, id, path, race};
    return sh_import_add_image(out_row, &job->m, row, input, line, NULL, err);
}

/* Where a pair list's folds stand: the fold being read, its first and
 * last lines, and which kinds of line it has had. */
typedef struct fold_shape {
    long fold;
    size_t first, last;
    int mated, nonmated;
} fold_shape;

/* Notes a pair line of `fold` (mated or not) at `line`, or with fold -1 the
 * end of the file: 0, or an error where a fold's lines are not RFW's (a
 * mated line after its non-mated ones, or a kind missing). */
static int fold_line(fold_shape *s, const char *input, size_t line, long fold, int mated,
                     sh_err *err)
{
    if (fold != s->fold && s->fold >= 0 && (!s->mated || !s->nonmated))
        return sh_err_set(err, SH_E_INPUT, "%s:%zu-%zu: fold %ld holds no %s line; RFW's ten "
                          "folds each hold mated lines, then non-mated ones", input, s->first,
                          s->last, s->fold, s->mated ? "non-mated" : "mated");
    if (fold != s->fold)
        *s = (fold_shape){fold, line, line, 0, 0};
    if (mated && s->nonmated)
        return sh_err_set(err, SH_E_INPUT, "%s:%zu: a mated line after fold %ld's non-mated "
                          "lines; RFW's ten folds are each their mated lines, then their "
                          "non-mated ones", input, line, fold);
    s->last = line;
    s->mated |= mated;
    s->nonmated |= !mated;
    return 0;
}

/* One pair list: `id n m` (mated) or `id1 n id2 m` (non-mated); the file
 * holds ten folds of equal size, each its mated lines then its non-mated
 * ones. Image `id` number n is <race>/<id>/<id>_<n as 4 digits>.jpg. */
static int read_list(sh_import_job *job, const char *input, const char *race_opt,
                     sh_err *err)
{
    FILE *f = fopen(input, "r");
    if (!f)
        return sh_err_set(err, SH_E_INPUT, "%s: cannot open input: %s", input,
                              strerror(errno));
    char race[64];
    const char *base = strrchr(input, '/') ? strrchr(input, '/') + 1 : input;
    /* Without --race the race is the name's start: "pairs.txt" has none. */
    size_t bl = strlen(base);
    if (!race_opt && (bl <= strlen("_pairs.txt") || strcmp(base + bl - 10, "_pairs.txt"))) {
        fclose(f);
        return sh_err_set(err, SH_E_INPUT, "%s: the race is the start of a pair list's name "
                          "(<Race>_pairs.txt); rename it, or give --race", input);
    }
    snprintf(race, sizeof race, "%.*s", race_opt ? (int)strlen(race_opt) : (int)strcspn(base, "_."),
             race_opt ? race_opt : base);
    char *buf = NULL;
    size_t cap = 0, line = 0, data_lines = 0;
    int rc = 0;
    /* First pass: count pair lines, to size the folds. */
    while (next_line(&buf, &cap, f, line++) > 0) {
        char *fields[4];
        data_lines += split_fields(fields, 4, buf) > 0;
    }
    rewind(f);
    line = 0;
    size_t fold_size = data_lines / 10 ? data_lines / 10 : 1, k = 0;
    /* RFW's shape, checked where the count divides (else the count is the
     * error, after any bad line): each fold its mated lines, then its
     * non-mated ones, both there. */
    int tenths = data_lines % 10 == 0;
    fold_shape shape = {-1, 0, 0, 0, 0};
    while (!rc && next_line(&buf, &cap, f, line) > 0) {
        line++;
        char *fields[4];
        size_t n = split_fields(fields, 4, buf);
        if (n == 0)
            continue;
        long a, b;
        const char *id1 = fields[0], *id2 = n == 4 ? fields[2] : fields[0];
        if (n != 3 && n != 4) {
            rc = sh_err_set(err, SH_E_INPUT,
                            "%s:%zu: %zu field%s, expected 'id<TAB>n<TAB>m' (mated) or "
                            "'id1<TAB>n<TAB>id2<TAB>m' (non-mated)", input, line, n,
                            n == 1 ? "" : "s");
            break;
        }
        const char *what = NULL;
        size_t text_field = bad_text_field(&what, fields, n);
        if (text_field) {
            const char *v = fields[text_field - 1];
            rc = sh_err_set(err, SH_E_INPUT, "%s:%zu: field %zu: %s%.40s%s%s%s", input, line,
                            text_field, v[0] ? "'" : "", v, strlen(v) > 40 ? "..." : "",
                            v[0] ? "': " : "", what);
            break;
        }
        size_t bad_field = !parse_index(&a, fields[1])     ? 2
                           : !parse_index(&b, fields[n - 1]) ? n
                                                             : 0;
        if (bad_field) {
            rc = sh_err_set(err, SH_E_INPUT, "%s:%zu: field %zu: '%s' is not an image number "
                            "(digits, as RFW writes them: 1 to 99999, no sign or leading "
                            "zero)", input, line, bad_field, fields[bad_field - 1]);
            break;
        }
        if (a == 0 || b == 0) {
            rc = sh_err_set(err, SH_E_INPUT, "%s:%zu: field %zu: image number 0; RFW numbers "
                            "each person's images from 1", input, line, a == 0 ? (size_t)2 : n);
            break;
        }
        if (n == 4 && !strcmp(id1, id2)) {
            rc = sh_err_set(err, SH_E_INPUT,
                                "%s:%zu: field 3: a non-mated line names '%s' twice", input, line,
                                id1);
            break;
        }
        char img[2][192];
        size_t rows[2];
        sh_err why = {0};
        int bad = add_side(&rows[0], job, input, line, race, id1, a, img[0], sizeof img[0], &why);
        if (!bad)
            bad = add_side(&rows[1], job, input, line, race, id2, b, img[1], sizeof img[1], &why);
        long fold = (long)(k++ / fold_size);
        if (!bad)
            bad = sh_import_add_pair(&job->p, &job->m, rows[0], rows[1], fold > 9 ? 9 : fold,
                                         input, line, &why);
        if (bad)
            rc = sh_err_set(err, why.code, "%s:%zu: %s", input, line, why.msg);
        else if (tenths)
            rc = fold_line(&shape, input, line, fold, n == 3, err);
    }
    if (!rc && tenths && data_lines)
        rc = fold_line(&shape, input, line, -1, 0, err);
    /* Folds are the file's tenths: a count that does not divide would
     * move lines across them (the last would take the rest). */
    if (!rc && data_lines % 10)
        rc = sh_err_set(err, SH_E_INPUT, "%s: %zu pair line%s, not ten folds of one size "
                        "(RFW's lists hold 6,000: ten folds of 300 mated, then 300 non-mated, "
                        "lines)", input, data_lines, data_lines == 1 ? "" : "s");
    free(buf);
    fclose(f);
    return rc;
}

int sh_import_read_rfw(sh_import_job *job, sh_err *err)
{
    job->m.n_attrs = 1;
    job->m.attr_names[0] = "race";
    file_list lists = {0};
    int rc = 0;
    for (size_t i = 0; !rc && i < job->n_inputs; i++) {
        const char *in = job->inputs[i];
        struct stat st;
        size_t before = lists.n;
        if (stat(in, &st) == 0 && S_ISDIR(st.st_mode)) {
            rc = find_lists(&lists, in, RFW_MAX_DEPTH, err);
            if (!rc && lists.n == before)
                rc = sh_err_set(err, SH_E_INPUT, "%s: no <Race>_pairs.txt in this folder",
                                    in);
            if (!rc)
                qsort(lists.paths + before, lists.n - before, sizeof *lists.paths, cmp_path);
        } else if (list_add(&lists, in)) {
            rc = sh_err_nomem(err);
        }
    }
    /* A list given twice (or found again in a folder given too) would
     * read as every pair listed twice. */
    for (size_t i = 0; !rc && i < lists.n; i++)
        for (size_t j = 0; !rc && j < i; j++) {
            char a[PATH_MAX], b[PATH_MAX];
            if (realpath(lists.paths[i], a) && realpath(lists.paths[j], b) && !strcmp(a, b))
                rc = sh_err_set(err, SH_E_INPUT, "%s: given twice (as '%s' and '%s')",
                                lists.paths[j], lists.paths[j], lists.paths[i]);
        }
    if (!rc && job->race && lists.n != 1)
        rc = sh_err_set(err, SH_E_INPUT,
                            "import: --race names the race of one pairs file, and there are %zu "
                            "(each file's race is the start of its name)", lists.n);
    for (size_t i = 0; !rc && i < lists.n; i++) {
        size_t before = job->p.n;
        rc = read_list(job, lists.paths[i], job->race, err);
        if (!rc && job->p.n == before)
            rc = sh_err_set(err, SH_E_INPUT, "%s: no pairs", lists.paths[i]);
    }
    /* The tables point at the file names: the job keeps them. */
    job->files = lists.paths;
    job->n_files = lists.n;
    return rc;
}
