# tests/lib/lifecycle.sh: helpers for the tests of stoppable containers
# (run -d, start, stop, exec, ps, state, rm, reset). Sourced after lib.sh.
#
#   made NAME            remove NAME at exit: rm -f --purge --persist $P NAME;
#                        then any process of $C left whose argv names $P or
#                        NAME gets SIGTERM, then SIGKILL, and rm is retried
#   rund [OPTS] NAME -- CMD...   capture run -d --rootfs $ROOTFS --persist $P
#   state_of NAME        capture state --persist $P NAME; sets ST (status),
#                        SPID (pid), SCODE (exitCode, empty when absent)
#   json_get JSON KEY    a top-level string or number of a JSON object
#   json_valid TEXT      whether TEXT parses as JSON (python3 or jq)
#   wait_status NAME STATUS SECS   poll state until it reads STATUS
#   ms                   a monotonic-enough clock in milliseconds
#   median N...          the median of integers
#   ppid_of PID          the parent of PID on the host
#   gone PID             whether PID has ended (absent or a zombie)
#   count_cmdline ARGS.. how many host processes have exactly that argv
#   NL                   a newline, for patterns: "(^|$NL)$N +running"

NL=$'\n'

_made=()
made() {
	[ ${#_made[@]} -gt 0 ] || defer _forget_made
	_made+=("$1")
}

_rm_made() {
	local n
	for n in "${_made[@]}"; do
		timeout -k 5 30 "$C" rm -f --purge --persist "$P" "$n" >/dev/null 2>&1
	done
}

# processes of $C whose argv names this test's $P or one of its
# containers: supervisors left over
_leftovers() {
	local f argv n
	for f in /proc/[0-9]*/cmdline; do
		argv=$( { tr '\0' '\n' <"$f"; } 2>/dev/null) || continue
		[ "${argv%%$'\n'*}" = "$C" ] || continue
		argv=$NL$argv$NL
		for n in "$P" "${_made[@]}"; do
			if [[ $argv == *"$NL$n$NL"* || $argv == *"$P"* ]]; then
				f=${f#/proc/}; echo "${f%/cmdline}"
				break
			fi
		done
	done
}

_forget_made() {
	local pids i=0
	_rm_made
	pids=$(_leftovers)
	[ -n "$pids" ] || return 0
	diag "left running after rm -f: $(echo $pids): SIGTERM"
	kill -TERM $pids 2>/dev/null
	while [ -n "$(_leftovers)" ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
	pids=$(_leftovers)
	[ -z "$pids" ] || kill -KILL $pids 2>/dev/null
	_rm_made
}

count_cmdline() {
	local want f got n=0
	want=$(printf '%s\n' "$@")
	for f in /proc/[0-9]*/cmdline; do
		got=$( { tr '\0' '\n' <"$f"; } 2>/dev/null) || continue
		[ "$got" == "$want" ] && n=$((n + 1))
	done
	echo "$n"
}

rund() { capture ctr run -d --rootfs "$ROOTFS" --persist "$P" "$@"; }

json_get() {
	local re="\"$2\":(\"([^\"\\\\]*)\"|(-?[0-9]+))"
	[[ $1 =~ $re ]] || return 1
	printf '%s\n' "${BASH_REMATCH[2]}${BASH_REMATCH[3]}"
}

json_valid() {
	if command -v python3 >/dev/null 2>&1; then
		printf '%s' "$1" | python3 -c 'import json, sys; json.load(sys.stdin)' 2>/dev/null
	elif command -v jq >/dev/null 2>&1; then
		printf '%s' "$1" | jq -e . >/dev/null 2>&1
	else
		# a regex is no parser: tools/deps.sh test installs both
		diag "json_valid: neither python3 nor jq (tools/deps.sh test installs them)"
		return 1
	fi
}

state_of() {
	capture ctr state --persist "$P" "$1"
	ST=$(json_get "$OUT" status) || ST=
	SPID=$(json_get "$OUT" pid) || SPID=
	SCODE=$(json_get "$OUT" exitCode) || SCODE=
}

wait_status() {
	local i=0 max=$(($3 * 10))
	while :; do
		state_of "$1"
		[ "$ST" = "$2" ] && return 0
		[ $i -ge $max ] && return 1
		sleep 0.1; i=$((i + 1))
	done
}

ms() { echo $(($(date +%s%N) / 1000000)); }

median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

ppid_of() { awk '{ sub(/.*\) /, ""); print $2 }' "/proc/$1/stat" 2>/dev/null; }

gone() {
	[ ! -e "/proc/$1" ] ||
		[ "$(awk '{ sub(/.*\) /, ""); print $1 }' "/proc/$1/stat" 2>/dev/null)" = Z ]
}
