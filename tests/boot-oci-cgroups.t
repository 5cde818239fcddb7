#!/bin/bash
# config.json's cgroup v2 resources where cgroup2 has its controllers: a
# Linux kernel under QEMU whose /init is a busybox script that mounts
# cgroup2, enables memory, pids and cpu, and runs
# `container run --bundle` (the host's cgroup2 here has no controllers).
# memory.limit, pids.limit and cpu.quota/period are written to the
# container's group, seen from inside through its cgroup namespace, and
# hold: an allocation past the limit is OOM-killed, forks past pids.max
# fail; the group is at cgroupsPath, and gone after the run.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/lib/vm.sh"
need_root
need_rootfs
has_feature oci || skip_all "this build has no OCI runtime"
vm_tests_init
plan 12

# the guest: busybox, the binary, a bundle; /init leaves the initramfs
# (pivot_root cannot, SPEC 7) for a tmpfs, then runs the bundle. The fork
# loop is in a subshell: ash gives up when a fork fails; the rest uses
# builtins only once the limit is reached.
G=$T/guest
mkdir -p "$G/bundle"
cp -a "$ROOTFS/." "$G/"
cp -a "$ROOTFS" "$G/bundle/rootfs"
cp "$C" "$G/container"
cat >"$G/bundle/rootfs/t.sh" <<'EOF2'
echo mem=$(cat /sys/fs/cgroup/memory.max)
echo pids=$(cat /sys/fs/cgroup/pids.max)
echo cpu=$(cat /sys/fs/cgroup/cpu.max)
echo cgroup=$(cat /proc/self/cgroup)
( while :; do sleep 30 & done ) 2>/dev/null
read n < /sys/fs/cgroup/pids.current; echo forks=$n
exec awk 'BEGIN { s = 1; while (1) s = s s }'
EOF2
. "$TOP/tests/lib/oci.sh"
bundle "$G/bundle" '"sh","/t.sh"' "" ',"cgroupsPath":"/oci-test/c1","resources":{"memory":{"limit":33554432},"pids":{"limit":16},"cpu":{"quota":20000,"period":100000}}' \
	',"hooks":{"createRuntime":[{"path":"/bin/sh","args":["sh","-c","cat /sys/fs/cgroup/oci-test/c1/memory.max > /run/at-path"]}]}'
sed -i 's|{"destination":"/sys","type":"sysfs","source":"sysfs","options":\["nosuid","noexec","nodev","ro"\]}|&,{"destination":"/sys/fs/cgroup","type":"cgroup","source":"cgroup","options":["nosuid","noexec","nodev","ro"]}|; s/{"type":"mount"}/{"type":"mount"},{"type":"cgroup"}/' "$G/bundle/config.json"
cat >"$G/init" <<'EOF2'
#!/bin/sh
if [ ! -e /.moved ]; then
	mkdir -p /new && mount -t tmpfs -o size=256m new /new &&
	cp -a /bin /sbin /usr /etc /bundle /container /init /new/ && touch /new/.moved &&
	mkdir -p /new/proc /new/sys /new/dev /new/run /new/tmp && exec switch_root /new /init
	echo cannot leave the initramfs; poweroff -f
fi
mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev; mount -t tmpfs run /run
mount -t cgroup2 cgroup2 /sys/fs/cgroup
echo controllers=$(cat /sys/fs/cgroup/cgroup.controllers)
/container --root /run/oci run --bundle /bundle oci-cg
echo rc=$?
echo at-path=$(cat /run/at-path)
echo left=$(find /sys/fs/cgroup/oci-test -mindepth 1 -type d | wc -l)
poweroff -f
EOF2
chmod +x "$G/init"
(cd "$G" && find . | cpio -o -H newc -R 0:0 --quiet | gzip -1) >"$T/guest.cpio.gz"
VM_INITRD=$T/guest.cpio.gz
VM_MEM=384
vm_run oci "" "" 240

like "$(vm_get controllers)" 'memory.*pids|pids.*memory' "the guest's cgroup2 has memory and pids" || vm_diag_tail
is "$(vm_get mem)" 33554432 "memory.limit: memory.max inside reads 33554432"
is "$(vm_get pids)" 16 "pids.limit: pids.max reads 16"
is "$(vm_get cpu)" "20000 100000" "cpu.quota/period: cpu.max reads 20000 100000"
is "$(vm_get cgroup)" "0::/" "the container sees its own group as / (cgroup namespace)"
like "$(vm_get forks)" '^1[0-6]$' "forks past pids.max fail: at most 16 processes ($(vm_get forks))"
vm_console "an allocation past memory.max is OOM-killed" 'Memory cgroup out of memory: Killed process [0-9]+ \(awk\)'
is "$(vm_get rc)" 137 "run --bundle returns the workload's 128+SIGKILL"
is "$(vm_get at-path)" 33554432 "linux.cgroupsPath: the group is /oci-test/c1 of the cgroup2 root"
is "$(vm_get left)" 0 "no group left after the run"
vm_no_console "no kernel panic" 'Kernel panic'
vm_no_console "no container error" '^container: '
done_testing
