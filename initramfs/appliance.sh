#!/bin/sh
# appliance.sh - an OCI image as a bootable appliance, and its A/B update.
#
#   appliance.sh [--erofs] SRC OUTDIR   build OUTDIR from the image SRC
#   appliance.sh --update SRC OUTDIR    the image SRC into the inactive base
#                                       slot; the next boot tries it
#   appliance.sh --rollback OUTDIR      the next boot goes back to the
#                                       previous slot
#
# SRC is any skopeo reference (see import.sh).  OUTDIR gets:
#   vmlinuz              the Debian cloud kernel (as `make demo`)
#   initramfs.cpio.gz    /init = container, the modules it needs, modules.dep
#   disk.img             GPT: base-a (the image), base-b (empty), persist (ext4)
#   cmdline              the kernel command line
#   run                  the QEMU command line (-accel tcg); arguments are
#                        passed on to QEMU, APPLIANCE_SERIAL replaces
#                        "mon:stdio" (e.g. file:console.log)
#
# The appliance boots into the image's entrypoint (its config in
# /.container/image), as container "app", whose changes live on persist.
# PID 1 finds the slots by their GPT names (container.lower=PARTLABEL=...),
# and the slot to boot from a record on persist, /.slot:
#   slot=base-b  previous=base-a  state=new|trying|good|failed
# --update writes the image into the slot that is not running and the
# record "new"; the next boot marks it "trying" and, once the workload
# runs, "good".  A boot on a "trying" slot means the last one never
# reached its workload: PID 1 goes back to the previous slot ("failed").
# The persistent changes (persist/app/upper) are kept throughout, and so
# is the previous slot until the next update: --rollback returns to it.
# The record is on the disk, not on the kernel command line, so any
# bootloader will do.  Run --update and --rollback with the appliance off.
#
# Environment: CONTAINER (the binary, default ./container at the top),
# APPLIANCE_SLOT_MB (size of each base slot, default twice the image and
# at least 64), APPLIANCE_PERSIST_MB (256), APPLIANCE_BUILD (kernel and
# modules cache, default build/appliance at the top), VM_MEM (512).
set -eu

prog=appliance
die() { echo "$prog: $*" >&2; exit 1; }
say() { echo "$prog: $*" >&2; }
usage() { echo "usage: $0 [--erofs] SRC OUTDIR | --update SRC OUTDIR | --rollback OUTDIR" >&2; exit 2; }

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
mode=build
fmt=squashfs
case ${1:-} in
--update) mode=update; shift ;;
--rollback) mode=rollback; shift ;;
--erofs) fmt=erofs; shift ;;
esac
if [ $mode = rollback ]; then
	[ $# -eq 1 ] || usage
	src=
	out=$1
else
	[ $# -eq 2 ] || usage
	src=$1
	out=$2
fi
for t in sfdisk debugfs mkfs.ext4 jq cpio gzip; do
	command -v "$t" >/dev/null 2>&1 || die "$t not found (tools/deps.sh test installs it)"
done

work=
cleanup() { [ -z "$work" ] || rm -rf "$work"; }
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# ---- the persistent partition and the slot record ---------------------------
# Offsets and sizes (bytes) of the partition named $1 in disk.img.
part() {
	sfdisk -J "$out/disk.img" 2>/dev/null | jq -r --arg n "$1" \
		'.partitiontable.partitions[] | select(.name == $n) | "\(.start * 512) \(.size * 512)"'
}
persist_fs() {
	set -- $(part persist)
	[ $# -eq 2 ] || die "$out/disk.img: no GPT partition named persist"
	echo "$out/disk.img?offset=$1"
}
record_get() { # KEY: its value in /.slot, or nothing
	debugfs -R "cat /.slot" "$(persist_fs)" 2>/dev/null | sed -n "s/^$1=//p"
}
record_put() { # SLOT PREVIOUS STATE
	printf 'slot=%s\nprevious=%s\nstate=%s\n' "$1" "$2" "$3" > "$work/slot"
	fs=$(persist_fs)
	# The last boot may have been cut: let e2fsck finish its journal first.
	e2fsck -p "$fs" >/dev/null 2>&1 || [ $? -le 1 ] || die "persist: e2fsck failed (run e2fsck -f '$fs')"
	printf 'rm /.slot\nwrite %s /.slot\n' "$work/slot" > "$work/cmds"
	debugfs -w -f "$work/cmds" "$fs" >/dev/null 2>&1 || die "persist: could not write /.slot"
	[ "$(record_get slot)" = "$1" ] || die "persist: /.slot did not take"
}
# The slot running now: the record's, unless it is still on trial.
active_slot() {
	s=$(record_get slot)
	case $(record_get state) in
	new | trying) record_get previous ;;
	*) echo "${s:-base-a}" ;;
	esac
}

if [ $mode = rollback ]; then
	[ -f "$out/disk.img" ] || die "$out/disk.img: no such appliance"
	work=$(mktemp -d "${TMPDIR:-/tmp}/appliance.XXXXXX")
	cur=$(active_slot)
	prev=$(record_get previous)
	[ -n "$prev" ] || die "$out: no previous slot to go back to"
	[ "$prev" != "$cur" ] || prev=$(record_get slot)
	record_put "$prev" "$cur" good
	say "next boot: $prev (was $cur)"
	exit 0
fi

mkdir -p "$out"
out=$(cd "$out" && pwd)
work=$(mktemp -d "$out/.work.XXXXXX")

# ---- the image ----------------------------------------------------------------
[ $mode = update ] && [ ! -f "$out/disk.img" ] && die "$out/disk.img: no such appliance (build it first)"
if [ $mode = update ]; then
	fmt=squashfs
	[ "$(cat "$out/format" 2>/dev/null)" = erofs ] && fmt=erofs
fi
say "importing $src"
sh "$here/import.sh" "$src" "$work/base.$fmt" >/dev/null
isize=$(wc -c < "$work/base.$fmt")

if [ $mode = update ]; then
	cur=$(active_slot)
	case $cur in base-a) next=base-b ;; *) next=base-a ;; esac
	set -- $(part "$next")
	[ $# -eq 2 ] || die "$out/disk.img: no GPT partition named $next"
	[ "$isize" -le "$2" ] || die "$src: $isize bytes do not fit in slot $next ($2 bytes)"
	say "writing $next ($isize bytes; $cur stays as it is)"
	dd if="$work/base.$fmt" of="$out/disk.img" bs=1M seek="$1" oflag=seek_bytes conv=notrunc,fsync status=none
	record_put "$next" "$cur" new
	say "next boot: $next, back to $cur if it never reaches its workload ($0 --rollback $out to go back by hand)"
	exit 0
fi

# ---- kernel, modules, initramfs ----------------------------------------------
bin=${CONTAINER:-$top/container}
[ -x "$bin" ] || die "$bin: not found (build container first: make)"
kb=${APPLIANCE_BUILD:-$top/build/appliance}
mods="virtio_pci virtio_blk overlay $fmt"
if [ -z "${KERNEL_DEB:-}" ]; then
	# the boot tests' download, if there is one: no second one
	KERNEL_DEB=$(ls "$top"/build/vm/cache/linux-image-*.deb 2>/dev/null | head -n 1 || true)
	[ -n "$KERNEL_DEB" ] || unset KERNEL_DEB
	[ -z "${KERNEL_DEB:-}" ] || export KERNEL_DEB
fi
say "kernel and modules ($mods)"
QUIET=1 MODULES="$mods" sh "$here/build.sh" "$kb" "$bin" >&2 || die "initramfs/build.sh failed"
kver=$(cat "$kb/kver")
root=$work/initramfs
mkdir -p "$root/lib/modules" "$root/dev" "$root/proc" "$root/sys" "$root/run" "$root/mnt" "$root/tmp"
cp -a "$kb/base/lib/modules/$kver" "$root/lib/modules/"
[ -e "$kb/base/dev/console" ] && cp -a "$kb/base/dev/console" "$root/dev/"
cp "$bin" "$root/init" && chmod 0755 "$root/init"
(cd "$root" && find . -mindepth 1 | LC_ALL=C sort |
	cpio -o -H newc -R 0:0 --reproducible --quiet | gzip -n -6) > "$work/initramfs.cpio.gz"

# ---- disk.img: GPT base-a, base-b, persist ------------------------------------
mb=$(( (isize + 1048575) / 1048576 ))
slot=${APPLIANCE_SLOT_MB:-$(( mb * 2 > 64 ? mb * 2 : 64 ))}
pmb=${APPLIANCE_PERSIST_MB:-256}
[ "$(( (isize + 1048575) / 1048576 ))" -le "$slot" ] || die "APPLIANCE_SLOT_MB=$slot: the image needs $mb"
disk=$work/disk.img
truncate -s $(( (slot * 2 + pmb + 2) * 1048576 )) "$disk"
printf 'label: gpt\nsize=%sMiB, name=base-a\nsize=%sMiB, name=base-b\nsize=%sMiB, name=persist\n' \
	"$slot" "$slot" "$pmb" | sfdisk -q "$disk" >/dev/null || die "sfdisk failed"
out_final=$out
out=$work  # part() reads $out/disk.img
set -- $(part base-a)
dd if="$work/base.$fmt" of="$disk" bs=1M seek="$1" oflag=seek_bytes conv=notrunc status=none
set -- $(part persist)
mkfs.ext4 -q -F -L persist -E offset="$1",root_owner=0:0 "$disk" "$(( $2 / 1024 ))k" ||
	die "mkfs.ext4 of persist failed"
out=$out_final

cmdline="console=ttyS0 panic=-1 quiet container.lower=PARTLABEL=base-a container.persist=PARTLABEL=persist container.modules=$(echo "$mods" | tr ' ' ,) container.name=app"
cat > "$work/run" <<EOF
#!/bin/sh
# Boot the appliance (Ctrl-A X quits QEMU); arguments go to QEMU.
# APPLIANCE_SERIAL=file:LOG sends the console to LOG instead of this terminal.
d=\$(cd "\$(dirname "\$0")" && pwd)
exec qemu-system-x86_64 -accel tcg -m "\${VM_MEM:-512}" -smp 1 -nodefaults -nographic \\
	-kernel "\$d/vmlinuz" -initrd "\$d/initramfs.cpio.gz" \\
	-append "\$(cat "\$d/cmdline")" \\
	-drive "file=\$d/disk.img,format=raw,if=virtio" \\
	-serial "\${APPLIANCE_SERIAL:-mon:stdio}" "\$@"
EOF
chmod 0755 "$work/run"
echo "$cmdline" > "$work/cmdline"
echo "$fmt" > "$work/format"
cp "$kb/vmlinuz" "$work/vmlinuz"
# Everything is ready: move it in (a failed build leaves OUTDIR as it was).
for f in vmlinuz initramfs.cpio.gz cmdline format run disk.img; do
	mv -f "$work/$f" "$out/$f"
done
say "$out: boot it with $out/run"
