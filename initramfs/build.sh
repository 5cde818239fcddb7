#!/bin/sh
# -nt and -ef: not POSIX, but in every sh this runs under (dash, bash, busybox).
# shellcheck disable=SC3013,SC2012
# build.sh OUTDIR CONTAINER_BINARY
#
# Builds what the boot tests and `make demo` need to run `container` as /init
# of a real Linux kernel under QEMU:
#
#   OUTDIR/vmlinuz            the Debian cloud kernel (never installed on the host)
#   OUTDIR/kver               its version string (uname -r)
#   OUTDIR/initramfs.cpio.gz  newc+gzip: /init = CONTAINER_BINARY,
#                             /lib/modules/$KVER/ (needed modules, modules.dep),
#                             /lower.squashfs and /lower.erofs (a busybox root),
#                             empty /dev /proc /sys /run /mnt /tmp
#   OUTDIR/lower.squashfs     the same base images, to attach as disks
#   OUTDIR/lower.erofs
#
# OUTDIR/cache keeps the downloaded kernel package, so repeated runs need no
# network.  Incremental: the initramfs is two concatenated gzip'd cpio
# archives, the big one (modules, base images) rebuilt only when its inputs
# change, the small one holding /init re-packed when the binary changes.
#
# Environment:
#   KERNEL_PKG     Debian package to take the kernel from
#                  (default linux-image-cloud-amd64; its versioned dependency is used)
#   KERNEL_DEB     a local linux-image .deb to use instead of downloading
#   MODULES        modules to include, dependencies added from modules.dep
#   EXTRA_MODULES  more modules, appended to MODULES
#   SQUASHFS_COMP  mksquashfs compressor (default gzip)
set -eu

usage() { echo "usage: $0 OUTDIR CONTAINER_BINARY" >&2; exit 2; }
die() { echo "initramfs: $*" >&2; exit 1; }
log() { [ -n "${QUIET:-}" ] || echo "initramfs: $*" >&2; }

[ $# -eq 2 ] || usage
out=$1
bin=$2
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
self=$here/build.sh

[ -f "$bin" ] || die "$bin: no such file (build container first: make)"
[ -x "$bin" ] || die "$bin: not executable"

: "${KERNEL_PKG:=linux-image-cloud-amd64}"
: "${MODULES:=virtio_pci virtio_blk virtio_net overlay squashfs erofs loop}"
: "${SQUASHFS_COMP:=gzip}"
mods=$(echo "$MODULES ${EXTRA_MODULES:-}" | tr ',' ' ')

for t in cpio gzip depmod mksquashfs mkfs.erofs dpkg-deb; do
	command -v "$t" >/dev/null 2>&1 || die "$t not found (tools/deps.sh test installs it)"
done

mkdir -p "$out/cache"
out=$(cd "$out" && pwd)
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
cache=$out/cache

# One build at a time per OUTDIR (tests may start in parallel).
if command -v flock >/dev/null 2>&1 && [ -z "${_INITRAMFS_LOCKED:-}" ]; then
	export _INITRAMFS_LOCKED=1
	exec flock "$out/.lock" sh "$self" "$@"
fi

# ---- kernel ---------------------------------------------------------------
# cache/kernel/ is the unpacked package, with a modules.dep made by depmod
# (the package ships none).  cache/kernel/.ok marks a complete unpack.
kdir=$cache/kernel
if [ ! -e "$kdir/.ok" ]; then
	deb=${KERNEL_DEB:-}
	if [ -z "$deb" ]; then
		deb=$(ls "$cache"/linux-image-*.deb 2>/dev/null | head -n 1 || true)
	fi
	if [ -z "$deb" ]; then
		command -v apt-get >/dev/null 2>&1 || die "no apt-get: set KERNEL_DEB=/path/to/linux-image.deb"
		pkg=$KERNEL_PKG
		# A metapackage: take the versioned image it depends on.
		dep=$(apt-cache depends "$pkg" 2>/dev/null |
			sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*\)$/\1/p' | head -n 1)
		[ -n "$dep" ] && pkg=$dep
		log "downloading $pkg"
		# apt's _apt user must be able to write here, or apt warns.
		chmod 0777 "$cache" 2>/dev/null || true
		(cd "$cache" && apt-get download -q "$pkg" >&2) ||
			die "apt-get download $pkg failed (run apt-get update, or set KERNEL_DEB)"
		chmod 0755 "$cache" 2>/dev/null || true
		deb=$(ls "$cache"/linux-image-*.deb | head -n 1)
	fi
	log "unpacking $(basename "$deb")"
	rm -rf "$kdir" && mkdir -p "$kdir"
	dpkg-deb -x "$deb" "$kdir"
	kver=$(ls "$kdir/lib/modules" | head -n 1)
	[ -n "$kver" ] || die "$deb: no lib/modules/VERSION"
	[ -f "$kdir/boot/vmlinuz-$kver" ] || die "$deb: no boot/vmlinuz-$kver"
	depmod -b "$kdir" "$kver"
	echo "$kver" > "$kdir/.ok"
fi
kver=$(cat "$kdir/.ok")
kconfig=$kdir/boot/config-$kver
kmod=$kdir/lib/modules/$kver

if ! cmp -s "$kdir/boot/vmlinuz-$kver" "$out/vmlinuz"; then
	cp "$kdir/boot/vmlinuz-$kver" "$out/vmlinuz.tmp" && mv -f "$out/vmlinuz.tmp" "$out/vmlinuz"
fi
[ "$(cat "$out/kver" 2>/dev/null || true)" = "$kver" ] || echo "$kver" > "$out/kver"

# ---- base images ----------------------------------------------------------
rootfs=$out/rootfs
sh "$top/tests/lib/mkrootfs.sh" "$rootfs"
if [ ! -s "$out/lower.squashfs" ] || [ "$rootfs/bin/busybox" -nt "$out/lower.squashfs" ] ||
	[ "$self" -nt "$out/lower.squashfs" ]; then
	log "lower.squashfs"
	rm -f "$out/lower.squashfs.tmp"
	mksquashfs "$rootfs" "$out/lower.squashfs.tmp" -comp "$SQUASHFS_COMP" \
		-all-root -noappend -no-progress -quiet >/dev/null
	mv -f "$out/lower.squashfs.tmp" "$out/lower.squashfs"
fi
if [ ! -s "$out/lower.erofs" ] || [ "$rootfs/bin/busybox" -nt "$out/lower.erofs" ] ||
	[ "$self" -nt "$out/lower.erofs" ]; then
	log "lower.erofs"
	rm -f "$out/lower.erofs.tmp"
	mkfs.erofs --quiet --all-root "$out/lower.erofs.tmp" "$rootfs" >/dev/null
	mv -f "$out/lower.erofs.tmp" "$out/lower.erofs"
fi

# ---- modules --------------------------------------------------------------
# Resolve MODULES and their dependencies against the full modules.dep,
# dependencies first (the order insmod needs).  Built-in modules are skipped.
resolve() {
	awk -v want="$mods" -v builtin="$kmod/modules.builtin" '
	function norm(p,  n) { n = p; sub(/.*\//, "", n); sub(/\.ko(\.[a-z]+)?$/, "", n)
		gsub(/-/, "_", n); return n }
	BEGIN { while ((getline l < builtin) > 0) isbuiltin[norm(l)] = 1 }
	{ sub(/:$/, "", $1); f = $1; path[norm(f)] = f
	  d = ""; for (i = 2; i <= NF; i++) d = d " " $i; deps[norm(f)] = d }
	function add(m,  n, i, a) {
		if (m in done) return; done[m] = 1
		n = split(deps[m], a, " ")
		for (i = n; i >= 1; i--) add(norm(a[i]))
		print path[m]
	}
	END {
		n = split(want, w, " ")
		for (i = 1; i <= n; i++) {
			m = w[i]; gsub(/-/, "_", m)
			if (m in path) add(m)
			else if (m in isbuiltin) continue
			else { print "initramfs: no module " w[i] > "/dev/stderr"; bad = 1 }
		}
		exit bad
	}' "$kmod/modules.dep"
}
modlist=$(resolve) || die "unknown module in: $mods"

# Modules compressed (.ko.xz, .ko.zst, .ko.gz) are stored decompressed unless
# the kernel can decompress them itself (CONFIG_MODULE_DECOMPRESS).
decompress=1
grep -q '^CONFIG_MODULE_DECOMPRESS=y' "$kconfig" 2>/dev/null && decompress=0

base=$out/base
want="$kver decompress=$decompress
$modlist"
if [ "$(cat "$out/modules.list" 2>/dev/null || true)" != "$want" ] ||
	[ ! -d "$base/lib/modules/$kver" ] || [ "$self" -nt "$out/modules.list" ]; then
	log "modules for $kver: $(echo "$modlist" | sed 's|.*/||; s|\.ko.*||' | tr '\n' ' ')"
	rm -rf "$base/lib/modules"
	dst=$base/lib/modules/$kver
	mkdir -p "$dst"
	for f in $modlist; do
		mkdir -p "$dst/$(dirname "$f")"
		case $decompress:$f in
		1:*.ko.xz) xz -dc "$kmod/$f" > "$dst/${f%.xz}" ;;
		1:*.ko.zst) zstd -qdc "$kmod/$f" > "$dst/${f%.zst}" ;;
		1:*.ko.gz) gzip -dc "$kmod/$f" > "$dst/${f%.gz}" ;;
		*) cp "$kmod/$f" "$dst/$f" ;;
		esac
	done
	for f in modules.builtin modules.builtin.modinfo modules.order; do
		[ -f "$kmod/$f" ] && cp "$kmod/$f" "$dst/"
	done
	depmod -b "$base" "$kver"
	# Keep the text indexes; the binary ones and the big builtin tables are
	# for kmod, which the initramfs does not have.
	(cd "$dst" && rm -f ./*.bin modules.builtin.modinfo modules.symbols modules.devname)
	echo "$want" > "$out/modules.list"
fi

# ---- base archive: everything but /init -----------------------------------
mkdir -p "$base"
(cd "$base" && mkdir -p dev proc sys run mnt tmp root && chmod 1777 tmp && chmod 0700 root)
# /dev/console for the kernel to open before /init runs (its built-in
# initramfs has one too; this does not hurt).
if [ ! -e "$base/dev/console" ] && [ "$(id -u)" = 0 ]; then
	mknod -m 600 "$base/dev/console" c 5 1 || true
fi
for f in lower.squashfs lower.erofs; do
	if ! [ "$base/$f" -ef "$out/$f" ]; then
		rm -f "$base/$f"
		ln "$out/$f" "$base/$f" 2>/dev/null || cp "$out/$f" "$base/$f"
	fi
done

mkcpio() { # DIR > archive.gz
	(cd "$1" && find . -mindepth 1 | LC_ALL=C sort |
		cpio -o -H newc -R 0:0 --reproducible --quiet | gzip -n -6)
}

if [ ! -s "$out/base.cpio.gz" ] || [ "$self" -nt "$out/base.cpio.gz" ] ||
	[ -n "$(find "$base" -newer "$out/base.cpio.gz" 2>/dev/null | head -n 1)" ] ||
	[ "$out/lower.squashfs" -nt "$out/base.cpio.gz" ] ||
	[ "$out/lower.erofs" -nt "$out/base.cpio.gz" ]; then
	log "base.cpio.gz"
	mkcpio "$base" > "$out/base.cpio.gz.tmp"
	mv -f "$out/base.cpio.gz.tmp" "$out/base.cpio.gz"
fi

# ---- /init archive, and the whole ----------------------------------------
if [ ! -s "$out/initramfs.cpio.gz" ] || [ "$bin" -nt "$out/initramfs.cpio.gz" ] ||
	[ "$out/base.cpio.gz" -nt "$out/initramfs.cpio.gz" ] ||
	! cmp -s "$bin" "$out/initroot/init"; then
	log "initramfs.cpio.gz (/init = $(basename "$bin"))"
	rm -rf "$out/initroot" && mkdir -p "$out/initroot"
	cp "$bin" "$out/initroot/init"
	chmod 0755 "$out/initroot/init"
	{ cat "$out/base.cpio.gz"; mkcpio "$out/initroot"; } > "$out/initramfs.cpio.gz.tmp"
	mv -f "$out/initramfs.cpio.gz.tmp" "$out/initramfs.cpio.gz"
fi
