#!/bin/bash
# container as /init of a real kernel under QEMU: the workload runs as PID 1
# of its own pid namespace on an overlay root, with the container name as
# hostname, its output on the console; the machine powers off cleanly when
# it exits.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/lib/vm.sh"
vm_tests_init

disk=$T/persist.img
vm_disk "$disk"

# --- one boot with container.debug: what the console shows ----------------

script=$(cat <<'EOF'
echo pid=$$;
grep ' / ' /proc/mounts;
echo host=$(hostname);
echo comm1=$(cat /proc/1/comm);
echo machine-init=$(grep -lx init /proc/[0-9]*/comm | wc -l);
echo done-basic
EOF
)
vm_run debug "$disk" "$VM_CMDLINE_STD container.debug $(vm_sh "$script")"
vm_off "boot with container.debug"
is "$(vm_get pid)" 1 "the workload is PID 1 of its pid namespace"
vm_console "the root is an overlay with its upper layer on the persistent disk" \
	'^overlay / overlay .*upperdir=/mnt/persist/demo/upper'
is "$(vm_get host)" demo "the hostname is the container name (container.name=demo)"
is "$(vm_get comm1)" sh "PID 1 inside is the workload itself"
is "$(vm_get machine-init)" 0 "the machine's /init is not visible inside the container"

# The debug log: each step of /init, in order, before the workload's output.
order=$(printf '%s\n' "$VM_CON" | grep -nE \
	'container: init: demo$|container: loaded .*overlay|container: base image /lower.squashfs on |container: persistent partition LABEL=persist on |container: container process [0-9]+ started|container: workload /bin/sh started|^pid=1$|^done-basic$|^container: workload exited with status 0$|container: power off$|reboot: Power down' |
	cut -d: -f1 | tr '\n' ' ')
steps=$(printf '%s\n' "$order" | wc -w)
is "$steps" 11 "container.debug logs each step of /init (11 markers seen)" || vm_diag_tail 40
sorted=$(printf '%s' "$order" | tr ' ' '\n' | sort -n | tr '\n' ' ')
is "$order" "$sorted" "the steps come in order: setup, workload, its output, exit, power-off"
vm_console "debug lines carry a monotonic timestamp" \
	'^\[ *[0-9]+\.[0-9]{6}\] container: init: demo$'
vm_console "the workload's exit status is reported" '^container: workload exited with status 0$'

# Boot time as the debug timestamps tell it (seconds since the kernel started).
t_init=$(printf '%s\n' "$VM_CON" | sed -n 's/^\[ *\([0-9.]*\)\] container: init: .*/\1/p' | head -n 1)
t_exec=$(printf '%s\n' "$VM_CON" | sed -n 's/^\[ *\([0-9.]*\)\] container: workload .* started$/\1/p' | head -n 1)
if [ -n "$t_init" ] && [ -n "$t_exec" ]; then
	diag "$(awk -v a="$t_init" -v b="$t_exec" -v w="$VM_SECS" 'BEGIN {
		printf "boot: kernel start -> first /init log line %.2f s, then -> workload exec %.2f s, whole boot %s s (wall, TCG)", a, b - a, w }')"
fi

# --- a quiet boot: nothing but the workload's output ----------------------

vm_run quiet "$disk" "$VM_CMDLINE_STD -- /bin/echo hello from the container"
vm_off "quiet boot"
is "$(printf '%s\n' "$VM_CON" | grep -v 'reboot: Power down' | grep -v '^container: workload exited with status 0$')" \
	"hello from the container" "without container.debug the console shows only the workload's output"
vm_console "the exit is reported" '^container: workload exited with status 0$'

# --- the name and the hostname ---------------------------------------------

script=$(cat <<'EOF'
echo host=$(hostname);
grep ' / ' /proc/mounts
EOF
)
vm_run name "$disk" "$VM_CMDLINE_STD container.name=x $(vm_sh "$script")"
vm_off "container.name=x"
is "$(vm_get host)" x "container.name=x: the hostname is x"
vm_console "container.name=x: the upper layer is x/upper" '^overlay / overlay .*upperdir=/mnt/persist/x/upper'

vm_run hostname "$disk" "$VM_CMDLINE_STD container.name=x container.hostname=y $(vm_sh "$script")"
vm_off "container.hostname=y"
is "$(vm_get host)" y "container.hostname=y: the hostname is y"
vm_console "container.hostname=y: the layer still follows the name" '^overlay / overlay .*upperdir=/mnt/persist/x/upper'

# --- the workload's environment and console --------------------------------

script=$(cat <<'EOF'
echo path=$PATH;
echo home=$HOME;
echo tty=$(readlink /proc/self/fd/0);
ls /dev | tr '\n' ' ' | sed 's/^/dev=/'; echo
EOF
)
vm_run env "$disk" "$VM_CMDLINE_STD $(vm_sh "$script")"
vm_off "environment"
like "$(vm_get path)" '^/usr/local/sbin:.*:/bin$' "the default PATH from config.h"
like "$(vm_get tty)" '^/dev/console$' "the workload's stdin is /dev/console"
like "$(vm_get dev)" '(^| )console .*null .*zero' "/dev inside holds console, null, zero, ..."

done_testing
