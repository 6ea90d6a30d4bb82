/* The shades command line. Exit status: 0 success, 2 error (1 is kept for
 * a run whose pass/fail criteria fail). */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check_adapter.h"
#include "cohort.h"
#include "faces.h"
#include "import.h"
#include "demo.h"
#include "error.h"
#include "extensions.h"
#include "help.h"
#include "instance.h"
#include "executor.h"
#include "supervise.h"
#include "ranks.h"
#include "plugin.h"
#include "report.h"
#include "h5_read.h"
#include "h5_sign.h"
#include "rerun.h"
#include "run.h"
#include "utf8.h"
#include "version.h"
#include "worker.h"

#define EXIT_ERROR 2

static int fail(const sh_err *err)
{
    fflush(stdout); /* what was printed before the error reads before it */
    fprintf(stderr, "shades: error: %s\n", err->msg);
    return EXIT_ERROR;
}

/* Parses a positive count for a flag; prints the error itself, naming flag
 * (NULL: prints nothing, for a caller with its own words). */
static int parse_count(unsigned *out, const char *flag, const char *s)
{
    char *end;
    unsigned long v = s ? strtoul(s, &end, 10) : 0;
    if (!s || *end || v == 0 || v > 1000000 || s[0] == '-') {
        if (flag)
            fprintf(stderr, "shades: error: %s needs a count from 1 to 1000000\n", flag);
        return -1;
    }
    *out = (unsigned)v;
    return 0;
}

/* Parses a --seed: any whole number a config's run.seed takes (0 to
 * 2^64 - 1); prints the error itself. */
static int parse_seed(uint64_t *out, const char *s)
{
    /* Decimal digits without a leading 0, as run.seed takes them. */
    size_t digits = s ? strspn(s, "0123456789") : 0;
    errno = 0;
    unsigned long long v = digits ? strtoull(s, NULL, 10) : 0;
    if (!digits || s[digits] || errno == ERANGE || (s[0] == '0' && digits > 1)) {
        fprintf(stderr, "shades: error: --seed needs a whole number from 0 to %llu\n",
                ULLONG_MAX);
        return -1;
    }
    *out = v;
    return 0;
}

/* The most images cohort and synth write in one call: 10^7 code images are
 * about 26 GB, and rendering as many faces takes hours. */
#define IMAGES_MAX 10000000ull

/* Refuses subjects x images over IMAGES_MAX; prints the error itself. */
static int check_images(const char *cmd, unsigned subjects, unsigned images)
{
    unsigned long long n = (unsigned long long)subjects * images;
    if (n <= IMAGES_MAX)
        return 0;
    fprintf(stderr, "shades: error: %s: --subjects %u x --images %u is %llu images, over the "
            "%llu one call writes\n", cmd, subjects, images, n, IMAGES_MAX);
    return -1;
}

/* Parses a --threads count, 1 to SH_THREADS_MAX as in a config's
 * run.threads; prints the error itself. */
static int parse_threads(unsigned *out, const char *s)
{
    char *end;
    unsigned long v = s ? strtoul(s, &end, 10) : 0;
    if (!s || *end || v == 0 || v > SH_THREADS_MAX || s[0] == '-') {
        fprintf(stderr, "shades: error: --threads needs a count from 1 to %d\n",
                SH_THREADS_MAX);
        return -1;
    }
    *out = (unsigned)v;
    return 0;
}

/* Parses a --progress mode; prints the error itself. */
static int parse_progress(sh_progress_mode *out, const char *s)
{
    if (!s || sh_progress_mode_parse(out, s)) {
        fprintf(stderr, "shades: error: --progress needs auto, bar, lines or off\n");
        return -1;
    }
    return 0;
}

/* On ranks above 0 of an MPI job (rank 0 speaks for the job), sends stderr
 * to /dev/null and returns a copy of the real one; else returns -1 and
 * changes nothing. */
static int hush_stderr(void)
{
    unsigned rank, size;
    if (!sh_ranks_launched_as(&rank, &size) || size < 2 || rank == 0)
        return -1;
    int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
    int saved = null < 0 ? -1 : fcntl(2, F_DUPFD_CLOEXEC, 3);
    if (saved >= 0)
        dup2(null, 2);
    if (null >= 0)
        close(null);
    return saved;
}

/* Puts back the stderr hush_stderr kept; -1 is allowed. */
static void unhush_stderr(int saved)
{
    if (saved >= 0) {
        dup2(saved, 2);
        close(saved);
    }
}

static int cmd_run(int argc, char **argv)
{
    const char *config = NULL;
    sh_run_options opts = {.report = stdout, .progress = stderr};
    /* A mistake on the command line is every rank's: rank 0 says it. */
    int hushed = hush_stderr();
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--threads") == 0) {
            if (parse_threads(&opts.threads, i + 1 < argc ? argv[++i] : NULL))
                return EXIT_ERROR;
        } else if (strcmp(argv[i], "--isolate") == 0) {
            opts.isolate = 1;
        } else if (strcmp(argv[i], "--isolate-user") == 0) {
            if (i + 1 >= argc || !argv[i + 1][0]) {
                fprintf(stderr, "shades: error: --isolate-user needs a user name\n");
                return EXIT_ERROR;
            }
            opts.sandbox.user = argv[++i];
        } else if (strcmp(argv[i], "--isolate-memory") == 0) {
            const char *v = i + 1 < argc ? argv[++i] : NULL;
            unsigned mib = 0;
            if (v && strcmp(v, "0") == 0)
                opts.sandbox.memory_mib = UINT64_MAX; /* no limit */
            else if (parse_count(&mib, NULL, v)) {
                fprintf(stderr, "shades: error: --isolate-memory needs MiB from 1 to 1000000, "
                                "or 0 for no limit\n");
                return EXIT_ERROR;
            }
            else
                opts.sandbox.memory_mib = mib;
        } else if (strcmp(argv[i], "--isolate-files") == 0) {
            if (parse_count(&opts.sandbox.open_files, "--isolate-files",
                            i + 1 < argc ? argv[++i] : NULL))
                return EXIT_ERROR;
        } else if (strcmp(argv[i], "--resume") == 0) {
            opts.resume = 1;
        } else if (strcmp(argv[i], "--keep-checkpoint") == 0) {
            opts.keep_checkpoint = 1;
        } else if (strcmp(argv[i], "--no-checkpoint") == 0) {
            opts.no_checkpoint = 1;
        } else if (strcmp(argv[i], "--call-timeout") == 0) {
            unsigned seconds;
            if (parse_count(&seconds, "--call-timeout", i + 1 < argc ? argv[++i] : NULL))
                return EXIT_ERROR;
            opts.call_timeout_ms = seconds * 1000;
        } else if (strcmp(argv[i], "--progress") == 0) {
            if (parse_progress(&opts.progress_mode, i + 1 < argc ? argv[++i] : NULL))
                return EXIT_ERROR;
        } else if (strcmp(argv[i], "--sign") == 0) {
            /* "--sign --progress off" would take the next option as the key. */
            if (i + 1 >= argc || !argv[i + 1][0] || argv[i + 1][0] == '-') {
                fprintf(stderr, "shades: error: --sign needs a private key file\n");
                return EXIT_ERROR;
            }
            opts.sign_key = argv[++i];
        } else if (!config && argv[i][0] != '-') {
            config = argv[i];
        } else {
            fprintf(stderr, "shades: error: run: unexpected argument '%s'\n", argv[i]);
            return EXIT_ERROR;
        }
    }
    if (!config) {
        fprintf(stderr, "shades: error: run needs a config file\n");
        return EXIT_ERROR;
    }
    if (opts.no_checkpoint && (opts.resume || opts.keep_checkpoint)) {
        fprintf(stderr, "shades: error: --no-checkpoint writes no checkpoint for %s\n",
                opts.resume ? "--resume to continue" : "--keep-checkpoint to keep");
        return EXIT_ERROR;
    }
    if (opts.isolate) {
        sh_sandbox_limits checked;
        sh_err bad = {0};
        if (sh_sandbox_resolve(&checked, &opts.sandbox, &bad))
            return fail(&bad);
    } else if (opts.sandbox.user || opts.sandbox.memory_mib || opts.sandbox.open_files) {
        fprintf(stderr, "shades: error: --isolate-user, --isolate-memory and --isolate-files "
                        "set the workers of --isolate, which this run does not have\n");
        return EXIT_ERROR;
    }
    /* The supervising parent reports its rank's crash itself. */
    unhush_stderr(hushed);
    /* Where the engine shares this process, a parent outlives it. */
    int status;
    sh_supervise_items items = {sh_run_guard_items_load, sh_run_guard_items_release,
                                    (void *)config};
    sh_instance_options how = {.isolate = opts.isolate};
    if (sh_instance_calls(&how)->supervised && sh_supervise(&status, &items))
        return status;
    /* MPI joins after the fork, in the process that runs (ranks.h). */
    sh_err err = {0};
    if (sh_ranks_create(&opts.ranks, &err))
        return fail(&err);
    /* Rank 0 speaks for the run; the others keep stderr for their own
     * fatal error only (an engine's words on them are lost). */
    if (sh_ranks_rank(opts.ranks) > 0)
        opts.report = opts.progress = NULL;
    hushed = hush_stderr();
    int rc = sh_run(NULL, config, &opts, &err);
    unhush_stderr(hushed);
    /* Exit 0: criteria passed (or none); 1: a criterion failed; 2: error. */
    int exit_status = rc < 0 ? EXIT_ERROR : rc;
    if (rc < 0 && rc != SH_E_ELSEWHERE)
        fail(&err);
    /* A rank that failed where the others did not see it: they wait in a
     * collective this rank skipped, so the job ends here. */
    if (rc < 0 && !sh_ranks_agreed(opts.ranks))
        sh_ranks_abort(opts.ranks, EXIT_ERROR);
    sh_ranks_destroy(opts.ranks);
    return exit_status;
}

/* The format a report path's extension implies, or NULL (text). */
static const sh_report_format *format_of_path(const char *path)
{
    const char *dot = path ? strrchr(path, '.') : NULL;
    return dot && !strchr(dot, '/') ? sh_report_format_find(dot + 1) : NULL;
}

static int cmd_report(int argc, char **argv)
{
    const char **files = calloc(argc > 0 ? (size_t)argc : 1, sizeof *files);
    if (!files)
        return EXIT_ERROR;
    size_t n = 0;
    const char *out_path = NULL, *format = NULL;
    sh_report_options opts = {0};
    int bad = 0;
    for (int i = 0; i < argc && !bad; i++) {
        const char *val = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(argv[i], "--format") == 0 && val) {
            format = argv[++i];
            if (!(opts.format = sh_report_format_find(format))) {
                char names[128];
                sh_report_format_list(names, sizeof names);
                fprintf(stderr, "shades: error: report: unknown format '%s' (%s)\n", format,
                        names);
                bad = 1;
            }
        } else if (strcmp(argv[i], "-o") == 0 && val) {
            out_path = argv[++i];
        } else if (!val && (!strcmp(argv[i], "--format") || !strcmp(argv[i], "-o"))) {
            fprintf(stderr, "shades: error: report: %s needs a value\n", argv[i]);
            bad = 1;
        } else if (argv[i][0] != '-') {
            files[n++] = argv[i];
        } else {
            fprintf(stderr, "shades: error: report: unexpected argument '%s'\n", argv[i]);
            bad = 1;
        }
    }
    if (!bad && !n) {
        fprintf(stderr, "shades: error: report needs at least one results file\n");
        bad = 1;
    }
    if (bad) {
        free(files);
        return EXIT_ERROR;
    }
    if (!format)
        opts.format = format_of_path(out_path);
    sh_err err = {0};
    int rc = sh_report_files(files, n, out_path, &opts, &err);
    free(files);
    return rc ? fail(&err) : 0;
}

static int cmd_demo(int argc, char **argv)
{
    sh_demo_options opts = {
        .out_dir = "out", .subjects = 400, .images_per_subject = 5, .face_subjects = 300};
    for (int i = 0; i < argc; i += 2) { /* every flag takes a value */
        const char *val = i + 1 < argc ? argv[i + 1] : NULL;
        int bad = 0;
        if (strcmp(argv[i], "--out") == 0 && val)
            opts.out_dir = val;
        else if (strcmp(argv[i], "--threads") == 0)
            bad = parse_threads(&opts.threads, val);
        else if (strcmp(argv[i], "--subjects") == 0)
            bad = parse_count(&opts.subjects, "--subjects", val);
        else if (strcmp(argv[i], "--images") == 0)
            bad = parse_count(&opts.images_per_subject, "--images", val);
        else if (strcmp(argv[i], "--faces") == 0 && val && strcmp(val, "0") == 0)
            opts.face_subjects = 0;
        else if (strcmp(argv[i], "--faces") == 0) {
            if ((bad = parse_count(&opts.face_subjects, NULL, val)))
                fprintf(stderr, "shades: error: --faces needs a count from 0 (no model part) "
                                "to 1000000\n");
        } else if (strcmp(argv[i], "--progress") == 0)
            bad = parse_progress(&opts.progress, val);
        else {
            fprintf(stderr, "shades: error: demo: unexpected argument '%s'\n", argv[i]);
            return EXIT_ERROR;
        }
        if (bad)
            return EXIT_ERROR;
    }
    /* Both runs need impostor pairs (two subjects) and genuine ones (two
     * images): say so before the first writes anything. */
    if (opts.subjects < 2 || opts.images_per_subject < 2 || opts.face_subjects == 1) {
        fprintf(stderr, "shades: error: demo: %s needs 2 or more: its runs need genuine and "
                "impostor pairs\n", opts.subjects < 2 ? "--subjects"
                                    : opts.images_per_subject < 2 ? "--images" : "--faces");
        return EXIT_ERROR;
    }
    sh_err err = {0};
    return sh_demo(&opts, &err) ? fail(&err) : 0;
}

static int cmd_cohort(int argc, char **argv)
{
    if (argc < 1 || argv[0][0] == '-') {
        fprintf(stderr, "shades: error: cohort needs an output directory\n");
        return EXIT_ERROR;
    }
    synth_cohort_spec spec = {100, 4, 1};
    for (int i = 1; i < argc; i += 2) {
        const char *val = i + 1 < argc ? argv[i + 1] : NULL;
        int bad;
        if (strcmp(argv[i], "--subjects") == 0)
            bad = parse_count(&spec.subjects, "--subjects", val);
        else if (strcmp(argv[i], "--images") == 0)
            bad = parse_count(&spec.images_per_subject, "--images", val);
        else if (strcmp(argv[i], "--seed") == 0)
            bad = parse_seed(&spec.seed, val);
        else {
            fprintf(stderr, "shades: error: cohort: unexpected argument '%s'\n", argv[i]);
            return EXIT_ERROR;
        }
        if (bad)
            return EXIT_ERROR;
    }
    if (check_images("cohort", spec.subjects, spec.images_per_subject))
        return EXIT_ERROR;
    sh_err err = {0};
    if (synth_cohort_write(argv[0], &spec, &err))
        return fail(&err);
    printf("%s/manifest.csv: %u subjects x %u images\n", argv[0], spec.subjects,
           spec.images_per_subject);
    return 0;
}

static int cmd_synth(int argc, char **argv)
{
    if (argc < 1 || argv[0][0] == '-') {
        fprintf(stderr, "shades: error: synth needs an output directory\n");
        return EXIT_ERROR;
    }
    synth_faces_spec spec = {.subjects = 100, .images_per_subject = 4, .seed = 1};
    unsigned threads = 1;
    synth_face_params_default(&spec.params);
    for (int i = 1; i < argc; i += 2) {
        const char *val = i + 1 < argc ? argv[i + 1] : NULL;
        int bad;
        char why[160];
        if (strcmp(argv[i], "--subjects") == 0)
            bad = parse_count(&spec.subjects, "--subjects", val);
        else if (strcmp(argv[i], "--images") == 0)
            bad = parse_count(&spec.images_per_subject, "--images", val);
        else if (strcmp(argv[i], "--threads") == 0)
            bad = parse_threads(&threads, val);
        else if (strcmp(argv[i], "--seed") == 0)
            bad = parse_seed(&spec.seed, val);
        else if (strcmp(argv[i], "--set") == 0) {
            bad = !val ? -1 : synth_face_params_set(&spec.params, val, why, sizeof why);
            if (bad)
                fprintf(stderr, "shades: error: synth --set: %s\n", val ? why : "needs key=value");
        } else {
            fprintf(stderr, "shades: error: synth: unexpected argument '%s'\n", argv[i]);
            return EXIT_ERROR;
        }
        if (bad)
            return EXIT_ERROR;
    }
    char why[160];
    if (synth_face_params_check(&spec.params, why, sizeof why)) {
        fprintf(stderr, "shades: error: synth --set: %s\n", why);
        return EXIT_ERROR;
    }
    if (check_images("synth", spec.subjects, spec.images_per_subject))
        return EXIT_ERROR;
    sh_err err = {0};
    int rc = sh_executor_create(&spec.executor, threads, &err);
    if (!rc)
        rc = synth_faces_write(argv[0], &spec, &err);
    sh_executor_destroy(spec.executor);
    if (rc)
        return fail(&err);
    printf("%s/manifest.csv: %u synthetic identities x %u images, %u px (card: %s/card.yaml)\n",
           argv[0], spec.subjects, spec.images_per_subject, spec.params.size, argv[0]);
    return 0;
}

static int cmd_import(int argc, char **argv)
{
    if (argc < 2 || argv[0][0] == '-' || argv[1][0] == '-') {
        char formats[256];
        fprintf(stderr, "shades: error: import needs a format (%s) and an input\n",
                sh_import_format_names(formats, sizeof formats, 0, ", ", ", "));
        return EXIT_ERROR;
    }
    const char *inputs[256];
    sh_import_options o = {.format = argv[0], .inputs = inputs, .log = stderr};
    for (int i = 1; i < argc; i++) {
        if (argv[i][0] != '-' && o.n_inputs < sizeof inputs / sizeof *inputs) {
            inputs[o.n_inputs++] = argv[i];
            continue;
        }
        const char *val = i + 1 < argc ? argv[i + 1] : NULL;
        const char **slot = !strcmp(argv[i], "-o")         ? &o.out_dir
                            : !strcmp(argv[i], "--images") ? &o.images
                            : !strcmp(argv[i], "--race")   ? &o.race
                                                           : NULL;
        if (!slot || !val) {
            fprintf(stderr, "shades: error: import: %s '%s'\n",
                    slot ? "no value after" : "unexpected argument", argv[i]);
            return EXIT_ERROR;
        }
        *slot = val;
        i++;
    }
    if (!o.out_dir) {
        fprintf(stderr, "shades: error: import needs -o DIR for the manifest\n");
        return EXIT_ERROR;
    }
    sh_err err = {0};
    sh_import_result r;
    if (sh_import(&r, &o, &err))
        return fail(&err);
    printf("%s/manifest.csv: %zu images from %zu file%s (%s); image paths are relative to %s\n",
           o.out_dir, r.n_images, r.n_files, r.n_files == 1 ? "" : "s", o.format, r.root);
    if (r.n_pairs)
        printf("%s/pairs.csv: %zu pairs\n", o.out_dir, r.n_pairs);
    printf(r.card_kept ? "%s/card.yaml: kept as it was; update its manifest_sha256 and root\n"
                       : "%s/card.yaml: fill in its TODO fields before a run\n", o.out_dir);
    return 0;
}

/* Refuses a check-adapter folder option naming no folder; prints the
 * error itself. */
static int need_dir(const char *flag, const char *val)
{
    struct stat st;
    int found = stat(val, &st) == 0;
    if (found && S_ISDIR(st.st_mode))
        return 0;
    fprintf(stderr, "shades: error: %s %s: %s\n", flag, val,
            found ? "not a directory" : strerror(errno));
    return -1;
}

static int cmd_check_adapter(int argc, char **argv)
{
    if (argc < 1 || argv[0][0] == '-') {
        fprintf(stderr, "shades: error: check-adapter needs an adapter name or path%s\n",
                argc ? " first, then its options" : "");
        return EXIT_ERROR;
    }
    sh_check_options o = {.spec = argv[0], .out = stdout};
    char options[4096] = "";
    size_t used = 0;
    static const char *const known[] = {"--images", "--max-images", "--config-dir", "--timeout",
                                        "--timing", "--option", "--junit", NULL};
    for (int i = 1; i < argc; i += 2) {
        const char *val = i + 1 < argc ? argv[i + 1] : NULL;
        size_t k = 0;
        while (known[k] && strcmp(argv[i], known[k]))
            k++;
        if (!known[k]) {
            fprintf(stderr, "shades: error: check-adapter: unexpected argument '%s'\n", argv[i]);
            return EXIT_ERROR;
        }
        if (!val) {
            fprintf(stderr, "shades: error: check-adapter: %s needs a value\n", argv[i]);
            return EXIT_ERROR;
        }
        if (strcmp(argv[i], "--images") == 0) {
            if (need_dir("--images", val))
                return EXIT_ERROR;
            o.images = val;
        } else if (strcmp(argv[i], "--max-images") == 0) {
            if (parse_count(&o.max_images, "--max-images", val))
                return EXIT_ERROR;
        } else if (strcmp(argv[i], "--config-dir") == 0) {
            if (need_dir("--config-dir", val))
                return EXIT_ERROR;
            o.config_dir = val;
        } else if (strcmp(argv[i], "--timeout") == 0) {
            if (parse_count(&o.timeout_s, "--timeout", val))
                return EXIT_ERROR;
        } else if (strcmp(argv[i], "--timing") == 0) {
            if (sh_check_timing_parse(&o.timing, val)) {
                fprintf(stderr, "shades: error: --timing needs fail, warn or off\n");
                return EXIT_ERROR;
            }
        } else if (strcmp(argv[i], "--junit") == 0) {
            o.junit = val;
        } else if (strcmp(argv[i], "--option") == 0 && strchr(val, '=') &&
                   used + strlen(val) + 2 < sizeof options) {
            used += (size_t)sprintf(options + used, "%s\n", val);
        } else {
            fprintf(stderr, "shades: error: check-adapter: unknown or malformed option '%s %s'\n",
                    argv[i], val);
            return EXIT_ERROR;
        }
    }
    o.options = options;
    sh_err err = {0};
    int rc = sh_check_adapter(&o, &err);
    return rc < 0 ? fail(&err) : rc;
}

static int cmd_info(int argc, char **argv)
{
    if (argc != 1) {
        fprintf(stderr, "shades: error: info needs one adapter name or path\n");
        return EXIT_ERROR;
    }
    sh_err err = {0};
    sh_plugin *p;
    if (sh_plugin_open(&p, argv[0], &err))
        return fail(&err);
    sh_identity id;
    sh_identity_of(&id, p->entry);
    char caps[512], path[4 * PATH_MAX];
    sh_capabilities_describe(caps, sizeof caps, id.capabilities);
    sh_utf8_printable(path, sizeof path, p->path);
    printf("library:      %s\nname:         %s\nversion:      %s\nvendor:       %s\n"
           "description:  %s\nabi:          %u.%u (harness %d.%d)\ncapabilities: %s\n",
           path, id.name, id.version, id.vendor, id.description, id.abi_major, id.abi_minor,
           SHADES_ABI_MAJOR, SHADES_ABI_MINOR, caps);
    sh_plugin_close(p);
    return 0;
}

/* -h or --help anywhere among a command's arguments. */
static int asks_help(int argc, char **argv)
{
    for (int i = 0; i < argc; i++)
        if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0)
            return 1;
    return 0;
}

static int cmd_help(int argc, char **argv)
{
    if (argc == 0) {
        sh_help_overview(stdout);
        return 0;
    }
    if (argc > 1 || sh_help_command(stdout, argv[0])) {
        fprintf(stderr, "shades: error: help: no command '%s' (commands: %s)\n", argv[0],
                sh_help_commands);
        return EXIT_ERROR;
    }
    return 0;
}

static int cmd_version(void)
{
    printf("shades %s (adapter ABI %d.%d)\n", SH_VERSION, SHADES_ABI_MAJOR, SHADES_ABI_MINOR);
    return 0;
}

static int cmd_keygen(int argc, char **argv)
{
    if (argc != 1 || argv[0][0] == '-') {
        fprintf(stderr, "shades: error: keygen needs one key file to write\n");
        return EXIT_ERROR;
    }
    sh_err err = {0};
    sh_key *k = NULL;
    if (sh_key_generate(argv[0], &err) || sh_key_load(&k, argv[0], 1, &err))
        return fail(&err);
    char fpr[SH_KEY_FPR];
    sh_key_fingerprint(fpr, k);
    sh_key_destroy(k);
    printf("private key: %s (owner only)\npublic key:  %s.pub\nfingerprint: %s\n", argv[0],
           argv[0], fpr);
    return 0;
}

/* FILE and --key KEY from a command's arguments; prints its own error. */
static int file_and_key(const char **file, const char **key, const char *cmd, int argc,
                        char **argv)
{
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--key") == 0 && i + 1 < argc && argv[i + 1][0]) {
            *key = argv[++i];
        } else if (!*file && argv[i][0] != '-') {
            *file = argv[i];
        } else {
            fprintf(stderr, "shades: error: %s: unexpected argument '%s'\n", cmd, argv[i]);
            return -1;
        }
    }
    if (!*file) {
        fprintf(stderr, "shades: error: %s needs a results file\n", cmd);
        return -1;
    }
    return 0;
}

static int cmd_sign(int argc, char **argv)
{
    const char *file = NULL, *key = NULL;
    if (file_and_key(&file, &key, "sign", argc, argv))
        return EXIT_ERROR;
    if (!key) {
        fprintf(stderr, "shades: error: sign needs --key PRIVATE.pem\n");
        return EXIT_ERROR;
    }
    sh_err err = {0};
    sh_key *k = NULL;
    sh_results *r = NULL;
    /* Only a results file is signed: the reader names what else it is. */
    int rc = sh_key_load(&k, key, 1, &err);
    if (!rc)
        rc = sh_h5_read(&r, file, &err);
    sh_results_destroy(r);
    if (!rc)
        rc = sh_h5_sign_file(file, k, &err);
    char fpr[SH_KEY_FPR] = "";
    if (!rc)
        sh_key_fingerprint(fpr, k);
    sh_key_destroy(k);
    if (rc)
        return fail(&err);
    printf("%s: signed by key %s\n", file, fpr);
    return 0;
}

static int cmd_verify(int argc, char **argv)
{
    const char *file = NULL, *key = NULL;
    if (file_and_key(&file, &key, "verify", argc, argv))
        return EXIT_ERROR;
    sh_err err = {0};
    sh_key *k = NULL;
    sh_sig_status st;
    int rc = key ? sh_key_load(&k, key, 0, &err) : 0;
    if (!rc)
        rc = sh_h5_verify(&st, file, k, &err);
    sh_key_destroy(k);
    if (rc)
        return fail(&err);
    char line[2048];
    sh_sig_describe(line, sizeof line, &st);
    printf("%s: %s\n", file, line);
    /* 0 valid; 1 altered, unsigned or another key's. */
    return st.state == SH_SIG_VALID ? 0 : 1;
}

static int cmd_rerun(int argc, char **argv)
{
    if (argc != 1 || argv[0][0] == '-') {
        fprintf(stderr, "shades: error: rerun needs one results file\n");
        return EXIT_ERROR;
    }
    sh_err err = {0};
    char diff[2048] = "";
    int rc = sh_rerun(diff, sizeof diff, argv[0], &err);
    if (rc < 0)
        return fail(&err);
    if (rc)
        printf("%s: differs: %s\n", argv[0], diff);
    else
        printf("%s: identical: every table of the rerun, and its verdict, matches the file\n",
               argv[0]);
    return rc;
}

/* A command's name and what runs it. */
typedef struct command {
    const char *name;
    int (*fn)(int argc, char **argv);
} command;

static const command commands[] = {
    {"run", cmd_run},       {"report", cmd_report},
    {"demo", cmd_demo},     {"cohort", cmd_cohort},
    {"synth", cmd_synth},   {"check-adapter", cmd_check_adapter},
    {"info", cmd_info},     {"import", cmd_import},
    {"keygen", cmd_keygen}, {"sign", cmd_sign},
    {"verify", cmd_verify}, {"rerun", cmd_rerun},
    {"help", cmd_help},
};

/* Opens /dev/null on each of descriptors 0, 1 and 2 found closed: the next
 * file the harness opened would take its number, and what is printed to
 * stdout or stderr (by the harness or, while stdout points at stderr, by an
 * engine) would land in that file, or replace it. */
static void std_fds_open(void)
{
    for (int fd = 0; fd < 3; fd++)
        if (fcntl(fd, F_GETFD) < 0 && errno == EBADF) {
            int null = open("/dev/null", fd ? O_WRONLY : O_RDONLY);
            if (null >= 0 && null != fd) {
                dup2(null, fd);
                close(null);
            }
        }
}

int main(int argc, char **argv)
{
    /* OpenCV's own cap on decoded pixels, read once at its first decode:
     * set to ours so no codec allocates a hostile header's full size. */
    setenv("OPENCV_IO_MAX_IMAGE_PIXELS", "268435456", 0);
    if (argc < 2) {
        sh_help_overview(stderr);
        return EXIT_ERROR;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "__worker") == 0)
        return sh_worker_main(argc - 2, argv + 2);
    std_fds_open();
    if (strcmp(cmd, "-h") == 0 || strcmp(cmd, "--help") == 0)
        return cmd_help(argc - 2, argv + 2);
    if (strcmp(cmd, "-V") == 0 || strcmp(cmd, "--version") == 0)
        return cmd_version();
    if (strcmp(cmd, "version") == 0)
        return asks_help(argc - 2, argv + 2) ? cmd_help(1, argv + 1) : cmd_version();
    for (size_t k = 0; k < sizeof commands / sizeof commands[0]; k++)
        if (strcmp(cmd, commands[k].name) == 0)
            return asks_help(argc - 2, argv + 2) ? cmd_help(1, argv + 1)
                                                 : commands[k].fn(argc - 2, argv + 2);
    fprintf(stderr, "shades: error: unknown command '%s' (try shades help)\n", cmd);
    return EXIT_ERROR;
}
