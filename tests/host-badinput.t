#!/bin/bash
# Bad input is refused with 125 and one line "container: ..." on stderr,
# before anything is touched: no mount, no persistent file, no runtime state.
. "$(dirname "$0")/lib.sh"
need_root
need_container
need_rootfs

# a persistent directory with content, to see that none of it changes
mkdir -p "$P/keep/upper" "$P/keep/work"
echo data >"$P/keep/upper/f"
N=$(name_for bad)
long=$(name_for long)
while [ ${#long} -lt 64 ]; do long=${long}x; done	# the longest valid name

# where a run of NAME could create something outside $P, NUL-terminated
paths_of() {
	local n=$1
	[ -n "$n" ] || return 0
	realpath -mz "/run/container/$n" "$P/$n"
	[[ $n == */* ]] && realpath -mz "/run/container/${n%%/*}"
	return 0
}

# refused DESC NAME MENTION ARGS...: `container ARGS` is refused with a
# message that matches the ERE MENTION (unless empty), and creates none of
# the paths a run of NAME could create
refused() {
	local desc=$1 name=$2 mention=$3 p created= absent=(); shift 3
	while IFS= read -r -d '' p; do
		[ -e "$p" ] || absent+=("$p")
	done < <(paths_of "$name")
	mountinfo_snapshot "$T/mounts.before"
	tree_snapshot "$P" "$T/persist.before"
	capture ctr "$@"
	mountinfo_snapshot "$T/mounts.after"
	tree_snapshot "$P" "$T/persist.after"
	is "$RC" 125 "$desc: exit 125"
	one_error_line "$desc: one error line"
	[ -z "$mention" ] || like "$ERR" "$mention" "$desc: the message says what"
	check "$desc: no mount changed" cmp -s "$T/mounts.before" "$T/mounts.after" ||
		diag "$(diff "$T/mounts.before" "$T/mounts.after")"
	for p in "${absent[@]}"; do
		[ -e "$p" ] && created="$created '$p'"
	done
	if cmp -s "$T/persist.before" "$T/persist.after" && [ -z "$created" ]; then
		pass "$desc: no file touched"
	else
		fail "$desc: no file touched"
		diag "$(diff "$T/persist.before" "$T/persist.after")"
		[ -z "$created" ] || diag "created:$created"
	fi
}

# refused_name NAME: a run of NAME, valid in every other respect
refused_name() {
	refused "name $(printf %q "$1")" "$1" '' run --rootfs "$ROOTFS" --persist "$P" "$1" true
}

refused_name ../x
refused_name a/b
refused_name ''
refused_name "${long}y"
refused_name ..
refused_name .x
refused_name 'a b'
refused_name "$N"$'\n'

# refused_opt DESC MENTION OPTIONS...: a run of $N with these options
refused_opt() {
	local desc=$1 mention=$2; shift 2
	refused "$desc" "$N" "$mention" run --rootfs "$ROOTFS" --persist "$P" "$@" "$N" true
}

refused "missing rootfs" "$N" /nonexistent \
	run --rootfs /nonexistent --persist "$P" "$N" true
refused_opt "-m 12Q" '(-m|--memory)' -m 12Q
refused_opt "--memory 1.5.5M" '--memory' --memory 1.5.5M
refused_opt "unknown option --bogus" '--bogus' --bogus
refused_opt "-v without ':'" '(-v|--volume)' -v /tmp
refused_opt "--net bogus" '--net' --net bogus
refused_opt "-u abc" '(-u|--user)' -u abc
refused_opt "--pids abc" '--pids' --pids abc
refused_opt "--cpus abc" '--cpus' --cpus abc
refused_opt "--cpu-weight 0" '--cpu-weight' --cpu-weight 0
refused_opt "--restart sometimes" '--restart' --restart sometimes
refused "run without NAME" "" NAME run --rootfs "$ROOTFS" --persist "$P"

# the boundary: 64 characters is a valid name
launch "$long" hostname
is "$RC" 0 "a name of 64 characters runs"
is "$OUT" "$long" "and is the hostname"

capture ctr bogus-subcommand
is "$RC" 1 "unknown subcommand: exit 1"
one_error_line "unknown subcommand: one error line"

capture ctr --version
is "$RC" 0 "--version: exit 0"
like "$OUT" "[0-9]" "--version prints a version"

capture ctr --help
is "$RC" 0 "--help: exit 0"
like "$OUT" "run" "--help lists the subcommands"

capture ctr run --help
is "$RC" 0 "run --help: exit 0"
like "$OUT" "--rootfs" "run --help lists the options"

done_testing
