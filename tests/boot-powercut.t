#!/bin/bash
# Power cuts: QEMU killed hard while the workload runs. What the workload
# fsynced is there at the next boot, content intact; the persistent ext4
# recovers from its journal, the overlay mounts over a stale work/ directory,
# and after the next clean power-off the image is fsck-clean.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/lib/vm.sh"
vm_tests_init

disk=$T/persist.img
vm_disk "$disk"
want_sum=$(seq 1 20000 | md5sum | cut -d' ' -f1)

fsck_clean() { # DESC
	local out
	out=$(e2fsck -fn "$disk" 2>&1)
	ok $? "$1" || diag "$out"
}

# only the normal exit report: no other "container: " line
no_errors() { # DESC
	local other
	other=$(printf '%s\n' "$VM_CON" | grep -E '^container: ' | grep -v '^container: workload exited with status 0$')
	is "$other" "" "$1"
}

# --- cut 1: after an fsync ---------------------------------------------------

vm_start cut1 "$disk" "$VM_CMDLINE_STD $(vm_sh "seq 1 20000 > /cut.txt; sync /cut.txt; echo written; exec sleep 1000")"
vm_wait_log "$VM_LOG" '^written$' 60
ok $? "boot 1: the workload wrote and fsynced its file" || { vm_finish 1; vm_diag_tail; }
vm_kill
VM_CON=$(vm_log "$VM_LOG")
vm_no_console "boot 1 (cut): no kernel panic" 'Kernel panic'
diag "after the cut, e2fsck -fn says: $(e2fsck -fn "$disk" 2>&1 | grep -iE 'recovery|clean|error' | head -n 2 | tr '\n' ' ')"

script=$(cat <<'EOF'
echo lines=$(wc -l < /cut.txt);
echo sum=$(md5sum < /cut.txt | cut -d' ' -f1);
echo alive
EOF
)
vm_run after1 "$disk" "$VM_CMDLINE_STD $(vm_sh "$script")"
vm_off "boot 2 (after the cut)"
vm_console "boot 2: the workload runs" '^alive$'
is "$(vm_get lines)" 20000 "the fsynced file is there, all 20000 lines"
is "$(vm_get sum)" "$want_sum" "its content is intact (md5)"
no_errors "boot 2: no error from container"
fsck_clean "after boot 2's clean power-off the disk image is fsck-clean"

# --- cut 2: in the middle of unsynced writes through the work directory -----

# Deleting a file of the base image and creating it again go through the
# overlay's work/ directory each time (whiteouts); nothing is synced.
script=$(cat <<'EOF'
i=0; echo churning;
while :; do
  rm /etc/group; echo g$i > /etc/group;
  echo line-$i >> /busy.txt; mkdir /d$i; rmdir /d$i;
  i=$((i+1));
done
EOF
)
vm_start cut2 "$disk" "$VM_CMDLINE_STD $(vm_sh "$script")"
vm_wait_log "$VM_LOG" '^churning$' 60
ok $? "boot 3: the workload churns" || { vm_finish 1; vm_diag_tail; }
# past ext4's 5 s commit interval, so that the journal holds some of it
sleep 6.5
vm_kill
VM_CON=$(vm_log "$VM_LOG")
vm_no_console "boot 3 (cut): no kernel panic" 'Kernel panic'

script=$(cat <<'EOF'
echo sum=$(md5sum < /cut.txt | cut -d' ' -f1);
echo busy=$(tail -n 1 /busy.txt 2>/dev/null);
echo group=$(cat /etc/group 2>&1);
echo fresh > /fresh.txt; echo fresh=$(cat /fresh.txt);
echo alive
EOF
)
vm_run after2 "$disk" "$VM_CMDLINE_STD container.debug $(vm_sh "$script")"
vm_off "boot 4 (after the second cut)"
vm_console "boot 4: the overlay mounts over the stale work directory, the workload runs" '^alive$'
is "$(vm_get sum)" "$want_sum" "the file fsynced before the first cut is still intact"
is "$(vm_get fresh)" fresh "the layer is writable again"
no_errors "boot 4: no error from container"
# what the churn left after the cut is a state it made: busy.txt ends in
# a whole line of it (or is gone), /etc/group is one it wrote, the image's,
# empty (made, its data not yet written) or deleted; never garbage (NUL
# bytes of an unjournalled block, an I/O error)
like "$(vm_get busy)" '^(line-[0-9]+)?$' "boot 4: busy.txt ends in a whole line the churn wrote, or is gone" ||
	diag "busy=$(vm_get busy)"
like "$(vm_get group)" '^(g[0-9]+|root:x:0:.*||cat: can.t open ./etc/group.: No such file or directory)$' \
	"boot 4: /etc/group is one the churn wrote, the image's, empty or deleted" || diag "group=$(vm_get group)"
fsck_clean "after boot 4's clean power-off the disk image is fsck-clean"

# --- leftovers in work/work, as a crash in the middle of a copy-up leaves ---

printf 'half a copy\n' > "$T/half"
# (a directory being removed, moved into work/work with what it held)
debugfs -w -R 'mkdir /demo/work/work/#17' "$disk" >/dev/null 2>&1
debugfs -w -R "write $T/half /demo/work/work/#17/file" "$disk" >/dev/null 2>&1
debugfs -w -R "write $T/half /demo/work/work/#18" "$disk" >/dev/null 2>&1
got=$(debugfs -R 'ls /demo/work/work' "$disk" 2>/dev/null | tr -s ' \n' ' ')
like "$got" '#17 .*#18' "leftovers planted in demo/work/work" || diag "$got"
vm_run stale "$disk" "$VM_CMDLINE_STD $(vm_sh "echo sum=\$(md5sum < /cut.txt | cut -d' ' -f1); echo more > /more.txt; echo alive")"
vm_off "boot 5 (stale work/work)"
vm_console "boot 5: the overlay mounts over them, the workload runs" '^alive$'
is "$(vm_get sum)" "$want_sum" "the layer is intact"
no_errors "boot 5: no error from container"
got=$(debugfs -R 'cat /demo/upper/more.txt' "$disk" 2>/dev/null)
is "$got" more "the layer was mounted read-write (the host finds boot 5's file)"
fsck_clean "after boot 5 the disk image is fsck-clean"

# --- deeper leftovers than overlayfs cleans up itself -------------------------

# overlayfs empties work/work two levels deep at mount; below that it gives
# up and mounts read-only. Either container clears the way and the layer is
# writable, or it says why the boot stops: never a silently read-only root.
debugfs -w -R 'mkdir /demo/work/work/#19' "$disk" >/dev/null 2>&1
debugfs -w -R 'mkdir /demo/work/work/#19/sub' "$disk" >/dev/null 2>&1
debugfs -w -R "write $T/half /demo/work/work/#19/sub/file" "$disk" >/dev/null 2>&1
got=$(debugfs -R 'cat /demo/work/work/#19/sub/file' "$disk" 2>/dev/null)
is "$got" "half a copy" "deep leftovers planted in demo/work/work/#19/sub (what boot 6 tests)"
vm_run deep "$disk" "$VM_CMDLINE_STD $(vm_sh "echo deep > /deep.txt && echo wrote-deep; grep ' / ' /proc/mounts")"
vm_off "boot 6 (deep leftovers in work/work)"
errs=$(printf '%s\n' "$VM_CON" | grep -E '^container: ' | grep -v '^container: workload exited with status')
if vm_has '^wrote-deep$'; then
	pass "boot 6: the layer is writable"
elif [ "$(printf '%s\n' "$errs" | grep -c .)" = 1 ] && ! vm_has '^overlay / '; then
	pass "boot 6: the boot stops with one clear line: $errs"
else
	fail "boot 6: the layer is writable, or the boot stops with one clear line"
	diag "the workload ran on: $(printf '%s\n' "$VM_CON" | grep -E '^overlay / ' | cut -d' ' -f4 | cut -d, -f1) root"
	vm_diag_tail 12
fi
fsck_clean "after boot 6 the disk image is fsck-clean"

done_testing
