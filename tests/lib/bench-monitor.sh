# shellcheck shell=bash
# bench-monitor.sh - the monitor section of tests/bench.sh (sourced there,
# after its helpers: row, stats, say, and C, R, P, W, N, TOP, RUNS).
#
# bench_monitor: 50 containers known to the host, made by real `container
# run` (45 stopped, 5 running); `container monitor` on a free loopback
# port; 1,000 sequential requests of /metrics (and 200 of the page and of
# /containers.json) by one client that connects, sends, reads to the end:
# latency median, p99, min, max and requests per second; the monitor's
# RSS after them; the size of the WITH_MONITOR code (the full build less
# the same build without it). Adds rows to section "monitor".

bench_monitor() {
	local S=monitor i port pid out rss hwm nomon full known
	if ! command -v python3 >/dev/null; then
		row $S "monitor" - - - 0 "skipped: no python3"
		return
	fi
	if ! "$C" --version 2>/dev/null | grep -q '+monitor'; then
		row $S "monitor" - - - 0 "skipped: $C was built without WITH_MONITOR"
		return
	fi
	say "monitor: 50 containers (45 stopped, 5 running), then /metrics"
	for ((i = 1; i <= 50; i++)); do
		if [ $i -le 5 ]; then
			"$C" run -d --volatile --rootfs "$R" --persist "$P" "$N-m$i" /bin/sleep 600 </dev/null >/dev/null 2>&1
		else
			"$C" run --volatile --rootfs "$R" --persist "$P" "$N-m$i" /bin/true </dev/null >/dev/null 2>&1
		fi || { row $S "monitor" - - - 0 "FAILED: container run $N-m$i"; return; }
	done
	port=$((30000 + $$ % 20000))
	while ss -Htan "( sport = :$port )" | grep -q .; do port=$((port + 1)); done
	"$C" monitor --listen "127.0.0.1:$port" --persist "$P" </dev/null >/dev/null 2>"$W/monitor.err" &
	pid=$!
	for ((i = 0; i < 100; i++)); do
		curl -sf -o /dev/null "http://127.0.0.1:$port/healthz" 2>/dev/null && break
		sleep 0.05
	done
	out=$(python3 - "$port" <<'EOF'
import socket, sys, time
port = int(sys.argv[1])
def get(path):
    t0 = time.perf_counter()
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(b"GET " + path + b" HTTP/1.1\r\nHost: bench\r\n\r\n")
    n = 0
    while True:
        d = s.recv(65536)
        if not d:
            break
        n += len(d)
    s.close()
    return time.perf_counter() - t0, n
for path, count in ((b"/metrics", 1000), (b"/containers.json", 200), (b"/", 200)):
    for i in range(20):
        get(path)
    lat = []
    t0 = time.perf_counter()
    for i in range(count):
        t, n = get(path)
        lat.append(t)
    total = time.perf_counter() - t0
    lat.sort()
    print(path.decode(), count, "%.0f %.0f %.0f %.0f" % tuple(x * 1e6 for x in
          (lat[len(lat) // 2], lat[min(len(lat) - 1, int(len(lat) * 0.99))], lat[0], lat[-1])),
          "%.0f" % (count / total), n)
import json
s = socket.create_connection(("127.0.0.1", port))
s.sendall(b"GET /containers.json HTTP/1.1\r\nHost: bench\r\n\r\n")
d = b""
while True:
    x = s.recv(65536)
    if not x:
        break
    d += x
print("known", len(json.loads(d.split(b"\r\n\r\n", 1)[1])))
EOF
)
	rss=$(awk '$1 == "VmRSS:" { print $2 }' "/proc/$pid/status" 2>/dev/null)
	hwm=$(awk '$1 == "VmHWM:" { print $2 }' "/proc/$pid/status" 2>/dev/null)
	kill "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	if [ -z "$out" ]; then
		row $S "monitor" - - - 0 "FAILED: no answers ($(head -n 1 "$W/monitor.err"))"
		return
	fi
	known=$(printf '%s\n' "$out" | sed -n 's/^known //p')
	while read -r path count med p99 min max rps bytes; do
		[ "$path" = known ] && continue
		row $S "GET $path latency" "$(ms "$med")" "$(ms "$min")" "$(ms "$max")" "$count" \
			"p99 $(ms "$p99"); $known containers known (50 made here), $bytes bytes; one client, connect to last byte"
		row $S "GET $path requests/s" "$rps /s" - - "$count" "sequential, a new connection each (Connection: close)"
	done <<<"$out"
	row $S "monitor VmRSS after them" "$rss KiB" - - 1 "VmHWM $hwm KiB"
	# the size of the WITH_MONITOR code: the full build without it
	full=$TOP/build/container-full
	nomon=$W/container-nomonitor
	if [ -x "$full" ] && (cd "$TOP" && eval "$(make -s options | sed -n 's/^\([A-Z]*FLAGS\|CC\|LDLIBS\) *= \(.*\)/\1='\''\2'\''/p')" &&
		# shellcheck disable=SC2086
		$CC $CPPFLAGS -include tests/configs/full.h -DWITH_MONITOR=0 $CFLAGS -o "$nomon" container.c $LDFLAGS $LDLIBS) 2>"$W/nomon.err"; then
		row $S "WITH_MONITOR code" "$(kib $(($(stat -c %s "$full") - $(stat -c %s "$nomon"))))" - - - \
			"full build $(stat -c %s "$full") bytes, without WITH_MONITOR $(stat -c %s "$nomon")"
	else
		row $S "WITH_MONITOR code" - - - - "not measured: $(head -n 1 "$W/nomon.err" 2>/dev/null)"
	fi
}
