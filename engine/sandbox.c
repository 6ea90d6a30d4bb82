#include "sandbox.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <grp.h>
#include <linux/capability.h>
#include <pwd.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
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

/* What every worker may read: the system's libraries and data, and the
 * few files a dynamic loader and a C library open. Not /etc as a whole
 * (shadow, keys, other services' settings), not /dev as a whole (/dev/shm
 * holds other programs' data), not /home, /root, /tmp or /var. */
static const char *const system_dirs[] = {"/usr", "/lib", "/lib64", "/lib32", "/libx32", "/opt",
                                          "/proc", "/sys", "/etc/alternatives", NULL};
static const char *const system_files[] = {"/etc/ld.so.cache", "/etc/ld.so.preload",
                                           "/etc/localtime", "/dev/urandom", "/dev/random",
                                           "/dev/zero", NULL};

const char *sh_sandbox_system_dir(const char *path)
{
    for (size_t k = 0; system_dirs[k]; k++) {
        size_t n = strlen(system_dirs[k]);
        if (!strncmp(path, system_dirs[k], n) && (path[n] == '/' || path[n] == '\0'))
            return system_dirs[k];
    }
    return NULL;
}

/* Every filesystem right the kernel's ABI knows: all are handled, so what
 * no rule grants is refused. */
static uint64_t fs_rights(int abi)
{
    int bits = abi >= 5 ? 16 : abi >= 3 ? 15 : abi >= 2 ? 14 : 13;
    return (1ULL << bits) - 1;
}

/* The rights a rule on a file (not a directory) may carry. */
#define LL_FILE_RIGHTS (LL_FS_EXECUTE | LL_FS_WRITE_FILE | LL_FS_READ_FILE | LL_FS_TRUNCATE)

static int add_rule(int ruleset, const char *path, uint64_t access)
{
    int fd = open(path, O_PATH | O_CLOEXEC);
    if (fd < 0)
        return errno == ENOENT || errno == ENOTDIR || errno == EACCES ? 0 : -1;
    struct stat st;
    if (fstat(fd, &st) == 0 && !S_ISDIR(st.st_mode))
        access &= LL_FILE_RIGHTS;
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
    for (size_t k = 0; system_dirs[k] && !bad; k++)
        bad = add_rule(rs, system_dirs[k], read);
    for (size_t k = 0; system_files[k] && !bad; k++)
        bad = add_rule(rs, system_files[k], LL_FS_READ_FILE);
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

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define SANDBOX_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define SANDBOX_SANITIZED 1
#endif
#endif

#ifdef SANDBOX_ARCH
/* A filter program, built one rule at a time. */
typedef struct bpf_prog {
    struct sock_filter f[128];
    unsigned short n;
} bpf_prog;

static void emit(bpf_prog *p, struct sock_filter ins)
{
    if (p->n < sizeof p->f / sizeof p->f[0])
        p->f[p->n++] = ins;
}

/* System call nr returns the error e without running. */
static void refuse(bpf_prog *p, long nr, int e)
{
    emit(p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (uint32_t)nr, 0, 1));
    emit(p, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (uint32_t)e));
}
#endif

/* Refuses, with an error the engine can handle, what no engine needs and
 * a hostile one would use to reach out: other processes' memory (ptrace,
 * process_vm_*), any new socket (socket(); only the harness's socketpair
 * stays), io_uring (which makes sockets and files by its own path), new
 * processes (fork, vfork, clone without CLONE_THREAD; clone3 says ENOSYS
 * so the C library falls back to clone, and threads still work), exec,
 * and namespace, mount, key, BPF and perf changes. */
static int seccomp_filter(void)
{
#ifdef SANDBOX_ARCH
    bpf_prog p = {.n = 0};
    emit(&p, (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
                                          offsetof(struct seccomp_data, arch)));
    emit(&p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SANDBOX_ARCH, 1, 0));
    emit(&p, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS));
    emit(&p, (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
                                          offsetof(struct seccomp_data, nr)));
#if defined(__x86_64__)
    /* x32 numbers reach the same calls by other numbers: none pass. */
    emit(&p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, 0x40000000u, 0, 1));
    emit(&p, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS));
#endif
    /* clone: threads pass, processes do not (its flags are argument 0). */
    emit(&p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_clone, 0, 4));
    emit(&p, (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
                                          offsetof(struct seccomp_data, args[0])));
    emit(&p, (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, CLONE_THREAD, 0, 1));
    emit(&p, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW));
    emit(&p, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM));
    static const long eperm[] = {
        SYS_ptrace, SYS_process_vm_readv, SYS_process_vm_writev, SYS_socket, SYS_execve,
        SYS_execveat, SYS_unshare, SYS_setns, SYS_mount, SYS_umount2, SYS_pivot_root,
        SYS_chroot, SYS_bpf, SYS_perf_event_open, SYS_userfaultfd, SYS_keyctl, SYS_add_key,
        SYS_request_key, SYS_kexec_load, SYS_init_module, SYS_finit_module,
        SYS_open_by_handle_at,
#ifdef SYS_fork
        SYS_fork,
#endif
#ifdef SYS_vfork
        SYS_vfork,
#endif
    };
    static const long enosys[] = {SYS_clone3, SYS_io_uring_setup, SYS_io_uring_enter,
                                  SYS_io_uring_register};
    for (size_t k = 0; k < sizeof eperm / sizeof eperm[0]; k++)
        refuse(&p, eperm[k], EPERM);
    for (size_t k = 0; k < sizeof enosys / sizeof enosys[0]; k++)
        refuse(&p, enosys[k], ENOSYS);
    emit(&p, (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW));
    struct sock_fprog prog = {p.n, p.f};
    /* Every thread, should a library have started one despite the check. */
    return syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_TSYNC, &prog) ? -1
                                                                                           : 1;
#else
    return 0;
#endif
}

/* Writes text to a /proc/self file; 0 or -1. */
static int write_proc(const char *name, const char *text)
{
    int fd = open(name, O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    ssize_t n = write(fd, text, strlen(text));
    close(fd);
    return n == (ssize_t)strlen(text) ? 0 : -1;
}

/* A network namespace of the worker's own, with nothing in it but a
 * loopback that is down: no network by any path the kernel offers. Root
 * makes one directly; another user inside a user namespace of its own,
 * where the kernel allows that. Returns NULL, or why there is none. */
static const char *own_network(char *buf, size_t cap)
{
    if (geteuid() == 0)
        return unshare(CLONE_NEWNET) ? strerror(errno) : NULL;
    uid_t uid = geteuid();
    gid_t gid = getegid();
    if (unshare(CLONE_NEWUSER | CLONE_NEWNET))
        return strerror(errno);
    char map[64];
    snprintf(map, sizeof map, "%u %u 1\n", (unsigned)uid, (unsigned)uid);
    int bad = write_proc("/proc/self/setgroups", "deny") || write_proc("/proc/self/uid_map", map);
    snprintf(map, sizeof map, "%u %u 1\n", (unsigned)gid, (unsigned)gid);
    bad = bad || write_proc("/proc/self/gid_map", map);
    if (bad) {
        snprintf(buf, cap, "cannot map ids: %s", strerror(errno));
        return buf;
    }
    return NULL;
}

/* No capabilities left, in any namespace. */
static int drop_capabilities(void)
{
    struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
    struct __user_cap_data_struct d[2];
    memset(d, 0, sizeof d);
    return (int)syscall(SYS_capset, &h, d);
}

/* Becomes the unprivileged user: no supplementary groups, then the group,
 * then the user (which clears root's capabilities). */
static int become(const sh_sandbox_limits *l, char *out, size_t cap)
{
    if (setgroups(0, NULL) || setresgid(l->gid, l->gid, l->gid) ||
        setresuid(l->uid, l->uid, l->uid)) {
        snprintf(out, cap, "cannot become uid %u: %s", (unsigned)l->uid, strerror(errno));
        return -1;
    }
    if (getuid() != l->uid || geteuid() != l->uid || getegid() != l->gid) {
        snprintf(out, cap, "still uid %u after the change", (unsigned)geteuid());
        return -1;
    }
    return 0;
}

static int set_limit(int resource, uint64_t v)
{
    struct rlimit r = {(rlim_t)v, (rlim_t)v};
    return setrlimit(resource, &r);
}

/* The worker's resource limits; the text for the record goes to out. */
static int limits(const sh_sandbox_limits *l, char *out, size_t cap)
{
    int bad = 0;
    const char *as = "no address-space limit";
#ifdef SANDBOX_SANITIZED
    /* A sanitizer's shadow memory is terabytes of address space. */
    if (l->memory_bytes)
        as = "no address-space limit (a sanitizer build)";
#else
    char mem[64];
    if (l->memory_bytes) {
        bad |= set_limit(RLIMIT_AS, l->memory_bytes);
        snprintf(mem, sizeof mem, "address space %llu MiB",
                 (unsigned long long)(l->memory_bytes >> 20));
        as = mem;
    }
#endif
    bad |= set_limit(RLIMIT_NOFILE, l->open_files);
    /* It writes nothing: its stdout and stderr are a pipe to the harness. */
    bad |= set_limit(RLIMIT_FSIZE, 0);
    bad |= set_limit(RLIMIT_CORE, 0); /* a core would hold the images */
    if (bad) {
        snprintf(out, cap, "setrlimit: %s", strerror(errno));
        return -1;
    }
    snprintf(out, cap, "%s, %llu open files, file size 0, no core dumps", as,
             (unsigned long long)l->open_files);
    return 0;
}

/* The process's threads, from /proc/self/task. */
static int thread_count(void)
{
    DIR *d = opendir("/proc/self/task");
    int n = 0;
    for (struct dirent *e; d && (e = readdir(d));)
        n += e->d_name[0] != '.';
    if (d)
        closedir(d);
    return n;
}

int sh_sandbox_enter(char *out, size_t cap, const sh_sandbox_limits *l,
                         const char *const *readable, size_t n)
{
    char netbuf[128], lim[160], who[96];
    /* Namespaces, Landlock and capabilities bind the calling thread (and
     * the threads it starts) only: one started earlier would be outside. */
    int threads = thread_count();
#ifndef SANDBOX_SANITIZED
    if (threads > 1) {
        snprintf(out, cap, "the worker has %d threads before its sandbox (a library started "
                 "them when it was loaded); the sandbox would not hold for them", threads);
        return -1;
    }
#endif
    const char *nonet = own_network(netbuf, sizeof netbuf);
    if (l->drop && become(l, out, cap))
        return -1;
    if (drop_capabilities()) {
        snprintf(out, cap, "capset: %s", strerror(errno));
        return -1;
    }
    snprintf(who, sizeof who, "uid %u gid %u", (unsigned)geteuid(), (unsigned)getegid());
    if (limits(l, lim, sizeof lim)) {
        snprintf(out, cap, "%s", lim);
        return -1;
    }
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
        int e = errno;
        snprintf(out, cap, "landlock: %s%s", strerror(e),
                 e == EMFILE ? " (raise --isolate-files: the sandbox itself opens a few)" : "");
        return -1;
    }
    char ll[160];
    if (abi)
        snprintf(ll, sizeof ll, "landlock ABI %d (reads only system directories, the "
                 "adapter's directory and engine.config_dir; writes nothing)", abi);
    else
        snprintf(ll, sizeof ll, "no Landlock in this kernel: the engine can read what its "
                 "user can");
    char net[192];
    if (nonet)
        snprintf(net, sizeof net, "no network namespace (%s): no sockets by seccomp%s", nonet,
                 sc ? "" : " either");
    else
        snprintf(net, sizeof net, "network namespace");
    snprintf(out, cap, "%s, %s, %s, %s; %s%s", ll,
             sc ? "seccomp (no sockets, processes or exec)" : "no seccomp", net, who, lim,
             threads > 1 ? "; a sanitizer's thread started before it is outside Landlock" : "");
    return 0;
}

int sh_sandbox_resolve(sh_sandbox_limits *out, const sh_sandbox_policy *p,
                           sh_err *err)
{
    memset(out, 0, sizeof *out);
    out->memory_bytes = !p || !p->memory_mib ? (uint64_t)SH_SANDBOX_MEMORY_MIB << 20
                        : p->memory_mib == UINT64_MAX ? 0
                                                      : p->memory_mib << 20;
    out->open_files = p && p->open_files ? p->open_files : SH_SANDBOX_OPEN_FILES;
    const char *user = p && p->user ? p->user : NULL;
    if (geteuid() != 0) {
        if (user)
            return sh_err_set(err, SH_E_INPUT, "--isolate-user '%s': only a run "
                                  "started as root can change user; the engine runs as this "
                                  "one", user);
        return 0;
    }
    struct passwd *pw = getpwnam(user ? user : "nobody");
    if (!pw)
        return sh_err_set(err, SH_E_INPUT, "--isolate-user '%s': no such user",
                              user ? user : "nobody");
    /* Root inside the sandbox would still own root's files. */
    if (pw->pw_uid == 0)
        return sh_err_set(err, SH_E_INPUT, "--isolate-user '%s': an isolated engine "
                              "never runs as root; name an unprivileged user", pw->pw_name);
    out->drop = 1;
    out->uid = pw->pw_uid;
    out->gid = pw->pw_gid;
    return 0;
}

void sh_sandbox_limits_format(char *out, size_t cap, const sh_sandbox_limits *l)
{
    snprintf(out, cap, "%d:%u:%u:%llu:%llu", l->drop, (unsigned)l->uid, (unsigned)l->gid,
             (unsigned long long)l->memory_bytes, (unsigned long long)l->open_files);
}

int sh_sandbox_limits_parse(sh_sandbox_limits *out, const char *text)
{
    unsigned uid, gid;
    unsigned long long mem, files;
    int drop;
    if (sscanf(text, "%d:%u:%u:%llu:%llu", &drop, &uid, &gid, &mem, &files) != 5)
        return -1;
    *out = (sh_sandbox_limits){drop, (uid_t)uid, (gid_t)gid, mem, files};
    return 0;
}
