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
#   DEMO_PORT    the host port (on 127.0.0.1 only) forwarded to the demo's
#                web server on port 80 (default 8080)
#   With container.monitor=[ADDR:]PORT in DEMO_PARAMS, the host's
#   127.0.0.1:PORT reaches the monitor too (its page, /metrics).
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

# A NIC on QEMU's user network, restricted (nothing leaves this machine),
# configured by PID 1 over DHCP; host port DEMO_PORT on 127.0.0.1 reaches
# the guest's port 80.
port=${DEMO_PORT:-8080}
fwd=hostfwd=tcp:127.0.0.1:$port-:80
mport=$(printf '%s\n' "${DEMO_PARAMS:-}" | tr ' ' '\n' | sed -n 's/^container\.monitor=\(.*:\)\{0,1\}\([0-9][0-9]*\)$/\2/p' | tail -n 1)
[ -n "$mport" ] && fwd="$fwd,hostfwd=tcp:127.0.0.1:$mport-:$mport"
VM_QEMU_ARGS="-netdev user,id=n0,restrict=on,$fwd -device virtio-net-pci,netdev=n0 ${VM_QEMU_ARGS:-}"
params="$VM_CMDLINE_STD container.name=demo container.hostname=demo container.ip=dhcp ${DEMO_PARAMS:-}"
# busybox httpd serves /www (made once, on the persistent layer)
web="mkdir -p /www; [ -e /www/index.html ] || echo hello from container demo > /www/index.html; httpd -p 80 -h /www;"
if [ -n "${DEMO_CMD:-}" ]; then
	case $DEMO_CMD in
	*'"'*) echo "demo: DEMO_CMD cannot hold a double quote (the kernel command line cannot pass one)" >&2; exit 2 ;;
	esac
	vm_boot_console "$disk" "$params -- /bin/sh -c \"$web $DEMO_CMD\"" </dev/null
	exit
fi

echo "demo: a busybox shell in container 'demo', its changes kept in $disk: try 'echo hi > /hello' — 'poweroff' is not allowed inside the container; leaving the shell ('exit' or Ctrl-D) powers the machine off, and the next 'make demo' still has /hello (Ctrl-A X quits QEMU at once)"
echo "demo: its web server (busybox httpd, /www) answers on the host: curl http://127.0.0.1:$port/"
[ -n "$mport" ] && echo "demo: the monitor's page is at http://127.0.0.1:$mport/ (and /metrics, /containers.json)"
vm_boot_console "$disk" "$params -- /bin/sh -c \"$web exec /bin/sh\""
