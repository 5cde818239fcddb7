#!/bin/bash
# Replays the fuzz inputs kept in the repository through the fuzz targets
# built without libFuzzer (tests/fuzz/replay.c is their main), under ASan
# and UBSan when the compiler has them: every file of
# tests/fuzz/regress/<target>/ (inputs that once crashed, one test each)
# and of tests/fuzz/corpus/<target>/ (the seeds, one test per target).
# Builds into build/fuzz/. Takes seconds; tests/fuzz/run.sh does the
# fuzzing itself.
set -u

TOP=$(cd "$(dirname "$0")/.." && pwd)
F=$TOP/tests/fuzz
B=$TOP/build/fuzz
mkdir -p "$B"

CC=${FUZZ_CC:-}
if [ -z "$CC" ]; then
	if command -v clang >/dev/null; then CC=clang
	elif command -v gcc >/dev/null; then CC=gcc
	else echo "1..0 # SKIP no clang or gcc"; exit 0; fi
fi
SAN=('-fsanitize=address,undefined' -fno-sanitize-recover=all)
echo 'int main(void){return 0;}' >"$B/san.c"
if ! "$CC" "${SAN[@]}" -o "$B/san" "$B/san.c" 2>/dev/null; then
	SAN=()
	echo "# $CC cannot link ASan/UBSan here: replaying without sanitizers"
fi
CFLAGS=(-g -O1 -Wall -Wextra -I"$TOP/build/include" "${SAN[@]}")
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=0:detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}

targets=()
for f in "$F"/fuzz_*.c; do
	t=$(basename "$f" .c)
	targets+=("${t#fuzz_}")
done

pids=()
for t in "${targets[@]}"; do
	"$CC" "${CFLAGS[@]}" -o "$B/replay_$t" "$F/fuzz_$t.c" "$F/replay.c" >"$B/replay_$t.log" 2>&1 &
	pids+=($!)
done

n=0
failed=0
tap() {
	n=$((n + 1))
	if [ "$1" = 1 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=$((failed + 1)); fi
}
# replay DESC FILE|DIR: one test
replay() {
	local desc=$1 out
	shift
	if out=$("$B/replay_$t" "$@" 2>&1); then
		tap 1 "$desc"
	else
		tap 0 "$desc"
		printf '%s\n' "$out" | grep -v '^replay: ' | head -40 | sed 's/^/# /'
	fi
}

for i in "${!targets[@]}"; do
	t=${targets[i]}
	if ! wait "${pids[i]}"; then
		tap 0 "[$t] replay binary builds"
		sed 's/^/# /' "$B/replay_$t.log"
		continue
	fi
	if [ -s "$B/replay_$t.log" ]; then
		tap 0 "[$t] replay binary builds without warnings"
		sed 's/^/# /' "$B/replay_$t.log"
	else
		tap 1 "[$t] replay binary builds without warnings"
	fi
	if [ -d "$F/corpus/$t" ]; then
		replay "[$t] the $(find "$F/corpus/$t" -type f ! -name '.*' | wc -l) seed inputs of tests/fuzz/corpus/$t" "$F/corpus/$t"
	fi
	for f in "$F/regress/$t"/*; do
		[ -f "$f" ] || continue
		replay "[$t] regress/$t/$(basename "$f")" "$f"
	done
done
echo "1..$n"
[ "$failed" -gt 254 ] && failed=254
exit "$failed"
