#!/bin/sh
# mkrootfs.sh DIR - a minimal busybox root filesystem in DIR.
#
# DIR gets bin/busybox (copied from the host's static busybox), one relative
# symlink per applet at the path `busybox --list-full` names (bin, sbin,
# usr/bin, usr/sbin), etc/passwd and etc/group (root, nobody), and empty
# proc sys dev tmp run mnt root var.  No etc/hostname.  Idempotent: a DIR whose
# bin/busybox already equals the host's is left as it is.
#   BUSYBOX=/path/to/static/busybox overrides the source binary.
set -eu

[ $# -eq 1 ] || { echo "usage: $0 DIR" >&2; exit 2; }
dir=$1
bb=${BUSYBOX:-/bin/busybox}

# Up to date?  bin/busybox is copied last, so an interrupted run is redone.
if cmp -s "$bb" "$dir/bin/busybox" 2>/dev/null; then
	exit 0
fi

[ -x "$bb" ] || { echo "mkrootfs: $bb not found (install busybox-static)" >&2; exit 1; }
if command -v file >/dev/null 2>&1 && file -L "$bb" | grep -q "dynamically linked"; then
	echo "mkrootfs: $bb is dynamically linked; need busybox-static" >&2
	exit 1
fi
mkdir -p "$dir"
cd "$dir"
mkdir -p bin sbin usr/bin usr/sbin etc proc sys dev tmp run mnt root var
rm -f bin/busybox

# One symlink per applet, relative so that it resolves both inside the
# container and when DIR is inspected from the host.
"$bb" --list-full | while IFS= read -r p; do
	case $p in
	*/*) ;;
	*) continue ;;		# "linuxrc" at the top: not wanted
	esac
	d=${p%/*}
	case $d in
	bin) t=busybox ;;
	sbin) t=../bin/busybox ;;
	usr/bin | usr/sbin) t=../../bin/busybox ;;
	*) mkdir -p "$d"; t=/bin/busybox ;;
	esac
	[ -L "$p" ] && [ "$(readlink "$p")" = "$t" ] && continue
	rm -f "$p"
	ln -s "$t" "$p"
done

cat > etc/passwd <<'PW'
root:x:0:0:root:/root:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
PW
cat > etc/group <<'GR'
root:x:0:
nobody:x:65534:
GR
rm -f etc/hostname
chmod 0644 etc/passwd etc/group
chmod 1777 tmp
chmod 0700 root
chmod 0755 . bin sbin usr usr/bin usr/sbin etc proc sys dev run mnt var
# Last: marks the tree complete (see the check above).
cp "$bb" bin/busybox.tmp
chmod 0755 bin/busybox.tmp
mv -f bin/busybox.tmp bin/busybox
