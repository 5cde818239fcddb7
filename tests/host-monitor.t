#!/bin/bash
# container monitor on a host: with two containers running and one stopped,
# /containers.json lists them with the right states and pids (the ps -a
# --json objects plus the figures), /metrics passes promtool and has the
# SPEC's metrics, the page loads in headless Chromium with a row per
# container, restarts by policy are counted, and a container known only by
# its saved config is listed as ps -a lists it. On a host whose cgroup2 has
# no controllers (this one) the figures are unavailable, never 0: null in
# the JSON, left out of the metrics, "–" on the page. Rising memory figures
# are proven in the QEMU guest (boot-monitor.t).
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/lib/monitor.sh"
need_root
need_container
need_rootfs
has_feature monitor || skip_all "this build has no monitor"
command -v python3 >/dev/null || skip_all "no python3 (tools/deps.sh test installs it)"

a=$(name_for mon-a) b=$(name_for mon-b) s=$(name_for mon-s) r=$(name_for mon-r)
launch -d "$a" sleep 600
is "$RC" 0 "run -d $a" || diag "$ERR"
launch -d "$b" sleep 600
is "$RC" 0 "run -d $b" || diag "$ERR"
launch "$s" true
is "$RC" 0 "run $s (stopped after)"
# fails twice more after its first run: two restarts, then stopped
launch -d --restart on-failure:2 "$r" sh -c 'exit 3'
is "$RC" 0 "run -d --restart on-failure:2 $r"

monitor_start --persist "$P"
pass "container monitor answers /healthz on $MON_URL"

# has_group NAME: whether its state names a cgroup (a host with controllers)
has_group() { [ -n "$(sed -n 's/^cgroup=//p' "/run/container/$1/state")" ]; }

# jq-like checks of /containers.json with python3: prints one line per
# container of ours: id status pid exitCode restarts memory pids oomKills
json_rows() {
	python3 -c '
import json, sys
prefix = sys.argv[1]
for o in json.load(sys.stdin):
    if o["id"].startswith(prefix):
        print(o["id"], o["status"], o["pid"], o.get("exitCode", "-"), o["restarts"],
              o["memory"], o["pids"], o["oomKills"], o["rootfs"])
' "t$$-mon-"
}

# wait for $r's restarts to be done (back-off 100 + 200 ms)
for ((i = 0; i < 100; i++)); do
	[ "$(sed -n 's/^restarts=//p' "/run/container/$r/state")" = 2 ] &&
		grep -q '^status=stopped' "/run/container/$r/state" && break
	sleep 0.1
done

http /containers.json
is "$CODE" 200 "/containers.json: 200"
rows=$(printf '%s' "$OUT" | json_rows 2>&1)
is "$(printf '%s\n' "$rows" | awk '{ print $1, $2 }' | sort)" \
	"$(printf '%s\n' "$a running" "$b running" "$r stopped" "$s stopped" | sort)" \
	"it lists the four containers with their states" || diag "$rows"
pid_a=$(sed -n 's/^pid=//p' "/run/container/$a/state")
is "$(printf '%s\n' "$rows" | awk -v n="$a" '$1 == n { print $3 }')" "$pid_a" "the pid of $a is its state's ($pid_a)"
is "$(printf '%s\n' "$rows" | awk -v n="$s" '$1 == n { print $3, $4 }')" "0 0" "$s: pid 0, exitCode 0"
is "$(printf '%s\n' "$rows" | awk -v n="$r" '$1 == n { print $4, $5 }')" "3 2" "$r: exitCode 3 after 2 restarts"
is "$(printf '%s\n' "$rows" | awk -v n="$a" '$1 == n { print $9 }')" "$(cd "$ROOTFS" && pwd -P)" "rootfs as ps --json has it"
if has_group "$a"; then
	like "$(printf '%s\n' "$rows" | awk -v n="$a" '$1 == n { print $6 }')" '^[0-9]+$' "$a has a cgroup: its memory is a number"
else
	is "$(printf '%s\n' "$rows" | awk -v n="$a" '$1 == n { print $6, $7, $8 }')" "None None None" \
		"$a has no cgroup here: memory, pids, oomKills are null, not 0"
fi
# the same objects as ps --json, the figures added
capture ctr ps -a --json --persist "$P"
want=$(printf '%s' "$OUT" | python3 -c '
import json, sys
print(json.dumps([o for o in json.load(sys.stdin) if o["id"] == sys.argv[1]]))' "$s")
got=$(printf '%s' "$(http /containers.json; echo "$OUT")" | python3 -c '
import json, sys
ps = set(json.loads(sys.argv[2])[0]) if json.loads(sys.argv[2]) else set()
print(json.dumps([{k: v for k, v in o.items() if k in ps} for o in json.load(sys.stdin) if o["id"] == sys.argv[1]]))' "$s" "$want")
is "$got" "$want" "$s: the fields of ps -a --json, with the same values"

# --- /metrics ----------------------------------------------------------------
http /metrics
is "$CODE" 200 "/metrics: 200"
metrics=$OUT
if command -v promtool >/dev/null; then
	out=$(printf '%s\n' "$metrics" | promtool check metrics 2>&1)
	ok $? "promtool check metrics passes" || diag "$out"
else
	skip "promtool check metrics" "no promtool (Debian package prometheus; tools/deps.sh test installs it)"
fi
for m in container_up container_restarts_total container_memory_bytes container_memory_peak_bytes \
	container_memory_limit_bytes container_cpu_seconds_total container_pids container_oom_kills_total \
	container_start_time_seconds; do
	[[ $metrics == *"# TYPE $m "* && $metrics == *"# HELP $m "* ]] || { fail "HELP and TYPE of $m"; continue; }
	pass "HELP and TYPE of $m"
done
val() { printf '%s\n' "$metrics" | sed -n "s/^$1{name=\"$2\"} //p"; }
is "$(val container_up "$a") $(val container_up "$b") $(val container_up "$s")" "1 1 0" "container_up: 1 1 0"
is "$(val container_restarts_total "$r")" 2 "container_restarts_total of $r: 2"
start=$(val container_start_time_seconds "$a")
now=$(date +%s)
ok "$( [[ $start =~ ^[0-9]+$ ]] && [ $((now - start)) -ge 0 ] && [ $((now - start)) -lt 120 ]; echo $?)" \
	"container_start_time_seconds of $a is its start ($start, now $now)"
is "$(val container_start_time_seconds "$s")" "" "a stopped container has no start time"
if has_group "$a"; then
	like "$(val container_memory_bytes "$a")" '^[0-9]+$' "container_memory_bytes of $a (it has a cgroup)"
else
	is "$(printf '%s\n' "$metrics" | grep -E "^container_(memory|memory_peak|memory_limit|pids|oom_kills|cpu_seconds)(_bytes|_total)?\{name=\"$a\"\}")" "" \
		"$a has no cgroup here: no memory, CPU, pids or OOM figures, not 0"
fi

# --- the page, in a browser --------------------------------------------------
if command -v chromium >/dev/null; then
	dom=$(timeout 60 chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
		--disable-component-update --disable-sync --no-first-run --user-data-dir="$T/chromium" \
		--dump-dom "$MON_URL/" 2>"$T/chromium.err")
	ok $? "headless Chromium loads the page" || diag "$(tail -n 5 "$T/chromium.err")"
	# other tests' containers come and go meanwhile: count ours
	rows=$(printf '%s\n' "$dom" | grep -c "<tr class=\"ctr\" id=\"c-t$$-mon-")
	is "$rows" 4 "its DOM holds a row per container (4 of ours)"
	for x in "$a running" "$b running" "$s stopped"; do
		like "$dom" "<tr class=\"ctr\" id=\"c-${x% *}\"><th>${x% *}</th><td class=\"${x#* }\">${x#* }</td>" \
			"a row for ${x% *}, ${x#* }"
	done
	has_group "$a" ||
		like "$dom" "id=\"c-$a\">.*<td>$pid_a</td><td>[0-9]+:[0-9]{2}:[0-9]{2}</td><td>0</td><td>–</td>" \
			"$a: pid, uptime, restarts, then – for its memory (no cgroup)"
	like "$dom" '<svg' "the page draws the history inline (SVG)"
	unlike "$dom" '(src|href)="https?:' "no external assets"
else
	skip "the page in headless Chromium" "no chromium (tools/deps.sh test installs it)"
fi

# --- stop, rm: the monitor follows --------------------------------------------
capture ctr stop -t 2 "$b"
is "$RC" 0 "stop $b"
capture ctr rm "$s"
is "$RC" 0 "rm $s: its runtime state goes, its saved config stays"
http /containers.json
rows=$(printf '%s' "$OUT" | json_rows 2>&1)
code=$(sed -n 's/^exit=//p' "/run/container/$b/state")
is "$(printf '%s\n' "$rows" | awk -v n="$b" '$1 == n { print $2, $3, $4 }')" "stopped 0 $code" "$b: stopped, exitCode $code as its state says" ||
	diag "$rows"
is "$(printf '%s\n' "$rows" | awk -v n="$s" '$1 == n { print $2, $9 }')" "stopped $(cd "$ROOTFS" && pwd -P)" \
	"$s, known by its saved config only: stopped, with its rootfs (as ps -a)"
http /metrics
metrics=$OUT
is "$(val container_up "$b")" 0 "container_up of $b: 0"

# --- small things ------------------------------------------------------------
http /healthz
is "$CODE $OUT" "200 ok" "/healthz: 200 ok"
http /nope
is "$CODE" 404 "an unknown path: 404"
http "/metrics?x=1"
is "$CODE" 200 "a query string is ignored"
head=$(curl -s -I --max-time 5 "$MON_URL/metrics")
like "$head" $'^HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4' "HEAD: the head of /metrics"
code=$(curl -s -o /dev/null -w '%{http_code}' -X POST --max-time 5 "$MON_URL/metrics")
is "$code" 405 "POST: 405"
kill -0 "$MON_PID"
ok $? "the monitor still runs"
monitor_stop
done_testing
