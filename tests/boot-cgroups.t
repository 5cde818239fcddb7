#!/bin/bash
# cgroup v2 limits that really hold, as PID 1 sets them from
# container.mem/pids/cpus: the container sees its own group (cgroup
# namespace) at /sys/fs/cgroup with the values written; an allocation past
# memory.max is OOM-killed and reported, a fork bomb past pids.max is
# refused, a busy loop gets its cpu.max share; the machine stays up through
# all of it. Bad values stop the boot with one clear line.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/lib/vm.sh"
vm_tests_init

disk=$T/persist.img
vm_disk "$disk"
cg=/sys/fs/cgroup

# --- memory: container.mem=32M -------------------------------------------
#
# Run 1 (restart=on-failure:1): a child doubling a string in awk is
# OOM-killed while the shell goes on; then the workload itself (exec awk) is
# OOM-killed: 137. Run 2, in a group made afresh, reads the limit again.
script=$(cat <<EOF
if [ -e /ran ]; then
  echo run=2;
  read m < $cg/memory.max; echo mem2=\$m;
  echo oom2=\$(sed -n 's/^oom_kill //p' $cg/memory.events);
  exit 0;
fi;
touch /ran; echo run=1;
echo cgroup=\$(cat /proc/self/cgroup);
read m < $cg/memory.max; echo mem=\$m;
awk 'BEGIN { s = 1; while (1) s = s s }'; echo child=\$?;
echo oom1=\$(sed -n 's/^oom_kill //p' $cg/memory.events);
echo shell-alive;
exec awk 'BEGIN { s = 1; while (1) s = s s }'
EOF
)
vm_run mem "$disk" "$VM_CMDLINE_STD container.mem=32M container.restart=on-failure:1 $(vm_sh "$script")" 90
vm_off "container.mem=32M"
is "$(vm_get cgroup)" "0::/" "the container sees its own cgroup namespace (0::/)"
is "$(vm_get mem)" 33554432 "memory.max inside reads 33554432 while the workload runs"
is "$(vm_get child)" 137 "an allocation past it is OOM-killed (child status 137)"
vm_console "the kernel says so on the console" 'Memory cgroup out of memory: Killed process [0-9]+ \(awk\)'
vm_console "the workload's shell survives its child's OOM kill" '^shell-alive$'
like "$(vm_get oom1)" '^[1-9][0-9]*$' "memory.events counts the OOM kill (oom_kill $(vm_get oom1))"
report=$(printf '%s\n' "$VM_CON" | grep -E '^container: workload exited with status 137 ' | head -n 1)
like "$report" '^container: workload exited with status 137 \(OOM kills: [1-9][0-9]*, memory peak: [0-9]+ bytes\)$' \
	"the workload itself OOM-killed: status 137 and the OOM kills reported" || vm_diag_tail
ooms=$(printf '%s\n' "$report" | sed -n 's/.*OOM kills: \([0-9]*\),.*/\1/p')
peak=$(printf '%s\n' "$report" | sed -n 's/.*memory peak: \([0-9]*\) bytes.*/\1/p')
ok "$( [ -n "$peak" ] && [ "$peak" -le 33554432 ]; echo $?)" "the reported peak ($peak) is within memory.max"
is "$(vm_get run)" 2 "the machine stayed up: restart=on-failure ran the workload again"
is "$(vm_get mem2)" 33554432 "the new run has the limit again"
is "$(vm_get oom2)" 0 "in a fresh group: the old one, with its OOM kills, was removed"
vm_console "the second run's exit is reported" '^container: workload exited with status 0$'
diag "memory: OOM kills reported ${ooms:-?} (child + workload), peak ${peak:-?} bytes"

# --- pids: container.pids=32 -----------------------------------------------
#
# A subshell forks sleeps until the kernel refuses (ash then gives up with
# "can't fork"); the shell, with only builtins, counts and goes on; once
# the sleeps are gone it can fork again.
script=$(cat <<EOF
read m < $cg/pids.max; echo pids.max=\$m;
( for i in \$(seq 100); do sleep 5 & echo \$! >> /tmp/forked; done );
echo bomb=\$?;
n=0; while read p; do n=\$((n+1)); done < /tmp/forked; echo forked=\$n;
read c < $cg/pids.current; echo current=\$c;
while read k v; do [ \$k = max ] && echo refused=\$v; done < $cg/pids.events;
echo alive-after-bomb;
sleep 6;
echo current2=\$(cat $cg/pids.current);
echo responsive
EOF
)
vm_run pids "$disk" "$VM_CMDLINE_STD container.pids=32 $(vm_sh "$script")" 90
vm_off "container.pids=32"
is "$(vm_get pids.max)" 32 "pids.max inside reads 32"
vm_console "the fork bomb is refused (can't fork)" "can't fork"
forked=$(vm_get forked)
ok "$( [ -n "$forked" ] && [ "$forked" -ge 20 ] && [ "$forked" -le 31 ]; echo $?)" \
	"it got no further than the limit: $forked sleeps started"
like "$(vm_get refused)" '^[1-9][0-9]*$' "pids.events counts the refused forks ($(vm_get refused))"
vm_console "the shell is still there" '^alive-after-bomb$'
vm_console "and can fork again once the sleeps are gone" '^responsive$'
like "$(vm_get current2)" '^[1-3]$' "pids.current drops back ($(vm_get current2))"
diag "pids: $forked sleeps started, forks refused $(vm_get refused) (pids.events max)"

# --- cpu: container.cpus=0.2 ------------------------------------------------
#
# A busy loop for 2 s of wall time: usage_usec of cpu.stat grows by about
# 20% of that (the quota is 20 ms per 100 ms period).
script=$(cat <<EOF
read m < $cg/cpu.max; echo cpu.max=\$m;
read k u0 < $cg/cpu.stat; read t0 x < /proc/uptime;
( while :; do :; done ) & p=\$!; sleep 2; kill \$p;
read k u1 < $cg/cpu.stat; read t1 x < /proc/uptime;
echo cpu=\$u0:\$u1:\$t0:\$t1;
echo throttled=\$(sed -n 's/^nr_throttled //p' $cg/cpu.stat)
EOF
)
vm_run cpu "$disk" "$VM_CMDLINE_STD container.cpus=0.2 $(vm_sh "$script")" 90
vm_off "container.cpus=0.2"
is "$(vm_get cpu.max)" "20000 100000" "cpu.max inside reads '20000 100000'"
IFS=: read -r u0 u1 t0 t1 <<< "$(vm_get cpu)"
if [ -n "${t1:-}" ]; then
	used=$((u1 - u0))
	share=$(awk -v u="$used" -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", u / ((b - a) * 1000000) }')
	ok "$(awk -v s="$share" 'BEGIN { print !(s <= 0.25) }')" \
		"the busy loop got at most ~20% of a CPU (${used} usec in $(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }') s: $share)"
	ok "$(awk -v s="$share" 'BEGIN { print !(s >= 0.05) }')" "and it did run (share $share)"
	diag "cpu: share $share of one CPU with container.cpus=0.2 ($used usec)"
else
	fail "the busy loop got at most ~20% of a CPU"; fail "and it did run"; vm_diag_tail
fi
like "$(vm_get throttled)" '^[1-9][0-9]*$' "cpu.stat shows the group throttled ($(vm_get throttled) periods)"

# --- bad values --------------------------------------------------------------

for bad in container.pids=-1 container.cpus=0 container.mem=0 container.cpus=0.0001; do
	vm_run "bad-${bad#container.}" "$disk" "$VM_CMDLINE_STD $bad -- /bin/echo workload-ran"
	vm_off "$bad"
	lines=$(printf '%s\n' "$VM_CON" | grep -E '^container: ')
	is "$lines" "container: $bad: invalid value" "$bad: one clear line" || vm_diag_tail
	vm_no_console "$bad: the workload does not run" '^workload-ran$'
done

done_testing
