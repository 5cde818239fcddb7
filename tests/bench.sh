#!/bin/bash
# bench.sh - how fast, small and lean `container` is, beside crun, runc,
# bubblewrap and a bare `unshare` + `chroot`.  Run by `make bench`, as root.
#
# Prints one table:
#   start   wall time of a fresh container running /bin/true
#   exec    wall time of an exec of /bin/true into a running container
#   oci     an OCI bundle's create+start+delete, and `podman run --rm` wall
#           time, with container, crun and runc as the runtime
#   net     TCP throughput (iperf3) and connect + HTTP GET latency through a
#           published port (-p 127.0.0.1:...), against the direct veth path
#   size    the binaries on disk, static or dynamic
#   memory  resident memory of the launcher, the -d supervisor, PID 1
#   boot    `container` as /init under QEMU: kernel start -> /init -> workload
#   images  an image of about 50 MB: import time, base image next to the
#           podman save tar, run --image against run --rootfs DIR, and its
#           appliance's boot from kernel start to the entrypoint (TCG)
#   monitor `container monitor` with 50 containers known: /metrics latency
#           and requests/s, its RSS, the size of the WITH_MONITOR code
#   target  the goals, PASS or MISS
#
# Timed figures are the median of BENCH_RUNS runs, with min and max, after
# BENCH_WARMUP untimed ones.  The commands of a section run round-robin, one
# run of each per round (the order rotating), so that run i of one tool is
# next in time to run i of another: a ratio is computed pair by pair,
# run i against run i, and the median of those ratios is shown.  The
# clock is bash's $EPOCHREALTIME around fork+exec+wait of the command, so
# every figure includes the same spawn cost (the `spawn` row shows it).
#
# Environment (all optional):
#   CONTAINER     binary under test (./container)
#   BENCH_RUNS    timed runs per figure (31; at least 30)
#   BENCH_WARMUP  untimed runs before them (3)
#   BENCH_BOOTS   QEMU boots to time (5; 0 skips the boot section)
#   BENCH_IMAGE_MB  data added to the images section's image (48: ~50 MB)
#   BENCH_IMPORTS   imports to time (3)
#   BENCH_PODMAN_RUNS  timed podman runs per runtime (at most 15)
#   BENCH_NET_ROUNDS, BENCH_NET_SECS  iperf3 runs per path (5), seconds each (3)
#   ROOTFS        busybox root (build/rootfs, made by tests/lib/mkrootfs.sh)
#   VMDIR         kernel and initramfs, as in tests/lib/vm.sh
set -u
export LC_ALL=C

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
C=${CONTAINER:-$TOP/container}
RUNS=${BENCH_RUNS:-31}
WARMUP=${BENCH_WARMUP:-3}
BOOTS=${BENCH_BOOTS:-5}

die() { echo "bench: $*" >&2; exit 1; }
say() { echo "bench: $*" >&2; }

[ "$(id -u)" = 0 ] || die "needs root (namespaces, overlay mounts, runc, crun)"
[ -x "$C" ] || die "no binary at $C: run make first"
case $C in /*) ;; *) C=$(cd "$(dirname "$C")" && pwd)/$(basename "$C") ;; esac
[ "$RUNS" -ge 1 ] 2>/dev/null || die "BENCH_RUNS=$RUNS: not a number"

# crun refuses to run at all on a "hybrid" host: cgroup v1 controllers under
# /sys/fs/cgroup and a cgroup2 hierarchy at /sys/fs/cgroup/unified that
# holds a controller.  Without touching the host's cgroups, the whole bench
# then runs in a private mount namespace in which that cgroup2 mount is
# detached, so that every tool sees the same (pure v1) cgroup layout.
HYBRID=
if [ -z "${_BENCH_PRIVATE:-}" ] &&
	[ "$(stat -f -c %T /sys/fs/cgroup 2>/dev/null)" != cgroup2fs ] &&
	[ "$(stat -f -c %T /sys/fs/cgroup/unified 2>/dev/null)" = cgroup2fs ] &&
	[ -n "$(tr -d ' \n' < /sys/fs/cgroup/unified/cgroup.controllers 2>/dev/null)" ]; then
	# the outer mount namespace, so that the inner run can tell it is not there
	_BENCH_PRIVATE=$(readlink /proc/self/ns/mnt) || die "no /proc/self/ns/mnt"
	export _BENCH_PRIVATE
	exec unshare -m --propagation private -- "$BASH" "${BASH_SOURCE[0]}" "$@"
fi
if [ -n "${_BENCH_PRIVATE:-}" ] && [ "$(readlink /proc/self/ns/mnt)" != "$_BENCH_PRIVATE" ]; then
	HYBRID=$(tr -d '\n' < /sys/fs/cgroup/unified/cgroup.controllers 2>/dev/null)
	umount -l /sys/fs/cgroup/unified 2>/dev/null || HYBRID=
	export -n _BENCH_PRIVATE
fi

T0=$SECONDS
W=$(mktemp -d "${TMPDIR:-/tmp}/container-bench.XXXXXX") || die "mktemp failed"
N=bench$$		# container names: $N-*
P=$W/persist
mkdir -p "$P"

# ---------------------------------------------------------------------------
# cleanup

cleanup() {
	local d id
	for d in /run/container/"$N"-*; do
		[ -e "$d" ] || continue
		timeout 10 "$C" kill "${d##*/}" KILL >/dev/null 2>&1
		timeout 10 "$C" rm -f --purge "${d##*/}" >/dev/null 2>&1
	done
	[ -n "${PM:-}" ] && podman_teardown >/dev/null 2>&1
	"$C" delete -f "$N-oc" >/dev/null 2>&1
	for id in "$N-rx" "$N-cx" "$N-or" "$N-ocr"; do
		runc kill "$id" KILL >/dev/null 2>&1
		runc delete -f "$id" >/dev/null 2>&1
		crun --cgroup-manager=disabled delete -f "$id" >/dev/null 2>&1
	done
	[ -n "${VM_PID:-}" ] && vm_kill
	awk -v t="$W" '$5 == t || index($5, t "/") == 1 { print $5 }' \
		/proc/self/mountinfo | sort -r | while read -r d; do
		umount -l "$d" 2>/dev/null
	done
	rm -rf "$W"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------------------
# the table: rows of SECTION, MEASUREMENT, MEDIAN, MIN, MAX, N, NOTE

ROWS=()
row() { ROWS+=("$(printf '%s\t' "$@")"); }

print_table() {
	printf '%s\n' "${ROWS[@]}" | awk -F'\t' '
	BEGIN { h = "section\tmeasurement\tmedian\tmin\tmax\truns\tnote" }
	# rows grouped by section, in this order, each group in the order added
	BEGIN { split("host start exec oci net size memory boot images monitor target", o, " ") }
	{ sec[NR] = $1; raw[NR] = $0 }
	END {
		n = 0
		for (k = 1; k in o; k++)
			for (i = 1; i <= NR; i++) if (sec[i] == o[k]) line[++n] = raw[i]
		for (i = 1; i <= NR; i++) {
			known = 0
			for (k = 1; k in o; k++) if (sec[i] == o[k]) known = 1
			if (!known) line[++n] = raw[i]
		}
		NR = n
		line[0] = h
		for (i = 0; i <= NR; i++) {
			n = split(line[i], f, "\t")
			for (j = 1; j <= 7; j++) if (length(f[j]) > w[j]) w[j] = length(f[j])
		}
		for (i = 0; i <= NR; i++) {
			split(line[i], f, "\t")
			s = "|"
			for (j = 1; j <= 7; j++) {
				if (j >= 3 && j <= 6) s = s sprintf(" %*s |", w[j], f[j])
				else s = s sprintf(" %-*s |", w[j], f[j])
			}
			print s
			if (i == 0) {
				s = "|"
				for (j = 1; j <= 7; j++) {
					d = ""; for (k = 0; k < w[j]; k++) d = d "-"
					s = s (j >= 3 && j <= 6 ? "-" d ":|" : " " d " |")
				}
				print s
			}
		}
	}'
}

# ---------------------------------------------------------------------------
# statistics over lists of integers

# stats V... -> "median min max n" (median of an even count: mean of the two)
stats() {
	printf '%s\n' "$@" | sort -n | awk 'NF { v[++n] = $1 }
	END {
		if (!n) { print "- - - 0"; exit }
		m = n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
		print m, v[1], v[n], n
	}'
}

# ratios "A-LIST" "B-LIST" -> "median min max n" of A[i]/B[i]
ratios() {
	# shellcheck disable=SC2086  # lists of numbers, split on purpose
	paste -d' ' <(printf '%s\n' $1) <(printf '%s\n' $2) |
		awk 'NF == 2 && $2 > 0 { print $1 / $2 }' | sort -g | awk '{ v[++n] = $1 }
	END {
		if (!n) { print "- - - 0"; exit }
		m = n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
		print m, v[1], v[n], n
	}'
}

ms() { awk -v u="$1" 'BEGIN { printf "%.2f ms", u / 1000 }'; }
kib() { awk -v b="$1" 'BEGIN { printf "%.1f KiB", b / 1024 }'; }
xr() { awk -v r="$1" 'BEGIN { printf "%.2fx", r }'; }

# time_row SECTION LABEL KEY NOTE: a row of ms figures from TIMES[KEY]
time_row() {
	local med min max n
	if [ -n "${FAILED[$3]:-}" ]; then
		row "$1" "$2" - - - 0 "FAILED: ${FAILED[$3]}"
		return
	fi
	# shellcheck disable=SC2086
	read -r med min max n <<<"$(stats ${TIMES[$3]})"
	[ "${n:-0}" = 0 ] && { row "$1" "$2" - - - 0 "${4:-not run}"; return; }
	row "$1" "$2" "$(ms "$med")" "$(ms "$min")" "$(ms "$max")" "$n" "${4:-}"
}

# ratio_row SECTION LABEL KEY-A KEY-B: run-by-run ratio of A to B
ratio_row() {
	local med min max n
	if [ -n "${FAILED[$3]:-}" ] || [ -n "${FAILED[$4]:-}" ] ||
		[ -z "${TIMES[$3]:-}" ] || [ -z "${TIMES[$4]:-}" ]; then
		row "$1" "$2" - - - 0 "n/a: one side did not run"
		return
	fi
	read -r med min max n <<<"$(ratios "${TIMES[$3]}" "${TIMES[$4]}")"
	row "$1" "$2" "$(xr "$med")" "$(xr "$min")" "$(xr "$max")" "$n" \
		"paired run by run; < 1: container faster"
}

# ---------------------------------------------------------------------------
# round-robin timing

declare -A TIMES FAILED
# bench_rounds KEY... : run each function cmd_KEY once per round.
bench_rounds() {
	local keys=("$@") nk=$# r i k t0 t1 rc
	for ((r = 1; r <= WARMUP + RUNS; r++)); do
		for ((i = 0; i < nk; i++)); do
			k=${keys[(i + r) % nk]}
			[ -n "${FAILED[$k]:-}" ] && continue
			t0=${EPOCHREALTIME/[.,]/}
			"cmd_$k" </dev/null >/dev/null 2>"$W/err.$k"
			rc=$?
			t1=${EPOCHREALTIME/[.,]/}
			if [ $rc -ne 0 ]; then
				FAILED[$k]="exit $rc: $(head -n 1 "$W/err.$k")"
				TIMES[$k]=
				continue
			fi
			[ $r -gt "$WARMUP" ] && TIMES[$k]+="$((t1 - t0)) "
		done
	done
}

# ---------------------------------------------------------------------------
# setup: the rootfs and the OCI bundles

if [ -n "${ROOTFS:-}" ]; then
	R=$ROOTFS
else
	R=$TOP/build/rootfs
	mkdir -p "$TOP/build"
	(flock 9 && "$TOP/tests/lib/mkrootfs.sh" "$R" >&2) 9>"$R.lock" ||
		die "could not build $R with tests/lib/mkrootfs.sh"
fi
R=$(cd "$R" && pwd)
[ -x "$R/bin/true" ] || die "no /bin/true in $R"

have() { command -v "$1" >/dev/null 2>&1; }
HAVE_CRUN=; have crun && HAVE_CRUN=1
HAVE_RUNC=; have runc && HAVE_RUNC=1
HAVE_BWRAP=; have bwrap && HAVE_BWRAP=1

# bundle DIR ARG...: an OCI bundle over $R running ARG..., with the
# namespaces container uses (mount pid uts ipc network cgroup).
bundle() {
	local dir=$1; shift
	mkdir -p "$dir"
	if have crun; then (cd "$dir" && crun spec >/dev/null 2>&1)
	elif have runc; then (cd "$dir" && runc spec >/dev/null 2>&1)
	fi
	[ -s "$dir/config.json" ] || return 1
	perl -MJSON::PP -e '
		my ($f, $root, @args) = @ARGV;
		local $/; open(my $h, "<", $f) or die "$f: $!";
		my $j = decode_json(<$h>); close $h;
		$j->{process}{args} = \@args;
		$j->{process}{terminal} = JSON::PP::false;
		$j->{root} = { path => $root, readonly => JSON::PP::false };
		$j->{linux}{namespaces} = [ map { { type => $_ } } qw(mount pid uts ipc network cgroup) ];
		open($h, ">", $f) or die "$f: $!";
		print $h JSON::PP->new->pretty->canonical->encode($j);
	' "$dir/config.json" "$R" "$@"
}
BUNDLE_OK=
if [ -n "$HAVE_CRUN$HAVE_RUNC" ]; then
	bundle "$W/bundle" /bin/true && bundle "$W/bundle-sleep" /bin/sleep 600 && BUNDLE_OK=1
fi

# --version of each tool, for the notes
ver() { "$@" --version 2>/dev/null | head -n 1 | grep -oE '[0-9]+\.[0-9]+(\.[0-9]+)?' | head -n 1; }
V_CRUN=$(ver crun); V_RUNC=$(ver runc); V_BWRAP=$(ver bwrap); V_UNSHARE=$(ver unshare)

# what the figures depend on: CPUs, load from elsewhere, whether /run (the
# state files, fsynced on every start and stop) is tmpfs
row host "kernel, CPUs, load average" "" "" "" "" \
	"$(uname -r), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg) at start"
row host "/run, persist dir filesystems" "" "" "" "" \
	"/run on $(stat -f -c %T /run 2>/dev/null), the --persist dir on $(stat -f -c %T "$P" 2>/dev/null)"

# ---------------------------------------------------------------------------
# 1. start latency

cmd_spawn() { "$R/bin/busybox" true; }
cmd_cvol() { "$C" run --volatile --rootfs "$R" --persist "$P" "$N-v" /bin/true; }
cmd_cper() { "$C" run --rootfs "$R" --persist "$P" "$N-p" /bin/true; }
cmd_crun() { crun --cgroup-manager=disabled run -b "$W/bundle" "$N-c"; }
cmd_runc() { runc run -b "$W/bundle" "$N-r"; }
cmd_bwrap() { bwrap --unshare-all --bind "$R" / --proc /proc --dev /dev /bin/true; }
cmd_floor() { unshare -mpuinC -f chroot "$R" /bin/true; }

keys=(spawn cvol cper floor)
[ -n "$BUNDLE_OK" ] && [ -n "$HAVE_CRUN" ] && keys+=(crun)
[ -n "$BUNDLE_OK" ] && [ -n "$HAVE_RUNC" ] && keys+=(runc)
[ -n "$HAVE_BWRAP" ] && keys+=(bwrap)
say "start latency: ${keys[*]}, $WARMUP + $RUNS rounds"
bench_rounds "${keys[@]}"

S=start
time_row $S "spawn only: busybox true, no namespaces" spawn "the timer's own fork+exec+wait cost"
time_row $S "container run --volatile" cvol "overlay upper on tmpfs; no cgroup made (no cgroup v2 controllers here)"
time_row $S "container run --persist" cper "overlay upper in the persistent layer, reused"
if [ -z "$HAVE_CRUN" ]; then row $S "crun run" - - - 0 "crun not installed"
elif [ -z "$BUNDLE_OK" ]; then row $S "crun run" - - - 0 "could not make an OCI bundle"
else time_row $S "crun run (crun $V_CRUN)" crun "--cgroup-manager=disabled: no cgroup, as container here${HYBRID:+ (see note)}"
fi
if [ -z "$HAVE_RUNC" ]; then row $S "runc run" - - - 0 "runc not installed"
elif [ -z "$BUNDLE_OK" ]; then row $S "runc run" - - - 0 "could not make an OCI bundle"
else time_row $S "runc run (runc $V_RUNC)" runc "runc has no way to skip cgroups: it makes and removes v1 cgroups each run"
fi
if [ -z "$HAVE_BWRAP" ]; then row $S "bwrap" - - - 0 "bubblewrap not installed"
else time_row $S "bwrap --unshare-all (bwrap $V_BWRAP)" bwrap "bind of the rootfs, no overlay; adds a user namespace"
fi
time_row $S "floor: unshare -mpuinC -f chroot" floor "same namespaces, chroot, no mounts (util-linux $V_UNSHARE)"
if [ -n "$HYBRID" ]; then
	row $S "note: hybrid cgroups" "" "" "" "" "cgroup v1 here, and a cgroup2 mount holding: $HYBRID; crun refuses such a host."
	row $S "" "" "" "" "" "So the whole bench runs in a private mount namespace with /sys/fs/cgroup/unified"
	row $S "" "" "" "" "" "detached (the host is not changed): every tool sees the same pure v1 layout."
fi
ratio_row $S "ratio container-volatile / floor" cvol floor
ratio_row $S "ratio container-volatile / crun" cvol crun
ratio_row $S "ratio container-volatile / runc" cvol runc
ratio_row $S "ratio container-volatile / bwrap" cvol bwrap
ratio_row $S "ratio container-persist / container-volatile" cper cvol

# ---------------------------------------------------------------------------
# 2. exec latency

# `run -d` may return before the state file says "running": wait for it.
# status_kib PID FIELD: VmRSS or VmHWM of PID in KiB
status_kib() { awk -v f="$2:" '$1 == f { print $2 }' "/proc/$1/status" 2>/dev/null; }
# state_get NAME KEY
state_get() { sed -n "s/^$2=//p" "/run/container/$1/state" 2>/dev/null; }
# wait_state NAME STATUS: poll the state file for 10 s
wait_state() {
	local i
	for ((i = 0; i < 1000; i++)); do
		[ "$(state_get "$1" status)" = "$2" ] && return 0
		sleep 0.01
	done
	return 1
}
# gone PID: wait up to 10 s for PID (not a child of ours) to exit
gone() {
	local i
	for ((i = 0; i < 1000; i++)); do
		[ -e "/proc/$1" ] || return 0
		[ "$(awk '{ print $3 }' "/proc/$1/stat" 2>/dev/null)" = Z ] && return 0
		sleep 0.01
	done
	return 1
}


S="exec"
say "exec latency"
XPID=
if "$C" run -d --rootfs "$R" --persist "$P" "$N-x" /bin/sleep 600 </dev/null >"$W/x.out" 2>&1; then
	wait_state "$N-x" running && XPID=$(state_get "$N-x" pid)
	[ "${XPID:-0}" -gt 0 ] 2>/dev/null && [ -e "/proc/$XPID" ] || XPID=
else
	FAILED[cexec]="run -d failed: $(head -n 1 "$W/x.out")"
fi
RX=; CX=
if [ -n "$BUNDLE_OK" ] && [ -n "$HAVE_RUNC" ]; then
	if runc run -d -b "$W/bundle-sleep" "$N-rx" </dev/null >"$W/rx.out" 2>&1; then RX=1
	else FAILED[runcexec]="runc run -d failed: $(head -n 1 "$W/rx.out")"; fi
fi
if [ -n "$BUNDLE_OK" ] && [ -n "$HAVE_CRUN" ]; then
	if crun --cgroup-manager=disabled run -d -b "$W/bundle-sleep" "$N-cx" </dev/null >"$W/cx.out" 2>&1; then CX=1
	else FAILED[crunexec]="crun run -d failed: $(head -n 1 "$W/cx.out")"; fi
fi
cmd_cexec() { "$C" exec "$N-x" /bin/true; }
cmd_runcexec() { runc exec "$N-rx" /bin/true; }
cmd_crunexec() { crun --cgroup-manager=disabled exec "$N-cx" /bin/true; }
cmd_nsenter() { nsenter -t "$XPID" -a /bin/true; }
keys=(cexec)
[ -n "$XPID" ] && keys+=(nsenter)
[ -n "$RX" ] && keys+=(runcexec)
[ -n "$CX" ] && keys+=(crunexec)
bench_rounds "${keys[@]}"
time_row $S "container exec" cexec "into a running container run -d"
if [ -z "$HAVE_RUNC" ]; then row $S "runc exec" - - - 0 "runc not installed"
else time_row $S "runc exec" runcexec "into a running runc run -d"
fi
if [ -z "$HAVE_CRUN" ]; then row $S "crun exec" - - - 0 "crun not installed"
else time_row $S "crun exec" crunexec "into a running crun run -d"
fi
time_row $S "floor: nsenter -a" nsenter "all namespaces of the container's workload"
ratio_row $S "ratio container exec / runc exec" cexec runcexec
ratio_row $S "ratio container exec / crun exec" cexec crunexec
ratio_row $S "ratio container exec / nsenter" cexec nsenter
[ -n "$RX" ] && { runc kill "$N-rx" KILL; runc delete -f "$N-rx"; } >/dev/null 2>&1
[ -n "$CX" ] && { crun --cgroup-manager=disabled kill "$N-cx" KILL
	crun --cgroup-manager=disabled delete -f "$N-cx"; } >/dev/null 2>&1
"$C" kill "$N-x" KILL >/dev/null 2>&1

# ---------------------------------------------------------------------------
# 2b. OCI runtime: a bundle's create+start+delete, and podman run --rm

S=oci
# each: three calls of the runtime, as an engine makes them
cmd_ocic() { "$C" create --bundle "$W/bundle" "$N-oc" && "$C" start "$N-oc" && "$C" delete -f "$N-oc"; }
cmd_ocicr() {
	crun --cgroup-manager=disabled create --bundle "$W/bundle" "$N-ocr" &&
		crun --cgroup-manager=disabled start "$N-ocr" &&
		crun --cgroup-manager=disabled delete -f "$N-ocr"
}
cmd_ocir() { runc create --bundle "$W/bundle" "$N-or" && runc start "$N-or" && runc delete -f "$N-or"; }
keys=(ocic)
[ -n "$BUNDLE_OK" ] && [ -n "$HAVE_CRUN" ] && keys+=(ocicr)
[ -n "$BUNDLE_OK" ] && [ -n "$HAVE_RUNC" ] && keys+=(ocir)
if [ -n "$BUNDLE_OK" ]; then
	say "OCI create+start+delete: ${keys[*]}, $WARMUP + $RUNS rounds"
	bench_rounds "${keys[@]}"
	time_row $S "container create+start+delete" ocic "one bundle running /bin/true; devices only: no cgroup made"
	time_row $S "crun create+start+delete" ocicr "--cgroup-manager=disabled"
	time_row $S "runc create+start+delete" ocir "runc makes and removes v1 cgroups each run"
	ratio_row $S "ratio container / crun (create+start+delete)" ocic ocicr
	ratio_row $S "ratio container / runc (create+start+delete)" ocic ocir
else
	row $S "create+start+delete" - - - 0 "could not make an OCI bundle"
fi

# podman run --rm through conmon, with each runtime; Podman's state under $W
PODMAN_OK=
if have podman; then
	T=$W ROOTFS=$R
	bail() { die "$@"; }
	defer() { :; }
	need_rootfs() { :; }
	. "$TOP/tests/lib/podman.sh"
	podman_setup "$C" && podman_image && PODMAN_OK=1
fi
cmd_podc() { pm_use container && pm_run --rm "$PM_IMAGE" /bin/true; }
cmd_podcr() { pm_use crun && pm_run --rm "$PM_IMAGE" /bin/true; }
cmd_podr() { pm_use runc && pm_run --rm "$PM_IMAGE" /bin/true; }
if [ -n "$PODMAN_OK" ]; then
	keys=(podc podr)
	[ -n "$HAVE_CRUN" ] && keys+=(podcr)
	PRUNS=$RUNS
	RUNS=${BENCH_PODMAN_RUNS:-$((RUNS < 15 ? RUNS : 15))}
	say "podman run --rm: ${keys[*]}, $WARMUP + $RUNS rounds"
	bench_rounds "${keys[@]}"
	RUNS=$PRUNS
	V_PODMAN=$(ver podman)
	time_row $S "podman run --rm IMAGE /bin/true: container" podc "podman $V_PODMAN, conmon; --cgroups=disabled"
	time_row $S "podman run --rm IMAGE /bin/true: crun" podcr "--cgroups=disabled"
	time_row $S "podman run --rm IMAGE /bin/true: runc" podr "cgroupfs: runc is not a nocgroups runtime for Podman"
	ratio_row $S "ratio podman+container / podman+crun" podc podcr
	ratio_row $S "ratio podman+container / podman+runc" podc podr
	podman_teardown >/dev/null 2>&1
else
	row $S "podman run --rm" - - - 0 "podman not installed, or the image could not be imported"
fi

# ---------------------------------------------------------------------------
# 2c. networking: a published port (-p, the supervisor's splice forwarder)
#     against the direct path over the bridge and veth, in the same run

S=net
NET_ROUNDS=${BENCH_NET_ROUNDS:-5}	# iperf3 runs of NET_SECS seconds, each path
NET_SECS=${BENCH_NET_SECS:-3}
NETC=$N-net
# a free TCP port on 127.0.0.1, from $1 up
free_port() { local p=$1; while ss -Htan "( sport = :$p )" | grep -q .; do p=$((p + 1)); done; echo "$p"; }
# iperf3 -c HOST [-p PORT]: the receiver's rate in Mbit/s
iperf_mbps() {
	iperf3 -J -t "$NET_SECS" -c "$@" 2>/dev/null | perl -MJSON::PP -e '
		local $/; my $j = eval { decode_json(<STDIN>) } or exit 1;
		my $b = $j->{end}{sum_received}{bits_per_second} or exit 1;
		printf "%d\n", $b / 1e6'
}
NET_IP=
if ! have iperf3 || ! have curl; then
	row $S "published port" - - - 0 "iperf3 or curl not installed (tools/deps.sh bench)"
else
	say "networking: iperf3 and HTTP GETs, published port against direct"
	PI=$(free_port 18600); PH=$(free_port $((PI + 1)))
	mkdir -p "$W/www" && echo ok >"$W/www/index.html"
	# iperf3 from the host: its /usr and libraries bound read-only
	if "$C" run -d --volatile --rootfs "$R" --persist "$P" --net bridge \
		-p "127.0.0.1:$PI:5201" -p "127.0.0.1:$PH:80" -v /usr:/usr:ro -v /lib:/lib:ro \
		-v /lib64:/lib64:ro -v "$W/www:/www:ro" "$NETC" -- \
		/bin/sh -c '/bin/busybox httpd -p 80 -h /www; exec /usr/bin/iperf3 -s' </dev/null >"$W/net.out" 2>&1; then
		NET_IP=$("$C" exec "$NETC" /bin/busybox ip -4 -o addr show eth0 | sed -n 's/.* inet \([0-9.]*\)\/.*/\1/p')
	fi
	for ((i = 0; i < 50; i++)); do
		curl -s -o /dev/null "http://127.0.0.1:$PH/" && iperf3 -n 1K -c 127.0.0.1 -p "$PI" >/dev/null 2>&1 && break
		sleep 0.1
	done
	if [ -z "$NET_IP" ]; then
		row $S "published port" - - - 0 "FAILED: run --net bridge: $(head -n 1 "$W/net.out")"
	else
		NET_DIRECT=(); NET_PUB=()
		for ((r = 0; r < NET_ROUNDS; r++)); do	# alternating, paired
			NET_DIRECT+=("$(iperf_mbps "$NET_IP")")
			NET_PUB+=("$(iperf_mbps 127.0.0.1 -p "$PI")")
		done
		mbps_row() {
			local med min max n
			read -r med min max n <<<"$(stats "${@:3}")"
			row $S "$1" "$med Mbit/s" "$min Mbit/s" "$max Mbit/s" "$n" "$2"
		}
		mbps_row "TCP throughput, direct to the container" "iperf3 -t $NET_SECS from the host to its address (bridge, veth)" "${NET_DIRECT[@]}"
		mbps_row "TCP throughput, published port" "the same through -p 127.0.0.1:$PI:5201 (forwarder, splice)" "${NET_PUB[@]}"
		read -r med min max n <<<"$(ratios "${NET_PUB[*]}" "${NET_DIRECT[*]}")"
		row $S "ratio published / direct throughput" "$(xr "$med")" "$(xr "$min")" "$(xr "$max")" "$n" "paired run by run"
		NET_RATIO=$med
		cmd_getdirect() { curl -s -o /dev/null "http://$NET_IP/"; }
		cmd_getpub() { curl -s -o /dev/null "http://127.0.0.1:$PH/"; }
		bench_rounds getdirect getpub
		time_row $S "connect + HTTP GET, direct" getdirect "curl, a new TCP connection each (busybox httpd)"
		time_row $S "connect + HTTP GET, published port" getpub "the forwarder accepts, forks and connects on"
		ratio_row $S "ratio published / direct GET" getpub getdirect
	fi
	"$C" rm -f "$NETC" >/dev/null 2>&1
fi

# ---------------------------------------------------------------------------
# 3. size

S=size
FULL_BIN=$TOP/build/container-full
[ -x "$FULL_BIN" ] || FULL_BIN=$C
MIN_BIN=$TOP/build/container-minimal
declare -A SIZE
# size_row LABEL PATH [NOTE]: size of PATH (stripped), static or dynamic
size_row() {
	local label=$1 path=$2 note=${3:-} f s kind libs
	if [ ! -e "$path" ]; then row $S "$label" - - - - "not found${note:+; $note}"; return; fi
	path=$(readlink -f "$path")
	f=$(file -b "$path")
	if [[ $f == *"not stripped"* ]]; then
		cp "$path" "$W/strip.tmp" && strip "$W/strip.tmp" 2>/dev/null
		s=$(stat -c %s "$W/strip.tmp"); note="stripped copy${note:+; $note}"
	else
		s=$(stat -c %s "$path")
	fi
	case $f in
	*"statically linked"* | *"static-pie linked"*) kind=static ;;
	*"dynamically linked"*)
		libs=$(ldd "$path" 2>/dev/null | grep -c '=>')
		kind="dynamic, $libs shared libs" ;;
	*) kind=$(echo "$f" | cut -d, -f1) ;;
	esac
	SIZE[$label]=$s
	row $S "$label" "$(kib "$s")" - - - "$s bytes, $kind${note:+; $note}"
}
size_row "container (./container)" "$C" "$("$C" --version 2>/dev/null | cut -d' ' -f3-)"
size_row "container full config" "$FULL_BIN" "$(cmp -s "$FULL_BIN" "$C" && echo "same file as ./container")"
size_row "container minimal config" "$MIN_BIN" "$("$MIN_BIN" --version 2>/dev/null | cut -d' ' -f3-)"
# other configurations tests/configs names, when built
for cfg in "$TOP"/tests/configs/*.h; do
	n=$(basename "$cfg" .h)
	case $n in full | minimal) continue ;; esac
	[ -x "$TOP/build/container-$n" ] &&
		size_row "container $n config" "$TOP/build/container-$n" \
			"$("$TOP/build/container-$n" --version 2>/dev/null | cut -d' ' -f3-)"
done
for t in crun runc bwrap; do
	if have $t; then size_row "$t" "$(command -v $t)" "as installed"
	else row $S "$t" - - - - "not installed"; fi
done

# ---------------------------------------------------------------------------
# 4. memory

S=memory
say "memory"
FG_RSS=(); FG_HWM=(); SUP_RSS=(); SUP_HWM=(); FG_ERR=; SUP_ERR=
for ((r = 1; r <= RUNS; r++)); do
	# foreground: the launcher process itself, while its workload sleeps
	"$C" run --volatile --rootfs "$R" --persist "$P" "$N-f" /bin/sleep 60 </dev/null >/dev/null 2>"$W/f.err" &
	pid=$!
	if wait_state "$N-f" running && [ "$(state_get "$N-f" sup)" = "$pid" ]; then
		FG_RSS+=("$(status_kib "$pid" VmRSS)"); FG_HWM+=("$(status_kib "$pid" VmHWM)")
	else
		FG_ERR="no running state for the foreground run: $(head -n 1 "$W/f.err")"
	fi
	"$C" kill "$N-f" KILL >/dev/null 2>&1
	wait "$pid" 2>/dev/null
	# detached: the supervisor
	if "$C" run -d --volatile --rootfs "$R" --persist "$P" "$N-d" /bin/sleep 60 </dev/null >/dev/null 2>"$W/d.err" &&
		wait_state "$N-d" running; then
		sup=$(state_get "$N-d" sup)
		SUP_RSS+=("$(status_kib "$sup" VmRSS)"); SUP_HWM+=("$(status_kib "$sup" VmHWM)")
	else
		SUP_ERR="run -d: $(head -n 1 "$W/d.err")"
	fi
	"$C" kill "$N-d" KILL >/dev/null 2>&1
	# the NAME is free once the supervisor is gone, not at "stopped"
	[ -n "${sup:-}" ] && gone "$sup"
	sup=
	[ -n "$FG_ERR$SUP_ERR" ] && break
done

# kib_row LABEL NOTE V...: a row of KiB figures
kib_row() {
	local label=$1 note=$2 med min max n; shift 2
	read -r med min max n <<<"$(stats "$@")"
	if [ "$n" = 0 ]; then row $S "$label" - - - 0 "$note"; return; fi
	row $S "$label" "$med KiB" "$min KiB" "$max KiB" "$n" "$note"
}
if [ -n "$FG_ERR" ]; then row $S "container run (foreground) VmHWM" - - - 0 "FAILED: $FG_ERR"
else
	kib_row "container run (foreground) VmHWM" "launcher pid, read from /proc while the workload runs" "${FG_HWM[@]}"
	kib_row "container run (foreground) VmRSS" "same moment" "${FG_RSS[@]}"
fi
if [ -n "$SUP_ERR" ]; then row $S "container run -d supervisor VmHWM" - - - 0 "FAILED: $SUP_ERR"
else
	kib_row "container run -d supervisor VmHWM" "sup= of the state file, workload sleeping" "${SUP_HWM[@]}"
	kib_row "container run -d supervisor VmRSS" "same moment" "${SUP_RSS[@]}"
fi

# Peak RSS as /usr/bin/time -f %M sees it: the largest of the process and
# its waited-for descendants, so it includes the busybox workload.
cmd_tm() { /usr/bin/time -f %M -o "$W/tm.out" "$@" </dev/null >/dev/null 2>&1 && cat "$W/tm.out"; }
tm_row() {
	local label=$1 note=$2 v=() x r; shift 2
	for ((r = 1; r <= RUNS; r++)); do
		x=$(cmd_tm "$@") || { row $S "$label" - - - 0 "FAILED: $*"; return; }
		v+=("$x")
	done
	kib_row "$label" "$note" "${v[@]}"
}
if [ -x /usr/bin/time ]; then
	tm_row "time %M: busybox true alone" "the workload's own peak: a floor for the rows below" \
		"$R/bin/busybox" true
	tm_row "time %M: container run --volatile" "max over launcher and workload" \
		"$C" run --volatile --rootfs "$R" --persist "$P" "$N-v" /bin/true
	[ -n "$BUNDLE_OK" ] && [ -n "$HAVE_CRUN" ] && [ -z "${FAILED[crun]:-}" ] &&
		tm_row "time %M: crun run" "max over crun and workload" \
			crun --cgroup-manager=disabled run -b "$W/bundle" "$N-c"
	[ -n "$BUNDLE_OK" ] && [ -n "$HAVE_RUNC" ] && [ -z "${FAILED[runc]:-}" ] &&
		tm_row "time %M: runc run" "max over runc and workload" \
			runc run -b "$W/bundle" "$N-r"
	[ -n "$HAVE_BWRAP" ] && [ -z "${FAILED[bwrap]:-}" ] &&
		tm_row "time %M: bwrap" "max over bwrap and workload" \
			bwrap --unshare-all --bind "$R" / --proc /proc --dev /dev /bin/true
else
	row $S "time %M" - - - 0 "/usr/bin/time not installed (Debian package time)"
fi

# ---------------------------------------------------------------------------
# 5. boot under QEMU

S=boot
BOOT_INIT=(); BOOT_WORK=(); BOOT_SHARE=(); PID1_HWM=()
declare -A PHASE
PHASES=()	# phase labels, in boot order
BOOT_NOTE=
if [ "$BOOTS" -gt 0 ]; then
	# shellcheck source=tests/lib/vm.sh
	. "$TOP/tests/lib/vm.sh"
	miss=$(vm_missing)
	if [ -n "$miss" ]; then
		BOOT_NOTE="skipped: missing $miss (tools/deps.sh test installs them)"
	elif ! CONTAINER=$C vm_setup >"$W/vm-setup.log" 2>&1; then
		BOOT_NOTE="skipped: vm_setup failed: $(tail -n 1 "$W/vm-setup.log")"
	fi
else
	BOOT_NOTE="skipped: BENCH_BOOTS=0"
fi

# boot_parse LOG: from the container.debug lines of one boot,
#   T T_INIT T_WORK     first debug line and "workload ... started" (s)
#   P LABEL|US          one phase: the time up to a debug line from the one
#                       before (consecutive "loaded MODULE" lines make one)
#   M KIB               PID 1's RSS, when container.debug printed it
boot_parse() {
	vm_log "$1" | awk '
	function phase(label, t) { printf "P %s|%d\n", label, (t - prev) * 1000000; prev = t }
	match($0, /^\[ *[0-9]+\.[0-9]+\] container: /) {
		t = substr($0, 2, index($0, "]") - 2) + 0
		msg = substr($0, RLENGTH + 1)
		if (msg ~ /RSS|VmHWM/ && match(msg, /[0-9]+ *kB/)) {
			m = substr(msg, RSTART, RLENGTH); gsub(/[^0-9]/, "", m); print "M " m
		}
		if (work != "") next
		if (init == "") { init = prev = t; next }
		if (msg ~ /^loaded /) { mods = t; next }
		if (mods != "") { phase("load modules", mods); mods = "" }
		label = msg
		gsub(/[0-9]+/, "N", label)
		if (length(label) > 40) label = substr(label, 1, 37) "..."
		phase("-> " label, t)
		if (msg ~ /^workload .* started/) work = t
	}
	END {
		if (init == "" || work == "") exit 1
		printf "T %s %s\n", init, work
	}'
}

if [ -z "$BOOT_NOTE" ]; then
	say "boot: 1 boot without quiet, then $BOOTS boots"
	vm_disk "$W/disk.img" 64 >/dev/null 2>&1 || BOOT_NOTE="skipped: could not make the ext4 disk"
fi
RUNINIT_OFF=
if [ -z "$BOOT_NOTE" ]; then
	# First boot: makes the persistent layer on the fresh disk (not timed), and,
	# without `quiet`, shows the kernel's own "Run /init" line: how long
	# before the first container.debug line the kernel handed over.
	base_cmdline=$VM_CMDLINE_BASE
	VM_CMDLINE_BASE=${base_cmdline//quiet/}
	vm_boot "$W/boot0.log" "$W/disk.img" "$VM_CMDLINE_STD container.debug -- /bin/true" 120 >/dev/null 2>&1
	VM_CMDLINE_BASE=$base_cmdline
	RUNINIT_OFF=$(vm_log "$W/boot0.log" | awk '
		/Run \/init as init process/ && ri == "" { ri = substr($0, 2, index($0, "]") - 2) + 0 }
		/^\[ *[0-9.]+\] container: / && ri != "" && c == "" { c = substr($0, 2, index($0, "]") - 2) + 0 }
		END { if (ri != "" && c != "") printf "%d", (c - ri) * 1000000 }')
	for ((b = 1; b <= BOOTS; b++)); do
		vm_boot "$W/boot$b.log" "$W/disk.img" "$VM_CMDLINE_STD container.debug -- /bin/true" 120 >/dev/null 2>&1
		rc=$?
		boot_parse "$W/boot$b.log" >"$W/boot$b.parsed"
		if ! read -r _ ti tw < <(grep '^T ' "$W/boot$b.parsed"); then
			BOOT_NOTE="FAILED: boot $b (QEMU status $rc): no \"workload ... started\" line; last: $(vm_log "$W/boot$b.log" | grep -a 'container:' | tail -n 1)"
			break
		fi
		BOOT_INIT+=("$(awk -v a="$ti" 'BEGIN { printf "%d", a * 1000000 }')")
		BOOT_WORK+=("$(awk -v a="$ti" -v b="$tw" 'BEGIN { printf "%d", (b - a) * 1000000 }')")
		BOOT_SHARE+=("$(awk -v a="$ti" -v b="$tw" 'BEGIN { printf "%.3f", (b - a) / b * 100 }')")
		while IFS='|' read -r label us; do
			label=${label#P }
			[ -n "${PHASE[$label]+set}" ] || PHASES+=("$label")
			PHASE[$label]+="$us "
		done < <(grep '^P ' "$W/boot$b.parsed")
		while read -r _ kib; do PID1_HWM+=("$kib"); done < <(grep '^M ' "$W/boot$b.parsed")
	done
fi

# boot rows
if [ -n "$BOOT_NOTE" ] && [ ${#BOOT_INIT[@]} -eq 0 ]; then
	row $S "kernel start -> /init" - - - 0 "$BOOT_NOTE"
else
	sec_row() {
		local label=$1 note=$2 med min max n; shift 2
		read -r med min max n <<<"$(stats "$@")"
		row $S "$label" "$(ms "$med")" "$(ms "$min")" "$(ms "$max")" "$n" "$note"
	}
	sec_row "kernel start -> /init" "first container.debug line (QEMU TCG, as tests/lib/vm.sh)" "${BOOT_INIT[@]}"
	sec_row "/init -> workload exec" "to \"workload ... started\"" "${BOOT_WORK[@]}"
	read -r med min max n <<<"$(stats "${BOOT_SHARE[@]}")"
	row $S "/init share of kernel start -> workload" "$(printf %.1f "$med") %" "$(printf %.1f "$min") %" \
		"$(printf %.1f "$max") %" "$n" "whole boot = kernel start -> workload exec"
	for label in "${PHASES[@]}"; do
		# shellcheck disable=SC2086
		read -r med min max n <<<"$(stats ${PHASE[$label]})"
		row $S "  $label" "$(ms "$med")" "$(ms "$min")" "$(ms "$max")" "$n" "from the debug line before"
	done
	[ -n "$RUNINIT_OFF" ] &&
		row $S "kernel \"Run /init\" -> first debug line" "$(ms "$RUNINIT_OFF")" "" "" 1 \
			"one boot without quiet; printk and CLOCK_MONOTONIC differ slightly"
	[ -n "$BOOT_NOTE" ] && row $S "note" "" "" "" "" "$BOOT_NOTE"
fi
if [ ${#PID1_HWM[@]} -gt 0 ]; then
	S=memory
	kib_row "PID 1 peak RSS (QEMU guest)" "Rss (smaps_rollup), printed by container.debug at power off" "${PID1_HWM[@]}"
elif [ -z "$BOOT_NOTE" ]; then
	row memory "PID 1 peak RSS (QEMU guest)" - - - 0 \
		"not measured: the workload sees only its own PID 1, and container.debug printed no VmHWM"
else
	row memory "PID 1 peak RSS (QEMU guest)" - - - 0 "not measured: no boot"
fi

# ---------------------------------------------------------------------------
# 6. images: import, sizes, run --image, an appliance's boot

S=images
IMG_NOTE=
for t in podman skopeo umoci jq mksquashfs unsquashfs sfdisk; do
	have $t || IMG_NOTE="skipped: no $t (tools/deps.sh test installs it)"
done
"$C" --version | grep -q -- '-images' && IMG_NOTE="skipped: built without WITH_IMAGES"
if [ -z "$IMG_NOTE" ]; then
	# shellcheck source=tests/lib/images.sh
	. "$TOP/tests/lib/images.sh"
	say "images: podman build of a ${BENCH_IMAGE_MB:-48} MB image (private storage)"
	mkdir -p "$W/img" "$W/store"
	if ! images_build "$W/img" 2>"$W/img.log" || ! images_big "$W/img" "${BENCH_IMAGE_MB:-48}" 2>>"$W/img.log"; then
		IMG_NOTE="FAILED: podman build: $(tail -n 1 "$W/img.log")"
	fi
fi
if [ -z "$IMG_NOTE" ]; then
	export CONTAINER_IMAGES=$W/store
	BIG="${CS}localhost/ctest:big"
	IMPORTS=()
	for ((i = 1; i <= ${BENCH_IMPORTS:-3}; i++)); do
		t0=${EPOCHREALTIME/[.,]/}
		"$TOP/initramfs/import.sh" "$BIG" big >/dev/null 2>"$W/import.err" || { IMG_NOTE="FAILED: import: $(tail -n 1 "$W/import.err")"; break; }
		t1=${EPOCHREALTIME/[.,]/}
		IMPORTS+=("$((t1 - t0))")
	done
fi
if [ -n "$IMG_NOTE" ]; then
	row $S "import" - - - 0 "$IMG_NOTE"
else
	read -r med min max n <<<"$(stats "${IMPORTS[@]}")"
	row $S "import.sh containers-storage -> squashfs" "$(ms "$med")" "$(ms "$min")" "$(ms "$max")" "$n" \
		"skopeo copy, umoci unpack, mksquashfs -comp gzip, install"
	t0=${EPOCHREALTIME/[.,]/}
	"$TOP/initramfs/import.sh" --erofs "$BIG" big-erofs >/dev/null 2>&1
	t1=${EPOCHREALTIME/[.,]/}
	row $S "import.sh --erofs" "$(ms "$((t1 - t0))")" "" "" 1 "mkfs.erofs, uncompressed"
	$PM save -q -o "$W/big.tar" localhost/ctest:big 2>/dev/null
	$PM save -q --format oci-archive -o "$W/big.oci.tar" localhost/ctest:big 2>/dev/null
	mb() { awk -v b="$(wc -c < "$1")" 'BEGIN { printf "%.1f MiB", b / 1048576 }'; }
	row $S "podman save (docker-archive tar)" "$(mb "$W/big.tar")" "" "" "" "the image as podman exports it"
	row $S "podman save --format oci-archive" "$(mb "$W/big.oci.tar")" "" "" "" "gzip layers"
	row $S "base image: squashfs (gzip)" "$(mb "$W/store/big.squashfs")" "" "" "" "with /.container/image and the trailer"
	row $S "base image: erofs" "$(mb "$W/store/big-erofs.erofs")" "" "" "" "uncompressed"

	# the same tree as a directory, for run --rootfs DIR
	unsquashfs -q -d "$W/bigroot" "$W/store/big.squashfs" >/dev/null 2>&1
	cmd_cimg() { "$C" run --volatile --image big --persist "$P" --entrypoint /bin/true "$N-i"; }
	cmd_cdir() { "$C" run --volatile --rootfs "$W/bigroot" --persist "$P" --entrypoint /bin/true "$N-d"; }
	say "run --image vs run --rootfs DIR: $WARMUP + $RUNS rounds"
	bench_rounds cimg cdir
	time_row $S "container run --volatile --image big" cimg "loop device + squashfs mount in the container's namespace, config from the trailer"
	time_row $S "container run --volatile --rootfs DIR" cdir "the same tree unpacked, no loop device"
	ratio_row $S "ratio --image / --rootfs DIR" cimg cdir

	# the appliance: kernel start -> entrypoint, under TCG
	APP_BOOT=(); APP_WALL=()
	if [ "$BOOTS" -gt 0 ] && [ -z "$BOOT_NOTE" ]; then
		say "appliance: build, then $BOOTS boots"
		if CONTAINER=$C "$TOP/initramfs/appliance.sh" "$BIG" "$W/appl" >/dev/null 2>"$W/appl.err"; then
			VM_KERNEL=$W/appl/vmlinuz VM_INITRD=$W/appl/initramfs.cpio.gz
			acmd=$(cat "$W/appl/cmdline")
			for ((b = 1; b <= BOOTS; b++)); do
				t0=${EPOCHREALTIME/[.,]/}
				VM_CMDLINE_BASE= vm_boot "$W/appl$b.log" "$W/appl/disk.img" "$acmd container.debug" 180 >/dev/null 2>&1
				t1=${EPOCHREALTIME/[.,]/}
				if read -r _ ti tw < <(boot_parse "$W/appl$b.log" | grep '^T ') &&
					vm_log "$W/appl$b.log" | grep -q 'greeting=hello'; then
					APP_BOOT+=("$(awk -v b="$tw" 'BEGIN { printf "%d", b * 1000000 }')")
					APP_WALL+=("$((t1 - t0))")
				fi
			done
			VM_KERNEL=$VMDIR/vmlinuz VM_INITRD=$VMDIR/initramfs.cpio.gz
		fi
		if [ ${#APP_BOOT[@]} -gt 0 ]; then
			read -r med min max n <<<"$(stats "${APP_BOOT[@]}")"
			row $S "appliance: kernel start -> entrypoint exec" "$(ms "$med")" "$(ms "$min")" "$(ms "$max")" "$n" \
				"QEMU TCG, ${BENCH_IMAGE_MB:-48} MB image on base-a (PARTLABEL), persist ext4"
			read -r med min max n <<<"$(stats "${APP_WALL[@]}")"
			row $S "appliance: QEMU start -> power off" "$(ms "$med")" "$(ms "$min")" "$(ms "$max")" "$n" \
				"firmware, kernel, the entrypoint's two lines, clean power off"
		else
			row $S "appliance boot" - - - 0 "FAILED: $(tail -n 1 "$W/appl.err" 2>/dev/null) (see appliance.sh)"
		fi
	else
		row $S "appliance boot" - - - 0 "skipped: ${BOOT_NOTE:-BENCH_BOOTS=0}"
	fi
fi
[ -z "${PM:-}" ] || $PM rm -af >/dev/null 2>&1

# ---------------------------------------------------------------------------
# 7. container monitor: /metrics with 50 containers known

. "$TOP/tests/lib/bench-monitor.sh"
bench_monitor

# ---------------------------------------------------------------------------
# targets

S=target
# target LABEL VALUE LIMIT UNIT: PASS when VALUE <= LIMIT
target() {
	local label=$1 value=$2 limit=$3 unit=$4 verdict
	if [ -z "$value" ] || [ "$value" = - ]; then
		row $S "$label" - - - - "n/a: not measured"
		return
	fi
	verdict=$(awk -v v="$value" -v l="$limit" 'BEGIN { print (v + 0 <= l + 0) ? "PASS" : "MISS" }')
	row $S "$label" "$value $unit" - - - "$verdict (target <= $limit $unit)"
}
med_of() { [ $# -gt 0 ] && stats "$@" | cut -d' ' -f1; }
target "size, full config" "$(awk -v b="${SIZE[container full config]:-}" 'BEGIN { if (b != "") printf "%.1f", b / 1024 }')" 128 KiB
target "size, minimal config" "$(awk -v b="${SIZE[container minimal config]:-}" 'BEGIN { if (b != "") printf "%.1f", b / 1024 }')" 48 KiB
target "supervisor (-d) peak RSS" "$(med_of "${SUP_HWM[@]}")" 512 KiB
target "launcher (foreground) peak RSS" "$(med_of "${FG_HWM[@]}")" 512 KiB
target "PID 1 peak RSS (QEMU)" "$(med_of "${PID1_HWM[@]}")" 512 KiB
share=$(med_of "${BOOT_SHARE[@]}")
target "/init share of boot" "${share:+$(printf %.1f "$share")}" 5 %
if [ -n "${NET_RATIO:-}" ]; then
	row $S "published port throughput / direct" "$(awk -v r="$NET_RATIO" 'BEGIN { printf "%.0f %%", r * 100 }')" - - - \
		"$(awk -v r="$NET_RATIO" 'BEGIN { print (r >= 0.8) ? "PASS" : "MISS" }') (target >= 80 %)"
else
	row $S "published port throughput / direct" - - - - "n/a: not measured"
fi

print_table
say "done in $((SECONDS - T0)) s"
