#!/usr/bin/env python3
"""oci-bundle.py OUT ROOTFS [KEY=JSON ...]: write a minimal config.json to
OUT that both runc and container run: the process (args /probe), ROOTFS
read-only, proc, /dev and devpts, new pid, ipc, uts, mount and network
namespaces, Podman's default capabilities. Each KEY=JSON replaces a value;
KEY is a dotted path (process.noNewPrivileges=false,
linux.seccomp=@FILE reads FILE)."""
import json
import sys

CAPS = ["CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL",
        "CAP_NET_BIND_SERVICE", "CAP_SETFCAP", "CAP_SETGID", "CAP_SETPCAP",
        "CAP_SETUID", "CAP_SYS_CHROOT"]


def main():
    out, rootfs = sys.argv[1], sys.argv[2]
    c = {
        "ociVersion": "1.0.2",
        "process": {
            "terminal": False, "user": {"uid": 0, "gid": 0}, "args": ["/probe"],
            "env": ["PATH=/usr/sbin:/usr/bin:/sbin:/bin"], "cwd": "/",
            "capabilities": {k: CAPS for k in ("bounding", "effective", "permitted")},
            "noNewPrivileges": True,
        },
        "root": {"path": rootfs, "readonly": True},
        "hostname": "probe",
        "mounts": [
            {"destination": "/proc", "type": "proc", "source": "proc"},
            {"destination": "/dev", "type": "tmpfs", "source": "tmpfs",
             "options": ["nosuid", "strictatime", "mode=755", "size=65536k"]},
            {"destination": "/dev/pts", "type": "devpts", "source": "devpts",
             "options": ["nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620"]},
            {"destination": "/tmp", "type": "tmpfs", "source": "tmpfs", "options": ["nosuid", "nodev"]},
        ],
        "linux": {
            "namespaces": [{"type": t} for t in ("pid", "ipc", "uts", "mount", "network")],
        },
    }
    for kv in sys.argv[3:]:
        key, val = kv.split("=", 1)
        val = json.load(open(val[1:])) if val.startswith("@") else json.loads(val)
        node, parts = c, key.split(".")
        for p in parts[:-1]:
            node = node.setdefault(p, {})
        node[parts[-1]] = val
    with open(out, "w") as f:
        json.dump(c, f, indent=1)


main()
