"""listeners.py DIR SECONDS: listens on a loopback TCP port, a loopback UDP
port and a pathname Unix socket (DIR/unix.sock) for at most SECONDS, and
appends whatever arrives to DIR/received. Writes "TCP UDP" (the ports) to
DIR/ports once it listens. Used by containment_cli.sh: an isolated engine
must reach none of them."""
import os
import selectors
import socket
import sys
import time

where, seconds = sys.argv[1], float(sys.argv[2])
tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
tcp.bind(("127.0.0.1", 0))
tcp.listen(8)
udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
udp.bind(("127.0.0.1", 0))
unix = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
path = os.path.join(where, "unix.sock")
unix.bind(path)
os.chmod(path, 0o777)  # the engine's user may connect, as to any daemon's socket
unix.listen(8)
sel = selectors.DefaultSelector()
for s in (tcp, udp, unix):
    sel.register(s, selectors.EVENT_READ)
with open(os.path.join(where, "ports.tmp"), "w") as f:
    f.write(f"{tcp.getsockname()[1]} {udp.getsockname()[1]}\n")
os.rename(os.path.join(where, "ports.tmp"), os.path.join(where, "ports"))
end = time.monotonic() + seconds
with open(os.path.join(where, "received"), "ab") as out:
    while time.monotonic() < end:
        for key, _ in sel.select(timeout=0.2):
            s = key.fileobj
            if s is udp:
                out.write(b"udp: " + s.recv(4096))
            else:
                conn, _ = s.accept()
                conn.settimeout(1)
                try:
                    out.write(b"stream: " + conn.recv(4096))
                except OSError:
                    out.write(b"stream: connected\n")
                conn.close()
            out.flush()
