#include "rerun.h"

#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "h5_compare.h"
#include "h5_read.h"
#include "h5_schema.h"
#include "paths.h"
#include "run.h"
#include "utf8.h"

/* Writes text to a new private file. */
static int write_text(const char *path, const char *text, sh_err *err)
{
    int fd = sh_path_create_private(path, err);
    if (fd < 0)
        return fd;
    size_t n = strlen(text);
    int bad = write(fd, text, n) != (ssize_t)n;
    bad |= close(fd) != 0;
    if (bad) {
        unlink(path);
        return sh_err_set(err, SH_E_IO, "%s: cannot write: %s", path, strerror(errno));
    }
    return 0;
}

/* The root attributes a rerun must reproduce: everything of the run's own
 * but what legitimately differs (when and where it ran, the harness's
 * build and version, paths, threads and ranks, in-process or isolated). */
static const struct {
    const char *name;
    size_t offset;
} same_text[] = {
#define TEXT(m) {#m, offsetof(sh_run_info, m)}
    TEXT(run_name), {"config", offsetof(sh_run_info, config_text)}, TEXT(adapter_name), TEXT(adapter_version),
    TEXT(adapter_vendor), TEXT(adapter_sha256), TEXT(manifest_sha256), TEXT(pairs_sha256),
    TEXT(criteria_passed), TEXT(protocol), TEXT(dataset_name), TEXT(dataset_warning), TEXT(card_sha256),
    TEXT(images_merkle_root), TEXT(replay_gallery_sha256),
#undef TEXT
}, same_count[] = {
#define COUNT(m) {#m, offsetof(sh_run_info, m)}
    COUNT(adapter_abi_major), COUNT(adapter_abi_minor), COUNT(n_images), COUNT(n_subjects),
    COUNT(seed), COUNT(min_subjects), COUNT(images_hashed),
#undef COUNT
};

/* Whether the attribute at `offset` of sh_run_info came after schema 1.minor
 * (a file of that schema lacks it, and reads it as empty or 0). */
static int added_after(size_t offset, int minor)
{
    for (size_t i = 0; i < sh_h5_n_string_attrs; i++)
        if (sh_h5_string_attrs[i].offset == offset)
            return sh_h5_string_attrs[i].since_minor > minor;
    for (size_t i = 0; i < sh_h5_n_u64_attrs; i++)
        if (sh_h5_u64_attrs[i].offset == offset)
            return sh_h5_u64_attrs[i].since_minor > minor;
    return 0;
}

/* After identical tables: those root attributes (the verdict among them,
 * which no table holds), worded as sh_h5_compare words a table's
 * difference; 1 when one differs. An attribute the file's schema predates
 * is not compared. */
static int same_attributes(char *out, size_t size, const sh_results *was, const char *now_path,
                           sh_err *err)
{
    sh_results *now = NULL;
    int rc = sh_h5_read(&now, now_path, err);
    if (rc)
        return rc;
    const char *a = (const char *)&was->info, *b = (const char *)&now->info;
    int minor = sh_results_schema_minor(was->info.schema_version);
    for (size_t k = 0; !rc && k < sizeof same_text / sizeof *same_text; k++) {
        if (added_after(same_text[k].offset, minor))
            continue;
        const char *x = *(char *const *)(a + same_text[k].offset);
        const char *y = *(char *const *)(b + same_text[k].offset);
        x = x ? x : "";
        y = y ? y : "";
        if (strcmp(x, y)) {
            /* The config's text is long: its first differing line. Both
             * are the files' own text, shown printable. */
            char raw[600];
            snprintf(raw, sizeof raw, "attribute %s: '%.200s' in the file, '%.200s' in the rerun",
                     same_text[k].name, x, y);
            sh_utf8_printable(out, size, raw);
            rc = 1;
        }
    }
    for (size_t k = 0; !rc && k < sizeof same_count / sizeof *same_count; k++) {
        if (added_after(same_count[k].offset, minor))
            continue;
        uint64_t x = *(const uint64_t *)(a + same_count[k].offset);
        uint64_t y = *(const uint64_t *)(b + same_count[k].offset);
        if (x != y) {
            snprintf(out, size, "attribute %s: %llu in the file, %llu in the rerun",
                     same_count[k].name, (unsigned long long)x, (unsigned long long)y);
            rc = 1;
        }
    }
    sh_results_destroy(now);
    return rc;
}

int sh_rerun(char *out, size_t size, const char *path, sh_err *err)
{
    sh_results *was = NULL;
    int rc = sh_h5_read(&was, path, err);
    if (rc)
        return rc;
    const sh_run_info *in = &was->info;
    char dir[PATH_MAX], config[PATH_MAX], results[PATH_MAX];
    if (!in->config_text[0] || !in->config_path[0])
        rc = sh_err_set(err, SH_E_INPUT, "%s: records no config to rerun", path);
    if (!rc)
        rc = sh_path_dirname(dir, sizeof dir, in->config_path, err);
    if (!rc && access(dir, W_OK) != 0)
        rc = sh_err_set(err, SH_E_INPUT,
                        "rerun %s: the recorded config's directory '%s' is not here (run "
                        "rerun where the run was started)",
                        path, dir);
    if (!rc && ((size_t)snprintf(config, sizeof config, "%s/.shades-rerun.%ld.yaml", dir,
                                 (long)getpid()) >= sizeof config ||
                (size_t)snprintf(results, sizeof results, "%s.rerun.%ld.h5", path,
                                 (long)getpid()) >= sizeof results))
        rc = sh_err_set(err, SH_E_INPUT, "%s: path too long", path);
    if (!rc)
        rc = write_text(config, in->config_text, err);
    int wrote_config = !rc;
    sh_run_options opts = {
        .threads = (unsigned)in->threads,
        .no_checkpoint = 1,
        .results_path = results,
        .expect_from = path,
        .expect_adapter_sha256 = in->adapter_sha256,
        .expect_manifest_sha256 = in->manifest_sha256,
        .expect_images_merkle_root = in->images_merkle_root,
        .expect_model_files = was->model_files,
        .n_expect_model_files = was->n_model_files,
        .expect_model_card_sha256 = was->model_card ? was->model_card->card_sha256 : "",
        .expect_service_sha256 = was->service ? was->service->description_sha256 : "",
    };
    if (!rc) {
        rc = sh_run(NULL, config, &opts, err);
        rc = rc < 0 ? rc : 0; /* a failed criterion is a result like any other */
    }
    if (!rc)
        rc = sh_h5_compare(out, size, path, results, err);
    if (!rc)
        rc = same_attributes(out, size, was, results, err);
    if (wrote_config)
        unlink(config);
    unlink(results);
    sh_results_destroy(was);
    return rc;
}
