#!/bin/bash
# io limits, as PID 1 sets them from container.io-weight and
# container.device-write-bps: io.weight and io.max hold the values inside
# the container's group, and direct writes to the persistent disk (the
# overlay's upper layer) are really throttled to the rate. A device that
# does not exist stops the boot with one clear line.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/lib/vm.sh"
vm_tests_init

disk=$T/persist.img
vm_disk "$disk"
cg=/sys/fs/cgroup

script=$(cat <<EOF
echo weight=\$(cat $cg/io.weight);
echo max=\$(cat $cg/io.max);
read t0 x < /proc/uptime;
dd if=/dev/zero of=/big bs=64k count=64 oflag=direct 2>/dev/null; echo dd=\$?;
read t1 x < /proc/uptime;
echo cs=\$((\${t1%.*}\${t1#*.} - \${t0%.*}\${t0#*.}));
EOF
)
vm_run io "$disk" "$VM_CMDLINE_STD container.io-weight=50 container.device-write-bps=/dev/vda:1M $(vm_sh "$script")" 90
vm_off "io limits"
like "$(vm_get weight)" '^default 50$' "io.weight inside reads 'default 50'"
like "$(vm_get max)" '^254:0 rbps=max wbps=1048576 ' "io.max inside limits writes to the disk to 1 MiB/s"
is "$(vm_get dd)" 0 "4 MiB written with O_DIRECT through the overlay"
cs=$(vm_get cs)
secs="$((${cs:-0} / 100)).$(printf %02d $((${cs:-0} % 100)))"
ok "$( [ -n "$cs" ] && [ "$cs" -ge 250 ]; echo $?)" \
	"the write is throttled: 4 MiB at 1 MiB/s took $secs s (at least 2.5)"
diag "io: 4 MiB under wbps=1 MiB/s took $secs s"

vm_run bad "$disk" "$VM_CMDLINE_STD container.rootwait=2 container.device-write-bps=/dev/nope:1M -- /bin/true" 60
vm_off "a missing io device"
vm_console "a missing io device: one clear line" '^container: io limit on /dev/nope: No such file or directory$'
vm_no_console "a missing io device: the workload never ran" '^container: workload exited'
done_testing
