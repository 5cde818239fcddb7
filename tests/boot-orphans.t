#!/bin/bash
# Reaping. With container.init=1 a tiny reaper is PID 1 inside the container:
# orphans are reparented to it and reaped, no zombie piles up, and the
# workload's own status is what is reported. Without it (container.init=0)
# the workload is PID 1 of its namespace; when it exits, whatever it left
# behind dies with the namespace and the machine still powers off at once.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/lib/vm.sh"
vm_tests_init

disk=$T/persist.img
vm_disk "$disk"

orphans=$(cat <<'EOF'
echo pid=$$ ppid=$PPID;
echo comm1=$(cat /proc/1/comm);
o=$(sh -c 'sleep 3 >/dev/null & echo $!'); sleep 0.2;
echo orphan-ppid=$(sed -n 's/^PPid:[[:space:]]*//p' /proc/$o/status);
for i in $(seq 50); do sh -c 'sleep 0.1 &'; done;
for i in $(seq 50); do sh -c 'true & true &'; done;
sleep 1;
echo zombies=$(grep -l '^State:.*Z' /proc/[0-9]*/status 2>/dev/null | wc -l);
echo procs=$(ls -d /proc/[0-9]* | wc -l)
EOF
)

# --- container.init=1 ---------------------------------------------------------

vm_run init1 "$disk" "$VM_CMDLINE_STD container.init=1 $(vm_sh "$orphans")"
vm_off "container.init=1"
like "$(vm_get pid)" '^[0-9]+ ppid=1$' "the workload is a child of PID 1 (the reaper)"
unlike "$(vm_get pid)" '^1 ' "the workload is not PID 1 itself"
is "$(vm_get orphan-ppid)" 1 "an orphan is reparented to PID 1"
is "$(vm_get zombies)" 0 "150 orphans later, no zombie is left"
diag "container.init=1: PID 1 inside is '$(vm_get comm1)', $(vm_get procs) processes at the end"
vm_console "the workload's status is reported" '^container: workload exited with status 0$'

vm_run init1exit "$disk" "$VM_CMDLINE_STD container.init=1 $(vm_sh "sleep 100 & sh -c 'sleep 100 &'; echo leaving; exit 5")"
vm_off "container.init=1, exit 5 with children left"
vm_console "the workload ran" '^leaving$'
vm_console "the reaper reports the workload's own status" '^container: workload exited with status 5$'
ok "$(awk -v s="$VM_SECS" 'BEGIN { print !(s < 20) }')" \
	"the leftover sleeps do not hold the power-off (${VM_SECS}s boot)"

# --- container.init=0: the workload is PID 1 ------------------------------

vm_run init0 "$disk" "$VM_CMDLINE_STD container.init=0 $(vm_sh "$orphans")"
vm_off "container.init=0"
like "$(vm_get pid)" '^1 ' "the workload is PID 1 of its namespace"
is "$(vm_get orphan-ppid)" 1 "an orphan is reparented to the workload"
diag "container.init=0: $(vm_get zombies) zombies after 150 orphans (busybox sh as PID 1)"
vm_console "the workload exits normally" '^container: workload exited with status 0$'

vm_run init0exit "$disk" "$VM_CMDLINE_STD container.init=0 $(vm_sh "sleep 100 & sh -c 'sleep 100 &'; echo leaving; exit 0")"
vm_off "container.init=0, exit with children left"
vm_console "the workload ran" '^leaving$'
vm_console "its exit is reported" '^container: workload exited with status 0$'
ok "$(awk -v s="$VM_SECS" 'BEGIN { print !(s < 20) }')" \
	"the namespace's leftovers die with it (${VM_SECS}s boot)"

done_testing
