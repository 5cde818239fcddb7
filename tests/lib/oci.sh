# tests/lib/oci.sh: sourced after lib.sh by the host-oci-*.t tests; skips
# the whole file without root, the binary, the rootfs or WITH_OCI.
#
#   R              a private --root for the OCI verbs (no /run/container)
#   oci ARGS...    $C --root $R ARGS under the timeout
#   bundle DIR ARGS_JSON [PROCESS_EXTRA] [LINUX_EXTRA] [TOP_EXTRA]
#                  write DIR/config.json for the busybox $ROOTFS (a symlink
#                  DIR/rootfs): ARGS_JSON is process.args ('"sh","-c","..."'),
#                  the extras are spliced into process, linux and the top
#                  object (each a ",key:value..." fragment)
#   oci_gone ID    no state, no process left for ID
# Every user needs root, the binary, the busybox root and an OCI build.
need_root
need_container
need_rootfs
has_feature oci || skip_all "this build has no OCI runtime"

R=$T/oci-root
mkdir -p "$R"

oci() { timeout -k 5 "$TIMEOUT" "$C" --root "$R" "$@"; }

bundle() {
	local dir=$1 args=$2 pextra=${3:-} lextra=${4:-} textra=${5:-}
	mkdir -p "$dir"
	[ -e "$dir/rootfs" ] || ln -s "$ROOTFS" "$dir/rootfs"
	cat >"$dir/config.json" <<JSON
{"ociVersion":"1.0.2",
 "process":{"terminal":false,"user":{"uid":0,"gid":0},"args":[$args],
  "env":["PATH=/usr/sbin:/usr/bin:/sbin:/bin","HOME=/root"],"cwd":"/",
  "capabilities":{"bounding":["CAP_KILL","CAP_CHOWN"],"effective":["CAP_KILL","CAP_CHOWN"],"permitted":["CAP_KILL","CAP_CHOWN"]},
  "noNewPrivileges":true$pextra},
 "root":{"path":"rootfs","readonly":true},
 "hostname":"oci",
 "mounts":[{"destination":"/proc","type":"proc","source":"proc"},
  {"destination":"/dev","type":"tmpfs","source":"tmpfs","options":["nosuid","strictatime","mode=755","size=65536k"]},
  {"destination":"/dev/pts","type":"devpts","source":"devpts","options":["nosuid","noexec","newinstance","ptmxmode=0666","mode=0620"]},
  {"destination":"/tmp","type":"tmpfs","source":"tmpfs","options":["nosuid","nodev"]},
  {"destination":"/sys","type":"sysfs","source":"sysfs","options":["nosuid","noexec","nodev","ro"]}],
 "linux":{"namespaces":[{"type":"pid"},{"type":"network"},{"type":"ipc"},{"type":"uts"},{"type":"mount"}],
  "maskedPaths":["/proc/kcore","/proc/keys"],"readonlyPaths":["/proc/sys"]$lextra}$textra}
JSON
}

oci_gone() {
	[ ! -e "$R/$1" ]
}

# dead PID: no such process, or a zombie no one has reaped yet
dead() {
	! kill -0 "$1" 2>/dev/null || [ "$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null)" = Z ]
}
