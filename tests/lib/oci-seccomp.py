#!/usr/bin/env python3
"""oci-seccomp.py PROFILE CAP... : the linux.seccomp object of config.json
that an engine makes of a containers/Docker seccomp profile (PROFILE, with
archMap, includes and excludes) for an x86_64 container holding the
capabilities CAP... (CAP_ names), the way containers/common resolves it:
an entry is kept when its excludes name neither this architecture nor a
held capability, and its includes name this architecture (if any) and only
held capabilities (if any). Printed as JSON on stdout."""
import json
import sys

ARCH, GOARCH = "SCMP_ARCH_X86_64", "amd64"


def keep(entry, caps):
    inc, exc = entry.get("includes") or {}, entry.get("excludes") or {}
    if GOARCH in (exc.get("arches") or []):
        return False
    if any(c in caps for c in exc.get("caps") or []):
        return False
    if inc.get("arches") and GOARCH not in inc["arches"]:
        return False
    if inc.get("caps") and not all(c in caps for c in inc["caps"]):
        return False
    return True


def main():
    prof = json.load(open(sys.argv[1]))
    caps = set(sys.argv[2:])
    out = {"defaultAction": prof["defaultAction"]}
    if "defaultErrnoRet" in prof:
        out["defaultErrnoRet"] = prof["defaultErrnoRet"]
    for a in prof.get("archMap") or []:
        if a["architecture"] == ARCH:
            out["architectures"] = [ARCH] + (a.get("subArchitectures") or [])
    out["syscalls"] = []
    for e in prof.get("syscalls") or []:
        if not keep(e, caps):
            continue
        s = {"names": e["names"], "action": e["action"]}
        if e.get("errnoRet") is not None:
            s["errnoRet"] = e["errnoRet"]
        if e.get("args"):
            s["args"] = e["args"]
        out["syscalls"].append(s)
    json.dump(out, sys.stdout, indent=1)


main()
