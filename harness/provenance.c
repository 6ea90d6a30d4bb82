#include "provenance.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "merkle.h"

/* The raw SHA-256 of an open file; 32 zero bytes when it cannot be read
 * (docs/attestation.md: such an image failed in the run too). */
static void hash_fd(unsigned char out[32], int fd)
{
    memset(out, 0, 32);
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    int ok = ctx && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
    unsigned char buf[1 << 16];
    ssize_t n;
    while (ok && (n = read(fd, buf, sizeof buf)) > 0)
        ok = EVP_DigestUpdate(ctx, buf, (size_t)n);
    unsigned char md[32];
    if (ok && n == 0 && EVP_DigestFinal_ex(ctx, md, NULL))
        memcpy(out, md, 32);
    EVP_MD_CTX_free(ctx);
}

void sh_provenance_image_hash(unsigned char out[32], const sh_manifest *m, size_t i)
{
    int fd;
    char path[PATH_MAX];
    sh_err ignore = {0};
    memset(out, 0, 32);
    if (sh_manifest_open(&fd, path, m, i, &ignore) == 0) {
        hash_fd(out, fd);
        close(fd);
    }
}

/* The CPU model /proc/cpuinfo names and the online CPU count. */
static void host_cpu(char *out, size_t size)
{
    char line[512], model[256] = "unknown CPU";
    FILE *f = fopen("/proc/cpuinfo", "r");
    while (f && fgets(line, sizeof line, f))
        if (strncmp(line, "model name", 10) == 0 && strchr(line, ':')) {
            snprintf(model, sizeof model, "%s", strchr(line, ':') + 2);
            model[strcspn(model, "\n")] = '\0';
            break;
        }
    if (f)
        fclose(f);
    snprintf(out, size, "%s, %ld CPUs", model, sysconf(_SC_NPROCESSORS_ONLN));
}

int sh_provenance_collect(sh_provenance *out, const sh_manifest *m, const char *card_path,
                          int images_read, sh_err *err)
{
    memset(out, 0, sizeof *out);
    int rc = card_path ? sh_sha256_file(out->card_sha256, card_path, err) : 0;
    host_cpu(out->host_cpu, sizeof out->host_cpu);
    struct utsname u;
    if (uname(&u) == 0)
        snprintf(out->host_os, sizeof out->host_os, "%s %s %s %s", u.sysname, u.release,
                 u.version, u.machine);
    if (rc || !images_read)
        return rc;
    unsigned char (*leaves)[32] = malloc((m->n_items ? m->n_items : 1) * sizeof *leaves);
    if (!leaves)
        return sh_err_nomem(err);
    for (size_t i = 0; i < m->n_items; i++)
        sh_provenance_image_hash(leaves[i], m, i);
    rc = sh_merkle_root(out->images_merkle_root, (const unsigned char (*)[32])leaves,
                        m->n_items, err);
    out->images_hashed = m->n_items;
    free(leaves);
    return rc;
}
