#include "rerun.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "h5_compare.h"
#include "h5_read.h"
#include "paths.h"
#include "run.h"

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

/* After identical tables: the root attributes a rerun must reproduce (the
 * verdict among them, which no table holds), worded as sh_h5_compare words
 * a table's difference; 1 when one differs. */
static int same_attributes(char *out, size_t size, const sh_results *was, const char *now_path,
                           sh_err *err)
{
    sh_results *now = NULL;
    int rc = sh_h5_read(&now, now_path, err);
    if (rc)
        return rc;
    const sh_run_info *a = &was->info, *b = &now->info;
    const struct {
        const char *name, *was, *now;
    } text[] = {{"criteria_passed", a->criteria_passed, b->criteria_passed},
                {"images_merkle_root", a->images_merkle_root, b->images_merkle_root}};
    for (size_t k = 0; !rc && k < sizeof text / sizeof *text; k++) {
        const char *x = text[k].was ? text[k].was : "", *y = text[k].now ? text[k].now : "";
        if (strcmp(x, y)) {
            snprintf(out, size, "attribute %s: '%s' in the file, '%s' in the rerun",
                     text[k].name, x, y);
            rc = 1;
        }
    }
    if (!rc && (a->n_images != b->n_images || a->n_subjects != b->n_subjects)) {
        snprintf(out, size, "attributes n_images and n_subjects: %llu and %llu in the file, "
                 "%llu and %llu in the rerun", (unsigned long long)a->n_images,
                 (unsigned long long)a->n_subjects, (unsigned long long)b->n_images,
                 (unsigned long long)b->n_subjects);
        rc = 1;
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
