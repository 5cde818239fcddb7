# shellcheck shell=bash disable=SC2034
# vm.sh - boot `container` as /init of a Linux kernel under QEMU.
# Sourced by boot tests (bash):   . "$(dirname "$0")/lib/vm.sh"
#
#   vm_missing                      print the missing host tools (empty: none)
#   vm_setup                        build kernel + initramfs into $VMDIR
#   vm_disk PATH [SIZE_MB]          fresh ext4 image labelled "persist"
#   vm_boot LOG DISK CMDLINE_EXTRA [TIMEOUT]
#                                   boot, wait for QEMU to exit; QEMU's status,
#                                   124 on timeout (QEMU killed)
#   vm_boot_bg LOG DISK CMDLINE_EXTRA   same, in the background: VM_PID, VM_MON
#   vm_boot_console DISK CMDLINE_EXTRA  boot with the serial console on this
#                                   terminal (stdio; Ctrl-A X quits QEMU)
#   vm_wait [TIMEOUT]               wait for the background QEMU; as vm_boot
#   vm_wait_log LOG REGEX [TIMEOUT] 0 once a line of LOG matches (grep -E)
#   vm_monitor CMD                  one HMP monitor command, its reply on stdout
#   vm_kill                         kill -9 QEMU (a power cut); also for EXIT traps
#   vm_log LOG                      LOG without the serial line's \r
#   vm_panicked LOG                 0 if the kernel panicked
#
# DISK "" boots without a disk; "PATH" or "PATH,PATH2" attach virtio disks in
# order (/dev/vda, /dev/vdb, ...).  CMDLINE_EXTRA follows $VM_CMDLINE_BASE on
# the kernel command line; words after `--` become /init's argv.  The kernel
# splits that line at spaces and understands only double quotes:
#   vm_boot "$log" "$disk" "$VM_CMDLINE_STD -- /bin/sh -c \"echo hi; echo a=b\""
#
# Settings (environment, all optional):
#   VMDIR          build output (default: build/vm under the repo top)
#   CONTAINER      the binary to run as /init (default: ./container at the top)
#   VM_MEM         guest memory in MiB (512)
#   VM_QEMU_ARGS   more QEMU arguments (word-split)
#   VM_CMDLINE_BASE  start of the kernel command line
#
# Serial output reaches LOG with \r\n line ends: match with vm_wait_log or
# vm_log, or allow for a trailing \r.  With panic=-1 and -no-reboot a kernel
# panic ends QEMU with status 0, like a power-off: check the log for
# "Kernel panic" (vm_panicked LOG).

VM_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
: "${VMDIR:=$VM_TOP/build/vm}"
: "${CONTAINER:=$VM_TOP/container}"
: "${VM_MEM:=512}"
: "${VM_QEMU_ARGS:=}"
# no_timer_check: on a loaded host, TCG can be too slow for the kernel's
# IO-APIC timer check, which then panics before /init runs.
: "${VM_CMDLINE_BASE:=console=ttyS0 panic=-1 quiet no_timer_check}"
# The usual init-mode parameters: base image from the initramfs, the
# persistent disk by label, the modules that needs.
VM_CMDLINE_STD="container.lower=/lower.squashfs container.persist=LABEL=persist container.modules=virtio_pci,virtio_blk,virtio_net,overlay,squashfs,loop container.name=demo"
VM_CMDLINE_EROFS="container.lower=/lower.erofs container.persist=LABEL=persist container.modules=virtio_pci,virtio_blk,virtio_net,overlay,erofs,loop container.name=demo"
VM_PID=
VM_MON=
VM_QLOG=

vm_missing() {
	local t miss=
	for t in qemu-system-x86_64 mksquashfs mkfs.erofs mkfs.ext4 cpio gzip depmod dpkg-deb perl timeout; do
		command -v "$t" >/dev/null 2>&1 || miss="$miss $t"
	done
	[ -e /bin/busybox ] || miss="$miss busybox(-static)"
	echo "${miss# }"
}

vm_setup() {
	local miss
	miss=$(vm_missing)
	if [ -n "$miss" ]; then
		echo "vm: missing tools: $miss (tools/deps.sh test installs them)" >&2
		return 1
	fi
	if [ ! -x "$CONTAINER" ]; then
		echo "vm: $CONTAINER not found: build it first (make)" >&2
		return 1
	fi
	mkdir -p "$VMDIR" || return 1
	VMDIR=$(cd "$VMDIR" && pwd)
	sh "$VM_TOP/initramfs/build.sh" "$VMDIR" "$CONTAINER" || {
		echo "vm: initramfs/build.sh failed" >&2
		return 1
	}
	VM_KERNEL=$VMDIR/vmlinuz
	VM_INITRD=$VMDIR/initramfs.cpio.gz
	VM_KVER=$(cat "$VMDIR/kver")
}

vm_disk() {
	local path=$1 size=${2:-64}
	rm -f "$path" || return 1
	truncate -s "${size}M" "$path" || return 1
	mkfs.ext4 -q -F -L persist -E root_owner=0:0 "$path"
}

# Start QEMU in the background: VM_PID, VM_MON.
vm_boot_bg() {
	local log=$1 disk=$2 extra=$3 d
	local -a drives=()
	if [ -z "${VM_KERNEL:-}" ]; then
		echo "vm: vm_setup first" >&2
		return 1
	fi
	local -a disks=()
	[ -n "$disk" ] && IFS=, read -ra disks <<< "$disk"
	for d in "${disks[@]}"; do
		drives+=(-drive "file=$d,format=raw,if=virtio")
	done
	VM_QLOG=$log.qemu
	VM_MON=$(mktemp -u "${TMPDIR:-/tmp}/vm-mon.XXXXXX")
	: > "$log"
	# shellcheck disable=SC2086
	qemu-system-x86_64 -accel tcg -m "$VM_MEM" -smp 1 \
		-nodefaults -nographic -no-reboot -fw_cfg name=etc/sercon-port,string=0 \
		-kernel "$VM_KERNEL" -initrd "$VM_INITRD" \
		-append "$VM_CMDLINE_BASE $extra" \
		"${drives[@]}" \
		-serial "file:$log" \
		-monitor "unix:$VM_MON,server,nowait" \
		$VM_QEMU_ARGS </dev/null >"$VM_QLOG" 2>&1 &
	VM_PID=$!
}

# Interactive: the serial console (and QEMU's monitor, Ctrl-A C) on stdio.
vm_boot_console() {
	local disk=$1 extra=$2 d
	local -a drives=() disks=()
	if [ -z "${VM_KERNEL:-}" ]; then
		echo "vm: vm_setup first" >&2
		return 1
	fi
	[ -n "$disk" ] && IFS=, read -ra disks <<< "$disk"
	for d in "${disks[@]}"; do
		drives+=(-drive "file=$d,format=raw,if=virtio")
	done
	# shellcheck disable=SC2086
	qemu-system-x86_64 -accel tcg -m "$VM_MEM" -smp 1 \
		-nodefaults -nographic -no-reboot -fw_cfg name=etc/sercon-port,string=0 \
		-kernel "$VM_KERNEL" -initrd "$VM_INITRD" \
		-append "$VM_CMDLINE_BASE $extra" \
		"${drives[@]}" \
		-serial mon:stdio \
		$VM_QEMU_ARGS 2> >(grep -v sercon-port >&2)
}

# Wait for the background QEMU; its status, or 124 after killing it.
vm_wait() {
	local timeout=${1:-60} rc end
	[ -n "$VM_PID" ] || return 1
	end=$((SECONDS + timeout))
	while kill -0 "$VM_PID" 2>/dev/null; do
		if [ "$SECONDS" -ge "$end" ]; then
			kill -9 "$VM_PID" 2>/dev/null
			wait "$VM_PID" 2>/dev/null
			echo "vm: timeout after ${timeout}s" >&2
			_vm_done
			return 124
		fi
		sleep 0.1
	done
	wait "$VM_PID"
	rc=$?
	_vm_done
	return $rc
}

_vm_done() {
	[ -n "$VM_MON" ] && rm -f "$VM_MON"
	# QEMU's own messages, kept only when there are some (the warning about
	# the fw_cfg item that keeps SeaBIOS off the serial line is not one).
	if [ -n "$VM_QLOG" ] && [ -f "$VM_QLOG" ]; then
		sed -i '/sercon-port/d' "$VM_QLOG"
		[ -s "$VM_QLOG" ] || rm -f "$VM_QLOG"
	fi
	VM_PID=
}

vm_boot() {
	local log=$1 disk=$2 extra=$3 timeout=${4:-60}
	vm_boot_bg "$log" "$disk" "$extra" || return 1
	vm_wait "$timeout"
}

# vm_wait_log LOG REGEX [TIMEOUT]: 0 as soon as a line matches; 1 on timeout
# or when QEMU has exited without the line appearing.
vm_wait_log() {
	local log=$1 re=$2 timeout=${3:-60} end
	end=$((SECONDS + timeout))
	while :; do
		tr -d '\r' < "$log" 2>/dev/null | grep -Eq -- "$re" && return 0
		if [ -n "$VM_PID" ] && ! kill -0 "$VM_PID" 2>/dev/null; then
			tr -d '\r' < "$log" 2>/dev/null | grep -Eq -- "$re" && return 0
			return 1
		fi
		[ "$SECONDS" -ge "$end" ] && return 1
		sleep 0.1
	done
}

# vm_monitor CMD: send one command to the QEMU monitor (HMP), e.g.
# "sendkey ctrl-alt-delete", "system_powerdown", "quit".  Prints the reply.
vm_monitor() {
	[ -n "$VM_MON" ] || { echo "vm: no monitor (vm_boot_bg first)" >&2; return 1; }
	perl -e '
		use strict; use IO::Socket::UNIX;
		my ($path, $cmd) = @ARGV;
		my $s;
		for (1 .. 100) {
			$s = IO::Socket::UNIX->new(Type => SOCK_STREAM(), Peer => $path) and last;
			select(undef, undef, undef, 0.05);
		}
		$s or die "vm: monitor $path: $!\n";
		my $buf = "";
		local $SIG{ALRM} = sub { print $buf; exit 0 };
		alarm 10;
		# Banner, then the first prompt.
		while ($buf !~ /\(qemu\) $/) { sysread($s, $buf, 4096, length $buf) or last }
		$buf = "";
		print $s "$cmd\n";
		# The reply ends at the next prompt, or at EOF for "quit".
		while ($buf !~ /\(qemu\) $/) { sysread($s, $buf, 4096, length $buf) or last }
		$buf =~ s/\r//g; $buf =~ s/\e\[[0-9;]*[A-Za-z]//g;
		# Drop the echo of the command (redrawn as it is typed) and the prompt.
		$buf =~ s/^[^\n]*(\n|\z)//; $buf =~ s/\(qemu\) $//;
		print $buf;
	' "$VM_MON" "$1"
}

# Power cut: QEMU dies at once, the guest gets no chance to sync.
vm_kill() {
	[ -n "$VM_PID" ] || return 0
	kill -9 "$VM_PID" 2>/dev/null
	wait "$VM_PID" 2>/dev/null
	_vm_done
	return 0
}

vm_log() {
	tr -d '\r' < "$1"
}

vm_panicked() {
	grep -aq 'Kernel panic' "$1"
}

# ---- for the boot tests (tests/boot-*.t, after tests/lib.sh) --------------
#
#   vm_tests_init            skip the whole test without QEMU & co, build the
#                            VM (bail out if that fails), kill QEMU at exit
#   vm_run NAME DISK EXTRA [TIMEOUT]
#                            boot with the console in $T/NAME.log and wait:
#                            VM_RC (QEMU's status, 124 on timeout), VM_CON
#                            (the console without \r), VM_SECS (wall seconds)
#   vm_start NAME DISK EXTRA the same in the background (VM_LOG); then
#                            vm_wait_log "$VM_LOG" ERE, vm_monitor, vm_kill,
#                            and vm_finish [TIMEOUT] for VM_RC VM_CON VM_SECS
#   vm_sh SCRIPT             `-- /bin/sh -c "SCRIPT"` for CMDLINE_EXTRA:
#                            SCRIPT's lines are joined with spaces (end each
#                            command with ; or an operator), and it must not
#                            hold a double quote (the kernel cannot pass one)
#   vm_has ERE               0 if a console line matches (grep -E)
#   vm_get KEY               VALUE of the last console line KEY=VALUE
#   vm_off DESC              2 tests: no kernel panic; a clean power-off
#                            (QEMU ended, status 0, "reboot: Power down")
#   vm_console DESC ERE      1 test: a console line matches ERE
#   vm_no_console DESC ERE   1 test: no console line matches ERE
#   vm_diag_tail [N]         the console's last N lines (30) as diagnostics

vm_tests_init() {
	local miss
	miss=$(vm_missing)
	[ -z "$miss" ] || skip_all "missing: $miss (tools/deps.sh test installs them)"
	[ -x "$CONTAINER" ] || bail "no binary at $CONTAINER: run make first"
	QUIET=1 vm_setup >&2 || bail "could not build the VM (initramfs/build.sh)"
	defer vm_kill
	# an interrupted test still runs its cleanup (lib.sh's EXIT trap)
	trap 'exit 130' INT
	trap 'exit 143' TERM HUP
}

_vm_t0=
vm_start() {
	VM_LOG=$T/$1.log
	VM_CON=
	VM_RC=
	_vm_t0=$(date +%s.%N)
	vm_boot_bg "$VM_LOG" "$2" "$3"
}

vm_finish() {
	vm_wait "${1:-60}"
	VM_RC=$?
	VM_SECS=$(awk -v a="$_vm_t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
	VM_CON=$(vm_log "$VM_LOG")
}

vm_run() {
	vm_start "$1" "$2" "$3" || { VM_RC=1; VM_CON=; VM_SECS=0; return 1; }
	vm_finish "${4:-60}"
}

vm_sh() {
	local s
	s=$(printf '%s\n' "$1" | sed 's/^[[:space:]]*//; s/[[:space:]]*$//' | tr '\n' ' ')
	s=${s% }
	case $s in
	*'"'*) echo "vm_sh: a double quote cannot pass the kernel command line: $s" >&2 ;;
	esac
	printf -- '-- /bin/sh -c "%s"' "$s"
}

vm_has() { printf '%s\n' "$VM_CON" | grep -Eq -- "$1"; }

vm_get() {
	printf '%s\n' "$VM_CON" | sed -n "s/^$1=//p" | tail -n 1
}

# shellcheck disable=SC2120
vm_diag_tail() {
	diag "console (last ${1:-30} lines of $VM_LOG):"
	diag "$(printf '%s\n' "$VM_CON" | tail -n "${1:-30}" | sed 's/^/  /')"
	[ -s "$VM_LOG.qemu" ] && diag "qemu: $(cat "$VM_LOG.qemu")"
	return 0
}

vm_console() {
	if vm_has "$2"; then pass "$1"; else
		fail "$1"; diag "want a console line matching /$2/"; vm_diag_tail
		return 1
	fi
}

vm_no_console() {
	if vm_has "$2"; then
		fail "$1"; diag "want no console line matching /$2/"
		diag "$(printf '%s\n' "$VM_CON" | grep -E -- "$2" | head -n 5)"
		vm_diag_tail; return 1
	else pass "$1"; fi
}

vm_off() {
	vm_no_console "$1: no kernel panic" 'Kernel panic'
	if [ "$VM_RC" = 0 ] && vm_has 'reboot: Power down'; then
		pass "$1: clean power-off"
	else
		fail "$1: clean power-off"
		diag "QEMU status $VM_RC after ${VM_SECS}s; want 0 and 'reboot: Power down'"
		vm_diag_tail; return 1
	fi
}
