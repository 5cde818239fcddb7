#!/bin/bash
# Hardening round 2 (issue 14), on a host: each test fails on the defect
# it is named after. Groups kept under --userns, descriptors kept when
# close_range fails, reset under an orphaned workload and cut midway, stop
# trusting a stale supervisor pid, deletion of a tree nested 10,000 deep
# with symlink loops, a state file over 8 KiB, a corrupt saved config in
# ps -a, `container` as PID 1 of a container, --userns with an image, an
# image device whose path is longer than 64 bytes, loop devices that stay
# busy.
. "$(dirname "$0")/lib.sh"
need_root
need_container
need_rootfs

command -v musl-gcc >/dev/null 2>&1 || skip_all "no musl-gcc to build the test helpers"
mkdir -p "$T/bin"
for h in escape-probe nosys; do
	musl-gcc -static -Os -I"$TOP/build/include" -o "$T/bin/$h" "$TOP/tests/lib/$h.c" 2>"$T/cc.err" ||
		bail "could not build tests/lib/$h.c: $(cat "$T/cc.err")"
done
PROBE=/t/escape-probe
VOL=(-v "$T/bin:/t:ro")

# The mapped root of --userns (host uid 100000) must walk to its layer.
mkdir -p "$T/pub" && chmod 0755 "$T/pub" && chmod 0711 "$T"
PU=$T/pub/persist

state_of() { sed -n "s/^$2=//p" "/run/container/$1/state"; }

# --- --userns: no supplementary group of the caller's ----------------------------

# The launcher is started holding groups 0 and 4. In a user namespace
# setgroups is denied, so whatever the launcher holds the workload keeps
# (shown unmapped as 65534): a file of group 4 would open inside.
if has_feature userns && command -v setpriv >/dev/null 2>&1; then
	N=$(name_for groups)
	capture setpriv --groups 0,4 -- "$C" run -d --rootfs "$ROOTFS" --persist "$PU" --userns "$N" sleep 60
	is "$RC" 0 "--userns under setpriv --groups 0,4: runs" || diag "$ERR"
	pid=$(state_of "$N" pid)
	is "$(awk '/^Groups:/ { $1 = ""; print }' "/proc/$pid/status" | tr -d ' ')" "" \
		"--userns: the workload holds no supplementary group"
	capture setpriv --groups 0,4 -- "$C" exec "$N" sh -c 'grep ^Groups: /proc/self/status'
	like "$OUT" '^Groups:[[:space:]]*$' "--userns: an exec'd process holds no supplementary group" ||
		diag "$ERR"
	capture setpriv --groups 0,4 -- "$C" run --rootfs "$ROOTFS" --persist "$P" "$(name_for groups2)" \
		sh -c 'grep ^Groups: /proc/self/status'
	like "$OUT" '^Groups:[[:space:]]*$' "without --userns: no supplementary group either"
	ctr rm -f --purge --persist "$PU" "$N" >/dev/null 2>&1
else
	skip "--userns under setpriv --groups 0,4" "no user namespaces in this build, or no setpriv"
	skip "--userns: the workload holds no supplementary group" "no user namespaces or setpriv"
	skip "--userns: an exec'd process holds no supplementary group" "no user namespaces or setpriv"
	skip "without --userns: no supplementary group either" "no user namespaces or setpriv"
fi

# --- close_range fails: the container does not start ----------------------------

# close_range is what keeps the caller's descriptors (here 7: the host's /)
# out of the container. On a kernel where it fails, refuse to start.
N=$(name_for closerange)
capture "$T/bin/nosys" "$(printf '#include <sys/syscall.h>\nSYS_close_range\n' | cpp -P | tail -n 1)" \
	"$C" run --rootfs "$ROOTFS" --persist "$P" "${VOL[@]}" "$N" $PROBE fds 7</
is "$RC" 125 "close_range failing: run exits 125" || diag "$OUT"
like "$ERR" "close the launcher's descriptors" "... saying why"
unlike "$OUT" 'fds=.*7' "... and no workload ever saw descriptor 7"

# --- reset: not under a live workload; all or nothing -----------------------------

N=$(name_for reset)
capture ctr run -d --rootfs "$ROOTFS" --persist "$P" "$N" sh -c 'echo kept >/kept; exec sleep 60'
is "$RC" 0 "a detached container for reset" || diag "$ERR"
wait_for "$P/$N/upper/kept" kept 5
sup=$(state_of "$N" sup)
kill -KILL "$sup"
wait_bg "$sup" 5 2>/dev/null
capture ctr reset --persist "$P" "$N"
is "$RC" 1 "reset while the workload lives on without its supervisor: refused" || diag "$ERR"
like "$ERR" "is running" "... saying it runs"
is "$(cat "$P/$N/upper/kept" 2>&1)" kept "... and its layer is untouched"
capture ctr stop -t 1 "$N"
is "$RC" 0 "stop of the orphaned workload" || diag "$ERR"
capture ctr reset --persist "$P" "$N"
is "$RC" 0 "reset once it is stopped" || diag "$ERR"
[ -d "$P/$N/upper" ] && [ -z "$(ls -A "$P/$N/upper")" ] && [ -d "$P/$N/work" ]
ok $? "... leaves upper/ and work/ empty"

# A reset killed midway leaves the old layer or an empty one, never part
# of it: 20,000 files, reset killed at 5 ms, 20 ms, 50 ms and 150 ms.
files() { find "$P/$N/upper" -name 'f*' 2>/dev/null | wc -l; }
bad=
for ms in 5 20 50 150; do
	mkdir -p "$P/$N/upper/big"
	(cd "$P/$N/upper/big" && seq -f 'f%g' 1 20000 | xargs touch)
	"$C" reset --persist "$P" "$N" >/dev/null 2>&1 &
	rpid=$!
	sleep "0.$(printf '%03d' "$ms")"
	kill -KILL "$rpid" 2>/dev/null
	wait "$rpid" 2>/dev/null
	n=$(files)
	[ "$n" -eq 20000 ] || [ "$n" -eq 0 ] || bad="$bad killed at $ms ms: $n files;"
done
is "${bad:-none}" none "reset killed midway: upper/ has all 20000 files or none"
capture ctr reset --persist "$P" "$N"
is "$RC:$(ls -A "$P/$N")" "0:$(printf 'config\nupper\nwork')" "the next reset removes what a killed one set aside" ||
	diag "$ERR"

# --- stop never signals a stale supervisor pid ---------------------------------

# The state names a supervisor and a workload that are gone; their pids
# now belong to other processes (here: two sleeps of the test), and the
# lock is held, as by a launcher starting the same NAME meanwhile.
N=$(name_for stale)
capture ctr run --rootfs "$ROOTFS" --persist "$P" "$N" true
sleep 300 &
innocent=$!
defer kill "$innocent"
st=/run/container/$N/state
sed -i "s/^pid=.*/pid=$innocent/; s/^sup=.*/sup=$innocent/; s/^status=.*/status=running/" "$st"
exec 9>>"/run/container/$N/lock"
flock -n 9 || bail "cannot lock /run/container/$N/lock"
capture ctr stop -t 1 "$N"
kill -0 "$innocent" 2>/dev/null
ok $? "stop with a stale supervisor pid: the process that has that pid now lives" || diag "$ERR"
is "$RC" 1 "... and stop says the container is not running" || diag "$ERR"
exec 9>&-
capture ctr kill "$N" KILL
kill -0 "$innocent" 2>/dev/null
ok $? "kill with a stale workload pid: that process lives"

# --- a tree nested 10,000 deep with symlink loops -------------------------------

# The workload nests 10,000 directories and plants, at the bottom, a loop
# and links to / and to a host directory. rm --purge and reset delete it
# all, following no link: the host directory keeps its file. (10,000
# rmdirs take seconds on a slow disk: a longer timeout.)
mkdir -p "$T/canary" && echo alive >"$T/canary/file"
N=$(name_for deep)
launch "${VOL[@]}" "$N" $PROBE nest 10000 / "$T/canary"
is "$(printf '%s\n' "$OUT" | grep -E '^(nest|depth)=' | tr '\n' ' ')" "nest=ok depth=10000 " \
	"the workload nested 10,000 directories with symlink loops" || diag "$ERR"
TIMEOUT=180 capture ctr reset --persist "$P" "$N"
is "$RC" 0 "reset deletes a tree 10,000 deep" || diag "$ERR"
is "$(ls -A "$P/$N/upper" 2>&1)" "" "... and upper/ is empty"
launch "${VOL[@]}" "$N" $PROBE nest 10000 / "$T/canary"
TIMEOUT=180 capture ctr rm --purge --persist "$P" "$N"
is "$RC" 0 "rm --purge deletes a tree 10,000 deep" || diag "$ERR"
[ ! -e "$P/$N" ]
ok $? "... and the layer is gone"
is "$(cat "$T/canary/file" 2>&1)" alive "no link was followed out: the host directory keeps its file"

# --- a state file over 8 KiB --------------------------------------------------

# An image file of a 4085-byte path, a 4055-byte --persist, --volatile (so
# that the overlay's options stay short): the state file is over 8 KiB.
# Read cut, its persist is another directory and start finds no config.
if command -v mksquashfs >/dev/null 2>&1 && has_feature loop; then
	long=$T/pub
	while [ ${#long} -lt 3700 ]; do long=$long/$(printf 'l%.0s' $(seq 200)); done
	mkdir -p "$long" && chmod -R 0755 "$T/pub"
	img=$long/$(printf 'i%.0s' $(seq $((4085 - ${#long} - 1))))
	mksquashfs "$ROOTFS" "$img" -noappend -quiet >/dev/null 2>&1
	lp=$long/$(printf 'p%.0s' $(seq $((4055 - ${#long} - 1))))
	N=$(name_for bigstate)
	capture ctr run -d --rootfs "$img" --persist "$lp" --volatile "$N" sleep 60
	is "$RC" 0 "a container with a 4085-byte image path and a 4055-byte persist" || diag "$ERR"
	size=$(stat -c %s "/run/container/$N/state")
	[ "$size" -gt 8192 ]
	ok $? "its state file is over 8 KiB ($size bytes)"
	capture ctr stop -t 1 "$N"
	capture ctr start "$N"
	is "$RC" 0 "start finds its config through the persist of the whole state file" || diag "$ERR"
	capture ctr rm -f --purge "$N"
	is "$RC" 0 "rm -f --purge of it" || diag "$ERR"
	[ ! -e "$lp/$N" ]
	ok $? "... removes its layer directory"
else
	for t in runs "state over 8 KiB" start rm "layer removed"; do
		skip "$t" "no mksquashfs, or a build without image files (WITH_LOOP)"
	done
fi

# --- ps -a and one corrupt saved config -----------------------------------------

# After a host reboot (no runtime state) ps -a reads the saved configs:
# one cut in half is reported, and the others are listed.
NA=$(name_for a-corrupt)
NB=$(name_for b-good)
launch "$NA" true
launch "$NB" true
rm -rf "/run/container/$NA" "/run/container/$NB"
head -c 20 "$P/$NA/config" >"$T/cut" && cat "$T/cut" >"$P/$NA/config"
capture ctr ps -a --persist "$P"
is "$RC" 0 "ps -a with a corrupt saved config: exit 0"
like "$OUT" "$NB" "... lists the good one"
one_error_line "... reports the corrupt one in one line"
like "$ERR" "$NA/config: saved config is corrupt" "... naming its file"
capture ctr rm --purge --persist "$P" "$NA"
is "$RC" 0 "rm --purge of the container whose config is corrupt" || diag "$ERR"

# --- container as the entrypoint of a container -------------------------------------

# PID 1 of another runtime's container is not a machine's init: given a
# command it runs it; given none it says what it is and exits (it used to
# take itself for init mode and hang).
N=$(name_for pid1)
capture timeout -k 5 20 "$C" run --rootfs "$ROOTFS" --persist "$P" -v "$C:/usr/bin/container:ro" "$N" \
	/usr/bin/container --version
is "$RC" 0 "container --version as PID 1 of a container: runs the command" || diag "$ERR"
like "$OUT" '^container ' "... and prints the version"
capture timeout -k 5 20 "$C" run --rootfs "$ROOTFS" --persist "$P" -v "$C:/usr/bin/container:ro" "$N" \
	/usr/bin/container
is "$RC" 1 "container without a command as PID 1 of a container: exits 1 (124: it hung)"
like "$ERR" "PID 1 of a container, not of a machine" "... saying what it is"

# --- --userns with an image; an image device with a long path ------------------------------

if command -v mksquashfs >/dev/null 2>&1; then
	mksquashfs "$ROOTFS" "$T/pub/root.squashfs" -noappend -quiet >/dev/null 2>&1
	chmod 0644 "$T/pub/root.squashfs"
	if has_feature userns; then
		capture ctr run --rootfs "$T/pub/root.squashfs" --persist "$PU" --userns "$(name_for userns-img)" \
			sh -c 'id -u; cat /proc/self/uid_map'
		is "$RC" 0 "--userns with a squashfs image runs" || diag "$ERR"
		like "$OUT" '^0' "... as the namespace's root"
		mountinfo_snapshot "$T/m.after"
		unlike "$(cat "$T/m.after")" "root.squashfs|/run/container/$(name_for userns-img)/lower" \
			"... and leaves no mount of the image on the host"
	else
		for t in runs root mounts; do skip "--userns with an image: $t" "no user namespaces"; done
	fi
	loop=$(losetup -f --show -r "$T/pub/root.squashfs" 2>/dev/null)
	if [ -n "$loop" ]; then
		defer losetup -d "$loop"
		node=/dev/container-test-$$-a-device-node-whose-path-is-longer-than-sixty-four-bytes
		mknod "$node" b "$(stat -c '%t' "$loop" | xargs printf '%d')" "$(stat -c '%T' "$loop" | xargs printf '%d')"
		defer rm -f "$node"
		capture ctr run --rootfs "$node" --persist "$P" "$(name_for longdev)" ls /bin/busybox
		is "$RC" 0 "a block device rootfs at a path of ${#node} bytes mounts" || diag "$ERR"
	else
		skip "a block device rootfs at a long path" "no free loop device"
	fi
	# loop_attach when every free loop device it is given is busy: in a
	# mount namespace of the test, the first free /dev/loopN is a bind of
	# a busy one (holding another image, with /wrong-image in it). After
	# 16 EBUSY it returned the fd it had just closed, and the container
	# ran on that other image.
	mkdir -p "$T/wrong" && cp -a "$ROOTFS" "$T/wrong/root" && echo WRONG >"$T/wrong/root/wrong-image"
	mksquashfs "$T/wrong/root" "$T/wrong.squashfs" -noappend -quiet >/dev/null 2>&1
	busy=$(losetup -f --show -r "$T/wrong.squashfs" 2>/dev/null)
	[ -z "$busy" ] || defer losetup -d "$busy"
	if [ -n "$busy" ] && command -v unshare >/dev/null 2>&1 && has_feature loop; then
		capture unshare -m --propagation private sh -c \
			'free=$(losetup -f) && mount --bind "$1" "$free" && exec timeout -k 5 30 "$2" run --rootfs "$3" --persist "$4" "$5" cat /wrong-image' \
			sh "$busy" "$C" "$T/pub/root.squashfs" "$P" "$(name_for busyloop)"
		is "$RC" 125 "every free loop device busy: run exits 125" || diag "$OUT"
		like "$ERR" "loop devices stay busy" "... saying why"
		unlike "$OUT" WRONG "... and never runs on another device's image"
	else
		for t in 125 why "not another image"; do
			skip "busy loop devices: $t" "no loop device or unshare, or a build without image files"
		done
	fi
else
	for t in "--userns image" root mounts "long device path" "busy loop 125" "busy loop why" "busy loop image"; do
		skip "$t" "no mksquashfs"
	done
fi

done_testing
