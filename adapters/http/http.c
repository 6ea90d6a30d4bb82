/* http: a cloud face service as an engine (docs/cloud-services.md). A
 * service description (configs/services/) says how to call it; this file
 * is the ABI side: which call answers which ABI function, the response
 * cache in front of every call, and the provenance the run records.
 *
 * Templates: with an embed call, the service's vector (compared by cosine
 * here); with only a verify call, the SHA-256 of the image's PNG, kept in
 * the cache's spool folder until a pair needs it sent. */
#include <shades/adapter.h>

#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>

#include "answer.h"
#include "cache.h"
#include "client.h"
#include "feature.h"
#include "options.h"
#include "png.h"
#include "service.h"
#include "sha256.h"

#define NAME "http"
#define MAGIC_EMBED 0x314d4548u  /* "HEM1" */
#define MAGIC_IMAGE 0x31464d48u  /* "HMF1" */
#define IMAGE_TEMPLATE_BYTES (4 + 64)

struct shades_engine {
    const shades_host *host;
    http_service *service;
    http_client *client;
    http_cache *cache;
    char spool[PATH_MAX];      /* images waiting for a verify call */
    int curl_ready;            /* curl_global_init succeeded: cleanup owed */
    shades_attribute_estimation attributes;
    shades_detection detection;
    shades_provenance provenance;
    pthread_mutex_t lock;      /* the counts below */
    long answers, from_cache;
    time_t first, last;        /* answers' dates, from the network or the cache */
};

static void log_error(const shades_engine *e, const char *why)
{
    adapter_log_error(e->host, NAME, "%s", why);
}

/* The default cache: $XDG_CACHE_HOME/shades/services, else under $HOME. */
static int default_cache(char *out, size_t cap)
{
    const char *xdg = getenv("XDG_CACHE_HOME");
    const char *home = getenv("HOME");
    if (xdg && *xdg)
        return snprintf(out, cap, "%s/shades/services", xdg) >= (int)cap;
    if (home && *home)
        return snprintf(out, cap, "%s/.cache/shades/services", home) >= (int)cap;
    return 1;
}

static int http_estimate(shades_attributes *out, shades_engine *e, const shades_image *image);
static int http_detect(shades_face *out, size_t *out_count, shades_engine *e,
                       const shades_image *image, size_t capacity);
static int http_describe(char *out, size_t cap, const shades_engine *e);
static void http_destroy(shades_engine *e);

static int http_create(shades_engine **out, const shades_host *host,
                       const shades_engine_config *config)
{
    *out = NULL;
    char service[PATH_MAX] = "", base_url[1024] = "", credentials[PATH_MAX] = "";
    char cache[PATH_MAX] = "", export_dir[PATH_MAX] = "";
    int concurrency = 4, retries = 4, budget = 0;
    /* Defaults that end a call well inside the harness's default
     * --call-timeout of 30 s. */
    http_settings set = {.rate = 5, .timeout = 10, .backoff = 0.5, .deadline = 25};
    const adapter_option table[] = {
        {"service", ADAPTER_OPT_TEXT, service, sizeof service, 0, 0},
        {"base_url", ADAPTER_OPT_TEXT, base_url, sizeof base_url, 0, 0},
        {"credentials", ADAPTER_OPT_TEXT, credentials, sizeof credentials, 0, 0},
        {"cache", ADAPTER_OPT_TEXT, cache, sizeof cache, 0, 0},
        {"export", ADAPTER_OPT_TEXT, export_dir, sizeof export_dir, 0, 0},
        {"rate", ADAPTER_OPT_REAL, &set.rate, 0, 0, 1e6},
        {"concurrency", ADAPTER_OPT_INT, &concurrency, 0, 1, 256},
        {"timeout", ADAPTER_OPT_REAL, &set.timeout, 0, 0.001, 3600},
        {"retries", ADAPTER_OPT_INT, &retries, 0, 0, 100},
        {"backoff", ADAPTER_OPT_REAL, &set.backoff, 0, 0, 3600},
        {"deadline", ADAPTER_OPT_REAL, &set.deadline, 0, 0, 86400},
        {"budget", ADAPTER_OPT_INT, &budget, 0, 0, INT_MAX},
    };
    char why[2048];
    const char *dir = config ? config->config_dir : NULL;
    if (adapter_options_parse(config ? config->options : NULL, table,
                              sizeof table / sizeof *table, why, sizeof why) ||
        adapter_file_path(service, sizeof service, dir, "service", "service description",
                          1, why, sizeof why)) {
        adapter_log_error(host, NAME, "%s", why);
        return SHADES_ERR_CONFIG;
    }
    if (base_url[0] && !http_url_ok(base_url)) {
        adapter_log_error(host, NAME, "option base_url: '%s' is not an http:// or https:// "
                          "address", base_url);
        return SHADES_ERR_CONFIG;
    }
    if (!cache[0] && default_cache(cache, sizeof cache)) {
        adapter_log_error(host, NAME, "option cache is required: neither XDG_CACHE_HOME nor "
                          "HOME is set");
        return SHADES_ERR_CONFIG;
    }
    set.concurrency = concurrency;
    set.retries = retries;
    set.budget = budget;
    set.base_url = base_url;
    set.credentials = credentials;
    shades_engine *e = calloc(1, sizeof *e);
    if (!e)
        return SHADES_ERR_NOMEM;
    e->host = host;
    pthread_mutex_init(&e->lock, NULL);
    sh_err err = {0};
    int rc = http_service_load(&e->service, service, &err);
    if (!rc)
        rc = http_cache_open(&e->cache, cache, export_dir, &err);
    if (!rc && snprintf(e->spool, sizeof e->spool, "%s/spool", cache) >= (int)sizeof e->spool)
        rc = sh_err_set(&err, SH_E_INPUT, "option cache: path too long");
    if (!rc && e->service->calls->verify && !e->service->calls->embed)
        rc = http_private_dir(e->spool, "cache", &err);
    /* libcurl's global set-up is not thread-safe: create runs on the main
     * thread with no other call on this library. */
    if (!rc && !(e->curl_ready = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK))
        rc = sh_err_set(&err, SH_E_ENGINE, "libcurl could not start");
    if (!rc)
        rc = http_client_create(&e->client, e->service, &set, &err);
    if (rc) {
        adapter_log_error(host, NAME, "%s", err.msg);
        http_destroy(e);
        return SHADES_ERR_CONFIG;
    }
    e->attributes = (shades_attribute_estimation){sizeof e->attributes, 0, http_estimate};
    e->detection = (shades_detection){sizeof e->detection, 0, http_detect};
    e->provenance = (shades_provenance){sizeof e->provenance, 0, http_describe};
    *out = e;
    return SHADES_OK;
}

static void http_destroy(shades_engine *e)
{
    if (!e)
        return;
    http_client_destroy(e->client);
    if (e->curl_ready)
        curl_global_cleanup();
    http_cache_close(e->cache);
    http_service_destroy(e->service);
    pthread_mutex_destroy(&e->lock);
    free(e);
}

static uint32_t http_max_concurrency(const shades_engine *e)
{
    (void)e;
    return 0; /* the client paces requests itself (option concurrency) */
}

static size_t http_template_size_max(const shades_engine *e)
{
    const http_call *embed = e->service->calls->embed;
    return embed ? adapter_feature_bytes(embed->answer->dimension) : IMAGE_TEMPLATE_BYTES;
}

/* ---- one answered call, through the cache ---- */

static void count_answer(shades_engine *e, int cached, time_t when)
{
    pthread_mutex_lock(&e->lock);
    e->answers++;
    e->from_cache += cached;
    if (!e->first || when < e->first)
        e->first = when;
    if (when > e->last)
        e->last = when;
    pthread_mutex_unlock(&e->lock);
}

/* Reads the PNGs of n images named by SHA-256 from the spool into
 * out[k] (malloc'd). */
static int spooled(uint8_t **out, size_t *sizes, const shades_engine *e,
                   const char *const *shas, size_t n, char *why, size_t cap)
{
    for (size_t k = 0; k < n; k++) {
        char name[80];
        snprintf(name, sizeof name, "%s.png", shas[k]);
        sh_err err = {0};
        char *data = NULL;
        int got = http_file_read(&data, &sizes[k], e->spool, name, &err);
        if (got != 1) {
            if (got < 0)
                snprintf(why, cap, "%s", err.msg);
            else
                snprintf(why, cap, "image %s is no longer in the spool '%.400s': run again "
                         "without --resume", shas[k], e->spool);
            for (size_t j = 0; j < k; j++)
                free(out[j]);
            return -1;
        }
        out[k] = (uint8_t *)data;
    }
    return 0;
}

/* Answers `call` for n images named by their PNGs' SHA-256: the cached
 * response, else the service's, which is then cached. pngs NULL means the
 * images wait in the spool, read only when the service must be asked.
 * *out is the parsed response (json_decref). */
static int answer(json_t **out, shades_engine *e, const char *call_name, const http_call *call,
                  const char *const *shas, const uint8_t *const *pngs, const size_t *sizes,
                  size_t n, char *why, size_t cap)
{
    *out = NULL;
    /* The key: the call, the description and its API version, the images. */
    char *material = NULL;
    if (asprintf(&material, "%s\n%s\n%s\n%s%s%s", call_name, e->service->sha256,
                 e->service->api_version, shas[0], n == 2 ? "\n" : "", n == 2 ? shas[1] : "") < 0) {
        snprintf(why, cap, "out of memory");
        return -1;
    }
    char key[SH_SHA256_HEX];
    sh_err err = {0};
    int krc = sh_sha256_bytes(key, material, strlen(material), &err);
    free(material);
    if (krc) {
        snprintf(why, cap, "%s", err.msg);
        return -1;
    }
    char *body = NULL;
    size_t size = 0;
    time_t when = 0;
    int hit = http_cache_get(&body, &size, &when, e->cache, key, &err);
    if (hit < 0) {
        snprintf(why, cap, "%s", err.msg);
        return -1;
    }
    if (!hit) {
        uint8_t *loaded[2] = {NULL, NULL};
        size_t loaded_sizes[2];
        if (!pngs) {
            if (spooled(loaded, loaded_sizes, e, shas, n, why, cap))
                return -1;
            pngs = (const uint8_t *const *)loaded;
            sizes = loaded_sizes;
        }
        int rc = http_client_send(&body, &size, e->client, call_name, call, pngs, sizes, n, why,
                                  cap);
        free(loaded[0]);
        free(loaded[1]);
        if (rc)
            return -1;
        when = time(NULL);
    }
    char jwhy[256];
    if (http_json_parse(out, body, size, jwhy, sizeof jwhy)) {
        http_client_redact(e->client, jwhy, sizeof jwhy);
        snprintf(why, cap, "%s %s: %s%s", e->service->service, call_name, jwhy,
                 hit ? " (a cached response: delete it from the cache to ask again)" : "");
        free(body);
        return -1;
    }
    char date[32], *index = NULL;
    struct tm tm;
    gmtime_r(&when, &tm);
    strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%SZ", &tm);
    if (asprintf(&index, "%s\t%s\t%s\t%s\t%s%s%s\t%s\t%s", key, call_name, e->service->service,
                 e->service->api_version, shas[0], n == 2 ? "," : "", n == 2 ? shas[1] : "",
                 date, hit ? "cache" : "network") < 0) {
        snprintf(why, cap, "out of memory");
        free(body);
        json_decref(*out);
        *out = NULL;
        return -1;
    }
    int rc = 0;
    /* Only a response that parsed is kept: a malformed one is asked again. */
    if (!hit)
        rc = http_cache_put(e->cache, key, body, size, index, &err);
    if (!rc)
        rc = http_cache_export(e->cache, key, body, size, index, &err);
    free(body);
    free(index);
    if (rc) {
        snprintf(why, cap, "%s", err.msg);
        json_decref(*out);
        *out = NULL;
        return -1;
    }
    count_answer(e, hit, when);
    return 0;
}

/* The PNG of an image and its SHA-256. */
static int encode(uint8_t **png, size_t *size, char sha[SH_SHA256_HEX], shades_engine *e,
                  const shades_image *image)
{
    int rc = http_png_encode(png, size, image);
    if (rc) {
        log_error(e, rc == SHADES_ERR_NOMEM ? "out of memory encoding an image"
                                            : "an image of a pixel format it does not know");
        return rc;
    }
    sh_err err = {0};
    if (sh_sha256_bytes(sha, *png, *size, &err)) {
        free(*png);
        log_error(e, err.msg);
        return SHADES_ERR_ENGINE;
    }
    return SHADES_OK;
}

/* Runs the detect call on one image. */
static int detect_answer(json_t **out, shades_engine *e, const shades_image *image)
{
    const http_call *call = e->service->calls->detect;
    if (!call) {
        char why[256];
        snprintf(why, sizeof why, "service '%s' (%s) describes no detect call: it cannot "
                 "detect faces or estimate attributes", e->service->service, e->service->path);
        log_error(e, why);
        return SHADES_ERR_UNSUPPORTED;
    }
    uint8_t *png;
    size_t size;
    char sha[SH_SHA256_HEX], why[1024];
    int rc = encode(&png, &size, sha, e, image);
    if (rc)
        return rc;
    const char *shas[1] = {sha};
    const uint8_t *pngs[1] = {png};
    rc = answer(out, e, "detect", call, shas, pngs, &size, 1, why, sizeof why);
    free(png);
    if (rc) {
        log_error(e, why);
        return SHADES_ERR_ENGINE;
    }
    return SHADES_OK;
}

/* The detect call's faces (at most capacity into out) and the most
 * confident one's attributes (into attrs, when not NULL) for one image. */
static int detect_faces(shades_face *out, size_t *out_count, shades_attributes *attrs,
                        size_t capacity, shades_engine *e, const shades_image *image)
{
    json_t *root;
    int rc = detect_answer(&root, e, image);
    if (rc)
        return rc;
    char why[512];
    rc = http_answer_faces(out, out_count, attrs, capacity, e->service->calls->detect->answer,
                           root, image->width, image->height, why, sizeof why);
    json_decref(root);
    if (rc) {
        char line[700];
        snprintf(line, sizeof line, "%s detect: %s", e->service->service, why);
        log_error(e, line);
        return SHADES_ERR_ENGINE;
    }
    return SHADES_OK;
}

static int http_estimate(shades_attributes *out, shades_engine *e, const shades_image *image)
{
    if (!out || !e || !image)
        return SHADES_ERR_INVALID;
    size_t count;
    shades_attributes a = *out;
    int rc = detect_faces(NULL, &count, &a, 0, e, image);
    if (rc)
        return rc;
    out->outcome = a.outcome;
    out->sex = a.sex;
    out->sex_confidence = a.sex_confidence;
    if (SHADES_HAS_MEMBER(shades_attributes, out->struct_size, age))
        out->age = a.age;
    return SHADES_OK;
}

static int http_detect(shades_face *out, size_t *out_count, shades_engine *e,
                       const shades_image *image, size_t capacity)
{
    if (!out_count || !e || !image || (!out && capacity))
        return SHADES_ERR_INVALID;
    return detect_faces(out, out_count, NULL, capacity, e, image);
}

/* ---- templates and compare ---- */

static int http_create_template(uint8_t *out_buf, shades_template_result *out_result,
                                shades_engine *e, const shades_image *images, size_t count,
                                size_t capacity, int role)
{
    (void)role;
    if (!out_buf || !out_result || !e || !images || count == 0)
        return SHADES_ERR_INVALID;
    if (capacity < http_template_size_max(e))
        return SHADES_ERR_BUFFER;
    const http_calls *calls = e->service->calls;
    if (!calls->embed && !calls->verify) {
        char why[256];
        snprintf(why, sizeof why, "service '%s' (%s) describes no verify or embed call: it "
                 "can run classification and detection audits only", e->service->service,
                 e->service->path);
        log_error(e, why);
        return SHADES_ERR_UNSUPPORTED;
    }
    uint8_t *png;
    size_t size;
    char sha[SH_SHA256_HEX], why[1024];
    int rc = encode(&png, &size, sha, e, &images[0]);
    if (rc)
        return rc;
    out_result->size = 0;
    if (calls->embed) {
        const http_answer *a = calls->embed->answer;
        float *v = malloc((size_t)a->dimension * sizeof *v);
        json_t *root = NULL;
        const char *shas[1] = {sha};
        const uint8_t *pngs[1] = {png};
        rc = v ? answer(&root, e, "embed", calls->embed, shas, pngs, &size, 1, why, sizeof why)
               : (snprintf(why, sizeof why, "out of memory"), -1);
        char inner[512];
        if (!rc && http_answer_embedding(v, a, root, inner, sizeof inner)) {
            snprintf(why, sizeof why, "%.64s embed: %s", e->service->service, inner);
            rc = -1;
        }
        json_decref(root);
        if (!rc) {
            adapter_feature_write(out_buf, MAGIC_EMBED, v, a->dimension);
            out_result->size = adapter_feature_bytes(a->dimension);
        }
        free(v);
    } else {
        /* The verify call needs the image itself later: it waits in the
         * spool, named by its SHA-256, so a resumed run finds it too. */
        char name[80];
        snprintf(name, sizeof name, "%s.png", sha);
        sh_err err = {0};
        rc = http_file_write(e->spool, name, png, size, &err);
        if (rc) {
            snprintf(why, sizeof why, "%s", err.msg);
        } else {
            uint32_t magic = MAGIC_IMAGE;
            memcpy(out_buf, &magic, 4);
            memcpy(out_buf + 4, sha, 64);
            out_result->size = IMAGE_TEMPLATE_BYTES;
        }
    }
    free(png);
    if (rc) {
        log_error(e, why);
        return SHADES_ERR_ENGINE;
    }
    out_result->outcome = SHADES_OUTCOME_OK;
    return SHADES_OK;
}

/* The SHA-256 an image template names, or -1 for bytes that are not one. */
static int image_sha(char out[SH_SHA256_HEX], const uint8_t *t, size_t size)
{
    uint32_t magic;
    if (!t || size != IMAGE_TEMPLATE_BYTES)
        return -1;
    memcpy(&magic, t, 4);
    if (magic != MAGIC_IMAGE)
        return -1;
    memcpy(out, t + 4, 64);
    out[64] = 0;
    return (int)strspn(out, "0123456789abcdef") == 64 ? 0 : -1;
}

static int http_compare(double *out_score, shades_engine *e, const uint8_t *verify,
                        size_t verify_size, const uint8_t *enrol, size_t enrol_size)
{
    if (!out_score || !e)
        return SHADES_ERR_INVALID;
    const http_calls *calls = e->service->calls;
    if (calls->embed)
        return adapter_feature_compare(out_score, MAGIC_EMBED, calls->embed->answer->dimension,
                                   verify, verify_size, enrol, enrol_size);
    if (!calls->verify)
        return SHADES_ERR_UNSUPPORTED;
    char sv[SH_SHA256_HEX], se[SH_SHA256_HEX], why[1024];
    if (image_sha(sv, verify, verify_size) || image_sha(se, enrol, enrol_size))
        return SHADES_ERR_TEMPLATE;
    const char *shas[2] = {sv, se};
    json_t *root = NULL;
    int rc = answer(&root, e, "verify", calls->verify, shas, NULL, NULL, 2, why, sizeof why);
    if (!rc) {
        char inner[512];
        if (http_answer_score(out_score, calls->verify->answer, root, inner, sizeof inner)) {
            snprintf(why, sizeof why, "%s verify: %s", e->service->service, inner);
            rc = -1;
        }
    }
    json_decref(root);
    if (rc) {
        log_error(e, why);
        return SHADES_ERR_ENGINE;
    }
    return SHADES_OK;
}

/* ---- provenance ---- */

/* text as one line of printable ASCII within cap bytes, as the harness
 * records provenance values; the rest marked "...". */
static void printable(char *out, size_t cap, const char *text)
{
    size_t k = 0, n = strlen(text);
    for (size_t i = 0; i < n && k + 1 < cap; i++)
        out[k++] = text[i] >= 0x20 && text[i] < 0x7f ? text[i] : ' ';
    out[k] = 0;
    if (n >= cap && cap > 4)
        memcpy(out + cap - 4, "...", 4);
}

static int http_describe(char *out, size_t cap, const shades_engine *e)
{
    http_stats st;
    http_client_stats(&st, e->client);
    shades_engine *m = (shades_engine *)e; /* the lock only */
    pthread_mutex_lock(&m->lock);
    long answers = e->answers, cached = e->from_cache;
    time_t first = e->first, last = e->last;
    pthread_mutex_unlock(&m->lock);
    char f[32] = "", l[32] = "";
    struct tm tm;
    if (first) {
        gmtime_r(&first, &tm);
        strftime(f, sizeof f, "%Y-%m-%dT%H:%M:%SZ", &tm);
        gmtime_r(&last, &tm);
        strftime(l, sizeof l, "%Y-%m-%dT%H:%M:%SZ", &tm);
    }
    const http_service *s = e->service;
    char follows[1000], cache[1000];
    printable(follows, sizeof follows, s->follows);
    printable(cache, sizeof cache, http_cache_dir(e->cache));
    int n = snprintf(out, cap,
                     "service=%s\napi_version=%s\nfollows=%s\nbase_url=%s\n"
                     "description_sha256=%s\nanswers=%ld\nfrom_cache=%ld\nrequests=%ld\n"
                     "retries=%ld\nfirst_answer=%s\nlast_answer=%s\ncache=%s\n",
                     s->service, s->api_version, follows, http_client_base_url(e->client),
                     s->sha256, answers, cached, st.requests, st.retries, f[0] ? f : "none",
                     l[0] ? l : "none", cache);
    return n < 0 || (size_t)n >= cap ? SHADES_ERR_BUFFER : SHADES_OK;
}

static const void *http_get_extension(const shades_engine *e, const char *id)
{
    if (!e || !id)
        return NULL;
    if (!strcmp(id, SHADES_EXT_ATTRIBUTES))
        return &e->attributes;
    if (!strcmp(id, SHADES_EXT_DETECTION))
        return &e->detection;
    if (!strcmp(id, SHADES_EXT_PROVENANCE))
        return &e->provenance;
    return NULL;
}

SHADES_ADAPTER_DEFINE = {
    .struct_size = sizeof(shades_adapter),
    .abi_major = SHADES_ABI_MAJOR,
    .abi_minor = SHADES_ABI_MINOR,
    .name = NAME,
    .version = "1.0.0",
    .vendor = "shades project",
    .description = "a cloud face service through its HTTP API, as a service description "
                   "(configs/services/) says: detect, attributes, verify or embed calls",
    .capabilities = SHADES_CAP_VERIFY_11 | SHADES_CAP_ATTRIBUTES | SHADES_CAP_DETECTION,
    .create = http_create,
    .destroy = http_destroy,
    .max_concurrency = http_max_concurrency,
    .template_size_max = http_template_size_max,
    .create_template = http_create_template,
    .compare = http_compare,
    .get_extension = http_get_extension,
};
