#!/bin/bash
# Restart policies of run -d; reset; a host reboot (runtime state gone,
# persistent layers kept) and start --persist bringing containers back.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/lib/lifecycle.sh"
need_root
need_container
need_rootfs

# lines FILE: lines in FILE (0 when missing)
lines() { if [ -e "$1" ]; then grep -c '' "$1"; else echo 0; fi; }

# wait_lines FILE N SECS: until FILE has at least N lines
wait_lines() {
	local i=0
	until [ "$(lines "$1")" -ge "$2" ] || [ $i -ge $(($3 * 10)) ]; do
		sleep 0.1; i=$((i + 1))
	done
}

# --- on-failure:3 ----------------------------------------------------------------

N=$(name_for onfail)
made "$N"
count=$P/$N/upper/count
rund --restart on-failure:3 "$N" -- sh -c 'echo run >>/count; exit 2'
is "$RC" 0 "run -d --restart on-failure:3 of a failing workload: 0 (it started)" ||
	diag "$ERR"
# back-off 100, 200, 400 ms: done well within 15 s
i=0
until [ "$(lines "$count")" -ge 4 ] && state_of "$N" && [ "$ST" = stopped ] ||
	[ $i -ge 150 ]; do
	sleep 0.1; i=$((i + 1))
done
sleep 1	# no fifth run
is "$(lines "$count")" 4 "on-failure:3: the workload ran 4 times (1 + 3 restarts)"
state_of "$N"
is "$ST/$SCODE" stopped/2 "on-failure:3: then stopped with exitCode 2"
capture ctr start "$N"
is "$RC" 0 "on-failure:3: the supervisor is gone, start works again" || diag "$ERR"
wait_lines "$count" 8 15
sleep 1
is "$(lines "$count")" 8 "start: the restart count begins anew (4 more runs)"

N=$(name_for onfail-ok)
made "$N"
count=$P/$N/upper/count
rund --restart on-failure "$N" -- sh -c 'echo run >>/count; exit 0'
wait_status "$N" stopped 5
sleep 0.5
is "$(lines "$count")" 1 "on-failure: a workload that exits 0 is not restarted"
state_of "$N"
is "$ST/$SCODE" stopped/0 "on-failure: stopped with exitCode 0"

N=$(name_for restart-no)
made "$N"
count=$P/$N/upper/count
rund "$N" -- sh -c 'echo run >>/count; exit 2'
wait_status "$N" stopped 5
sleep 0.5
is "$(lines "$count")" 1 "no --restart: a failing workload is not restarted"

# --- always, and stop ----------------------------------------------------------

N=$(name_for always)
made "$N"
count=$P/$N/upper/count
rund --restart always "$N" -- sh -c 'echo run >>/count; sleep 0.3; exit 0'
wait_lines "$count" 3 10
is "$(lines "$count")" 3 "always: a workload that exits 0 is restarted"
capture ctr stop -t 2 "$N"
is "$RC" 0 "always: stop while it runs or waits to restart: 0" || diag "$ERR"
n=$(lines "$count")
sleep 2
is "$(lines "$count")" "$n" "always: no restart after stop"
state_of "$N"
is "$ST" stopped "always: stopped after stop"
capture ctr start "$N"
is "$RC" 0 "always: the supervisor is gone, start works" || diag "$ERR"
capture ctr stop -t 2 "$N"

# stop during the back-off between two runs of a workload that fails at
# once: the container counts as running (it will be back) and stop ends it
N=$(name_for always-fail)
made "$N"
count=$P/$N/upper/count
rund --restart always "$N" -- sh -c 'echo run >>/count; exit 1'
wait_lines "$count" 4 15
capture ctr stop -t 2 "$N"
is "$RC" 0 "always, failing at once: stop in the back-off: 0" || diag "$ERR"
n=$(lines "$count")
sleep 2
is "$(lines "$count")" "$n" "always, failing at once: no restart after stop"
state_of "$N"
is "$ST" stopped "always, failing at once: stopped after stop"
capture ctr start "$N"
is "$RC" 0 "always, failing at once: start works after stop" || diag "$ERR"
capture ctr rm -f "$N"
is "$RC" 0 "always, failing at once: rm -f ends it" || diag "$ERR"
n=$(lines "$count")
sleep 2
is "$(lines "$count")" "$n" "always, failing at once: no restart after rm -f"

# --- reset -----------------------------------------------------------------------

N=$(name_for reset)
made "$N"
rund --hostname resetter -e KEPT=1 "$N" -- sh -c 'trap "exit 0" TERM
	while :; do sleep 0.1; done'
is "$RC" 0 "run -d" || diag "$ERR"
wait_status "$N" running 5
capture ctr exec "$N" sh -c 'echo data >/data; rm /bin/ls'
is "$RC" 0 "exec changes files" || diag "$ERR"
capture ctr stop "$N"
[ -e "$P/$N/upper/data" ]
ok $? "the change is in the persistent layer"
capture ctr reset "$N"
is "$RC" 0 "reset: exit 0" || diag "$ERR"
[ -d "$P/$N/upper" ] && [ -z "$(ls -A "$P/$N/upper")" ]
ok $? "reset: the upper layer is empty"
[ -e "$P/$N/config" ]
ok $? "reset: the saved config is kept"
capture ctr start "$N"
is "$RC" 0 "start after reset: 0" || diag "$ERR"
wait_status "$N" running 5
capture ctr exec "$N" sh -c 'cat /data 2>/dev/null || echo gone'
is "$OUT" gone "after reset: the file is gone"
capture ctr exec "$N" ls /bin/ls
is "$OUT" /bin/ls "after reset: a deleted file of the image is back"
capture ctr exec "$N" sh -c 'echo $(hostname) $KEPT'
is "$OUT" "resetter 1" "after reset: the saved config still applies"
capture ctr stop "$N"

# --- a host reboot -----------------------------------------------------------------

A=$(name_for boot-a) B=$(name_for boot-b)
made "$A"
made "$B"
for n in "$A" "$B"; do
	rund "$n" -- sh -c 'trap "exit 0" TERM; while :; do sleep 0.1; done'
	is "$RC" 0 "run -d $n" || diag "$ERR"
	wait_status "$n" running 5
	capture ctr exec "$n" sh -c "echo $n >/mark"
	is "$RC" 0 "exec writes a file into $n" || diag "$ERR"
done
for n in "$A" "$B"; do
	capture ctr stop "$n"
	is "$RC" 0 "stop $n" || diag "$ERR"
	# what a reboot leaves: no runtime state (tmpfs), the persist dir
	rm -rf "/run/container/$n"
done
capture ctr ps -a --persist "$P"
like "$OUT" "(^|$NL)$A +0 +stopped " "after a reboot: ps -a --persist lists A stopped"
like "$OUT" "(^|$NL)$B +0 +stopped " "after a reboot: ps -a --persist lists B stopped"
capture ctr ps --persist "$P"
unlike "$OUT" "(^|$NL)($A|$B) " "after a reboot: ps (running only) lists neither"
capture ctr ps -a --json --persist "$P"
json_valid "$OUT" && [[ $OUT =~ \"id\":\"$A\",\"status\":\"stopped\",\"pid\":0 ]]
ok $? "after a reboot: ps -a --json --persist: A stopped, pid 0" || diag "$OUT"
state_of "$A"
is "$RC/$ST/$SPID" 0/stopped/0 "after a reboot: state --persist: stopped, pid 0"
like "$OUT" "\"rootfs\":\"$ROOTFS\"" "after a reboot: state knows the rootfs"
[ -n "$SCODE" ]
ok $? "after a reboot: state has an exitCode"
for n in "$A" "$B"; do
	capture ctr start --persist "$P" "$n"
	is "$RC" 0 "after a reboot: start --persist $n: 0" || diag "$ERR"
	wait_status "$n" running 5
	capture ctr exec "$n" cat /mark
	is "$OUT" "$n" "after a reboot: $n has its file"
done
capture ctr ps
like "$OUT" "(^|$NL)$A +[0-9]+ +running " "after start: ps lists A running"
like "$OUT" "(^|$NL)$B +[0-9]+ +running " "after start: ps lists B running"
for n in "$A" "$B"; do capture ctr stop "$n"; rm -rf "/run/container/$n"; done
capture ctr reset --persist "$P" "$A"
is "$RC" 0 "after a reboot: reset --persist: 0" || diag "$ERR"
[ -z "$(ls -A "$P/$A/upper")" ]
ok $? "after a reboot: reset emptied the layer"
capture ctr rm --purge --persist "$P" "$B"
is "$RC" 0 "after a reboot: rm --purge --persist: 0" || diag "$ERR"
[ ! -e "$P/$B" ]
ok $? "after a reboot: rm --purge deleted the persistent directory"

done_testing
