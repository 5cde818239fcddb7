#!/bin/bash
# Stopping the machine: Ctrl-Alt-Del reaches PID 1 as SIGINT, the workload
# gets SIGTERM, SIGKILL after the grace (config.h init_grace, 10 s) if it
# ignores that, and the machine powers off cleanly; with
# container.restart=no the workload's own exit powers it off, its status on
# the console.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/lib/vm.sh"
vm_tests_init

disk=$T/persist.img
vm_disk "$disk"
grace=10

# ctrl_alt_del NAME SCRIPT [EXTRA]: boot, wait for "ready", press
# Ctrl-Alt-Del, wait for the power-off; STOP_SECS: seconds from the key to
# QEMU's exit.
ctrl_alt_del() {
	local t0
	STOP_SECS=
	vm_start "$1" "$disk" "$VM_CMDLINE_STD ${3:-} $(vm_sh "$2")"
	if ! vm_wait_log "$VM_LOG" '^ready$' 60; then
		fail "$1: the workload is ready"; vm_finish 1; vm_diag_tail; return 1
	fi
	pass "$1: the workload is ready"
	t0=$(date +%s.%N)
	vm_monitor "sendkey ctrl-alt-delete" >/dev/null
	vm_finish $((grace + 30))
	STOP_SECS=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
}

# --- a workload that handles SIGTERM -------------------------------------

ctrl_alt_del term "trap 'echo got-TERM; exit 0' TERM; echo ready; while :; do sleep 1; done"
vm_off "Ctrl-Alt-Del"
vm_console "the workload got SIGTERM" '^got-TERM$'
vm_console "and its exit is reported" '^container: workload exited with status 0$'
ok "$(awk -v s="$STOP_SECS" 'BEGIN { print !(s < 6) }')" \
	"it stops at once, without waiting for the grace (${STOP_SECS}s)"
# got-TERM comes before the power-off
first=$(printf '%s\n' "$VM_CON" | grep -nE '^got-TERM$|reboot: Power down' | head -n 1)
like "$first" 'got-TERM' "the workload ends before the machine powers off"

# --- the same under container.init=1: the reaper passes SIGTERM on ---------

ctrl_alt_del init "trap 'echo got-TERM; exit 7' TERM; echo ready; while :; do sleep 1; done" container.init=1
vm_off "Ctrl-Alt-Del with container.init=1"
vm_console "the workload behind the reaper got SIGTERM" '^got-TERM$'
vm_console "its own status is reported" '^container: workload exited with status 7$'

# --- a workload that ignores SIGTERM ---------------------------------------

ctrl_alt_del ignore "trap '' TERM INT; echo ready; while :; do sleep 1; done"
vm_off "Ctrl-Alt-Del, SIGTERM ignored"
vm_console "the workload was killed (SIGKILL: 128+9)" '^container: workload exited with status 137$'
ok "$(awk -v s="$STOP_SECS" -v g="$grace" 'BEGIN { print !(s >= g - 1 && s <= g + 6) }')" \
	"killed after the ${grace}s grace: power-off ${STOP_SECS}s after the key"
diag "Ctrl-Alt-Del to power-off: ${STOP_SECS}s with SIGTERM ignored (grace ${grace}s)"

# --- container.restart=no: the workload's exit powers off --------------------

vm_run exit3 "$disk" "$VM_CMDLINE_STD container.restart=no $(vm_sh "echo bye; exit 3")"
vm_off "container.restart=no, exit 3"
vm_console "the workload ran" '^bye$'
vm_console "its status is on the console" '^container: workload exited with status 3$'

# --- killed by a signal: 128+N ---------------------------------------------

vm_run kill9 "$disk" "$VM_CMDLINE_STD container.init=1 $(vm_sh "echo bye; kill -9 \$\$")"
vm_off "workload killed by SIGKILL"
vm_console "its status is 128+9" '^container: workload exited with status 137$'

# --- container.restart=on-failure:2: two restarts, then power off ----------

vm_run restart "$disk" "$VM_CMDLINE_STD container.restart=on-failure:2 $(vm_sh "echo run >> /runs; echo runs=\$(wc -l < /runs); exit 4")"
vm_off "container.restart=on-failure:2"
is "$(printf '%s\n' "$VM_CON" | grep -c '^container: workload exited with status 4$')" 3 \
	"the failing workload ran 3 times (1 + 2 restarts), each exit reported"
is "$(vm_get runs)" 3 "each run saw the previous ones' writes"

done_testing
