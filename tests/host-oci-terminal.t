#!/bin/bash
# A bundle container with process.terminal (SPEC 10): the pty master reaches
# the engine's --console-socket during create (one byte, exactly one
# SCM_RIGHTS fd, no reply), made in the container's own devpts; the slave
# is stdin, stdout, stderr and the controlling terminal; run --bundle
# returns the exit code; what is refused.
. "$(dirname "$0")/lib.sh"
need_root
need_container
need_rootfs
has_feature oci || skip_all "this build has no OCI runtime"
command -v python3 >/dev/null || skip_all "python3 not installed"
. "$TOP/tests/lib/oci.sh"
RECV=$TOP/tests/lib/console-recv.py

recv_start() {
	rm -f "$T/sock" "$T/sock.ready"
	start_bg "$T/recv.out" "$T/recv.err" python3 "$RECV" "$T/sock" "$@"
	RECV_PID=$BG
	wait_for "$T/sock.ready" '' 5 || [ -e "$T/sock.ready" ]
}

B=$T/bundle
id=$(name_for term)
defer oci delete --force "$id"
# the workload proves its terminal: a tty on 0, 1 and 2, its controlling
# terminal (tty_nr of /proc/self/stat), then reads a line and runs it
bundle "$B" '"sh","-c","tty; set -- $(cat /proc/$$/stat); test -t 0 && test -t 1 && test -t 2 && test $7 != 0 && echo all-tty; read x; eval \"$x\""'
sed -i 's/"terminal":false/"terminal":true/' "$B/config.json"

# --- create: the master arrives before create returns ------------------------------

recv_start $'echo typed-$((6*7)); exit 5\n'
capture oci create --bundle "$B" --console-socket "$T/sock" --pid-file "$T/pid" "$id"
is "$RC" 0 "create with a terminal and --console-socket" || diag "$ERR"
wait_for "$T/recv.out" 'fds=' 5
like "$(cat "$T/recv.out")" 'fds=1 bytes=1 tty=1 more=0' \
	"the console socket got one byte and exactly one fd, a terminal, during create"
capture oci state "$id"
like "$OUT" '"status":"created"' "the container is still created"
capture oci start "$id"
is "$RC" 0 "start" || diag "$ERR"
wait_bg "$RECV_PID" 10
is "$RC" 0 "the receiver saw the right message and the pty closed at the end"
TXT=$(tr -d '\r' <"$T/recv.out")
like "$TXT" $'\n/dev/pts/[0-9]+\n' "the pty is of the container's devpts"
like "$TXT" all-tty "stdin, stdout and stderr are the pty, the controlling terminal"
like "$TXT" typed-42 "what the engine writes reaches the workload, its output comes back"
capture oci delete --force "$id"
is "$RC" 0 "delete" || diag "$ERR"

# --- run --bundle: the exit code through the terminal --------------------------------

recv_start $'exit 9\n'
capture oci run --bundle "$B" --console-socket "$T/sock" "$id"
is "$RC" 9 "run --bundle with a terminal: the workload's exit code"
wait_bg "$RECV_PID" 10
like "$(tr -d '\r' <"$T/recv.out")" all-tty "run --bundle: the workload's stdio is the pty"
is "$OUT" "" "run --bundle with a terminal: nothing on the caller's stdout"
oci delete --force "$id" >/dev/null 2>&1

# --- refused ----------------------------------------------------------------------------

capture oci create --bundle "$B" "$id"
is "$RC" 1 "process.terminal without --console-socket: refused"
one_error_line "process.terminal without --console-socket: one error line"
oci_gone "$id"
ok $? "process.terminal without --console-socket: no state left"
capture oci create --bundle "$B" --console-socket "$T/nobody" "$id"
is "$RC" 1 "a console socket nobody listens on: refused"
one_error_line "a console socket nobody listens on: one error line"
oci_gone "$id"
ok $? "a console socket nobody listens on: no state left"

done_testing
