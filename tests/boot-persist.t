#!/bin/bash
# The persistent partition across boots: what one boot writes the next one
# finds (clean power-off between, the ext4 image fsck-clean after), each
# container name has its own layer, container.persist=tmpfs keeps nothing,
# and the same layer works over the erofs base image.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/lib/vm.sh"
vm_tests_init

disk=$T/persist.img
vm_disk "$disk"

fsck_clean() { # DESC
	local out
	out=$(e2fsck -fn "$disk" 2>&1)
	ok $? "$1" || diag "$out"
}

# --- boot 1 writes, boot 2 reads -----------------------------------------

vm_run write1 "$disk" "$VM_CMDLINE_STD $(vm_sh "echo persisted-1 > /data.txt; mkdir -p /srv/a; echo deep > /srv/a/b; rm /bin/vi; echo wrote")"
vm_off "boot 1 (writes)"
vm_console "boot 1: the workload wrote its files" '^wrote$'
fsck_clean "after boot 1 the disk image is fsck-clean (e2fsck -fn)"

script=$(cat <<'EOF'
echo data=$(cat /data.txt);
echo deep=$(cat /srv/a/b);
[ -e /bin/vi ] && echo vi=present || echo vi=gone;
echo x >> /data.txt
EOF
)
vm_run read2 "$disk" "$VM_CMDLINE_STD $(vm_sh "$script")"
vm_off "boot 2 (reads)"
is "$(vm_get data)" persisted-1 "boot 2 finds the file boot 1 wrote"
is "$(vm_get deep)" deep "and the new directory tree"
is "$(vm_get vi)" gone "and a deletion from the base image stays deleted"
fsck_clean "after boot 2 the disk image is fsck-clean"

# --- another name: another layer -------------------------------------------

vm_run other "$disk" "$VM_CMDLINE_STD container.name=other $(vm_sh "cat /data.txt 2>/dev/null || echo data=none; echo other-only > /other.txt")"
vm_off "container.name=other"
is "$(vm_get data)" none "container.name=other does not see demo's file"

vm_run back "$disk" "$VM_CMDLINE_STD $(vm_sh "cat /other.txt 2>/dev/null || echo other=none; echo lines=\$(wc -l < /data.txt)")"
vm_off "back to container.name=demo"
is "$(vm_get other)" none "demo does not see other's file"
is "$(vm_get lines)" 2 "demo's file has both boots' lines"

# --- container.persist=tmpfs: nothing survives ----------------------------

vm_run tmpfs1 "" "$VM_CMDLINE_STD container.persist=tmpfs $(vm_sh "cat /data.txt 2>/dev/null || echo data=none; echo volatile > /vol.txt; echo vol=\$(cat /vol.txt)")"
vm_off "container.persist=tmpfs without a disk"
is "$(vm_get vol)" volatile "a tmpfs machine can write"
is "$(vm_get data)" none "it does not see the disk's layer"

vm_run tmpfs2 "$disk" "$VM_CMDLINE_STD container.persist=tmpfs $(vm_sh "cat /vol.txt 2>/dev/null || echo vol=none; cat /data.txt 2>/dev/null || echo data=none")"
vm_off "container.persist=tmpfs with the disk attached"
is "$(vm_get vol)" none "the next tmpfs boot has lost the file"
is "$(vm_get data)" none "and leaves the disk alone"

# --- the erofs base image under the same layer -----------------------------

vm_run erofs "$disk" "$VM_CMDLINE_EROFS container.debug $(vm_sh "echo data=\$(head -n 1 /data.txt); [ -e /bin/vi ] && echo vi=present || echo vi=gone; echo erofs-ok > /erofs.txt")"
vm_off "erofs base image"
vm_console "the base image is /lower.erofs" 'container: base image /lower.erofs on '
is "$(vm_get data)" persisted-1 "over erofs the layer still holds boot 1's file"
is "$(vm_get vi)" gone "and its deletion"

# --- the disk, seen from the host --------------------------------------------

fsck_clean "at the end the disk image is fsck-clean"
got=$(debugfs -R 'cat /demo/upper/erofs.txt' "$disk" 2>/dev/null)
is "$got" erofs-ok "the host finds the erofs boot's file in demo/upper"
got=$(debugfs -R 'cat /other/upper/other.txt' "$disk" 2>/dev/null)
is "$got" other-only "and other's file in other/upper"
got=$(debugfs -R 'ls -l /demo/upper/bin' "$disk" 2>/dev/null | awk '$NF == "vi" { print $2 }')
is "$got" 20000 "the deletion is an overlay whiteout (char device 0/0) in the upper layer"

done_testing
