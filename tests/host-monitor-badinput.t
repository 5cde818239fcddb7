#!/bin/bash
# container monitor under bad input: garbage, oversized and malformed
# requests get the 4xx that applies (400, 404, 405, 413, 414, 431), a
# slowloris client gets 408 and is closed while others are served, 1,000
# connections opened at once are served, refused with 503 or closed, and
# none of it stops the server or makes it grow: /healthz is still served
# afterwards and its memory stays within bounds.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/lib/monitor.sh"
need_root
need_container
has_feature monitor || skip_all "this build has no monitor"
command -v python3 >/dev/null || skip_all "no python3 (tools/deps.sh test installs it)"

# --- bad command lines: one line, exit 1, nothing listening ----------------
for args in "--listen 1.2.3:80" "--listen 127.0.0.1:0" "--listen 127.0.0.1" "--listen localhost:80" \
	"--listen" "--bogus" "extra"; do
	# shellcheck disable=SC2086
	capture ctr monitor $args
	is "$RC" 1 "monitor $args: exit 1"
	one_error_line "monitor $args: one error line"
done

monitor_start
rss0=$(rss_kib "$MON_PID")
capture ctr monitor --listen "127.0.0.1:$MON_PORT"
is "$RC" 1 "a port in use: exit 1"
like "$ERR" "^container: monitor: listen on 127\.0\.0\.1:$MON_PORT: Address (already )?in use$" "a port in use: says so"

# raw REQUEST (a python bytes literal): the status line of the answer, or
# "closed" when the server closed without one
raw() {
	python3 - "$MON_PORT" "$1" <<'EOF'
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=10)
req = eval(sys.argv[2])
data = b""
try:
    s.sendall(req)
    if not req:
        s.shutdown(socket.SHUT_WR)
    while True:
        d = s.recv(65536)
        if not d:
            break
        data += d
except (ConnectionResetError, BrokenPipeError):
    pass
line = data.split(b"\r\n", 1)[0].decode("latin-1")
print(line if line else "closed")
head = data.split(b"\r\n\r\n", 1)[0].decode("latin-1")
if "Allow:" in head:
    print([h for h in head.split("\r\n") if h.startswith("Allow:")][0])
EOF
}

expect() {	# DESC REQUEST STATUS-LINE
	local got
	got=$(raw "$2" 2>&1 | head -n 1)
	is "$got" "$3" "$1"
}
expect "a good request: 200" 'b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n"' "HTTP/1.1 200 OK"
expect "HTTP/1.0 without Host: 200" 'b"GET /healthz HTTP/1.0\r\n\r\n"' "HTTP/1.1 200 OK"
expect "bare LF line ends: 200" 'b"GET /healthz HTTP/1.1\nHost: x\n\n"' "HTTP/1.1 200 OK"
expect "binary garbage: 400" 'b"\x00\x01\x02\xff garbage\r\n\r\n"' "HTTP/1.1 400 Bad Request"
expect "no version: 400" 'b"GET /\r\n\r\n"' "HTTP/1.1 400 Bad Request"
expect "HTTP/2.0: 400" 'b"GET / HTTP/2.0\r\nHost: x\r\n\r\n"' "HTTP/1.1 400 Bad Request"
expect "HTTP/1.1 without Host: 400" 'b"GET / HTTP/1.1\r\n\r\n"' "HTTP/1.1 400 Bad Request"
expect "a path that is not absolute: 400" 'b"GET metrics HTTP/1.1\r\nHost: x\r\n\r\n"' "HTTP/1.1 400 Bad Request"
expect "a header without a colon: 400" 'b"GET / HTTP/1.1\r\nHost: x\r\nbogus\r\n\r\n"' "HTTP/1.1 400 Bad Request"
expect "a folded header: 400" 'b"GET / HTTP/1.1\r\nHost: x\r\n folded\r\n\r\n"' "HTTP/1.1 400 Bad Request"
expect "a control character in a header: 400" 'b"GET / HTTP/1.1\r\nHost: x\x01y\r\n\r\n"' "HTTP/1.1 400 Bad Request"
expect "an unknown path: 404" 'b"GET /etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n"' "HTTP/1.1 404 Not Found"
expect "a dot-dot path: 404" 'b"GET /../../etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n"' "HTTP/1.1 404 Not Found"
out=$(raw 'b"DELETE /metrics HTTP/1.1\r\nHost: x\r\n\r\n"')
is "$out" $'HTTP/1.1 405 Method Not Allowed\nAllow: GET, HEAD' "DELETE: 405 with Allow: GET, HEAD"
expect "a body: 413" 'b"GET /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello"' "HTTP/1.1 413 Content Too Large"
expect "chunked: 413" 'b"GET /metrics HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"' "HTTP/1.1 413 Content Too Large"
expect "a 64 KiB path: 414" 'b"GET /" + b"a" * 65536 + b" HTTP/1.1\r\nHost: x\r\n\r\n"' "HTTP/1.1 414 URI Too Long"
expect "a 64 KiB header: 431" 'b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 65536 + b"\r\n\r\n"' \
	"HTTP/1.1 431 Request Header Fields Too Large"
expect "100 headers: 431" 'b"GET / HTTP/1.1\r\nHost: x\r\n" + b"X-A: b\r\n" * 100 + b"\r\n"' \
	"HTTP/1.1 431 Request Header Fields Too Large"
expect "1 MiB of newlines after a request line: 431" 'b"GET / HTTP/1.1\r\n" + b"X: y\n" * 200000' \
	"HTTP/1.1 431 Request Header Fields Too Large"
expect "a connection closed at once: closed without a word" 'b""' "closed"

# --- a slowloris client -----------------------------------------------------
# One header byte every 0.5 s: answered 408 and closed within the request
# timeout (5 s, config.h), while a normal client is served meanwhile.
python3 - "$MON_PORT" >"$T/slow.out" 2>&1 <<'EOF' &
import socket, sys, time
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=20)
t0 = time.time()
s.sendall(b"GET / HTTP/1.1\r\n")
data = b""
try:
    for ch in b"X-Slow: " + b"a" * 100:
        s.sendall(bytes([ch]))
        s.settimeout(0.5)
        try:
            d = s.recv(4096)
            if not d:
                break
            data += d
        except socket.timeout:
            pass
    s.settimeout(10)
    while True:
        d = s.recv(4096)
        if not d:
            break
        data += d
except (ConnectionResetError, BrokenPipeError):
    pass
print("%s after %.1f s" % (data.split(b"\r\n")[0].decode() or "closed", time.time() - t0))
EOF
slow=$!
sleep 1
t0=$(date +%s%N)
http /healthz
t1=$(date +%s%N)
is "$CODE" 200 "while a slowloris client trickles its header: /healthz served"
ok "$( [ $(((t1 - t0) / 1000000)) -lt 1000 ]; echo $?)" "at once ($(((t1 - t0) / 1000000)) ms)"
wait "$slow"
like "$(cat "$T/slow.out")" '^HTTP/1.1 408 Request Timeout after [4-7]\.[0-9] s$' \
	"the slowloris client gets 408 and is closed after the timeout ($(cat "$T/slow.out"))"

# --- 1,000 connections at once -----------------------------------------------
# Each sends a request for /healthz once all are open. Every answer is 200
# or 503 (more than MONITOR_CLIENTS at once), or the connection is closed;
# none hangs.
python3 - "$MON_PORT" >"$T/flood.out" 2>&1 <<'EOF'
import resource, selectors, socket, sys, time
resource.setrlimit(resource.RLIMIT_NOFILE, (4096, 4096))
port = int(sys.argv[1])
socks = []
for i in range(1000):
    s = socket.socket()
    s.setblocking(False)
    s.connect_ex(("127.0.0.1", port))
    socks.append(s)
sel = selectors.DefaultSelector()
for s in socks:
    sel.register(s, selectors.EVENT_WRITE)
pending = {s: b"" for s in socks}
sent = set()
deadline = time.time() + 60
results = {}
while pending and time.time() < deadline:
    for key, ev in sel.select(timeout=1):
        s = key.fileobj
        try:
            if s not in sent:
                s.send(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
                sent.add(s)
                sel.modify(s, selectors.EVENT_READ)
                continue
            d = s.recv(4096)
        except (ConnectionResetError, BrokenPipeError, ConnectionRefusedError, OSError):
            d = b""
        if d:
            pending[s] += d
            continue
        line = pending.pop(s).split(b"\r\n")[0].decode() or "closed"
        results[line] = results.get(line, 0) + 1
        sel.unregister(s)
        s.close()
results["hung"] = len(pending)
for k in sorted(results):
    print("%s: %d" % (k, results[k]))
EOF
flood=$(cat "$T/flood.out")
diag "1,000 connections: $(printf '%s' "$flood" | tr '\n' ',')"
like "$flood" 'hung: 0' "1,000 connections at once: none hangs"
unlike "$(printf '%s\n' "$flood" | grep -vE '^(HTTP/1.1 200 OK|HTTP/1.1 503 Service Unavailable|closed|hung): ')" '.' \
	"each is answered 200 or 503, or closed"
like "$flood" 'HTTP/1.1 200 OK: [0-9]+' "some are served"

# --- afterwards ---------------------------------------------------------------
kill -0 "$MON_PID"
ok $? "the monitor still runs"
http /healthz
is "$CODE $OUT" "200 ok" "/healthz still served afterwards"
http /metrics
is "$CODE" 200 "/metrics still served afterwards"
rss1=$(rss_kib "$MON_PID")
ok "$( [ "$rss1" -lt 4096 ]; echo $?)" "its memory stayed small: VmRSS $rss0 KiB before, $rss1 KiB after"
monitor_stop
done_testing
