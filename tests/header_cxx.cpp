// The public header compiles as pedantic C++ and an adapter can be defined.
#include <shades/adapter.h>

#include <cstdio>

static_assert(offsetof(shades_adapter, struct_size) == 0, "size first");

static int create(shades_engine **out, const shades_host *, const shades_engine_config *)
{
    *out = nullptr;
    return SHADES_ERR_UNSUPPORTED;
}

SHADES_ADAPTER_DEFINE = {sizeof(shades_adapter), SHADES_ABI_MAJOR, SHADES_ABI_MINOR, 0, "cxx", "1",
                         "", "", SHADES_CAP_VERIFY_11, create, nullptr, nullptr, nullptr,
                         nullptr, nullptr, nullptr};

int main()
{
    std::printf("%s\n", shades_adapter_entry.name);
    return shades_adapter_entry.struct_size == sizeof(shades_adapter) ? 0 : 1;
}
