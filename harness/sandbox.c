#include "sandbox.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Landlock's interface, spelled out here because Debian 12's kernel headers
 * stop at ABI 2 while the kernels it runs on go further. */
#define LL_CREATE_RULESET_VERSION (1U << 0)
#define LL_RULE_PATH_BENEATH 1
#define LL_FS_EXECUTE (1ULL << 0)
#define LL_FS_WRITE_FILE (1ULL << 1)
#define LL_FS_READ_FILE (1ULL << 2)
#define LL_FS_READ_DIR (1ULL << 3)
#define LL_FS_TRUNCATE (1ULL << 14)
#define LL_NET_BIND_TCP (1ULL << 0)
#define LL_NET_CONNECT_TCP (1ULL << 1)
#define LL_SCOPE_ABSTRACT_UNIX_SOCKET (1ULL << 0)
#define LL_SCOPE_SIGNAL (1ULL << 1)

struct ll_ruleset_attr {
    uint64_t handled_access_fs;
    uint64_t handled_access_net; /* ABI 4 */
    uint64_t scoped;             /* ABI 6 */
};

struct ll_path_beneath_attr {
    uint64_t allowed_access;
    int32_t parent_fd;
} __attribute__((packed));

const char *const shades_sandbox_system_dirs[] = {
    "/usr", "/lib", "/lib64", "/lib32", "/libx32", "/etc", "/opt", "/proc", "/sys", "/dev", NULL};

/* Every filesystem right the kernel's ABI knows: all are handled, so what
 * no rule grants is refused. */
static uint64_t fs_rights(int abi)
{
    int bits = abi >= 5 ? 16 : abi >= 3 ? 15 : abi >= 2 ? 14 : 13;
    return (1ULL << bits) - 1;
}

static int add_rule(int ruleset, const char *path, uint64_t access)
{
    int fd = open(path, O_PATH | O_CLOEXEC);
    if (fd < 0)
        return errno == ENOENT || errno == ENOTDIR ? 0 : -1;
    struct ll_path_beneath_attr rule = {access, fd};
    long r = syscall(SYS_landlock_add_rule, ruleset, LL_RULE_PATH_BENEATH, &rule, 0);
    close(fd);
    return r ? -1 : 0;
}

/* The Landlock domain; 0 with *abi 0 when the kernel has none. */
static int landlock(int *abi, const char *const *readable, size_t n)
{
    long v = syscall(SYS_landlock_create_ruleset, NULL, 0, LL_CREATE_RULESET_VERSION);
    *abi = v > 0 ? (int)v : 0;
    if (*abi == 0)
        return 0;
    struct ll_ruleset_attr attr = {fs_rights(*abi), 0, 0};
    size_t size = offsetof(struct ll_ruleset_attr, handled_access_net);
    if (*abi >= 4) {
        attr.handled_access_net = LL_NET_BIND_TCP | LL_NET_CONNECT_TCP;
        size = offsetof(struct ll_ruleset_attr, scoped);
    }
    if (*abi >= 6) {
        attr.scoped = LL_SCOPE_ABSTRACT_UNIX_SOCKET | LL_SCOPE_SIGNAL;
        size = sizeof attr;
    }
    int rs = (int)syscall(SYS_landlock_create_ruleset, &attr, size, 0);
    if (rs < 0)
        return -1;
    const uint64_t read = LL_FS_EXECUTE | LL_FS_READ_FILE | LL_FS_READ_DIR;
    int bad = 0;
    for (size_t k = 0; shades_sandbox_system_dirs[k] && !bad; k++)
        bad = add_rule(rs, shades_sandbox_system_dirs[k], read);
    for (size_t k = 0; k < n && !bad; k++)
        if (readable[k] && readable[k][0])
            bad = add_rule(rs, readable[k], read);
    uint64_t null_rights = LL_FS_READ_FILE | LL_FS_WRITE_FILE | (*abi >= 3 ? LL_FS_TRUNCATE : 0);
    if (!bad)
        bad = add_rule(rs, "/dev/null", null_rights);
    if (!bad)
        bad = (int)syscall(SYS_landlock_restrict_self, rs, 0);
    close(rs);
    return bad ? -1 : 0;
}

#if defined(__x86_64__)
#define SANDBOX_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define SANDBOX_ARCH AUDIT_ARCH_AARCH64
#endif

/* Refuses ptrace and process_vm_readv/writev with EPERM: the calls that
 * reach into another process's memory whatever the filesystem allows. */
static int seccomp_filter(void)
{
#ifdef SANDBOX_ARCH
    struct sock_filter f[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SANDBOX_ARCH, 1, 0),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_ptrace, 3, 0),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_process_vm_readv, 2, 0),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_process_vm_writev, 1, 0),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
    };
    struct sock_fprog prog = {sizeof f / sizeof f[0], f};
    return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) ? -1 : 1;
#else
    return 0;
#endif
}

int shades_sandbox_enter(char *out, size_t cap, const char *const *readable, size_t n)
{
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)) {
        snprintf(out, cap, "no_new_privs: %s", strerror(errno));
        return -1;
    }
    int sc = seccomp_filter();
    if (sc < 0) {
        snprintf(out, cap, "seccomp: %s", strerror(errno));
        return -1;
    }
    int abi;
    if (landlock(&abi, readable, n)) {
        snprintf(out, cap, "landlock: %s", strerror(errno));
        return -1;
    }
    if (abi)
        snprintf(out, cap, "landlock ABI %d%s", abi, sc ? ", seccomp" : "");
    else
        snprintf(out, cap, "%s (no Landlock in this kernel: the engine can read and write "
                 "what its user can)", sc ? "seccomp" : "none");
    return 0;
}
