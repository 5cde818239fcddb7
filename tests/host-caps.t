#!/bin/bash
# The privileges a workload ends up with: capability sets (effective,
# permitted, bounding, inheritable, ambient) for the default set and for
# --cap-add, --cap-drop and -u; no_new_privs and the seccomp filter; the
# same through container exec; and --userns (id maps, layer ownership).
. "$(dirname "$0")/lib.sh"
need_root
need_container
need_rootfs

N=$(name_for caps)

# Docker's and runc's 14: CHOWN DAC_OVERRIDE FOWNER FSETID KILL SETGID
# SETUID SETPCAP NET_BIND_SERVICE NET_RAW SYS_CHROOT MKNOD AUDIT_WRITE SETFCAP
DEFAULT=00000000a80425fb
ZERO=0000000000000000

# the status lines of the workload's own /proc/self/status
STATUS='grep -E "^(Cap(Inh|Prm|Eff|Bnd|Amb)|NoNewPrivs|Seccomp):" /proc/self/status'

# field KEY: its value in $OUT (the status lines)
field() { printf '%s\n' "$OUT" | tr -d '\r' | awk -v k="$1:" '$1 == k { print $2 }'; }

# got KEY WANT DESC: like is, but when the workload printed no status at
# all, one short failure instead of the whole context each time
got() {
	if [ -z "$(field CapEff)" ]; then
		fail "$3"; diag "no status lines: exit $RC, stderr: $ERR"; return 1
	fi
	is "$(field "$1")" "$2" "$3"
}

# sets DESC INH PRM EFF BND AMB: the five sets, as /proc shows them
sets() {
	local desc=$1
	got CapInh "$2" "$desc: CapInh"
	got CapPrm "$3" "$desc: CapPrm"
	got CapEff "$4" "$desc: CapEff"
	got CapBnd "$5" "$desc: CapBnd"
	got CapAmb "$6" "$desc: CapAmb"
}

# confined DESC: no_new_privs and a seccomp filter
confined() {
	got NoNewPrivs 1 "$1: NoNewPrivs"
	if has_feature seccomp; then
		got Seccomp 2 "$1: Seccomp (filter mode)"
	else
		skip "$1: Seccomp (filter mode)" "this build has no seccomp filter"
	fi
}

hex() { printf '%016x' "$1"; }

# --- run -------------------------------------------------------------------

launch "$N" sh -c "$STATUS"
sets "default" $ZERO $DEFAULT $DEFAULT $DEFAULT $ZERO
confined "default"

launch --cap-drop ALL "$N" sh -c "$STATUS"
sets "--cap-drop ALL" $ZERO $ZERO $ZERO $ZERO $ZERO
confined "--cap-drop ALL"

with_admin=$(hex $((0x$DEFAULT | 1 << 21)))
for spelling in SYS_ADMIN sys_admin CAP_SYS_ADMIN Cap_Sys_Admin; do
	launch --cap-add "$spelling" "$N" sh -c "$STATUS"
	sets "--cap-add $spelling" $ZERO "$with_admin" "$with_admin" "$with_admin" $ZERO
done
confined "--cap-add SYS_ADMIN"
if has_feature seccomp; then
	launch --cap-add SYS_ADMIN "$N" sh -c 'mount -t tmpfs x /mnt 2>/dev/null; echo $?'
	is "$OUT" 1 "--cap-add SYS_ADMIN: mount is still refused (seccomp)"
else
	skip "--cap-add SYS_ADMIN: mount is still refused (seccomp)" "this build has no seccomp filter"
fi

no_chown=$(hex $((0x$DEFAULT & ~1)))
launch --cap-drop chown "$N" sh -c "$STATUS"
sets "--cap-drop chown" $ZERO "$no_chown" "$no_chown" "$no_chown" $ZERO
launch --cap-drop CAP_CHOWN "$N" sh -c 'chown 65534 /etc/passwd 2>/dev/null; echo $?'
is "$OUT" 1 "--cap-drop CAP_CHOWN: chown is refused"

no_raw=$(hex $((0x$DEFAULT & ~(1 << 13))))
launch --cap-drop NET_RAW "$N" sh -c "$STATUS"
sets "--cap-drop NET_RAW" $ZERO "$no_raw" "$no_raw" "$no_raw" $ZERO

bind=$(hex $((1 << 10)))
launch --cap-drop ALL --cap-add NET_BIND_SERVICE "$N" sh -c "$STATUS"
sets "--cap-drop ALL --cap-add NET_BIND_SERVICE" $ZERO "$bind" "$bind" "$bind" $ZERO
# Docker applies the drop of ALL first, whatever the order on the line
launch --cap-add NET_BIND_SERVICE --cap-drop ALL "$N" sh -c "$STATUS"
got CapEff "$bind" "--cap-add NET_BIND_SERVICE --cap-drop ALL: CapEff (Docker's order)"

# ALL: every capability the launcher itself holds (a host, or a container
# around this one, may hold fewer than the kernel knows)
host_prm=$(awk '$1 == "CapPrm:" { print $2 }' /proc/self/status)
launch --cap-add ALL "$N" sh -c "$STATUS"
is "$RC" 0 "--cap-add ALL: runs" || diag "$ERR"
got CapEff "$host_prm" "--cap-add ALL: CapEff is the launcher's permitted set"
got CapBnd "$host_prm" "--cap-add ALL: CapBnd is the launcher's permitted set"

launch -u 65534 "$N" sh -c "$STATUS; id -u; id -g; id -G"
sets "-u 65534" $ZERO $ZERO $ZERO $DEFAULT $ZERO
confined "-u 65534"
is "$(printf '%s\n' "$OUT" | tail -n 3 | tr '\n' ' ')" "65534 65534 65534 " \
	"-u 65534: uid, gid and no supplementary group"

launch -u 1000:1000 --cap-add ALL "$N" sh -c "$STATUS"
got CapEff $ZERO "-u 1000:1000 --cap-add ALL: CapEff"
got CapPrm $ZERO "-u 1000:1000 --cap-add ALL: CapPrm"
got CapAmb $ZERO "-u 1000:1000 --cap-add ALL: CapAmb"

launch -u 0:65534 "$N" sh -c "$STATUS; id -u; id -g"
sets "-u 0:65534" $ZERO $DEFAULT $DEFAULT $DEFAULT $ZERO

# --- exec ------------------------------------------------------------------

NE=$(name_for exec)
capture ctr run -d --rootfs "$ROOTFS" --persist "$P" --cap-drop NET_RAW "$NE" sleep 60
is "$RC" 0 "a detached container for exec" || diag "$ERR"
capture ctr exec "$NE" sh -c "$STATUS"
sets "exec" $ZERO "$no_raw" "$no_raw" "$no_raw" $ZERO
confined "exec"
capture ctr exec -u 65534 "$NE" sh -c "$STATUS"
sets "exec -u 65534" $ZERO $ZERO $ZERO "$no_raw" $ZERO
confined "exec -u 65534"
capture ctr stop -t 1 "$NE"

# --- --userns ----------------------------------------------------------------

# The mapped root (host uid 100000) must be able to reach the layer: give
# it a persistent directory under a path it may walk through.
if has_feature userns; then
	NU=$(name_for userns)
	PU=$T/pub/persist
	mkdir -p "$T/pub" && chmod 0755 "$T/pub" && chmod 0711 "$T"
	launch --persist "$PU" --userns "$NU" sh -c \
		"cat /proc/self/uid_map /proc/self/gid_map; id -u; $STATUS; echo x >/escape-owned"
	if is "$RC" 0 "--userns: runs"; then
		is "$(printf '%s\n' "$OUT" | head -n 2 | awk '{ print $1, $2, $3 }' | tr '\n' ' ')" \
			"0 100000 65536 0 100000 65536 " "--userns: uid_map and gid_map are 0 100000 65536"
		is "$(printf '%s\n' "$OUT" | sed -n 3p)" 0 "--userns: root inside"
	else
		fail "--userns: uid_map and gid_map are 0 100000 65536"
		fail "--userns: root inside"
	fi
	sets "--userns" $ZERO $DEFAULT $DEFAULT $DEFAULT $ZERO
	confined "--userns"
	is "$(stat -c %u:%g "$PU/$NU/upper/escape-owned" 2>&1)" 100000:100000 \
		"--userns: a file made inside is owned by 100000:100000 on the host"
	launch --persist "$PU" --userns "$NU" sh -c \
		'unshare -U true 2>/dev/null; echo $?; mount -t tmpfs x /mnt 2>/dev/null; echo $?'
	is "$(printf '%s\n' "$OUT" | tr '\n' ' ')" "1 1 " "--userns: unshare -U and mount are refused"
	# Host uid 100000 is not only the container's root: it is also the
	# first subordinate uid useradd gives a user (/etc/subuid), so an
	# unprivileged user's rootless container can be it. It must not be
	# able to change what `start` (as root) reads: the saved config.
	if command -v setpriv >/dev/null 2>&1 && [ -e "$PU/$NU/config" ]; then
		capture setpriv --reuid 100000 --regid 100000 --clear-groups \
			sh -c 'cd "$1" && echo "--volume" >config.new && mv -f config.new config' sh "$PU/$NU"
		if [ "$RC" -ne 0 ]; then
			pass "--userns: host uid 100000 cannot replace the saved config"
		else
			fail "--userns: host uid 100000 cannot replace the saved config"
			diag "ESCAPE: host uid 100000 replaced $PU/$NU/config, which start reads as root" \
				"$(ls -ld "$PU/$NU" "$PU/$NU/config")"
		fi
	else
		skip "--userns: host uid 100000 cannot replace the saved config" "no setpriv or no saved config"
	fi
	chmod 0700 "$T"
else
	skip "--userns" "built without WITH_USERNS"
fi

done_testing
