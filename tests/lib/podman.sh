# tests/lib/podman.sh: Podman in a private sandbox, for tests/*.t (bash).
# Source it after tests/lib.sh.
#
# Nothing touches the host's Podman state: storage (--root, --runroot),
# libpod's tmp dir, volumes, events, network config, containers.conf,
# storage.conf and registries.conf all live under $T/podman.  No network
# but loopback (--network none), no registry: the image is a busybox root
# made here and imported.
#
# Provides:
#   podman_setup RUNTIME   RUNTIME is runc, crun or a path to `container`;
#                          writes the private configuration (naming runc,
#                          crun and `container` at $C) and calls pm_use
#   pm_use RUNTIME         the runtime later pm commands use
#   pm ARGS...             podman with the private state, under a timeout
#   pm_run ARGS...         pm run with the options this host needs
#                          (cgroups, ulimits, network) before ARGS
#   pm_tty FUNC ARGS...    FUNC (pm or pm_run) ARGS on a terminal, under
#                          script(1)
#   podman_image           imports the busybox root once as $PM_IMAGE
#   podman_save FILE       writes $PM_IMAGE as a docker-archive to FILE
#   podman_teardown        removes every container and the storage mounts
#   engine_snapshot, engine_nothing_left   mounts and $STATE before, and
#                          after: no mount or state entry of this test left
#
# On a host whose cgroups are hybrid (v1 controllers, cgroup2 without any),
# crun refuses to run and `container` makes no group: those two run with
# --cgroups=disabled (named in runtime_supports_nocgroups).  runc is not a
# nocgroups runtime for Podman: it runs with cgroupfs groups, as usual.
#
# Every user needs root, the binary, the busybox root, an OCI build and
# Podman.
need_root
need_container
need_rootfs
has_feature oci || skip_all "built without WITH_OCI"
command -v podman >/dev/null || skip_all "podman not installed (tools/deps.sh test)"

PM=$T/podman
PM_IMAGE=localhost/ctest-busybox:latest
PM_RUNTIME=
PM_CGROUPS=

podman_setup() {
	mkdir -p "$PM"/{root,runroot,tmp,volumes,net,conf}
	cat >"$PM/conf/containers.conf" <<EOF
[containers]
netns = "none"
log_driver = "k8s-file"
pids_limit = 0
default_ulimits = []

[network]
network_config_dir = "$PM/net"
network_backend = "cni"
cni_plugin_dirs = ["/usr/lib/cni"]

[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
events_logfile_path = "$PM/events.log"
tmp_dir = "$PM/tmp"
volume_path = "$PM/volumes"
runtime_supports_json = ["crun", "runc", "container"]
# the key Podman reads is the singular one (its documentation says "nocgroups")
runtime_supports_nocgroup = ["crun", "container"]

[engine.runtimes]
container = ["$C"]
runc = ["/usr/sbin/runc", "/usr/bin/runc"]
crun = ["/usr/bin/crun"]
EOF
	cat >"$PM/conf/storage.conf" <<EOF
[storage]
driver = "overlay"
graphroot = "$PM/root"
runroot = "$PM/runroot"
EOF
	cat >"$PM/conf/registries.conf" <<EOF
unqualified-search-registries = []
EOF
	export CONTAINERS_CONF=$PM/conf/containers.conf
	export CONTAINERS_STORAGE_CONF=$PM/conf/storage.conf
	export CONTAINERS_REGISTRIES_CONF=$PM/conf/registries.conf
	pm_use "$1"
	defer podman_teardown
}

pm_use() {
	case $1 in
	runc | crun) PM_RUNTIME=$1; command -v "$1" >/dev/null || bail "$1 not installed" ;;
	*) PM_RUNTIME=container ;;
	esac
	PM_CGROUPS=
	[ "$PM_RUNTIME" = runc ] || PM_CGROUPS=--cgroups=disabled
}

pm() {
	timeout ${PM_FG:+--foreground} -k 5 "${PM_TIMEOUT:-60}" podman --root "$PM/root" --runroot "$PM/runroot" \
		--tmpdir "$PM/tmp" --runtime "$PM_RUNTIME" --cgroup-manager cgroupfs \
		--events-backend file --storage-driver overlay "$@"
}

# run with what this host needs: the ulimits where the hard limits are lower
# than Podman's defaults, no network but lo, no groups where none can be made
pm_run() {
	pm run $PM_CGROUPS --network none \
		--ulimit nofile=1024:1024 --ulimit nproc=1024:1024 "$@"
}

# script(1) runs its command with $SHELL, or sh when SHELL is unset; sh (dash)
# drops exported bash functions from the environment. So the command is a
# bash script of its own, with the functions and variables it needs.
pm_tty() {
	{
		echo '#!/bin/bash'
		declare -p PM PM_RUNTIME PM_CGROUPS
		declare -f pm pm_run
		printf 'PM_FG=1 '
		printf '%q ' "$@"
		echo
	} >"$PM/tty.sh" && chmod +x "$PM/tty.sh" || bail "cannot write $PM/tty.sh"
	script -qec "$PM/tty.sh" /dev/null
}

podman_image() {
	pm image exists "$PM_IMAGE" 2>/dev/null && return 0
	tar -C "$ROOTFS" -cf "$PM/rootfs.tar" . || bail "tar of $ROOTFS failed"
	pm import --change 'CMD ["/bin/sh"]' "$PM/rootfs.tar" "$PM_IMAGE" >/dev/null ||
		bail "podman import failed"
	rm -f "$PM/rootfs.tar"
}

podman_save() { pm save --format docker-archive -o "$1" "$PM_IMAGE" >/dev/null; }

podman_teardown() {
	[ -d "$PM/root" ] || return 0
	PM_TIMEOUT=30 pm rm -a -f -t 0 >/dev/null 2>&1
	# the storage driver's own mounts (overlay layers, the shm of each pod)
	awk -v t="$PM" 'index($5, t "/") == 1 { print $5 }' /proc/self/mountinfo |
		sort -r | while read -r d; do umount -l "$d" 2>/dev/null; done
}

# Engine tests (Podman, containerd): the mounts and the runtime's state
# dir $STATE before, and after: nothing of this test's left in either.
engine_snapshot() {
	mountinfo_snapshot "$T/mounts.before"
	ls -1 "$STATE" 2>/dev/null | sort >"$T/state.before"
}

engine_nothing_left() {
	mountinfo_snapshot "$T/mounts.after"
	# new mounts of ours only: other tests on this host mount and unmount too
	capture bash -c "comm -13 '$T/mounts.before' '$T/mounts.after' | grep -F -e '$T/' -e '$STATE/' -e /run/container/"
	is "$OUT" "" "no mount left behind"
	ls -1 "$STATE" 2>/dev/null | sort >"$T/state.after"
	# new entries that name this test's bundles (other tests use the runtime too)
	capture bash -c "comm -13 '$T/state.before' '$T/state.after' | while read -r id; do grep -rqsF '$T/' '$STATE/'\$id && echo \$id; done"
	is "$OUT" "" "no runtime state left in $STATE"
}
