#include "service.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The config's error for engine.service: its line and field. */
static int field_error(sh_err *err, const sh_config *c, const char *why)
{
    return sh_err_set(err, SH_E_INPUT, "%s:%u: field 'engine.service': %s", c->path,
                      sh_config_line(c, "engine", "service"), why);
}

int sh_service_open(sh_service *out, const sh_config *c, int isolate, sh_err *err)
{
    memset(out, 0, sizeof *out);
    const char *path = c->engine.service;
    char why[PATH_MAX + 128];
    snprintf(out->path, sizeof out->path, "%s", path);
    const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    snprintf(out->name, sizeof out->name, "%s", base);
    char *dot = strrchr(out->name, '.');
    if (dot && dot != out->name)
        *dot = '\0';
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        snprintf(why, sizeof why, "cannot read %s: %s", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return field_error(err, c, why);
    }
    close(fd);
    if (!S_ISREG(st.st_mode)) {
        snprintf(why, sizeof why, "cannot read %s: not a regular file", path);
        return field_error(err, c, why);
    }
    if (!realpath(path, out->absolute)) {
        snprintf(why, sizeof why, "cannot read %s: %s", path, strerror(errno));
        return field_error(err, c, why);
    }
    sh_err inner = {0};
    if (sh_sha256_file(out->sha256, path, &inner))
        return field_error(err, c, inner.msg);
    if (isolate)
        return field_error(err, c,
                           "--isolate runs the engine in sandboxed workers, which have no "
                           "network, and this engine sends the images over the network to "
                           "a service; a service engine runs in-process (docs/isolation.md)");
    return 0;
}

int sh_service_check_card(const sh_service *s, const sh_card *card, const sh_config *c,
                          sh_err *err)
{
    if (card)
        return sh_card_permits_third_party(card, s->name, err);
    return sh_err_set(err, SH_E_INPUT,
                      "%s:%u: field 'dataset.card': none, and engine.service (%s) sends the "
                      "images to a third party's service, which only a dataset card whose "
                      "permitted_uses allow third-party processing permits (docs/datasets.md)",
                      c->path, sh_config_line(c, "dataset", NULL), s->name);
}

char *sh_service_engine_options(const sh_service *s, const sh_config *c)
{
    char *base = sh_config_engine_options(c);
    if (!base || !s)
        return base;
    size_t len = strlen(base) + sizeof SH_SERVICE_OPTION + strlen(s->absolute) + 2;
    char *all = malloc(len);
    if (all)
        snprintf(all, len, "%s%s=%s\n", base, SH_SERVICE_OPTION, s->absolute);
    free(base);
    return all;
}

void sh_service_record(sh_service_info *out, const sh_service *s)
{
    out->description = (char *)s->path;
    out->description_sha256 = (char *)s->sha256;
}
