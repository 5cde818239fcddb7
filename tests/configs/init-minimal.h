/* The smallest machine: init only, with kernel modules (the Debian cloud
 * kernel has virtio and overlayfs as modules). Base image and persistent
 * partition are named by device path: no probe, no loop devices. */
#define WITH_LAUNCHER  0
#define WITH_CGROUPS   0
#define WITH_CAPS      0
#define WITH_USERNS    0
#define WITH_NETNS     0
#define WITH_LOOP      0
#define WITH_PROBE     0
#define WITH_SECCOMP   0
#define WITH_OCI       0
#define WITH_BRIDGE    0
#define WITH_MONITOR   0
#define WITH_IMAGES    0
