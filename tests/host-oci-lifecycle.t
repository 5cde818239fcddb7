#!/bin/bash
# The OCI runtime's command line with hand-written bundles (SPEC 10):
# created -> running -> stopped, delete in each state, kill --all, the pid
# file, stdio straight through, the exit status seen by a subreaper parent
# (as conmon and the containerd shim are), the error strings engines match,
# the global options, features and spec.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/lib/oci.sh"	# root, the binary, the rootfs, WITH_OCI
plan 57
NL=$'\n'

B=$T/bundle
id=$(name_for life)
defer oci delete --force "$id"

# --- created -> running -> stopped -----------------------------------------
bundle "$B" '"sh","-c","read line; echo out:$line; echo err >&2; exit 7"'
capture oci create --bundle "$B" --pid-file "$T/pid" "$id"
is "$RC" 0 "create: 0" || diag "$ERR"
pid=$(cat "$T/pid")
[[ $pid =~ ^[0-9]+$ ]] && [ "$(wc -c <"$T/pid")" = "${#pid}" ]
ok $? "pid file: the pid in decimal, no newline ($(od -c "$T/pid" | head -1))"
kill -0 "$pid" 2>/dev/null
ok $? "create: the first process exists"
[ "$(readlink "/proc/$pid/exe" | grep -c 'memfd:container\|container')" = 1 ]
ok $? "create: it has not exec'd the workload ($(readlink "/proc/$pid/exe"))"
capture oci state "$id"
like "$OUT" '"status":"created"' "state: created"
like "$OUT" "\"pid\":$pid," "state: the pid of the pid file"
like "$OUT" "\"bundle\":\"$B\"" "state: the bundle"
capture oci list
like "$OUT" "$id +$pid +created " "list: created"
capture oci list --format json
like "$OUT" "^\[\{.*\"id\":\"$id\".*\}\]$" "list --format json: an array"

# stdio: the create's own, passed straight through
rm -f "$T/pid"
oci delete "$id"
mkfifo "$T/in"
( exec 3>"$T/in"; sleep 0.3; echo hello >&3; sleep 2 ) &
oci create --bundle "$B" --pid-file "$T/pid" "$id" <"$T/in" >"$T/out" 2>"$T/err"
capture oci start "$id"
is "$RC" 0 "start: 0" || diag "$ERR"
for i in $(seq 50); do grep -q out: "$T/out" && break; sleep 0.1; done
is "$(cat "$T/out")" "out:hello" "stdin and stdout: the caller's own"
like "$(cat "$T/err")" "err" "stderr: the caller's own"
pid=$(cat "$T/pid")
for i in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
capture oci state "$id"
like "$OUT" '"status":"stopped"' "state finds out by itself that it stopped"
capture oci kill "$id" KILL
is "$RC" 1 "kill of a stopped container: 1"
like "$ERR" "container not running" "kill of a stopped container: container not running"
capture oci delete "$id"
is "$RC" 0 "delete of a stopped container: 0"
oci_gone "$id"
ok $? "delete: the state is gone"
wait

# --- exit status seen by a subreaper ---------------------------------------
SR=$T/subreaper
musl-gcc -static -o "$SR" "$TOP/tests/lib/subreaper.c" || bail "cannot build tests/lib/subreaper.c with musl-gcc"
bundle "$B" '"sh","-c","exit 7"'
capture "$SR" sh -c "'$C' --root '$R' create --bundle '$B' --pid-file '$T/pid' '$id' && '$C' --root '$R' start '$id'"
pid=$(cat "$T/pid")
like "$OUT" "(^|$NL)$pid 7($NL|$)" "the subreaper reaps the container's first process: exit 7 (pid $pid)"
[ "$(grep -c '' <<<"$OUT")" = 2 ]
ok $? "the subreaper reaped two: the shell and the container, no supervisor of ours" || diag "$OUT"
oci delete "$id"

# --- delete in each state ---------------------------------------------------
bundle "$B" '"sleep","1000"'
oci create --bundle "$B" --pid-file "$T/pid" "$id" 2>/dev/null
pid=$(cat "$T/pid")
capture oci delete "$id"
is "$RC" 0 "delete of a created container: 0" || diag "$ERR"
dead "$pid" && oci_gone "$id"
ok $? "delete of a created container: its process and state are gone"

oci run -d --bundle "$B" --pid-file "$T/pid" "$id" 2>/dev/null
pid=$(cat "$T/pid")
capture oci state "$id"
like "$OUT" '"status":"running"' "run -d: running"
capture oci delete "$id"
is "$RC" 1 "delete of a running container: 1"
like "$ERR" "running" "delete of a running container: says it runs"
kill -0 "$pid"
ok $? "delete without --force: it still runs"
capture oci delete --force "$id"
is "$RC" 0 "delete --force of a running container: 0"
dead "$pid" && oci_gone "$id"
ok $? "delete --force: process and state gone"

# --- kill --all ---------------------------------------------------------------
bundle "$B" '"sh","-c","sleep 1001 & sleep 1002 & exec sleep 1003"'
oci run -d --bundle "$B" --pid-file "$T/pid" "$id" 2>/dev/null
sleep 0.5
capture oci ps "$id"
is "$(grep -c '^[0-9]' <<<"$OUT")" 3 "ps: three processes" || diag "$OUT"
capture oci ps --format json "$id"
like "$OUT" '^\[[0-9]+,[0-9]+,[0-9]+\]$' "ps --format json: an array of pids"
capture oci kill "$id" TERM
sleep 0.3
pid_by_cmdline sleep 1001 >/dev/null
ok $? "kill without --all: only the first process"
capture oci kill --all "$id" KILL
is "$RC" 0 "kill --all: 0"
sleep 0.3
! pid_by_cmdline sleep 1001 >/dev/null && ! pid_by_cmdline sleep 1002 >/dev/null
ok $? "kill --all: every process of the container is gone"
oci delete --force "$id"

# --- run in the foreground ----------------------------------------------------
bundle "$B" '"sh","-c","echo ran; exit 3"'
capture oci run --bundle "$B" "$id"
is "$RC" 3 "run --bundle: the workload's exit status"
is "$OUT" "ran" "run --bundle: its output"
oci_gone "$id"
ok $? "run --bundle: deleted after it ends"

# --- what engines match -----------------------------------------------------
for verb in state start delete "kill" ps; do
	capture oci $verb nosuch-$$
	[ "$RC" = 1 ] && [[ $ERR == *"does not exist"* ]]
	ok $? "$verb of an unknown ID: exit 1, does not exist" || diag "$RC $ERR"
done
bundle "$B" '"true"'
oci create --bundle "$B" "$id" 2>/dev/null
capture oci create --bundle "$B" "$id"
is "$RC" 1 "create of an ID that exists: 1"
like "$ERR" "already exists" "create of an ID that exists: says so"
oci delete "$id"

# --- global options ----------------------------------------------------------
capture "$C" --systemd-cgroup --root "$R" state x
is "$RC" 1 "--systemd-cgroup: 1"
like "$ERR" 'cgroup_manager = "cgroupfs"' "--systemd-cgroup: names cgroup_manager = \"cgroupfs\""
capture "$C" --cgroup-manager=systemd state x
like "$ERR" 'cgroup_manager' "--cgroup-manager=systemd: the same"
capture "$C" --root="$R" --log="$T/log" --log-format=json --debug state nosuch-$$
is "$RC" 1 "--opt=V forms: accepted"
like "$(tail -1 "$T/log")" '^\{"level":"error","msg":"container nosuch-[0-9]+ does not exist","time":"[0-9T:-]+Z"\}$' \
	"--log-format json: one error object per line"
capture "$C" --rootless true state x
like "$ERR" "rootless" "--rootless true: refused, says rootless"

# --- features and spec ------------------------------------------------------
capture "$C" features
like "$OUT" '"ociVersionMax":"1.1.0"' "features: the versions"
like "$OUT" '"namespaces":\[.*"mount"' "features: the namespaces"
like "$OUT" '"hooks":\["prestart","createRuntime","createContainer","startContainer","poststart","poststop"\]' "features: the hooks"
mkdir -p "$T/spec"
capture "$C" spec --bundle "$T/spec"
is "$RC" 0 "spec: 0"
ln -s "$ROOTFS" "$T/spec/rootfs"
sed -i 's/"args":\["sh"\]/"args":["sh","-c","echo spec:$(hostname)"]/' "$T/spec/config.json"
capture oci run --bundle "$T/spec" "$id"
is "$OUT" "spec:container" "spec: its config.json runs"
capture "$C" spec --bundle "$T/spec"
is "$RC" 1 "spec over a config.json: 1"

# --- the launcher's pre-warm ------------------------------------------------
n=$(name_for warm)
capture ctr create --rootfs "$ROOTFS" --persist "$P" "$n" -- sh -c 'echo warm'
is "$RC" 0 "create NAME (the launcher's): 0" || diag "$ERR"
capture ctr state "$n"
like "$OUT" '"status":"created"' "create NAME: created, not started"
capture ctr start -a "$n"
is "$OUT" "warm" "start NAME runs the pre-warmed container"
ctr rm "$n" >/dev/null 2>&1
done_testing
