#!/bin/bash
# container run in the foreground: output and exit codes, the namespaces,
# the overlay root, persistence across runs, and the run options.
. "$(dirname "$0")/lib.sh"
need_root
need_container
need_rootfs

N=$(name_for run)
mountinfo_snapshot "$T/mounts.before"
host_hostname=$(hostname)

# --- output and exit codes -------------------------------------------------

launch "$N" echo hi
is "$OUT" hi "stdout of the workload comes back"
is "$RC" 0 "exit code 0"

launch "$N" sh -c 'echo out; echo err >&2; exit 3'
is "$RC" 3 "the workload's own exit code (3)"
is "$OUT" out "the workload's stdout"
is "$ERR" err "the workload's stderr, kept apart"

capture_in abc ctr run --rootfs "$ROOTFS" --persist "$P" "$N" cat
is "$OUT" abc "stdin reaches the workload"

capture ctr run --rootfs "$T/nonexistent" --persist "$P" "$N" true
is "$RC" 125 "missing rootfs: 125"
one_error_line "missing rootfs: one error line"

launch "$N" /etc
is "$RC" 126 "a directory as the command: 126"
one_error_line "a directory as the command: one error line"

launch "$N" sh -c 'printf "#!/bin/sh\necho ran\n" >/noexec; chmod 644 /noexec'
launch "$N" /noexec
is "$RC" 126 "a file without the x bit: 126"
one_error_line "a file without the x bit: one error line"

launch "$N" /nonexistent
is "$RC" 127 "a missing absolute command: 127"
one_error_line "a missing absolute command: one error line"

launch "$N" no-such-command
is "$RC" 127 "a command not found in PATH: 127"
one_error_line "a command not found in PATH: one error line"

# --- namespaces ------------------------------------------------------------

launch "$N" sh -c 'echo $$'
is "$OUT" 1 "the workload is PID 1"

launch "$N" sh -c 'echo /proc/[0-9]*'
is "$OUT" /proc/1 "/proc shows only the container's processes"

# a host process with an argv no other process has
uniq=$((4000000 + $$))
sleep "$uniq" &
sleeper=$!
defer kill "$sleeper"
launch "$N" sh -c 'for f in /proc/[0-9]*/cmdline; do tr "\0" " " <$f; echo; done'
like "$OUT" "^sh -c" "the workload's own cmdline is readable"
unlike "$OUT" "sleep $uniq" "a host process is invisible"
kill "$sleeper"

if has_feature netns; then
	launch "$N" ls /sys/class/net
	is "$OUT" lo "--net none: only lo in /sys/class/net"

	launch "$N" sh -c 'tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d " "'
	is "$OUT" lo "--net none: only lo in /proc/net/dev"

	launch "$N" cat /sys/class/net/lo/flags
	if [[ $OUT =~ ^0x[0-9a-f]+$ ]] && ((OUT & 1)); then pass "lo is up"; else
		fail "lo is up"; diag "lo flags: '$OUT' (IFF_UP is 0x1)" "stderr: $ERR"
	fi
else
	for d in "only lo in /sys/class/net" "only lo in /proc/net/dev" "lo is up"; do
		skip "--net none: $d" "built without WITH_NETNS"
	done
fi

launch --net host "$N" ls /sys/class/net
is "$OUT" "$(ls /sys/class/net)" "--net host: the host's interfaces"

launch "$N" hostname
is "$OUT" "$N" "the hostname defaults to NAME"

launch --hostname box "$N" cat /proc/sys/kernel/hostname
is "$OUT" box "--hostname sets it"
is "$(hostname)" "$host_hostname" "the host's hostname is untouched"

# --- the root --------------------------------------------------------------

launch "$N" cat /proc/self/mountinfo
minfo=$OUT
rootfs_type=$(awk '$5 == "/" { sub(/.* - /, ""); t = $1 } END { print t }' \
	<<<"$minfo")
is "$rootfs_type" overlay "/ is an overlay"

# the old root is detached: no mount inside comes from the host's root device
hostdev=$(awk '$5 == "/" { d = $3 } END { print d }' /proc/self/mountinfo)
leaked=$(awk -v d="$hostdev" '$3 == d { print $5 }' <<<"$minfo")
is "$leaked" "" "no mount of the host's root filesystem inside"

launch "$N" sh -c 'echo kept >/kept'
launch "$N" cat /kept
is "$OUT" kept "a file written in one run is there in the next"
check "it lives in <persist>/NAME/upper" test -f "$P/$N/upper/kept"
check "beside <persist>/NAME/work" test -d "$P/$N/work"

V=$(name_for vol)
launch --volatile "$V" sh -c 'echo gone >/gone && cat /gone'
is "$OUT" gone "--volatile: the root is writable"
launch --volatile "$V" sh -c 'test -e /gone && echo there || echo absent'
is "$OUT" absent "--volatile: nothing is kept for the next run"
changes=$(find "$P/$V/upper" -mindepth 1 2>/dev/null)
is "$changes" "" "--volatile: no changes in the persistent upper"

# --- options ---------------------------------------------------------------

launch -e FOO=bar -e 'SP=a=b c' "$N" sh -c 'echo "$FOO|$SP"'
is "$OUT" "bar|a=b c" "-e K=V sets the environment"

launch -w /tmp "$N" pwd
is "$OUT" /tmp "-w sets the working directory"

launch -u 65534:65534 "$N" sh -c 'id -u; id -g'
is "$OUT" $'65534\n65534' "-u UID:GID sets the user and group"

mkdir "$T/vol"
echo from-host >"$T/vol/in"
launch -v "$T/vol:/mnt/x" "$N" sh -c 'cat /mnt/x/in && echo back >/mnt/x/out'
is "$OUT" from-host "-v: host files are visible"
is "$(cat "$T/vol/out" 2>&1)" back "-v: writes come back to the host"

launch -v "$T/vol:/mnt/x:ro" "$N" cat /mnt/x/in
is "$OUT" from-host "-v :ro: readable"
launch -v "$T/vol:/mnt/x:ro" "$N" sh -c 'echo changed >/mnt/x/in || exit 9'
is "$RC" 9 "-v :ro: a write fails"
is "$(cat "$T/vol/in")" from-host "-v :ro: the host file is unchanged"

launch --init "$N" sh -c 'echo $$'
if [[ $OUT =~ ^[0-9]+$ ]] && [ "$OUT" -ne 1 ]; then
	pass "--init: the workload is not PID 1"
else
	fail "--init: the workload is not PID 1"; diag "pid: '$OUT' $ERR"
fi

launch --init "$N" sh -c 'exit 7'
is "$RC" 7 "--init: the exit code propagates"

launch --init "$N" sh -c 'kill -9 $$'
is "$RC" 137 "--init: a workload killed by SIGKILL gives 137"

# PID 1 of a namespace is killed by the kernel, with all its processes
launch "$N" sh -c 'sleep 60 & exit 4'
is "$RC" 4 "the run ends with the workload, not its children"

launch --init "$N" sh -c 'sleep 60 & exit 5'
is "$RC" 5 "--init: the run ends with the workload, not its children"

mountinfo_snapshot "$T/mounts.after"
check "no mount leaks to the host" cmp -s "$T/mounts.before" "$T/mounts.after"

done_testing
