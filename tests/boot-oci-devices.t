#!/bin/bash
# linux.resources.devices of config.json as a cgroup v2 device program
# (BPF_PROG_TYPE_CGROUP_DEVICE, attached to the container's group as runc
# does), proven where cgroup2 has its controllers: a guest whose /init is a
# shell that mounts cgroup2 and runs bundles with `container run --bundle`
# (the launcher, as on a host; the initramfs is first copied into a tmpfs,
# since nothing can pivot_root away from the initial rootfs). mknod(2) is
# what the program decides alone: nodev on the container's writable mounts
# does not stop it, CAP_MKNOD is held. With [deny all], making a block
# device node fails; with a rule allowing b 8:* m it succeeds for 8:0 and
# not for 9:0; the nodes every container has (c 1:3) stay allowed; a
# launcher container (no device program) makes the node: the control.
# Read and write: /dev/kmsg bound in (linux.devices) with a rule that
# allows reading it only.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/lib/vm.sh"
has_feature oci || skip_all "built without WITH_OCI"
command -v python3 >/dev/null || skip_all "no python3 (tools/deps.sh test installs it)"
vm_tests_init

I=$T/initrd
sh "$TOP/tests/lib/mkrootfs.sh" "$I" >&2 || bail "mkrootfs.sh $I"
sh "$TOP/tests/lib/mkrootfs.sh" "$I/rootfs" >&2 || bail "mkrootfs.sh $I/rootfs"
cp "$C" "$I/container" || bail "copy $C"
# the control (a launcher container) needs overlayfs, a module of this kernel
ov=$(find "$VMDIR/cache/kernel/lib/modules/$VM_KVER" -name 'overlay.ko*' | head -n 1)
case $ov in
*.ko) cp "$ov" "$I/overlay.ko" ;;
*.xz) xz -dc "$ov" >"$I/overlay.ko" ;;
*.zst) zstd -qdc "$ov" >"$I/overlay.ko" ;;
*) bail "no overlay module in $VMDIR/cache/kernel" ;;
esac
mkdir -p "$I/new" "$I/sys/fs"

probe='for n in b:8:0 b:9:0 c:1:3 c:4:1; do
  set -- $(echo $n | tr : " ");
  if mknod /tmp/$1$2-$3 $1 $2 $3 2>/dev/null; then echo mknod-$1$2-$3=ok; else echo mknod-$1$2-$3=denied; fi;
done;
echo x > /dev/null && echo devnull=ok'
for b in deny allow none; do
	case $b in
	deny)	devices='[{"allow":false,"access":"rwm"}]' ;;
	allow)	devices='[{"allow":false,"access":"rwm"},{"allow":true,"type":"b","major":8,"minor":-1,"access":"m"}]' ;;
	none)	devices=null ;;
	esac
	mkdir -p "$I/b-$b"
	python3 "$TOP/tests/lib/oci-bundle.py" "$I/b-$b/config.json" /rootfs \
		"process.args=[\"/bin/sh\",\"-c\",$(printf '%s' "$probe" | python3 -c 'import json,sys;print(json.dumps(sys.stdin.read()))')]" \
		"process.capabilities.bounding=[\"CAP_MKNOD\"]" "process.capabilities.effective=[\"CAP_MKNOD\"]" \
		"process.capabilities.permitted=[\"CAP_MKNOD\"]" \
		"linux.resources={\"devices\":$devices}" || bail "oci-bundle.py"
done
# read and write, decided by the access of a rule: /dev/kmsg (c 1:11)
# bound in through linux.devices, to be opened for reading only (the guest
# lifts dmesg_restrict, so that only the program decides)
for b in r rw; do
	mkdir -p "$I/b-$b"
	python3 "$TOP/tests/lib/oci-bundle.py" "$I/b-$b/config.json" /rootfs \
		'process.args=["/bin/sh","-c","if (exec 3</dev/kmsg) 2>/dev/null; then echo read=ok; else echo read=denied; fi; if (exec 3>/dev/kmsg) 2>/dev/null; then echo write=ok; else echo write=denied; fi"]' \
		'linux.devices=[{"path":"/dev/kmsg","type":"c","major":1,"minor":11,"fileMode":420}]' \
		"linux.resources={\"devices\":[{\"allow\":false,\"access\":\"rwm\"},{\"allow\":true,\"type\":\"c\",\"major\":1,\"minor\":11,\"access\":\"$b\"}]}" ||
		bail "oci-bundle.py"
done
# /init: out of the initial rootfs into a tmpfs, then the bundles; the
# console lines are prefixed by the bundle's name
cat >"$I/init" <<EOF
#!/bin/sh
PATH=/bin:/sbin:/usr/bin:/usr/sbin
if [ ! -e /moved ]; then
	mount -t tmpfs -o size=256m tmpfs /new
	for f in /*; do [ "\$f" = /new ] || cp -a "\$f" /new/; done
	touch /new/moved
	exec switch_root /new /init
fi
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tmpfs tmpfs /run
mount -t tmpfs tmpfs /tmp
mount -t cgroup2 cgroup2 /sys/fs/cgroup
insmod /overlay.ko
echo 0 > /proc/sys/kernel/dmesg_restrict
echo controllers=\$(cat /sys/fs/cgroup/cgroup.controllers | tr ' ' ,)
for b in deny allow none r rw; do
	/container run --bundle /b-\$b dev-\$b > /tmp/out 2>&1
	echo \$b-rc=\$?
	sed "s/^/\$b-/" /tmp/out
done
/container run --rootfs /rootfs --persist /tmp/persist control -- /bin/sh -c '$(printf '%s' "$probe" | tr '\n' ' ')' > /tmp/out 2>&1
echo control-rc=\$?
sed "s/^/control-/" /tmp/out
echo guest-done
poweroff -f
EOF
chmod 755 "$I/init"
(cd "$I" && find . -mindepth 1 | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet | gzip -1) >"$T/initrd.gz" ||
	bail "cpio"
VM_INITRD=$T/initrd.gz
vm_run devices "" "" 180
ok "$(vm_has '^guest-done'; echo $?)" "the guest ran every bundle and powered off" || vm_diag_tail
like "$(vm_get controllers)" 'pids' "cgroup2 has controllers in the guest ($(vm_get controllers))"

is "$(vm_get deny-rc)" 0 "[deny all]: the bundle runs" || vm_diag_tail
is "$(vm_get deny-mknod-b8-0)" denied "[deny all]: mknod b 8 0 refused by the device program"
is "$(vm_get deny-mknod-c4-1)" denied "[deny all]: mknod c 4 1 refused"
is "$(vm_get deny-mknod-c1-3)" ok "[deny all]: c 1:3 (/dev/null's number) stays allowed, as runc's defaults"
is "$(vm_get deny-devnull)" ok "[deny all]: /dev/null can be written"

is "$(vm_get allow-rc)" 0 "[allow b 8:* m]: the bundle runs" || vm_diag_tail
is "$(vm_get allow-mknod-b8-0)" ok "[allow b 8:* m]: mknod b 8 0 allowed"
is "$(vm_get allow-mknod-b9-0)" denied "[allow b 8:* m]: mknod b 9 0 still refused"

is "$(vm_get none-rc)" 0 "no devices list: the bundle runs" || vm_diag_tail
is "$(vm_get none-mknod-b8-0)" denied "no devices list: only the nodes every container has"

is "$(vm_get r-rc)" 0 "[deny all, allow c 1:11 r]: the bundle runs" || vm_diag_tail
is "$(vm_get r-read)" ok "[deny all, allow c 1:11 r]: /dev/kmsg (bound in) opens for reading"
is "$(vm_get r-write)" denied "[deny all, allow c 1:11 r]: ... not for writing"
is "$(vm_get rw-write)" ok "[deny all, allow c 1:11 rw]: ... and for writing with w in the rule"

is "$(vm_get control-rc)" 0 "control: a launcher container runs" || vm_diag_tail
is "$(vm_get control-mknod-b8-0)" ok "control: without a device program, mknod b 8 0 succeeds"

done_testing
