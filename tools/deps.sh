#!/bin/sh
# Dependency step: install missing Debian packages, and build libcap-ng
# statically against musl under build/. Idempotent; called by make.
#   tools/deps.sh build   packages needed to build container
#   tools/deps.sh test    packages needed by make test (QEMU, images, ...)
#   tools/deps.sh bench   packages needed by make bench
#   tools/deps.sh capng   static libcap-ng in build/capng
#   tools/deps.sh headers kernel headers visible to musl-gcc in build/include
set -eu
B=${BUILD:-build}

need_pkgs() {
	missing=
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
			missing="$missing $p"
	done
	[ -z "$missing" ] && return 0
	if [ "$(id -u)" != 0 ]; then
		echo "deps: missing packages:$missing (run as root to install)" >&2
		exit 1
	fi
	echo "deps: installing$missing" >&2
	[ -e "$B/.apt-updated" ] || { apt-get update -qq && mkdir -p "$B" && touch "$B/.apt-updated"; }
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >&2
}

enable_deb_src() {
	f=/etc/apt/sources.list.d/container-deb-src.sources
	[ -e "$f" ] && return 0
	grep -rqs '^Types:.*deb-src\|^deb-src' /etc/apt/sources.list /etc/apt/sources.list.d && return 0
	cat > "$f" <<'SRC'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
	apt-get update -qq >&2
}

headers() {
	d=$B/include
	[ -e "$d/linux" ] && return 0
	mkdir -p "$d"
	ln -sfn /usr/include/linux "$d/linux"
	ln -sfn /usr/include/asm-generic "$d/asm-generic"
	ln -sfn /usr/include/x86_64-linux-gnu/asm "$d/asm"
}

capng() {
	lib=$B/capng/lib/libcap-ng.a
	[ -e "$lib" ] && return 0
	need_pkgs musl-tools dpkg-dev
	enable_deb_src
	rm -rf "$B/capng-src" && mkdir -p "$B/capng-src"
	(cd "$B/capng-src" && apt-get source -qq --download-only libcap-ng >&2 &&
		dpkg-source -x --no-check ./*.dsc src >/dev/null)
	headers
	inc=$(cd "$B/include" && pwd)
	(cd "$B/capng-src/src" &&
		CC=musl-gcc CFLAGS="-Os -ffunction-sections -fdata-sections" CPPFLAGS="-I$inc" ./configure -q --enable-static \
			--disable-shared --without-python3 --without-python >&2 &&
		make -s -C src >&2)
	mkdir -p "$B/capng/lib" "$B/capng/include"
	cp "$B/capng-src/src/src/.libs/libcap-ng.a" "$lib"
	cp "$B/capng-src/src/src/cap-ng.h" "$B/capng/include/"
}

case "${1:-build}" in
build)	need_pkgs musl-tools make file ;;
test)	need_pkgs musl-tools make file busybox-static squashfs-tools erofs-utils \
		podman containerd runc crun golang-github-containers-common \
		e2fsprogs cpio qemu-system-x86 kmod perl iproute2 util-linux curl \
		dpkg-dev zstd xz-utils clang libclang-rt-14-dev python3 \
		skopeo umoci jq fdisk prometheus chromium ;;
bench)	need_pkgs crun runc bubblewrap hyperfine util-linux iperf3 curl podman ;;
fuzz)	need_pkgs clang libclang-rt-14-dev ;;
capng)	capng ;;
headers) headers ;;
*)	echo "usage: $0 build|test|bench|fuzz|capng|headers" >&2; exit 2 ;;
esac
