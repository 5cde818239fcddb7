#!/bin/bash
# tests/fuzz/run.sh [SECONDS]: build every libFuzzer target of tests/fuzz/
# (fuzz_*.c) with clang, ASan and UBSan, and fuzz each for SECONDS
# (default 300), as many at once as there are CPUs (FUZZ_JOBS).
#
# Seeds are read from tests/fuzz/corpus/<target>/ (committed); what the
# fuzzer adds goes to build/fuzz/corpus/<target>/. A crash (sanitizer
# error: the fuzzer stops) is written to tests/fuzz/regress/<target>/
# crash-*, a failed property of the parsers (the fuzzer goes on) to
# property-<target>-<line> there, once; tests/fuzz-regress.t replays them
# in make test. Prints per target the executions and the new findings;
# exits 1 when there are any.
set -u

TOP=$(cd "$(dirname "$0")/../.." && pwd)
SECONDS_EACH=${1:-300}
F=$TOP/tests/fuzz
B=$TOP/build/fuzz
CC=${FUZZ_CC:-clang}
JOBS=${FUZZ_JOBS:-$(nproc)}
CFLAGS=(-g -O1 '-fsanitize=fuzzer,address,undefined' -fno-sanitize-recover=all -Wall -Wextra -I"$TOP/build/include")

command -v "$CC" >/dev/null || { echo "fuzz: no $CC (make fuzz installs clang)" >&2; exit 2; }
mkdir -p "$B"

targets=()
for f in "$F"/fuzz_*.c; do
	t=$(basename "$f" .c)
	targets+=("${t#fuzz_}")
done

for t in "${targets[@]}"; do
	echo "  CC fuzz_$t"
	"$CC" "${CFLAGS[@]}" -o "$B/fuzz_$t" "$F/fuzz_$t.c" || exit 2
done

max_len() {
	case $1 in
	probe) echo 69632 ;;	# PROBE_SIZE
	config) echo 8192 ;;
	seccomp) echo 32768 ;;
	*) echo 4096 ;;
	esac
}

count() { find "$1" -maxdepth 1 -type f ! -name '.*' | wc -l; }

fuzz_one() {
	local t=$1 dict=() before after
	mkdir -p "$B/corpus/$t" "$F/regress/$t" "$F/corpus/$t"
	[ -e "$F/$t.dict" ] && dict=(-dict="$F/$t.dict")
	before=$(count "$F/regress/$t")
	# -close_fd_mask: the parsers' warnings would flood the log; the
	# sanitizers' reports still come through.
	FUZZ_PROPERTY_DIR="$F/regress/$t" "$B/fuzz_$t" -max_total_time="$SECONDS_EACH" -print_final_stats=1 \
		-close_fd_mask=3 -timeout=10 -rss_limit_mb=2048 \
		-max_len="$(max_len "$t")" "${dict[@]}" \
		-artifact_prefix="$F/regress/$t/" \
		"$B/corpus/$t" "$F/corpus/$t" >"$B/$t.log" 2>&1
	echo $? >"$B/$t.rc"
	after=$(count "$F/regress/$t")
	echo $((after - before)) >"$B/$t.new"
}

echo "fuzzing ${#targets[@]} targets for $SECONDS_EACH s each, $JOBS at a time"
for t in "${targets[@]}"; do
	while [ "$(jobs -rp | wc -l)" -ge "$JOBS" ]; do
		wait -n
	done
	fuzz_one "$t" &
done
wait

status=0
printf '%-12s %12s %10s %8s  %s\n' target execs exec/s new log
for t in "${targets[@]}"; do
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$B/$t.log" | tail -1)
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$B/$t.log" | tail -1)
	new=$(cat "$B/$t.new")
	rc=$(cat "$B/$t.rc")
	[ "$rc" != 0 ] || [ "$new" != 0 ] && status=1
	printf '%-12s %12s %10s %8s  %s\n' "$t" "${execs:-?}" "${rate:-?}" "$new" "build/fuzz/$t.log"
	grep -E '^==[0-9]+==ERROR|runtime error|^fuzz: ' "$B/$t.log" | sort -u | sed 's/^/    /'
	sed -n 's/.*Test unit written to \(.*\)/    input: \1/p' "$B/$t.log"
done
[ "$status" = 0 ] || echo "findings are in tests/fuzz/regress/: replay them with tests/fuzz-regress.t"
exit "$status"
