/* Minimal launcher: no init, cgroups, libcap-ng, user or network
 * namespaces, image files, probing, modules or seccomp. */
#define WITH_INIT      0
#define WITH_CGROUPS   0
#define WITH_CAPS      0
#define WITH_USERNS    0
#define WITH_NETNS     0
#define WITH_LOOP      0
#define WITH_PROBE     0
#define WITH_MODULES   0
#define WITH_SECCOMP   0
#define WITH_OCI       0
#define WITH_BRIDGE    0
#define WITH_MONITOR   0
#define WITH_IMAGES    0
