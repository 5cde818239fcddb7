#!/bin/bash
# The container.persist=NAME annotation (SPEC 10): the root is an overlay
# of root.path and <persist>/NAME/upper, so changes survive delete and a
# new create; root.path is never written; one live container per NAME.
. "$(dirname "$0")/lib.sh"
. "$TOP/tests/lib/oci.sh"	# root, the binary, the rootfs, WITH_OCI
plan 13

B=$T/bundle
a=$(name_for pa)
b=$(name_for pb)
n=$(name_for keep)
layer=/var/lib/container/$n
defer rm -rf "$layer"
defer oci delete --force "$a"
defer oci delete --force "$b"
ann=",\"annotations\":{\"container.persist\":\"$n\",\"other\":\"x\"}"

bundle "$B" '"sh","-c","cat /data/x 2>/dev/null; mkdir -p /data; echo $0 > /data/x","first"' "" "" "$ann"
sed -i 's/"readonly":true/"readonly":false/' "$B/config.json"
capture oci run --bundle "$B" "$a"
is "$RC" 0 "a first run with container.persist: 0" || diag "$ERR"
is "$OUT" "" "a first run: nothing there yet"
sed -i 's/"first"/"second"/' "$B/config.json"
capture oci run --bundle "$B" "$b"
is "$OUT" "first" "a new container with the same NAME sees the first one's file"
is "$(cat "$layer/upper/data/x" 2>/dev/null)" "second" "the change lives in <persist>/NAME/upper"
[ ! -e "$ROOTFS/data" ]
ok $? "root.path is not written"

# one live container per NAME
bundle "$B" '"sleep","1006"' "" "" "$ann"
capture oci create --bundle "$B" "$a"
is "$RC" 0 "create with the NAME: 0" || diag "$ERR"
capture oci create --bundle "$B" "$b"
is "$RC" 1 "a second live container with the NAME: 1"
one_error_line "a second live container with the NAME: one error line"
like "$ERR" "container.persist=$n is in use by container $a" "a second live container: names the holder"
oci_gone "$b"
ok $? "a second live container: nothing left of it"
oci delete "$a"
capture oci create --bundle "$B" "$b"
is "$RC" 0 "once the holder is deleted, the NAME is free again" || diag "$ERR"
capture oci state "$b"
like "$OUT" '"status":"created"' "it is created"
oci delete "$b"
[ -e "$layer/upper/data/x" ]
ok $? "delete keeps the persistent layer"
done_testing
