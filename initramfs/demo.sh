#!/bin/bash
# demo.sh - `make demo`: boot `container` as /init of a Linux kernel under
# QEMU, straight into a busybox shell inside container "demo", on this
# terminal. The shell's changes land on a persistent disk image that is
# kept between runs, so a second `make demo` finds them again.
#
# Environment (all optional):
#   DEMO_DISK    the persistent disk image (default: build/vm/demo-persist.img,
#                made once, an ext4 labelled "persist")
#   DEMO_CMD     a shell command to run instead of the interactive shell,
#                e.g. DEMO_CMD='cat /hello' (the machine powers off after it)
#   DEMO_PARAMS  more kernel parameters, e.g. "container.mem=64M container.debug"
#   VMDIR, CONTAINER, VM_MEM, VM_QEMU_ARGS   as for tests/lib/vm.sh
set -u

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../tests/lib/vm.sh
. "$here/../tests/lib/vm.sh"

vm_setup || exit 1
disk=${DEMO_DISK:-$VMDIR/demo-persist.img}
if [ ! -e "$disk" ]; then
	echo "demo: new persistent disk $disk" >&2
	vm_disk "$disk" 256 || { echo "demo: could not make $disk" >&2; exit 1; }
fi

params="$VM_CMDLINE_STD container.name=demo container.hostname=demo ${DEMO_PARAMS:-}"
if [ -n "${DEMO_CMD:-}" ]; then
	case $DEMO_CMD in
	*'"'*) echo "demo: DEMO_CMD cannot hold a double quote (the kernel command line cannot pass one)" >&2; exit 2 ;;
	esac
	vm_boot_console "$disk" "$params -- /bin/sh -c \"$DEMO_CMD\"" </dev/null
	exit
fi

echo "demo: a busybox shell in container 'demo', its changes kept in $disk: try 'echo hi > /hello' — 'poweroff' is not allowed inside the container; leaving the shell ('exit' or Ctrl-D) powers the machine off, and the next 'make demo' still has /hello (Ctrl-A X quits QEMU at once)"
vm_boot_console "$disk" "$params -- /bin/sh"
