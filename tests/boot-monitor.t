#!/bin/bash
# container.monitor in the guest: PID 1 starts the monitor as its own
# unprivileged process; a workload sharing the machine's network
# (container.net=host) reads it over loopback. Its figures come from the
# workload's cgroup v2 group: memory.current rises when the workload fills
# 16 MiB of tmpfs, memory.max reads the container.mem limit, an OOM kill
# shows in container_oom_kills_total, and after a restart by policy the
# count of restarts and the OOM kills of the run before are still there.
# /metrics passes promtool; the page has a row for the workload. The
# monitor serves under its own uid (the owner of the accepted socket in
# /proc/net/tcp) and, killed (SysRq-i kills every process but PID 1), is
# started again by PID 1. With a NIC (container.ip=dhcp) the host reaches
# it through QEMU's hostfwd: metrics, the page in Chromium, an OOM kill.
# The init-only build with the monitor serves its state without cgroups.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/lib/vm.sh"
has_feature monitor || skip_all "this build has no monitor"
vm_tests_init

disk=$T/persist.img
vm_disk "$disk"

# Run 1 reads the monitor, fills memory, has a child OOM-killed, then waits
# to be killed with the monitor by SysRq-i; run 2 (restart=on-failure:1)
# reads the counters again from the monitor PID 1 started again.
script=$(cat <<'EOF'
M=http://127.0.0.1:9180;
get() { sed -n s/^$1{name=.demo.}.//p $2; };
if [ -e /ran ]; then
  wget -qO /tmp/m $M/metrics;
  echo restarts=$(get container_restarts_total /tmp/m);
  echo ooms2=$(get container_oom_kills_total /tmp/m);
  echo up2=$(get container_up /tmp/m);
  exit 0;
fi;
touch /ran;
i=0; while ! wget -qO /dev/null $M/healthz; do i=$((i+1)); [ $i -gt 100 ] && break; sleep 0.1; done;
wget -qO /tmp/m1 $M/metrics;
echo BEGIN-METRICS; cat /tmp/m1; echo END-METRICS;
echo mem1=$(get container_memory_bytes /tmp/m1);
echo pids1=$(get container_pids /tmp/m1);
dd if=/dev/zero of=/dev/shm/fill bs=1M count=16 2>/dev/null;
wget -qO /tmp/m2 $M/metrics;
echo mem2=$(get container_memory_bytes /tmp/m2);
echo limit=$(get container_memory_limit_bytes /tmp/m2);
echo ooms0=$(get container_oom_kills_total /tmp/m2);
rm /dev/shm/fill;
awk 'BEGIN { s = 1; while (1) s = s s }'; echo child=$?;
wget -qO /tmp/m3 $M/metrics;
echo ooms1=$(get container_oom_kills_total /tmp/m3);
echo json=$(wget -qO- $M/containers.json);
echo rows=$(wget -qO- $M/ | grep -c 'class=.ctr.');
sleep 3 | nc 127.0.0.1 9180 & sleep 0.5;
echo monuid=$(awk '$2 ~ /:23DC$/ && $4 == 1 { print $8 }' /proc/net/tcp);
echo ready-for-sysrq;
sleep 60
EOF
)
vm_start monitor "$disk" "$VM_CMDLINE_STD sysctl.kernel.sysrq=1 container.monitor=9180 container.net=host container.mem=48M container.restart=on-failure:1 $(vm_sh "$script")"
if vm_wait_log "$VM_LOG" '^ready-for-sysrq' 120; then
	vm_monitor "sendkey alt-sysrq-i" >/dev/null
fi
vm_finish 120
vm_off "container.monitor=9180"

mem1=$(vm_get mem1) mem2=$(vm_get mem2)
like "$mem1" '^[0-9]+$' "container_memory_bytes is served for the workload ($mem1)" || vm_diag_tail
if [[ $mem1 =~ ^[0-9]+$ && $mem2 =~ ^[0-9]+$ ]]; then
	ok "$( [ $((mem2 - mem1)) -ge $((12 << 20)) ]; echo $?)" \
		"it rises by the 16 MiB written to tmpfs ($mem1 -> $mem2)"
else
	fail "it rises by the 16 MiB written to tmpfs ($mem1 -> $mem2)"
fi
is "$(vm_get limit)" $((48 << 20)) "container_memory_limit_bytes is container.mem"
like "$(vm_get pids1)" '^[1-9][0-9]*$' "container_pids is served ($(vm_get pids1))"
is "$(vm_get ooms0)" 0 "no OOM kill yet: container_oom_kills_total 0"
is "$(vm_get child)" 137 "the child past memory.max is OOM-killed (137)"
like "$(vm_get ooms1)" '^[1-9][0-9]*$' "container_oom_kills_total counts it ($(vm_get ooms1))"
like "$(vm_get json)" '^\[\{"ociVersion":"1\.0\.2","id":"demo","status":"running","pid":[1-9][0-9]*,.*"restarts":0,"memory":[0-9]+,' \
	"/containers.json: the workload, running, with its figures"
is "$(vm_get rows)" 1 "the page has one row, the workload's"
is "$(vm_get monuid)" 65532 "the monitor serves under its own uid (65532, config.h)"
vm_console "SysRq-i killed it with the workload" 'sysrq: Kill All Tasks'
vm_console "PID 1 says so and starts it again" '^container: monitor [0-9]+ ended: started again$'
is "$(vm_get restarts)" 1 "after a restart by policy: container_restarts_total 1"
is "$(vm_get ooms2)" "$(vm_get ooms1)" "the OOM kills of the run before are still counted"
is "$(vm_get up2)" 1 "container_up 1 in the new run"

metrics=$(printf '%s\n' "$VM_CON" | sed -n '/^BEGIN-METRICS$/,/^END-METRICS$/p' | sed '1d;$d')
if command -v promtool >/dev/null; then
	out=$(printf '%s\n' "$metrics" | promtool check metrics 2>&1)
	ok $? "promtool check metrics: the guest's /metrics is valid" || diag "$out"
else
	skip "promtool check metrics" "no promtool (Debian package prometheus; tools/deps.sh test installs it)"
fi

# --- from the host, through QEMU's hostfwd ------------------------------------
# container.ip=dhcp moves the NIC into the workload's network namespace:
# the monitor listens there. The host's 127.0.0.1:PORT reaches it: /metrics
# passes promtool, the page loads in Chromium, an OOM kill in the guest
# shows in container_oom_kills_total.
if has_feature bridge && command -v curl >/dev/null; then
	port=$((19180 + $$ % 1000))
	while ss -Htan "( sport = :$port )" | grep -q .; do port=$((port + 1)); done
	port2=$((port + 1))
	while ss -Htan "( sport = :$port2 )" | grep -q .; do port2=$((port2 + 1)); done
	url=http://127.0.0.1:$port
	# the workload waits for a connection on its port 7777 (the host's
	# PORT2), then has a child OOM-killed
	script="echo ready; nc -l -p 7777 </dev/null >/dev/null; awk 'BEGIN { s = 1; while (1) s = s s }'; echo oomed=\$?; sleep 600"
	VM_QEMU_ARGS="-netdev user,id=n0,restrict=on,hostfwd=tcp:127.0.0.1:$port-:9180,hostfwd=tcp:127.0.0.1:$port2-:7777 -device virtio-net-pci,netdev=n0" \
		vm_start hostfwd "$disk" "$VM_CMDLINE_STD container.ip=dhcp container.monitor=9180 container.mem=48M $(vm_sh "$script")"
	up=
	if vm_wait_log "$VM_LOG" '^ready' 90; then
		for ((i = 0; i < 100; i++)); do
			up=$(curl -s --max-time 5 "$url/metrics" | sed -n 's/^container_up{name="demo"} //p')
			[ -n "$up" ] && break
			sleep 0.2
		done
	fi
	is "$up" 1 "through hostfwd: the host reads container_up 1 from the guest's monitor" || vm_diag_tail
	metrics=$(curl -s --max-time 5 "$url/metrics")
	if command -v promtool >/dev/null; then
		out=$(printf '%s\n' "$metrics" | promtool check metrics 2>&1)
		ok $? "through hostfwd: /metrics passes promtool check metrics" || diag "$out"
	else
		skip "through hostfwd: promtool" "no promtool (Debian package prometheus)"
	fi
	like "$(printf '%s\n' "$metrics" | sed -n 's/^container_memory_bytes{name="demo"} //p')" '^[1-9][0-9]*$' \
		"through hostfwd: the workload's memory figure"
	if command -v chromium >/dev/null; then
		dom=$(timeout 60 chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
			--disable-component-update --disable-sync --no-first-run --user-data-dir="$T/chromium" \
			--dump-dom "$url/" 2>/dev/null)
		like "$dom" '<tr class="ctr" id="c-demo"><th>demo</th><td class="running">running</td>' \
			"through hostfwd: the page in Chromium has the workload's row, running"
	else
		skip "through hostfwd: the page in Chromium" "no chromium"
	fi
	is "$(curl -s --max-time 5 "$url/metrics" | sed -n 's/^container_oom_kills_total{name="demo"} //p')" 0 \
		"through hostfwd: no OOM kill yet"
	curl -s --max-time 3 -o /dev/null "http://127.0.0.1:$port2/"
	vm_wait_log "$VM_LOG" '^oomed=' 60
	ooms=
	for ((i = 0; i < 150; i++)); do
		ooms=$(curl -s --max-time 5 "$url/metrics" | sed -n 's/^container_oom_kills_total{name="demo"} //p')
		[ "${ooms:-0}" -ge 1 ] 2>/dev/null && break
		sleep 0.2
	done
	like "$ooms" '^[1-9][0-9]*$' "through hostfwd: the OOM kill in the guest shows in container_oom_kills_total ($ooms)"
	vm_kill
else
	for d in "container_up" "promtool" "memory" "the page" "no OOM yet" "the OOM kill"; do
		skip "through hostfwd: $d" "built without WITH_BRIDGE, or no curl"
	done
fi

# --- a bad container.monitor: one line, powered off before the workload -----
for bad in container.monitor=99999 container.monitor=localhost:80 container.monitor=1.2.3.4:; do
	vm_run "bad-${bad#container.}" "$disk" "$VM_CMDLINE_STD $bad -- /bin/echo workload-ran" 60
	lines=$(printf '%s\n' "$VM_CON" | grep -E '^container: ')
	is "$lines" "container: $bad: invalid value" "$bad: one clear line" || vm_diag_tail
	vm_no_console "$bad: the workload does not run" '^workload-ran$'
done

# --- the init-only build with the monitor (tests/configs/init-monitor.h) ----
# No launcher and no cgroups: the monitor reads the state PID 1 writes, and
# the figures a cgroup would give are left out, not 0.
BIN=$TOP/build/container-init-monitor
if [ -x "$BIN" ]; then
	# the kernel package the first VM fetched, not a second download
	deb=$(ls "$VMDIR"/cache/linux-image-*.deb 2>/dev/null | head -n 1)
	[ -n "$deb" ] && export KERNEL_DEB=$deb
	VMDIR=$TOP/build/vm-init-monitor CONTAINER=$BIN
	vm_setup >&2 || bail "could not build the VM for $BIN"
	script=$(cat <<'EOF'
i=0; while ! wget -qO /dev/null http://127.0.0.1:9180/healthz; do i=$((i+1)); [ $i -gt 100 ] && break; sleep 0.1; done;
wget -qO /tmp/m http://127.0.0.1:9180/metrics;
echo up=$(sed -n s/^container_up{name=.tiny.}.//p /tmp/m);
echo figures=$(grep -c -e ^container_memory -e ^container_pids -e ^container_cpu /tmp/m)
EOF
)
	vm_run init-monitor "$disk,$VMDIR/lower.squashfs" "container.lower=/dev/vdb container.persist=/dev/vda container.modules=virtio_pci,virtio_blk,overlay,squashfs container.name=tiny container.monitor=9180 $(vm_sh "$script")" 90
	vm_off "init-monitor build"
	is "$(vm_get up)" 1 "init-monitor build: the monitor serves container_up 1"
	is "$(vm_get figures)" 0 "init-monitor build, no cgroups: no memory, pids or CPU figures (not 0)"
else
	skip "the init-monitor build" "no $BIN: run make configs first"
fi
done_testing
