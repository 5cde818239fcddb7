/* config.h: every default of container, and a switch for each optional
 * subsystem. Edit and recompile. A test configuration in tests/configs/
 * may define any WITH_* before this file is read (-include). */

/* Subsystems: 1 builds it in, 0 removes its code. */
#ifndef WITH_INIT
#define WITH_INIT      1  /* PID 1 of an initramfs (SPEC 6) */
#endif
#ifndef WITH_LAUNCHER
#define WITH_LAUNCHER  1  /* run, start, stop, exec, ps, ... on a host */
#endif
#ifndef WITH_CGROUPS
#define WITH_CGROUPS   1  /* cgroup v2 group and limits per container */
#endif
#ifndef WITH_CAPS
#define WITH_CAPS      1  /* capabilities through libcap-ng (else prctl) */
#endif
#ifndef WITH_USERNS
#define WITH_USERNS    1  /* --userns: container root mapped to a range */
#endif
#ifndef WITH_NETNS
#define WITH_NETNS     1  /* --net none: own network namespace, lo up */
#endif
#ifndef WITH_LOOP
#define WITH_LOOP      1  /* squashfs/erofs image files as rootfs */
#endif
#ifndef WITH_PROBE
#define WITH_PROBE     1  /* LABEL= and UUID= by reading superblocks */
#endif
#ifndef WITH_MODULES
#define WITH_MODULES   1  /* container.modules= with modules.dep */
#endif
#ifndef WITH_SECCOMP
#define WITH_SECCOMP   1  /* deny what Docker's default profile denies */
#endif
#ifndef WITH_OCI
#define WITH_OCI       1  /* OCI runtime: bundles, config.json, console socket (SPEC 10) */
#endif
#ifndef WITH_BRIDGE
#define WITH_BRIDGE    1  /* --net bridge, -p, DHCP/static in init mode (SPEC 12) */
#endif
#ifndef WITH_MONITOR
#define WITH_MONITOR   1  /* container monitor: page, JSON, metrics (SPEC 13) */
#endif
#ifndef WITH_IMAGES
#define WITH_IMAGES    1  /* --image, images, the image's config, A/B slots (SPEC 11) */
#endif

/* Launcher defaults. */
static const char persist_dir[]   = "/var/lib/container"; /* <persist>/<NAME>/ */
static const char runtime_dir[]   = "/run/container";     /* <runtime>/<NAME>/ */
static const char default_rootfs[] = "";                  /* --rootfs: required */
static const int  stop_grace      = 10;   /* stop -t: seconds before SIGKILL */
static const int  default_netns   = 1;    /* 1: --net none, 0: --net host */
static const int  default_init    = 0;    /* 1: a reaper is PID 1 inside */
static const long userns_start    = 100000; /* --userns: container root on the host */
static const long userns_count    = 65536;  /* --userns: ids mapped */
static const int  restart_backoff_ms = 100; /* first restart delay, doubles */
static const int  restart_backoff_max_ms = 10000;

/* Networking (WITH_BRIDGE). The bridge gets the subnet's first address,
 * the gateway of its containers; the host's other links are never touched. */
static const char bridge_name[]   = "container0";     /* --net bridge */
static const char bridge_subnet[] = "10.89.0.0/24";   /* containers' addresses */
static const int  udp_idle_s      = 60;  /* -p .../udp: a silent client forgotten */
static const char init_netns[]    = "/run/container.netns"; /* the workload's, kept */
static const char init_resolv[]   = "/run/container.resolv.conf"; /* its /etc/resolv.conf */

/* Images (SPEC 11). */
static const char images_dir[]    = "/var/lib/container/images"; /* <images>/NAME.squashfs|.erofs */
static const char images_env[]    = "CONTAINER_IMAGES"; /* if set, <images> instead */
static const char image_config[]  = "/.container/image"; /* the image's config inside it */
static const char slot_record[]   = ".slot"; /* A/B choice at the top of the persistent partition */

/* Default workload and its environment. */
static const char *const default_cmd[] = { "/bin/sh", NULL };
static const char *const default_env[] = {
	"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
	"TERM=linux",
	"HOME=/root",
	NULL,
};

/* cgroup v2 defaults: "" or 0 means no limit written. */
static const char default_memory[] = "";  /* memory.max, e.g. "512M" */
static const char default_swap[]   = "";  /* memory.swap.max */
static const long default_pids     = 0;   /* pids.max */
static const char default_cpus[]   = "";  /* cpu.max quota, e.g. "1.5" */
static const long default_cpu_weight = 0; /* cpu.weight, 1..10000 */
static const char cgroup_root[]    = "/sys/fs/cgroup";
static const char cgroup_parent[]  = "container"; /* group under the root */
static const int  cpu_period_us    = 100000;

/* Init mode defaults (each overridden by container.* on the command line). */
static const char init_lower[]    = "/lower.squashfs"; /* container.lower */
static const char init_persist[]  = "LABEL=persist";   /* container.persist */
static const char init_persistfs[] = "ext4";           /* container.persistfs */
static const char init_name[]     = "main";            /* container.name */
static const char init_modules[]  = "";                /* container.modules */
static const char init_restart[]  = "no";              /* container.restart */
static const int  init_rootwait   = 10;                /* container.rootwait */
static const int  init_grace      = 10; /* seconds from SIGTERM to SIGKILL */
static const char init_mnt[]      = "/mnt"; /* where lower, persist, root go */

/* Monitor: container monitor on a host, container.monitor= in init mode. */
static const char monitor_listen[]  = "127.0.0.1:9180"; /* --listen ADDR:PORT */
static const char init_monitor_addr[] = "0.0.0.0";      /* container.monitor=PORT */
static const unsigned monitor_uid   = 65532; /* init mode: its uid and gid, no capabilities */
static const int  monitor_timeout_ms = 5000; /* to send a whole request, else 408 */
static const int  monitor_write_ms  = 1000;  /* to take a whole response, else closed */
static const int  monitor_sample_ms = 5000;  /* one history sample each */
static const int  monitor_refresh_s = 5;     /* the page reloads itself */
/* Fixed sizes of its buffers: nothing a client sends makes them grow. */
enum {
	MONITOR_CLIENTS = 16,      /* connections at once; more get 503 */
	MONITOR_REQUEST = 4096,    /* request line and headers; more: 414, 431 */
	MONITOR_HEADERS = 32,      /* header lines; more: 431 */
	MONITOR_MAX     = 256,     /* containers shown */
	MONITOR_HISTORY = 72,      /* samples kept per container (6 min) */
	MONITOR_REPLY   = 1 << 20, /* the largest response */
};

/* Capabilities kept by default: Docker's and runc's 14. */
static const char *const default_caps[] = {
	"CHOWN", "DAC_OVERRIDE", "FSETID", "FOWNER", "MKNOD", "NET_RAW",
	"SETGID", "SETUID", "SETFCAP", "SETPCAP", "NET_BIND_SERVICE",
	"SYS_CHROOT", "KILL", "AUDIT_WRITE", NULL,
};

/* Paths masked inside the container, as runc does by default: a file is
 * covered by /dev/null, a directory by an empty read-only tmpfs. */
static const char *const masked_paths[] = {
	"/proc/acpi", "/proc/asound", "/proc/kcore", "/proc/keys",
	"/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats",
	"/proc/sched_debug", "/proc/scsi", "/sys/firmware",
	"/sys/devices/virtual/powercap", NULL,
};
/* Paths made read-only inside the container. */
static const char *const readonly_paths[] = {
	"/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys",
	"/proc/sysrq-trigger", NULL,
};

/* Mounts inside the new root, in order.
 *  source    target      type      flags                                  data */
static const struct mount_entry container_mounts[] = {
	{ "proc",   "/proc",    "proc",   MS_NOSUID|MS_NODEV|MS_NOEXEC,          NULL },
	{ "sysfs",  "/sys",     "sysfs",  MS_NOSUID|MS_NODEV|MS_NOEXEC|MS_RDONLY, NULL },
	{ "tmpfs",  "/dev",     "tmpfs",  MS_NOSUID|MS_NODEV|MS_STRICTATIME,     "mode=755,size=64k" },
	{ "devpts", "/dev/pts", "devpts", MS_NOSUID|MS_NOEXEC,                   "newinstance,ptmxmode=0666,mode=620" },
	{ "shm",    "/dev/shm", "tmpfs",  MS_NOSUID|MS_NODEV|MS_NOEXEC,          "mode=1777,size=64m" },
	{ "mqueue", "/dev/mqueue", "mqueue", MS_NOSUID|MS_NODEV|MS_NOEXEC,       NULL },
	{ "cgroup", "/sys/fs/cgroup", "cgroup2", MS_NOSUID|MS_NODEV|MS_NOEXEC|MS_RDONLY, NULL },
};

/* Device nodes bound from the host's /dev into the container's /dev.
 *  name       mode */
static const struct dev_entry container_devs[] = {
	{ "null",    0666 }, { "zero",    0666 }, { "full", 0666 },
	{ "random",  0666 }, { "urandom", 0666 }, { "tty",  0666 },
};

/* Devices a config.json container may always use besides container_devs
 * (whose numbers are read from the host's /dev), as runc allows them in
 * its cgroup device program.  type  major  minor (-1: any) */
static const struct dev_number always_allowed_devs[] = {
	{ 'c', 5, 2 },     /* /dev/ptmx */
	{ 'c', 136, -1 },  /* /dev/pts/N: the container's terminals */
};

/* Symlinks in the container's /dev.   target            link */
static const struct link_entry container_links[] = {
	{ "/proc/self/fd",   "/dev/fd" },
	{ "/proc/self/fd/0", "/dev/stdin" },
	{ "/proc/self/fd/1", "/dev/stdout" },
	{ "/proc/self/fd/2", "/dev/stderr" },
	{ "pts/ptmx",        "/dev/ptmx" },
};

/* OCI runtime (SPEC 10): limits on what config.json may be. */
#define JSON_MAX_SIZE    1048576  /* bytes of config.json read at most */
#define JSON_MAX_DEPTH   32       /* objects and arrays nested at most */
#define JSON_MAX_TOKENS  32768    /* values (and keys) at most */
static const long long oci_hook_timeout = 60; /* seconds a hook may take when it names no timeout */
