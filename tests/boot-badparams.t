#!/bin/bash
# Bad kernel command lines and missing devices: PID 1 prints one clear
# "container: ..." line on the console and powers the machine off (within
# container.rootwait and a few seconds), never a kernel panic.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/lib/vm.sh"
vm_tests_init

disk=$T/persist.img
vm_disk "$disk"

# bad NAME PARAMS ERE MAX_SECS: boot with PARAMS after the standard ones;
# the console holds exactly one "container: " line, matching ERE, the
# workload never runs, and QEMU is gone within MAX_SECS.
bad() {
	local name=$1 params=$2 ere=$3 max=$4 lines
	vm_run "$name" "$disk" "$VM_CMDLINE_STD $params -- /bin/echo workload-ran" $((max + 30))
	vm_off "$name"
	lines=$(printf '%s\n' "$VM_CON" | grep -E '^container: ')
	like "$lines" "^$ere\$" "$name: one line: ${lines:-nothing}" || vm_diag_tail
	vm_no_console "$name: the workload does not run" '^workload-ran$'
	ok "$(awk -v s="$VM_SECS" -v m="$max" 'BEGIN { print !(s <= m) }')" \
		"$name: powered off in ${VM_SECS}s (at most ${max}s)"
}

bad persist-missing "container.persist=LABEL=nope container.rootwait=2" \
	'container: persistent partition LABEL=nope: not found after 2 s' 12
bad lower-missing "container.lower=/missing container.rootwait=2" \
	'container: base image /missing: not found after 2 s' 12
bad mem-bad "container.mem=12Q" \
	'container: container\.mem=12Q: invalid value' 10
bad name-bad "container.name=../x" \
	'container: container\.name=\.\./x: invalid value' 10
bad rootwait-bad "container.rootwait=soon" \
	'container: container\.rootwait=soon: invalid value' 10
bad restart-bad "container.restart=sometimes" \
	'container: container\.restart=sometimes: invalid value' 10
bad module-missing "container.modules=virtio_pci,no_such_module" \
	'container: module no_such_module: not in .*modules\.dep' 10
bad persistfs-wrong "container.persistfs=btrfs" \
	'container: mount persistent partition /dev/vda \(btrfs\) on /mnt/persist: .+' 10

# A command that is not in the image: the container's own message, no more.
vm_run notfound "$disk" "$VM_CMDLINE_STD -- /no/such/cmd arg"
vm_off "command not found"
lines=$(printf '%s\n' "$VM_CON" | grep -E '^container: ')
like "$lines" '^container: exec /no/such/cmd: No such file or directory$' \
	"command not found: one line: ${lines:-nothing}"

# An unknown parameter is only a warning: the machine boots on.
vm_run unknown "$disk" "$VM_CMDLINE_STD container.bogus=1 -- /bin/echo workload-ran"
vm_off "unknown parameter"
vm_console "container.bogus=1: a warning" '^container: unknown parameter container\.bogus ignored$'
vm_console "container.bogus=1: the workload runs anyway" '^workload-ran$'

done_testing
