#!/bin/bash
# container exec: exit codes, -e -w -u, streams, errors; its latency.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/lib/lifecycle.sh"
need_root
need_container
need_rootfs

N=$(name_for exec)
made "$N"
rund -e FROM_RUN=yes "$N" -- sh -c 'trap "exit 0" TERM; while :; do sleep 0.1; done'
is "$RC" 0 "run -d" || diag "$ERR"
wait_status "$N" running 5

# --- exit codes ----------------------------------------------------------------

capture ctr exec "$N" true
is "$RC" 0 "exec true: 0"
capture ctr exec "$N" sh -c 'exit 7'
is "$RC" 7 "exec sh -c 'exit 7': 7"
capture ctr exec "$N" sh -c 'kill -KILL $$'
is "$RC" 137 "exec of a command killed by SIGKILL: 137"
capture ctr exec "$N" no-such-command
is "$RC" 127 "exec of a missing command: 127"
one_error_line "exec of a missing command: one error line"
capture ctr exec "$N" /no/such/file
is "$RC" 127 "exec of a missing absolute path: 127"
capture ctr exec "$N" /etc
is "$RC" 126 "exec of a directory: 126"
one_error_line "exec of a directory: one error line"
state_of "$N"
is "$ST" running "failed execs leave the container running"

# --- streams -------------------------------------------------------------------

capture ctr exec "$N" sh -c 'echo out; echo err >&2'
is "$OUT/$ERR" out/err "exec: stdout and stderr kept apart"
capture_in abc ctr exec "$N" cat
is "$OUT" abc "exec: stdin reaches the command"
capture ctr exec "$N" printf '<%s>' -e --flag -w x
is "$OUT" "<-e><--flag><-w><x>" "exec: options after CMD belong to CMD"

# --- -e -w -u ------------------------------------------------------------------

capture ctr exec -e FOO=bar -e BAZ='a b' "$N" sh -c 'echo "$FOO|$BAZ"'
is "$OUT" "bar|a b" "exec -e K=V sets the environment"
capture ctr exec -e PATH=/nowhere "$N" /bin/sh -c 'echo $PATH'
is "$OUT" /nowhere "exec -e overrides a default variable"
capture ctr exec "$N" sh -c 'echo $PATH'
like "$OUT" '(^|:)/bin(:|$)' "exec: a default PATH"
capture ctr exec "$N" sh -c 'echo $FROM_RUN'
is "$OUT" yes "exec: the container's run -e environment"
capture ctr exec -w /tmp "$N" pwd
is "$OUT" /tmp "exec -w DIR: the working directory"
capture ctr exec "$N" pwd
is "$OUT" / "exec: the working directory is / by default"
capture ctr exec -w /no/such/dir "$N" pwd
[ "$RC" -ne 0 ]
ok $? "exec -w of a missing directory fails (exit $RC)"
one_error_line "exec -w of a missing directory: one error line"
capture ctr exec -w relative "$N" pwd
is "$RC" 1 "exec -w relative: 1"
one_error_line "exec -w relative: one error line"
capture ctr exec -u 65534 "$N" id -u
is "$OUT" 65534 "exec -u UID"
capture ctr exec -u 65534:65534 "$N" sh -c 'echo $(id -u):$(id -g)'
is "$OUT" 65534:65534 "exec -u UID:GID"
capture ctr exec -u 1000:1000 "$N" sh -c 'echo $(id -u):$(id -g); touch /root-only'
like "$OUT" "^1000:1000" "exec -u of an id not in /etc/passwd"
[ "$RC" -ne 0 ]
ok $? "exec -u 1000: cannot write where root owns"
capture ctr exec "$N" sh -c 'echo $(id -u):$(id -g)'
is "$OUT" 0:0 "exec: root by default"
capture ctr exec -u nobody:x "$N" true
is "$RC" 1 "exec -u with a bad value: 1"
one_error_line "exec -u with a bad value: one error line"
capture ctr exec -e NOEQUALS "$N" true
is "$RC" 1 "exec -e without '=': 1"
one_error_line "exec -e without '=': one error line"
capture ctr exec "$N"
is "$RC" 1 "exec without a command: 1"
one_error_line "exec without a command: one error line"

# --- privileges ----------------------------------------------------------------

capture ctr exec "$N" sh -c 'grep -E "^(CapBnd|NoNewPrivs)" /proc/self/status'
wl=$(grep -E '^(CapBnd|NoNewPrivs)' "/proc/$SPID/status")
is "$OUT" "$wl" "exec: the workload's bounding set and no_new_privs"
capture ctr exec "$N" sh -c 'readlink /proc/self/ns/net; readlink /proc/1/ns/net'
[ "${OUT%%$NL*}" = "${OUT##*$NL}" ] && [ -n "$OUT" ]
ok $? "exec: in the workload's network namespace"

# --- signals -------------------------------------------------------------------

start_bg "$T/sig.out" "$T/sig.err" "$C" exec "$N" sh -c \
	'trap "echo got-term; exit 5" TERM; echo ready; while :; do sleep 0.1; done'
wait_for "$T/sig.out" '^ready$' 10
kill -TERM "$BG"
wait_bg "$BG" 10
is "$RC" 5 "SIGTERM to exec reaches the command; its exit code comes back"
like "$(cat "$T/sig.out")" got-term "exec: the command's trap ran"
state_of "$N"
is "$ST" running "the container outlives an exec'd command"

# --- latency -------------------------------------------------------------------

times=()
for i in $(seq 20); do
	t0=$(date +%s%N)
	"$C" exec "$N" true
	times+=($((($(date +%s%N) - t0) / 1000000)))
done
echo "# exec latency: $(median "${times[@]}") ms (median of 20 exec $N true)"

capture ctr stop "$N"
is "$RC" 0 "stop" || diag "$ERR"

done_testing
