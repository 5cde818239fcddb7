#!/bin/bash
# Hardening round 2 (issue 14), as PID 1 of a real kernel under QEMU: an
# initramfs without a console (the console opens as fd 0 and must stay
# open), a bare word of the kernel command line (not the workload: only
# the words after "--" are), and modules.dep files PID 1 must survive (a
# line longer than PATH_MAX, a file over 1 MiB): a clear line and a clean
# power-off, never a kernel panic. Each boot appends a small cpio archive
# to the test initramfs: the kernel unpacks it over the first.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/lib/vm.sh"
vm_tests_init
command -v cpio >/dev/null || skip_all "no cpio"

disk=$T/persist.img
vm_disk "$disk"
base_initrd=$VM_INITRD
kver=$(cat "$VMDIR/kver" 2>/dev/null) || bail "no $VMDIR/kver"

# with_extra NAME: VM_INITRD = the test initramfs and $T/NAME/ on top
with_extra() {
	(cd "$T/$1" && find . ! -name . | cpio -o -H newc -R 0:0 --quiet | gzip -n) >"$T/$1.cpio.gz" ||
		bail "cpio of $T/$1"
	cat "$base_initrd" "$T/$1.cpio.gz" >"$T/$1.initrd"
	VM_INITRD=$T/$1.initrd
}

# --- no console in the initramfs -----------------------------------------------

# /dev/console is a dangling symlink: the kernel starts /init with no fd 0,
# 1 or 2, and the console PID 1 opens is fd 0.
mkdir -p "$T/noconsole/dev"
ln -s /nonexistent "$T/noconsole/dev/console"
with_extra noconsole
vm_run noconsole "$disk" "$VM_CMDLINE_STD $(vm_sh 'echo fd0=$(readlink /proc/self/fd/0); echo ran')"
vm_off "no console in the initramfs"
vm_console "the kernel found no console to open (the test's premise)" 'unable to open an initial console'
vm_console "the workload runs" '^ran$'
is "$(vm_get fd0)" /dev/console "the workload's stdin is the console (PID 1 kept the console opened as fd 0)"

# --- a stray word ----------------------------------------------------------------

# The kernel passes bare words of its command line (no '=', no '.') to
# init as arguments, before those after "--".
VM_INITRD=$base_initrd
vm_run stray "$disk" "$VM_CMDLINE_STD stray -- /bin/echo ran"
vm_off "a stray word on the kernel command line"
vm_console "the bare word 'stray' is not the workload: the command after -- runs" '^ran$'
vm_console "PID 1 says which words it ignored" "^container: ignored kernel command line words: stray "

# --- modules.dep: a line longer than PATH_MAX ---------------------------------

# The first line for virtio_pci has 4200 bytes before its ':'; cut to
# PATH_MAX it had no ':' (and PID 1 dereferenced NULL: a kernel panic).
mkdir -p "$T/longline/lib/modules/$kver"
{
	printf '%s/virtio_pci.ko: x.ko\n' "$(printf 'a%.0s' $(seq 4200))"
	cat "$VMDIR/base/lib/modules/$kver/modules.dep"
} >"$T/longline/lib/modules/$kver/modules.dep"
with_extra longline
vm_run longline "$disk" "$VM_CMDLINE_STD -- /bin/echo workload-ran"
vm_off "modules.dep with a line longer than PATH_MAX"
lines=$(printf '%s\n' "$VM_CON" | grep -E '^container: ')
like "$lines" '^container: module virtio_pci: line too long in .*modules\.dep$' \
	"a line longer than PATH_MAX: one clear line: ${lines:-nothing}" || vm_diag_tail
vm_no_console "... and the workload does not run" '^workload-ran$'

# --- modules.dep over 1 MiB ----------------------------------------------------

# 1.1 MiB of lines for no module, then the real ones: read cut at 1 MiB,
# the real ones were "not in modules.dep".
mkdir -p "$T/bigdep/lib/modules/$kver"
{
	awk 'BEGIN { for (i = 0; i < 30000; i++) printf "kernel/none/filler-module-number-%06d.ko:\n", i }'
	cat "$VMDIR/base/lib/modules/$kver/modules.dep"
} >"$T/bigdep/lib/modules/$kver/modules.dep"
size=$(stat -c %s "$T/bigdep/lib/modules/$kver/modules.dep")
[ "$size" -gt 1048576 ]
ok $? "a modules.dep of $size bytes (over 1 MiB)"
with_extra bigdep
vm_run bigdep "$disk" "$VM_CMDLINE_STD -- /bin/echo workload-ran"
vm_off "modules.dep over 1 MiB"
lines=$(printf '%s\n' "$VM_CON" | grep -E '^container: ')
like "$lines" '^container: read .*modules\.dep: File too large$' \
	"over 1 MiB: one clear line that says so: ${lines:-nothing}" || vm_diag_tail

done_testing
