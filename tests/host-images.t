#!/bin/bash
# OCI images (SPEC 11): a real image built by `podman build` (whiteout,
# opaque directory, ENTRYPOINT, CMD, ENV, WORKDIR, USER, STOPSIGNAL),
# exported as oci-archive, docker-archive and read from containers-storage,
# imported by initramfs/import.sh into a private image store, then run
# with --image by Docker's rules; bad input refused with one line and
# nothing written; an interrupted import keeps the old image.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/lib/images.sh"
need_root
need_container
has_feature images || skip_all "built without WITH_IMAGES"
has_feature loop || skip_all "built without WITH_LOOP (image files)"
for t in podman skopeo umoci jq mksquashfs unsquashfs mkfs.erofs; do
	command -v $t >/dev/null 2>&1 || skip_all "no $t (tools/deps.sh test installs it)"
done
need_rootfs

IMP=$TOP/initramfs/import.sh
export CONTAINER_IMAGES=$T/store
mkdir -p "$T/tmp" "$T/outside"
export TMPDIR=$T/tmp    # import.sh's work directories: must stay empty
images_build "$T/img" || bail "podman build of the test images failed"
defer $PM rm -af
APP=localhost/ctest:1

# --- three exports, three imports, one tree -----------------------------------

$PM save -q --format oci-archive -o "$T/app.oci.tar" $APP 2>/dev/null
$PM save -q --format docker-archive -o "$T/app.docker.tar" $APP 2>/dev/null
declare -A SRC=([oci]="oci-archive:$T/app.oci.tar" [docker]="docker-archive:$T/app.docker.tar" [cs]="$CS$APP")
for k in oci docker cs; do
	capture "$IMP" "${SRC[$k]}" app-$k
	is "$RC" 0 "import from ${SRC[$k]%%:*}: succeeds" || diag "$ERR"
	is "$OUT" "$T/store/app-$k.squashfs" "import from ${SRC[$k]%%:*}: installs <images>/app-$k.squashfs"
done

tree_of() { # IMAGE DIR: paths, types and modes, owners, sizes, link targets
	unsquashfs -q -d "$2" "$1" >/dev/null 2>&1 &&
		(cd "$2" && find . -path ./.container -prune -o -printf '%p %y%m %U:%G %s %l\n' | sort)
}
tree_of "$T/store/app-cs.squashfs" "$T/t-cs" > "$T/tree-cs"
for k in oci docker; do
	tree_of "$T/store/app-$k.squashfs" "$T/t-$k" > "$T/tree-$k"
	d=$(diff "$T/tree-cs" "$T/tree-$k")
	is "$d" "" "the $k archive gives the same tree as containers-storage (paths, modes, owners, sizes)"
done
like "$(wc -l < "$T/tree-cs")" '^[0-9]{3,}$' "the tree is the whole busybox root ($(wc -l < "$T/tree-cs") entries)"
[ ! -e "$T/t-cs/etc/deleteme" ] && [ ! -L "$T/t-cs/etc/deleteme" ]
ok $? "a file deleted by a later layer (whiteout) is absent"
is "$(ls -A "$T/t-cs/opt/data" | tr '\n' ' ')" "new " "a replaced directory (opaque) holds only its new content"
grep -q '^\./app\.sh f755 0:0 ' "$T/tree-cs"
ok $? "the entrypoint is there with its mode"
grep -q '^\./srv/app d755 1000:1000 ' "$T/tree-cs"
ok $? "owners are kept (the workdir belongs to app)"

cfg=$(cat "$T/t-cs/.container/image")
like "$cfg" $'^# container config 1\n' "/.container/image is in the saved-config format"
like "$cfg" $'\n--entrypoint\n/app\\.sh\n' "it holds the entrypoint"
like "$cfg" $'\n--user\n1000:1000\n' "USER app as the numeric 1000:1000 from the image's passwd"
like "$cfg" $'\n--workdir\n/srv/app\n' "the workdir"
like "$cfg" $'\n--env\nGREETING=hello\n' "the env"
like "$cfg" $'\n--stop-signal\nSIGUSR1\n' "the stop signal"
like "$cfg" $'\n--\none\ntwo\n# end$' "and CMD after --"
like "$cfg" $'\n--source\ncontainers-storage:' "and the source reference"

capture ctr images
is "$RC" 0 "container images: succeeds"
like "$OUT" $'(^|\n)app-cs +[0-9.]+M +[0-9T:-]+ +[0-9a-f]{12} +containers-storage:' "lists name, size, created, digest, source"
like "$OUT" $'\napp-oci .*oci-archive:' "each import with its own source"

# --- run --image, by Docker's rules -----------------------------------------------

n=$(name_for img)
capture ctr run --image app-cs --persist "$P" "$n"
is "$RC" 0 "run --image: the entrypoint runs"
is "$(head -n 1 <<<"$OUT")" "greeting=hello version=1 user=1000:1000 pwd=/srv/app args=one two" \
	"ENTRYPOINT + CMD, as the image's user, in its workdir, with its env"
is "$(sed -n 2p <<<"$OUT")" "note=" "nothing written yet"
capture ctr start -a "$n"
like "$OUT" $'args=one two\nnote=v1,$' "start applies the image's config again (no command was saved), over the kept changes"
unlike "$(cat "$P/$n/config")" $'\n/app\\.sh\n' "the saved config holds the user's options, not the image's"
capture ctr run --image app-cs --persist "$P" "$n" -- x "y z"
is "$(head -n 1 <<<"$OUT")" "greeting=hello version=1 user=1000:1000 pwd=/srv/app args=x y z" \
	"a command after -- replaces CMD and keeps ENTRYPOINT"
is "$(sed -n 2p <<<"$OUT")" "note=v1,v1," "the container's changes persist between runs"
capture ctr run --image app-cs --persist "$P" -e GREETING=bye -e EXTRA=1 -u 0:0 -w /tmp "$n"
is "$(head -n 1 <<<"$OUT")" "greeting=bye version=1 user=0:0 pwd=/tmp args=one two" "-e, -u and -w win over the image's"
capture ctr run --image app-cs --persist "$P" --entrypoint /bin/echo "$n"
is "$OUT" "" "--entrypoint replaces ENTRYPOINT and drops CMD"
capture ctr run --image app-cs --persist "$P" --entrypoint /bin/echo "$n" -- hi there
is "$OUT" "hi there" "--entrypoint with a command"

n3=$(name_for create)
capture ctr create --image app-cs --persist "$P" "$n3"
is "$RC" 0 "create --image (the launcher's pre-warm)" || diag "$ERR"
capture ctr start -a "$n3"
is "$(head -n 1 <<<"$OUT")" "greeting=hello version=1 user=1000:1000 pwd=/srv/app args=one two" \
	"start of a created --image container runs the image's entrypoint"
capture ctr create --image nothing --persist "$P" "$(name_for create2)"
like "$RC:$ERR" '^125:container: image nothing: not found' "create --image naming nothing: exit 125, one line"

n2=$(name_for sig)
capture ctr run -d --image app-cs --persist "$P" --entrypoint /bin/sh "$n2" -- -c \
	'trap "echo got-usr1; exit 7" USR1; echo up; while :; do sleep 0.1; done'
is "$RC" 0 "run -d --image"
wait_for "/run/container/$n2/log" '^up$' 10
capture ctr stop -t 5 "$n2"
like "$(cat "/run/container/$n2/log")" 'got-usr1' "stop sends the image's STOPSIGNAL (SIGUSR1)"
like "$(ctr state "$n2")" '"exitCode":7' "and the workload ended by its own handler"

capture "$IMP" --erofs "$CS$APP" app-ero
is "$RC" 0 "import --erofs" || diag "$ERR"
is "$OUT" "$T/store/app-ero.erofs" "installs <images>/app-ero.erofs"
capture ctr run --image app-ero --volatile --persist "$P" "$(name_for ero)"
is "$(head -n 1 <<<"$OUT")" "greeting=hello version=1 user=1000:1000 pwd=/srv/app args=one two" "run --image of an erofs image"

capture "$IMP" "${CS}localhost/ctest:2" app-cs
is "$RC" 0 "a second version under the same name"
capture ctr run --image app-cs --persist "$P" "$n"
like "$OUT" $'version=2 .*\nnote=v1,v1,v1,$' "run --image takes the new version over the kept changes"

# --- PARTLABEL= and PARTUUID=: a GPT partition found by reading the table -------------

if command -v sfdisk >/dev/null 2>&1 && has_feature probe; then
	label=ctest-$$
	truncate -s 8M "$T/gpt.img"
	printf 'label: gpt\nsize=4MiB, name=%s\n' "$label" | sfdisk -q "$T/gpt.img" >/dev/null
	dd if="$T/store/app-cs.squashfs" of="$T/gpt.img" bs=1M seek=1 conv=notrunc status=none
	loop=$(losetup -P -f --show "$T/gpt.img")
	defer losetup -d "$loop"
	uuid=$(sfdisk -J "$T/gpt.img" | jq -r '.partitiontable.partitions[0].uuid')
	# a kernel without GPT support (CONFIG_EFI_PARTITION) makes no
	# partitions itself: partx adds them (BLKPG), container still reads
	# the table on its own
	for i in $(seq 1 20); do [ -e "${loop}p1" ] && break; sleep 0.1; done
	[ -e "${loop}p1" ] || partx -a "$loop"
	capture ctr run --rootfs "PARTLABEL=$label" --volatile --persist "$P" "$(name_for gpt)" -- cat /opt/data/new
	is "$OUT" new "--rootfs PARTLABEL=NAME: the partition of that GPT name" || diag "$ERR"
	capture ctr run --rootfs "PARTUUID=${uuid,,}" --volatile --persist "$P" "$(name_for gpt)" -- cat /opt/data/new
	is "$OUT" new "--rootfs PARTUUID=GUID: the partition of that unique GUID" || diag "$ERR"
	capture ctr run --rootfs "PARTLABEL=no-such-$$" --volatile --persist "$P" "$(name_for gpt)"
	like "$RC:$ERR" "^125:container: rootfs PARTLABEL=no-such-$$: no such device" "an unknown PARTLABEL: exit 125, one line"
else
	skip "PARTLABEL= and PARTUUID=" "no sfdisk, or built without WITH_PROBE"
	skip "PARTUUID=" "as above"
	skip "unknown PARTLABEL" "as above"
fi

# --- bad input: one line, non-zero, nothing written ---------------------------------

tree_snapshot "$T/store" "$T/store.before"
refused() { # DESC WANT-ERE
	local n
	n=$(printf '%s' "$ERR" | grep -c '')
	if [ "$RC" -ne 0 ] && [ "$n" -eq 1 ] && [[ $ERR =~ ^import:\  ]] && [[ $ERR =~ $2 ]]; then
		pass "$1: refused with one line"
	else
		fail "$1: refused with one line"; diag "exit $RC, stderr ($n lines): $ERR" "want /$2/"
	fi
	tree_snapshot "$T/store" "$T/store.after"
	d=$(diff "$T/store.before" "$T/store.after"; ls -A "$T/tmp"; ls -A "$T/outside")
	is "$d" "" "$1: the store is unchanged, no work directory left, nothing outside"
}

head -c 20000 "$T/app.oci.tar" > "$T/trunc.tar"
capture "$IMP" "oci-archive:$T/trunc.tar" bad
refused "a truncated oci-archive" 'trunc\.tar'
head -c 65536 /dev/urandom > "$T/junk.tar"
capture "$IMP" "docker-archive:$T/junk.tar" bad
refused "a corrupt docker-archive" 'junk\.tar: .*tar'
skopeo copy -q "$CS$APP" "oci:$T/layout:x" 2>/dev/null
m=$(jq -r '.manifests[0].digest' "$T/layout/index.json" | cut -d: -f2)
rm -f "$T/layout/blobs/sha256/$(jq -r '.layers[1].digest' "$T/layout/blobs/sha256/$m" | cut -d: -f2)"
capture "$IMP" "oci:$T/layout:x" bad
refused "an OCI layout with a missing layer blob" 'no such file|blob'

mkdir -p "$T/l/dd/sub" "$T/l/dn/dev" "$T/l/sym/x" "$T/l/sym2/x/escape"
echo evil > "$T/l/dd/evil"
(cd "$T/l/dd/sub" && tar -cPf "$T/dotdot.tar" ../evil)
oci_layout "$T/o-dotdot" "$T/dotdot.tar"
capture "$IMP" "oci:$T/o-dotdot:latest" bad
refused "a layer with a ../ member" '\.\./evil leaves the root'
mknod "$T/l/dn/dev/sda" b 8 0
tar -C "$T/l/dn" -cf "$T/dev.tar" dev
oci_layout "$T/o-dev" "$T/dev.tar"
capture "$IMP" "oci:$T/o-dev:latest" bad
refused "a layer with a device node" 'device node dev/sda'
capture "$IMP" "foo:bar" bad
refused "an unknown transport" "unknown transport 'foo:'"
capture "$IMP" "$CS$APP" "../x"
refused "an image name with a slash" "must end in .squashfs"

# An absolute symlink to a host directory, and a later layer writing
# through it: the link is kept; the write lands inside the image root.
ln -s "$T/outside" "$T/l/sym/x/escape"
tar -C "$T/l/sym" -cf "$T/sym1.tar" x
echo pwned > "$T/l/sym2/x/escape/pwned"
tar -C "$T/l/sym2" -cf "$T/sym2.tar" x/escape/pwned
oci_layout "$T/o-sym" "$T/sym1.tar" "$T/sym2.tar"
capture "$IMP" "oci:$T/o-sym:latest" "$T/sym.squashfs"
is "$RC" 0 "an absolute symlink out of the root: imported"
is "$(ls -A "$T/outside")" "" "nothing was written through it on the host"
unsquashfs -q -d "$T/t-sym" "$T/sym.squashfs" >/dev/null 2>&1
is "$(readlink "$T/t-sym/x/escape")" "$T/outside" "the link is kept as it was"
is "$(cat "$T/t-sym/$T/outside/pwned" 2>/dev/null)" pwned "the write through it landed inside the image root"
rm -f "$T/sym.squashfs"

capture ctr run --image nothing --persist "$P" "$(name_for none)"
is "$RC" 125 "run --image naming nothing: exit 125"
one_error_line "run --image naming nothing: one line"
like "$ERR" 'image nothing: not found in' "it says which image and where it looked"
[ ! -e "$P/$(name_for none)" ]
ok $? "and no persistent layer was made"

# --- an interrupted import keeps the old image ------------------------------------

images_big "$T/img" 24 || bail "podman build of the big image failed"
before=$(sha256sum < "$T/store/app-cs.squashfs")
start_bg "$T/int.out" "$T/int.err" setsid "$IMP" "${CS}localhost/ctest:big" app-cs
for i in $(seq 1 600); do
	compgen -G "$T/store/.app-cs.squashfs.*.tmp" >/dev/null && break
	sleep 0.02
done
kill -TERM -- -"$BG" 2>/dev/null
wait_bg "$BG" 20
isnt_zero=$RC
[ "$isnt_zero" -ne 0 ]
ok $? "the import was cut while it wrote the image (exit $isnt_zero)"
is "$(sha256sum < "$T/store/app-cs.squashfs")" "$before" "the old image is intact"
is "$(ls -A "$T/store" | grep -c tmp)" 0 "no temporary image left in the store"
is "$(ls -A "$T/tmp")" "" "no work directory left"

if command -v script >/dev/null 2>&1; then
	script -qec "$IMP $CS$APP $T/tty.squashfs" /dev/null > "$T/tty.out" 2>&1
	like "$(tr -d '\r' < "$T/tty.out")" 'layer 1/[0-9]+ [0-9a-f]{64} [0-9]+ bytes' "on a terminal: progress by layer and bytes"
else
	skip "progress on a terminal" "no script(1)"
fi

done_testing
