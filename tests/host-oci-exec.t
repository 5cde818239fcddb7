#!/bin/bash
# exec's OCI side (SPEC 10): --console-socket with -t (one byte, one
# SCM_RIGHTS fd, a pty of the container's devpts), -d with --pid-file (no
# newline), --preserve-fds, the exit code when attached, and bad input; for
# launcher containers, then a bundle container: config.json's process as
# the base, --process with a process.json, attached and detached.
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

# cmdline_is PID WANT: PID's argv (spaces between) becomes WANT within 5 s
# (a shell that execs its last command does so after exec returns)
cmdline_is() {
	local i got
	for i in $(seq 50); do
		got=$(tr '\0' ' ' 2>/dev/null <"/proc/$1/cmdline")
		[ "$got" = "$2" ] && return 0
		sleep 0.1
	done
	diag "pid $1: '$got', want '$2'"
	return 1
}

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
cmdline_is "$PIDTEXT" "sleep 8$$ "
ok $? "pid file: the host pid of the exec'd process"
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

# --- a bundle container (create --bundle) ------------------------------------------

# config.json from `spec`, over the busybox root, sleeping; ENV and a
# lowered RLIMIT_NOFILE to see that exec starts from config.json's process
B=$T/bundle
mkdir -p "$B"
capture ctr spec --bundle "$B"
is "$RC" 0 "spec writes a config.json" || diag "$ERR"
python3 - "$B/config.json" "$ROOTFS" "$$" <<'PY'
import json, sys
f, root, tag = sys.argv[1:]
j = json.load(open(f))
j["root"] = {"path": root, "readonly": True}
j["process"]["args"] = ["sleep", "7" + tag]
j["process"]["env"].append("FROM_CONFIG=yes")
j["process"]["rlimits"] = [{"type": "RLIMIT_NOFILE", "hard": 512, "soft": 256}]
json.dump(j, open(f, "w"))
PY
ID=$(name_for obundle)
defer "$C" delete -f "$ID"
capture ctr create --bundle "$B" "$ID"
is "$RC" 0 "create --bundle" || diag "$ERR"
capture ctr start "$ID"
is "$RC" 0 "start" || diag "$ERR"

capture ctr exec "$ID" sh -c 'echo $FROM_CONFIG $(ulimit -n) $(id -u); exit 4'
is "$RC" 4 "bundle: exec ID CMD (no flag): the exit code"
is "$OUT" "yes 256 0" "bundle: exec starts from config.json's process (env, rlimits, user)"
capture ctr exec -e FROM_CONFIG=no -u 65534:65534 --cwd /tmp "$ID" sh -c 'echo $FROM_CONFIG $(id -u):$(id -g) $(pwd)'
is "$OUT" "no 65534:65534 /tmp" "bundle: -e, -u, --cwd override config.json's process"
capture ctr exec "$ID" sh -c 'readlink /proc/1/ns/pid /proc/1/ns/mnt /proc/1/ns/net /proc/1/ns/uts /proc/1/ns/ipc; readlink /proc/self/ns/pid /proc/self/ns/mnt /proc/self/ns/net /proc/self/ns/uts /proc/self/ns/ipc'
is "$(printf '%s\n' "$OUT" | head -5)" "$(printf '%s\n' "$OUT" | tail -5)" "bundle: exec joins every namespace of the container's process"
capture ctr exec "$ID" sh -c 'grep ^CapBnd /proc/self/status'
is "$OUT" "CapBnd:	00000000a80425fb" "bundle: exec keeps config.json's capabilities"

cat >"$T/process.json" <<'JSON'
{ "terminal": false, "user": { "uid": 65534, "gid": 65534, "additionalGids": [5] },
  "args": ["sh", "-c", "echo $P_ENV $(id -u):$(id -G | tr ' ' ,) $(pwd) $(ulimit -n); exit 11"],
  "env": ["PATH=/bin:/usr/bin", "P_ENV=fromprocess"], "cwd": "/tmp",
  "rlimits": [{ "type": "RLIMIT_NOFILE", "hard": 100, "soft": 64 }],
  "capabilities": { "bounding": ["CAP_KILL"], "effective": ["CAP_KILL"], "permitted": ["CAP_KILL"] },
  "noNewPrivileges": true }
JSON
capture ctr exec --process "$T/process.json" "$ID"
is "$RC" 11 "exec --process, attached: the exit code"
is "$OUT" "fromprocess 65534:65534,5 /tmp 64" "exec --process: args, env, user, additionalGids, cwd, rlimits"

sed -i 's/exit 11/exec sleep 6'"$$"'/' "$T/process.json"
capture ctr exec --process "$T/process.json" --detach --pid-file "$T/bpid" "$ID"
is "$RC" 0 "exec --process --detach" || diag "$ERR"
BP=$(cat "$T/bpid" 2>/dev/null)
cmdline_is "$BP" "sleep 6$$ "
ok $? "exec --process --detach: the pid file names the process"
is "$(awk '/^CapBnd/ { print $2 }' "/proc/$BP/status" 2>/dev/null)" 0000000000000020 "exec --process: process.json's capabilities (bounding: CAP_KILL only)"
kill "$BP" 2>/dev/null

echo '{ "args": ["true"], "cwd": "/", "bogus": 1 }' >"$T/bad.json"
capture ctr exec --process "$T/bad.json" "$ID"
is "$RC" 1 "exec --process with an unknown field: refused"
one_error_line "exec --process with an unknown field: one error line"
echo '{ "args": ["true"' >"$T/trunc.json"
capture ctr exec --process "$T/trunc.json" "$ID"
is "$RC" 1 "exec --process, truncated JSON: refused"
one_error_line "exec --process, truncated JSON: one error line"
capture ctr exec --process "$T/nofile.json" "$ID"
is "$RC" 1 "exec --process of a missing file: refused"
capture ctr exec --process "$T/process.json" "$N"
is "$RC" 1 "exec --process into a launcher container: refused"

recv_start $'exit 3\n'
capture ctr exec -t --console-socket "$T/sock" "$ID" sh -c 'tty; read x; eval "$x"'
is "$RC" 3 "bundle: exec -t --console-socket: the exit code"
wait_bg "$RECV_PID" 10
R=$(tr -d '\r' <"$T/recv.out")
like "$R" 'fds=1 bytes=1 tty=1 more=0' "bundle: the console socket got one fd, a terminal"
like "$R" $'\n/dev/pts/[0-9]+' "bundle: the pty is of the container's devpts"

"$C" kill "$ID" KILL >/dev/null 2>&1
for i in $(seq 50); do
	[ "$("$C" state "$ID" 2>/dev/null | grep -o '"status": *"[a-z]*"' | grep -o '[a-z]*"$')" = 'stopped"' ] && break
	sleep 0.1
done
capture ctr exec "$ID" true
is "$RC" 1 "bundle: exec into a stopped container: 1"
like "$ERR" "not running" "bundle: exec into a stopped container: not running"
capture ctr delete "$ID"
is "$RC" 0 "delete" || diag "$ERR"

# --- a bundle removed after create (an engine's cleanup): exec and delete go on --------

B2=$T/bundle2
cp -r "$B" "$B2"
capture ctr run -d --bundle "$B2" "$ID"
is "$RC" 0 "run -d --bundle" || diag "$ERR"
rm -rf "$B2"
capture ctr exec "$ID" sh -c 'echo $FROM_CONFIG'
is "$OUT" yes "exec after the bundle was removed: config.json from the state dir"
capture ctr delete --force "$ID"
is "$RC" 0 "delete --force after the bundle was removed" || diag "$ERR"
capture ctr state "$ID"
like "$ERR" "does not exist" "deleted: does not exist"

done_testing
