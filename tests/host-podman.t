#!/bin/bash
# Podman drives `container` as its OCI runtime (through conmon): run with
# its exit code, stdin, a terminal, -e -w -u -v, run -d, exec, stop, start,
# rm -f, the container.persist annotation, and nothing left behind.
#   PODMAN_RUNTIME=runc (or crun) runs the same tests against that runtime.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/lib/podman.sh"
command -v script >/dev/null || skip_all "script not installed (util-linux)"

RT=${PODMAN_RUNTIME:-$C}
podman_setup "$RT"
podman_image
IMG=$PM_IMAGE
SLEEP="sleep 9$$"	# a workload this test alone runs

# the runtime's state dir (Podman passes no --root), to see what is left there
case $PM_RUNTIME in
container) STATE=/run/container ;;
*) STATE=/run/$PM_RUNTIME ;;
esac
engine_snapshot

# --- run in the foreground -------------------------------------------------------

capture pm_run --rm "$IMG" sh -c 'echo hello; echo oops >&2; exit 3'
is "$RC" 3 "run --rm: the workload's exit code"
is "$OUT" hello "run --rm: stdout"
like "$ERR" oops "run --rm: stderr"

capture pm_run --rm "$IMG" /no/such/command
like "$RC" '^12[67]$' "run of a missing command fails with 126 or 127"

capture_in "piped data" pm_run --rm -i "$IMG" sh -c 'cat; test -t 0 || echo notty'
is "$OUT" "piped data"$'\n'notty "run -i: piped stdin reaches the workload, no terminal"

# -t: the workload's stdio is a terminal, made by the runtime (console socket)
capture pm_tty pm_run --rm -t "$IMG" sh -c 'tty; test -t 0 && test -t 1 && echo both-tty; exit 4'
is "$RC" 4 "run -t under script: the exit code"
like "$OUT" '/dev/pts/[0-9]+' "run -t: stdin is a pty of the container's devpts"
like "$OUT" both-tty "run -t: stdin and stdout are terminals"

capture pm_run --rm -e FOO=bar -e ANSWER=42 "$IMG" sh -c 'echo "$FOO-$ANSWER"'
is "$OUT" bar-42 "run -e: the environment"
capture pm_run --rm -w /tmp "$IMG" pwd
is "$OUT" /tmp "run -w: the working directory"
capture pm_run --rm -u 65534:65534 "$IMG" sh -c 'echo $(id -u):$(id -g)'
is "$OUT" 65534:65534 "run -u: the user and group"

mkdir -p "$T/vol"
echo from-host >"$T/vol/in"
capture pm_run --rm -v "$T/vol:/data" "$IMG" sh -c 'cat /data/in; echo from-container >/data/out'
is "$OUT" from-host "run -v: a host file is seen inside"
is "$(cat "$T/vol/out" 2>/dev/null)" from-container "run -v: a file written inside is on the host"
capture pm_run --rm -v "$T/vol:/data:ro" "$IMG" sh -c 'echo x >/data/ro'
[ "$RC" -ne 0 ] && [ ! -e "$T/vol/ro" ]
ok $? "run -v ...:ro: the volume is read-only"

# --- detached: exec, stop, start, rm -f -------------------------------------------

D=$(name_for pd)
capture pm_run -d --name "$D" "$IMG" sh -c "echo started >/tmp/mark; exec $SLEEP"
is "$RC" 0 "run -d" || diag "$ERR"
capture pm inspect -f '{{.State.Status}}' "$D"
is "$OUT" running "run -d: the container is running"

capture pm exec "$D" cat /tmp/mark
is "$OUT" started "exec: sees the container's files"
capture pm exec "$D" sh -c 'exit 7'
is "$RC" 7 "exec: the exit code"
capture pm exec -e X=y -w /tmp -u 65534 "$D" sh -c 'echo $X $(pwd) $(id -u)'
is "$OUT" "y /tmp 65534" "exec -e -w -u"
capture_in "to exec" pm exec -i "$D" cat
is "$OUT" "to exec" "exec -i: piped stdin"
capture pm exec "$D" sh -c 'readlink /proc/1/ns/pid; readlink /proc/self/ns/pid'
n=$(printf '%s\n' "$OUT" | sort -u | grep -c .)
is "$n" 1 "exec: joins the container's pid namespace"
capture pm_tty pm exec -t "$D" sh -c 'test -t 0 && echo exec-tty; exit 5'
is "$RC" 5 "exec -t under script: the exit code"
like "$OUT" exec-tty "exec -t: a terminal"
capture pm exec -d "$D" sh -c 'echo detached >/tmp/d'
is "$RC" 0 "exec -d" || diag "$ERR"
for i in $(seq 50); do
	capture pm exec "$D" cat /tmp/d
	[ "$OUT" = detached ] && break
	sleep 0.1
done
is "$OUT" detached "exec -d: the command ran"

capture pm stop -t 1 "$D"
is "$RC" 0 "stop" || diag "$ERR"
capture pm inspect -f '{{.State.Status}}' "$D"
is "$OUT" exited "stop: the container has exited"

capture pm start "$D"
is "$RC" 0 "start of the stopped container" || diag "$ERR"
capture pm exec "$D" cat /tmp/mark
is "$OUT" started "start: the container runs again, its files kept"

capture pm rm -f -t 0 "$D"
is "$RC" 0 "rm -f of a running container" || diag "$ERR"
capture pm ps -a -q --filter "name=$D"
is "$OUT" "" "rm -f: the container is gone"

# --- persistence by annotation ------------------------------------------------------

if [ "$PM_RUNTIME" = container ]; then
	K=$(name_for keep)
	A="container.persist=$K"
	# bundle containers keep persistent layers in the default <persist>
	KEEP=/var/lib/container/$K
	defer rm -rf "$KEEP"
	capture pm_run --rm --annotation "$A" "$IMG" sh -c 'echo kept >/root/file'
	is "$RC" 0 "persist annotation: first run" || diag "$ERR"
	capture pm_run --rm --annotation "$A" "$IMG" cat /root/file
	is "$OUT" kept "persist annotation: the file survives podman rm and a new run"
	is "$(cat "$KEEP/upper/root/file" 2>/dev/null)" kept "persist annotation: the change is in <persist>/NAME/upper"
	capture pm_run --rm "$IMG" cat /root/file
		[ "$RC" -ne 0 ]
	ok $? "without the annotation the root is the image's, unchanged"
	D2=$(name_for pk)
	capture pm_run -d --name "$D2" --annotation "$A" "$IMG" $SLEEP
	is "$RC" 0 "persist annotation: a detached container" || diag "$ERR"
	capture pm_run --rm --annotation "$A" "$IMG" true
		[ "$RC" -ne 0 ]
	ok $? "persist annotation: a second live container of that NAME is refused"
	like "$ERR" "$K" "persist annotation: the refusal names the NAME"
	pm rm -f -t 0 "$D2" >/dev/null 2>&1
else
	for i in 1 2 3 4 5 6 7; do skip "persist annotation" "runtime $PM_RUNTIME has none"; done
fi

# --- nothing left behind ---------------------------------------------------------------

pm rm -a -f -t 0 >/dev/null 2>&1
engine_nothing_left
left=
for f in /proc/[0-9]*/cmdline; do
	tr '\0' ' ' 2>/dev/null <"$f" | grep -qF -- "$PM/" || continue
	p=${f#/proc/}; left="$left ${p%/cmdline}"
done
p=$(pid_by_cmdline $SLEEP) && left="$left $p"
is "$left" "" "no process left behind (conmon, workloads)"

done_testing
