# shellcheck shell=bash
# monitor.sh - start `container monitor` for a test (after tests/lib.sh).
#
#   monitor_start [ARGS...]   start it on a free loopback port, with ARGS
#                             (e.g. --persist DIR); sets MON_PORT, MON_URL,
#                             MON_PID; bails out if it never answers
#   http PATH                 curl MON_URL/PATH: sets RC, OUT (the body),
#                             CODE (the HTTP status)
#   monitor_stop              stop it
#   rss_kib PID               VmRSS of PID in KiB

MON_PORT= MON_URL= MON_PID=

monitor_start() {
	local try i
	command -v curl >/dev/null || bail "no curl (tools/deps.sh test installs it)"
	for try in 1 2 3 4 5; do
		MON_PORT=$((20000 + (RANDOM * 7 + $$) % 30000))
		start_bg "$T/monitor.out" "$T/monitor.err" "$C" monitor --listen "127.0.0.1:$MON_PORT" "$@"
		MON_PID=$BG
		MON_URL=http://127.0.0.1:$MON_PORT
		for ((i = 0; i < 100; i++)); do
			curl -sf -o /dev/null --max-time 2 "$MON_URL/healthz" && return 0
			kill -0 "$MON_PID" 2>/dev/null || break
			sleep 0.05
		done
		kill "$MON_PID" 2>/dev/null
		wait "$MON_PID" 2>/dev/null
		grep -q 'in use' "$T/monitor.err" || break
	done
	bail "container monitor did not answer on $MON_URL: $(cat "$T/monitor.err")"
}

http() {
	CMD="curl $MON_URL$1"
	CODE=$(curl -s --max-time 10 -o "$T/.body" -w '%{http_code}' "$MON_URL$1")
	RC=$?
	OUT=$(cat "$T/.body" 2>/dev/null)
	ERR=
}

rss_kib() { awk '$1 == "VmRSS:" { print $2 }' "/proc/$1/status" 2>/dev/null; }

monitor_stop() {
	kill "$MON_PID" 2>/dev/null
	wait_bg "$MON_PID" 5
}
