#!/bin/bash
# exec's OCI side (SPEC 10): --console-socket with -t (one byte, one
# SCM_RIGHTS fd, a pty of the container's devpts), -d with --pid-file (no
# newline), --preserve-fds, the exit code when attached, and bad input.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/lib/lifecycle.sh"
need_root
need_container
need_rootfs
has_feature oci || skip_all "built without WITH_OCI"
command -v python3 >/dev/null || skip_all "python3 not installed"
RECV=$TOP/tests/lib/console-recv.py

N=$(name_for oexec)
made "$N"
rund "$N" -- sleep 9$$
is "$RC" 0 "run -d" || diag "$ERR"
wait_status "$N" running 5

# the engine's side of the console socket, in the background
recv_start() {
	rm -f "$T/sock" "$T/sock.ready"
	start_bg "$T/recv.out" "$T/recv.err" python3 "$RECV" "$T/sock" "$@"
	RECV_PID=$BG
	wait_for "$T/sock.ready" '' 5 || [ -e "$T/sock.ready" ]
}

# --- terminal through the console socket -----------------------------------------

recv_start $'echo typed-$((6*7)); exit 6\n'
capture ctr exec -t --console-socket "$T/sock" "$N" sh -c 'tty; read x; eval "$x"'
is "$RC" 6 "exec -t --console-socket: the exit code"
wait_bg "$RECV_PID" 10
is "$RC" 0 "console socket: one byte and one fd, no reply"
R=$(tr -d '\r' <"$T/recv.out")
like "$R" 'fds=1 bytes=1 tty=1 more=0' "console socket: exactly one fd, a terminal"
like "$R" $'\n/dev/pts/[0-9]+\n' "the terminal is a pty of the container's devpts"
like "$R" typed-42 "the workload reads and writes the terminal"
is "$OUT" "" "nothing on the caller's stdout: the terminal has it"

recv_start
capture ctr exec --tty --console-socket="$T/sock" "$N" sh -c 'set -- $(cat /proc/$$/stat); test -t 0 && test -t 1 && test -t 2 && test "$7" != 0 && echo all-tty'
wait_bg "$RECV_PID" 10
like "$(tr -d '\r' <"$T/recv.out")" all-tty "stdin, stdout and stderr are the pty, and it is the controlling terminal"

# --- detached, pid file ----------------------------------------------------------

capture ctr exec -d --pid-file "$T/pid" "$N" sh -c "echo \$\$ >/tmp/inner; exec sleep 8$$"
is "$RC" 0 "exec -d: returns at once" || diag "$ERR"
PIDTEXT=$(cat "$T/pid" 2>/dev/null)
like "$PIDTEXT" '^[0-9]+$' "pid file: a decimal number"
is "$(wc -c <"$T/pid")" "${#PIDTEXT}" "pid file: no newline"
is "$(tr '\0' ' ' <"/proc/$PIDTEXT/cmdline" 2>/dev/null)" "sleep 8$$ " "pid file: the host pid of the exec'd process"
capture ctr exec "$N" cat /tmp/inner
unlike "$OUT" "^$PIDTEXT\$" "pid file: not the pid inside the container"
kill "$PIDTEXT" 2>/dev/null
ls -a "$T" | grep -q '\.tmp$'
ok $((!$?)) "pid file: no temporary file left"

capture ctr exec -d --pid-file "$T/pid2" "$N" /no/such/cmd
is "$RC" 127 "exec -d of a missing command: 127"
one_error_line "exec -d of a missing command: one error line"
[ ! -e "$T/pid2" ]
ok $? "exec -d of a missing command: no pid file"

# --- fds, exit codes, stdio --------------------------------------------------------

capture ctr exec --preserve-fds 2 "$N" sh -c 'for f in 3 4 5 6; do [ -e /proc/$$/fd/$f ] && printf "%s " $f; done' 3</dev/null 4</dev/null 5</dev/null 6</dev/null
is "$OUT" "3 4 " "--preserve-fds 2: fds 3 and 4 passed on, no other"
capture ctr exec --cwd /tmp -e A=b --pid-file "$T/pid3" "$N" sh -c 'echo $A $(pwd); exit 9'
is "$RC" 9 "attached: the exit code"
is "$OUT" "b /tmp" "attached: stdio passes straight through, --cwd, -e"
capture_in "in" ctr exec --pid-file "$T/pid3" "$N" cat
is "$OUT" in "attached without a terminal: stdin passes through"

# --- bad input ----------------------------------------------------------------------

capture ctr exec -t "$N" true
is "$RC" 1 "-t without --console-socket: refused"
one_error_line "-t without --console-socket: one error line"
capture ctr exec --console-socket "$T/nosock" -t "$N" true
is "$RC" 1 "a console socket nobody listens on: refused"
one_error_line "a console socket nobody listens on: one error line"
capture ctr exec -d "$(name_for nosuch)" true
is "$RC" 1 "exec -d of an unknown ID: 1"
like "$ERR" "does not exist" "exec of an unknown ID: does not exist"
capture ctr exec -d --pid-file /no/such/dir/pid "$N" true
is "$RC" 1 "a pid file in a missing directory: refused"
one_error_line "a pid file in a missing directory: one error line"
capture ctr exec --preserve-fds -1 "$N" true
is "$RC" 1 "--preserve-fds -1: refused"

ctr stop -t 1 "$N" >/dev/null 2>&1
capture ctr exec -d "$N" true
is "$RC" 1 "exec -d into a stopped container: 1"
like "$ERR" "not running" "exec into a stopped container: not running"

done_testing
