#!/bin/bash
# Unit tests of container.c's parsers: tests/unit.c, built with musl-gcc
# and the Makefile's flags once for every configuration in tests/configs/
# (into build/unit/), each run, and their TAP merged into one stream whose
# descriptions say the configuration: "ok 12 - [minimal] parse_size(...)".
# A build that fails or warns, and a binary that dies or runs fewer tests
# than it planned, are failures of their own.
set -u

TOP=$(cd "$(dirname "$0")/.." && pwd)
B=$TOP/build/unit
CC=${UNIT_CC:-musl-gcc}
CPPFLAGS=(-DVERSION='"unit"' -I"$TOP/build/include" -I"$TOP/build/capng/include")
CFLAGS=(-std=c11 -Os -g -Wall -Wextra -fstack-protector-strong)
LDFLAGS=(-static)
LDLIBS=(-L"$TOP/build/capng/lib" -lcap-ng)

if ! command -v "$CC" >/dev/null; then
	echo "1..0 # SKIP no $CC (make deps installs musl-tools)"
	exit 0
fi
if [ ! -e "$TOP/build/capng/lib/libcap-ng.a" ] || [ ! -e "$TOP/build/include/linux" ]; then
	make -s -C "$TOP" deps >&2 ||
		{ echo "1..0 # SKIP no build/ dependencies: run make first"; exit 0; }
fi
[ -e "$TOP/build/include/syscall_names.h" ] || make -s -C "$TOP" syscalls >&2 ||
	{ echo "1..0 # SKIP no generated syscall table: run make first"; exit 0; }
mkdir -p "$B"

configs=()
for f in "$TOP"/tests/configs/*.h; do
	[ -e "$f" ] && configs+=("$(basename "$f" .h)")
done
[ ${#configs[@]} -gt 0 ] || configs=(default)

# build every configuration at once
pids=()
for cfg in "${configs[@]}"; do
	inc=()
	[ -e "$TOP/tests/configs/$cfg.h" ] && inc=(-include "$TOP/tests/configs/$cfg.h")
	( cd "$TOP" && "$CC" "${CPPFLAGS[@]}" "${inc[@]}" "${CFLAGS[@]}" -o "$B/unit-$cfg" \
		tests/unit.c "${LDFLAGS[@]}" "${LDLIBS[@]}" ) >"$B/unit-$cfg.log" 2>&1 &
	pids+=($!)
done
for i in "${!configs[@]}"; do
	wait "${pids[i]}"
	echo $? >"$B/unit-${configs[i]}.rc"
done

n=0
failed=0
tap() {	# tap PASS DESC
	n=$((n + 1))
	if [ "$1" = 1 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=$((failed + 1)); fi
}
diag_file() { sed 's/^/# /' "$1"; }

for cfg in "${configs[@]}"; do
	rc=$(cat "$B/unit-$cfg.rc")
	if [ "$rc" != 0 ]; then
		tap 0 "[$cfg] tests/unit.c builds"
		diag_file "$B/unit-$cfg.log"
		continue
	fi
	if [ -s "$B/unit-$cfg.log" ]; then
		tap 0 "[$cfg] tests/unit.c builds without warnings"
		diag_file "$B/unit-$cfg.log"
	else
		tap 1 "[$cfg] tests/unit.c builds without warnings"
	fi
	out=$B/unit-$cfg.out
	(cd "$TOP" && "$B/unit-$cfg") >"$out" 2>"$B/unit-$cfg.err" </dev/null
	rc=$?
	# renumber its TAP into this stream; keep directives (SKIP, TODO)
	read -r ran planned nfail < <(awk -v cfg="$cfg" -v base="$n" -v listing="$out.tap" '
		/^ok [0-9]+/ || /^not ok [0-9]+/ {
			notok = /^not ok/
			sub(/^(not )?ok [0-9]+ *-? */, "")
			ran++
			if (notok && $0 !~ /# *TODO/) nfail++
			printf "%sok %d - [%s] %s\n", notok ? "not " : "", base + ran, cfg, $0 > listing
			next
		}
		/^1\.\.[0-9]+/ { split($0, a, /\.\./); planned = a[2] + 0; next }
		{ print > listing }
		END { close(listing); printf "%d %d %d\n", ran, planned == "" ? -1 : planned, nfail }
	' "$out")
	[ -e "$out.tap" ] && cat "$out.tap"
	rm -f "$out.tap"
	n=$((n + ran))
	failed=$((failed + nfail))
	if [ "$rc" -ge 128 ] || [ "$planned" != "$ran" ]; then
		tap 0 "[$cfg] the unit binary ran to its end"
		echo "# exit $rc, planned $planned, ran $ran"
		[ -s "$B/unit-$cfg.err" ] && diag_file "$B/unit-$cfg.err"
	else
		tap 1 "[$cfg] the unit binary ran to its end ($ran tests)"
	fi
done
echo "1..$n"
[ "$failed" -gt 254 ] && failed=254
exit "$failed"
