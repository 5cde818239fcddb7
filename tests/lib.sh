# tests/lib.sh: sourced by every tests/*.t (bash). Prints TAP.
#
# Provides:
#   TOP       the repository top
#   C         the binary under test ($CONTAINER, else $TOP/container)
#   T         a private temporary directory, removed on exit
#   P         $T/persist: pass --persist $P so nothing lands in /var/lib
#   ROOTFS    a busybox root (built once into $TOP/build/rootfs; need_rootfs)
#   plan N, ok RC DESC, check DESC CMD..., is GOT WANT DESC,
#   like GOT ERE DESC, unlike GOT ERE DESC, pass/fail DESC, skip DESC WHY,
#   diag MSG, done_testing
#   need_root, need_container, need_rootfs   skip or bail out early
#   has_feature NAME     whether $C was built WITH_NAME (netns, init, ...)
#   name_for TOPIC       a container name unique to this test process
#   defer CMD...         run CMD at exit (last registered runs first)
#   ctr ARGS...          $C ARGS under a timeout
#   capture CMD...       run CMD: sets RC, OUT, ERR (stdin from /dev/null)
#   capture_in STR CMD.. the same, STR on stdin
#   launch ARGS...       capture ctr run --rootfs $ROOTFS --persist $P ARGS
#   start_bg OUT ERR CMD...  CMD in the background, pid in BG
#   wait_bg PID SECS     wait for PID at most SECS: RC (124 after a kill)
#   wait_for FILE ERE SECS   poll until FILE has a line matching ERE
#   pid_by_cmdline ARGS..    host pid of the process with exactly that argv
#   mountinfo_snapshot FILE, tree_snapshot DIR FILE
#   one_error_line DESC  ERR is exactly one line "container: ..."

set -u

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
C=${CONTAINER:-$TOP/container}
_rootfs_given=${ROOTFS:-}
ROOTFS=${ROOTFS:-$TOP/build/rootfs}
TIMEOUT=${TIMEOUT:-20}
T=$(mktemp -d "${TMPDIR:-/tmp}/container-test.XXXXXX")
P=$T/persist
export LC_ALL=C

_n=0		# tests run
_failed=0
_planned=
_deferred=()
_bgpids=()

# --- cleanup ---------------------------------------------------------------

defer() { _deferred+=("$(printf '%q ' "$@")"); }

cleanup() {
	local i p d
	for p in "${_bgpids[@]}"; do
		kill -KILL "$p" 2>/dev/null
	done
	for ((i = ${#_deferred[@]} - 1; i >= 0; i--)); do
		eval "${_deferred[i]}" >/dev/null 2>&1
	done
	# every container this test created is named t$$-*
	if [ -x "$C" ]; then
		for d in /run/container/t$$-*; do
			[ -e "$d" ] || continue
			timeout 10 "$C" rm -f --purge "${d##*/}" >/dev/null 2>&1
		done
	fi
	# never let rm -rf walk into something still mounted below $T
	awk -v t="$T" '$5 == t || index($5, t "/") == 1 { print $5 }' \
		/proc/self/mountinfo | sort -r | while read -r d; do
		umount -l "$d" 2>/dev/null
	done
	rm -rf "$T"
}
trap cleanup EXIT

# --- TAP -------------------------------------------------------------------

plan() { _planned=$1; echo "1..$1"; }

diag() { printf '%s\n' "$@" | sed 's/^/# /' >&2; }

pass() { _n=$((_n + 1)); echo "ok $_n - $1"; }

fail() {
	_n=$((_n + 1)); _failed=$((_failed + 1))
	echo "not ok $_n - $1"
	return 1
}

# Each check returns its result, so that a failure can add a diagnostic:
#   is "$RC" 0 "runs" || diag "$ERR"

# ok RC DESC: passes when RC is 0, as in: [ -e x ]; ok $? "x exists"
ok() { if [ "$1" -eq 0 ]; then pass "$2"; else fail "$2"; fi; }

check() {
	local desc=$1; shift
	if "$@"; then pass "$desc"; else
		fail "$desc"; diag "failed: $*"; return 1
	fi
}

is() {
	if [ "$1" == "$2" ]; then pass "$3"; else
		fail "$3"; diag "got:  '$1'" "want: '$2'"
		_diag_ctx; return 1
	fi
}

like() {
	if [[ $1 =~ $2 ]]; then pass "$3"; else
		fail "$3"; diag "got:  '$1'" "want match: /$2/"
		_diag_ctx; return 1
	fi
}

unlike() {
	if [[ $1 =~ $2 ]]; then
		fail "$3"; diag "got:  '$1'" "want no match: /$2/"
		_diag_ctx; return 1
	else pass "$3"; fi
}

skip() { _n=$((_n + 1)); echo "ok $_n # skip $1: $2"; }

# after a failed is/like, show what the last captured command printed
_diag_ctx() {
	[ -n "${CMD:-}" ] || return 0
	diag "last command: $CMD" "exit: ${RC:-}" "stdout: ${OUT:-}" \
		"stderr: ${ERR:-}"
}

done_testing() {
	[ -n "$_planned" ] || echo "1..$_n"
	if [ -n "$_planned" ] && [ "$_planned" -ne "$_n" ]; then
		diag "planned $_planned tests but ran $_n"
	fi
	[ "$_failed" -gt 254 ] && _failed=254
	exit "$_failed"
}

skip_all() { echo "1..0 # SKIP $1"; exit 0; }

bail() { echo "Bail out! $1"; exit 255; }

# --- requirements ----------------------------------------------------------

need_root() { [ "$(id -u)" = 0 ] || skip_all "needs root"; }

need_container() {
	[ -x "$C" ] || bail "no binary at $C: run make first"
}

# $ROOTFS from the environment is used as it is; the default one is built,
# or brought up to date, by tests/lib/mkrootfs.sh (idempotent).
need_rootfs() {
	local mk=$TOP/tests/lib/mkrootfs.sh
	if [ -z "$_rootfs_given" ]; then
		[ -x "$mk" ] || bail "no $mk to build $ROOTFS"
		mkdir -p "$(dirname "$ROOTFS")"
		# once, even when several tests start at the same time
		(flock 9 && "$mk" "$ROOTFS" >&2) 9>"$ROOTFS.lock" ||
			bail "could not build $ROOTFS with $mk"
	fi
	[ -x "$ROOTFS/bin/sh" ] || bail "no shell in $ROOTFS"
}

# has_feature NAME: whether $C was built WITH_NAME (lower case: netns).
# It reads `$C --version`, whose words -name mark a switch that is off;
# a feature it does not mention counts as built in.
has_feature() {
	[ -n "${_version+set}" ] || _version=$("$C" --version 2>/dev/null)
	! [[ " ${_version//$'\n'/ } " == *" -$1 "* ]]
}

# --- running the container -------------------------------------------------

name_for() { echo "t$$-$1"; }

ctr() { timeout -k 5 "$TIMEOUT" "$C" "$@"; }

capture() {
	CMD="$*"
	"$@" >"$T/.out" 2>"$T/.err" </dev/null
	RC=$?
	OUT=$(cat "$T/.out"); ERR=$(cat "$T/.err")
}

capture_in() {
	local in=$1; shift
	CMD="$* <<< $in"
	"$@" >"$T/.out" 2>"$T/.err" <<<"$in"
	RC=$?
	OUT=$(cat "$T/.out"); ERR=$(cat "$T/.err")
}

launch() { capture ctr run --rootfs "$ROOTFS" --persist "$P" "$@"; }

# No timeout wrapper here: signals sent to $BG must reach $C itself. The
# subshell undoes bash's SIG_IGN of INT and QUIT for background commands.
start_bg() {
	local out=$1 err=$2; shift 2
	( trap - INT QUIT; exec "$@" ) >"$out" 2>"$err" </dev/null &
	BG=$!
	_bgpids+=("$BG")
}

wait_bg() {
	local pid=$1 i=0 max=$(($2 * 10)) keep=() p killed=
	while kill -0 "$pid" 2>/dev/null; do
		# a zombie child still answers kill -0: look at its state
		[ "$(awk '{ print $3 }' "/proc/$pid/stat" 2>/dev/null)" = Z ] && break
		if [ $i -ge $max ]; then
			diag "pid $pid still running after $2 s: killed"
			kill -KILL "$pid" 2>/dev/null
			killed=1
			break
		fi
		sleep 0.1; i=$((i + 1))
	done
	wait "$pid" 2>/dev/null	# no "Killed" job notice
	RC=$?
	[ -z "$killed" ] || RC=124
	# reaped: forget it, so cleanup never kills a reused pid
	for p in "${_bgpids[@]}"; do [ "$p" = "$pid" ] || keep+=("$p"); done
	_bgpids=("${keep[@]}")
}

wait_for() {
	local file=$1 re=$2 i=0 max=$(($3 * 20))
	until grep -Eq -- "$re" "$file" 2>/dev/null; do
		[ $i -ge $max ] && return 1
		sleep 0.05; i=$((i + 1))
	done
}

pid_by_cmdline() {
	local want f got
	want=$(printf '%s\n' "$@")
	for f in /proc/[0-9]*/cmdline; do
		got=$(tr '\0' '\n' 2>/dev/null <"$f") || continue
		if [ "$got" == "$want" ]; then
			f=${f#/proc/}; echo "${f%/cmdline}"; return 0
		fi
	done
	return 1
}

# --- snapshots -------------------------------------------------------------

# mount table without the mount ids (fields 1 and 2), so two can be compared
mountinfo_snapshot() { cut -d' ' -f3- /proc/self/mountinfo | sort >"$1"; }

# path, type and mode, owner, size, mtime and link target of everything in
# DIR; "absent" when DIR does not exist
tree_snapshot() {
	if [ -e "$1" ] || [ -L "$1" ]; then
		(cd "$1" && find . -printf '%p %y%m %U:%G %s %T@ %l\n' | sort) >"$2"
	else
		echo absent >"$2"
	fi
}

one_error_line() {
	local n
	n=$(printf '%s' "$ERR" | grep -c '')
	if [ "$n" -eq 1 ] && [[ $ERR =~ ^container:\  ]]; then
		pass "$1"
	else
		fail "$1"; diag "want one line 'container: ...' on stderr, got $n:"
		diag "$ERR"; return 1
	fi
}
