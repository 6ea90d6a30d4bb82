/*
 * shades adapter ABI: the only header a face-recognition engine needs.
 *
 * An engine is a shared library that exports one constant symbol,
 * `shades_adapter_entry`, of type shades_adapter. The harness dlopen()s the
 * library, checks the entry's ABI major version and struct size, and only then
 * touches its members. Every struct that crosses this boundary starts with its
 * own size and grows only at its end, so a library built against an older
 * minor version keeps working: the harness checks `struct_size` before it
 * reads a member newer than the library (SHADES_HAS_MEMBER).
 *
 * Ownership: the harness owns every buffer it hands over (images, template
 * buffers, result structs); the engine writes into them and never frees or
 * keeps them past the call. The engine owns its shades_engine and everything
 * inside it; the harness never frees engine memory. Sizes are queried
 * (template_size_max), never guessed.
 *
 * Errors are negative shades_status codes. "No face found" and "refused
 * input" are outcomes of a successful call (shades_outcome), not errors.
 *
 * Thread rules are given per function as [thread: ...].
 *
 * C11 and C++ compatible; no dependency beyond <stddef.h> and <stdint.h>.
 */
#ifndef SHADES_ADAPTER_H
#define SHADES_ADAPTER_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ABI version this header describes. Major changes break; minor changes only
 * append members at struct ends. */
#define SHADES_ABI_MAJOR 1
#define SHADES_ABI_MINOR 0

/* Name of the one symbol an adapter library exports. */
#define SHADES_ADAPTER_ENTRY_SYMBOL "shades_adapter_entry"

/* Marks the exported entry so it stays visible under -fvisibility=hidden. */
#if defined(_WIN32)
#define SHADES_EXPORT __declspec(dllexport)
#elif defined(__GNUC__)
#define SHADES_EXPORT __attribute__((visibility("default")))
#else
#define SHADES_EXPORT
#endif

/* Size a struct must have for `member` to be present: offset plus size. */
#define SHADES_MEMBER_END(type, member) \
    (offsetof(type, member) + sizeof(((type *)0)->member))

/* True when a struct whose first field says `size` bytes carries `member`. */
#define SHADES_HAS_MEMBER(type, size, member) \
    ((size_t)(size) >= SHADES_MEMBER_END(type, member))

/* Result codes of every ABI function: 0 or a negative error. */
typedef enum shades_status {
    SHADES_OK = 0,
    SHADES_ERR_INVALID = -1,     /* bad argument from the caller */
    SHADES_ERR_NOMEM = -2,       /* allocation failed */
    SHADES_ERR_UNSUPPORTED = -3, /* capability not offered */
    SHADES_ERR_CONFIG = -4,      /* engine options or config dir unusable */
    SHADES_ERR_TEMPLATE = -5,    /* template unreadable (corrupt, wrong engine) */
    SHADES_ERR_BUFFER = -6,      /* harness buffer smaller than declared need */
    SHADES_ERR_ENGINE = -7       /* any other internal engine failure */
} shades_status;

/* Per-image outcomes of a successful template call. A failed template is
 * still a valid template (it may be empty) and may be compared. */
typedef enum shades_outcome {
    SHADES_OUTCOME_OK = 0,
    SHADES_OUTCOME_NO_FACE = 1,  /* no face found */
    SHADES_OUTCOME_REFUSED = 2,  /* engine refuses this input (size, format) */
    SHADES_OUTCOME_FAILED = 3    /* face found but no usable template */
} shades_outcome;

/* Pixel layouts the harness delivers; 8 bits per channel. */
typedef enum shades_pixel_format {
    SHADES_PIXEL_GRAY8 = 1,
    SHADES_PIXEL_RGB8 = 2        /* R, G, B byte order */
} shades_pixel_format;

/* What is known of how an image was captured. */
typedef enum shades_capture {
    SHADES_CAPTURE_UNKNOWN = 0,
    SHADES_CAPTURE_PHOTO = 1,     /* cooperative still photograph */
    SHADES_CAPTURE_MUGSHOT = 2,   /* frontal, controlled */
    SHADES_CAPTURE_WILD = 3,      /* unconstrained photograph */
    SHADES_CAPTURE_VIDEO = 4      /* frame from video */
} shades_capture;

/* Role of a template, as in NIST FRVT (1:1 enrolment and verification;
 * 1:N values reserved for the gallery search capability). */
typedef enum shades_template_role {
    SHADES_ROLE_ENROL_11 = 0,
    SHADES_ROLE_VERIFY_11 = 1,
    SHADES_ROLE_ENROL_1N = 2,
    SHADES_ROLE_SEARCH_1N = 3
} shades_template_role;

/* Capability bits an engine declares in shades_adapter.capabilities. Each
 * optional one promises that get_extension returns the table named beside
 * it; `shades check-adapter` holds the engine to that promise. */
#define SHADES_CAP_VERIFY_11 (UINT64_C(1) << 0)  /* create_template + compare; required */
#define SHADES_CAP_BATCH_COMPARE (UINT64_C(1) << 1) /* SHADES_EXT_BATCH_COMPARE */
#define SHADES_CAP_EMBEDDING (UINT64_C(1) << 2)  /* SHADES_EXT_EMBEDDING */
#define SHADES_CAP_SEARCH_1N (UINT64_C(1) << 3)  /* SHADES_EXT_SEARCH_1N */
#define SHADES_CAP_ATTRIBUTES (UINT64_C(1) << 4) /* SHADES_EXT_ATTRIBUTES */
#define SHADES_CAP_DETECTION (UINT64_C(1) << 5)  /* SHADES_EXT_DETECTION */
#define SHADES_CAP_QUALITY (UINT64_C(1) << 6)    /* SHADES_EXT_QUALITY */
/* compare(a, b) == compare(b, a) for every pair; a promise, no table. */
#define SHADES_CAP_SYMMETRIC (UINT64_C(1) << 7)
/* Every capability bit ABI 1.0 defines; a newer minor's bits are ignored. */
#define SHADES_CAP_ALL_1_0 ((UINT64_C(1) << 8) - 1)

/* A decoded image, owned by the harness, valid only during the call.
 * Never a file path, never a label. */
typedef struct shades_image {
    uint32_t struct_size;   /* sizeof(shades_image) as the harness knows it */
    uint32_t width;         /* pixels */
    uint32_t height;        /* pixels */
    uint32_t stride;        /* bytes from one row to the next */
    uint32_t format;        /* shades_pixel_format */
    uint32_t capture;       /* shades_capture */
    const uint8_t *pixels;  /* height * stride bytes */
} shades_image;

/* Eye centres in pixel coordinates of the first image; *_set says found. */
typedef struct shades_eyes {
    uint8_t left_set;
    uint8_t right_set;
    uint16_t reserved;
    float left_x, left_y;
    float right_x, right_y;
} shades_eyes;

/* What create_template reports besides the template bytes. The harness
 * zeroes it and sets struct_size; the engine fills what it knows. */
typedef struct shades_template_result {
    uint32_t struct_size;   /* set by the harness */
    int32_t outcome;        /* shades_outcome */
    size_t size;            /* template bytes written (<= capacity) */
    shades_eyes eyes;       /* eye coordinates when the engine found them */
} shades_template_result;

/* Severity of a message the engine sends through shades_host.log. */
typedef enum shades_log_level {
    SHADES_LOG_DEBUG = 0,
    SHADES_LOG_INFO = 1,
    SHADES_LOG_WARNING = 2,
    SHADES_LOG_ERROR = 3
} shades_log_level;

/* Services the harness offers the engine; owned by the harness, valid from
 * create until destroy. */
typedef struct shades_host {
    uint32_t struct_size;
    uint32_t abi_major;     /* ABI the harness speaks */
    uint32_t abi_minor;
    uint32_t reserved;
    void *host_data;        /* opaque to the engine; pass back to log */
    /* Records a message; the engine's way to explain a negative status.
     * [thread: any] */
    void (*log)(const struct shades_host *host, int level, const char *message);
} shades_host;

/* How the harness configures an engine at create time; owned by the
 * harness, valid only during create. */
typedef struct shades_engine_config {
    uint32_t struct_size;
    uint32_t reserved;
    const char *config_dir; /* read-only directory of engine files, or NULL */
    const char *options;    /* "key=value" lines from the run config, or "" */
    uint64_t seed;          /* run seed, for engines that randomise */
} shades_engine_config;

/* An engine instance: opaque, allocated and freed by the adapter. */
typedef struct shades_engine shades_engine;

/* The adapter's entry point: one constant struct exported as
 * `shades_adapter_entry`. Members are appended only at the end. */
typedef struct shades_adapter {
    uint32_t struct_size;   /* sizeof(shades_adapter) the library was built with */
    uint32_t abi_major;     /* SHADES_ABI_MAJOR the library was built with */
    uint32_t abi_minor;     /* SHADES_ABI_MINOR the library was built with */
    uint32_t reserved;
    const char *name;       /* short id, [a-z0-9_-]+ */
    const char *version;    /* engine version string */
    const char *vendor;     /* who made it */
    const char *description;/* one line */
    uint64_t capabilities;  /* SHADES_CAP_* bits */

    /* Creates an engine into *out; on failure returns a negative status,
     * leaves *out NULL and explains through host->log. `host` outlives the
     * engine. [thread: main; no other call on this library runs meanwhile] */
    int (*create)(shades_engine **out, const shades_host *host,
                  const shades_engine_config *config);

    /* Frees everything the engine owns. [thread: main; after every other
     * call on this engine has returned] */
    void (*destroy)(shades_engine *engine);

    /* Calls the engine accepts at once from different threads: 1 means
     * serialise, 0 means any number. [thread: any; constant per engine] */
    uint32_t (*max_concurrency)(const shades_engine *engine);

    /* Largest template in bytes create_template may write, 1 to 64 MiB;
     * the harness allocates this much. [thread: any; constant per engine] */
    size_t (*template_size_max)(const shades_engine *engine);

    /* Makes one template from `count` images of one person into `out_buf`
     * (capacity bytes, owned by the harness) and fills *out_result. A face
     * not found is SHADES_OK with outcome NO_FACE. [thread: any, up to
     * max_concurrency concurrent calls] */
    int (*create_template)(uint8_t *out_buf, shades_template_result *out_result,
                           shades_engine *engine, const shades_image *images,
                           size_t count, size_t capacity, int role);

    /* Similarity of a verification template to an enrolment template into
     * *out_score: higher means more alike. A failed template may be passed;
     * the engine then returns SHADES_OK with its lowest score or
     * SHADES_ERR_TEMPLATE. [thread: any, up to max_concurrency] */
    int (*compare)(double *out_score, shades_engine *engine,
                   const uint8_t *verify, size_t verify_size,
                   const uint8_t *enrol, size_t enrol_size);

    /* Looks up an optional extension by id (SHADES_EXT_*, or a vendor's own
     * "com.vendor.thing/N"); NULL when absent. The table is owned by the
     * library or the engine and stays valid until destroy; it starts with
     * its struct_size, checked like the entry's. [thread: any] */
    const void *(*get_extension)(const shades_engine *engine, const char *id);
} shades_adapter;

/* ---- Extensions ---------------------------------------------------------
 * Each optional capability is a table found through get_extension by an id
 * that ends in its version. A table grows only at its end; a new
 * incompatible table gets a new id ("/2") and the old one may stay. */

#define SHADES_EXT_BATCH_COMPARE "shades.batch-compare/1"
#define SHADES_EXT_EMBEDDING "shades.embedding/1"
#define SHADES_EXT_SEARCH_1N "shades.search-1n/1"
#define SHADES_EXT_ATTRIBUTES "shades.attributes/1"
#define SHADES_EXT_DETECTION "shades.detection/1"
#define SHADES_EXT_QUALITY "shades.quality/1"
/* Found by id alone, with no capability bit: an engine offers it or not. */
#define SHADES_EXT_PROVENANCE "shades.provenance/1"

/* One verification template against many enrolment templates, for engines
 * that vectorise. Must give the scores compare would give. */
typedef struct shades_batch_compare {
    uint32_t struct_size;
    uint32_t reserved;
    /* Scores verify against enrol[0..count) into out_scores[0..count)
     * (owned by the harness); the rules of compare apply to each. [thread:
     * any, up to max_concurrency] */
    int (*compare_many)(double *out_scores, shades_engine *engine, const uint8_t *verify,
                        size_t verify_size, const uint8_t *const *enrol,
                        const size_t *enrol_sizes, size_t count);
} shades_batch_compare;

/* How the harness scores declared embeddings itself. */
typedef enum shades_metric {
    SHADES_METRIC_COSINE = 1, /* a.b / (|a| |b|); 0 when either norm is 0 */
    SHADES_METRIC_DOT = 2,    /* a.b */
    SHADES_METRIC_NEG_L2 = 3  /* -|a - b| */
} shades_metric;

/* A declaration that every successful template holds a float32 vector
 * (native byte order, 4-byte aligned offset) at `offset`, so the harness
 * may score pairs with BLAS instead of calling compare. The scores must
 * equal compare's to float precision; check-adapter verifies it. */
typedef struct shades_embedding {
    uint32_t struct_size;
    uint32_t metric;        /* shades_metric */
    uint32_t dimension;     /* floats in the vector, >= 1 */
    uint32_t offset;        /* byte offset of the vector in the template */
} shades_embedding;

/* A gallery the engine built for 1:N search: opaque, engine-owned. */
typedef struct shades_gallery shades_gallery;

/* One search result. Fixed layout: it is an array element, so it never
 * grows; a richer candidate would come with a new extension id. */
typedef struct shades_candidate {
    uint64_t ref;           /* the harness's reference given at enrolment */
    double score;           /* similarity; higher means more alike */
} shades_candidate;

/* Engine-side 1:N. Without it the harness searches by comparing the probe
 * with every gallery template. */
typedef struct shades_search_1n {
    uint32_t struct_size;
    uint32_t reserved;
    /* Builds a gallery into *out from count templates made with role
     * SHADES_ROLE_ENROL_1N; refs[i] names templates[i] in results. The
     * engine copies what it keeps. [thread: main; no other call on this
     * engine runs meanwhile] */
    int (*gallery_create)(shades_gallery **out, shades_engine *engine,
                          const uint8_t *const *templates, const size_t *sizes,
                          const uint64_t *refs, size_t count);
    /* Frees a gallery. [thread: main; after its last search returned] */
    void (*gallery_destroy)(shades_gallery *gallery);
    /* Searches one SHADES_ROLE_SEARCH_1N template; writes at most `length`
     * candidates, best first, into out (owned by the harness) and their
     * number into *out_count. Failed gallery templates are never listed.
     * [thread: any, up to max_concurrency] */
    int (*search)(shades_candidate *out, size_t *out_count, shades_engine *engine,
                  const shades_gallery *gallery, const uint8_t *probe, size_t probe_size,
                  size_t length);
} shades_search_1n;

/* Estimated sex, as an engine reports it. */
typedef enum shades_sex {
    SHADES_SEX_UNKNOWN = 0,
    SHADES_SEX_FEMALE = 1,
    SHADES_SEX_MALE = 2
} shades_sex;

/* What attribute estimation reports for one image. The harness zeroes it
 * and sets struct_size; an unknown value stays as zeroed except age. */
typedef struct shades_attributes {
    uint32_t struct_size;   /* set by the harness */
    int32_t outcome;        /* shades_outcome: NO_FACE etc. as for templates */
    int32_t sex;            /* shades_sex */
    float sex_confidence;   /* in [0, 1] */
    float age;              /* years; negative when not estimated */
} shades_attributes;

/* Attribute estimation for classification audits (Gender Shades). */
typedef struct shades_attribute_estimation {
    uint32_t struct_size;
    uint32_t reserved;
    /* Estimates the attributes of the face in one image into *out_attrs.
     * [thread: any, up to max_concurrency] */
    int (*estimate)(shades_attributes *out_attrs, shades_engine *engine,
                    const shades_image *image);
} shades_attribute_estimation;

/* One detected face. Fixed layout (an array element). */
typedef struct shades_face {
    float x, y, width, height; /* box in pixels of the image */
    float confidence;          /* in [0, 1] */
    shades_eyes eyes;
} shades_face;

/* Face detection, for engines that expose it. */
typedef struct shades_detection {
    uint32_t struct_size;
    uint32_t reserved;
    /* Finds faces in one image; writes at most `capacity` of them, most
     * confident first, into out (owned by the harness) and their number
     * into *out_count (0 is an outcome, not an error). [thread: any, up to
     * max_concurrency] */
    int (*detect)(shades_face *out, size_t *out_count, shades_engine *engine,
                  const shades_image *image, size_t capacity);
} shades_detection;

/* Image quality, for engines that score it. */
typedef struct shades_quality {
    uint32_t struct_size;
    uint32_t reserved;
    /* Quality of the face in one image into *out_quality, in [0, 100],
     * higher is better; negative when no face was found. [thread: any, up
     * to max_concurrency] */
    int (*assess)(double *out_quality, shades_engine *engine, const shades_image *image);
} shades_quality;

/* Where an engine's answers came from, for engines that answer through
 * something the harness cannot see (a cloud service, a response cache).
 * The harness records the lines under /engine/provenance in the results
 * and shows them beside the engine in reports. */
typedef struct shades_provenance {
    uint32_t struct_size;
    uint32_t reserved;
    /* Writes "key=value\n" lines (keys [a-z0-9_]+, values one line of
     * printable text, never a secret) into out (cap bytes, owned by the
     * harness), NUL-terminated. Returns SHADES_OK, or SHADES_ERR_BUFFER
     * when cap is too small. [thread: main; after the run's last call on
     * the engine] */
    int (*describe)(char *out, size_t cap, const shades_engine *engine);
} shades_provenance;

/* The smallest entry a 1.0 library may export: everything up to
 * get_extension. */
#define SHADES_ADAPTER_SIZE_1_0 SHADES_MEMBER_END(shades_adapter, get_extension)

/* Declares the exported entry in an adapter's source:
 *   SHADES_ADAPTER_DEFINE = { sizeof(shades_adapter), SHADES_ABI_MAJOR, ... }; */
#ifdef __cplusplus
#define SHADES_ADAPTER_DEFINE \
    extern "C" SHADES_EXPORT const shades_adapter shades_adapter_entry; \
    extern "C" SHADES_EXPORT const shades_adapter shades_adapter_entry
#else
#define SHADES_ADAPTER_DEFINE \
    SHADES_EXPORT const shades_adapter shades_adapter_entry
#endif

#ifdef __cplusplus
}
#endif

#endif /* SHADES_ADAPTER_H */
