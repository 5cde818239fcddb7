#!/bin/bash
# Appliances (SPEC 11): initramfs/appliance.sh turns a podman-built image
# into a kernel, an initramfs and a GPT disk (base-a, base-b, persist);
# OUTDIR/run boots it under QEMU into the image's entrypoint; its changes
# survive a reboot; --update writes a second version into the other slot
# and the next boot runs it over the same changes; --rollback goes back;
# a slot that never reaches its workload falls back to the previous one.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/lib/vm.sh"
. "$TOP/tests/lib/images.sh"
need_root
has_feature images || skip_all "built without WITH_IMAGES"
has_feature probe || skip_all "built without WITH_PROBE (PARTLABEL=)"
for t in podman skopeo umoci jq sfdisk debugfs; do
	command -v $t >/dev/null 2>&1 || skip_all "no $t (tools/deps.sh test installs it)"
done
vm_tests_init
mkdir -p "$T/tmp"
export TMPDIR=$T/tmp
images_build "$T/img" || bail "podman build of the test images failed"
defer $PM rm -af
A=$T/appl
APP="${CS}localhost/ctest"

capture "$TOP/initramfs/appliance.sh" "$APP:1" "$A"
is "$RC" 0 "appliance.sh SRC OUTDIR: builds" || diag "$ERR"
for f in vmlinuz initramfs.cpio.gz disk.img run; do
	[ -s "$A/$f" ]
	ok $? "OUTDIR/$f is there"
done
parts=$(sfdisk -J "$A/disk.img" | jq -r '.partitiontable | .label + " " + ([.partitions[].name] | join(","))')
is "$parts" "gpt base-a,base-b,persist" "disk.img is GPT with base-a, base-b, persist"
files=$(zcat "$A/initramfs.cpio.gz" | cpio -it --quiet 2>/dev/null | grep -v '^lib/modules' | sort | tr '\n' ' ')
is "$files" "dev dev/console init lib mnt proc run sys tmp " "the initramfs holds container as /init and modules only"
like "$(zcat "$A/initramfs.cpio.gz" | cpio -it --quiet 2>/dev/null)" 'modules\.dep' "with modules.dep"

slot_record() { debugfs -R 'cat /.slot' "$A/disk.img?offset=$(sfdisk -J "$A/disk.img" |
	jq '.partitiontable.partitions[] | select(.name == "persist") | .start * 512')" 2>/dev/null | tr '\n' ' '; }

# boot NAME: OUTDIR/run with the console in $T/NAME.log; VM_CON, VM_RC
boot() {
	VM_LOG=$T/$1.log
	APPLIANCE_SERIAL=file:$VM_LOG timeout -k 5 120 "$A/run" -no-reboot >"$VM_LOG.qemu" 2>&1 </dev/null
	VM_RC=$?
	VM_CON=$(vm_log "$VM_LOG")
}
# the workload's two lines (SeaBIOS may leave no newline before the first)
app_line() { printf '%s\n' "$VM_CON" | grep -oE '(greeting|note)=.*' | tr '\n' ' '; }

boot first
vm_console "boot 1: the appliance runs the image's entrypoint as its user, in its workdir" \
	'greeting=hello version=1 user=1000:1000 pwd=/srv/app args=one two$'
is "$(app_line)" "greeting=hello version=1 user=1000:1000 pwd=/srv/app args=one two note= " "boot 1: nothing kept yet"
vm_console "boot 1: clean power-off when the workload ends" 'reboot: Power down'
is "$VM_RC" 0 "boot 1: QEMU ended cleanly"

boot second
like "$(app_line)" 'version=1 .* note=v1, $' "boot 2: the file written by boot 1 survived the reboot"

capture "$TOP/initramfs/appliance.sh" --update "$APP:2" "$A"
is "$RC" 0 "--update SRC OUTDIR: succeeds" || diag "$ERR"
is "$(slot_record)" "slot=base-b previous=base-a state=new " "the record points the next boot at base-b"
boot update
like "$(app_line)" 'version=2 .* note=v1,v1, $' "boot 3: the new version runs, the persistent file is still there"
is "$(slot_record)" "slot=base-b previous=base-a state=good " "once its workload ran, base-b is good"

capture "$TOP/initramfs/appliance.sh" --rollback "$A"
is "$RC" 0 "--rollback OUTDIR: succeeds" || diag "$ERR"
boot rollback
like "$(app_line)" 'version=1 .* note=v1,v1,v2, $' "boot 4: back on base-a, version 1, the changes kept"

capture "$TOP/initramfs/appliance.sh" --update "$APP:bad" "$A"
is "$(slot_record)" "slot=base-b previous=base-a state=new " "an update whose entrypoint is missing goes to base-b"
boot bad
vm_console "boot 5: the new slot never reaches its workload" 'container: exec /missing'
is "$(slot_record)" "slot=base-b previous=base-a state=trying " "the record says it was tried"
boot fallback
vm_console "boot 6: PID 1 says it goes back" 'base slot base-b never reached its workload: back to base-a'
like "$(app_line)" 'version=1 .* note=v1,v1,v2,v1, $' "boot 6: the previous slot runs, with the changes"
is "$(slot_record)" "slot=base-a previous=base-b state=failed " "the record keeps the failed slot as previous"

e2fsck -fn "$A/disk.img?offset=$(sfdisk -J "$A/disk.img" |
	jq '.partitiontable.partitions[] | select(.name == "persist") | .start * 512')" >/dev/null 2>&1
ok $? "the persistent partition is fsck-clean at the end"

capture "$TOP/initramfs/appliance.sh" --update "foo:bar" "$A"
is "$RC" 1 "--update from an unknown transport fails"
like "$ERR" "unknown transport" "with import's one line"
is "$(slot_record)" "slot=base-a previous=base-b state=failed " "and the record is unchanged"

done_testing
