#!/bin/bash
# config.json's hooks (SPEC 10): each kind in its place and order, the
# state on stdin, a failing prestart hook makes create fail and leaves
# nothing, a hook that hangs past its timeout is killed and said so.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/lib/oci.sh"	# root, the binary, the rootfs, WITH_OCI
plan 22

B=$T/bundle
id=$(name_for hooks)
defer oci delete --force "$id"
log=$T/hooks.log
inlog=$B/rootfs-copy/hooks.log

# A hook that appends its kind and the state's status to the log. The
# startContainer hook runs inside the container: its log is in the rootfs.
hook() {	# KIND [LOG]
	printf '{"path":"/bin/sh","args":["sh","-c","read -r s; echo %s:$(echo \\"$s\\" | sed -n \\"s/.*\\\\\\"status\\\\\\":\\\\\\"\\\\([a-z]*\\\\)\\\\\\".*/\\\\1/p\\") >> %s"]}' "$1" "${2:-$log}"
}
mkdir -p "$B"
cp -a "$ROOTFS" "$B/rootfs-copy"
hooks="\"hooks\":{\"prestart\":[$(hook prestart)],\"createRuntime\":[$(hook createRuntime)],\
\"createContainer\":[$(hook createContainer)],\"startContainer\":[$(hook startContainer /hooks.log)],\
\"poststart\":[$(hook poststart)],\"poststop\":[$(hook poststop)]}"
bundle "$B" '"sh","-c","echo workload >> /hooks.log"' "" "" ",$hooks"
sed -i 's|"path":"rootfs","readonly":true|"path":"rootfs-copy","readonly":false|' "$B/config.json"

capture oci create --bundle "$B" "$id"
is "$RC" 0 "create with every kind of hook: 0" || diag "$ERR"
is "$(cat "$log" 2>/dev/null | tr '\n' ' ')" "prestart:creating createRuntime:creating createContainer:creating " \
	"create ran prestart, createRuntime, createContainer in order, state on stdin"
capture oci start "$id"
is "$RC" 0 "start: 0" || diag "$ERR"
sleep 0.5
is "$(tail -1 "$log")" "poststart:running" "start ran poststart"
is "$(tr '\n' ' ' <"$inlog")" "startContainer:created workload " "startContainer ran in the container, before the workload"
capture oci delete "$id"
is "$RC" 0 "delete: 0" || diag "$ERR"
is "$(tail -1 "$log")" "poststop:stopped" "delete ran poststop"

# --- a failing prestart hook: create fails, nothing is left ------------------
mine() { mountinfo_snapshot "$1.all"; grep -e "$T" -e "$ROOTFS" "$1.all" >"$1"; }
mine "$T/m.before"
bundle "$B" '"sleep","1007"' "" "" ',"hooks":{"prestart":[{"path":"/bin/sh","args":["sh","-c","exit 3"]}]}'
capture oci create --bundle "$B" --pid-file "$T/pid" "$id"
is "$RC" 1 "a failing prestart hook: create exits 1"
one_error_line "a failing prestart hook: one error line"
like "$ERR" "prestart hook /bin/sh failed with status 3" "a failing prestart hook: says which and how"
oci_gone "$id"
ok $? "a failing prestart hook: no state dir"
! pid_by_cmdline sleep 1007 >/dev/null && [ ! -e "$T/pid" ]
ok $? "a failing prestart hook: no process, no pid file"
mine "$T/m.after"
cmp -s "$T/m.before" "$T/m.after"
ok $? "a failing prestart hook: no mount left"

# --- a hook that hangs ----------------------------------------------------
bundle "$B" '"true"' "" "" ',"hooks":{"createRuntime":[{"path":"/bin/sleep","args":["sleep","1004"],"timeout":1}]}'
t0=$(date +%s%N)
capture oci create --bundle "$B" "$id"
t=$((($(date +%s%N) - t0) / 1000000))
is "$RC" 1 "a hook past its timeout: create exits 1"
one_error_line "a hook past its timeout: one error line"
like "$ERR" "createRuntime hook /bin/sleep: no end after 1 s" "a hook past its timeout: says so"
[ "$t" -lt 5000 ]
ok $? "a hook past its timeout: killed after its timeout ($t ms)"
! pid_by_cmdline sleep 1004 >/dev/null && oci_gone "$id"
ok $? "a hook past its timeout: the hook is gone, no state"

# --- a failing poststart or poststop hook is a warning -------------------------
bundle "$B" '"true"' "" "" ',"hooks":{"poststart":[{"path":"/bin/false"}],"poststop":[{"path":"/bin/false"}]}'
oci create --bundle "$B" "$id" 2>/dev/null
capture oci start "$id"
is "$RC" 0 "a failing poststart hook: start still 0"
like "$ERR" "poststart hook /bin/false failed" "a failing poststart hook: a warning"
capture oci delete --force "$id"
is "$RC" 0 "a failing poststop hook: delete still 0"
oci_gone "$id"
ok $? "a failing poststop hook: the container is deleted"
done_testing
