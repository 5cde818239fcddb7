#!/bin/bash
# containerd drives `container` through its runc v2 shim (`ctr run
# --runc-binary`), the path Kubernetes takes: a private containerd (own root,
# state, socket and config under $T, no CRI plugin) with the test image
# imported from a `podman save` archive.
#   CONTAINERD_RUNTIME=/usr/sbin/runc runs the same tests against runc.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/lib/podman.sh"
for t in containerd ctr containerd-shim-runc-v2; do
	command -v $t >/dev/null || skip_all "$t not installed (tools/deps.sh test)"
done

RT=${CONTAINERD_RUNTIME:-$C}

# the image: the busybox root, imported into a private Podman, saved
podman_setup runc
podman_image
podman_save "$T/image.tar" || bail "podman save failed"

# --- a private containerd ----------------------------------------------------------

D=$T/ctd
c() { timeout -k 5 60 ctr --address "$SOCK" "$@"; }
mkdir -p "$D/root" "$D/state" "$D/opt"
SOCK=$D/sock
cat >"$D/config.toml" <<EOF
version = 2
root = "$D/root"
state = "$D/state"
disabled_plugins = ["io.containerd.grpc.v1.cri", "io.containerd.snapshotter.v1.aufs",
	"io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.devmapper",
	"io.containerd.snapshotter.v1.zfs", "io.containerd.tracing.processor.v1.otlp"]
[grpc]
  address = "$SOCK"
[ttrpc]
  address = "$SOCK.ttrpc"
[debug]
  address = ""
[metrics]
  address = ""
[plugins."io.containerd.internal.v1.opt"]
  path = "$D/opt"
EOF
start_bg "$D/log" "$D/log" containerd --config "$D/config.toml"
CTD=$BG
# the shims outlive containerd: stop every task first, then any shim of ours
stop_containerd() {
	local id p
	for id in $(c containers ls -q 2>/dev/null); do
		c tasks kill -s KILL "$id" >/dev/null 2>&1
		c tasks delete -f "$id" >/dev/null 2>&1
		c containers delete "$id" >/dev/null 2>&1
	done
	for p in $(pgrep -f "containerd-shim-runc-v2 .*-address $SOCK\$"); do
		kill -KILL "$p" 2>/dev/null
	done
	kill -TERM "$CTD" 2>/dev/null
	wait_bg "$CTD" 10
}
defer stop_containerd
for i in $(seq 100); do
	[ -S "$SOCK" ] && c version >/dev/null 2>&1 && break
	sleep 0.1
done
[ -S "$SOCK" ] || bail "containerd did not start: $(tail -3 "$D/log")"


capture c images import "$T/image.tar"
is "$RC" 0 "ctr images import of a podman save archive" || diag "$ERR"
IMG=$PM_IMAGE
capture c images ls -q
like "$OUT" "$IMG" "the image is listed"

# the shim passes --root /run/containerd/runc/NAMESPACE to the runtime
STATE=/run/containerd/runc/default
engine_snapshot

# --- ctr run --rm --runc-binary ------------------------------------------------------

ID=$(name_for ctd)
capture c run --rm --runc-binary "$RT" "$IMG" "$ID" sh -c 'echo out-$((6*7)); echo err >&2; exit 3'
is "$RC" 3 "ctr run --rm: the workload's exit code"
is "$OUT" out-42 "ctr run --rm: stdout"
like "$ERR" err "ctr run --rm: stderr"

capture c run --rm --runc-binary "$RT" "$IMG" "$ID-2" sh -c 'echo $$; ls /proc/1/root/ >/dev/null && echo root-ok'
is "$OUT" 1$'\n'root-ok "ctr run: the workload is PID 1 of its own namespace"

capture c run --rm --runc-binary "$RT" --env K=v --cwd /tmp "$IMG" "$ID-4" sh -c 'echo $K $(pwd)'
is "$OUT" "v /tmp" "ctr run --env --cwd"

capture c run --rm --runc-binary "$RT" "$IMG" "$ID-5" /no/such/command

[ "$RC" -ne 0 ]
ok $? "ctr run of a missing command fails"

# detached: a task, exec into it, kill, delete
capture c run -d --runc-binary "$RT" "$IMG" "$ID-6" sleep 9$$
is "$RC" 0 "ctr run -d" || diag "$ERR"
capture c tasks exec --exec-id e1 "$ID-6" sh -c 'exit 9'
is "$RC" 9 "ctr tasks exec: the exit code"
capture c tasks ls
like "$OUT" "$ID-6 +[0-9]+ +RUNNING" "ctr tasks ls: RUNNING"
capture c tasks kill -s KILL "$ID-6"
is "$RC" 0 "ctr tasks kill" || diag "$ERR"
for i in $(seq 50); do
	c tasks ls 2>/dev/null | grep -q "$ID-6 .*STOPPED" && break
	sleep 0.1
done
capture c tasks delete "$ID-6"
is "$RC" 0 "ctr tasks delete" || diag "$ERR"
capture c containers delete "$ID-6"
is "$RC" 0 "ctr containers delete" || diag "$ERR"

# --- nothing left behind -------------------------------------------------------------------

capture c containers ls -q
is "$OUT" "" "no container left in containerd"
engine_nothing_left
left=$(pid_by_cmdline sleep 9$$; pgrep -f "containerd-shim-runc-v2 .*-address $SOCK\$")
is "$left" "" "no workload or shim left running"

stop_containerd
is "$RC" 0 "containerd stops cleanly"
done_testing
