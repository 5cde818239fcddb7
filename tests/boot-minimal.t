#!/bin/bash
# The init-only minimal configuration (tests/configs/init-minimal.h) as
# PID 1: base image and persistent partition by device path (no probe, no
# loop devices), a squashfs base image as a whole virtio disk.
. "$(dirname "$0")/lib.sh"
need_root
BIN=$TOP/build/container-init-minimal
[ -x "$BIN" ] || bail "no $BIN: run make configs first"
export VMDIR=$TOP/build/vm-init-minimal CONTAINER=$BIN
. "$TOP/tests/lib/vm.sh"
vm_setup >&2 || bail "could not build the VM for $BIN"
defer vm_kill
plan 7

disk=$T/persist.img
vm_disk "$disk"
params="container.lower=/dev/vdb container.persist=/dev/vda container.modules=virtio_pci,virtio_blk,overlay,squashfs container.name=tiny"

log=$T/boot1.log
vm_boot "$log" "$disk,$VMDIR/lower.squashfs" "$params -- /bin/sh -c \"echo pid=\$\$; hostname; grep ' / ' /proc/self/mountinfo | cut -d' ' -f9; echo kept > /kept; sync\"" 60
is "$?" 0 "first boot powers off by itself"
out=$(vm_log "$log")
like "$out" "pid=1" "the workload is PID 1 of its namespace"
like "$out" $'(^|\n)tiny' "the hostname is the container name"
like "$out" $'(^|\n)overlay' "the root is an overlay"

log=$T/boot2.log
vm_boot "$log" "$disk,$VMDIR/lower.squashfs" "$params -- /bin/cat /kept" 60
out=$(vm_log "$log")
like "$out" $'(^|\n)kept' "a file written in the first boot is there in the second"
like "$out" "reboot: Power down" "the second boot powers off cleanly"
vm_panicked "$T/boot1.log" || vm_panicked "$log"
ok $((! $?)) "no kernel panic"
done_testing
