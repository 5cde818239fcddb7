#!/bin/bash
# Stoppable containers on a host: run -d, ps, exec, stop, state, start,
# rm --purge; stop's grace; the refusals of commands that do not apply;
# kill; a stale state whose processes are gone; a workload whose
# supervisor was killed.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/lib/lifecycle.sh"
need_root
need_container
need_rootfs

# --- the full cycle ----------------------------------------------------------

N=$(name_for cycle)
made "$N"
script=": cycle-$$; trap 'exit 3' TERM; echo written >/data
	while :; do sleep 0.1; done"
rund "$N" -- sh -c "$script"
is "$RC" 0 "run -d: exit 0" || diag "$ERR"
is "$OUT$ERR" "" "run -d prints nothing"

# run -d returns once the workload runs: no wait before asking
state_of "$N"
is "$ST" running "state right after run -d: running"
wait_status "$N" running 5	# the rest does not depend on the above
host_pid=$(pid_by_cmdline sh -c "$script")
is "$SPID" "${host_pid:-none}" "state: pid is the workload's host pid"
like "$OUT" '"created":"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}(\.[0-9]+)?(Z|[+-][0-9:]+)"' \
	"state: created is RFC 3339"
like "$OUT" "\"rootfs\":\"$ROOTFS\"" "state: rootfs is the base image"
unlike "$OUT" '"exitCode"' "state: no exitCode while running"

capture ctr ps
like "$OUT" "(^|$NL)$N +$host_pid +running " "ps lists it as running with its pid"
like "${OUT%%$'\n'*}" '^NAME +PID +STATUS +CREATED +ROOTFS$' "ps: the header"
capture ctr ps --json
json_valid "$OUT"
ok $? "ps --json parses" || diag "$OUT"
like "$OUT" "^\[.*\{[^}]*\"id\":\"$N\",\"status\":\"running\"" \
	"ps --json: an array holding it, running"

# wait until the workload has written its file
i=0
until capture ctr exec "$N" cat /data && [ "$OUT" = written ] || [ $i -ge 50 ]; do
	sleep 0.1; i=$((i + 1))
done
is "$OUT" written "exec sees the file the workload wrote"
capture ctr exec "$N" hostname
is "$OUT" "$N" "exec: the same hostname"
capture ctr exec "$N" sh -c 'tr "\0" "\n" </proc/1/cmdline'
is "$OUT" "sh"$'\n'"-c"$'\n'"$script" "exec: /proc/1 is the workload (one pid namespace)"
capture ctr exec "$N" sh -c 'echo $$; cd /proc && echo [0-9]*'
xpid=${OUT%%$'\n'*}
xlist=" ${OUT#*$'\n'} "
[[ $xpid =~ ^[0-9]+$ ]] && [[ $xlist == *" $xpid "* ]] && [[ $xlist == *" 1 "* ]]
ok $? "exec: runs as a process of the container (its pid $xpid is in the /proc that holds the workload's 1)" ||
	diag "$OUT"
[ "$xpid" != 1 ]
ok $? "exec: not PID 1"
capture ctr exec "$N" sh -c 'for ns in pid mnt uts ipc; do
	readlink /proc/1/ns/$ns; readlink /proc/self/ns/$ns; done'
ns=($OUT)
[ ${#ns[@]} = 8 ] && [ "${ns[0]}" = "${ns[1]}" ] && [ "${ns[2]}" = "${ns[3]}" ] &&
	[ "${ns[4]}" = "${ns[5]}" ] && [ "${ns[6]}" = "${ns[7]}" ]
ok $? "exec: in the workload's pid, mount, uts and ipc namespaces" || diag "$OUT"
capture ctr exec "$N" sh -c 'echo from-exec >/exec-file'
is "$RC" 0 "exec writes a file"

t0=$(ms)
capture ctr stop "$N"
t1=$(ms)
is "$RC" 0 "stop: exit 0" || diag "$ERR"
[ $((t1 - t0)) -lt 3000 ]
ok $? "stop of a workload that handles TERM takes no grace ($((t1 - t0)) ms)"
gone "$host_pid"
ok $? "stop: the workload is gone"
state_of "$N"
is "$ST" stopped "state after stop: stopped"
is "$SPID" 0 "state after stop: pid 0"
is "$SCODE" 3 "state after stop: exitCode of the workload (3)"
capture ctr ps
unlike "$OUT" "(^|$NL)$N " "ps no longer lists it"
capture ctr ps -a --persist "$P"
like "$OUT" "(^|$NL)$N +0 +stopped " "ps -a lists it as stopped"
capture ctr ps -a --json --persist "$P"
json_valid "$OUT" && [[ $OUT =~ \"id\":\"$N\",\"status\":\"stopped\" ]]
ok $? "ps -a --json: stopped" || diag "$OUT"

capture ctr start "$N"
is "$RC" 0 "start: exit 0" || diag "$ERR"
is "$OUT$ERR" "" "start prints nothing"
state_of "$N"
is "$ST" running "state right after start: running"
wait_status "$N" running 5
capture ctr exec "$N" cat /data /exec-file
is "$OUT" "written"$'\n'"from-exec" "after start: the files written before stop are there"

capture ctr rm --purge "$N"
is "$RC" 1 "rm --purge of a running container without -f: 1"
capture ctr stop "$N"
capture ctr rm --purge "$N"
is "$RC" 0 "rm --purge: exit 0" || diag "$ERR"
[ ! -e "$P/$N" ]
ok $? "rm --purge: the persistent directory is gone"
[ ! -e "/run/container/$N" ]
ok $? "rm: the runtime state is gone"
capture ctr state --persist "$P" "$N"
is "$RC" 1 "state after rm: 1 (no such container)"
one_error_line "state after rm: one error line"

# --- run -d that cannot start; start -a; rm -f ------------------------------------

N=$(name_for nocmd)
made "$N"
rund "$N" -- no-such-command
is "$RC" 127 "run -d of a missing command: 127"
one_error_line "run -d of a missing command: one error line"
state_of "$N"
is "$ST/$SCODE" stopped/127 "run -d of a missing command: state stopped, exitCode 127"
rund "$N" -- /etc
is "$RC" 126 "run -d of a directory: 126"
one_error_line "run -d of a directory: one error line"
capture ctr run -d --rootfs "$T/no-such-rootfs" --persist "$P" "$N" -- true
is "$RC" 125 "run -d with a missing rootfs: 125"
one_error_line "run -d with a missing rootfs: one error line"

N=$(name_for attach)
made "$N"
launch "$N" sh -c 'echo out; echo run >>/runs; exit 5'
is "$RC" 5 "run in the foreground: the workload's exit code"
capture ctr start -a "$N"
is "$RC/$OUT" 5/out "start -a: attached, the workload's output and exit code"
capture ctr start "$N"
is "$RC/$OUT" 0/ "start without -a: detached, 0, no output"
wait_status "$N" stopped 5
sleep 0.3; state_of "$N"
is "$ST/$SCODE" stopped/5 "start without -a: state records the exit code"
is "$(grep -c run "$P/$N/upper/runs")" 3 "run, start -a and start each ran it once"

N=$(name_for rmf)
made "$N"
rund "$N" -- sh -c 'echo kept >/kept; exec sleep '$((8000000 + $$))
wait_status "$N" running 5
i=0
until [ -e "$P/$N/upper/kept" ] || [ $i -ge 50 ]; do sleep 0.1; i=$((i + 1)); done
t0=$(ms)
capture ctr rm -f "$N"
t=$(($(ms) - t0))
is "$RC" 0 "rm -f of a running container: 0" || diag "$ERR"
[ $t -lt 3000 ]
ok $? "rm -f kills at once, no grace ($t ms)"
pid_by_cmdline sleep $((8000000 + $$)) >/dev/null
ok $((!$?)) "rm -f: the workload is gone"
[ -e "$P/$N/upper/kept" ] && [ -e "$P/$N/config" ]
ok $? "rm -f without --purge keeps the persistent layer and config"
[ ! -e "/run/container/$N" ]
ok $? "rm -f: the runtime state is gone"
capture ctr ps -a --persist "$P"
like "$OUT" "(^|$NL)$N +0 +stopped " "rm without --purge: still known to ps -a --persist"
capture ctr start --persist "$P" "$N"
is "$RC" 0 "rm without --purge: start --persist brings it back" || diag "$ERR"
wait_status "$N" running 5
capture ctr exec "$N" cat /kept
is "$OUT" kept "rm without --purge: with its files"
capture ctr stop -t 0 "$N"
is "$RC" 0 "stop -t 0: 0" || diag "$ERR"

# --- stop: the grace ---------------------------------------------------------

# PID 1 of a pid namespace without a handler ignores TERM
N=$(name_for grace)
made "$N"
rund "$N" -- sleep $((6000000 + $$))
is "$RC" 0 "run -d sleep" || diag "$ERR"
wait_status "$N" running 5
t0=$(ms)
capture ctr stop -t 1 "$N"
t=$(($(ms) - t0))
is "$RC" 0 "stop -t 1 of a workload that ignores TERM: exit 0" || diag "$ERR"
[ $t -ge 900 ] && [ $t -le 3000 ]
ok $? "stop -t 1: killed after the grace, within about a second ($t ms)"
state_of "$N"
is "$ST/$SCODE" stopped/137 "state: stopped, exitCode 137 (SIGKILL)"
pid_by_cmdline sleep $((6000000 + $$)) >/dev/null
ok $((!$?)) "no process of the workload is left"

# a shell that ignores TERM, under --init: the reaper passes TERM on
N=$(name_for grace-init)
made "$N"
script=": grace-init-$$; trap '' TERM; while :; do sleep 0.1; done"
rund --init "$N" -- sh -c "$script"
is "$RC" 0 "run -d --init of a shell that ignores TERM" || diag "$ERR"
wait_status "$N" running 5
t0=$(ms)
capture ctr stop -t 1 "$N"
t=$(($(ms) - t0))
is "$RC" 0 "stop -t 1 (--init): exit 0" || diag "$ERR"
[ $t -ge 900 ] && [ $t -le 3000 ]
ok $? "stop -t 1 (--init): killed after the grace ($t ms)"
pid_by_cmdline sh -c "$script" >/dev/null
ok $((!$?)) "stop -t 1 (--init): no process of the workload is left"
state_of "$N"
is "$ST" stopped "state (--init): stopped"

# --- refusals: exit 1, one line, nothing changes -----------------------------

N=$(name_for refuse)
made "$N"
rund "$N" -- sh -c 'trap "exit 0" TERM; while :; do sleep 0.1; done'
wait_status "$N" running 5
running_pid=$SPID
capture ctr start "$N"
is "$RC" 1 "start of a running container: 1"
one_error_line "start of a running container: one error line"
like "$ERR" "already running|is running" "start of a running container: says it runs"
state_of "$N"
is "$ST/$SPID" "running/$running_pid" "start of a running one: still the same workload"

capture ctr rm "$N"
is "$RC" 1 "rm of a running container without -f: 1"
one_error_line "rm of a running container: one error line"
state_of "$N"
is "$ST/$SPID" "running/$running_pid" "rm without -f: still running"
[ -e "$P/$N/config" ]
ok $? "rm without -f: the saved config is kept"

capture ctr reset "$N"
is "$RC" 1 "reset of a running container: 1"
one_error_line "reset of a running container: one error line"
state_of "$N"
is "$ST/$SPID" "running/$running_pid" "reset refused: still running"

capture ctr stop "$N"
is "$RC" 0 "stop" || diag "$ERR"
state_of "$N"
before=$OUT
capture ctr exec "$N" true
is "$RC" 1 "exec into a stopped container: 1"
one_error_line "exec into a stopped container: one error line"
like "$ERR" "not running" "exec into a stopped container: says it is not running"
state_of "$N"
is "$OUT" "$before" "exec into a stopped container: state unchanged"

capture ctr stop "$N"
is "$RC" 1 "stop of a stopped container: 1"
one_error_line "stop of a stopped container: one error line"
capture ctr kill "$N" USR1
is "$RC" 1 "kill of a stopped container: 1"
one_error_line "kill of a stopped container: one error line"
state_of "$N"
is "$OUT" "$before" "stop and kill of a stopped container: state unchanged"

unknown=$(name_for nosuch)
for cmd in "stop" "stop -t 1" "start" "start -a" "kill" "kill TERM" "state" \
	"rm" "rm -f" "rm -f --purge" "reset" "exec true"; do
	tree_snapshot "$P" "$T/p.before"
	set -- $cmd
	case $1 in
	start | state | rm | reset) capture ctr "$@" --persist "$P" "$unknown" ;;
	stop) capture ctr "$@" "$unknown" ;;
	kill | exec) capture ctr "$1" "$unknown" "${@:2}" ;;
	esac
	is "$RC" 1 "$cmd of an unknown name: 1"
	one_error_line "$cmd of an unknown name: one error line"
	tree_snapshot "$P" "$T/p.after"
	[ ! -e "/run/container/$unknown" ] && cmp -s "$T/p.before" "$T/p.after"
	ok $? "$cmd of an unknown name: nothing created"
done

# --- kill ----------------------------------------------------------------------

N=$(name_for kill)
made "$N"
rund "$N" -- sh -c 'trap "echo got >>/sig" USR1; trap "exit 4" TERM
	echo ready >>/ready; while :; do sleep 0.1; done'
# wait_lines FILE N: until the container's FILE has N lines
wait_lines() {
	local i=0
	until capture ctr exec "$N" cat "$1" && [ "$(printf '%s' "$OUT" | grep -c '')" -ge "$2" ] ||
		[ $i -ge 50 ]; do
		sleep 0.1; i=$((i + 1))
	done
}
wait_lines /ready 1
capture ctr kill "$N" USR1
is "$RC" 0 "kill NAME USR1: exit 0" || diag "$ERR"
wait_lines /sig 1
is "$OUT" got "kill NAME USR1 reaches the workload's trap"
capture ctr kill "$N" SIGUSR1
wait_lines /sig 2
is "$OUT" got$'\n'got "kill NAME SIGUSR1 (with the SIG prefix) reaches it too"
capture ctr kill "$N" NOSUCHSIG
is "$RC" 1 "kill with an unknown signal: 1"
one_error_line "kill with an unknown signal: one error line"
state_of "$N"
is "$ST" running "an unknown signal changes nothing"
capture ctr kill "$N" 15
is "$RC" 0 "kill NAME 15 (by number): exit 0"
wait_status "$N" stopped 5
sleep 0.3; state_of "$N"
is "$ST/$SCODE" stopped/4 "kill NAME 15: the workload's TERM trap ran (exitCode 4)"
capture ctr start "$N"
wait_lines /ready 2
capture ctr kill "$N"
wait_status "$N" stopped 5
sleep 0.3; state_of "$N"
is "$ST/$SCODE" stopped/4 "kill NAME: TERM by default"
capture ctr start "$N"
wait_lines /ready 3
# poll with no pause: the first state that reads stopped must already
# carry the real exit code, never a made-up 0. The supervisor is starved
# (idle priority, on the CPU of the poll) so that a gap between the
# workload's end and the supervisor recording it shows every time.
state_of "$N"
sup=$(ppid_of "$SPID")
pin=()
if [ -n "$sup" ] && command -v taskset >/dev/null && command -v chrt >/dev/null &&
	taskset -p -c 0 "$sup" >/dev/null 2>&1 && chrt -i -p 0 "$sup" 2>/dev/null; then
	pin=(taskset -c 0)
fi
out=$("${pin[@]}" bash -c '"$0" kill "$2" KILL
	for i in $(seq 500); do
		out=$("$0" state --persist "$1" "$2" 2>/dev/null)
		[[ $out == *"\"status\":\"stopped\""* ]] && break
	done
	echo "$out"' "$C" "$P" "$N")
is "$(json_get "$out" exitCode)" 137 \
	"kill NAME KILL: the first state that reads stopped says exitCode 137" ||
	diag "$out"
wait_status "$N" stopped 5
sleep 0.3; state_of "$N"
is "$ST/$SCODE" stopped/137 "kill NAME KILL: exitCode 137"

# --- a stale state -------------------------------------------------------------

N=$(name_for stale)
made "$N"
rund "$N" -- sh -c 'echo kept >/kept; exec sleep '$((7000000 + $$))
wait_status "$N" running 5
wpid=$SPID
sup=$(ppid_of "$wpid")
if [ "$ST" = running ] && [ -n "$sup" ] && [ "$sup" -gt 1 ]; then
	kill -KILL "$sup" "$wpid"
	# until both are reaped (not even zombies: their parents may be slow)
	i=0
	until [ ! -e "/proc/$wpid" ] && [ ! -e "/proc/$sup" ] || [ $i -ge 100 ]; do
		sleep 0.1; i=$((i + 1))
	done
	state_of "$N"
	is "$RC/$ST/$SPID" 0/stopped/0 "supervisor and workload killed: state reads stopped, pid 0"
	capture ctr ps
	unlike "$OUT" "(^|$NL)$N " "a stale state: not in ps"
	capture ctr ps -a --persist "$P"
	like "$OUT" "(^|$NL)$N +0 +stopped " "a stale state: ps -a lists it stopped"
	capture ctr exec "$N" true
	is "$RC" 1 "a stale state: exec refuses (1)"
	capture ctr start "$N"
	is "$RC" 0 "a stale state: start works" || diag "$ERR"
	wait_status "$N" running 5
	capture ctr exec "$N" cat /kept
	is "$OUT" kept "a stale state: start keeps the files"
	capture ctr rm -f "$N"
	is "$RC" 0 "a stale state: rm -f works afterwards" || diag "$ERR"
	[ -e "$P/$N/upper/kept" ]
	ok $? "rm without --purge keeps the persistent layer"
else
	fail "supervisor and workload killed: state reads stopped, pid 0"
	diag "no running workload or supervisor: state $ST pid $SPID ppid $sup"
fi

# --- the supervisor killed, the workload alive --------------------------------

# kill_orphans ARGS...: SIGKILL every host process with exactly that argv
kill_orphans() { local p; while p=$(pid_by_cmdline "$@"); do kill -KILL "$p"; sleep 0.1; done; }

# orphan: run -d NAME (now running), then SIGKILL its supervisor (the
# workload's parent, when that is a $C process); 1 if there is none
orphan() {
	local i=0
	wait_status "$N" running 5
	wpid=$SPID
	sup=$(ppid_of "$wpid")
	[ "$ST" = running ] && [ -n "$sup" ] && [ "$sup" -gt 1 ] &&
		[ "$( { tr '\0' '\n' <"/proc/$sup/cmdline"; } 2>/dev/null | head -n 1)" = "$C" ] ||
		{ diag "no running workload with a supervisor: state $ST pid $SPID ppid $sup"; return 1; }
	kill -KILL "$sup"
	until [ ! -e "/proc/$sup" ] || [ $i -ge 100 ]; do sleep 0.1; i=$((i + 1)); done
}

N=$(name_for orphan)
made "$N"
uniq=$((9000000 + $$))
defer kill_orphans sleep "$uniq"
rund "$N" -- sleep "$uniq"
if orphan; then
	state_of "$N"
	is "$ST/$SPID" "running/$wpid" "supervisor killed: the live workload reads running"
	t0=$(ms)
	capture ctr stop -t 1 "$N"
	t=$(($(ms) - t0))
	is "$RC" 0 "supervisor killed: stop -t 1: 0" || diag "$ERR"
	i=0
	until gone "$wpid" || [ $i -ge 30 ]; do sleep 0.1; i=$((i + 1)); done
	gone "$wpid"
	ok $? "supervisor killed: stop ends the workload (stop took $t ms)"
	state_of "$N"
	is "$ST" stopped "supervisor killed: stopped after stop"
else
	fail "supervisor killed: the live workload reads running"
fi
kill_orphans sleep "$uniq"

capture ctr start "$N"
if orphan; then
	capture ctr start "$N"
	is "$RC" 1 "supervisor killed: start refuses while the workload lives (1)"
	one_error_line "supervisor killed: start refused with one error line"
	is "$(count_cmdline sleep "$uniq")" 1 "supervisor killed: still one workload on the host"
else
	fail "supervisor killed: start refuses while the workload lives (1)"
fi
kill_orphans sleep "$uniq"

done_testing
