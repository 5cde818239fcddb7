#!/usr/bin/env python3
# console-recv.py SOCKET [INPUT]: the engine's side of --console-socket.
# Listens on SOCKET, takes one connection and checks the message: one byte
# of data and exactly one SCM_RIGHTS fd, a terminal.  Prints
# "fds=N bytes=N tty=0|1", then, with INPUT, writes it to the pty master,
# and copies what the master says to stdout until the other side is gone.
# Exits 0 when the message was right, 1 otherwise.
import array, os, socket, sys

path = sys.argv[1]
srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
srv.bind(path)
srv.listen(1)
srv.settimeout(20)
open(path + ".ready", "w").close()
conn, _ = srv.accept()
conn.settimeout(20)
fds = array.array("i")
data, anc, flags, _ = conn.recvmsg(16, socket.CMSG_LEN(8 * fds.itemsize))
for level, kind, raw in anc:
    if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
        fds.frombytes(raw[: len(raw) - len(raw) % fds.itemsize])
more = conn.recv(16)  # no reply is expected, and nothing more is sent
tty = len(fds) == 1 and os.isatty(fds[0])
print("fds=%d bytes=%d tty=%d more=%d" % (len(fds), len(data), tty, len(more)), flush=True)
if not tty:
    sys.exit(1)
m = fds[0]
if len(sys.argv) > 2:
    os.write(m, sys.argv[2].encode())
while True:
    try:
        b = os.read(m, 4096)
    except OSError:  # EIO: the last holder of the slave is gone
        break
    if not b:
        break
    sys.stdout.buffer.write(b)
    sys.stdout.flush()
sys.exit(0 if len(data) == 1 and len(fds) == 1 and not more and not flags else 1)
