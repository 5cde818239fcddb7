#!/bin/bash
# A networked machine: PID 1 configures the NIC over netlink, by DHCP
# (QEMU's user network, restrict=on: 10.0.2.15) or statically, gives the
# workload that network (its own namespace, or container.net=host) and
# /etc/resolv.conf; a guest httpd answers curl on the host through
# hostfwd; a short lease from a busybox udhcpd (in a network namespace of
# this test, on a tap device) is renewed; bad container.ip and a NIC that
# never appears power the machine off with one clear line.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/lib/vm.sh"
has_feature bridge || skip_all "built without WITH_BRIDGE"
command -v curl >/dev/null || bail "no curl (tools/deps.sh test)"
vm_tests_init

disk=$T/persist.img
vm_disk "$disk"

# a free TCP port on the host's 127.0.0.1 for hostfwd
port=18480
while ss -Htan "( sport = :$port )" | grep -q .; do port=$((port + 1)); done
NIC="-netdev user,id=n0,restrict=on,hostfwd=tcp:127.0.0.1:$port-:80 -device virtio-net-pci,netdev=n0"

# the workload: show its network, serve a page, say so, wait to be killed
serve=$(vm_sh "ip -4 -o addr show eth0; ip route; echo resolv:; cat /etc/resolv.conf;
	readlink /proc/1/ns/net; mkdir -p /tmp/www; echo page-$$ > /tmp/www/index.html;
	httpd -p 80 -h /tmp/www && echo httpd-up; sleep 120")

# boot_serve NAME PARAMS: boot with the NIC, wait for httpd, curl it
boot_serve() {
	VM_QEMU_ARGS=$NIC vm_start "$1" "$disk" "$VM_CMDLINE_STD $2 $serve"
	if vm_wait_log "$VM_LOG" '^httpd-up' 90; then
		OUT=$(curl -s --max-time 10 "http://127.0.0.1:$port/")
	else
		OUT=
	fi
	vm_kill
	VM_CON=$(vm_log "$VM_LOG")
}

# --- DHCP from QEMU's server; the NIC in the workload's namespace -----------

boot_serve dhcp "container.ip=dhcp container.dns=10.0.2.3"
is "$OUT" "page-$$" "dhcp: the guest's httpd answers curl on the host through hostfwd" || vm_diag_tail
vm_console "dhcp: eth0 has QEMU's 10.0.2.15/24" 'inet 10\.0\.2\.15/24 '
vm_console "dhcp: resolv.conf from container.dns" '^nameserver 10\.0\.2\.3$'
vm_no_console "dhcp: no kernel panic" 'Kernel panic'
pid1_ns=$(printf '%s\n' "$VM_CON" | grep -E '^net:\[[0-9]+\]$')
[ -n "$pid1_ns" ]
ok $? "dhcp: the workload has a network namespace of its own ($pid1_ns)"

# --- static address, container.net=host ------------------------------------

boot_serve static "container.ip=10.0.2.15/24,10.0.2.2 container.dns=10.0.2.3,10.0.2.4 container.net=host"
is "$OUT" "page-$$" "static: the guest's httpd answers curl on the host" || vm_diag_tail
vm_console "static: eth0 has 10.0.2.15/24" 'inet 10\.0\.2\.15/24 '
vm_console "static: the default route through the gateway" '^default via 10\.0\.2\.2 dev eth0'
resolv=$(printf '%s\n' "$VM_CON" | sed -n '/^resolv:$/,/^net:/p' | grep '^nameserver')
is "$resolv" "nameserver 10.0.2.3"$'\n'"nameserver 10.0.2.4" "static: resolv.conf holds container.dns, in order"
[ "$(printf '%s\n' "$VM_CON" | grep -E '^net:\[[0-9]+\]$')" != "$pid1_ns" ]
ok $? "static, net=host: another namespace than in the DHCP boot (the VM's own)"

# --- lease renewal against a busybox udhcpd of our own -------------------------

NS=ctrboot$$
if [ -c /dev/net/tun ] && ip netns add "$NS" 2>/dev/null; then
	defer ip netns del "$NS"
	ip -n "$NS" tuntap add dev tap0 mode tap &&
		ip -n "$NS" addr add 10.77.0.1/24 dev tap0 && ip -n "$NS" link set tap0 up
	cat >"$T/udhcpd.conf" <<-EOF
	start 10.77.0.20
	end 10.77.0.30
	interface tap0
	lease_file $T/udhcpd.leases
	min_lease 10
	opt lease 20
	opt subnet 255.255.255.0
	opt router 10.77.0.1
	opt dns 10.77.0.53
	EOF
	: >"$T/udhcpd.leases"
	start_bg "$T/udhcpd.out" "$T/udhcpd.err" ip netns exec "$NS" busybox udhcpd -f "$T/udhcpd.conf"
	# QEMU in that namespace, where the tap is
	qemu-system-x86_64() { exec ip netns exec "$NS" "$(type -P qemu-system-x86_64)" "$@"; }
	VM_QEMU_ARGS="-netdev tap,id=n0,ifname=tap0,script=no,downscript=no -device virtio-net-pci,netdev=n0" \
		vm_start renew "$disk" "$VM_CMDLINE_STD container.ip=dhcp container.debug $(vm_sh "
		ip -4 -o addr show eth0; ip route; cat /etc/resolv.conf; echo net-up; sleep 120")"
	unset -f qemu-system-x86_64
	vm_wait_log "$VM_LOG" 'dhcp: 10\.77\.0\.[0-9]+ renewed for 20 s' 90
	ok $? "a 20 s lease from udhcpd is renewed at half its life" || { vm_diag_tail; diag "$(cat "$T/udhcpd.err")"; }
	vm_wait_log "$VM_LOG" 'dhcp: 10\.77\.0\.[0-9]+ renewed for 20 s.*' 1
	n=0
	vm_wait_log "$VM_LOG" '^net-up' 1 && sleep 12
	n=$(vm_log "$VM_LOG" | grep -c 'renewed for 20 s')
	[ "$n" -ge 2 ]
	ok $? "and again, for as long as the machine runs ($n renewals)"
	vm_kill
	VM_CON=$(vm_log "$VM_LOG")
	vm_console "udhcpd: the offered address on eth0" 'inet 10\.77\.0\.(2[0-9]|30)/24 '
	vm_console "udhcpd: the router as default route" '^default via 10\.77\.0\.1 dev eth0'
	vm_console "udhcpd: resolv.conf from the DHCP answer" '^nameserver 10\.77\.0\.53$'
	kill "$BG" 2>/dev/null
else
	for d in renewal "renewal again" address route resolv.conf; do
		skip "udhcpd $d" "no /dev/net/tun or no network namespace"
	done
fi

# --- bad input ---------------------------------------------------------------

# bad NAME PARAMS ERE MAX_SECS [QEMU_ARGS]: one "container: " line, no
# workload, powered off within MAX_SECS
bad() {
	local lines
	VM_QEMU_ARGS=${5:-} vm_run "$1" "$disk" "$VM_CMDLINE_STD $2 -- /bin/echo workload-ran" $(($4 + 30))
	vm_off "$1"
	lines=$(printf '%s\n' "$VM_CON" | grep -E '^container: ')
	like "$lines" "^$3\$" "$1: one line: ${lines:-nothing}" || vm_diag_tail
	vm_no_console "$1: the workload does not run" '^workload-ran$'
	ok "$(awk -v s="$VM_SECS" -v m="$4" 'BEGIN { print !(s <= m) }')" "$1: powered off in ${VM_SECS}s (at most $4 s)"
}

bad ip-no-prefix "container.ip=10.0.2.15" 'container: container\.ip=10\.0\.2\.15: invalid value' 30
bad ip-bad-gw "container.ip=10.0.2.15/24,gateway" 'container: container\.ip=10\.0\.2\.15/24,gateway: invalid value' 30
bad dns-bad "container.ip=dhcp container.dns=10.0.2" 'container: container\.dns=10\.0\.2: invalid value' 30
bad no-nic "container.ip=dhcp container.rootwait=2" \
	'container: network interface \(first ethernet\): not found after 2 s' 40
bad iface-missing "container.ip=dhcp container.iface=eth7 container.rootwait=2" \
	'container: network interface eth7: not found after 2 s' 40 "$NIC"

done_testing
