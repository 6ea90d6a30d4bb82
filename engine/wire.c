#include "wire.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

int sh_wire_send(int sock, uint32_t type, const void *head, size_t head_len,
                     const void *tail, size_t tail_len, int fd)
{
    sh_wire_header h = {type, (uint32_t)(head_len + tail_len)};
    struct iovec iov[3] = {{&h, sizeof h}, {(void *)head, head_len}, {(void *)tail, tail_len}};
    int niov = tail_len ? 3 : 2;
    union {
        struct cmsghdr align;
        char buf[CMSG_SPACE(sizeof(int))];
    } ctl;
    struct msghdr msg = {.msg_iov = iov, .msg_iovlen = (size_t)niov};
    if (fd >= 0) {
        memset(&ctl, 0, sizeof ctl);
        msg.msg_control = ctl.buf;
        msg.msg_controllen = sizeof ctl.buf;
        struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SCM_RIGHTS;
        c->cmsg_len = CMSG_LEN(sizeof(int));
        memcpy(CMSG_DATA(c), &fd, sizeof fd);
    }
    /* The first sendmsg carries the fd; any rest goes as plain bytes. */
    while (msg.msg_iovlen) {
        ssize_t w = sendmsg(sock, &msg, MSG_NOSIGNAL);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        msg.msg_control = NULL;
        msg.msg_controllen = 0;
        size_t left = (size_t)w;
        while (msg.msg_iovlen && left >= msg.msg_iov[0].iov_len) {
            left -= msg.msg_iov[0].iov_len;
            msg.msg_iov++;
            msg.msg_iovlen--;
        }
        if (msg.msg_iovlen) {
            msg.msg_iov[0].iov_base = (char *)msg.msg_iov[0].iov_base + left;
            msg.msg_iov[0].iov_len -= left;
        }
    }
    return 0;
}

static long long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Waits until sock is readable or the deadline passes: 0, -1, -2. */
static int wait_readable(int sock, long long deadline)
{
    if (deadline < 0)
        return 0;
    for (;;) {
        long long left = deadline - now_ms();
        if (left <= 0)
            return -2;
        struct pollfd p = {sock, POLLIN, 0};
        int r = poll(&p, 1, (int)(left > 1000000 ? 1000000 : left));
        if (r > 0)
            return 0;
        if (r < 0 && errno != EINTR)
            return -1;
    }
}

static int read_some(int sock, void *buf, size_t n, int *out_fd, long long deadline)
{
    size_t got = 0;
    while (got < n) {
        int w = wait_readable(sock, deadline);
        if (w)
            return w;
        union {
            struct cmsghdr align;
            char buf[CMSG_SPACE(sizeof(int))];
        } ctl;
        struct iovec iov = {(char *)buf + got, n - got};
        struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1};
        if (out_fd) {
            msg.msg_control = ctl.buf;
            msg.msg_controllen = sizeof ctl.buf;
        }
        ssize_t r = recvmsg(sock, &msg, MSG_CMSG_CLOEXEC);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return -1;
        if (out_fd)
            for (struct cmsghdr *c = CMSG_FIRSTHDR(&msg); c; c = CMSG_NXTHDR(&msg, c))
                if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS)
                    memcpy(out_fd, CMSG_DATA(c), sizeof *out_fd);
        got += (size_t)r;
    }
    return 0;
}

int sh_wire_read(int sock, void *buf, size_t n, int timeout_ms)
{
    return read_some(sock, buf, n, NULL, timeout_ms < 0 ? -1 : now_ms() + timeout_ms);
}

int sh_wire_read_header(sh_wire_header *out, int *out_fd, int sock, int timeout_ms)
{
    if (out_fd)
        *out_fd = -1;
    return read_some(sock, out, sizeof *out, out_fd, timeout_ms < 0 ? -1 : now_ms() + timeout_ms);
}
