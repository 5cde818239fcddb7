#!/bin/bash
# cgroup v2 on a host whose cgroup2 hierarchy has no usable controllers (a
# hybrid v1/v2 host, as this one): a limit is refused naming the missing
# controller, before anything is touched; no limit, no group, no word.
# Limits that really hold are proven in the QEMU guest (boot-cgroups.t).
. "$(dirname "$0")/lib.sh"
need_root
need_container
need_rootfs
has_feature cgroups || skip_all "this build has no cgroup support"

cg2=$(awk '$9 == "cgroup2" { print $5; exit }' /proc/self/mountinfo)
[ -n "$cg2" ] || skip_all "no cgroup2 hierarchy mounted on this host"
controllers=$(cat "$cg2/cgroup.controllers")
for c in memory pids cpu; do
	[[ " $controllers " == *" $c "* ]] &&
		skip_all "cgroup2 at $cg2 has the $c controller: this test is for hosts without"
done
plan 18

name=$(name_for cg)
before=$T/mountinfo.before
mountinfo_snapshot "$before"

refused() {	# DESC CONTROLLER OPTIONS...
	local desc=$1 ctl=$2; shift 2
	launch "$@" "$name" true
	is "$RC" 125 "$desc: exit 125"
	one_error_line "$desc: one error line"
	like "$ERR" "controller $ctl is not available" "$desc: names the $ctl controller"
	[ ! -e "$P/$name" ] && [ ! -e "/run/container/$name" ]
	ok $? "$desc: nothing written"
}
refused "-m 64M" memory -m 64M
refused "--pids 10" pids --pids 10
refused "--cpus 0.5" cpu --cpus 0.5

mountinfo_snapshot "$T/mountinfo.after"
cmp -s "$before" "$T/mountinfo.after"
ok $? "nothing mounted after the refusals"

launch "$name" sh -c 'cat /proc/self/cgroup'
is "$RC" 0 "no limit asked: the container runs"
is "$ERR" "" "no limit asked: nothing said"
[ ! -e "$cg2/container/$name" ]
ok $? "no limit asked: no group made in $cg2"

for bad in "--pids -1" "--cpus 0"; do
	# shellcheck disable=SC2086
	launch $bad "$name-bad" true
	is "$RC" 125 "$bad: refused with 125"
done
done_testing
