#!/bin/bash
# Launches racing each other: one NAME never runs twice; many NAMEs run
# side by side; run -d is done when it returns; ps with many containers.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/lib/lifecycle.sh"
need_root
need_container
need_rootfs

# --- ten launches of one NAME ------------------------------------------------

N=$(name_for same)
made "$N"
script=": same-$$; trap 'exit 0' TERM; while :; do sleep 0.1; done"
pids=()
for i in $(seq 10); do
	start_bg "$T/same.$i.out" "$T/same.$i.err" "$C" run -d --rootfs "$ROOTFS" \
		--persist "$P" "$N" -- sh -c "$script"
	pids+=("$BG")
done
won=0 lost=0 other=
for i in $(seq 10); do
	wait_bg "${pids[i - 1]}" 20
	err=$(cat "$T/same.$i.err")
	if [ "$RC" = 0 ]; then
		won=$((won + 1))
	elif [ "$RC" = 1 ] && [[ $err =~ ^container:\ .*already\ running[^$NL]*$ ]]; then
		lost=$((lost + 1))
	else
		other+="run $i: exit $RC: $err$NL"
	fi
done
is "$won" 1 "ten run -d of one NAME at once: exactly one wins"
is "$lost" 9 "the nine others: exit 1 with one line 'already running'" ||
	diag "$other"
is "$(count_cmdline sh -c "$script")" 1 "one workload runs on the host"
capture ctr ps
is "$(grep -c "^$N " <<<"$OUT")" 1 "ps lists the NAME once"
state_of "$N"
is "$ST" running "state: running"

# --- ten starts of one stopped NAME ------------------------------------------

capture ctr stop "$N"
is "$RC" 0 "stop" || diag "$ERR"
pids=()
for i in $(seq 10); do
	start_bg "$T/start.$i.out" "$T/start.$i.err" "$C" start "$N"
	pids+=("$BG")
done
won=0 lost=0 other=
for i in $(seq 10); do
	wait_bg "${pids[i - 1]}" 20
	if [ "$RC" = 0 ]; then won=$((won + 1))
	elif [ "$RC" = 1 ]; then lost=$((lost + 1))
	else other+="start $i: exit $RC: $(cat "$T/start.$i.err")$NL"; fi
done
is "$won/$lost" 1/9 "ten start of one stopped NAME at once: one wins, nine exit 1" ||
	diag "$other"
is "$(count_cmdline sh -c "$script")" 1 "one workload runs on the host"
capture ctr stop "$N"

# --- ten NAMEs at once -------------------------------------------------------

pids=()
for i in $(seq 10); do
	made "$(name_for many-$i)"
	start_bg "$T/many.$i.out" "$T/many.$i.err" "$C" run -d --rootfs "$ROOTFS" \
		--persist "$P" "$(name_for many-$i)" -- \
		sh -c 'trap "exit 0" TERM; while :; do sleep 0.1; done'
	pids+=("$BG")
done
bad=
for i in $(seq 10); do
	wait_bg "${pids[i - 1]}" 20
	[ "$RC" = 0 ] || bad+="run $i: exit $RC: $(cat "$T/many.$i.err")$NL"
done
is "$bad" "" "ten run -d of different NAMEs at once: all exit 0"
# (that run -d is done when it returns is tested below)
i=0
until capture ctr ps && [ "$(grep -cE "^t$$-many-[0-9]+ +[0-9]+ +running " <<<"$OUT")" = 10 ] ||
	[ $i -ge 50 ]; do
	sleep 0.1; i=$((i + 1))
done
is "$(grep -cE "^t$$-many-[0-9]+ +[0-9]+ +running " <<<"$OUT")" 10 "ps lists ten running"
capture ctr ps --json
json_valid "$OUT"
ok $? "ps --json with ten parses"
is "$(grep -o "\"id\":\"t$$-many-[0-9]*\",\"status\":\"running\"" <<<"$OUT" | wc -l)" 10 \
	"ps --json lists ten running"
pids=()
for i in $(seq 10); do
	start_bg "$T/stop.$i.out" "$T/stop.$i.err" "$C" stop "$(name_for many-$i)"
	pids+=("$BG")
done
bad=
for i in $(seq 10); do
	wait_bg "${pids[i - 1]}" 20
	[ "$RC" = 0 ] || bad+="stop $i: exit $RC: $(cat "$T/stop.$i.err")$NL"
done
is "$bad" "" "ten stops at once: all exit 0"
capture ctr ps
is "$(grep -c "^t$$-many-" <<<"$OUT")" 0 "ps lists none of them afterwards"

# --- run -d has returned: the container is there -----------------------------

# run -d returns once the workload exec'd: state, exec and stop must see
# it at once, every time (called directly: no wrapper to widen the gap)
bad=
for i in $(seq 20); do
	N=$(name_for ready-$i)
	made "$N"
	rund "$N" -- sh -c 'trap "exit 0" TERM; while :; do sleep 0.1; done'
	[ "$RC" = 0 ] || bad+="$N: run -d: exit $RC: $ERR$NL"
	capture "$C" state --persist "$P" "$N"
	[ "$(json_get "$OUT" status)" = running ] || bad+="$N: state: $OUT$ERR$NL"
	capture "$C" exec "$N" true
	[ "$RC" = 0 ] || bad+="$N: exec: exit $RC: $ERR$NL"
	capture "$C" stop "$N"
	[ "$RC" = 0 ] || bad+="$N: stop: exit $RC: $ERR$NL"
done
is "$bad" "" "run -d, then at once state, exec, stop: all see it running (20 names)"

# The same, made certain: the supervisor starved (idle priority, on the
# CPU the caller uses), so that any gap between run -d (or start)
# returning and the state being written shows every time.
starved() {	# starved ARGS...: on CPU 0, "$C ARGS..." at idle priority, then state
	taskset -c 0 bash -c 'chrt -i 0 "$0" "${@:3}" </dev/null >/dev/null 2>&1
		"$0" state --persist "$1" "$2" 2>&1' "$C" "$P" "$N" "$@"
}
if command -v taskset >/dev/null && command -v chrt >/dev/null &&
	taskset -c 0 chrt -i 0 true 2>/dev/null; then
	bad=
	for i in $(seq 5); do
		N=$(name_for starved-$i)
		made "$N"
		out=$(starved run -d --rootfs "$ROOTFS" --persist "$P" "$N" -- \
			sh -c 'trap "exit 0" TERM; while :; do sleep 0.1; done')
		[ "$(json_get "$out" status)" = running ] || bad+="run -d $N: $out$NL"
		wait_status "$N" running 5
		capture ctr stop "$N"
		out=$(starved start "$N")
		[ "$(json_get "$out" status)" = running ] || bad+="start $N: $out$NL"
		wait_status "$N" running 5
		capture ctr stop "$N"
	done
	is "$bad" "" "a starved supervisor: state right after run -d and start reads running"
	N=$(name_for starved-127)
	made "$N"
	out=$(starved run -d --rootfs "$ROOTFS" --persist "$P" "$N" -- no-such-command)
	is "$(json_get "$out" status)/$(json_get "$out" exitCode)" stopped/127 \
		"a starved supervisor: state right after a failed run -d says exitCode 127" ||
		diag "$out"
else
	skip "a starved supervisor: state right after run -d and start" \
		"no taskset or chrt -i"
	skip "a starved supervisor: state right after a failed run -d" \
		"no taskset or chrt -i"
fi

# run -d with its stderr on a pipe: the pipe must not stay open for the
# container's lifetime, or $(container run -d ... 2>&1) never returns
N=$(name_for pipe)
made "$N"
start_bg "$T/pipe.out" "$T/pipe.err" bash -c \
	'out=$("$0" run -d --rootfs "$1" --persist "$2" "$3" -- sleep 1000 2>&1)
	echo "rc=$? out=$out"' "$C" "$ROOTFS" "$P" "$N"
t0=$(ms)
wait_bg "$BG" 10
is "$RC/$(cat "$T/pipe.out")" "0/rc=0 out=" \
	"\$(run -d ... 2>&1) returns at once ($(($(ms) - t0)) ms)"
capture ctr rm -f "$N"

# --- ps with 50 containers ---------------------------------------------------

t0=$(ms)
bad=
for i in $(seq 50); do
	made "$(name_for ps50-$i)"
	capture ctr run --rootfs "$ROOTFS" --persist "$P" "$(name_for ps50-$i)" true
	[ "$RC" = 0 ] || bad+="$i: exit $RC: $ERR$NL"
done
echo "# 50 foreground runs of true: $(($(ms) - t0)) ms"
is "$bad" "" "50 foreground run of true: all exit 0"
times=()
for i in 1 2 3 4 5; do
	t0=$(date +%s%N)
	capture "$C" ps -a --persist "$P"
	times+=($((($(date +%s%N) - t0) / 1000000)))
done
echo "# ps with 50 containers: $(median "${times[@]}") ms (median of 5 ps -a)"
is "$(grep -cE "^t$$-ps50-[0-9]+ +0 +stopped " <<<"$OUT")" 50 "ps -a lists the 50, stopped"
capture ctr ps -a --json --persist "$P"
json_valid "$OUT"
ok $? "ps -a --json with 50 parses"
is "$(grep -o "\"id\":\"t$$-ps50-[0-9]*\",\"status\":\"stopped\"" <<<"$OUT" | wc -l)" 50 \
	"ps -a --json lists the 50"

done_testing
