/* Deliberately bad adapters for the loader's tests, one per build flag:
 * BAD_MAJOR (built for ABI 2), BAD_SIZE (entry smaller than ABI 1.0),
 * BAD_NO_ENTRY (no exported entry), BAD_NO_COMPARE (entry lacks compare),
 * BAD_NAME (a name that is not a short id). */
#include <shades/adapter.h>

#if !defined(BAD_NO_ENTRY)
static int c_create(shades_engine **out, const shades_host *h, const shades_engine_config *c)
{
    (void)h;
    (void)c;
    *out = 0;
    return SHADES_ERR_UNSUPPORTED;
}
#endif

#if defined(BAD_NO_ENTRY)
SHADES_EXPORT int not_an_entry = 1;
#else
SHADES_ADAPTER_DEFINE = {
#if defined(BAD_SIZE)
    .struct_size = 16,
#else
    .struct_size = sizeof(shades_adapter),
#endif
#if defined(BAD_MAJOR)
    .abi_major = 2,
#else
    .abi_major = SHADES_ABI_MAJOR,
#endif
    .abi_minor = 0,
#if defined(BAD_NAME)
    .name = "ACME Face Engine",
#else
    .name = "bad",
#endif
    .version = "0",
    .capabilities = SHADES_CAP_VERIFY_11,
    .create = c_create,
};
#endif
