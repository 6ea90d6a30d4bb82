/* A benchmark engine: each template costs `work` rounds of integer mixing
 * over the image (work=0: returns at once), so the harness's own cost and
 * its thread scaling show without a real engine's noise. Compare returns
 * a fixed score, after spinning spin_us microseconds of CPU time and
 * sleeping sleep_us (both 0 by default; check-adapter's timing tests).
 * Any number of calls at once. */
#include <shades/adapter.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct shades_engine {
    unsigned work;     /* rounds of mixing per template */
    unsigned spin_us;  /* CPU microseconds per comparison */
    unsigned sleep_us; /* idle microseconds per comparison */
};

/* Reads "name=N" from the option lines into *out; 0, or -1 if malformed. */
static int option_uint(unsigned *out, const char *options, const char *name)
{
    const char *opt = options ? strstr(options, name) : NULL;
    return opt && sscanf(opt + strlen(name), "%u", out) != 1 ? -1 : 0;
}

static int busy_create(shades_engine **out, const shades_host *host,
                       const shades_engine_config *config)
{
    (void)host;
    *out = NULL;
    shades_engine *e = calloc(1, sizeof *e);
    if (!e)
        return SHADES_ERR_NOMEM;
    const char *options = config ? config->options : NULL;
    if (option_uint(&e->work, options, "work=") || option_uint(&e->spin_us, options, "spin_us=") ||
        option_uint(&e->sleep_us, options, "sleep_us=")) {
        free(e);
        return SHADES_ERR_CONFIG;
    }
    *out = e;
    return SHADES_OK;
}

static void busy_destroy(shades_engine *e)
{
    free(e);
}

static uint32_t busy_max_concurrency(const shades_engine *e)
{
    (void)e;
    return 0;
}

static size_t busy_template_size_max(const shades_engine *e)
{
    (void)e;
    return 8;
}

static int busy_create_template(uint8_t *out_buf, shades_template_result *out_result,
                                shades_engine *e, const shades_image *images, size_t count,
                                size_t capacity, int role)
{
    (void)role;
    if (!out_buf || !out_result || !images || count == 0 || capacity < 8)
        return SHADES_ERR_INVALID;
    uint64_t h = 0x9e3779b97f4a7c15u;
    for (unsigned r = 0; r < e->work; r++)
        for (uint32_t y = 0; y < images[0].height; y++) {
            const uint8_t *row = images[0].pixels + (size_t)y * images[0].stride;
            for (uint32_t x = 0; x < images[0].width; x++)
                h = (h ^ row[x]) * 0x100000001b3u;
        }
    memcpy(out_buf, &h, 8);
    out_result->outcome = SHADES_OUTCOME_OK;
    out_result->size = 8;
    return SHADES_OK;
}

static int busy_compare(double *out_score, shades_engine *e, const uint8_t *verify,
                        size_t verify_size, const uint8_t *enrol, size_t enrol_size)
{
    (void)verify, (void)verify_size, (void)enrol, (void)enrol_size;
    if (e->spin_us) {
        struct timespec t0, t;
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t0);
        do
            clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
        while ((t.tv_sec - t0.tv_sec) * 1000000 + (t.tv_nsec - t0.tv_nsec) / 1000 < e->spin_us);
    }
    if (e->sleep_us) {
        struct timespec idle = {e->sleep_us / 1000000, (long)(e->sleep_us % 1000000) * 1000};
        nanosleep(&idle, NULL);
    }
    *out_score = 0.5;
    return SHADES_OK;
}

SHADES_ADAPTER_DEFINE = {
    .struct_size = sizeof(shades_adapter),
    .abi_major = SHADES_ABI_MAJOR,
    .abi_minor = SHADES_ABI_MINOR,
    .name = "bench-busy",
    .version = "1.0.0",
    .vendor = "shades project",
    .description = "benchmark engine: templates cost work=N rounds, compare spin_us=N CPU us",
    .capabilities = SHADES_CAP_VERIFY_11,
    .create = busy_create,
    .destroy = busy_destroy,
    .max_concurrency = busy_max_concurrency,
    .template_size_max = busy_template_size_max,
    .create_template = busy_create_template,
    .compare = busy_compare,
};
