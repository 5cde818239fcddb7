#!/bin/bash
# Networking on a host: --net bridge (two containers reach each other and
# the host), -p over TCP and UDP answered on 127.0.0.1, across a restart;
# a host port in use and --ip conflicts refused; --net ns:PATH; bad -p;
# and after stop, rm and a supervisor killed with SIGKILL, no veth, lease
# or listening socket left. Traffic: loopback and container0 only.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/lib/lifecycle.sh"
need_root
need_container
need_rootfs
has_feature bridge || skip_all "built without WITH_BRIDGE"
command -v curl >/dev/null || bail "no curl (tools/deps.sh test)"
command -v ip >/dev/null || bail "no ip (tools/deps.sh test)"

LEASES=/run/container/.net
links() { ip -o link show | awk -F': ' '{ sub(/@.*/, "", $2); print $2 }' | grep -v '^container0$' | sort; }
leases() { ls "$LEASES" 2>/dev/null | grep -v '^lock$' | sort; }
links >"$T/links.before"
leases >"$T/leases.before"

# a free TCP and UDP port on 127.0.0.1, from START up
free_port() {
	local p=$1
	while ss -Htanu "( sport = :$p )" | grep -q .; do p=$((p + 1)); done
	echo "$p"
}
HTTP=$(free_port 18080)
UDP=$(free_port $((HTTP + 1)))

# an address of the subnet no one else holds: 10.89.0.100 and up
free_ip() {
	local i=$1
	while [ -e "$LEASES/10.89.0.$i" ]; do i=$((i + 1)); done
	echo "10.89.0.$i"
}

# busybox nc has no UDP: a tiny static echo server, and a page to serve
mkdir -p "$T/bin" "$T/www"
musl-gcc -static -Os -o "$T/bin/udp-echo" "$TOP/tests/lib/udp-echo.c" || bail "cannot build udp-echo"
echo "page-$$" >"$T/www/index.html"
udp_ask() {	# udp_ask PORT TEXT: the answer of 127.0.0.1:PORT, 2 s at most
	local ans
	exec 7<>"/dev/udp/127.0.0.1/$1" || return 1
	printf '%s' "$2" >&7
	ans=$(timeout 2 dd bs=65536 count=1 <&7 2>/dev/null)
	exec 7<&-
	printf '%s' "$ans"
}
wait_http() {	# wait_http URL: until it answers, 5 s at most
	local i=0
	until OUT=$(curl -s --max-time 2 "$1") && [ -n "$OUT" ] || [ $i -ge 50 ]; do
		sleep 0.1; i=$((i + 1))
	done
}

# --- two containers on the bridge -----------------------------------------

A=$(name_for web)
B=$(name_for peer)
made "$A"
made "$B"
IPA=$(free_ip 100)
rund --net bridge --ip "$IPA" --restart always -p "127.0.0.1:$HTTP:80" -p "127.0.0.1:$UDP:7/udp" \
	-v "$T/bin:/t:ro" -v "$T/www:/www:ro" "$A" -- sh -c 'httpd -p 80 -h /www; exec /t/udp-echo 7'
is "$RC" 0 "run -d --net bridge --ip $IPA -p: exit 0" || diag "$ERR"
rund --net bridge "$B" -- sleep 1000
is "$RC" 0 "a second container on the bridge, address leased" || diag "$ERR"

capture ctr exec "$A" ip -4 -o addr show eth0
like "$OUT" "inet $IPA/24 " "--ip: eth0 has that address"
capture ctr exec "$B" ip -4 -o addr show eth0
IPB=$(echo "$OUT" | sed -n 's/.*inet \([0-9.]*\)\/24 .*/\1/p')
like "$IPB" '^10\.89\.0\.[0-9]+$' "the other gets an address of 10.89.0.0/24" || diag "$OUT"
capture ctr exec "$B" ip route
like "$OUT" "default via 10.89.0.1 dev eth0" "a default route through the gateway"
capture ctr exec "$A" ip -o link show lo
like "$OUT" "UP" "lo is up"
is "$(cat "$LEASES/$IPA" 2>/dev/null)" "$A" "the lease file names its container"

capture ctr exec "$A" ping -c 1 -W 2 "$IPB"
is "$RC" 0 "$A pings $B by address" || diag "$OUT$ERR"
capture ctr exec "$B" ping -c 1 -W 2 "$IPA"
is "$RC" 0 "$B pings $A by address" || diag "$OUT$ERR"
capture ctr exec "$B" ping -c 1 -W 2 10.89.0.1
is "$RC" 0 "a container reaches the host (the gateway on container0)"
capture busybox ping -c 1 -W 2 "$IPA"
is "$RC" 0 "the host reaches a container by address"

# --- published ports ---------------------------------------------------------

wait_http "http://127.0.0.1:$HTTP/"
is "$OUT" "page-$$" "-p 127.0.0.1:$HTTP:80: the container's httpd answers curl on the host"
is "$(udp_ask "$UDP" "echo-$$")" "echo-$$" "-p 127.0.0.1:$UDP:7/udp: a UDP echo answers through the relay"
is "$(udp_ask "$UDP" "again-$$")" "again-$$" "a second datagram from another client port"
ss -Hltn "( sport = :$HTTP )" | grep -q '127.0.0.1'
ok $? "the published port listens on the host's 127.0.0.1 only"

# a restart by policy keeps the port and the address
old=$(pid_by_cmdline /t/udp-echo 7)
kill -KILL "$old"
i=0
until new=$(pid_by_cmdline /t/udp-echo 7) && [ "$new" != "$old" ] || [ $i -ge 100 ]; do
	sleep 0.1; i=$((i + 1))
done
wait_http "http://127.0.0.1:$HTTP/"
is "$OUT" "page-$$" "after a restart by policy the published port still answers"
capture ctr exec "$A" ip -4 -o addr show eth0
like "$OUT" "inet $IPA/24 " "after the restart: the same address"

# --- refusals ------------------------------------------------------------

C2=$(name_for second)
made "$C2"
rund --net bridge -p "127.0.0.1:$HTTP:80" "$C2" -- sleep 100
is "$RC" 125 "the same host port again: exit 125"
one_error_line "the same host port again: one line"
like "$ERR" "publish 127.0.0.1:$HTTP/tcp: Address (already )?in use" "it names the port in use"
for bad in 10.90.0.5 10.89.0.1 10.89.0.255 10.89.0.0; do
	rund --net bridge --ip "$bad" "$C2" -- true
	is "$RC" 125 "--ip $bad (not a container address of the subnet): exit 125"
done
like "$ERR" "^container: --ip 10.89.0.0: not a container address of container0" "outside the subnet: one clear line"
rund -p 8080:80 "$C2" -- true
is "$RC" 125 "-p without --net bridge: exit 125"
one_error_line "-p without --net bridge: one line"
for bad in 0:80 70000:80 80:0 a:b 80:80/ 80:80/sctp 80 host:80:80; do
	rund --net bridge -p "$bad" "$C2" -- true
	is "$RC:$ERR" "125:container: invalid value '$bad' for --publish (see container run --help)" \
		"-p $bad: exit 125, one line"
done
[ ! -e "/run/container/$C2" ] && [ ! -e "$P/$C2" ]
ok $? "a port in use, an --ip off the subnet, a bad -p: nothing left in /run/container or the persist dir"
rund --net bridge --ip "$IPA" "$C2" -- sleep 100
is "$RC" 125 "--ip held by another container: exit 125"
like "$ERR" "^container: --ip $IPA: taken by another container$" "--ip taken: one clear line"
leases >"$T/leases.now"
is "$(cat "$T/leases.now")" "$(sort "$T/leases.before" - <<<"$IPA$NL$IPB" | grep . | sort)" \
	"refused runs held no lease"

# the foreground launcher is the supervisor: it forwards too, and its end
# closes the port
F=$(name_for fg)
made "$F"
FP=$(free_port $((UDP + 1)))
start_bg "$T/fg.out" "$T/fg.err" "$C" run --rootfs "$ROOTFS" --persist "$P" --volatile --net bridge \
	-p "127.0.0.1:$FP:80" -v "$T/www:/www:ro" --init "$F" -- httpd -f -p 80 -h /www
wait_http "http://127.0.0.1:$FP/"
is "$OUT" "page-$$" "run in the foreground with -p: the host reaches the container's httpd"
kill -TERM "$BG"
wait_bg "$BG" 15
ss -Hltn "( sport = :$FP )" | grep -q .
ok $((!$?)) "the foreground run ended: its port no longer listens"

# --- --net ns:PATH -----------------------------------------------------------

NS=ctrtest$$
if ip netns add "$NS"; then
	defer ip netns del "$NS"
	D=$(name_for joined)
	made "$D"
	launch --volatile --net "ns:/run/netns/$NS" "$D" -- readlink /proc/self/ns/net
	want=$(ip netns exec "$NS" readlink /proc/self/ns/net)
	is "$RC:$OUT" "0:$want" "--net ns:PATH: the workload is in that network namespace"
	launch --volatile --net "ns:$T/nothing" "$D" -- true
	is "$RC" 125 "--net ns:PATH that does not exist: exit 125"
	like "$ERR" "^container: network namespace $T/nothing: No such file" "it says which"
else
	skip "--net ns:PATH" "ip netns add failed"
fi

# --- nothing left behind -----------------------------------------------------

ctr stop -t 1 "$A" >/dev/null 2>&1
links >"$T/links.now"
grep -q "ct$(printf '%02x' ${IPA//./ })" "$T/links.now"
ok $((!$?)) "stop: the veth of $A is gone"
[ ! -e "$LEASES/$IPA" ]
ok $? "stop: its lease is gone"
ss -Hltn "( sport = :$HTTP )" | grep -q .
ok $((!$?)) "stop: the published port no longer listens"
ss -Hlun "( sport = :$UDP )" | grep -q .
ok $((!$?)) "stop: the UDP port neither"

# a supervisor killed with SIGKILL: its forwarder goes with it, and the
# next command removes the veth and the lease it left
rund --net bridge -p "127.0.0.1:$HTTP:80" "$C2" -- sleep 1000
is "$RC" 0 "run -d with -p, to be killed" || diag "$ERR"
sup=$(sed -n 's/^sup=//p' "/run/container/$C2/state")
kill -KILL "$sup"
i=0
while ss -Hltn "( sport = :$HTTP )" | grep -q . && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
ss -Hltn "( sport = :$HTTP )" | grep -q .
ok $((!$?)) "SIGKILL of the supervisor: the port no longer listens"
# its workload lives on: the next command keeps its address and veth
wl=$(sed -n 's/^pid=//p' "/run/container/$C2/state")
ip2=$(grep -lx "$C2" "$LEASES"/[0-9]* 2>/dev/null | head -n 1)
ip2=${ip2##*/}
veth2=$(IFS=.; printf 'ct%02x%02x%02x%02x' $ip2)
capture ctr ps
kill -0 "$wl" 2>/dev/null
ok $? "SIGKILL of the supervisor: the workload lives on"
[ -n "$ip2" ] && [ -e "$LEASES/$ip2" ] && ip link show "$veth2" >/dev/null 2>&1
ok $? "... and the next command keeps its lease ($ip2) and veth ($veth2)"
capture ctr stop -t 1 "$C2"
capture ctr rm -f "$C2"
capture ctr rm -f "$A"
capture ctr stop -t 1 "$B"
links >"$T/links.now"
is "$(cat "$T/links.now")" "$(cat "$T/links.before")" "after stop, rm and SIGKILL: ip link as before"
leases >"$T/leases.now"
is "$(cat "$T/leases.now")" "$(cat "$T/leases.before")" "after stop, rm and SIGKILL: the leases as before"

done_testing
