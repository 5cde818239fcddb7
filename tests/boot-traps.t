#!/bin/bash
# The known traps of SPEC 7, as PID 1 meets them: the initramfs is out of
# reach once pivot_root has detached it; the overlay is mounted with
# index=off and metacopy=off and never volatile, and reuses its upper layer
# over a changed base image; a device node made with CAP_MKNOD cannot be
# opened (every writable filesystem is nodev); a workload killed by a signal
# is reported as 128+signal.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/lib/vm.sh"
vm_tests_init

disk=$T/persist.img
vm_disk "$disk"

script=$(cat <<'EOF'
echo opts=$(awk '$5 == "/"' /proc/self/mountinfo | sed 's/.* - //');
test -e /init && echo init=seen || echo init=gone;
test -e /lower.squashfs && echo image=seen || echo image=gone;
echo rootfs=$(grep -c ' - rootfs ' /proc/self/mountinfo);
echo pivot=$(grep -c '/mnt/root' /proc/self/mountinfo);
mknod /vda b 254 0 && echo mknod=ok;
head -c 1 /vda > /dev/null 2>&1 && echo disk-root=opened || echo disk-root=refused;
mknod /dev/vda2 b 254 0 2>/dev/null; head -c 1 /dev/vda2 > /dev/null 2>&1 && echo disk-dev=opened || echo disk-dev=refused;
mknod /tmp/vda3 b 254 0 2>/dev/null; head -c 1 /tmp/vda3 > /dev/null 2>&1 && echo disk-tmp=opened || echo disk-tmp=refused;
echo kept > /kept; sync
EOF
)
vm_run traps "$disk" "$VM_CMDLINE_STD container.debug $(vm_sh "$script")"
vm_off "boot 1"
# the kernel shows only options off its defaults: the debug line tells what
# was asked, mountinfo what holds
asked=$(printf '%s\n' "$VM_CON" | sed -n 's/.*container: overlay \(lowerdir=.*\)$/\1/p' | head -n 1)
like "$asked" ',index=off(,|$)' "the overlay is asked for index=off ($asked)"
like "$asked" ',metacopy=off(,|$)' "and metacopy=off"
opts=$(vm_get opts)
like "$opts" '^overlay overlay rw,' "the root is that overlay, read-write ($opts)"
unlike "$asked $opts" 'volatile' "the overlay over the persistent upper is not volatile"
is "$(vm_get init)" gone "the initramfs's /init is out of reach"
is "$(vm_get image)" gone "the initramfs's base image file is out of reach"
is "$(vm_get rootfs)" 0 "no rootfs (initramfs) mount is left in the container's mount table"
is "$(vm_get mknod)" ok "CAP_MKNOD lets the workload make a node for the disk"
is "$(vm_get disk-root)" refused "but opening it on the root (an overlay, nodev) is refused"
is "$(vm_get disk-dev)" refused "and in /dev (a nodev tmpfs)"
is "$(vm_get disk-tmp)" refused "and in /tmp"

# the same upper layer over a changed base image: the erofs one
vm_run changed "$disk" "$VM_CMDLINE_EROFS $(vm_sh 'cat /kept; ls /bin/busybox')"
vm_off "boot 2 (erofs base image)"
vm_console "the upper layer is reused over a changed base image" '^kept$'
vm_console "the new base image is there under it" '^/bin/busybox$'

# a workload killed by a signal, seen by PID 1 through the reaper
vm_run killed "$disk" "$VM_CMDLINE_STD container.init=1 $(vm_sh 'kill -KILL $$')"
vm_off "boot 3 (killed workload)"
vm_console "a workload killed by SIGKILL is reported as status 137" '^container: workload exited with status 137$'
done_testing
