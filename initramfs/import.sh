#!/bin/sh
# import.sh [--erofs] SRC OUT - an OCI image as a base image for container.
#
# SRC is any reference skopeo understands: oci-archive:FILE,
# docker-archive:FILE, oci:DIR[:TAG], containers-storage:REF (also
# containers-storage:[DRIVER@ROOT+RUNROOT]REF for a private store),
# dir:DIR, docker://REF.  OUT is a NAME, installed atomically as
# <images>/NAME.squashfs (or .erofs), or a path ending in .squashfs or
# .erofs.  <images> is $CONTAINER_IMAGES, else /var/lib/container/images.
#
# Steps: skopeo copies SRC into an OCI layout in a private work directory;
# every layer is checked (see below); umoci applies the layers with their
# whiteouts (.wh.NAME deletes NAME, .wh..wh..opq empties a directory),
# resolving every path inside the target; the image config becomes
# /.container/image (the saved-config format of container: entrypoint,
# cmd, env, workdir, user as UID:GID, stop signal, exposed ports, labels,
# source, digest, created); mksquashfs or mkfs.erofs builds the image,
# which gets the same config text appended as a trailer (so that
# `container run --image` and `container images` read it without a
# mount); then one rename installs it.  An interrupted import leaves the
# old image as it was and nothing in the work directory.
#
# Layer checks, each refused with one line and exit 1, before anything is
# written outside the work directory:
#   a member or hard-link target with a ".." component;
#   a character or block device node (an image carries none; a workload
#   that needs one gets it from the runtime).
# Absolute symlinks are kept as they are: they resolve inside the
# container; while the layers are applied nothing is written through them.
#
# Environment: CONTAINER_IMAGES (the store), SQUASHFS_COMP (mksquashfs
# compressor, default gzip), TMPDIR (where the work directory goes).
set -eu

prog=import
die() { echo "$prog: $*" >&2; exit 1; }
say() { [ -z "$tty" ] || echo "$prog: $*" >&2; }
usage() { echo "usage: $0 [--erofs] SRC NAME|PATH.squashfs|PATH.erofs" >&2; exit 2; }

fmt=squashfs
[ "${1:-}" = --erofs ] && { fmt=erofs; shift; }
[ $# -eq 2 ] || usage
src=$1
out=$2
tty=
[ -t 2 ] && tty=1

# ---- arguments, before anything is written --------------------------------
case $src in
oci-archive:?* | docker-archive:?* | oci:?* | containers-storage:?* | dir:?* | docker://?* | docker-daemon:?*) ;;
*:*) die "$src: unknown transport '${src%%:*}:' (use oci-archive:, docker-archive:, oci:, containers-storage:, dir:, docker://)" ;;
*) die "$src: not an image reference (use oci-archive:FILE, docker-archive:FILE, oci:DIR[:TAG], containers-storage:REF, dir:DIR)" ;;
esac
store=${CONTAINER_IMAGES:-/var/lib/container/images}
case $out in
*.squashfs) fmt=squashfs; dest=$out ;;
*.erofs) fmt=erofs; dest=$out ;;
*/*) die "$out: a path must end in .squashfs or .erofs" ;;
*)
	echo "$out" | grep -Eqx '[A-Za-z0-9][A-Za-z0-9_.-]{0,63}' ||
		die "invalid image name '$out': use [A-Za-z0-9][A-Za-z0-9_.-]{0,63}"
	dest=$store/$out.$fmt ;;
esac
for t in skopeo umoci jq tar; do
	command -v "$t" >/dev/null 2>&1 || die "$t not found (tools/deps.sh test installs it)"
done
if [ $fmt = squashfs ]; then mk=mksquashfs; else mk=mkfs.erofs; fi
command -v $mk >/dev/null 2>&1 || die "$mk not found (install squashfs-tools or erofs-utils)"
[ "$(id -u)" = 0 ] || die "run as root (the image keeps its files' owners and modes)"

work=$(mktemp -d "${TMPDIR:-/tmp}/import.XXXXXX")
tmp=
cleanup() {
	rm -rf "$work"
	[ -z "$tmp" ] || rm -f "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# The one line that says why a tool failed: skopeo and umoci log
# 'level=fatal msg="..."'; else the last line.
fail() { # WHAT LOG
	why=$(sed -n 's/.*level=fatal msg="\(.*\)".*/\1/p' "$2" | tail -n 1)
	[ -n "$why" ] || why=$(grep -v '^[[:space:]]*$' "$2" | tail -n 1)
	die "$1: ${why:-failed}"
}

# ---- copy into an OCI layout ----------------------------------------------
say "copying $src"
q=-q
[ -z "$tty" ] || q=
# shellcheck disable=SC2086
skopeo copy $q "$src" "oci:$work/oci:img" 2>"$work/log" || fail "$src" "$work/log"
blobs=$work/oci/blobs/sha256
manifest=$(jq -r '.manifests[0].digest' "$work/oci/index.json") || die "$src: no manifest"
mfile=$blobs/${manifest#sha256:}
cfile=$blobs/$(jq -r '.config.digest' "$mfile" | sed 's/^sha256://')
[ -s "$cfile" ] || die "$src: the image has no config blob"

# ---- check every layer ----------------------------------------------------
n=$(jq '.layers | length' "$mfile")
i=0
for d in $(jq -r '.layers[].digest' "$mfile"); do
	i=$((i + 1))
	blob=$blobs/${d#sha256:}
	say "layer $i/$n ${d#sha256:} $(wc -c < "$blob") bytes"
	tar -tvf "$blob" > "$work/list" 2>"$work/log" || fail "layer $i ($d)" "$work/log"
	bad=$(awk '
		function dotdot(p) { return p ~ /(^|\/)\.\.(\/|$)/ }
		{
			t = substr($1, 1, 1)
			# the name starts in field 6; a hard link ends " link to TARGET"
			name = $0; for (k = 1; k < 6; k++) sub(/^[^ ]+ +/, "", name)
			if (t == "c" || t == "b") { print "device node " name " (an image carries none)"; exit }
			if (t == "h") { split(name, hl, / link to /); if (dotdot(hl[1]) || dotdot(hl[2])) { print "hard link " name " leaves the root"; exit } ; next }
			if (t == "l") sub(/ -> .*/, "", name)
			if (dotdot(name)) { print "member " name " leaves the root"; exit }
		}' "$work/list")
	[ -z "$bad" ] || die "layer $i ($d): $bad: refused"
done

# ---- apply the layers -----------------------------------------------------
say "applying $n layers"
umoci unpack --image "$work/oci:img" "$work/bundle" >"$work/log" 2>&1 || fail "$src: unpack" "$work/log"
root=$work/bundle/rootfs

# ---- the image config as /.container/image --------------------------------
user=
if [ -n "$(jq -r '.config.User // empty' "$cfile")" ]; then
	user=$(jq -r '"\(.process.user.uid):\(.process.user.gid)"' "$work/bundle/config.json")
fi
digest=$(jq -r '.config.digest' "$mfile")
mkdir -p "$root/.container"
jq -r --arg user "$user" --arg src "$src" --arg digest "$digest" '
	def esc: gsub("\\\\"; "\\\\") | gsub("\n"; "\\n");
	def opt(k): "--" + k, (tostring | esc);
	"# container config 1",
	(.config.Entrypoint // [] | .[] | opt("entrypoint")),
	(.config.Env // [] | .[] | opt("env")),
	(.config.WorkingDir // "" | select(. != "") | opt("workdir")),
	($user | select(. != "") | opt("user")),
	(.config.StopSignal // "" | select(. != "") | opt("stop-signal")),
	(.config.ExposedPorts // {} | keys[] | opt("expose")),
	(.config.Labels // {} | to_entries[] | "\(.key)=\(.value)" | opt("label")),
	($src | opt("source")),
	($digest | opt("digest")),
	(.created // "" | select(. != "") | opt("created")),
	"--",
	(.config.Cmd // [] | .[] | esc),
	"# end"' "$cfile" > "$root/.container/image"
chmod 0644 "$root/.container/image"

# ---- build, append the trailer, install ------------------------------------
mkdir -p "$(dirname "$dest")"
tmp=$(dirname "$dest")/.$(basename "$dest").$$.tmp
say "building $fmt"
if [ $fmt = squashfs ]; then
	p=-no-progress
	[ -z "$tty" ] || p=
	# shellcheck disable=SC2086
	mksquashfs "$root" "$tmp" -noappend -comp "${SQUASHFS_COMP:-gzip}" $p >"$work/log" 2>&1 ||
		fail "mksquashfs" "$work/log"
else
	mkfs.erofs --quiet "$tmp" "$root" >"$work/log" 2>&1 || fail "mkfs.erofs" "$work/log"
fi
# The trailer: the config text, then one fixed-size line with its length.
# Both filesystems ignore what follows their last block.
len=$(wc -c < "$root/.container/image")
{ cat "$root/.container/image"; printf '# container image %010d\n' "$len"; } >> "$tmp"
sync "$tmp" 2>/dev/null || sync
mv -f "$tmp" "$dest"
tmp=
case $dest in
"$store"/*.squashfs) rm -f "${dest%.squashfs}.erofs" ;;
"$store"/*.erofs) rm -f "${dest%.erofs}.squashfs" ;;
esac
say "$dest: $(wc -c < "$dest") bytes, $digest"
[ -n "$tty" ] || echo "$dest"
