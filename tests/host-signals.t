#!/bin/bash
# Signals sent to the `container run` process reach the workload, and a
# workload killed by signal N gives 128+N.
. "$(dirname "$0")/lib.sh"
need_root
need_container
need_rootfs

# run_bg TOPIC [RUN OPTIONS] -- CMD...: container run in the background,
# output in $T/TOPIC.out and .err, pid in BG
run_bg() {
	local topic=$1; shift
	local opts=()
	while [ "$1" != -- ]; do opts+=("$1"); shift; done
	shift
	start_bg "$T/$topic.out" "$T/$topic.err" "$C" run --rootfs "$ROOTFS" \
		--persist "$P" "${opts[@]}" "$(name_for "$topic")" "$@"
}

# after a failure: what the background run printed
show() { diag "stdout: $(cat "$T/$1.out")" "stderr: $(cat "$T/$1.err")"; }

# forward SIG [RUN OPTIONS]: the workload traps SIG, prints got-SIG, exits 0
forward() {
	local sig=$1 t=fwd-$1${2:+-init} d="SIG$1${2:+ ($2)}"; shift
	run_bg "$t" "$@" -- sh -c "trap 'echo got-$sig; exit 0' $sig
		echo ready; while :; do sleep 0.1; done"
	if ! wait_for "$T/$t.out" '^ready$' 10; then
		fail "$d: reaches the workload"
		fail "$d: the workload's exit code comes back"
		diag "the workload never printed ready"; show "$t"
		kill -KILL "$BG"; wait_bg "$BG" 5
		return
	fi
	kill -s "$sig" "$BG"
	wait_bg "$BG" 10
	like "$(cat "$T/$t.out")" "got-$sig" "$d: reaches the workload" ||
		show "$t"
	is "$RC" 0 "$d: the workload's exit code comes back" || show "$t"
}

for sig in TERM INT HUP QUIT USR1 USR2; do
	forward "$sig"
done
forward TERM --init
forward USR1 --init

# the launcher keeps forwarding while the workload lives on
run_bg twice -- sh -c 'n=0; trap "n=\$((n + 1)); echo got-\$n" USR1
	echo ready; until [ $n = 2 ]; do sleep 0.1; done; exit 6'
wait_for "$T/twice.out" '^ready$' 10
kill -USR1 "$BG"
wait_for "$T/twice.out" '^got-1$' 10
kill -USR1 "$BG"
wait_bg "$BG" 10
is "$RC" 6 "two signals in a row both reach the workload" || show twice

# death by signal
uniq=$((5000000 + $$))
run_bg kill-host -- sleep "$uniq"
i=0
until wpid=$(pid_by_cmdline sleep "$uniq") || [ $i -ge 100 ]; do
	sleep 0.1; i=$((i + 1))
done
if [ -n "$wpid" ]; then
	kill -KILL "$wpid"
	wait_bg "$BG" 10
	is "$RC" 137 "the workload (PID 1) killed by SIGKILL from the host: 137"
else
	fail "the workload (PID 1) killed by SIGKILL from the host: 137"
	diag "no process 'sleep $uniq' appeared"; show kill-host
	kill -KILL "$BG"; wait_bg "$BG" 5
fi

run_bg term-init --init -- sh -c 'echo ready; exec sleep 1000'
wait_for "$T/term-init.out" '^ready$' 10
sleep 0.2	# let sh exec sleep, which has no handler
kill -TERM "$BG"
wait_bg "$BG" 10
is "$RC" 143 "--init: SIGTERM kills a workload without a handler: 143" ||
	show term-init

launch --init "$(name_for kill-self)" sh -c 'kill -KILL $$'
is "$RC" 137 "--init: the workload killed by SIGKILL from inside: 137"

launch --init "$(name_for term-self)" sh -c 'kill -TERM $$'
is "$RC" 143 "--init: the workload killed by SIGTERM from inside: 143"

done_testing
