#!/bin/bash
# config.json fields honoured inside the container (SPEC 10): user, groups,
# umask, rlimits, oomScoreAdj, env (as given), cwd, hostname, capabilities,
# a read-only root, binds with their options, tmpfs nodev, sysctl, masked
# and read-only paths, linux.devices, a namespace joined by path, user
# namespaces with their mappings.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/lib/oci.sh"	# root, the binary, the rootfs, WITH_OCI
plan 19

B=$T/bundle
id=$(name_for cfg)
defer oci delete --force "$id"
mkdir -p "$T/vol" && echo host-file >"$T/vol/f"

script='id -u; id -G; umask; ulimit -n; cat /proc/self/oom_score_adj; echo $FOO; pwd; hostname;
grep CapEff /proc/self/status; touch /x 2>&1 | grep -c Read-only; cat /v/f; touch /v/g 2>&1 | grep -c Read-only;
cat /proc/sys/net/ipv4/ip_forward; grep -c " /proc/keys " /proc/self/mountinfo;
sh -c "echo 1 > /proc/sys/net/ipv4/ip_forward" 2>&1 | grep -c Read-only;
mknod /tmp/n c 1 3 && sh -c "echo x > /tmp/n" 2>&1 | grep -c denied'
bundle "$B" "\"sh\",\"-c\",$(printf '%s' "$script" | tr '\n' ' ' | sed 's/"/\\"/g; s/^/"/; s/$/"/')" \
	',"rlimits":[{"type":"RLIMIT_NOFILE","soft":123,"hard":456}],"oomScoreAdj":321' \
	',"sysctl":{"net.ipv4.ip_forward":"1"}'
sed -i 's|"user":{"uid":0,"gid":0}|"user":{"uid":0,"gid":0,"umask":18,"additionalGids":[7,8]}|; s|"env":\[|"env":["FOO=bar",|; s|"cwd":"/"|"cwd":"/tmp/w"|; s|"CAP_KILL","CAP_CHOWN"|"CAP_KILL","CAP_CHOWN","CAP_MKNOD"|g' "$B/config.json"
sed -i "s|\"mounts\":\[|\"mounts\":[{\"destination\":\"/v\",\"type\":\"bind\",\"source\":\"$T/vol\",\"options\":[\"rbind\",\"ro\"]},|" "$B/config.json"
capture oci run --bundle "$B" "$id"
is "$RC" 0 "run: 0" || diag "$ERR"
mapfile -t L <<<"$OUT"
is "${L[0]}" 0 "process.user.uid"
is "${L[1]}" "0 7 8" "process.user.gid and additionalGids"
is "${L[2]}" 0022 "process.user.umask (18: 022)"
is "${L[3]}" 123 "process.rlimits: RLIMIT_NOFILE soft"
is "${L[4]}" 321 "process.oomScoreAdj"
is "${L[5]}" bar "process.env, as given"
is "${L[6]}" /tmp/w "process.cwd (made)"
is "${L[7]}" oci "hostname"
is "${L[8]}" "CapEff:	0000000008000021" "capabilities: CHOWN, KILL, MKNOD only"
is "${L[9]}" 1 "root.readonly: the root is read-only"
is "${L[10]}" host-file "a bind mount from the host"
is "${L[11]}" 1 "its ro option"
is "${L[12]}" 1 "linux.sysctl: net.ipv4.ip_forward in the container's own netns"
is "${L[13]}" 1 "linux.maskedPaths: /proc/keys covered"
is "${L[14]}" 1 "linux.readonlyPaths: /proc/sys is read-only"
is "${L[15]}" 1 "a tmpfs is nodev: a node made there cannot be opened"

# a network namespace joined by path: the first container's
bundle "$B" '"sleep","1008"'
oci run -d --bundle "$B" --pid-file "$T/pid" "$id" 2>/dev/null
two=$(name_for cfg2)
bundle "$T/b2" '"readlink","/proc/self/ns/net"'
sed -i "s|{\"type\":\"network\"}|{\"type\":\"network\",\"path\":\"/proc/$(cat "$T/pid")/ns/net\"}|" "$T/b2/config.json"
capture oci run --bundle "$T/b2" "$two"
is "$OUT" "$(readlink "/proc/$(cat "$T/pid")/ns/net")" "linux.namespaces path: the network namespace joined"
oci delete --force "$id"

# a user namespace with its mappings
bundle "$B" '"sh","-c","cat /proc/self/uid_map /proc/self/gid_map | tr -s \" \" | tr \"\\n\" \";\""' "" \
	',"uidMappings":[{"containerID":0,"hostID":200000,"size":1000}],"gidMappings":[{"containerID":0,"hostID":200000,"size":1000}]'
sed -i 's/{"type":"mount"}/{"type":"mount"},{"type":"user"}/' "$B/config.json"
capture oci run --bundle "$B" "$id"
is "$OUT" " 0 200000 1000; 0 200000 1000;" "uidMappings and gidMappings in a user namespace" || diag "$ERR"
done_testing
