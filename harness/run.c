#include "run.h"

#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "build_info.h"
#include "engine_provenance.h"
#include "engine_reach.h"
#include "guard.h"
#include "h5_write.h"
#include "model_card_record.h"
#include "model_files.h"
#include "report_tables.h"
#include "paths.h"
#include "plugin.h"
#include "provenance.h"
#include "results.h"
#include "report.h"
#include "run_outputs.h"
#include "run_state.h"
#include "utf8.h"
#include "version.h"
#include "yaml_file.h"

/* Points stdout at stderr while an in-process engine lives, so what the
 * engine prints (a vendor library's banner, an FRVT library's debugging)
 * never lands among the tables: the harness itself writes nothing to stdout
 * until the engine has ended. Returns stdout's own descriptor, or -1 where
 * stdout or stderr is not open (nothing is moved then). */
static int stdout_divert(void)
{
    fflush(stdout);
    int saved = fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3);
    if (saved >= 0 && dup2(STDERR_FILENO, STDOUT_FILENO) < 0) {
        close(saved);
        saved = -1;
    }
    return saved;
}

/* Sends what the engine left in stdout's buffer on to stderr, and points
 * stdout back at its own descriptor. */
static void stdout_restore(int *saved)
{
    if (*saved < 0)
        return;
    fflush(stdout);
    dup2(*saved, STDOUT_FILENO);
    close(*saved);
    *saved = -1;
}

static void run_state_free(run_state *s)
{
    sh_executor_destroy(s->executor);
    sh_vresults_destroy(s->vresults);
    free(s->verdicts);
    free(s->rank_hosts);
    sh_iresults_destroy(s->iresults);
    sh_cresults_destroy(s->cresults);
    sh_failures_destroy(s->failures);
    free(s->model_files);
    free(s->provenance);
    free(s->genuine);
    free(s->impostor);
    free(s->genuine_faults);
    free(s->impostor_faults);
    free(s->estimate_outcome);
    free(s->no_failures);
    free(s->no_prediction);
    free(s->no_score);
    sh_pairs_destroy(s->pairs);
    sh_templates_destroy(s->templates);
    sh_instance_destroy(s->inst);
    stdout_restore(&s->engine_stdout);
    sh_groups_destroy(s->groups);
    sh_card_destroy(s->card);
    sh_model_card_destroy(s->model_card);
    sh_manifest_destroy(s->manifest);
    sh_config_destroy(s->config);
    sh_progress_destroy(s->progress);
    sh_checkpoint_close(s->checkpoint, 0, NULL);
    sh_key_destroy(s->sign_key);
}

static const char *protocol_name(sh_protocol p)
{
    return p == SH_PROTOCOL_IDENTIFICATION   ? "identification"
           : p == SH_PROTOCOL_CLASSIFICATION ? "classification"
                                                 : "verification";
}

/* The card, checked against the manifest, and its withdrawn-dataset
 * warning, which goes to stderr at once: the run's output must carry it
 * even when the run fails later. */
static int dataset_card(run_state *s, sh_err *err)
{
    int rc = sh_sha256_file(s->manifest_sha, s->manifest->path, err);
    if (rc || !s->card)
        return rc;
    rc = sh_card_check(s->card, s->manifest->path, s->manifest_sha, err);
    if (!rc && sh_card_withdrawn(s->warning, sizeof s->warning, s->card))
        sh_utf8_print_line(stderr, "shades: warning: dataset '%s': %s", s->card->name,
                           s->warning);
    return rc;
}

/* The adapter as the results record it: the engine's library, or for
 * replay the file replayed. */
static int adapter_info(sh_run_info *info, char *sha, const run_state *s, sh_err *err)
{
    if (s->inst) {
        const sh_identity *id = &s->inst->id;
        info->adapter_name = (char *)id->name;
        info->adapter_version = (char *)id->version;
        info->adapter_vendor = (char *)id->vendor;
        info->adapter_library = s->inst->path;
        info->adapter_abi_major = id->abi_major;
        info->adapter_abi_minor = id->abi_minor;
    } else {
        const sh_cfg_engine *e = &s->config->engine;
        info->adapter_name = SH_REPLAY;
        info->adapter_version = SH_VERSION; /* the replay reader is part of shades */
        info->adapter_vendor = "";
        info->adapter_library = (char *)sh_config_replayed(e);
    }
    return sh_sha256_file(sha, info->adapter_library, err);
}

/* A rerun's refusal: the adapter or manifest differs from the one the
 * results file it reproduces records. */
static int check_expected(const run_state *s, const sh_run_options *opts, sh_err *err)
{
    if (!opts || !opts->expect_from)
        return 0;
    const sh_cfg_engine *e = &s->config->engine;
    const char *lib = s->inst ? s->inst->path : sh_config_replayed(e);
    char sha[SH_SHA256_HEX];
    int rc = sh_sha256_file(sha, lib, err);
    if (!rc && opts->expect_adapter_sha256 && strcmp(sha, opts->expect_adapter_sha256))
        return sh_err_set(err, SH_E_INPUT,
                          "rerun %s: adapter %s (sha256 %s) is not the one the file records; "
                          "refusing",
                          opts->expect_from, lib, sha);
    const char *card_sha = s->model_card ? s->model_card->sha256 : "";
    if (!rc && opts->expect_model_card_sha256 && strcmp(card_sha, opts->expect_model_card_sha256))
        return sh_err_set(err, SH_E_INPUT,
                          "rerun %s: model card %s (sha256 %s) is not the one the file records; "
                          "refusing",
                          opts->expect_from,
                          s->model_card ? s->model_card->path : "(none)",
                          card_sha[0] ? card_sha : "none");
    const char *service_sha = s->has_service ? s->service.sha256 : "";
    if (!rc && opts->expect_service_sha256 && strcmp(service_sha, opts->expect_service_sha256))
        return sh_err_set(err, SH_E_INPUT,
                          "rerun %s: service description %s (sha256 %s) is not the one the "
                          "file records; refusing",
                          opts->expect_from, s->has_service ? s->service.path : "(none)",
                          service_sha[0] ? service_sha : "none");
    if (!rc && opts->expect_manifest_sha256 &&
        strcmp(s->manifest_sha, opts->expect_manifest_sha256))
        return sh_err_set(err, SH_E_INPUT,
                          "rerun %s: manifest %s (sha256 %s) is not the one the file records; "
                          "refusing",
                          opts->expect_from, s->manifest->path, s->manifest_sha);
    /* The images themselves, before the engine sees one: a difference they
     * made would otherwise read as the engine's or the harness's. */
    if (!rc && s->inst && opts->expect_images_merkle_root && opts->expect_images_merkle_root[0]) {
        sh_provenance prov;
        rc = sh_provenance_collect(&prov, s->manifest, NULL, 1, err);
        if (!rc && strcmp(prov.images_merkle_root, opts->expect_images_merkle_root))
            return sh_err_set(err, SH_E_INPUT,
                              "rerun %s: the images of manifest %s (Merkle root %s) are not the "
                              "ones the file records (%s): an image file changed; refusing",
                              opts->expect_from, s->manifest->path, prov.images_merkle_root,
                              opts->expect_images_merkle_root);
    }
    return rc;
}

/* The checkpoint as messages name it: its directory, or under MPI every
 * rank's ("DIR.rank-*-of-N"). */
static void checkpoint_name(char *out, size_t cap, const run_state *s)
{
    const char *dir = sh_checkpoint_dir(s->checkpoint);
    unsigned n = sh_ranks_size(s->ranks);
    const char *suffix = n > 1 ? strrchr(dir, '.') : NULL;
    if (suffix && strncmp(suffix, ".rank-", 6) == 0)
        snprintf(out, cap, "%.*s.rank-*-of-%u", (int)(suffix - dir), dir, n);
    else
        snprintf(out, cap, "%s", dir);
}

/* A run of `size` ranks whose checkpoint dir (its first base_len bytes:
 * the run's base path) is not there, where a run of another number of
 * ranks left one: refused, naming that number, since blocks are dealt to
 * ranks by their count (with resume: resume it with as many; without: it
 * holds an interrupted run's work, as a checkpoint of the same count
 * would, sh_checkpoint_open). */
static int other_ranks_checkpoint(const char *dir, size_t base_len, unsigned size, int resume,
                                  sh_err *err)
{
    struct stat st;
    if (stat(dir, &st) == 0)
        return 0;
    char pattern[PATH_MAX + 32];
    snprintf(pattern, sizeof pattern, "%.*s", (int)base_len, dir);
    unsigned found = stat(pattern, &st) == 0 ? 1 : 0;
    glob_t g = {0};
    if (!found) {
        snprintf(pattern + base_len, sizeof pattern - base_len, ".rank-0-of-*");
        if (glob(pattern, GLOB_NOSORT, NULL, &g) == 0 && g.gl_pathc)
            sscanf(g.gl_pathv[0] + base_len, ".rank-0-of-%u", &found);
        globfree(&g);
    }
    if (!found || found == size)
        return 0;
    char how[64] = "without mpirun";
    if (found > 1)
        snprintf(how, sizeof how, "with as many (mpirun -n %u)", found);
    if (!resume)
        return sh_err_set(err, SH_E_INPUT,
                              "the checkpoint at %.*s%s holds the work of an interrupted run of "
                              "%u rank%s: continue it (--resume) %s, or delete it",
                              (int)base_len, dir, found > 1 ? ".rank-*" : "", found,
                              found > 1 ? "s" : "", how);
    return sh_err_set(err, SH_E_INPUT,
                          "--resume: the checkpoint at %.*s%s was left by a run of %u rank%s; "
                          "resume it %s, or delete it",
                          (int)base_len, dir, found > 1 ? ".rank-*" : "", found,
                          found > 1 ? "s" : "", how);
}

/* The checkpoint of an engine run (replay calls no engine, so it has
 * none), new or, with --resume, the one a killed run left. Its identity
 * names everything the saved work depends on. */
static int open_checkpoint(run_state *s, const sh_run_options *opts, sh_err *err)
{
    const sh_config *c = s->config;
    char config_sha[SH_SHA256_HEX], adapter_sha[SH_SHA256_HEX], dir[PATH_MAX];
    char identity[1024];
    if (!s->inst || (opts && opts->no_checkpoint))
        return 0;
    int rc = sh_sha256_bytes(config_sha, c->text, strlen(c->text), err);
    if (!rc)
        rc = sh_sha256_file(adapter_sha, s->inst->path, err);
    if (rc)
        return rc;
    if ((size_t)snprintf(dir, sizeof dir, "%s%s", c->output.checkpoint ? c->output.checkpoint
                                                                       : c->output.results,
                         c->output.checkpoint ? "" : ".checkpoint") >= sizeof dir)
        return sh_err_set(err, SH_E_INPUT, "%s: field 'output': checkpoint path too long",
                              c->path);
    /* Each rank keeps its own blocks; a resume needs as many ranks. */
    unsigned rank = sh_ranks_rank(s->ranks), size = sh_ranks_size(s->ranks);
    size_t base_len = strlen(dir);
    if (size > 1 && (size_t)snprintf(dir + base_len, sizeof dir - base_len, ".rank-%u-of-%u",
                                     rank, size) >= sizeof dir - base_len)
        return sh_err_set(err, SH_E_INPUT, "%s: field 'output': checkpoint path too long",
                              c->path);
    if ((rc = other_ranks_checkpoint(dir, base_len, size, opts && opts->resume, err)))
        return rc;
    char ranks[64] = "";
    if (size > 1)
        snprintf(ranks, sizeof ranks, "ranks %u of %u\n", rank, size);
    char model_card[128] = ""; /* the model set the saved work was computed with */
    if (s->model_card)
        snprintf(model_card, sizeof model_card, "model_card %s\n", s->model_card->sha256);
    char service[128] = ""; /* the service description the engine answered through */
    if (s->has_service)
        snprintf(service, sizeof service, "service_description %s\n", s->service.sha256);
    /* The tiles fix declared embeddings' scores to the last float bit: work
     * saved with others (another build's, or SHADES_EMBEDDING_BLOCK's)
     * would mix two computations in one result. */
    size_t rows, probes;
    sh_run_tiles(&rows, &probes);
    char tiles[96];
    snprintf(tiles, sizeof tiles, "tiles %zu %zu %d\n", rows, probes, SH_SEARCH_TILE);
    /* So do the BLAS kernels (another library build, another CPU, or
     * OPENBLAS_CORETYPE); an engine's own scores do not depend on them. */
    char blas[256] = "";
    if (s->inst->has_embedding)
        snprintf(blas, sizeof blas, "blas %s\n", sh_build_blas());
    /* "images hashed": template blocks hold their images' hashes (a
     * checkpoint from before them is another run's). */
    snprintf(identity, sizeof identity,
             "shades %s\nconfig %s\nmanifest %s\nadapter %s\nimages hashed\n%s%s%s%s%s%s\n",
             SH_VERSION,
             config_sha, s->manifest_sha, adapter_sha, ranks, model_card, service, tiles, blas,
             s->inst->calls->identity);
    int resumed = 0, resume = opts && opts->resume;
    rc = sh_checkpoint_open(&s->checkpoint, &resumed, dir, identity, resume, err);
    /* The command that continues it: this run's config (quoted where the
     * shell would split it) and its --isolate. */
    if (rc && !resume && strstr(err->msg, " holds an interrupted run: ")) {
        int plain = strspn(c->path, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                    "0123456789_-./+,:@%") == strlen(c->path);
        rc = sh_err_set(err, rc, "checkpoint %s holds an interrupted run: continue it with "
                        "'shades run %s%s%s%s --resume', or delete the directory to start over",
                        dir, plain ? "" : "\"", c->path, plain ? "" : "\"",
                        opts && opts->isolate ? " --isolate" : "");
    }
    char named[PATH_MAX + 16];
    if (!rc) {
        checkpoint_name(named, sizeof named, s);
        /* An engine that kills the run then leaves it: its message says so. */
        sh_guard_set_checkpoint(named);
    }
    if (!rc && resume)
        fprintf(stderr,
                resumed ? "shades: resuming from checkpoint %s\n"
                        : "shades: no checkpoint at %s; starting from the beginning\n",
                named);
    return rc;
}

/* Ends the checkpoint: deleted after a complete run unless kept, kept
 * for --resume after a failed one that saved or found work, which the
 * failure's message (err, when it has one) then says, so that it stays one
 * line. */
static void close_checkpoint(run_state *s, int complete, const sh_run_options *opts,
                             sh_err *err)
{
    uint64_t restored, found, saved;
    sh_checkpoint_counts(&restored, &found, &saved, s->checkpoint);
    (void)restored; /* the message gives every rank's (s->totals) */
    fflush(stdout); /* the tables before these lines, when both go to one file */
    /* A complete run summed every rank's counts (sum_over_ranks). */
    if (complete && found)
        fprintf(stderr, "shades: resumed: %llu blocks restored from the checkpoint%s, the rest "
                        "computed\n",
                (unsigned long long)s->totals[0],
                sh_ranks_size(s->ranks) > 1 ? "s of every rank" : "");
    int keep = complete ? opts && opts->keep_checkpoint : found || saved;
    char dir[PATH_MAX + 16];
    checkpoint_name(dir, sizeof dir, s);
    /* A failure that already says to delete the checkpoint (it cannot be
     * resumed) gets no note saying to resume it. */
    if (!complete && keep && !(err && strstr(err->msg, "delete the checkpoint"))) {
        char raw[sizeof dir + 256], note[4 * sizeof raw];
        snprintf(raw, sizeof raw, "the work done so far is kept in checkpoint %s; continue "
                 "it with --resume once the cause is fixed (with the same config, manifest "
                 "and engine library: a changed one cannot resume it, so delete the checkpoint "
                 "and run afresh after changing any of them)", dir);
        sh_utf8_printable(note, sizeof note, raw); /* the path is the config's */
        size_t len = err ? strlen(err->msg) : 0, more = strlen(note);
        if (len && len + 2 + more < sizeof err->msg) {
            memcpy(err->msg + len, "; ", 2);
            memcpy(err->msg + len + 2, note, more + 1);
        } else
            fprintf(stderr, "shades: %s\n", note);
    }
    sh_err closing = {0};
    if (sh_checkpoint_close(s->checkpoint, !keep, &closing))
        fprintf(stderr, "shades: warning: %s\n", closing.msg);
    s->checkpoint = NULL;
}

/* Comparisons the engine's calls faulted on (crashed, hung or broke the
 * ABI, as a score that is not finite), as failure rows naming the verify
 * image. */
static int pair_failures(run_state *s, sh_err *err)
{
    const uint8_t *faults[2] = {s->genuine_faults, s->impostor_faults};
    const sh_pair *pairs[2] = {s->pairs ? s->pairs->genuine : NULL,
                                   s->pairs ? s->pairs->impostor : NULL};
    size_t n[2] = {s->pairs ? s->pairs->n_genuine : 0, s->pairs ? s->pairs->n_impostor : 0};
    for (int k = 0; k < 2; k++)
        for (size_t j = 0; faults[k] && j < n[k]; j++) {
            int rc = faults[k][j] == SH_FAULT_NONE
                         ? 0
                         : sh_failures_add(s->failures, s->manifest, pairs[k][j].b, "compare",
                                               sh_fault_outcome(faults[k][j]), err);
            if (rc)
                return rc;
        }
    return 0;
}

static int cmp_item(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* Replayed rows without a score (failed comparisons, scored as never
 * matching), as failure rows naming the verify image, as a faulted
 * comparison of an engine's is. Returns how many through *out_n. */
static int replay_failures(size_t *out_n, run_state *s, sh_err *err)
{
    *out_n = 0;
    if (s->inst || !s->pairs)
        return 0;
    const double *scores[2] = {s->genuine, s->impostor};
    const sh_pair *pairs[2] = {s->pairs->genuine, s->pairs->impostor};
    size_t n[2] = {s->pairs->n_genuine, s->impostor ? s->pairs->n_impostor : 0}, count = 0;
    for (int k = 0; k < 2; k++)
        for (size_t j = 0; scores[k] && j < n[k]; j++)
            count += scores[k][j] == -INFINITY;
    if (!count && !s->n_no_score)
        return 0;
    /* In image order, so that a streamed replay and a listed one (whose
     * pairs come in another order) write the same rows. */
    uint32_t *item = malloc((count + s->n_no_score) * sizeof *item);
    if (!item)
        return sh_err_nomem(err);
    count = 0;
    for (int k = 0; k < 2; k++)
        for (size_t j = 0; scores[k] && j < n[k]; j++)
            if (scores[k][j] == -INFINITY)
                item[count++] = pairs[k][j].b;
    for (size_t j = 0; j < s->n_no_score; j++)
        item[count++] = s->no_score[j];
    qsort(item, count, sizeof *item, cmp_item);
    int rc = 0;
    for (size_t j = 0; j < count && !rc; j++)
        rc = sh_failures_add(s->failures, s->manifest, item[j], "compare", SH_RUN_NO_SCORE, err);
    free(item);
    *out_n = count;
    return rc;
}

/* The run summary's line on the engine's provenance: how many lines, and
 * their keys (their values are in the file and the full report). */
static void print_provenance(FILE *out, const run_state *s)
{
    char keys[200] = "";
    size_t len = 0;
    for (size_t i = 0; i < s->n_provenance && len < sizeof keys; i++) {
        int n = snprintf(keys + len, sizeof keys - len, "%s%s", i ? ", " : "",
                         s->provenance[i].key);
        len += n < 0 ? 0 : (size_t)n;
    }
    if (len >= sizeof keys)
        memcpy(keys + sizeof keys - 4, "...", 4);
    fprintf(out, "        provenance: %zu line%s from the engine (%s)%s%s\n", s->n_provenance,
            s->n_provenance == 1 ? "" : "s", SHADES_EXT_PROVENANCE, len ? ": " : "", keys);
}

/* Warns of scores the wrong way round (distances, sh_vresults_distances),
 * as the report's summary does from the file. */
static void warn_distances(const run_state *s)
{
    const sh_vresults *v = s->vresults;
    if (!sh_vresults_distances(v))
        return;
    fprintf(stderr, "shades: warning: genuine pairs score below impostor pairs (AUC %.3f over "
            "the pairs with a score): shades reads a higher score as more alike; scores that are "
            "distances need their sign turned (%s)\n", sh_vresults_scored_auc(v),
            s->inst ? "an engine's compare returns a similarity: docs/adapter-guide.md"
                    : "docs/datasets.md, \"Replay\"");
}

static int write_results(run_state *s, const sh_run_options *opts, sh_err *err)
{
    const sh_config *c = s->config;
    const char *results = opts && opts->results_path ? opts->results_path : c->output.results;
    int rc = sh_failures_collect(&s->failures, s->manifest,
                                     s->estimate_outcome ? s->estimate_outcome : s->outcome,
                                     s->estimate_outcome ? "estimate" : "template", err);
    if (!rc)
        rc = pair_failures(s, err);
    size_t no_score = 0;
    if (!rc)
        rc = replay_failures(&no_score, s, err);
    /* Images that came back without a class, unless their call failed. */
    for (size_t i = 0; !rc && s->no_prediction && i < s->manifest->n_items; i++)
        if (s->no_prediction[i] &&
            (!s->estimate_outcome || s->estimate_outcome[i] == SHADES_OUTCOME_OK))
            rc = sh_failures_add(s->failures, s->manifest, i, "prediction",
                                     SH_RUN_NO_PREDICTION, err);
    /* The config's path absolute, so that rerun finds it from anywhere. */
    char config_path[PATH_MAX], manifest_path[PATH_MAX], cwd[PATH_MAX] = "/";
    if (!rc && (c->path[0] != '/' || s->manifest->path[0] != '/') && !getcwd(cwd, sizeof cwd))
        rc = sh_err_set(err, SH_E_IO, "cannot read the working directory");
    if (!rc)
        rc = sh_path_join(config_path, sizeof config_path, cwd, c->path, err);
    /* The file the run read, whichever folder named it ("./m.csv" or
     * "out/m.csv"); joined as the config's where it has gone since. */
    if (!rc && !realpath(s->manifest->path, manifest_path))
        rc = sh_path_join(manifest_path, sizeof manifest_path, cwd, s->manifest->path, err);
    char adapter_sha[SH_SHA256_HEX], isolation[600] = "replayed scores";
    char repeat[512] = "not checked: replayed scores";
    if (s->inst && c->protocol == SH_PROTOCOL_VERIFICATION)
        sh_repeat_describe(repeat, sizeof repeat, &s->repeat, s->inst, s->manifest);
    else if (s->inst)
        snprintf(repeat, sizeof repeat, "not checked: checked in verification runs only");
    if (s->repeat.differed)
        fprintf(stderr, "shades: warning: engine '%s': %s\n", s->inst->id.name, repeat);
    if (s->vresults && s->pairs)
        warn_distances(s);
    if (s->inst)
        s->inst->calls->describe(isolation, sizeof isolation, s->inst);
    sh_results r = {
        .info =
            {
                .run_name = c->run.name,
                .config_path = config_path,
                .config_text = c->text,
                .manifest_path = manifest_path,
                .manifest_sha256 = s->manifest_sha,
                .dataset_card = s->card ? s->card->text : "",
                .dataset_name = s->card ? s->card->name : "",
                .dataset_warning = s->warning,
                .engine_isolation = isolation,
                .engine_repeatability = repeat,
                .protocol = (char *)protocol_name(c->protocol),
                .n_images = s->manifest->n_items,
                .n_subjects = s->manifest->n_subjects,
                .seed = c->run.seed,
                .threads = s->threads,
                .ranks = sh_ranks_size(s->ranks),
                .rank_hosts = s->rank_hosts,
                .min_subjects = c->groups.min_subjects,
            },
        .verification = s->vresults,
        .identification = s->iresults,
        .classification = s->cresults,
        .n_verdicts = c->criteria_count,
        .verdicts = s->verdicts,
        .failures = s->failures,
        .has_model_files = s->inst != NULL,
        .n_model_files = s->n_model_files,
        .model_files = s->model_files,
    };
    sh_model_card_info model_card = {0};
    if (!rc && s->model_card) {
        rc = sh_model_card_record(&model_card, s->model_card, s->model_warning, err);
        r.model_card = rc ? NULL : &model_card;
    }
    sh_service_info service = {0};
    if (s->has_service) {
        sh_service_record(&service, &s->service);
        r.service = &service;
    }
    r.has_provenance = s->has_provenance;
    r.n_provenance = s->n_provenance;
    r.provenance = s->provenance;
    if (!rc)
        rc = adapter_info(&r.info, adapter_sha, s, err);
    r.info.adapter_sha256 = adapter_sha;
    /* A 1:N replay's gallery decides every search's kind, so it is pinned
     * like the candidate lists themselves. */
    char gallery_sha[SH_SHA256_HEX] = "";
    const sh_cfg_candidates *cand = s->inst ? NULL : c->engine.candidates;
    if (!rc && cand && cand->gallery)
        rc = sh_sha256_file(gallery_sha, cand->gallery, err);
    r.info.replay_gallery_sha256 = gallery_sha;
    /* The pair list decides every pair and fold measured. */
    char pairs_sha[SH_SHA256_HEX] = "";
    if (!rc && c->protocol == SH_PROTOCOL_VERIFICATION && c->verification.pairs)
        rc = sh_sha256_file(pairs_sha, c->verification.pairs->file, err);
    r.info.pairs_sha256 = pairs_sha;
    sh_provenance prov;
    if (!rc)
        rc = sh_provenance_collect(&prov, s->manifest, c->dataset.card, s->inst != NULL, err);
    if (!rc) {
        r.info.card_sha256 = prov.card_sha256;
        r.info.host_cpu = prov.host_cpu;
        r.info.host_os = prov.host_os;
        r.info.images_merkle_root = prov.images_merkle_root;
        r.info.images_hashed = prov.images_hashed;
        rc = sh_h5_write_signed(s->results_path, &r, s->sign_key, err);
    }
    sh_model_card_record_release(&model_card);
    r.model_card = NULL;
    if (rc || !opts || !opts->report)
        return rc;
    FILE *out = opts->report;
    sh_utf8_print_line(out, "shades: %s: %s of %zu images of %zu subjects, %s %s", c->run.name,
                       protocol_name(c->protocol), s->manifest->n_items,
                       s->manifest->n_subjects, s->inst ? "engine" : "replaying",
                       s->inst ? r.info.adapter_name : r.info.adapter_library);
    if (s->pairs)
        fprintf(out, "        %zu genuine and %zu impostor pairs%s%s\n", s->pairs->n_genuine,
                s->pairs->n_impostor, s->replay_reads[0] ? "; " : "", s->replay_reads);
    /* A sample asked for larger than every impostor pair there is. */
    if (s->pairs && c->verification.impostors && !strcmp(c->verification.impostors, "sample") &&
        c->verification.impostor_sample > s->pairs->n_impostor)
        fprintf(out, "        every impostor pair is used: verification.impostor_sample asks "
                "for %llu, and there are %zu\n",
                (unsigned long long)c->verification.impostor_sample, s->pairs->n_impostor);
    if (no_score)
        fprintf(out, "        %zu pair%s without a score (failed comparisons, never a match; "
                "in /failures)\n", no_score, no_score == 1 ? "" : "s");
    /* Counted from /failures, which holds the faults a resume restored
     * as well as this session's (the engine's own counters hold only
     * these). */
    char faults[1024] = "";
    uint64_t kinds[3] = {0};
    static const char *const kind[3] = {"crashed", "timed_out", "bad_reply"};
    for (size_t i = 0; s->failures && i < s->failures->n; i++)
        for (int k = 0; k < 3; k++)
            kinds[k] += !strcmp(s->failures->rows[i].outcome, kind[k]);
    if (s->inst)
        s->inst->calls->summary(faults, sizeof faults, s->inst, kinds);
    if (faults[0])
        fprintf(out, "        %s\n", faults);
    if (s->inst && c->protocol == SH_PROTOCOL_VERIFICATION)
        fprintf(out, "        repeatability: %s\n", repeat);
    if (s->model_card) {
        const char *shipped = sh_model_card_shipped_as(s->model_card);
        sh_utf8_print_line(out, "        model card: %s %s, %s; training data %s",
                           s->model_card->name, s->model_card->version,
                           shipped[0] ? "as shipped in configs/models/"
                                      : "not a card shades ships",
                           sh_report_not_stated(s->model_card->training_data)
                               ? "not stated"
                               : "as the card states it");
    }
    if (s->has_service)
        fprintf(out, "        service: %s, description %s (sha256 %.12s)\n", s->service.name,
                s->service.path, s->service.sha256);
    if (s->has_provenance)
        print_provenance(out, s);
    const sh_results *runs[] = {&r};
    const char *paths[] = {results};
    sh_report_options ro = {.brief = 1}; /* text */
    rc = sh_report_write(out, runs, paths, 1, &ro, err);
    if (!rc && !s->card)
        fprintf(out, "\nnote: no dataset card (dataset.card, docs/datasets.md): the results "
                     "record no licence or consent basis\n");
    if (!rc) {
        fputc('\n', out);
        sh_utf8_print_line(out, "results: %s (full report: shades report %s)", results, results);
    }
    return rc;
}

/* Each rank's host, gathered with every rank's status after set-up:
 * where one failed, no rank starts the engine's work. */
static int gather_hosts(run_state *s, int rc, sh_err *err)
{
    unsigned n = sh_ranks_size(s->ranks);
    const char *host = sh_ranks_host(s->ranks);
    void *all = NULL;
    rc = sh_ranks_allgather(&all, NULL, s->ranks, rc, host, strlen(host) + 1, err);
    /* The names arrive back to back, each ending in a NUL: all but the last
     * NUL become the commas between them. Below this point a failure on one
     * rank must reach all (finish_ranks). */
    if (!rc) {
        char *h = all;
        for (unsigned k = 0; k + 1 < n; k++) {
            h += strlen(h);
            *h++ = ',';
        }
        s->rank_hosts = all;
    } else {
        free(all);
    }
    /* An engine crash on this rank then names it (guard.h). */
    char origin[SH_RANKS_HOST_MAX + 48];
    snprintf(origin, sizeof origin, "rank %u of %u on %s: ", sh_ranks_rank(s->ranks), n,
             sh_ranks_host(s->ranks));
    if (!rc && n > 1)
        sh_guard_set_origin(origin);
    return rc;
}

/* What the summary lines count, summed over every rank (s->totals), so
 * rank 0 prints the job's figures: checkpoint blocks restored, found and
 * saved. */
static int sum_over_ranks(run_state *s, int rc, sh_err *err)
{
    uint64_t mine[3] = {0};
    sh_checkpoint_counts(&mine[0], &mine[1], &mine[2], s->checkpoint);
    void *all = NULL;
    rc = sh_ranks_allgather(&all, NULL, s->ranks, rc, mine, sizeof mine, err);
    const uint64_t *each = all; /* every rank's three counts, in rank order */
    for (unsigned k = 0; !rc && k < sh_ranks_size(s->ranks); k++)
        for (size_t i = 0; i < 3; i++)
            s->totals[i] += each[k * 3 + i];
    free(all);
    return rc;
}

/* The run's last collective: every rank's status. A rank that failed
 * names itself, unless all failed alike; the others stand aside (ranks.h). */
static int finish_ranks(run_state *s, int rc, sh_err *err)
{
    if (sh_ranks_size(s->ranks) == 1)
        return rc;
    /* 10 s: a rank that has not come by then waits in a collective this one
     * skipped, and main ends the job. */
    int last = sh_ranks_finish(s->ranks, rc < 0 ? rc : 0, 10.0);
    if (rc < 0 && rc != SH_E_ELSEWHERE && last == rc && !sh_ranks_all_failed(s->ranks)) {
        char why[SH_ERR_MSG_MAX];
        memcpy(why, err->msg, sizeof why);
        sh_err_set(err, rc, "rank %u of %u on %s: %s", sh_ranks_rank(s->ranks),
                   sh_ranks_size(s->ranks), sh_ranks_host(s->ranks), why);
    }
    return rc < 0 || last < 0 ? last : rc;
}

int sh_run(sh_vresults **out, const char *config_path, const sh_run_options *opts,
               sh_err *err)
{
    if (out)
        *out = NULL;
    run_state s = {.ranks = opts ? opts->ranks : NULL, .engine_stdout = -1};
    int rc = opts && opts->sign_key ? sh_key_load(&s.sign_key, opts->sign_key, 1, err) : 0;
    if (!rc)
        rc = sh_config_load(&s.config, config_path, err);
    /* The service description, readable and hashed, before anything else. */
    if (!rc && s.config->engine.service) {
        rc = sh_service_open(&s.service, s.config, opts && opts->isolate, err);
        s.has_service = !rc;
    }
    /* A file the config names that is not there (or is a folder): named
     * with the config's line. */
    for (int k = 0; !rc && s.config && k < 2; k++) {
        const char *file = k ? s.config->dataset.card : s.config->dataset.manifest;
        const char *key = k ? "card" : "manifest";
        struct stat fst;
        int why = !file                           ? 0
                  : access(file, R_OK) != 0       ? errno
                  : stat(file, &fst) != 0         ? errno
                  : S_ISDIR(fst.st_mode)          ? EISDIR
                                                  : 0;
        if (why)
            rc = sh_err_set(err, SH_E_INPUT, "%s:%u: field 'dataset.%s': cannot open %s: %s",
                            s.config->path, sh_config_line(s.config, "dataset", key), key, file,
                            strerror(why));
    }
    if (!rc)
        rc = sh_manifest_load(&s.manifest, s.config->dataset.manifest, err);
    if (!rc && s.config->dataset.card)
        rc = sh_card_load(&s.card, s.config->dataset.card, err);
    /* The dataset root: the config's, else the card's, else the manifest's
     * directory (docs/datasets.md). */
    const char *root = !s.config ? NULL : s.config->dataset.root ? s.config->dataset.root
                                        : s.card                 ? s.card->root
                                                                 : NULL;
    if (!rc && root)
        rc = sh_manifest_set_root(s.manifest, root, err);
    /* A root the config or card sets that is no folder is theirs to name;
     * replay opens no image, so its root need not be there. */
    struct stat root_st;
    int root_found = root && stat(root, &root_st) == 0;
    if (!rc && root && strcmp(s.config->engine.adapter, SH_REPLAY) &&
        (!root_found || !S_ISDIR(root_st.st_mode))) {
        const char *why = root_found ? "not a folder" : strerror(errno);
        rc = s.config->dataset.root
                 ? sh_err_set(err, SH_E_INPUT, "%s:%u: field 'dataset.root': '%s': %s",
                              s.config->path, sh_config_line(s.config, "dataset", "root"), root,
                              why)
                 : sh_err_set(err, SH_E_INPUT, "%s:%u: field 'root': '%s': %s",
                              s.card->path, sh_yaml_key_line(s.card->text, "root", 4, 1), root,
                              why);
    }
    /* Replay opens no image, so its images need not be there. */
    if (!rc && !s.config->dataset.allow_outside_root &&
        strcmp(s.config->engine.adapter, SH_REPLAY))
        rc = sh_manifest_confine(s.manifest, err);
    /* Every image opens, before any engine loads or checkpoint is made: a
     * missing one is one line now, not a failure hours into the work. */
    if (!rc && strcmp(s.config->engine.adapter, SH_REPLAY))
        rc = sh_manifest_check_images(s.manifest, err);
    /* An isolated engine reads its own folders: the labels must lie elsewhere. */
    if (!rc && opts && opts->isolate && strcmp(s.config->engine.adapter, SH_REPLAY))
        rc = sh_engine_reach_check(s.config, s.manifest, err);
    if (!rc)
        rc = dataset_card(&s, err);
    /* The images may go to a third party only where the dataset card says so. */
    if (!rc && s.has_service)
        rc = sh_service_check_card(&s.service, s.card, s.config, err);
    /* The model card and its files, before anything is written. */
    if (!rc && s.config->engine.model_card)
        rc = sh_model_card_open(&s.model_card, s.model_warning, sizeof s.model_warning,
                                s.config->engine.model_card, err);
    if (!rc && s.model_warning[0])
        sh_utf8_print_line(stderr, "shades: warning: model %s", s.model_warning);
    sh_groups_spec groups;
    sh_criteria_spec criteria;
    if (!rc) {
        sh_config_groups_spec(&groups, s.config);
        sh_config_criteria_spec(&criteria, s.config);
        rc = sh_groups_build(&s.groups, s.manifest, &groups, err);
    }
    if (!rc)
        rc = sh_criteria_check(&criteria, s.groups, err);
    if (!rc)
        s.threads = opts && opts->threads ? opts->threads : s.config->run.threads;
    /* The model files, and a rerun's check of them, before the engine
     * loads any. */
    if (!rc && strcmp(s.config->engine.adapter, SH_REPLAY))
        rc = sh_model_files_collect(&s.model_files, &s.n_model_files, s.config, err);
    /* The engine may read only files the model card pins. */
    if (!rc && s.model_card)
        rc = sh_model_card_check_files(s.model_card, s.model_files, s.n_model_files, err);
    if (!rc && opts && opts->expect_from)
        rc = sh_model_files_check(opts->expect_model_files, opts->n_expect_model_files,
                                  opts->expect_from, err);
    /* Where the results go, before any engine loads or anything is written:
     * never over a file the run reads. */
    if (!rc) {
        sh_run_reads reads = {opts ? opts->results_path : NULL, opts ? opts->sign_key : NULL,
                              opts ? opts->expect_from : NULL, s.model_files, s.n_model_files};
        rc = sh_run_outputs_check(s.results_path, sizeof s.results_path, s.config, s.manifest,
                                  &reads, err);
    }
    /* A misspelt adapter is the config's mistake: named at its line. */
    if (!rc && strcmp(s.config->engine.adapter, SH_REPLAY)) {
        char found[PATH_MAX];
        rc = sh_plugin_resolve(found, sizeof found, s.config->engine.adapter, err);
        if (rc) {
            char why[SH_ERR_MSG_MAX];
            memcpy(why, err->msg, sizeof why);
            rc = sh_err_set(err, rc, "%s:%u: field 'engine.adapter': %s", s.config->path,
                                sh_config_line(s.config, "engine", "adapter"), why);
        }
    }
    if (!rc && strcmp(s.config->engine.adapter, SH_REPLAY)) {
        char *options = sh_service_engine_options(s.has_service ? &s.service : NULL, s.config);
        unsigned timeout = opts && opts->call_timeout_ms ? opts->call_timeout_ms
                                                         : SH_CALL_TIMEOUT_MS;
        sh_instance_options io = {
            .spec = s.config->engine.adapter,
            .config_dir = s.config->engine.config_dir,
            .options = options,
            .seed = s.config->run.seed,
            .threads = s.threads,
            .isolate = opts && opts->isolate,
            .call_timeout_ms = timeout,
            .guard = 1,
        };
        if (opts)
            io.sandbox = opts->sandbox;
        if (!io.isolate)
            s.engine_stdout = stdout_divert();
        rc = options ? sh_instance_create(&s.inst, &io, err) : sh_err_nomem(err);
        free(options);
        if (rc == SH_E_INPUT) {
            char why[SH_ERR_MSG_MAX];
            memcpy(why, err->msg, sizeof why);
            /* The field the engine read its configuration from, if the
             * config gives one; else the adapter itself. */
            const char *key = s.config->engine.options_count ? "options"
                              : s.has_service                ? "service"
                              : s.config->engine.config_dir  ? "config_dir"
                                                             : "adapter";
            rc = sh_err_set(err, rc, "%s:%u: field 'engine.%s': %s", s.config->path,
                                sh_config_line(s.config, "engine", key), key, why);
        }
        if (!rc)
            s.threads = s.inst->threads; /* capped by the engine's declared concurrency */
        if (!rc) {
            s.guard_items = (sh_guard_items){s.manifest->path, s.manifest->image_id,
                                                 s.manifest->line, s.manifest->n_items};
            s.inst->calls->watch(s.inst, &s.guard_items, timeout);
        }
    }
    /* Started after the engine (whose declared concurrency caps the
     * threads) and after sh_supervise's fork, which must find one thread. */
    if (!rc)
        rc = sh_executor_create(&s.executor, s.threads, err);
    if (!rc)
        rc = check_expected(&s, opts, err);
    if (!rc)
        rc = open_checkpoint(&s, opts, err);
    /* Every rank set up, or none goes on: the first collective. */
    rc = gather_hosts(&s, rc, err);
    /* Plain progress lines every 10 s keep a CI log alive without flooding it. */
    if (!rc && opts && opts->progress)
        s.progress = sh_progress_create(opts->progress, opts->progress_mode, 10.0);
    if (!rc) {
        switch (s.config->protocol) {
        case SH_PROTOCOL_IDENTIFICATION:
            rc = sh_run_identification(&s, err);
            break;
        case SH_PROTOCOL_CLASSIFICATION:
            rc = sh_run_classification(&s, err);
            break;
        default:
            rc = sh_run_verification(&s, err);
        }
    }
    /* After the run's last engine call, before the results are written. */
    if (!rc && s.inst)
        rc = sh_engine_provenance_collect(&s.provenance, &s.n_provenance, &s.has_provenance,
                                          s.inst, err);
    /* Past the engine's last call: it ends before any results file is
     * written, so a fault in its destroy stops the run like any call's
     * (in-process) or is killed (isolated). */
    if (!rc && s.inst) {
        s.inst->calls->finish(s.inst);
        stdout_restore(&s.engine_stdout);
    }
    rc = sum_over_ranks(&s, rc, err);
    if (!rc && sh_ranks_rank(s.ranks) == 0)
        rc = write_results(&s, opts, err);
    if (s.checkpoint)
        close_checkpoint(&s, !rc, opts, err);
    rc = finish_ranks(&s, rc, err);
    int failed = !rc && !sh_criteria_passed(s.verdicts, s.config->criteria_count);
    if (!rc && out) {
        *out = s.vresults;
        s.vresults = NULL;
    }
    run_state_free(&s);
    return rc ? rc : failed;
}

int sh_run_guard_items_load(sh_guard_items *out, void **out_owner, void *config_path)
{
    sh_err err = {0};
    sh_config *c = NULL;
    sh_manifest *m = NULL;
    if (!sh_config_load(&c, config_path, &err))
        sh_manifest_load(&m, c->dataset.manifest, &err);
    sh_config_destroy(c);
    if (!m)
        return -1;
    *out = (sh_guard_items){m->path, m->image_id, m->line, m->n_items};
    *out_owner = m;
    return 0;
}

void sh_run_guard_items_release(void *owner)
{
    sh_manifest_destroy(owner);
}
