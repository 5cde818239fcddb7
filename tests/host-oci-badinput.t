#!/bin/bash
# Bad config.json (SPEC 10): truncated, nested too deep, too large, wrong
# types, unknown namespace types, a missing root, fields that would weaken
# isolation if ignored, a limit without its controller. Each: one line
# "container: config.json: WHERE: WHAT", exit 1, and no state dir, no
# process, no mount and no cgroup left behind. A relative root.path is
# the runtime spec's own (relative to the bundle, as runc reads it): it
# works.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/lib/oci.sh"	# root, the binary, the rootfs, WITH_OCI
plan 92

B=$T/bundle
id=$(name_for bad)
defer oci delete --force "$id"
# only mounts of ours: other tests on this machine mount their own meanwhile
mine() { mountinfo_snapshot "$1.all"; grep -e "$T" -e "$ROOTFS" "$1.all" >"$1"; }
mine "$T/m.before"
cg2=$(awk '$9 == "cgroup2" { print $5; exit }' /proc/self/mountinfo)
own=$(sed -n 's/^0:://p' /proc/self/cgroup)

refused() {	# DESC ERE: create must refuse the bundle in $B
	capture oci create --bundle "$B" --pid-file "$T/pid" "$id"
	is "$RC" 1 "$1: exit 1"
	one_error_line "$1: one error line"
	like "$ERR" "$2" "$1: says what and where"
	oci_gone "$id" && [ ! -e "$T/pid" ] && ! pid_by_cmdline sleep 1005 >/dev/null
	ok $? "$1: no state, no pid file, no process"
	[ -z "$cg2" ] || [ ! -e "$cg2$own/container/$id" ]
	ok $? "$1: no cgroup"
}
edit() { bundle "$B" '"sleep","1005"'; sed -i "$1" "$B/config.json"; }

bundle "$B" '"sleep","1005"'
head -c 300 "$B/config.json" >"$T/c" && mv "$T/c" "$B/config.json"
refused "truncated" "config.json: line [0-9]+ column [0-9]+: unexpected end of input"

bundle "$B" '"sleep","1005"'
{ printf '{"ociVersion":"1.0.2","x":'; for i in $(seq 40); do printf '['; done
  for i in $(seq 40); do printf ']'; done; printf '}'; } >"$B/config.json"
refused "nested 40 deep" "config.json: line 1 column [0-9]+: nested deeper than 32"

{ printf '{"ociVersion":"1.0.2","x":"'; head -c 1100000 /dev/zero | tr '\0' a; printf '"}'; } >"$B/config.json"
refused "larger than 1 MiB" "config.json: .*larger than 1048576 bytes"

edit 's/"args":\["sleep","1005"\]/"args":"sleep 1005"/'
refused "process.args a string" "config.json: process.args: expected an array"

edit 's/"readonly":true/"readonly":"yes"/'
refused "root.readonly a string" "config.json: root.readonly: expected true or false"

edit 's/"uid":0/"uid":"0"/'
refused "process.user.uid a string" "config.json: process.user.uid: expected a number"

edit 's/"uid":0/"uid":-1/'
refused "process.user.uid -1" "config.json: process.user.uid: out of range"

edit 's/{"type":"ipc"}/{"type":"ipcx"}/'
refused "an unknown namespace type" "config.json: linux.namespaces\[2\]: unknown namespace type"

edit 's/{"type":"mount"}/{"type":"pid"}/'
refused "a namespace twice" "namespace given twice"

edit 's/,{"type":"mount"}//'
refused "no mount namespace" "a mount namespace of its own"

edit 's/"path":"rootfs"/"path":"no-such-rootfs"/'
refused "a root.path that does not exist" "root.path no-such-rootfs"

edit 's/"readonlyPaths"/"sysctl":{"kernel.panic":"1"},"readonlyPaths"/'
refused "a sysctl of the host's" "kernel.panic: this sysctl is not in a namespace of the container's own"

edit 's/"readonlyPaths"/"intelRdt":{"closID":"x"},"readonlyPaths"/'
refused "linux.intelRdt" "linux.intelRdt: not supported"

edit 's/"noNewPrivileges":true/"noNewPrivileges":true,"commandLine":"x"/'
refused "process.commandLine" "process.commandLine: not supported"

edit 's/"readonlyPaths"/"resources":{"cpu":{"cpus":"0-1"}},"readonlyPaths"/'
refused "a cpuset" "cpuset"

edit 's/"ociVersion":"1.0.2"/"ociVersion":"2.0.0"/'
refused "ociVersion 2" "ociVersion: this runtime reads version 1.x"

edit 's/"terminal":false/"terminal":true/'
refused "a terminal without --console-socket" "process.terminal needs --console-socket"

controllers=$([ -n "$cg2" ] && cat "$cg2$own/cgroup.controllers" 2>/dev/null)
if [[ " $controllers " == *" memory "* ]]; then
	for i in 1 2 3 4 5; do skip "a memory limit without the controller" "cgroup2 here has the memory controller"; done
else
	edit 's/"readonlyPaths"/"resources":{"memory":{"limit":67108864}},"readonlyPaths"/'
	refused "a memory limit without the controller" "controller memory is not available"
fi

mine "$T/m.after"
cmp -s "$T/m.before" "$T/m.after"
ok $? "no mount left by any of the refusals" || diag "$(diff "$T/m.before" "$T/m.after")"

# a relative root.path is the bundle's: it works
bundle "$B" '"sh","-c","echo relative"'
capture oci run --bundle "$B" "$id"
is "$OUT" "relative" "a relative root.path (rootfs) is read from the bundle"
done_testing
