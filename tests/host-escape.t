#!/bin/bash
# Escape attempts from inside a container run with the default options, as
# root. Each test fails when the attempt succeeds: it reached the host, its
# devices, its kernel, its processes or its files. The attempts are made
# by busybox applets and by tests/lib/escape-probe.c (static, built here),
# and each is harmless even when it works.
. "$(dirname "$0")/lib.sh"
need_root
need_container
need_rootfs

# ESCAPE_USERNS=1 (tests/host-escape-userns.t) runs every attempt again in
# containers started with --userns.
UNS=()
if [ "${ESCAPE_USERNS:-}" = 1 ]; then
	has_feature userns || skip_all "this build has no user namespaces"
	UNS=(--userns)
	launch() { capture ctr run --rootfs "$ROOTFS" --persist "$P" --userns "$@"; }
	# the mapped root (host uid 100000) must walk to its layer and volumes
	mkdir -p "$T/pub" && chmod 0755 "$T/pub" && chmod 0711 "$T"
	P=$T/pub/persist
fi

# --- the probe, and how to read what it says ---------------------------------

command -v musl-gcc >/dev/null 2>&1 || skip_all "no musl-gcc to build the escape probe"
mkdir -p "$T/bin"
musl-gcc -static -Os -I"$TOP/build/include" -o "$T/bin/escape-probe" \
	"$TOP/tests/lib/escape-probe.c" 2>"$T/cc.err" ||
	bail "could not build tests/lib/escape-probe.c: $(cat "$T/cc.err")"

PROBE=/t/escape-probe
VOL=(-v "$T/bin:/t:ro")

# a file only the host has: the container's /tmp is its own
MARK=$T/escape-marker
echo host >"$MARK"
# a host process the container must not see (its pid number is larger
# than any the few processes of the container get)
sleep 600 &
HOSTPID=$!
defer kill "$HOSTPID"

# kv KEY: the value of the last KEY=... line the probe printed in $OUT
kv() { printf '%s\n' "$OUT" | tr -d '\r' | sed -n "s/^$1=//p" | tail -n 1; }

# denied KEY DESC [ERE]: the attempt KEY did not work (its result is not
# "ok"), and it failed the way ERE says (default: any error)
denied() {
	local v
	v=$(kv "$1")
	if [ -z "$v" ]; then
		fail "$2"; diag "the probe printed no $1= line"; _diag_ctx; return 1
	elif [ "$v" = ok ]; then
		fail "$2"; diag "ESCAPE: $1 succeeded inside the container"; return 1
	fi
	like "$v" "${3:-^E}" "$2"
}

# the line fds=... the probe printed: the descriptors it was given
fds_line() { printf '%s\n' "$OUT" | grep '^fds=' | tail -n 1; }

# --- one container, many attempts ------------------------------------------

N=$(name_for esc)

# the host's root disk, for a block device node; major 0 is not a disk
disk=$(findmnt -no MAJ:MIN / 2>/dev/null | head -n 1 | tr -d ' ')
case $disk in
'' | 0:*) disk=$(awk 'NR > 2 && $1 != 0 { print $1 ":" $2; exit }' /proc/partitions) ;;
esac

cat >"$T/escape.sh" <<EOF
P=$PROBE
\$P reboot
\$P modules
\$P mount
\$P userns
\$P setns
\$P misc
\$P chroot $MARK
\$P kill $HOSTPID
\$P write hostname /proc/sys/kernel/hostname
\$P write core_pattern /proc/sys/kernel/core_pattern
\$P write sysrq /proc/sysrq-trigger
\$P write uevent_helper /sys/kernel/uevent_helper
\$P write cgroup_procs /sys/fs/cgroup/cgroup.procs
\$P read kcore /proc/kcore
\$P read kmsg /proc/kmsg
\$P read keys /proc/keys
\$P read timer_list /proc/timer_list
\$P read sched_debug /proc/sched_debug
# character device 1:5 (zero) made on every writable filesystem
for d in dev tmp run dev/shm root v; do
	t=\$(echo "\$d" | tr / _)
	mknod /\$d/escape-zero c 1 5 && echo "mknod_\$t=ok"
	\$P read "zero_\$t" /\$d/escape-zero
done
mknod /escape-zero c 1 5 && echo "mknod_root=ok"
\$P read zero_slash /escape-zero
if [ -n "$disk" ]; then
	mknod /dev/escape-disk b ${disk%%:*} ${disk#*:}
	\$P read disk_dev /dev/escape-disk
	mknod /escape-disk b ${disk%%:*} ${disk#*:}
	\$P read disk_root /escape-disk
fi
# busybox, as a workload would try it
mount -t tmpfs x /mnt 2>/dev/null; echo "bb_mount=\$?"
grep -q ' /mnt ' /proc/self/mountinfo && echo bb_mnt_mounted=ok
umount /proc 2>/dev/null; echo "bb_umount_proc=\$?"
umount -l / 2>/dev/null; echo "bb_umount_root=\$?"
unshare -U true 2>/dev/null; echo "bb_unshare_user=\$?"
unshare -U -r true 2>/dev/null; echo "bb_unshare_user_root=\$?"
insmod /dev/null 2>/dev/null; echo "bb_insmod=\$?"
nsenter -t 1 -m true 2>/dev/null; echo "bb_nsenter=\$?"
mkdir /sys/fs/cgroup/escape 2>/dev/null; echo "cgroup_mkdir=\$?"
test -e /proc/1/root$MARK && echo p1root=ok || echo p1root=ENOENT
test -e /proc/self/root$MARK && echo selfroot=ok || echo selfroot=ENOENT
echo "pids=\$(cd /proc && echo [0-9]*)"
echo "netdevs=\$(tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' ' | tr '\n' ' ')"
echo "cmdline1=\$(tr '\0' ' ' </proc/1/cmdline)"
EOF

mkdir -p "$T/vol" && chmod 0777 "$T/vol"
host_hostname=$(hostname)
host_core=$(cat /proc/sys/kernel/core_pattern)
launch "${VOL[@]}" -v "$T/escape.sh:/escape.sh:ro" -v "$T/vol:/v" "$N" sh /escape.sh
is "$RC" 0 "the escape script ran" || diag "$ERR"

# the syscalls the filter denies: EPERM, whatever the capabilities
for k in reboot finit_module init_module delete_module mount bind remount_root \
	remount_sys_rw umount_proc umount_root fsopen fspick open_tree pivot_root \
	unshare_user unshare_user_mnt clone_user setns_mnt setns_pid setns_net \
	setns_uts setns_ipc setns_cgroup setns_user setns_pidfd bpf \
	perf_event_open keyctl add_key open_by_handle_at kexec_load swapon iopl \
	syslog settimeofday clock_settime; do
	if has_feature seccomp; then
		denied "$k" "$k is refused with EPERM" '^EPERM$'
	elif [ "$k" = unshare_user ] || [ "$k" = add_key ]; then
		skip "$k is refused" "only the seccomp filter refuses it, and this build has none"
	else	# refused all the same, by capabilities or the kernel
		denied "$k" "$k is refused"
	fi
done
denied clone3_user "clone3 of a user namespace is refused"
denied unshare_mnt "unshare of a mount namespace is refused"

denied chroot_marker "chroot and .. do not reach the host's files" '^ENOENT$'
is "$(kv p1root)" ENOENT "/proc/1/root is the container's root, not the host's"
is "$(kv selfroot)" ENOENT "/proc/self/root is the container's root"
denied kill "a host pid cannot be signalled (kill -0)" '^ESRCH$'
denied ptrace "a host pid cannot be traced" '^ESRCH$'
denied pidfd_open "a host pid cannot be opened with pidfd_open" '^ESRCH$'
like "$(kv pids)" '^1( [0-9]+){0,3}$' "/proc lists only the container's processes"
like "$(kv cmdline1)" '^sh /escape\.sh' "pid 1 of that /proc is the workload"
if has_feature netns; then
	is "$(kv netdevs)" "lo " "only lo in the network namespace"
else
	skip "only lo in the network namespace" "this build has no network namespaces"
fi

denied hostname_open "/proc/sys/kernel/hostname is read-only"
denied core_pattern_open "/proc/sys/kernel/core_pattern is read-only"
denied sysrq_open "/proc/sysrq-trigger cannot be written"
denied uevent_helper_open "/sys/kernel/uevent_helper cannot be written"
denied cgroup_procs_open "/sys/fs/cgroup is read-only"
is "$(kv cgroup_mkdir)" 1 "no new cgroup under /sys/fs/cgroup"
is "$(hostname)" "$host_hostname" "the host's hostname is unchanged"
is "$(cat /proc/sys/kernel/core_pattern)" "$host_core" "the host's core_pattern is unchanged"

is "$(kv kcore_bytes)" 0 "/proc/kcore reads nothing"
denied kmsg_open "/proc/kmsg cannot be opened"
is "$(kv keys_bytes)" 0 "/proc/keys is masked"
is "$(kv timer_list_bytes)" 0 "/proc/timer_list is masked"
is "$(kv sched_debug_bytes)" 0 "/proc/sched_debug is masked"

# CAP_MKNOD is kept: a node can be made, it must not open
for t in dev tmp run dev_shm root v slash; do
	if [ ${#UNS[@]} -eq 0 ]; then
		denied "zero_${t}_open" "a device node made in /${t//_//} does not open" '^(EACCES|EPERM)$'
	else	# a user namespace may not make one at all
		is "$(kv "mknod_$t")" "" "--userns: no device node can be made in /${t//_//}"
	fi
done
# (only telling where the host itself may open its disk: a device cgroup
# around this test may forbid it)
if [ -z "$disk" ]; then
	skip "the host's disk made in /dev" "no block device in /proc/partitions"
	skip "the host's disk made in /" "no block device in /proc/partitions"
elif ! head -c 1 "/dev/block/$disk" >/dev/null 2>&1; then
	skip "the host's disk made in /dev" "the host itself cannot open $disk here"
	skip "the host's disk made in /" "the host itself cannot open $disk here"
else
	denied disk_dev_open "the host's disk ($disk) made in /dev does not open"
	denied disk_root_open "the host's disk ($disk) made in / does not open"
fi

is "$(kv bb_mount)" 1 "busybox mount -t tmpfs fails"
is "$(kv bb_mnt_mounted)" "" "nothing is mounted on /mnt"
is "$(kv bb_umount_proc)" 1 "busybox umount /proc fails"
is "$(kv bb_umount_root)" 1 "busybox umount -l / fails"
if has_feature seccomp; then
	like "$(kv bb_unshare_user)" '^[1-9]' "busybox unshare -U fails"
	like "$(kv bb_unshare_user_root)" '^[1-9]' "busybox unshare -U -r fails"
else
	skip "busybox unshare -U fails" "only the seccomp filter refuses it, and this build has none"
	skip "busybox unshare -U -r fails" "only the seccomp filter refuses it, and this build has none"
fi
like "$(kv bb_insmod)" '^[1-9]' "busybox insmod fails"
like "$(kv bb_nsenter)" '^[1-9]' "busybox nsenter fails"

# --- descriptors of the caller -----------------------------------------------

# The launcher's caller may hold descriptors to host directories (here / and
# $T on 7 and 8). None may reach the workload: through /proc/self/fd/N or
# fchdir they lead out of the root (runc CVE-2024-21626).
N2=$(name_for fds)
launch "${VOL[@]}" "$N2" $PROBE fds 7</ 8<"$T"
is "$(fds_line)" "fds=" "the workload inherits no descriptor besides 0, 1 and 2"
launch "${VOL[@]}" "$N2" $PROBE fdwalk "$MARK" 7</ 8<"$T"
is "$(kv fdwalk)" ENOENT "no inherited descriptor leads to the host's files" ||
	diag "ESCAPE: the host's $MARK read through /proc/self/fd/$(kv fdwalk_via)"

# --- the terminal ----------------------------------------------------------

# In the foreground the workload may share the caller's terminal. It must
# not be able to type into it (TIOCSTI: bubblewrap CVE-2017-5226): what it
# pushes there is read by the host's shell once the container is gone.
if command -v script >/dev/null 2>&1; then
	cmd=$(printf '%q ' timeout -k 5 "$TIMEOUT" "$C" run --rootfs "$ROOTFS" \
		--persist "$P" "${VOL[@]}" "$N2" $PROBE tiocsti)
	capture script -qec "$cmd" /dev/null
	denied tiocsti_stdin "TIOCSTI on the terminal on stdin is refused"
	denied tiocsti_tty "TIOCSTI on /dev/tty is refused"
else
	skip "TIOCSTI on stdin" "no script(1) for a terminal"
	skip "TIOCSTI on /dev/tty" "no script(1) for a terminal"
fi

# --- the lower image -------------------------------------------------------

N3=$(name_for lower)
tree_snapshot "$ROOTFS" "$T/lower.before"
cp "$ROOTFS/etc/passwd" "$T/passwd.before"
if [ ${#UNS[@]} -eq 0 ]; then
	launch "$N3" sh -c 'echo escape >>/etc/passwd && echo new >/etc/escape-new &&
		chmod 600 /etc/group && touch /bin/busybox && rm /bin/ls && mkdir /etc/escape-dir'
	is "$RC" 0 "writes to the image's files work inside" || diag "$ERR"
	launch "$N3" sh -c 'tail -n 1 /etc/passwd'
	is "$OUT" escape "and persist in the container's layer"
else
	# the image's files belong to the host's root, unmapped inside:
	# the container's root writes only in its own root directory
	launch "$N3" sh -c 'echo escape >/escape-new && rm -f /bin/ls; echo escape >>/etc/passwd'
	like "$ERR" 'Permission denied' "--userns: the image's files (the host root's) are not writable inside" || diag "$ERR"
	launch "$N3" sh -c 'cat /escape-new'
	is "$OUT" escape "--userns: a new file in / persists in the container's layer"
fi
check "the image's /etc/passwd is unchanged" cmp -s "$T/passwd.before" "$ROOTFS/etc/passwd"
tree_snapshot "$ROOTFS" "$T/lower.after"
check "the image's tree (modes, sizes, mtimes) is unchanged" \
	cmp -s "$T/lower.before" "$T/lower.after" ||
	diag "$(diff "$T/lower.before" "$T/lower.after" | head -n 20)"

# --- volumes through symlinks planted by the container -----------------------

# The container plants symlinks in its layer; a later run mounts a volume
# at a path that goes through them. Where the mount lands must be inside
# the container's root: the host's $T/target gets nothing, the host's
# mount table nothing, and no directory named escape-$$-* appears on the
# host (a descriptor of the setup process, /proc/self/fd/N, can be a host
# directory: the layer, a cgroup).
N4=$(name_for vol)
SL=/mnt	# where the symlinks go: --userns may write only in its own /
[ ${#UNS[@]} -eq 0 ] || SL=/m
mkdir -p "$T/target" "$T/volsrc"
echo volume >"$T/volsrc/file"
launch "$N4" sh -c "mkdir -p $SL &&
	ln -s $T/target $SL/abs &&
	ln -s /../../../../../..$T/target $SL/dotdot &&
	ln -s /proc/1/root/.. $SL/p1root &&
	ln -s /proc/self/root/../.. $SL/selfroot &&
	ln -s /proc/self/cwd/.. $SL/cwd &&
	for n in \$(seq 3 20); do ln -s /proc/self/fd/\$n $SL/fd\$n || exit 1; done"
is "$RC" 0 "symlinks planted in the layer" || diag "$ERR"

# mounts that mention $T or escape-$$, on the host
host_mounts() {
	cut -d' ' -f5 /proc/self/mountinfo | grep -F -e "$T" -e "escape-$$-" | sort
}

# through DESC DST: a run with $T/volsrc mounted at DST
through() {
	local desc=$1 dst=$2 found
	host_mounts >"$T/m.before"
	tree_snapshot "$T/target" "$T/t.before"
	launch -v "$T/volsrc:$dst:ro" "$N4" cat "$dst/file"
	host_mounts >"$T/m.after"
	tree_snapshot "$T/target" "$T/t.after"
	found=$(find /run/container "$P" "$T" /sys/fs/cgroup -xdev \
		\( -path "$T/volsrc" -o -path "$P/$N4/upper" \) -prune -o \
		-name "escape-$$-*" -print 2>/dev/null)
	if [ "$RC" -eq 0 ]; then
		is "$OUT" volume "$desc: the volume is where the container sees $dst"
	else
		is "$RC" 125 "$desc: refused with 125" || diag "$ERR"
	fi
	if cmp -s "$T/t.before" "$T/t.after" && cmp -s "$T/m.before" "$T/m.after" &&
	   [ -z "$found" ]; then
		pass "$desc: nothing on the host"
	else
		fail "$desc: nothing on the host"
		diag "ESCAPE: the volume at $dst reached the host" \
			"$(diff "$T/t.before" "$T/t.after")" \
			"$(diff "$T/m.before" "$T/m.after")" "$found"
	fi
}

through "absolute symlink to a host path" $SL/abs/x
through "symlink with .. above /" $SL/dotdot/x
through "symlink to /proc/1/root/.." "$SL/p1root$T/target/x"
through "symlink to /proc/self/root/../.." "$SL/selfroot$T/target/x"
through "symlink to /proc/self/cwd/.." "$SL/cwd$T/target/x"
through "'..' in the volume's destination" "/../../../../..$T/target/dotdot"
for n in $(seq 3 20); do
	through "symlink to /proc/self/fd/$n" "$SL/fd$n/escape-$$-$n"
done

# --- the layer on the host ---------------------------------------------------

# Root in the container makes a setuid-root file and a 0666 device node in
# its layer. On the host they sit in <persist>/<NAME>/upper, on a
# filesystem that honours both: no unprivileged host user may reach them,
# whatever the permissions of the directories above <persist>.
if command -v setpriv >/dev/null 2>&1; then
	N5=$(name_for layer)
	PUB=$T/pub
	mkdir -p "$PUB" && chmod 0755 "$PUB" && chmod 0711 "$T"
	launch "${VOL[@]}" --persist "$PUB/persist" "$N5" sh -c \
		"cp $PROBE /escape-suid && chmod 4755 /escape-suid &&
		 mknod -m 0666 /escape-zero c 1 5"
	up=$PUB/persist/$N5/upper
	if [ ${#UNS[@]} -eq 0 ]; then
		is "$RC" 0 "a setuid file and a device node made in the layer" || diag "$ERR"
		# what is tested below exists: a setuid-root file, a node c 1 5
		is "$(stat -c '%u %a' "$up/escape-suid" 2>&1)" "0 4755" "the layer holds a setuid-root file (positive control)"
		is "$(stat -c '%F %t:%T %a' "$up/escape-zero" 2>&1)" "character special file 1:5 666" \
			"the layer holds a 0666 device node c 1 5 (positive control)"
	else
		# a user namespace cannot make a device node: the setuid file
		# alone, owned by the mapped root
		like "$ERR" "mknod" "--userns: mknod of a device node is refused inside"
		is "$(stat -c '%a' "$up/escape-suid" 2>&1)" 4755 "the layer holds a setuid file (positive control)"
		is "$(stat -c '%u' "$up/escape-suid")" "$(stat -c '%u' "$up")" "... owned by the container's root, not the host's"
	fi
	# (through sh: setpriv itself still holds its capabilities at exec)
	nobody=(setpriv --reuid 65534 --regid 65534 --clear-groups)
	capture "${nobody[@]}" sh -c '"$1" euid' sh "$up/escape-suid"
	unlike "$OUT" 'euid=0' "an unprivileged host user cannot run the layer's setuid file as root" ||
		diag "ESCAPE: host uid 65534 ran $up/escape-suid with euid 0"
	capture "${nobody[@]}" sh -c 'head -c 1 "$1" >/dev/null' sh "$up/escape-zero"
	if [ "$RC" -ne 0 ]; then
		pass "an unprivileged host user cannot open the layer's device node"
	else
		fail "an unprivileged host user cannot open the layer's device node"
		diag "ESCAPE: host uid 65534 opened $up/escape-zero (c 1 5, 0666)"
	fi
	[ "$_failed" -eq 0 ] ||
		diag "$(ls -ld "$PUB" "$PUB/persist" "$PUB/persist/$N5" "$up" 2>&1)"
	[ ${#UNS[@]} -gt 0 ] || chmod 0700 "$T"
else
	skip "a setuid file and a device node made in the layer" "no setpriv"
	skip "positive control: the setuid file" "no setpriv"
	skip "positive control: the device node" "no setpriv"
	skip "the layer's setuid file" "no setpriv"
	skip "the layer's device node" "no setpriv"
fi

# --- container exec ----------------------------------------------------------

# a process joined with exec gets no more than the workload, and no
# descriptor of exec's caller
N6=$(name_for exec)
capture ctr run -d --rootfs "$ROOTFS" --persist "$P" "${UNS[@]}" "${VOL[@]}" "$N6" sleep 60
is "$RC" 0 "a detached container for exec" || diag "$ERR"
capture ctr exec "$N6" $PROBE fds 7</ 8<"$T"
is "$(fds_line)" "fds=" "exec: no descriptor besides 0, 1 and 2"
capture ctr exec "$N6" sh -c "$PROBE mount; $PROBE userns; $PROBE chroot $MARK; $PROBE kill $HOSTPID; pwd"
denied mount "exec: mount is refused" '^EPERM$'
if has_feature seccomp; then
	denied unshare_user "exec: unshare of a user namespace is refused" '^EPERM$'
else
	skip "exec: unshare of a user namespace is refused" "only the seccomp filter refuses it, and this build has none"
fi
denied chroot_marker "exec: chroot and .. do not reach the host's files" '^ENOENT$'
denied kill "exec: a host pid cannot be signalled" '^ESRCH$'
capture ctr stop -t 1 "$N6"

# --- the host's binary (CVE-2019-5736) ---------------------------------------

# A process of the launcher's binary inside the container (the --init
# reaper is PID 1; an exec's child until it execs) shows the workload that
# binary as /proc/PID/exe. A descriptor to it, kept until no copy of the
# binary runs (ETXTBSY is gone), would open the host's file for writing.
# The binary under attack is a copy; the probe only opens, never writes.
BIN=$T/hostbin/container
mkdir -p "$T/hostbin" && cp "$C" "$BIN"
host_id=$(stat -c '%d:%i' "$BIN")
host_sum=$(sha256sum <"$BIN")

# exe_attack DESC NAME EXECS [RUN OPTIONS]: the probe in NAME holds what it
# can; EXECS container execs; the supervisor killed; then the writes
exe_attack() {
	local desc=$1 name=$2 execs=$3 log i sup; shift 3
	mkdir -p "$T/go-$name"
	capture timeout 20 "$BIN" run -d --rootfs "$ROOTFS" --persist "$P" "${UNS[@]}" "$@" "${VOL[@]}" \
		-v "$T/go-$name:/go" "$name" $PROBE exe /go/now
	is "$RC" 0 "$desc: the container runs" || diag "$ERR"
	log=/run/container/$name/log
	wait_for "$log" '^watching' 10 || diag "the probe never started: $(cat "$log")"
	for ((i = 0; i < execs; i++)); do
		timeout 10 "$BIN" exec "$name" true >/dev/null 2>&1
		grep -q '^caught=' "$log" && break
	done
	sup=$(sed -n 's/^sup=//p' "/run/container/$name/state")
	[ -n "$sup" ] && kill -KILL "$sup" 2>/dev/null
	sleep 0.2
	touch "$T/go-$name/now"
	wait_for "$log" '^exe_opened=' 10
	OUT=$(cat "$log")
}

N7=$(name_for exe)
exe_attack "exec's child, default capabilities" "$N7" 30
v=$(kv exe_exec)
if [ "$v" = ENONE ]; then
	pass "exec's child: its /proc/PID/exe cannot be opened by the workload (not dumpable)"
else
	isnt_host=$([ "$v" != "$host_id" ] && echo yes)
	is "${isnt_host:-no}" yes "exec's child: the exe the workload holds ($v) is not the host's binary ($host_id)"
fi
v=$(kv exe_exec_write)
[ "$v" != ok ] || [ "$(kv exe_exec)" != "$host_id" ]
ok $? "exec's child: no descriptor opens the host's binary for writing" ||
	diag "ESCAPE: $BIN opened for writing through the exe of an exec's child"
ctr rm -f --purge "$N7" >/dev/null 2>&1

# With CAP_SYS_PTRACE, not being dumpable does not hide /proc/PID/exe
# (in a user namespace, that capability is not over the launcher's
# processes): what it shows must not be the host's file.
N8=$(name_for exeptrace)
exe_attack "--init --cap-add SYS_PTRACE" "$N8" 200 --init --cap-add SYS_PTRACE
v=$(kv exe1)
if [ ${#UNS[@]} -eq 0 ]; then
	like "$v" '^[0-9]+:[0-9]+$' "--init: the workload opens PID 1's (the reaper's) exe with CAP_SYS_PTRACE"
	like "$(kv exe_exec)" '^[0-9]+:[0-9]+$' "an exec's child's exe caught with CAP_SYS_PTRACE (positive control)" ||
		diag "$(kv exe_tried) tried, $(kv exe_opened) opened"
else
	like "$v" '^(E[A-Z]+|[0-9]+:[0-9]+)$' "--userns --init: PID 1's exe, opened or refused"
	like "$(kv exe_exec)" '^(ENONE|[0-9]+:[0-9]+)$' "--userns: an exec's child's exe, caught or not"
fi
[ "$v" != "$host_id" ]
ok $? "--init: PID 1's exe ($v) is not the host's binary ($host_id)"
[ "$(kv exe_exec)" != "$host_id" ]
ok $? "exec's child: its exe ($(kv exe_exec)) is not the host's binary"
[ "$(kv exe1_write)" != ok ] || [ "$v" != "$host_id" ]
ok $? "--init: PID 1's exe does not open the host's binary for writing"
ctr rm -f --purge "$N8" >/dev/null 2>&1
is "$(sha256sum <"$BIN")" "$host_sum" "the host's binary is unchanged"

done_testing
