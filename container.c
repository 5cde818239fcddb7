/* container: a minimal init and container launcher.
 *
 * One binary, two roles sharing one container setup path.
 *
 * As PID 1 of an initramfs (init mode) it makes a machine: it mounts /proc,
 * /sys, /dev and /run, loads kernel modules, waits for the disks, mounts the
 * read-only base image and the persistent partition, mounts cgroup2, and
 * then starts the workload in a container whose root is an overlay with its
 * writable layer on the persistent partition. It stays PID 1: it reaps,
 * forwards signals, restarts by policy, and on shutdown stops the workload,
 * unmounts and powers off.
 *
 * On a host (launcher) it runs, starts, stops, execs into and lists
 * "stoppable" containers whose changes live in <persist>/<NAME>/upper.
 *
 * A container is started by spawn(): a child cloned into new namespaces
 * (and its cgroup) waits for the parent's go, mounts its root, pivots into
 * it, drops privileges and execs the workload. Errors in the child travel
 * back through a close-on-exec pipe, so the parent knows whether setup, the
 * exec or the workload failed. supervise() then waits for it.
 *
 * Failure boundary: until the workload runs, a setup error ends the process
 * (launcher: exit 125; init: message on the console, then power off).
 * Once the workload runs, PID 1 and the supervisor only warn.
 *
 * To understand everything else, start reading main().
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <grp.h>
#include <limits.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/reboot.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/un.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <time.h>
#include <unistd.h>
#include <linux/loop.h>
#include <linux/sched.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <linux/audit.h>
#include <linux/close_range.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/if_link.h>
#include <linux/veth.h>

/* ---------- macros ---------- */

#ifndef VERSION
#define VERSION "dev"
#endif
#define LEN(a)          (sizeof(a) / sizeof((a)[0]))
#define STR_(x)         #x
#define STR(x)          STR_(x)
#define EXIT_SETUP      125
#define EXIT_CANNOT     126
#define EXIT_NOTFOUND   127
#define MAX_ARGS        256
#define MAX_VOLUMES     32
#define MAX_IO_DEVICES  8
#define MAX_CMD         (2 * MAX_ARGS)  /* words of a workload command */
#define MAX_CONFIG_ARGS (2 * MAX_ARGS + 2 * MAX_VOLUMES + MAX_CMD + 256)
#define NAME_MAX_LEN    64
#define MAX_PUBLISH     16      /* -p per container */
#define MAX_FLOWS       32      /* UDP clients a forwarder tracks */

#ifndef OPEN_TREE_CLONE
#define OPEN_TREE_CLONE         1
#endif
#ifndef OPEN_TREE_CLOEXEC
#define OPEN_TREE_CLOEXEC       O_CLOEXEC
#endif
#ifndef MOVE_MOUNT_F_EMPTY_PATH
#define MOVE_MOUNT_F_EMPTY_PATH 0x00000004
#endif
#ifndef MOUNT_ATTR_RDONLY
#define MOUNT_ATTR_RDONLY       0x00000001
#define MOUNT_ATTR_NOSUID       0x00000002
#define MOUNT_ATTR_NODEV        0x00000004
#define MOUNT_ATTR_NOEXEC       0x00000008
#endif
#ifndef FSOPEN_CLOEXEC
#define FSOPEN_CLOEXEC          1
#define FSMOUNT_CLOEXEC         1
#define FSCONFIG_SET_FLAG       0
#define FSCONFIG_SET_STRING     1
#define FSCONFIG_CMD_CREATE     6
#endif
#ifndef MOUNT_ATTR_STRICTATIME
#define MOUNT_ATTR_STRICTATIME  0x00000020
#endif
#ifndef MODULE_INIT_COMPRESSED_FILE
#define MODULE_INIT_COMPRESSED_FILE 4
#endif

/* ---------- types ---------- */

struct mount_entry { const char *src, *dst, *type; unsigned long flags; const char *data; };
struct dev_entry   { const char *name; mode_t mode; };
struct link_entry  { const char *target, *path; };
struct volume      { char src[PATH_MAX], dst[PATH_MAX]; int ro; };
struct io_limit    { char dev[64]; long long rbps, wbps; };
struct publish     { uint32_t ip; uint16_t hport, port; int udp; }; /* ip: network order */
struct sig_entry   { const char *name; int num; };
struct mount_attr_ { uint64_t attr_set, attr_clr, propagation, userns_fd; };

enum restart { RESTART_NO, RESTART_ON_FAILURE, RESTART_ALWAYS };

/* Everything a container is made from: parsed options, or init parameters. */
struct config {
	char name[NAME_MAX_LEN + 1];
	char rootfs[PATH_MAX];        /* lower: directory, image file, device */
	char persist[PATH_MAX];       /* launcher: <persist>; init: mount point */
	int volatile_root;            /* upper on tmpfs */
	long long memory, swap;       /* bytes; -1 "max"; 0 unset */
	long long cpu_quota;          /* microseconds per cpu_period_us; 0 unset */
	long pids, cpu_weight;        /* 0 unset; pids -1 "max" */
	long io_weight;               /* io.weight; 0 unset */
	struct io_limit io[MAX_IO_DEVICES]; /* io.max: bytes/s per device, 0 unset */
	int nio;
	char hostname[65];
	const char *env[MAX_ARGS];
	int nenv;
	const char *workdir;
	uid_t uid;
	gid_t gid;
	int nvol;
	int netns, userns, init, detach;
	int bridge;                   /* --net bridge */
	char netns_path[PATH_MAX];    /* --net ns:PATH, "" if none */
	uint32_t ip;                  /* --ip, network order; 0: the first free */
	struct publish pub[MAX_PUBLISH]; /* -p */
	int npub;
	char ipcfg[64];               /* init: container.ip, "" none */
	uint32_t dns[2];              /* init: container.dns */
	char iface[IFNAMSIZ];         /* init: container.iface, "" the first */
	enum restart restart;
	int restart_max;              /* on-failure:N; 0 unlimited */
	struct sockaddr_in monitor;   /* init mode: the monitor's; port 0: none */
	uint64_t caps;                /* capabilities kept */
	uint64_t cap_add, cap_drop;   /* --cap-add, --cap-drop while parsing */
	int new_privs;                /* config.json noNewPrivileges false: no_new_privs stays off */
	const struct oci *oci;        /* a bundle container's config.json, or NULL */
	char *const *argv;            /* workload */
	const char *entry[MAX_ARGS];  /* --entrypoint words */
	int nentry, entry_set;        /* entry_set: given (replaces the image's) */
	int argv_set, user_set;       /* a command, a user were given */
	int from_image;               /* rootfs is an image of the store (--image) */
	int stop_signal;              /* stops the workload; 0: SIGTERM */
	char *argbuf[MAX_CONFIG_ARGS]; /* saved argv when loaded from a file */
	struct volume vol[MAX_VOLUMES]; /* last: never cleared, only filled */
};

/* A bundle container (SPEC 10): what config.json asks beyond struct
 * config. Its arrays and objects stay in the parsed text as token indices
 * (-1: absent), walked where they are used. */
#define OCI_HOOKS       6
#define MAX_OCI_MOUNTS  128
#define MAX_OCI_DEVICES 64
struct rlim { int res; unsigned long long soft, hard; };
struct oci {
	const struct json *j;
	const char *id, *bundle;        /* create's ID and --bundle */
	const char *console_socket, *pid_file;
	int preserve_fds;               /* --preserve-fds: 3..3+N-1 stay open */
	char dir[PATH_MAX];             /* <root>/<ID>: state, exec fifo, root mount point */
	const char *root_path, *persist, *cgroups_path, *uid_map, *gid_map;
	const char *apparmor, *selinux, *selinux_mount;
	const char *ns_path[7];         /* namespaces joined, by oci_namespaces[] row */
	unsigned long ns_new, ns_join, rootfs_prop;
	int readonly, terminal, umask, has_oom, oom, ngroups, nrlim;
	gid_t groups[64];
	struct rlim rlim[16];
	int mounts, masked, readonly_paths, devices, sysctl, annotations, hooks[OCI_HOOKS];
};

/* What the parent of a container keeps. */
struct child {
	pid_t pid;
	int err_fd;                   /* read end of the error pipe */
	char cgroup[PATH_MAX];        /* "" when none */
};

/* A seccomp profile from config.json, resolved: one rule per syscall name
 * known here, its conditions in a pool shared by the names of one entry. */
#define MAX_SC_RULES  1024  /* syscall names of a profile (Podman's: 472) */
#define MAX_SC_CONDS  256   /* argument conditions of a profile */
enum sc_op { SC_NE, SC_LT, SC_LE, SC_EQ, SC_GE, SC_GT, SC_MASKED_EQ };
struct sc_cond { uint8_t index, op; uint64_t value, value2; };
struct sc_rule { uint16_t nr, cond, ncond; uint32_t action; };
struct seccomp_profile {
	int set;                      /* config.json decides: replaces the built-in filter */
	int none;                     /* ... and has no linux.seccomp: no filter, as runc */
	uint32_t def;                 /* default action with its data */
	unsigned flags;               /* SECCOMP_FILTER_FLAG_* */
	int nrules, nconds;
	int top;                      /* highest syscall number named, plus one */
	struct sc_rule rule[MAX_SC_RULES];
	struct sc_cond cond[MAX_SC_CONDS];
};

/* A cgroup v2 device rule: type 'a', 'b' or 'c'; major, minor -1 for any;
 * access BPF_DEVCG_ACC_* bits. */
#define MAX_DEV_RULES 256
struct dev_rule { char allow, type; uint8_t access; int64_t major, minor; };
struct dev_rules { int set, n; struct dev_rule r[MAX_DEV_RULES]; };
struct dev_number { char type; int major, minor; };

/* ---------- globals ---------- */

static struct {
	int init_mode;     /* this process is PID 1 of the machine */
	int debug;
	int err_fd;        /* in a container child: where errors go, else -1 */
	int report_fd;     /* a -d supervisor: the launcher's stderr, else -1 */
	int console;       /* OCI: the engine's console socket, else -1 */
	int keep_fds;      /* OCI: --preserve-fds, fds 3.. passed to the workload */
	int fail_code;     /* die()'s code for what cannot be done: 125 or 1 */
} g = { .err_fd = -1, .report_fd = -1, .console = -1, .fail_code = EXIT_SETUP };

/* A cgroup made for a workload not yet running: die() removes it. Apart
 * from g, which is initialised data (a file page), this is zeroed bss. */
static const char *made_group;


extern char **environ;

#include "config.h"

#if WITH_OCI
/* The OCI command line's global options. */
static struct {
	const char *root;  /* --root: runtime state, instead of runtime_dir */
	int log_fd;        /* --log FILE, or 0 */
	int log_json;      /* --log-format json */
	int fail1;         /* an OCI verb: a failure exits 1 */
	int json;          /* --format json */
} rt;
static void log_line(const char *level, const char *line);
static void oci_child(const struct config *c, int go) __attribute__((noreturn));
static void oci_spawned(const struct oci *o, pid_t pid);
static void oci_undo(void);
#define LOG_LINE(level, line) log_line(level, line)
#define DIE_UNDO()            oci_undo()
#define FAIL_CODE(code)       (rt.fail1 ? 1 : (code))
#define RUNTIME_DIR           (rt.root ? rt.root : runtime_dir)
#define IS_OCI(c)             ((c)->oci != NULL)
#else
#define LOG_LINE(level, line) ((void)0)
#define DIE_UNDO()            ((void)0)
#define FAIL_CODE(code)       (code)
#define RUNTIME_DIR           runtime_dir
#define IS_OCI(c)             0
#endif

/* ---------- compile-time checks of the configuration ---------- */

#if !WITH_INIT && !WITH_LAUNCHER
#error "config.h: enable WITH_INIT or WITH_LAUNCHER"
#endif
#if WITH_BRIDGE && !WITH_NETNS
#error "config.h: WITH_BRIDGE needs WITH_NETNS"
#endif
/* Runtime state files: the launcher's, and PID 1's for the monitor. */
#define WITH_STATE (WITH_LAUNCHER || WITH_MONITOR)
#if WITH_BRIDGE && WITH_LAUNCHER
static int workload_alive(const char *name);
#endif
#if WITH_MONITOR && WITH_INIT
static void monitor_reaped(pid_t pid);
#else
#define monitor_reaped(pid) ((void)(pid))
#endif
#if WITH_OCI && !WITH_LAUNCHER
#error "config.h: WITH_OCI needs WITH_LAUNCHER"
#endif
_Static_assert(LEN(default_cmd) > 1, "config.h: default_cmd is empty");

#if WITH_LAUNCHER || WITH_IMAGES
static const struct sig_entry signals[] = {
	{ "HUP", SIGHUP }, { "INT", SIGINT }, { "QUIT", SIGQUIT }, { "ILL", SIGILL },
	{ "TRAP", SIGTRAP }, { "ABRT", SIGABRT }, { "BUS", SIGBUS }, { "FPE", SIGFPE },
	{ "KILL", SIGKILL }, { "USR1", SIGUSR1 }, { "SEGV", SIGSEGV }, { "USR2", SIGUSR2 },
	{ "PIPE", SIGPIPE }, { "ALRM", SIGALRM }, { "TERM", SIGTERM }, { "CHLD", SIGCHLD },
	{ "CONT", SIGCONT }, { "STOP", SIGSTOP }, { "TSTP", SIGTSTP }, { "TTIN", SIGTTIN },
	{ "TTOU", SIGTTOU }, { "URG", SIGURG }, { "XCPU", SIGXCPU }, { "XFSZ", SIGXFSZ },
	{ "VTALRM", SIGVTALRM }, { "PROF", SIGPROF }, { "WINCH", SIGWINCH }, { "IO", SIGIO },
	{ "PWR", SIGPWR }, { "SYS", SIGSYS },
};
#endif

/* Signals the supervisor passes on to the workload. */
static const int forwarded[] = { SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2, SIGWINCH, SIGCONT };

static const char *const cap_names[] = {
	"CHOWN", "DAC_OVERRIDE", "DAC_READ_SEARCH", "FOWNER", "FSETID", "KILL",
	"SETGID", "SETUID", "SETPCAP", "LINUX_IMMUTABLE", "NET_BIND_SERVICE",
	"NET_BROADCAST", "NET_ADMIN", "NET_RAW", "IPC_LOCK", "IPC_OWNER",
	"SYS_MODULE", "SYS_RAWIO", "SYS_CHROOT", "SYS_PTRACE", "SYS_PACCT",
	"SYS_ADMIN", "SYS_BOOT", "SYS_NICE", "SYS_RESOURCE", "SYS_TIME",
	"SYS_TTY_CONFIG", "MKNOD", "LEASE", "AUDIT_WRITE", "AUDIT_CONTROL",
	"SETFCAP", "MAC_OVERRIDE", "MAC_ADMIN", "SYSLOG", "WAKE_ALARM",
	"BLOCK_SUSPEND", "AUDIT_READ", "PERFMON", "BPF", "CHECKPOINT_RESTORE",
};
#define CAP_ALL_MASK ((UINT64_C(1) << LEN(cap_names)) - 1)

/* ---------- errors and logging ---------- */

static void vmessage(char *buf, size_t size, const char *fmt, va_list ap)
{
	int saved = errno;
	size_t n = 11;

	memcpy(buf, "container: ", n);

	vsnprintf(buf + n, size - n, fmt, ap);
	for (; buf[n]; n++)  /* one line, whatever a name or value holds */
		if ((unsigned char)buf[n] < ' ')
			buf[n] = '?';
	if (n > 0 && buf[n - 1] == ':')
		snprintf(buf + n, size - n, " %s", strerror(saved));
	n = strlen(buf);
	snprintf(buf + n, size - n, "\n");
	errno = saved;
}

static void warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void warn(const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vmessage(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (write(STDERR_FILENO, buf, strlen(buf)) < 0) {
		/* nowhere left to say it */
	}
	LOG_LINE("warning", buf);
}

#if WITH_INIT
static void init_poweroff(int how) __attribute__((noreturn));
#endif

/* The one fatal exit. A message ending in ':' gets strerror(errno). In a
 * container child the message goes up the error pipe with its exit code;
 * PID 1 powers the machine off instead of exiting. */
static void die(int code, const char *fmt, ...) __attribute__((noreturn, format(printf, 2, 3)));
static void die(int code, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vmessage(buf + 1, sizeof(buf) - 1, fmt, ap);
	va_end(ap);
	if (g.err_fd >= 0) {
		buf[0] = (char)code;
		if (write(g.err_fd, buf, strlen(buf + 1) + 1) < 0) {
			/* the parent still gets the exit code */
		}
		_exit(code);
	}
	if (write(g.report_fd >= 0 ? g.report_fd : STDERR_FILENO, buf + 1, strlen(buf + 1)) < 0) {
		/* nowhere left to say it */
	}
	if (made_group)
		rmdir(made_group);  /* made for a workload that never ran */
	DIE_UNDO();        /* an OCI create that failed leaves nothing */
	LOG_LINE("error", buf + 1);
#if WITH_INIT
	if (g.init_mode)
		init_poweroff(RB_POWER_OFF);
#endif
	exit(FAIL_CODE(code));
}

static void debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void debug(const char *fmt, ...)
{
	struct timespec ts;
	char buf[512];
	va_list ap;
	int n;

	if (!g.debug)
		return;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	n = snprintf(buf, sizeof(buf), "[%5ld.%06ld] ", (long)ts.tv_sec, ts.tv_nsec / 1000);
	va_start(ap, fmt);
	vmessage(buf + n, sizeof(buf) - n, fmt, ap);
	va_end(ap);
	if (write(STDERR_FILENO, buf, strlen(buf)) < 0) {
		/* best effort */
	}
}

/* ---------- small helpers ---------- */

/* Format a path into BUF. A path that does not fit is an error
 * (ENAMETOOLONG, BUF emptied), never a shorter path: cut, it would name
 * another file, perhaps one to delete or create. One copy, called by
 * fmt_path and must_path, not inlined into both. */
static __attribute__((noinline)) int vfmt_path(char *buf, size_t size, const char *fmt, va_list ap)
{
	int n = vsnprintf(buf, size, fmt, ap);

	if (n >= 0 && (size_t)n < size)
		return 0;
	buf[0] = '\0';
	errno = ENAMETOOLONG;
	return -1;
}

static int fmt_path(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fmt_path(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = vfmt_path(buf, size, fmt, ap);
	va_end(ap);
	return rc;
}

/* fmt_path, or die: a path that cannot be built is a thing not done. */
static void must_path(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void must_path(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = vfmt_path(buf, size, fmt, ap);
	va_end(ap);
	if (rc < 0)
		die(g.fail_code, "a path made from %s is too long (%zu bytes at most)", fmt, size - 1);
}

/* VAL into DST (of SIZE) whole: -1 if it does not fit, or is empty and
 * EMPTY is 0. Never a cut copy, which would be another value. */
static int copy_text(char *dst, size_t size, const char *val, int empty)
{
	size_t n = strlen(val);

	if (n >= size || (!n && !empty))
		return -1;
	memcpy(dst, val, n + 1);
	return 0;
}

/* S into DST (of SIZE), cut to fit (snprintf's "%s" without its format
 * machinery): for a source no longer than DST, or a text only shown. A
 * value that must not be cut goes through copy_text or fmt_path. */
static void copy_cut(char *dst, size_t size, const char *s)
{
	while (--size && *s)
		*dst++ = *s++;
	*dst = '\0';
}

static int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = write(fd, text, strlen(text));
	close(fd);
	return n == (ssize_t)strlen(text) ? 0 : -1;
}

/* Read a small file into buf, NUL-terminated; -1 on error. */
static ssize_t read_file(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n, total = 0;

	if (fd < 0)
		return -1;
	while ((size_t)total < size - 1 && (n = read(fd, buf + total, size - 1 - total)) > 0)
		total += n;
	close(fd);
	buf[total] = '\0';
	return total;
}

/* read_file, but a file that does not fit is an error (EFBIG), not its
 * beginning read as the whole. */
static ssize_t read_whole(const char *path, char *buf, size_t size)
{
	ssize_t n = read_file(path, buf, size);
	struct stat st;

	if (n == (ssize_t)size - 1 && stat(path, &st) == 0 && st.st_size >= (off_t)size)
		return errno = EFBIG, -1;
	return n;
}

static int mkdir_p(const char *path, mode_t mode)
{
	char buf[PATH_MAX];
	char *p;

	if (copy_text(buf, sizeof(buf), path, 1) < 0)
		return errno = ENAMETOOLONG, -1;
	for (p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, mode) < 0 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	if (mkdir(buf, mode) < 0 && errno != EEXIST)
		return -1;
	return 0;
}

#if WITH_STATE || WITH_IMAGES
/* Write a file so that a crash leaves either the old or the new contents:
 * temporary file, fsync, rename; with DURABLE, fsync of the directory so
 * that the rename itself survives a crash too. */
static int write_atomic(const char *path, const char *text, size_t len, int durable)
{
	char tmp[PATH_MAX], dir[PATH_MAX], *slash;
	int fd, ok;

	if (fmt_path(tmp, sizeof(tmp), "%s.tmp", path) < 0)
		return -1;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -1;
	ok = write(fd, text, len) == (ssize_t)len && fsync(fd) == 0;
	if (close(fd) < 0 || !ok || rename(tmp, path) < 0) {
		unlink(tmp);
		return -1;
	}
	if (!durable)
		return 0;
	/* the rename is only durable once the directory is: a failed
	 * fsync of it is a failed write */
	fmt_path(dir, sizeof(dir), "%s", path);
	if ((slash = strrchr(dir, '/')))
		slash[slash == dir] = '\0';
	if ((fd = open(slash ? dir : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return -1;
	ok = fsync(fd) == 0;
	close(fd);
	return ok ? 0 : -1;
}

#endif

/* The d_type of the entry each_entry() is passing to its FN. */
static unsigned char each_type;

/* Call FN for each entry of directory PATH (relative to DIRFD) but . and
 * .., until FN returns non-zero; that, or -1 when PATH cannot be read.
 * Below a directory fd, PATH is a name in a tree that may be the
 * workload's: a symlink there is never followed. */
static int each_entry(int dirfd, const char *path, int (*fn)(int, const char *, void *), void *arg)
{
	char buf[4096];
	struct dirent *e;
	long n, off;
	int fd = openat(dirfd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC | (dirfd == AT_FDCWD ? 0 : O_NOFOLLOW));
	int rc = 0;

	if (fd < 0)
		return -1;
	while (!rc && (n = syscall(SYS_getdents64, fd, buf, sizeof(buf))) > 0)
		for (off = 0; off < n && !rc; off += e->d_reclen) {
			e = (struct dirent *)(buf + off);
			each_type = e->d_type;
			if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
				rc = fn(fd, e->d_name, arg);
		}
	close(fd);
	return rc;
}

/* remove_tree's walk: the filesystem it stays on, the directory it just
 * emptied (to remove from its parent), a subdirectory to go down into. */
struct rm_walk { struct stat fs, done; char sub[256]; };

/* Unlink what is not a directory; stop at the first directory (1, its
 * name in SUB), or the emptied one (removed). */
static int rm_entry(int dirfd, const char *name, void *arg)
{
	struct rm_walk *w = arg;
	struct stat st;

	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return errno == ENOENT ? 0 : -1;
	if (!S_ISDIR(st.st_mode))
		return unlinkat(dirfd, name, 0) < 0 && errno != ENOENT ? -1 : 0;
	if (st.st_dev != w->fs.st_dev)
		return errno = EXDEV, -1;  /* a mount inside: never leave the filesystem */
	if (st.st_ino == w->done.st_ino)
		return unlinkat(dirfd, name, AT_REMOVEDIR) < 0 ? -1 : 0;
	return fmt_path(w->sub, sizeof(w->sub), "%s", name) < 0 ? -1 : 1;
}

/* rm -rf PATH, never following a symlink nor leaving PATH's filesystem.
 * A workload can nest directories as deep as it likes, so the walk holds
 * one directory open and a fixed buffer at any depth: down by name
 * (O_NOFOLLOW), up by "..", where the emptied directory is removed. */
static int remove_tree(const char *path)
{
	struct rm_walk w = { 0 };
	struct stat st;
	long depth = 0;
	int fd, up, rc;

	if (lstat(path, &w.fs) < 0)
		return errno == ENOENT ? 0 : -1;
	if (!S_ISDIR(w.fs.st_mode))
		return unlink(path);
	if ((fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0)
		return -1;
	while ((rc = each_entry(fd, ".", rm_entry, &w)) >= 0) {
		if (rc == 1) {  /* down */
			up = fd;
			fd = openat(up, w.sub, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			close(up);
			if (fd < 0)
				return -1;
			depth++;
			continue;
		}
		if (depth == 0)  /* PATH is empty */
			break;
		if (fstat(fd, &w.done) < 0 || (up = openat(fd, "..", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
			break;
		close(fd);
		fd = up;
		depth--;
	}
	if (rc >= 0 && (fstat(fd, &st) < 0 || st.st_ino != w.fs.st_ino || st.st_dev != w.fs.st_dev))
		rc = (errno = ESTALE, -1);  /* the tree was moved under the walk */
	close(fd);
	return rc < 0 ? -1 : rmdir(path);
}

#if WITH_STATE || WITH_CGROUPS
/* The Nth (from 0) space-separated field of LINE, cut in place. */
static char *field(char *line, int n)
{
	char *end;

	while (n-- > 0 && (line = strchr(line, ' ')))
		line++;
	if (!line)
		return "";
	if ((end = strchr(line, ' ')))
		*end = '\0';
	return line;
}

#endif

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* Exit status as a shell reports it: the code, or 128+signal. */
static int status_code(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return 1;
}

/* ---------- parsers (pure: no side effects, unit-tested and fuzzed) ---------- */

/* Container names: [A-Za-z0-9][A-Za-z0-9_.-]{0,63} */
static int valid_name(const char *s)
{
	size_t i, n = strlen(s);

	if (n == 0 || n > NAME_MAX_LEN || !isalnum((unsigned char)s[0]))
		return 0;
	for (i = 1; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && !strchr("_.-", s[i]))
			return 0;
	return 1;
}

/* A decimal integer in [min, max], nothing else. */
static int parse_long(const char *s, long min, long max, long *out)
{
	char *end;
	long v;

	if (!*s || isspace((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

/* SIZE: digits with an optional K, M, G or T suffix (powers of 1024), or
 * "max" (-1). Zero is refused: a limit of nothing is a typo. */
static int parse_size(const char *s, long long *out)
{
	unsigned long long v, mul = 1;
	char *end;

	if (!strcmp(s, "max"))
		return *out = -1, 0;
	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno)
		return -1;
	switch (toupper((unsigned char)*end)) {
	case 'T': mul <<= 10; /* fall through */
	case 'G': mul <<= 10; /* fall through */
	case 'M': mul <<= 10; /* fall through */
	case 'K': mul <<= 10; end++; break;
	case '\0': break;
	default: return -1;
	}
	if ((*end == 'B' || *end == 'b') && mul > 1)
		end++;
	if (*end || v == 0 || v > (unsigned long long)LLONG_MAX / mul)
		return -1;
	*out = (long long)(v * mul);
	return 0;
}

/* CPUS: "N" or "N.N" (up to 6 decimals) -> quota in microseconds per
 * cpu_period_us. At least 1 ms of quota; at most 1024 CPUs. */
static int parse_cpus(const char *s, long long *quota)
{
	long long whole = 0, frac = 0, scale = 1000000;
	const char *p = s;

	if (!isdigit((unsigned char)*p))
		return -1;
	for (; isdigit((unsigned char)*p); p++)
		if ((whole = whole * 10 + (*p - '0')) > 1024)
			return -1;
	if (*p == '.') {
		if (!isdigit((unsigned char)*++p))
			return -1;
		for (; isdigit((unsigned char)*p) && scale > 1; p++) {
			scale /= 10;
			frac += (*p - '0') * scale;
		}
	}
	if (*p)
		return -1;
	*quota = (whole * 1000000 + frac) * cpu_period_us / 1000000;
	return *quota >= 1000 ? 0 : -1;
}

#if WITH_LAUNCHER || WITH_IMAGES
/* SIGNAL: a number, or a name with or without SIG, in any case. */
static int parse_signal(const char *s)
{
	long n;
	size_t i;

	if (isdigit((unsigned char)*s))
		return parse_long(s, 1, 64, &n) < 0 ? -1 : (int)n;
	if (!strncasecmp(s, "SIG", 3))
		s += 3;
	for (i = 0; i < LEN(signals); i++)
		if (!strcasecmp(s, signals[i].name))
			return signals[i].num;
	return -1;
}
#endif

#if WITH_LAUNCHER
/* SRC:DST[:ro|:rw], both absolute. */
static int parse_volume(const char *spec, struct volume *v)
{
	const char *c1 = strchr(spec, ':'), *c2;
	size_t n;

	if (!c1 || c1 == spec)
		return -1;
	c2 = strchr(c1 + 1, ':');
	n = (c2 ? (size_t)(c2 - c1 - 1) : strlen(c1 + 1));
	if (n == 0 || n >= sizeof(v->dst) || (size_t)(c1 - spec) >= sizeof(v->src))
		return -1;
	memcpy(v->src, spec, c1 - spec);
	v->src[c1 - spec] = '\0';
	memcpy(v->dst, c1 + 1, n);
	v->dst[n] = '\0';
	v->ro = 0;
	if (c2 && !strcmp(c2 + 1, "ro"))
		v->ro = 1;
	else if (c2 && strcmp(c2 + 1, "rw"))
		return -1;
	if (v->dst[0] != '/')
		return -1;
	return 0;
}
#endif

#if WITH_LAUNCHER || WITH_IMAGES
/* K=V with a non-empty K that holds no '='. */
static int parse_env(const char *s)
{
	const char *eq = strchr(s, '=');

	return eq && eq != s ? 0 : -1;
}

/* UID[:GID], numeric. Without GID the group is the UID. */
static int parse_user(const char *s, uid_t *uid, gid_t *gid)
{
	char buf[32];
	char *colon;
	long u, gr;

	if (copy_text(buf, sizeof(buf), s, 1) < 0)
		return -1;
	colon = strchr(buf, ':');
	if (colon)
		*colon = '\0';
	if (parse_long(buf, 0, 0x7fffffff, &u) < 0)
		return -1;
	gr = u;
	if (colon && parse_long(colon + 1, 0, 0x7fffffff, &gr) < 0)
		return -1;
	*uid = (uid_t)u;
	*gid = (gid_t)gr;
	return 0;
}

#endif

#if WITH_BRIDGE || WITH_MONITOR
/* A dotted quad A.B.C.D, the whole of S, into ADDR (network order): 0, or
 * -1 if bad. As strict as inet_pton(): four parts of 1-3 digits, no
 * leading zero, each at most 255. */
static int parse_ip(const char *s, uint32_t *addr)
{
	unsigned char *b = (unsigned char *)addr;
	int i, j, v;

	for (i = 0; i < 4; i++, s += j + 1) {
		for (v = j = 0; j < 3 && isdigit((unsigned char)s[j]); j++)
			v = v * 10 + s[j] - '0';
		if (!j || (j > 1 && *s == '0') || v > 255 || s[j] != (i < 3 ? '.' : '\0'))
			return -1;
		b[i] = (unsigned char)v;
	}
	return 0;
}
#endif

#if WITH_BRIDGE
/* ADDR (network order) as a dotted quad, in a buffer of its own: one
 * per message. */
static const char *ip_text(uint32_t addr)
{
	static char text[16];
	const unsigned char *b = (const unsigned char *)&addr;

	snprintf(text, sizeof(text), "%u.%u.%u.%u", b[0], b[1], b[2], b[3]);
	return text;
}

static uint32_t prefix_mask(int prefix)
{
	return prefix ? 0xffffffffu << (32 - prefix) : 0;
}

/* A.B.C.D/N with N in 1..32: the address (network order) and N. */
static int parse_cidr(const char *s, uint32_t *addr, int *prefix)
{
	char buf[32], *slash;
	long n;

	if (copy_text(buf, sizeof(buf), s, 1) < 0 || !(slash = strchr(buf, '/')))
		return -1;
	*slash = '\0';
	if (parse_ip(buf, addr) < 0 || !*addr || parse_long(slash + 1, 1, 32, &n) < 0)
		return -1;
	*prefix = (int)n;
	return 0;
}

/* container.ip: "dhcp" (ADDR 0), or ADDR/PREFIX[,GATEWAY]. */
static int parse_ipcfg(const char *s, uint32_t *addr, int *prefix, uint32_t *gw)
{
	char buf[64], *comma;

	*addr = *gw = 0;
	*prefix = 0;
	if (!strcmp(s, "dhcp"))
		return 0;
	if (copy_text(buf, sizeof(buf), s, 1) < 0)
		return -1;
	if ((comma = strchr(buf, ',')) && (*comma++ = '\0', parse_ip(comma, gw) < 0 || !*gw))
		return -1;
	return parse_cidr(buf, addr, prefix);
}

/* container.dns: A[,B], two addresses in network order. */
static int parse_dns(const char *s, uint32_t *dns)
{
	char buf[64], *comma;

	dns[0] = dns[1] = 0;
	if (copy_text(buf, sizeof(buf), s, 1) < 0)
		return -1;
	if ((comma = strchr(buf, ',')) && (*comma++ = '\0', parse_ip(comma, &dns[1]) < 0))
		return -1;
	return parse_ip(buf, &dns[0]);
}

/* -p [IP:]HOSTPORT:PORT[/tcp|/udp], ports 1..65535; IP 0 is any. */
static int parse_publish(const char *s, struct publish *p)
{
	char buf[64], *proto, *port, *hport;
	long hp, cp;

	memset(p, 0, sizeof(*p));
	if (copy_text(buf, sizeof(buf), s, 1) < 0)
		return -1;
	if ((proto = strchr(buf, '/'))) {
		*proto++ = '\0';
		if (strcmp(proto, "tcp") && strcmp(proto, "udp"))
			return -1;
		p->udp = !strcmp(proto, "udp");
	}
	if (!(port = strrchr(buf, ':')))
		return -1;
	*port++ = '\0';
	if ((hport = strrchr(buf, ':'))) {
		*hport++ = '\0';
		if (parse_ip(buf, &p->ip) < 0)
			return -1;
	} else {
		hport = buf;
	}
	if (parse_long(hport, 1, 65535, &hp) < 0 || parse_long(port, 1, 65535, &cp) < 0)
		return -1;
	p->hport = (uint16_t)hp;
	p->port = (uint16_t)cp;
	return 0;
}
#endif

#if WITH_MONITOR
/* [ADDR:]PORT into SA, ADDR (a dotted quad) defaulting to DEF; -1 if bad. */
static int parse_listen(const char *s, const char *def, struct sockaddr_in *sa)
{
	const char *colon = strrchr(s, ':');
	char a[16];
	long x;

	memset(sa, 0, sizeof(*sa));
	sa->sin_family = AF_INET;
	if (colon && (size_t)(colon - s) < sizeof(a))
		memcpy(a, s, (size_t)(colon - s)), a[colon - s] = '\0';
	else if (colon || copy_text(a, sizeof(a), def, 1) < 0)
		return -1;
	if (parse_ip(a, &sa->sin_addr.s_addr) < 0 || parse_long(colon ? colon + 1 : s, 1, 65535, &x) < 0)
		return -1;
	sa->sin_port = htons((uint16_t)x);
	return 0;
}
#endif

/* --net none | host | bridge | ns:PATH (init mode: none | host) */
static int set_net(struct config *c, const char *val)
{
	c->bridge = 0;
	c->netns_path[0] = '\0';
	if (!strcmp(val, "none") && WITH_NETNS)
		return c->netns = 1, 0;
	if (!strcmp(val, "host"))
		return c->netns = 0, 0;
	if (!strcmp(val, "bridge") && WITH_BRIDGE)
		return c->netns = c->bridge = 1, 0;
	if (!strncmp(val, "ns:", 3) && val[3] == '/' && WITH_NETNS && strlen(val + 3) < sizeof(c->netns_path))
		return c->netns = 0, snprintf(c->netns_path, sizeof(c->netns_path), "%s", val + 3), 0;
	return -1;
}

/* no | on-failure[:N] | always */
static int parse_restart(const char *s, enum restart *policy, int *max)
{
	long n = 0;

	if (!strcmp(s, "no"))
		*policy = RESTART_NO;
	else if (!strcmp(s, "always"))
		*policy = RESTART_ALWAYS;
	else if (!strncmp(s, "on-failure", 10) &&
	         (!s[10] || (s[10] == ':' && parse_long(s + 11, 1, 1000000, &n) == 0)))
		*policy = RESTART_ON_FAILURE;
	else
		return -1;
	*max = (int)n;
	return 0;
}

/* CAP: a capability name with or without CAP_, any case; ALL is every one.
 * Returns its mask, 0 if unknown. */
static uint64_t parse_cap(const char *s)
{
	size_t i;

	if (!strncasecmp(s, "CAP_", 4))
		s += 4;
	if (!strcasecmp(s, "ALL"))
		return CAP_ALL_MASK;
	for (i = 0; i < LEN(cap_names); i++)
		if (!strcasecmp(s, cap_names[i]))
			return UINT64_C(1) << i;
	return 0;
}

static uint64_t default_cap_mask(void)
{
	uint64_t mask = 0;
	size_t i;

	for (i = 0; default_caps[i]; i++)
		mask |= parse_cap(default_caps[i]);
	return mask;
}

/* Fill a config with the defaults of config.h. */
static void config_defaults(struct config *c)
{
	/* All but the volumes (a quarter megabyte of paths): a supervisor's
	 * memory is what it touches. */
	memset(c, 0, offsetof(struct config, vol));
	copy_cut(c->persist, sizeof(c->persist), persist_dir);
	copy_cut(c->rootfs, sizeof(c->rootfs), default_rootfs);
	if (default_memory[0])
		parse_size(default_memory, &c->memory);
	if (default_swap[0])
		parse_size(default_swap, &c->swap);
	if (default_cpus[0])
		parse_cpus(default_cpus, &c->cpu_quota);
	c->pids = default_pids;
	c->cpu_weight = default_cpu_weight;
	c->netns = WITH_NETNS && default_netns;
	c->init = default_init;
	c->caps = default_cap_mask();
	c->argv = (char *const *)default_cmd;
}

/* DEV:RATE for io.max: a block device path and bytes per second (a
 * SIZE). The device is looked up when the group is made: in init mode it
 * does not exist yet when the command line is read. */
static int parse_io(struct config *c, const char *val, int write)
{
	const char *colon = strrchr(val, ':');
	struct io_limit *io;
	long long rate;
	char dev[64];
	int i;

	if (!colon || val[0] != '/' || (size_t)(colon - val) >= sizeof(dev) ||
	    parse_size(colon + 1, &rate) < 0 || rate < 0)
		return -1;
	snprintf(dev, sizeof(dev), "%.*s", (int)(colon - val), val);
	/* kept sorted by device: the saved config lists them in one order */
	for (i = 0; i < c->nio && strcmp(c->io[i].dev, dev) < 0; i++)
		;
	io = &c->io[i];
	if (i == c->nio || strcmp(io->dev, dev)) {
		if (c->nio == MAX_IO_DEVICES)
			return -1;
		memmove(io + 1, io, (c->nio - i) * sizeof(*io));
		memset(io, 0, sizeof(*io));
		copy_cut(io->dev, sizeof(io->dev), dev);
		c->nio++;
	}
	*(write ? &io->wbps : &io->rbps) = rate;
	return 0;
}

/* ---------- options: one table ---------- */

/* Each container option is one row of options[] below: how the launcher's
 * flags, init mode's container.* parameters, the saved configuration and
 * config.json name it, the setter that parses its value into struct
 * config, and the getter that gives it back for the saved configuration.
 * A setter returns 0, or -1 when the value is bad; a switch's setter gets
 * "1" from its flag. A getter returns its Ith value for the saved
 * configuration, or NULL when there is none. */
struct opt {
	const char *flag;   /* --FLAG, and the saved-config key; NULL: init mode's alone */
	char letter;        /* -L, or 0 */
	char takes;         /* 1: takes a value, 0: a switch */
	const char *param;  /* container.PARAM in init mode, or NULL */
	const char *json;   /* config.json path, or NULL */
	int (*set)(struct config *c, const char *val);
	const char *(*get)(const struct config *c, int i, char *v, size_t size);
	const char *meta, *help;  /* run --help */
};

static int set_memory(struct config *c, const char *v) { return parse_size(v, &c->memory); }
static int set_swap(struct config *c, const char *v) { return parse_size(v, &c->swap); }
static int set_cpus(struct config *c, const char *v) { return parse_cpus(v, &c->cpu_quota); }
static int set_cpu_weight(struct config *c, const char *v) { return parse_long(v, 1, 10000, &c->cpu_weight); }
static int set_io_weight(struct config *c, const char *v) { return parse_long(v, 1, 10000, &c->io_weight); }
static int set_read_bps(struct config *c, const char *v) { return parse_io(c, v, 0); }
static int set_write_bps(struct config *c, const char *v) { return parse_io(c, v, 1); }
static int set_restart(struct config *c, const char *v) { return parse_restart(v, &c->restart, &c->restart_max); }
#if WITH_MONITOR
static int set_monitor(struct config *c, const char *v) { return parse_listen(v, init_monitor_addr, &c->monitor); }
#endif

static int set_pids(struct config *c, const char *v)
{
	return !strcmp(v, "max") ? (c->pids = -1, 0) : parse_long(v, 1, 4194304, &c->pids);
}

static int set_hostname(struct config *c, const char *v)
{
	return copy_text(c->hostname, sizeof(c->hostname), v, 0);
}


#if WITH_INIT && WITH_BRIDGE
/* container.ip, .dns and .iface: the machine's interface (init_net). */
static int set_ipcfg(struct config *c, const char *v)
{
	uint32_t a, gw;
	int prefix;

	if (parse_ipcfg(v, &a, &prefix, &gw) < 0)
		return -1;
	copy_cut(c->ipcfg, sizeof(c->ipcfg), v);
	return 0;
}

static int set_dns(struct config *c, const char *v) { return parse_dns(v, c->dns); }

static int set_iface(struct config *c, const char *v)
{
	return copy_text(c->iface, sizeof(c->iface), v, 0);
}
#endif

static int set_init(struct config *c, const char *v)
{
	if (strcmp(v, "0") && strcmp(v, "1"))
		return -1;
	c->init = *v == '1';
	return 0;
}

#if WITH_LAUNCHER
static int set_rootfs(struct config *c, const char *v)
{
	return copy_text(c->rootfs, sizeof(c->rootfs), v, 1);
}

static int set_persist(struct config *c, const char *v)
{
	return copy_text(c->persist, sizeof(c->persist), v, 1);
}

static int set_volatile(struct config *c, const char *v) { (void)v; c->volatile_root = 1; return 0; }
static int set_detach(struct config *c, const char *v) { (void)v; c->detach = 1; return 0; }

static int set_env(struct config *c, const char *v)
{
	if (parse_env(v) < 0 || c->nenv >= MAX_ARGS - 1)
		return -1;
	c->env[c->nenv++] = v;
	return 0;
}

static int set_workdir(struct config *c, const char *v)
{
	if (v[0] != '/')
		return -1;
	c->workdir = v;
	return 0;
}

static int set_user(struct config *c, const char *v)
{
	if (WITH_IMAGES)  /* a user given wins over the image's, even 0 */
		c->user_set = 1;
	return parse_user(v, &c->uid, &c->gid);
}

static int set_volume(struct config *c, const char *v)
{
	if (c->nvol >= MAX_VOLUMES || parse_volume(v, &c->vol[c->nvol]) < 0)
		return -1;
	c->nvol++;
	return 0;
}

/* --cap-add and --cap-drop collect; parse_run settles them (Docker's order). */
static int set_cap_add(struct config *c, const char *v) { uint64_t m = parse_cap(v); c->cap_add |= m; return m ? 0 : -1; }
static int set_cap_drop(struct config *c, const char *v) { uint64_t m = parse_cap(v); c->cap_drop |= m; return m ? 0 : -1; }

static int set_userns(struct config *c, const char *v)
{
	(void)v;
	if (!WITH_USERNS)
		die(EXIT_SETUP, "--userns: this build has no user namespace support");
	c->userns = 1;
	return 0;
}

#if WITH_IMAGES
/* --image NAME: found in the store at the end of parse_run (image_resolve) */
static int set_image(struct config *c, const char *v)
{
	c->from_image = 1;
	return set_rootfs(c, v);
}
#endif

/* Getters, for the saved configuration: the Ith value, in V when it is
 * made, or NULL when there is none ("" for a switch that is on). */
static const char *one(int i, char *v, size_t size, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static const char *one(int i, char *v, size_t size, const char *fmt, ...)
{
	va_list ap;

	if (i > 0)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(v, size, fmt, ap);
	va_end(ap);
	return v;
}

static const char *number(long long n, int i, char *v, size_t size)
{
	return !n ? NULL : n < 0 ? one(i, v, size, "max") : one(i, v, size, "%lld", n);
}

static const char *text(int on, int i, const char *s) { return on && i == 0 ? s : NULL; }

/* The Ith io device with a RATE (read or write) set. */
static const char *get_bps(const struct config *c, int i, char *v, size_t n, int write)
{
	int k;

	for (k = 0; k < c->nio; k++) {
		long long rate = write ? c->io[k].wbps : c->io[k].rbps;

		if (rate && i-- == 0)
			return one(0, v, n, "%s:%lld", c->io[k].dev, rate);
	}
	return NULL;
}

#define GETTER(name, expr) \
	static const char *get_##name(const struct config *c, int i, char *v, size_t n) { (void)v; (void)n; return expr; }
GETTER(rootfs, text(!(WITH_IMAGES && c->from_image), i, c->rootfs))
#if WITH_IMAGES
GETTER(image, text(c->from_image, i, c->rootfs))
#endif
GETTER(persist, text(1, i, c->persist))
GETTER(volatile, text(c->volatile_root, i, ""))
GETTER(memory, number(c->memory, i, v, n))
GETTER(swap, number(c->swap, i, v, n))
GETTER(pids, number(c->pids, i, v, n))
GETTER(cpu_weight, number(c->cpu_weight, i, v, n))
GETTER(io_weight, number(c->io_weight, i, v, n))
GETTER(hostname, text(c->hostname[0], i, c->hostname))
GETTER(env, i < c->nenv ? c->env[i] : NULL)
GETTER(workdir, text(c->workdir != NULL, i, c->workdir))
GETTER(net, c->netns_path[0] ? one(i, v, n, "ns:%s", c->netns_path) :
            text(1, i, c->bridge ? "bridge" : c->netns ? "none" : "host"))
GETTER(userns, text(c->userns, i, ""))
GETTER(init, text(c->init, i, ""))
GETTER(read_bps, get_bps(c, i, v, n, 0))
GETTER(write_bps, get_bps(c, i, v, n, 1))
#undef GETTER

#if WITH_BRIDGE
static int set_ip(struct config *c, const char *v) { return parse_ip(v, &c->ip) == 0 && c->ip ? 0 : -1; }

static int set_publish(struct config *c, const char *v)
{
	if (c->npub >= MAX_PUBLISH || parse_publish(v, &c->pub[c->npub]) < 0)
		return -1;
	c->npub++;
	return 0;
}

static const char *get_ip(const struct config *c, int i, char *v, size_t n)
{
	return !c->ip ? NULL : one(i, v, n, "%s", ip_text(c->ip));
}

static const char *get_publish(const struct config *c, int i, char *v, size_t n)
{
	const struct publish *p = &c->pub[i];

	return i >= c->npub ? NULL : one(0, v, n, "%s:%u:%u/%s", ip_text(p->ip),
	                                   p->hport, p->port, p->udp ? "udp" : "tcp");
}
#endif

static const char *get_cpus(const struct config *c, int i, char *v, size_t n)
{
	return !c->cpu_quota ? NULL : one(i, v, n, "%lld.%06lld", c->cpu_quota / cpu_period_us,
	                                   c->cpu_quota % cpu_period_us * 1000000 / cpu_period_us);
}

static const char *get_user(const struct config *c, int i, char *v, size_t n)
{
	return !c->uid && !c->gid && !(WITH_IMAGES && c->user_set) ? NULL : one(i, v, n, "%u:%u", (unsigned)c->uid, (unsigned)c->gid);
}

static const char *get_volume(const struct config *c, int i, char *v, size_t n)
{
	return i >= c->nvol ? NULL : one(0, v, n, "%s:%s%s", c->vol[i].src, c->vol[i].dst, c->vol[i].ro ? ":ro" : "");
}

/* Capabilities saved as Docker reads them back: "ALL" added, or "ALL"
 * dropped and each kept one added. */
static const char *get_cap_add(const struct config *c, int i, char *v, size_t n)
{
	size_t k;

	(void)v;
	(void)n;
	if (c->caps == CAP_ALL_MASK)
		return text(1, i, "ALL");
	if (c->caps == default_cap_mask())
		return NULL;
	for (k = 0; k < LEN(cap_names); k++)
		if (c->caps & (UINT64_C(1) << k) && i-- == 0)
			return cap_names[k];
	return NULL;
}

static const char *get_cap_drop(const struct config *c, int i, char *v, size_t n)
{
	(void)v;
	(void)n;
	return text(c->caps != CAP_ALL_MASK && c->caps != default_cap_mask(), i, "ALL");
}

static const char *get_restart(const struct config *c, int i, char *v, size_t n)
{
	if (c->restart == RESTART_ALWAYS)
		return text(1, i, "always");
	if (c->restart == RESTART_ON_FAILURE && !c->restart_max)
		return text(1, i, "on-failure");
	if (c->restart == RESTART_ON_FAILURE)
		return one(i, v, n, "on-failure:%d", c->restart_max);
	return NULL;
}
#define LAUNCHER(x) x
#else
#define LAUNCHER(x) NULL
#endif

#if WITH_IMAGES
/* --entrypoint WORD, repeatable: the first replaces the image's ENTRYPOINT
 * (Docker's rules, see image_apply), each adds a word; "" alone: none. */
static int set_entrypoint(struct config *c, const char *v)
{
	if (!c->entry_set)
		c->nentry = 0, c->entry_set = 1;
	if (*v && c->nentry >= MAX_ARGS - 1)
		return -1;
	if (*v)
		c->entry[c->nentry++] = v;
	return 0;
}

static int set_stop_signal(struct config *c, const char *v)
{
	return (c->stop_signal = parse_signal(v)) < 0 ? (c->stop_signal = 0, -1) : 0;
}

#if WITH_LAUNCHER
static const char *get_entrypoint(const struct config *c, int i, char *v, size_t n)
{
	(void)v;
	(void)n;
	return i < c->nentry ? c->entry[i] : c->entry_set && !c->nentry && i == 0 ? "" : NULL;
}

static const char *get_stop_signal(const struct config *c, int i, char *v, size_t n)
{
	return !c->stop_signal ? NULL : one(i, v, n, "%d", c->stop_signal);
}
#endif
#endif

/* Every container option. An init-only build keeps the rows init mode
 * reads, without their launcher columns.
 *  flag  letter takes  param  config.json path  setter  getter  --help: value  text */
static const struct opt options[] = {
#if WITH_LAUNCHER
	{ "rootfs", 0, 1, NULL, NULL, set_rootfs, get_rootfs, "PATH", "base image: directory, squashfs/erofs file or block device" },
	{ "persist", 0, 1, NULL, NULL, set_persist, get_persist, "DIR", "where persistent layers live (default /var/lib/container)" },
	{ "volatile", 0, 0, NULL, NULL, set_volatile, get_volatile, NULL, "changes live on tmpfs and are discarded at stop" },
#endif
	{ "memory", 'm', 1, "mem", "linux.resources.memory.limit", set_memory, LAUNCHER(get_memory), LAUNCHER("SIZE"), LAUNCHER("memory.max (512K, 64M, 2G, max)") },
	{ "memory-swap", 0, 1, "memory-swap", NULL, set_swap, LAUNCHER(get_swap), LAUNCHER("SIZE"), LAUNCHER("memory.swap.max") },
	{ "pids", 0, 1, "pids", "linux.resources.pids.limit", set_pids, LAUNCHER(get_pids), LAUNCHER("N"), LAUNCHER("pids.max") },
	{ "cpus", 0, 1, "cpus", NULL, set_cpus, LAUNCHER(get_cpus), LAUNCHER("N.N"), LAUNCHER("cpu.max quota over a 100 ms period") },
	{ "cpu-weight", 0, 1, "cpu-weight", NULL, set_cpu_weight, LAUNCHER(get_cpu_weight), LAUNCHER("N"), LAUNCHER("cpu.weight (1-10000)") },
	{ "io-weight", 0, 1, "io-weight", NULL, set_io_weight, LAUNCHER(get_io_weight), LAUNCHER("N"), LAUNCHER("io.weight (1-10000)") },
	{ "device-read-bps", 0, 1, "device-read-bps", NULL, set_read_bps, LAUNCHER(get_read_bps), LAUNCHER("DEV:RATE"), LAUNCHER("io.max read bytes per second (RATE: a SIZE)") },
	{ "device-write-bps", 0, 1, "device-write-bps", NULL, set_write_bps, LAUNCHER(get_write_bps), LAUNCHER("DEV:RATE"), LAUNCHER("io.max write bytes per second") },
	{ "hostname", 0, 1, "hostname", "hostname", set_hostname, LAUNCHER(get_hostname), LAUNCHER("NAME"), LAUNCHER("UTS hostname (default: NAME)") },
#if WITH_LAUNCHER
	{ "env", 'e', 1, NULL, NULL, set_env, get_env, "K=V", "environment (repeatable)" },
	{ "workdir", 'w', 1, NULL, "process.cwd", set_workdir, get_workdir, "DIR", "working directory inside" },
	{ "user", 'u', 1, NULL, NULL, set_user, get_user, "UID[:GID]", "run the workload as this user" },
	{ "volume", 'v', 1, NULL, NULL, set_volume, get_volume, "SRC:DST[:ro]", "bind mount from the host (repeatable)" },
#endif
	{ "net", 0, 1, "net", NULL, set_net, LAUNCHER(get_net), LAUNCHER("none|host|bridge|ns:PATH"), LAUNCHER("own network namespace with lo (default), the host's, on container0, or this one") },
#if WITH_LAUNCHER && WITH_BRIDGE
	{ "publish", 'p', 1, NULL, NULL, set_publish, get_publish, "[IP:]HOSTPORT:PORT[/tcp|/udp]", "forward a host port to the container (--net bridge; repeatable)" },
	{ "ip", 0, 1, NULL, NULL, set_ip, get_ip, "ADDR", "the container's address on container0 (--net bridge)" },
#endif
#if WITH_LAUNCHER
	{ "cap-add", 0, 1, NULL, NULL, set_cap_add, get_cap_add, "CAP", "add a capability to the defaults (ALL: every one)" },
	{ "cap-drop", 0, 1, NULL, NULL, set_cap_drop, get_cap_drop, "CAP", "drop a capability from the defaults (ALL: every one)" },
	{ "userns", 0, 0, NULL, NULL, set_userns, get_userns, NULL, "container root mapped to an unprivileged host range" },
#endif
	{ "init", 0, 0, "init", NULL, set_init, LAUNCHER(get_init), NULL, LAUNCHER("a tiny reaper is PID 1 inside the container") },
#if WITH_LAUNCHER
	{ "detach", 'd', 0, NULL, NULL, set_detach, NULL, NULL, "run in the background under a supervisor" },
#endif
	{ "restart", 0, 1, "restart", NULL, set_restart, LAUNCHER(get_restart), LAUNCHER("no|on-failure[:N]|always"), LAUNCHER("restart policy") },
#if WITH_INIT && WITH_BRIDGE
	{ NULL, 0, 1, "ip", NULL, set_ipcfg, NULL, NULL, NULL },
	{ NULL, 0, 1, "dns", NULL, set_dns, NULL, NULL, NULL },
	{ NULL, 0, 1, "iface", NULL, set_iface, NULL, NULL, NULL },
#endif
#if WITH_IMAGES && WITH_LAUNCHER
	{ "image", 0, 1, NULL, NULL, set_image, get_image, "NAME", "base image NAME of <images> (initramfs/import.sh), with its config" },
#endif
#if WITH_IMAGES
	{ "entrypoint", 0, 1, "entrypoint", NULL, set_entrypoint, LAUNCHER(get_entrypoint), LAUNCHER("WORD"), LAUNCHER("replaces the image's ENTRYPOINT (repeatable, a word each; '' none)") },
	{ "stop-signal", 0, 1, "stop-signal", NULL, set_stop_signal, LAUNCHER(get_stop_signal), LAUNCHER("SIGNAL"), LAUNCHER("stops the workload (default TERM, or the image's)") },
#endif
#if WITH_MONITOR && WITH_INIT
	/* init mode only: PID 1 runs the monitor (container monitor on a host) */
	{ NULL, 0, 1, "monitor", NULL, set_monitor, NULL, "[ADDR:]PORT", NULL },
#endif
};
#undef LAUNCHER

#if WITH_SECCOMP || WITH_OCI
#define BPF_STMT_(code, k)        ((struct sock_filter)BPF_STMT(code, k))
#define BPF_JUMP_(code, k, t, f)  ((struct sock_filter)BPF_JUMP(code, k, t, f))
#endif

/* ---------- JSON reader (config.json) ---------- */

#if WITH_OCI
/* A strict JSON reader in the way of jsmn: one pass over the text into a
 * caller-given token array, no allocation, an explicit stack bounded by
 * JSON_MAX_DEPTH instead of recursion. Everything RFC 8259 does not allow
 * is refused (trailing commas, comments, bare words, leading zeros,
 * control characters and invalid UTF-8 in strings, lone surrogates, a
 * second value), and so are \u0000 (our strings end at NUL) and a key
 * twice in one object (two readers must not see two configs). */
enum jtype { JSON_OBJECT = 1, JSON_ARRAY, JSON_STRING, JSON_NUMBER, JSON_TRUE, JSON_FALSE, JSON_NULL };

/* One value. Its text is [start, end) (a string's without the quotes);
 * an object or array has SIZE members (an object's are key and value
 * tokens in turn); NEXT is the index just past it and its members. */
struct jtok { int type, start, end, size, next; };

struct json {
	const char *text;
	size_t len;
	struct jtok *tok;
	int ntok, max;
	char err[128];   /* why the text was refused, and where */
};

/* Record the first error, at byte POS: "line L column C: WHAT". */
static int json_fail(struct json *j, size_t pos, const char *what)
{
	size_t i, col = 1;
	int line = 1;

	for (i = 0; i < pos && i < j->len; i++, col++)
		if (j->text[i] == '\n')
			line++, col = 0;
	snprintf(j->err, sizeof(j->err), "line %d column %zu: %s", line, col, what);
	return -1;
}

static int hex4(const char *s)
{
	int i, v = 0;

	for (i = 0; i < 4; i++) {
		int c = (unsigned char)s[i], d = isdigit(c) ? c - '0' : isxdigit(c) ? (c | 32) - 'a' + 10 : -1;

		if (d < 0)
			return -1;
		v = v * 16 + d;
	}
	return v;
}

/* Length of the UTF-8 sequence at S (N bytes left), 0 if invalid:
 * overlong forms, surrogates and code points past U+10FFFF are. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	unsigned char lo = 0x80, hi = 0xBF;
	size_t len, i;

	if (s[0] >= 0xC2 && s[0] <= 0xDF)
		len = 2;
	else if (s[0] >= 0xE0 && s[0] <= 0xEF)
		len = 3, lo = s[0] == 0xE0 ? 0xA0 : 0x80, hi = s[0] == 0xED ? 0x9F : 0xBF;
	else if (s[0] >= 0xF0 && s[0] <= 0xF4)
		len = 4, lo = s[0] == 0xF0 ? 0x90 : 0x80, hi = s[0] == 0xF4 ? 0x8F : 0xBF;
	else
		return 0;
	if (n < len || s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < len; i++)
		if ((s[i] & 0xC0) != 0x80)
			return 0;
	return len;
}

/* The string whose opening quote is at *POS; *POS ends past its closing
 * quote. */
static int json_string_scan(struct json *j, size_t *pos)
{
	const unsigned char *s = (const unsigned char *)j->text;
	size_t p = *pos + 1, n;
	int u, lo;

	while (p < j->len && s[p] != '"') {
		if (s[p] < 0x20)
			return json_fail(j, p, "control character in a string");
		if (s[p] >= 0x80) {
			if (!(n = utf8_len(s + p, j->len - p)))
				return json_fail(j, p, "invalid UTF-8 in a string");
			p += n;
			continue;
		}
		if (s[p++] != '\\')
			continue;
		if (p < j->len && strchr("\"\\/bfnrt", s[p]) && s[p]) {
			p++;
			continue;
		}
		if (p + 5 > j->len || s[p] != 'u' || (u = hex4(j->text + p + 1)) < 0)
			return json_fail(j, p - 1, "invalid escape in a string");
		if (u == 0)
			return json_fail(j, p - 1, "\\u0000 in a string");
		if (u >= 0xDC00 && u <= 0xDFFF)
			return json_fail(j, p - 1, "lone low surrogate in a string");
		p += 5;
		if (u >= 0xD800 && u <= 0xDBFF) {
			if (p + 6 > j->len || s[p] != '\\' || s[p + 1] != 'u' ||
			    (lo = hex4(j->text + p + 2)) < 0xDC00 || lo > 0xDFFF)
				return json_fail(j, p - 6, "lone high surrogate in a string");
			p += 6;
		}
	}
	if (p >= j->len)
		return json_fail(j, *pos, "unterminated string");
	*pos = p + 1;
	return 0;
}

/* -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? at *POS. */
static int json_number_scan(struct json *j, size_t *pos)
{
	const char *s = j->text;
	size_t p = *pos, d;

	if (p < j->len && s[p] == '-')
		p++;
	for (d = p; p < j->len && isdigit((unsigned char)s[p]); p++)
		;
	if (p == d || (s[d] == '0' && p - d > 1))
		return json_fail(j, *pos, "invalid number");
	if (p < j->len && s[p] == '.') {
		for (d = ++p; p < j->len && isdigit((unsigned char)s[p]); p++)
			;
		if (p == d)
			return json_fail(j, *pos, "invalid number");
	}
	if (p < j->len && (s[p] == 'e' || s[p] == 'E')) {
		if (++p < j->len && (s[p] == '+' || s[p] == '-'))
			p++;
		for (d = p; p < j->len && isdigit((unsigned char)s[p]); p++)
			;
		if (p == d)
			return json_fail(j, *pos, "invalid number");
	}
	*pos = p;
	return 0;
}

/* Tokens' text spans equal, byte for byte. */
static int json_same(const struct json *j, int a, int b)
{
	int n = j->tok[a].end - j->tok[a].start;

	return n == j->tok[b].end - j->tok[b].start &&
	       !memcmp(j->text + j->tok[a].start, j->text + j->tok[b].start, (size_t)n);
}

/* Close the object or array on top of STACK at *POS. */
static int json_close(struct json *j, int *stack, int *depth, size_t pos)
{
	int t = stack[--*depth], i, k, a, b;

	j->tok[t].end = (int)pos + 1;
	j->tok[t].next = j->ntok;
	if (j->tok[t].type != JSON_OBJECT)
		return 0;
	for (a = 0, k = t + 1; a < j->tok[t].size; a++, k = j->tok[k + 1].next)
		for (b = 0, i = t + 1; b < a; b++, i = j->tok[i + 1].next)
			if (json_same(j, i, k))
				return json_fail(j, (size_t)j->tok[k].start - 1, "a key twice in one object");
	return 0;
}

/* Parse TEXT (LEN bytes) into TOK (MAX tokens). 0, or -1 with J->err. */
__attribute__((unused)) static int json_parse(struct json *j, const char *text, size_t len, struct jtok *tok, int max)
{
	enum { VALUE, FIRST_VALUE, KEY, FIRST_KEY, COLON, AFTER } st = VALUE;
	int stack[JSON_MAX_DEPTH], depth = 0, parent, t;
	size_t p = 0, start;
	char c;

	memset(j, 0, sizeof(*j));
	j->text = text;
	j->len = len;
	j->tok = tok;
	j->max = max;
	if (len > JSON_MAX_SIZE)
		return json_fail(j, 0, "larger than " STR(JSON_MAX_SIZE) " bytes");
	for (;;) {
		while (p < len && strchr(" \t\r\n", text[p]) && text[p])
			p++;
		if (p == len)
			return depth == 0 && st == AFTER ? 0 : json_fail(j, p, "unexpected end of input");
		c = text[p];
		parent = depth ? stack[depth - 1] : -1;
		if (st == COLON) {
			if (c != ':')
				return json_fail(j, p, "expected ':'");
			p++;
			st = VALUE;
			continue;
		}
		if (st == AFTER) {
			if (parent < 0)
				return json_fail(j, p, "text after the value");
			if (c == ',') {
				p++;
				st = tok[parent].type == JSON_OBJECT ? KEY : VALUE;
				continue;
			}
			if (c != (tok[parent].type == JSON_OBJECT ? '}' : ']'))
				return json_fail(j, p, tok[parent].type == JSON_OBJECT ? "expected ',' or '}'" : "expected ',' or ']'");
			if (json_close(j, stack, &depth, p++) < 0)
				return -1;
			continue;
		}
		if ((st == FIRST_KEY && c == '}') || (st == FIRST_VALUE && c == ']')) {
			if (json_close(j, stack, &depth, p++) < 0)
				return -1;
			st = AFTER;
			continue;
		}
		if ((st == KEY || st == FIRST_KEY) && c != '"')
			return json_fail(j, p, "expected a string key");
		if (j->ntok == max)
			return json_fail(j, p, "too many values");
		t = j->ntok++;
		tok[t] = (struct jtok){ 0, (int)p, 0, 0, t + 1 };
		if (parent >= 0 && (tok[parent].type == JSON_ARRAY || st == KEY || st == FIRST_KEY))
			tok[parent].size++;
		start = p;
		if (c == '{' || c == '[') {
			if (depth == JSON_MAX_DEPTH)
				return json_fail(j, p, "nested deeper than " STR(JSON_MAX_DEPTH));
			tok[t].type = c == '{' ? JSON_OBJECT : JSON_ARRAY;
			stack[depth++] = t;
			p++;
			st = c == '{' ? FIRST_KEY : FIRST_VALUE;
			continue;
		}
		if (c == '"') {
			if (json_string_scan(j, &p) < 0)
				return -1;
			tok[t].type = JSON_STRING;
			tok[t].start = (int)start + 1;
			tok[t].end = (int)p - 1;
			st = st == KEY || st == FIRST_KEY ? COLON : AFTER;
			continue;
		}
		if (c == '-' || isdigit((unsigned char)c)) {
			if (json_number_scan(j, &p) < 0)
				return -1;
			tok[t].type = JSON_NUMBER;
		} else if (len - p >= 4 && !memcmp(text + p, "true", 4)) {
			tok[t].type = JSON_TRUE, p += 4;
		} else if (len - p >= 5 && !memcmp(text + p, "false", 5)) {
			tok[t].type = JSON_FALSE, p += 5;
		} else if (len - p >= 4 && !memcmp(text + p, "null", 4)) {
			tok[t].type = JSON_NULL, p += 4;
		} else {
			return json_fail(j, p, "unexpected character");
		}
		tok[t].end = (int)p;
		st = AFTER;
	}
}

/* The string T unescaped into OUT (SIZE bytes, UTF-8); its length, or -1
 * when T is not a string or does not fit. */
static int json_str(const struct json *j, int t, char *out, size_t size)
{
	const char *s, *end;
	size_t n = 0;
	long u;
	int esc, k;
	char c;

	if (t < 0 || j->tok[t].type != JSON_STRING)
		return -1;
	for (s = j->text + j->tok[t].start, end = j->text + j->tok[t].end; s < end; ) {
		if ((esc = (c = *s++) == '\\')) {
			c = *s++;
			c = c == 'b' ? '\b' : c == 'f' ? '\f' : c == 'n' ? '\n' : c == 'r' ? '\r' : c == 't' ? '\t' : c;
		}
		if (esc && c == 'u') {
			u = hex4(s);
			s += 4;
			if (u >= 0xD800 && u <= 0xDBFF)
				u = 0x10000 + ((u - 0xD800) << 10) + (hex4(s + 2) - 0xDC00), s += 6;
			if (n + 5 > size)
				return -1;
			/* UTF-8: K continuation bytes after a lead byte */
			k = u < 0x80 ? 0 : u < 0x800 ? 1 : u < 0x10000 ? 2 : 3;
			out[n++] = (char)((k ? 0xFF00 >> (k + 1) : 0) | u >> 6 * k);
			while (k--)
				out[n++] = (char)(0x80 | (u >> 6 * k & 0x3F));
			continue;
		}
		if (n + 1 >= size)
			return -1;
		out[n++] = c;
	}
	if (n >= size)
		return -1;
	out[n] = '\0';
	return (int)n;
}

/* Is T the string S? */
static int json_is(const struct json *j, int t, const char *s)
{
	char buf[256];

	return json_str(j, t, buf, sizeof(buf)) >= 0 && !strcmp(buf, s);
}

/* The value of KEY in object OBJ; -1 when absent or OBJ is no object. */
__attribute__((unused)) static int json_get(const struct json *j, int obj, const char *key)
{
	int i, k;

	if (obj < 0 || j->tok[obj].type != JSON_OBJECT)
		return -1;
	for (i = 0, k = obj + 1; i < j->tok[obj].size; i++, k = j->tok[k + 1].next)
		if (json_is(j, k, key))
			return k + 1;
	return -1;
}

/* The text of number T in BUF (24 bytes), errno cleared; -1 when T is no
 * number or too long for a 64-bit integer. */
static int json_digits(const struct json *j, int t, char *buf)
{
	int n;

	if (t < 0 || j->tok[t].type != JSON_NUMBER || (n = j->tok[t].end - j->tok[t].start) >= 24)
		return -1;
	memcpy(buf, j->text + j->tok[t].start, (size_t)n);
	buf[n] = '\0';
	errno = 0;
	return 0;
}

/* The integer T (no fraction, no exponent) in [MIN, MAX]; 0 or -1. */
__attribute__((unused)) static int json_int(const struct json *j, int t, long long min, long long max, long long *out)
{
	_Static_assert(sizeof(long) == sizeof(long long), "strtol reads 64 bits");
	char buf[24];
	char *end;
	long long v;

	if (json_digits(j, t, buf) < 0)
		return -1;
	v = strtol(buf, &end, 10);
	if (errno || *end || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

/* The boolean T: 0 or 1, -1 if T is no boolean. */
__attribute__((unused)) static int json_bool(const struct json *j, int t)
{
	return t < 0 ? -1 : j->tok[t].type == JSON_TRUE ? 1 : j->tok[t].type == JSON_FALSE ? 0 : -1;
}

/* Each member E of array T (I counts them); of an object, E is a key and
 * E + 1 its value. */
#define JSON_EACH(j, t, e, i) \
	for ((i) = 0, (e) = (t) + 1; (i) < (j)->tok[t].size; (i)++, (e) = json_next(j, t, e))

/* The member of T after E (JSON_EACH); one copy of this step, not one
 * per loop. */
__attribute__((noinline, unused)) static int json_next(const struct json *j, int t, int e)
{
	return j->tok[j->tok[t].type == JSON_OBJECT ? e + 1 : e].next;
}
#endif

/* ---------- OCI runtime: config.json into struct config ---------- */

#if WITH_OCI
/* Names as JSON strings, comma separated, each after PREFIX: N of them
 * (or up to a NULL), every STRIDE bytes from FIRST; PTR: each is a
 * pointer to the name, else the name itself (a char array). */
static void print_names(const void *first, size_t stride, size_t n, int ptr, const char *prefix)
{
	const char *p = first, *name;
	size_t i;

	for (i = 0; i < n && (name = ptr ? *(const char *const *)p : p); i++, p += stride)
		printf("%s\"%s%s\"", i ? "," : "", prefix, name);
}

/* The index of NAME among such names (print_names), or where they end. */
static size_t find_name(const void *first, size_t stride, size_t n, int ptr, const char *name)
{
	const char *p = first, *s;
	size_t i;

	for (i = 0; i < n && (s = ptr ? *(const char *const *)p : p) && strcmp(s, name); i++, p += stride)
		;
	return i;
}
#endif

#if WITH_OCI
/* Namespaces by their config.json type; the order joins them (user
 * first: it gives the rights to join the others). */
static const struct { char type[8]; uint32_t flag; } oci_namespaces[] = {
	{ "user", CLONE_NEWUSER }, { "ipc", CLONE_NEWIPC }, { "uts", CLONE_NEWUTS }, { "network", CLONE_NEWNET },
	{ "pid", CLONE_NEWPID }, { "cgroup", CLONE_NEWCGROUP }, { "mount", CLONE_NEWNS },
};

enum { HOOK_PRESTART, HOOK_CREATE_RUNTIME, HOOK_CREATE_CONTAINER, HOOK_START_CONTAINER, HOOK_POSTSTART, HOOK_POSTSTOP };
static const char *const hook_names[OCI_HOOKS] = {
	"prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop",
};

/* process.rlimits types, after their "RLIMIT_". */
static const struct { char name[11]; uint8_t res; } rlimit_names[] = {
	{ "AS", RLIMIT_AS }, { "CORE", RLIMIT_CORE }, { "CPU", RLIMIT_CPU }, { "DATA", RLIMIT_DATA },
	{ "FSIZE", RLIMIT_FSIZE }, { "LOCKS", RLIMIT_LOCKS }, { "MEMLOCK", RLIMIT_MEMLOCK },
	{ "MSGQUEUE", RLIMIT_MSGQUEUE }, { "NICE", RLIMIT_NICE }, { "NOFILE", RLIMIT_NOFILE },
	{ "NPROC", RLIMIT_NPROC }, { "RSS", RLIMIT_RSS }, { "RTPRIO", RLIMIT_RTPRIO }, { "RTTIME", RLIMIT_RTTIME },
	{ "SIGPENDING", RLIMIT_SIGPENDING }, { "STACK", RLIMIT_STACK },
};

/* Mount options that are flags (set, or CLEAR) or propagation (PROP); the
 * rest is the filesystem's data. */
static const struct { char name[14]; uint8_t prop, clear; uint32_t flag; } mount_opts[] = {
	{ "ro", 0, 0, MS_RDONLY }, { "rw", 0, 1, MS_RDONLY }, { "nosuid", 0, 0, MS_NOSUID },
	{ "suid", 0, 1, MS_NOSUID }, { "nodev", 0, 0, MS_NODEV }, { "dev", 0, 1, MS_NODEV },
	{ "noexec", 0, 0, MS_NOEXEC }, { "exec", 0, 1, MS_NOEXEC }, { "sync", 0, 0, MS_SYNCHRONOUS },
	{ "async", 0, 1, MS_SYNCHRONOUS }, { "dirsync", 0, 0, MS_DIRSYNC }, { "noatime", 0, 0, MS_NOATIME },
	{ "atime", 0, 1, MS_NOATIME }, { "nodiratime", 0, 0, MS_NODIRATIME }, { "diratime", 0, 1, MS_NODIRATIME },
	{ "relatime", 0, 0, MS_RELATIME }, { "norelatime", 0, 1, MS_RELATIME },
	{ "strictatime", 0, 0, MS_STRICTATIME }, { "nostrictatime", 0, 1, MS_STRICTATIME },
	{ "bind", 0, 0, MS_BIND }, { "rbind", 0, 0, MS_BIND | MS_REC }, { "defaults", 0, 0, 0 },
	{ "private", 1, 0, MS_PRIVATE }, { "rprivate", 1, 0, MS_PRIVATE | MS_REC },
	{ "shared", 1, 0, MS_SHARED }, { "rshared", 1, 0, MS_SHARED | MS_REC },
	{ "slave", 1, 0, MS_SLAVE }, { "rslave", 1, 0, MS_SLAVE | MS_REC },
	{ "unbindable", 1, 0, MS_UNBINDABLE }, { "runbindable", 1, 0, MS_UNBINDABLE | MS_REC },
};

/* Filesystem types a mount may have; "cgroup" is cgroup2, the one this
 * runtime knows. */
static const char *const mount_types[] = { "bind", "tmpfs", "proc", "sysfs", "devpts", "mqueue", "cgroup", "cgroup2" };

/* sysctl keys a container may set: those of a namespace it has of its own. */
static const struct { const char *prefix; unsigned long ns; } oci_sysctls[] = {
	{ "kernel.msgmax", CLONE_NEWIPC }, { "kernel.msgmnb", CLONE_NEWIPC }, { "kernel.msgmni", CLONE_NEWIPC },
	{ "kernel.sem", CLONE_NEWIPC }, { "kernel.shmall", CLONE_NEWIPC }, { "kernel.shmmax", CLONE_NEWIPC },
	{ "kernel.shmmni", CLONE_NEWIPC }, { "kernel.shm_rmid_forced", CLONE_NEWIPC }, { "fs.mqueue.", CLONE_NEWIPC },
	{ "net.", CLONE_NEWNET }, { "kernel.hostname", CLONE_NEWUTS }, { "kernel.domainname", CLONE_NEWUTS },
};

/* Unescaped strings of config.json, kept while the process lives: each is
 * read once and is no longer than its JSON text, so the text's size is
 * enough. */
static struct { char buf[JSON_MAX_SIZE]; size_t used; } arena;

static void oci_bad(const char *where, const char *why) __attribute__((noreturn));
static void oci_bad(const char *where, const char *why)
{
	die(1, "config.json: %s: %s", where, why);
}

/* T when it has TYPE; -1 when absent or null; dies on another type. */
static int oci_want(const struct json *j, int t, int type, const char *where)
{
	static const char *const expected[] = {
		[JSON_OBJECT] = "expected an object", [JSON_ARRAY] = "expected an array",
		[JSON_STRING] = "expected a string", [JSON_NUMBER] = "expected a number",
		[JSON_TRUE] = "expected true or false",
	};

	if (t < 0 || j->tok[t].type == JSON_NULL)
		return -1;
	if (j->tok[t].type == type || (type == JSON_TRUE && j->tok[t].type == JSON_FALSE))
		return t;
	oci_bad(where, expected[type]);
}

static const char *oci_string(const struct json *j, int t, const char *where)
{
	char *s = arena.buf + arena.used;
	int n;

	if (oci_want(j, t, JSON_STRING, where) < 0)
		oci_bad(where, "expected a string");
	if ((n = json_str(j, t, s, sizeof(arena.buf) - arena.used)) < 0)
		oci_bad(where, "no room left for its strings");
	arena.used += (size_t)n + 1;
	return s;
}

static long long oci_int(const struct json *j, int t, long long min, long long max, const char *where)
{
	long long v;

	if (t < 0)
		oci_bad(where, "missing");
	if (json_int(j, t, min, max, &v) < 0)
		oci_bad(where, j->tok[t].type == JSON_NUMBER ? "out of range" : "expected an integer");
	return v;
}

/* The member KEY of OBJ with TYPE, or -1; WHERE names OBJ. */
static int oci_get(const struct json *j, int obj, const char *key, int type, const char *where)
{
	char path[128];

	must_path(path, sizeof(path), "%s%s%s", where, *where ? "." : "", key);
	return oci_want(j, json_get(j, obj, key), type, path);
}

/* The first key of object OBJ not in KNOWN (space separated, each
 * followed by a space), its text in KEY (64 bytes); 0 when there is none.
 * A field of a security policy ignored could weaken it. */
static int json_unknown(const struct json *j, int obj, const char *known, char *key)
{
	char word[72];
	int e, i;

	JSON_EACH(j, obj, e, i)
		if (json_str(j, e, key, 64) < 0 || strchr(key, ' ') || snprintf(word, sizeof(word), " %s ", key) < 0 ||
		    !strstr(known, word))
			return snprintf(key, 64, "%.*s", j->tok[e].end - j->tok[e].start, j->text + j->tok[e].start), 1;
	return 0;
}

/* The member KEY of OBJ as a string, NULL when absent or null (refused
 * then when REQUIRED); WHERE names OBJ. */
static const char *oci_str(const struct json *j, int obj, const char *key, const char *where, int required)
{
	char path[128];
	int t;

	must_path(path, sizeof(path), "%s%s%s", where, *where ? "." : "", key);
	if ((t = oci_want(j, json_get(j, obj, key), JSON_STRING, path)) >= 0)
		return oci_string(j, t, path);
	if (required)
		oci_bad(path, "missing");
	return NULL;
}

#define OCI_REQUIRED LLONG_MIN  /* oci_num: the member must be there */

/* The member KEY of OBJ as an integer in [MIN, MAX], DFLT when absent or
 * null (OCI_REQUIRED: refused then); WHERE names OBJ. */
static long long oci_num(const struct json *j, int obj, const char *key, long long min, long long max,
                         long long dflt, const char *where)
{
	char path[128];
	int t;

	must_path(path, sizeof(path), "%s.%s", where, key);
	if ((t = oci_want(j, json_get(j, obj, key), JSON_NUMBER, path)) < 0 && dflt != OCI_REQUIRED)
		return dflt;
	return oci_int(j, t, min, max, path);
}

/* Refuse a key of OBJ not in KNOWN (json_unknown): a field of process or
 * linux ignored could weaken isolation. */
static void oci_known(const struct json *j, int obj, const char *known, const char *where)
{
	char key[64], path[160];

	if (obj >= 0 && json_unknown(j, obj, known, key)) {
		snprintf(path, sizeof(path), "%s.%s", where, key);
		oci_bad(path, "not supported by this runtime");
	}
}

/* Member E of array PREFIX NAME, the I-th: an object, with only KNOWN
 * keys (json_unknown; NULL: any); WHERE (64 bytes) gets its path. */
static void oci_item(const struct json *j, int e, const char *prefix, const char *name, int i, const char *known,
                     char *where)
{
	snprintf(where, 64, "%s%s[%d]", prefix, name, i);
	if (oci_want(j, e, JSON_OBJECT, where) < 0)
		oci_bad(where, "expected an object");
	if (known)
		oci_known(j, e, known, where);
}

/* An array of strings at T into V (MAX, NULL-terminated); their count. */
static int oci_strings(const struct json *j, int t, const char **v, int max, const char *where)
{
	char path[160];
	int e, i;

	if (oci_want(j, t, JSON_ARRAY, where) < 0)
		return v[0] = NULL, 0;
	if (j->tok[t].size >= max)
		oci_bad(where, "too many entries");
	JSON_EACH(j, t, e, i) {
		snprintf(path, sizeof(path), "%s[%d]", where, i);
		v[i] = oci_string(j, e, path);
	}
	v[i] = NULL;
	return i;
}

/* Capability names of array T as a mask; names this runtime does not know
 * are left out (less, never more), as runc does. */
static uint64_t oci_caps(const struct json *j, int t, const char *where)
{
	const char *names[LEN(cap_names) * 2 + 1];
	uint64_t mask = 0, m;
	int i, n = oci_strings(j, t, names, LEN(names), where);

	for (i = 0; i < n; i++) {
		if (!(m = parse_cap(names[i])) || m == CAP_ALL_MASK)
			warn("config.json: %s: unknown capability %s left out", where, names[i]);
		else
			mask |= m;
	}
	return mask;
}

static void oci_user(const struct json *j, int u, struct config *c, struct oci *o)
{
	const char *p = "process.user";
	int g, e, i;

	oci_known(j, u, " uid gid umask additionalGids username ", p);
	c->uid = (uid_t)oci_num(j, u, "uid", 0, 0x7fffffff, OCI_REQUIRED, p);
	c->gid = (gid_t)oci_num(j, u, "gid", 0, 0x7fffffff, OCI_REQUIRED, p);
	o->umask = (int)oci_num(j, u, "umask", 0, 0777, -1, p);
	if ((g = oci_get(j, u, "additionalGids", JSON_ARRAY, p)) < 0)
		return;
	if (j->tok[g].size > (int)LEN(o->groups))
		oci_bad("process.user.additionalGids", "too many groups");
	JSON_EACH(j, g, e, i)
		o->groups[o->ngroups++] = (gid_t)oci_int(j, e, 0, 0x7fffffff, "process.user.additionalGids");
}

static void oci_rlimits(const struct json *j, int t, struct oci *o)
{
	const char *p = "process.rlimits";
	const char *type;
	size_t k;
	int e, i;

	if (oci_want(j, t, JSON_ARRAY, p) < 0)
		return;
	if (j->tok[t].size > (int)LEN(o->rlim))
		oci_bad(p, "too many limits");
	JSON_EACH(j, t, e, i) {
		oci_want(j, e, JSON_OBJECT, p);
		type = oci_str(j, e, "type", p, 1);
		k = strncmp(type, "RLIMIT_", 7) ? LEN(rlimit_names) :
		    find_name(rlimit_names[0].name, sizeof(rlimit_names[0]), LEN(rlimit_names), 0, type + 7);
		if (k == LEN(rlimit_names))
			oci_bad(type, "unknown rlimit");
		o->rlim[i].res = rlimit_names[k].res;
		o->rlim[i].soft = (unsigned long long)oci_num(j, e, "soft", 0, LLONG_MAX, OCI_REQUIRED, p);
		o->rlim[i].hard = (unsigned long long)oci_num(j, e, "hard", 0, LLONG_MAX, OCI_REQUIRED, p);
		if (o->rlim[i].soft > o->rlim[i].hard)
			oci_bad(type, "soft limit above the hard one");
		o->nrlim++;
	}
}

static void oci_process(const struct json *j, int p, struct config *c, struct oci *o)
{
	static const char *args[MAX_CMD + 1];
	static const char *const sets[] = { "effective", "permitted", "bounding", "ambient" };
	char where[48];
	uint64_t m[4];
	int caps, t;

	if (oci_want(j, p, JSON_OBJECT, "process") < 0)
		oci_bad("process", "missing: there is nothing to run");
	oci_known(j, p, " terminal consoleSize user args env cwd capabilities rlimits noNewPrivileges "
	          "apparmorProfile selinuxLabel oomScoreAdj ioPriority scheduler ", "process");
	if ((t = oci_get(j, p, "terminal", JSON_TRUE, "process")) >= 0)
		o->terminal = json_bool(j, t);
	if (oci_get(j, p, "user", JSON_OBJECT, "process") >= 0)
		oci_user(j, json_get(j, p, "user"), c, o);
	if (oci_strings(j, json_get(j, p, "args"), args, LEN(args), "process.args") == 0)
		oci_bad("process.args", "missing or empty: there is nothing to run");
	c->argv = (char *const *)args;
	c->nenv = oci_strings(j, json_get(j, p, "env"), c->env, MAX_ARGS, "process.env");
	for (t = 0; t < c->nenv; t++)
		if (parse_env(c->env[t]) < 0)
			oci_bad("process.env", "an entry is not K=V");
	c->caps = 0;
	if ((caps = oci_get(j, p, "capabilities", JSON_OBJECT, "process")) >= 0) {
		oci_known(j, caps, " bounding effective inheritable permitted ambient ", "process.capabilities");
		for (t = 0; t < 4; t++) {
			snprintf(where, sizeof(where), "process.capabilities.%s", sets[t]);
			m[t] = oci_caps(j, json_get(j, caps, sets[t]), where);
		}
		c->caps = (m[0] | m[1]) & (json_get(j, caps, "bounding") >= 0 ? m[2] : ~UINT64_C(0));
		if (m[3] & ~c->caps)
			oci_bad(where, "a capability that is not permitted");
	}
	oci_rlimits(j, json_get(j, p, "rlimits"), o);
	if ((t = oci_get(j, p, "oomScoreAdj", JSON_NUMBER, "process")) >= 0)
		o->has_oom = 1, o->oom = (int)oci_int(j, t, -1000, 1000, "process.oomScoreAdj");
	o->apparmor = oci_str(j, p, "apparmorProfile", "process", 0);
	o->selinux = oci_str(j, p, "selinuxLabel", "process", 0);
	if ((t = oci_get(j, p, "noNewPrivileges", JSON_TRUE, "process")) >= 0)
		c->new_privs = !json_bool(j, t);
}

/* Parse the options of mount M into flags, bind (0, MS_BIND, with MS_REC),
 * propagation and filesystem data; NULL, or the option refused. */
static const char *oci_mount_opts(const struct json *j, int m, unsigned long *flags, unsigned long *bind,
                                  unsigned long *prop, char *data, size_t size)
{
	static char opt[256];
	size_t k, n = 0;
	int t = json_get(j, m, "options"), e, i;

	*flags = *bind = *prop = 0;
	data[0] = '\0';
	if (t < 0 || j->tok[t].type == JSON_NULL)
		return NULL;
	if (j->tok[t].type != JSON_ARRAY)
		return "options: expected an array";
	JSON_EACH(j, t, e, i) {
		if (json_str(j, e, opt, sizeof(opt)) < 0)
			return "options: expected strings";
		k = find_name(mount_opts[0].name, sizeof(mount_opts[0]), LEN(mount_opts), 0, opt);
		if (k == LEN(mount_opts)) {
			if (!strcmp(opt, "idmap") || !strcmp(opt, "ridmap") || strchr(opt, ','))
				return opt;
			if (strcmp(opt, "tmpcopyup") && (n += (size_t)snprintf(data + n, size - n, "%s%s", n ? "," : "", opt)) >= size)
				return "options: too long";
		} else if (mount_opts[k].prop) {
			*prop = mount_opts[k].flag;
		} else if (mount_opts[k].flag & MS_BIND) {
			*bind = mount_opts[k].flag;
		} else {
			*flags = mount_opts[k].clear ? *flags & ~mount_opts[k].flag : *flags | mount_opts[k].flag;
		}
	}
	return NULL;
}

static void oci_mounts(const struct json *j, int t, struct oci *o)
{
	char where[64], data[256];
	unsigned long f, b, p;
	const char *why, *type;
	size_t k;
	int e, i;

	if ((o->mounts = oci_want(j, t, JSON_ARRAY, "mounts")) < 0)
		return;
	if (j->tok[t].size > MAX_OCI_MOUNTS)
		oci_bad("mounts", "too many mounts");
	JSON_EACH(j, t, e, i) {
		oci_item(j, e, "", "mounts", i, " destination type source options uidMappings gidMappings ", where);
		if (json_get(j, e, "uidMappings") >= 0 || json_get(j, e, "gidMappings") >= 0)
			oci_bad(where, "id-mapped mounts are not supported");
		if (oci_str(j, e, "destination", where, 1)[0] != '/')
			oci_bad(where, "destination: give an absolute path");
		if ((why = oci_mount_opts(j, e, &f, &b, &p, data, sizeof(data))))
			oci_bad(where, why);
		if (!(type = oci_str(j, e, "type", where, 0)))
			type = "bind";
		k = find_name(mount_types, sizeof(mount_types[0]), LEN(mount_types), 1, type);
		if (k == LEN(mount_types) || (!b && !strcmp(type, "bind")))
			oci_bad(where, b || !strcmp(type, "bind") ? "a bind mount needs the bind or rbind option" : "filesystem type not supported");
		if (b && json_get(j, e, "source") < 0)
			oci_bad(where, "a bind mount needs a source");
	}
}

static void oci_hooks(const struct json *j, int t, struct oci *o)
{
	char where[64];
	const char *args[MAX_ARGS];
	size_t k;
	int e, i, h, n;

	for (k = 0; k < OCI_HOOKS; k++)
		o->hooks[k] = -1;
	if (oci_want(j, t, JSON_OBJECT, "hooks") < 0)
		return;
	JSON_EACH(j, t, e, i) {
		for (k = 0; k < OCI_HOOKS && !json_is(j, e, hook_names[k]); k++)
			;
		if (k == OCI_HOOKS)
			oci_bad("hooks", "an unknown kind of hook");
		if ((o->hooks[k] = oci_want(j, e + 1, JSON_ARRAY, hook_names[k])) < 0)
			continue;
		JSON_EACH(j, e + 1, h, n) {
			oci_item(j, h, "hooks.", hook_names[k], n, " path args env timeout ", where);
			if (oci_str(j, h, "path", where, 1)[0] != '/')
				oci_bad(where, "path: give an absolute path");
			oci_strings(j, json_get(j, h, "args"), args, LEN(args), where);
			oci_strings(j, json_get(j, h, "env"), args, LEN(args), where);
			oci_num(j, h, "timeout", 1, 86400, 0, where);
		}
	}
}

static void oci_annotations(const struct json *j, int t, struct oci *o)
{
	int e, i, sandbox = 0;

	if ((o->annotations = oci_want(j, t, JSON_OBJECT, "annotations")) < 0)
		return;
	JSON_EACH(j, t, e, i) {
		const char *v = oci_string(j, e + 1, "annotations");

		/* a pod's annotations reach its sandbox (pause) container too:
		 * the root that persists is the workload's */
		if ((json_is(j, e, "io.kubernetes.cri.container-type") ||
		     json_is(j, e, "io.kubernetes.cri-o.ContainerType")) && !strcmp(v, "sandbox"))
			sandbox = 1;
		if (json_is(j, e, "container.persist")) {
			if (!valid_name(v))
				oci_bad("annotations.container.persist", "use [A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
			o->persist = v;
		}
	}
	if (sandbox)
		o->persist = NULL;
}

static void oci_namespaces_(const struct json *j, int t, struct config *c, struct oci *o)
{
	char where[64];
	const char *type;
	size_t k;
	int e, i;

	if (oci_want(j, t, JSON_ARRAY, "linux.namespaces") < 0)
		oci_bad("linux.namespaces", "missing: a container needs namespaces");
	JSON_EACH(j, t, e, i) {
		oci_item(j, e, "linux.", "namespaces", i, " type path ", where);
		type = oci_str(j, e, "type", where, 1);
		k = find_name(oci_namespaces[0].type, sizeof(oci_namespaces[0]), LEN(oci_namespaces), 0, type);
		if (k == LEN(oci_namespaces))
			oci_bad(where, "unknown namespace type");
		if ((o->ns_new | o->ns_join) & oci_namespaces[k].flag)
			oci_bad(where, "namespace given twice");
		if (!(o->ns_path[k] = oci_str(j, e, "path", where, 0))) {
			o->ns_new |= oci_namespaces[k].flag;
			continue;
		}
		if (oci_namespaces[k].flag == CLONE_NEWNS)
			oci_bad(where, "joining a mount namespace is not supported");
		if (o->ns_path[k][0] != '/')
			oci_bad(where, "path: give an absolute path");
		o->ns_join |= oci_namespaces[k].flag;
	}
	if (!(o->ns_new & CLONE_NEWNS))
		oci_bad("linux.namespaces", "a container needs a mount namespace of its own");
	c->netns = !!(o->ns_new & CLONE_NEWNET);
	c->userns = !!(o->ns_new & CLONE_NEWUSER);
}

/* uidMappings or gidMappings as the text of /proc/PID/uid_map. */
static const char *oci_idmap(const struct json *j, int t, const char *where)
{
	static char maps[2][512];
	char *m = maps[where[6] == 'g'];
	size_t n = 0;
	int e, i;

	if (oci_want(j, t, JSON_ARRAY, where) < 0)
		return NULL;
	JSON_EACH(j, t, e, i) {
		oci_want(j, e, JSON_OBJECT, where);
		n += (size_t)snprintf(m + n, n < sizeof(maps[0]) ? sizeof(maps[0]) - n : 0, "%lld %lld %lld\n",
		                      oci_num(j, e, "containerID", 0, UINT32_MAX - 1, OCI_REQUIRED, where),
		                      oci_num(j, e, "hostID", 0, UINT32_MAX - 1, OCI_REQUIRED, where),
		                      oci_num(j, e, "size", 1, UINT32_MAX, OCI_REQUIRED, where));
		if (n >= sizeof(maps[0]))
			oci_bad(where, "too many mappings");
	}
	return m;
}

/* resources: limits that would be lost unsaid are refused. */
static void oci_resources(const struct json *j, int r, struct config *c)
{
	static const char *const refused[] = { "hugepageLimits", "rdma", "unified", "intelRdt" };
	static const char *const unsupported[] = { "realtimeRuntime", "realtimePeriod", "idle", "burst" };
	const char *p = "linux.resources", *pc = "linux.resources.cpu";
	long long limit, swap, quota, period, shares;
	int m, cpu, b, t, e, i;
	size_t k;

	if (oci_want(j, r, JSON_OBJECT, p) < 0)
		return;
	oci_known(j, r, " devices memory cpu pids blockIO hugepageLimits network rdma unified ", p);
	for (k = 0; k < LEN(refused); k++)
		if ((t = json_get(j, r, refused[k])) >= 0 && j->tok[t].size > 0)
			oci_bad(refused[k], "this limit is not supported and would not be applied");
	if ((m = oci_get(j, r, "memory", JSON_OBJECT, p)) >= 0) {
		oci_known(j, m, " limit reservation swap kernel kernelTCP swappiness disableOOMKiller "
		          "useHierarchy checkBeforeUpdate ", "linux.resources.memory");
		limit = oci_num(j, m, "limit", LLONG_MIN, LLONG_MAX, 0, "linux.resources.memory");
		if ((swap = oci_num(j, m, "swap", LLONG_MIN, LLONG_MAX, 0, "linux.resources.memory")) > 0) {
			/* OCI's swap is memory and swap together */
			if (limit <= 0 || swap <= limit)
				oci_bad("linux.resources.memory.swap", "must be above memory.limit (it counts memory and swap)");
			c->swap = swap - limit;
		}
	}
	if ((cpu = oci_get(j, r, "cpu", JSON_OBJECT, p)) >= 0) {
		oci_known(j, cpu, " shares quota period realtimeRuntime realtimePeriod cpus mems idle burst ", pc);
		if ((t = json_get(j, cpu, "cpus")) >= 0 || (t = json_get(j, cpu, "mems")) >= 0)
			if (j->tok[t].end > j->tok[t].start)
				oci_bad(pc, "cpus and mems (cpuset) are not supported");
		/* 1024 is every group's default share, and ctr run always asks
		 * it: the default weight, no limit to need a cpu controller for */
		if ((shares = oci_num(j, cpu, "shares", 0, 262144, 0, pc)) >= 2 && shares != 1024)
			c->cpu_weight = 1 + (shares - 2) * 9999 / 262142;  /* as runc converts */
		quota = oci_num(j, cpu, "quota", LLONG_MIN, LLONG_MAX, 0, pc);
		period = oci_num(j, cpu, "period", 1000, 1000000, 100000, pc);
		if (quota > 0 && !(c->cpu_quota = quota * cpu_period_us / period))
			c->cpu_quota = 1;
		for (k = 0; k < LEN(unsupported); k++)
			if (oci_num(j, cpu, unsupported[k], LLONG_MIN, LLONG_MAX, 0, pc) != 0)
				oci_bad(pc, "realtime, idle and burst are not supported");
	}
	if ((b = oci_get(j, r, "blockIO", JSON_OBJECT, p)) >= 0) {
		JSON_EACH(j, b, e, i)
			if (!json_is(j, e, "weight") && !json_is(j, e, "leafWeight") && j->tok[e + 1].size > 0)
				oci_bad("linux.resources.blockIO", "device weights and throttles are not supported");
		c->io_weight = oci_num(j, b, "weight", 0, 10000, c->io_weight, "linux.resources.blockIO");
	}
	/* linux.resources.devices: the cgroup device program (mapped next to
	 * linux.seccomp, in oci_map) */
}

static void oci_sysctl(const struct json *j, int t, struct oci *o)
{
	char key[128];
	size_t k;
	int e, i;

	if ((o->sysctl = oci_want(j, t, JSON_OBJECT, "linux.sysctl")) < 0)
		return;
	JSON_EACH(j, t, e, i) {
		oci_string(j, e + 1, "linux.sysctl");
		if (json_str(j, e, key, sizeof(key)) < 0 || strstr(key, "..") || strchr(key, '/'))
			oci_bad("linux.sysctl", "a bad key");
		for (k = 0; k < LEN(oci_sysctls) && strncmp(key, oci_sysctls[k].prefix, strlen(oci_sysctls[k].prefix)); k++)
			;
		if (k == LEN(oci_sysctls) || !(o->ns_new & oci_sysctls[k].ns))
			oci_bad(key, "this sysctl is not in a namespace of the container's own: it would change the host");
	}
}

static void oci_linux(const struct json *j, int l, struct config *c, struct oci *o)
{
	static const char *const prop[] = { "shared", "slave", "private", "unbindable", "rshared", "rslave", "rprivate", "runbindable" };
	static const unsigned long props[] = { MS_SHARED, MS_SLAVE, MS_PRIVATE, MS_UNBINDABLE };
	const char *p = "linux", *s;
	char where[64];
	size_t k;
	int e, i;

	if (oci_want(j, l, JSON_OBJECT, p) < 0)
		oci_bad(p, "missing: a container needs namespaces");
	oci_known(j, l, " namespaces uidMappings gidMappings devices cgroupsPath resources rootfsPropagation "
	          "seccomp sysctl maskedPaths readonlyPaths mountLabel ", p);
	oci_namespaces_(j, json_get(j, l, "namespaces"), c, o);
	o->uid_map = oci_idmap(j, json_get(j, l, "uidMappings"), "linux.uidMappings");
	o->gid_map = oci_idmap(j, json_get(j, l, "gidMappings"), "linux.gidMappings");
	if (!o->uid_map != !(o->ns_new & CLONE_NEWUSER) || !o->gid_map != !(o->ns_new & CLONE_NEWUSER))
		oci_bad(p, "a new user namespace needs uidMappings and gidMappings, and they need one");
	if ((o->devices = oci_get(j, l, "devices", JSON_ARRAY, p)) >= 0)
		JSON_EACH(j, o->devices, e, i) {
			oci_item(j, e, "linux.", "devices", i, NULL, where);
			if (oci_str(j, e, "path", where, 1)[0] != '/')
				oci_bad(where, "path: give an absolute path");
			s = oci_str(j, e, "type", where, 1);
			if (strcmp(s, "c") && strcmp(s, "b") && strcmp(s, "u"))
				oci_bad(where, "type: c, b or u");
			oci_num(j, e, "major", 0, 0xfff, OCI_REQUIRED, where);
			oci_num(j, e, "minor", 0, 0xfffff, OCI_REQUIRED, where);
		}
	if ((o->cgroups_path = oci_str(j, l, "cgroupsPath", p, 0)) &&
	    (strstr(o->cgroups_path, "..") || strchr(o->cgroups_path, ':')))
		oci_bad("linux.cgroupsPath", "a path without '..' (systemd's slice:prefix:name needs --systemd-cgroup)");
	oci_resources(j, json_get(j, l, "resources"), c);
	if ((s = oci_str(j, l, "rootfsPropagation", p, 0))) {
		k = find_name(prop, sizeof(prop[0]), LEN(prop), 1, s);
		if (k == LEN(prop))
			oci_bad("linux.rootfsPropagation", "unknown propagation");
		o->rootfs_prop = props[k % 4] | (k >= 4 ? MS_REC : 0);
	}
	oci_sysctl(j, json_get(j, l, "sysctl"), o);
	o->masked = oci_get(j, l, "maskedPaths", JSON_ARRAY, p);
	o->readonly_paths = oci_get(j, l, "readonlyPaths", JSON_ARRAY, p);
	oci_strings(j, o->masked, (const char *[MAX_ARGS]){ 0 }, MAX_ARGS, "linux.maskedPaths");
	oci_strings(j, o->readonly_paths, (const char *[MAX_ARGS]){ 0 }, MAX_ARGS, "linux.readonlyPaths");
	o->selinux_mount = oci_str(j, l, "mountLabel", p, 0);
	/* linux.seccomp and linux.resources.devices: see oci_map */
}

/* The config.json rows of options[] whose value is a string or a limit. A
 * limit of 0 or below is no limit. */
static void oci_options(const struct json *j, struct config *c)
{
	char v[32], path[64], *dot, *key;
	const char *val;
	long long n;
	size_t i;
	int t;

	for (i = 0; i < LEN(options); i++) {
		if (!options[i].json)
			continue;
		copy_cut(path, sizeof(path), options[i].json);
		for (t = 0, key = path; t >= 0 && (dot = strchr(key, '.')); key = dot + 1) {
			*dot = '\0';
			t = json_get(j, t, key);
		}
		t = json_get(j, t, key);
		if ((t = oci_want(j, t, j->tok[t < 0 ? 0 : t].type, options[i].json)) < 0)
			continue;
		if (j->tok[t].type == JSON_STRING) {
			val = oci_string(j, t, options[i].json);
		} else {
			if ((n = oci_int(j, t, LLONG_MIN, LLONG_MAX, options[i].json)) <= 0)
				continue;
			snprintf(v, sizeof(v), "%lld", n);
			val = v;
		}
		if (options[i].set(c, val) < 0)
			oci_bad(options[i].json, "invalid value");
	}
}

/* Map config.json J onto C (made by config_defaults) and O. Pure: it
 * reads, checks and fills, or dies with one line naming the field. */
static void oci_map(const struct json *j, struct config *c, struct oci *o)
{
	const char *v;
	int root, t;

	arena.used = 0;
	o->j = j;
	o->mounts = o->masked = o->readonly_paths = o->devices = o->sysctl = o->annotations = -1;
	c->oci = o;
	if (j->tok[0].type != JSON_OBJECT)
		oci_bad("the top", "expected an object");
	v = oci_str(j, 0, "ociVersion", "", 1);
	if (strncmp(v, "1.", 2))
		oci_bad("ociVersion", "this runtime reads version 1.x");
	oci_process(j, json_get(j, 0, "process"), c, o);
	if ((root = oci_get(j, 0, "root", JSON_OBJECT, "")) < 0)
		oci_bad("root", "missing");
	if ((o->root_path = oci_str(j, root, "path", "root", 1))[0] == '\0')
		oci_bad("root.path", "empty");
	if ((t = oci_get(j, root, "readonly", JSON_TRUE, "root")) >= 0)
		o->readonly = json_bool(j, t);
	oci_mounts(j, json_get(j, 0, "mounts"), o);
	oci_hooks(j, json_get(j, 0, "hooks"), o);
	oci_annotations(j, json_get(j, 0, "annotations"), o);
	oci_linux(j, json_get(j, 0, "linux"), c, o);
	if (json_get(j, 0, "hostname") >= 0 && !(o->ns_new & CLONE_NEWUTS))
		oci_bad("hostname", "needs a uts namespace of the container's own");
	oci_options(j, c);
	/* linux.seccomp and linux.resources.devices: oci_load() maps them
	 * (map_seccomp, map_devices) into oci_profile and oci_devices. */
}
#endif

#if WITH_OCI
/* ---------- seccomp profiles from config.json, compiled to plain BPF ---------- */

#include "syscall_names.h" /* generated from the kernel headers (Makefile) */

static struct seccomp_profile oci_profile; /* set: replaces apply_seccomp() */

/* The table's names are packed: a mark stands for a fragment
 * (tools/syscalls.sh). Unpacked once, into NAMES (a name's slot empty
 * where the number has none): a profile looks up some 400 of them. */
static char syscall_table[SYSCALL_COUNT][32];

static void syscall_unpack(void)
{
	static const char marks[] = SYSCALL_MARKS;
	const char *p = syscall_names, *m, *f;
	size_t i, n, len;

	for (i = 0; i < SYSCALL_COUNT; i++, p++)
		for (n = 0; *p; p++, n += len) {
			f = p;
			if ((m = strchr(marks, *p)))
				for (f = SYSCALL_FRAGMENTS; m-- > marks; f += strlen(f) + 1)
					;
			len = m ? strlen(f) : 1;
			if (n + len < sizeof(syscall_table[i]))  /* the longest is 23 */
				memcpy(syscall_table[i] + n, f, len);
		}
}

/* The number of syscall NAME on this architecture, -1 when it has none
 * (profiles name the syscalls of every architecture). */
static int syscall_number(const char *name)
{
	size_t i;

	if (!syscall_table[0][0])
		syscall_unpack();
	for (i = 0; i < SYSCALL_COUNT; i++)
		if (syscall_table[i][0] && !strcmp(syscall_table[i], name))
			return (int)i;
	return -1;
}

/* The actions, operators and flags of profiles this runtime honours (also
 * what `features` reports). */
static const struct { const char *name; uint32_t ret; } sc_actions[] = {
	{ "SCMP_ACT_ALLOW", SECCOMP_RET_ALLOW }, { "SCMP_ACT_ERRNO", SECCOMP_RET_ERRNO },
	{ "SCMP_ACT_KILL", SECCOMP_RET_KILL_THREAD }, { "SCMP_ACT_KILL_THREAD", SECCOMP_RET_KILL_THREAD },
	{ "SCMP_ACT_KILL_PROCESS", SECCOMP_RET_KILL_PROCESS }, { "SCMP_ACT_TRAP", SECCOMP_RET_TRAP },
	{ "SCMP_ACT_TRACE", SECCOMP_RET_TRACE }, { "SCMP_ACT_LOG", SECCOMP_RET_LOG },
};
static const char *const sc_ops[] = {
	[SC_NE] = "SCMP_CMP_NE", [SC_LT] = "SCMP_CMP_LT", [SC_LE] = "SCMP_CMP_LE",
	[SC_EQ] = "SCMP_CMP_EQ", [SC_GE] = "SCMP_CMP_GE", [SC_GT] = "SCMP_CMP_GT",
	[SC_MASKED_EQ] = "SCMP_CMP_MASKED_EQ",
};
/* TSYNC is moot (one thread) but harmless; WAIT_KILLABLE_RECV only goes
 * with a listener: refused. */
static const struct { const char *name; unsigned flag; } sc_flags[] = {
	{ "SECCOMP_FILTER_FLAG_TSYNC", SECCOMP_FILTER_FLAG_TSYNC },
	{ "SECCOMP_FILTER_FLAG_LOG", SECCOMP_FILTER_FLAG_LOG },
	{ "SECCOMP_FILTER_FLAG_SPEC_ALLOW", SECCOMP_FILTER_FLAG_SPEC_ALLOW },
};

/* SCMP_ACT_NAME and its errnoRet (-1: none) as a seccomp return value in
 * *ACTION; NULL, or why it is refused. ERRNO and TRACE without errnoRet
 * carry EPERM, as runc does. */
static const char *seccomp_action(const char *name, long errno_ret, uint32_t *action)
{
	size_t i;

	if (!strcmp(name, "SCMP_ACT_NOTIFY"))
		return "needs a seccomp agent (listenerPath), which this runtime does not have";
	if ((i = find_name(&sc_actions[0].name, sizeof(sc_actions[0]), LEN(sc_actions), 1, name)) == LEN(sc_actions))
		return "unknown action";
	if (errno_ret > (long)SECCOMP_RET_DATA)
		return "errnoRet out of range";
	*action = sc_actions[i].ret;
	if (sc_actions[i].ret == SECCOMP_RET_ERRNO || sc_actions[i].ret == SECCOMP_RET_TRACE)
		*action |= errno_ret < 0 ? EPERM : (uint32_t)errno_ret;
	return NULL;
}

/* SCMP_CMP_NAME as an enum sc_op, -1 if unknown. */
static int seccomp_op(const char *name)
{
	size_t i = find_name(sc_ops, sizeof(sc_ops[0]), LEN(sc_ops), 1, name);

	return i < LEN(sc_ops) ? (int)i : -1;
}

/* SECCOMP_FILTER_FLAG_NAME as its bit, 0 if unknown or refused. */
static unsigned seccomp_flag(const char *name)
{
	size_t i = find_name(&sc_flags[0].name, sizeof(sc_flags[0]), LEN(sc_flags), 1, name);

	return i < LEN(sc_flags) ? sc_flags[i].flag : 0;
}

/* The seccomp members of the features document (runtime-spec). */
static void seccomp_features(void)
{
	size_t i;

	printf(",\"actions\":[");
	print_names(&sc_actions[0].name, sizeof(sc_actions[0]), LEN(sc_actions), 1, "");
	printf("],\"operators\":[");
	print_names(sc_ops, sizeof(sc_ops[0]), LEN(sc_ops), 1, "");
	for (i = 0; i < 2; i++) {
		printf(i ? "],\"supportedFlags\":[" : "],\"archs\":[\"SCMP_ARCH_X86_64\"],\"knownFlags\":[");
		print_names(&sc_flags[0].name, sizeof(sc_flags[0]), LEN(sc_flags), 1, "");
	}
	printf("]");
}

/* Add syscall NAME with ACTION and the conditions P->cond[COND..+NCOND):
 * 0, 1 when this architecture has no such syscall (skipped, as libseccomp
 * does), -1 when the profile is full. Rules combine as libseccomp combines
 * them under runc: one whose action is the default is left out; the first
 * rule without conditions decides for its syscall alone (a later one is
 * dropped, earlier conditional ones too). P->top follows every name. */
static int seccomp_add(struct seccomp_profile *p, const char *name, uint32_t action, int cond, int ncond)
{
	int nr = syscall_number(name), i, j;

	if (nr < 0)
		return 1;
	p->top = nr + 1 > p->top ? nr + 1 : p->top;
	for (i = 0; i < p->nrules; i++)
		if (p->rule[i].nr == nr && p->rule[i].ncond == 0)
			return 0;
	if (action == p->def)
		return 0;
	for (i = j = 0; ncond == 0 && i < p->nrules; i++)
		if (p->rule[i].nr != nr)
			p->rule[j++] = p->rule[i];
	p->nrules = ncond == 0 ? j : p->nrules;
	if (p->nrules == MAX_SC_RULES)
		return -1;
	p->rule[p->nrules++] = (struct sc_rule){ (uint16_t)nr, (uint16_t)cond, (uint16_t)ncond, action };
	return 0;
}

struct bpf_out { struct sock_filter *f; size_t n, max; };

/* Append one instruction; past MAX only count, so the length is known. */
static void emit(struct bpf_out *o, uint16_t code, uint32_t k, size_t jt, size_t jf)
{
	if (o->n < o->max)
		o->f[o->n] = (struct sock_filter){ code, (uint8_t)jt, (uint8_t)jf, k };
	o->n++;
}

#define SC_LD(o, off)    emit(o, BPF_LD | BPF_W | BPF_ABS, (uint32_t)(off), 0, 0)
#define SC_ARG(i, high)  (offsetof(struct seccomp_data, args) + 8 * (i) + 4 * (high)) /* little endian */
#define SC_FAIL          (fail - (o->n + 1)) /* jump to the next rule */
static const uint8_t sc_cond_len[] = { [SC_NE] = 4, [SC_LT] = 5, [SC_LE] = 5, [SC_EQ] = 4,
                                       [SC_GE] = 5, [SC_GT] = 5, [SC_MASKED_EQ] = 6 };

/* One 64-bit argument condition on its two 32-bit halves, high first:
 * falls through when it holds, jumps to FAIL when not. Comparisons are
 * unsigned, as libseccomp's. MASKED_EQ: (arg & value) == valueTwo. Each
 * operator is a program of steps: a BPF code, then its K (the argument's
 * high or low half to load; else value's or valueTwo's half) and its jumps
 * (SC_F: to FAIL), in one byte. */
#define SC_STEP(code, k, jt, jf) { (code), (k) | (jt) << 2 | (jf) << 5 }
#define SC_F 7
#define SC_LDH SC_STEP(BPF_LD | BPF_W | BPF_ABS, 0, 0, 0)
#define SC_LDL SC_STEP(BPF_LD | BPF_W | BPF_ABS, 1, 0, 0)
enum { SC_VH, SC_VL, SC_WH, SC_WL };
static void sc_emit_cond(struct bpf_out *o, const struct sc_cond *c, size_t fail)
{
	static const uint8_t prog[][6][2] = {
		[SC_EQ] = { SC_LDH, SC_STEP(BPF_JMP | BPF_JEQ, SC_VH, 0, SC_F),
		            SC_LDL, SC_STEP(BPF_JMP | BPF_JEQ, SC_VL, 0, SC_F) },
		[SC_NE] = { SC_LDH, SC_STEP(BPF_JMP | BPF_JEQ, SC_VH, 0, 2),
		            SC_LDL, SC_STEP(BPF_JMP | BPF_JEQ, SC_VL, SC_F, 0) },
		[SC_MASKED_EQ] = { SC_LDH, SC_STEP(BPF_ALU | BPF_AND | BPF_K, SC_VH, 0, 0), SC_STEP(BPF_JMP | BPF_JEQ, SC_WH, 0, SC_F),
		                   SC_LDL, SC_STEP(BPF_ALU | BPF_AND | BPF_K, SC_VL, 0, 0), SC_STEP(BPF_JMP | BPF_JEQ, SC_WL, 0, SC_F) },
		[SC_GT] = { SC_LDH, SC_STEP(BPF_JMP | BPF_JGT, SC_VH, 3, 0), SC_STEP(BPF_JMP | BPF_JEQ, SC_VH, 0, SC_F),
		            SC_LDL, SC_STEP(BPF_JMP | BPF_JGT, SC_VL, 0, SC_F) },
		[SC_GE] = { SC_LDH, SC_STEP(BPF_JMP | BPF_JGT, SC_VH, 3, 0), SC_STEP(BPF_JMP | BPF_JEQ, SC_VH, 0, SC_F),
		            SC_LDL, SC_STEP(BPF_JMP | BPF_JGE, SC_VL, 0, SC_F) },
		[SC_LT] = { SC_LDH, SC_STEP(BPF_JMP | BPF_JGT, SC_VH, SC_F, 0), SC_STEP(BPF_JMP | BPF_JEQ, SC_VH, 0, 2),
		            SC_LDL, SC_STEP(BPF_JMP | BPF_JGE, SC_VL, SC_F, 0) },
		[SC_LE] = { SC_LDH, SC_STEP(BPF_JMP | BPF_JGT, SC_VH, SC_F, 0), SC_STEP(BPF_JMP | BPF_JEQ, SC_VH, 0, 2),
		            SC_LDL, SC_STEP(BPF_JMP | BPF_JGT, SC_VL, SC_F, 0) },
	};
	const uint32_t half[] = { (uint32_t)(c->value >> 32), (uint32_t)c->value,
	                          (uint32_t)(c->value2 >> 32), (uint32_t)c->value2 };
	int i, k, jt, jf;

	for (i = 0; i < sc_cond_len[c->op]; i++) {
		k = prog[c->op][i][1] & 3, jt = prog[c->op][i][1] >> 2 & 7, jf = prog[c->op][i][1] >> 5;
		emit(o, prog[c->op][i][0], prog[c->op][i][0] == (BPF_LD | BPF_W | BPF_ABS) ? SC_ARG(c->index, !k) : half[k],
		     jt == SC_F ? SC_FAIL : (size_t)jt, jf == SC_F ? SC_FAIL : (size_t)jf);
	}
}

/* The kernel's ranking of actions (SECCOMP_RET_KILL_PROCESS first): lower
 * is more restrictive. */
static int32_t sc_rank(uint32_t action)
{
	return (int32_t)(action & SECCOMP_RET_ACTION_FULL);
}

/* The last argument rule R tests, -1 for none. */
static int sc_last_arg(const struct seccomp_profile *p, const struct sc_rule *r)
{
	int k, last = -1;

	for (k = 0; k < r->ncond; k++)
		last = p->cond[r->cond + k].index > last ? p->cond[r->cond + k].index : last;
	return last;
}

/* Whether rule A is tried after rule B: by syscall; of one syscall's
 * conditional rules that both hold, libseccomp's decision tree lets the
 * one testing a later argument decide (as runc shows), so those first;
 * then the more restrictive action. */
static int sc_after(const struct seccomp_profile *p, const struct sc_rule *a, const struct sc_rule *b)
{
	int la = sc_last_arg(p, a), lb = sc_last_arg(p, b);

	if (a->nr != b->nr)
		return a->nr > b->nr;
	return la != lb ? la < lb : sc_rank(a->action) > sc_rank(b->action);
}

/* One syscall's rules in that order: each rule's conditions (ANDed) then
 * its action; rules are ORed. A syscall whose rules all fail gets the
 * default action. */
static void sc_emit_syscall(struct bpf_out *o, const struct seccomp_profile *p, const uint16_t *order, int n)
{
	size_t at = o->n, body, fail;
	int i, k, open = 1;

	emit(o, BPF_JMP | BPF_JEQ | BPF_K, p->rule[order[0]].nr, 0, 0);
	for (i = 0; i < n && open; i++) {
		const struct sc_rule *r = &p->rule[order[i]];

		for (fail = o->n + 1, k = 0; k < r->ncond; k++)
			fail += sc_cond_len[p->cond[r->cond + k].op];
		for (k = 0; k < r->ncond; k++)
			sc_emit_cond(o, &p->cond[r->cond + k], fail);
		emit(o, BPF_RET | BPF_K, r->action, 0, 0);
		open = r->ncond > 0;
	}
	if (open)
		emit(o, BPF_RET | BPF_K, p->def, 0, 0);
	body = o->n - at - 1;
	if (body <= 255) {
		if (at < o->max)
			o->f[at].jf = (uint8_t)body;
		return;
	}
	/* too far for a conditional jump: jump over a BPF_JA */
	if (o->n < o->max)
		memmove(&o->f[at + 2], &o->f[at + 1], body * sizeof(*o->f));
	o->n++;
	if (at + 1 < o->max) {
		o->f[at] = BPF_JUMP_(BPF_JMP | BPF_JEQ | BPF_K, p->rule[order[0]].nr, 1, 0);
		o->f[at + 1] = BPF_STMT_(BPF_JMP | BPF_JA, (uint32_t)body);
	}
}

/* Compile P into F (room for MAX instructions): a foreign architecture is
 * killed (libseccomp's default for an architecture not in the filter),
 * the x32 ABI gets ENOSYS (its syscalls are not in the table), with a
 * default action that denies, syscalls above the highest the profile names
 * get ENOSYS (newer than the profile: libcs fall back, as under runc),
 * then one JEQ per syscall named. Returns the length, or -1 when it
 * exceeds MAX (BPF_MAXINSNS for the kernel). */
static int seccomp_compile(const struct seccomp_profile *p, struct sock_filter *f, size_t max)
{
	static uint16_t order[MAX_SC_RULES];
	struct bpf_out o = { f, 0, max };
	const struct sc_rule *r = p->rule;
	int i, j;
	int32_t def = sc_rank(p->def);

	for (i = 0; i < p->nrules; i++) { /* a stable insertion sort */
		for (j = i; j > 0 && sc_after(p, &r[order[j - 1]], &r[i]); j--)
			order[j] = order[j - 1];
		order[j] = (uint16_t)i;
	}
	SC_LD(&o, offsetof(struct seccomp_data, arch));
	emit(&o, BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0);
	emit(&o, BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS, 0, 0);
	SC_LD(&o, offsetof(struct seccomp_data, nr));
	emit(&o, BPF_JMP | BPF_JGE | BPF_K, 0x40000000, 0, 1);
	emit(&o, BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS, 0, 0);
	if (p->top > 0 && def != sc_rank(SECCOMP_RET_ALLOW) && def != sc_rank(SECCOMP_RET_LOG)) {
		emit(&o, BPF_JMP | BPF_JGT | BPF_K, (uint32_t)(p->top - 1), 0, 1);
		emit(&o, BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS, 0, 0);
	}
	for (i = 0; i < p->nrules; i = j) {
		for (j = i + 1; j < p->nrules && r[order[j]].nr == r[order[i]].nr; j++)
			;
		sc_emit_syscall(&o, p, order + i, j - i);
	}
	emit(&o, BPF_RET | BPF_K, p->def, 0, 0);
	return o.n > max ? -1 : (int)o.n;
}

/* Install profile P (with no_new_privs set, or holding CAP_SYS_ADMIN). */
static void install_profile(const struct seccomp_profile *p)
{
	static struct sock_filter f[BPF_MAXINSNS];
	struct sock_fprog prog;
	int n = seccomp_compile(p, f, LEN(f));

	if (n < 0)
		die(EXIT_SETUP, "seccomp: the profile needs more than %d BPF instructions", BPF_MAXINSNS);
	prog.len = (unsigned short)n;
	prog.filter = f;
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, p->flags, &prog) < 0)
		die(EXIT_SETUP, "install the seccomp profile:");
}

/* The unsigned 64-bit integer T (seccomp argument values reach 2^64-1,
 * past json_int's range); 0 or -1. */
static int json_u64(const struct json *j, int t, uint64_t *out)
{
	char buf[24], *end;

	if (json_digits(j, t, buf) < 0 || buf[0] == '-')
		return -1;
	*out = strtoull(buf, &end, 10);
	return errno || *end ? -1 : 0;
}

/* Where in config.json a message of the profile points (one copy each). */
static const char sc_where[] = "config.json: linux.seccomp", sc_syscalls[] = "config.json: linux.seccomp.syscalls[]",
                  sc_args[] = "config.json: linux.seccomp.syscalls[].args[]";

/* Refuse a key of object OBJ that is not in KEYS (json_unknown). */
static void json_known(const struct json *j, int obj, const char *where, const char *keys)
{
	char key[64];

	if (json_unknown(j, obj, keys, key))
		die(1, "%s: unknown field '%s'", where, key);
}

/* One argument condition {index, value, valueTwo, op} into P's pool. */
static void map_seccomp_arg(const struct json *j, int t, struct seccomp_profile *p)
{
	struct sc_cond *c = &p->cond[p->nconds];
	long long index;
	char op[32];
	int v2 = json_get(j, t, "valueTwo");

	if (j->tok[t].type != JSON_OBJECT)
		die(1, "%s: not an object", sc_args);
	json_known(j, t, sc_args, " index value valueTwo op ");
	if (p->nconds == MAX_SC_CONDS)
		die(1, "%s: more than %d argument conditions", sc_where, MAX_SC_CONDS);
	if (json_int(j, json_get(j, t, "index"), 0, 5, &index) < 0)
		die(1, "%s.index: an integer from 0 to 5 is required", sc_args);
	if (json_u64(j, json_get(j, t, "value"), &c->value) < 0)
		die(1, "%s.value: an unsigned 64-bit integer is required", sc_args);
	c->value2 = 0;
	if (v2 >= 0 && json_u64(j, v2, &c->value2) < 0)
		die(1, "%s.valueTwo: not an unsigned 64-bit integer", sc_args);
	if (json_str(j, json_get(j, t, "op"), op, sizeof(op)) < 0 || seccomp_op(op) < 0)
		die(1, "%s.op: not one of SCMP_CMP_NE, _LT, _LE, _EQ, _GE, _GT, _MASKED_EQ", sc_args);
	c->index = (uint8_t)index;
	c->op = (uint8_t)seccomp_op(op);
	p->nconds++;
}

/* The action of object T ("action" and "errnoRet", or "defaultAction" and
 * "defaultErrnoRet"). */
static uint32_t map_seccomp_action(const struct json *j, int t, const char *akey, const char *ekey)
{
	char name[32];
	const char *why;
	long long e = -1;
	int et = json_get(j, t, ekey);
	uint32_t action = 0;

	if (json_str(j, json_get(j, t, akey), name, sizeof(name)) < 0)
		die(1, "%s: %s: a string is required", sc_where, akey);
	if (et >= 0 && json_int(j, et, 0, SECCOMP_RET_DATA, &e) < 0)
		die(1, "%s: %s: an integer from 0 to %d is required", sc_where, ekey, SECCOMP_RET_DATA);
	if ((why = seccomp_action(name, (long)e, &action)))
		die(1, "%s: %s %s: %s", sc_where, akey, name, why);
	return action;
}

/* One entry of linux.seccomp.syscalls: its names, each a rule with the
 * entry's action and conditions; names this architecture lacks are skipped. */
static void map_seccomp_syscall(const struct json *j, int t, struct seccomp_profile *p)
{
	int names = json_get(j, t, "names"), args = json_get(j, t, "args"), cond = p->nconds, e, i;
	uint32_t action;
	char name[64];

	if (j->tok[t].type != JSON_OBJECT)
		die(1, "%s: not an object", sc_syscalls);
	json_known(j, t, sc_syscalls, " names action errnoRet args ");
	action = map_seccomp_action(j, t, "action", "errnoRet");
	if (names < 0 || j->tok[names].type != JSON_ARRAY)
		die(1, "%s.names: an array of strings is required", sc_syscalls);
	if (args >= 0 && j->tok[args].type != JSON_ARRAY && j->tok[args].type != JSON_NULL)
		die(1, "%s.args: not an array", sc_syscalls);
	if (args >= 0 && j->tok[args].type == JSON_ARRAY) {
		if (j->tok[args].size > 6)
			die(1, "%s.args: more than 6 conditions", sc_syscalls);
		JSON_EACH(j, args, e, i)
			map_seccomp_arg(j, e, p);
	}
	JSON_EACH(j, names, e, i) {
		if (json_str(j, e, name, sizeof(name)) < 0)
			die(1, "%s.names: a syscall name is required", sc_syscalls);
		if (seccomp_add(p, name, action, cond, p->nconds - cond) < 0)
			die(1, "%s: more than %d syscall rules", sc_where, MAX_SC_RULES);
	}
}

/* linux.seccomp (object T, -1 when absent: no filter, as runc) into P:
 * refused with one line when it asks for what cannot be done here (a
 * listener, an unknown action, operator or flag) or when it does not fit
 * the kernel's BPF_MAXINSNS. architectures only names what libseccomp
 * would add filters for: x86_64 is compiled, the i386 and x32 ABIs are
 * refused (seccomp_compile). */
__attribute__((unused)) static void map_seccomp(const struct json *j, int t, struct seccomp_profile *p)
{
	static struct sock_filter f[BPF_MAXINSNS];
	int arches = json_get(j, t, "architectures"), flags = json_get(j, t, "flags");
	int sys = json_get(j, t, "syscalls"), listener = json_get(j, t, "listenerPath"), e, i;
	char name[64] = "";
	unsigned flag;

	memset(p, 0, sizeof(*p));
	p->set = 1;
	if (t < 0 || j->tok[t].type == JSON_NULL) {
		p->none = 1;
		return;
	}
	if (j->tok[t].type != JSON_OBJECT)
		die(1, "%s: not an object", sc_where);
	json_known(j, t, sc_where, " defaultAction defaultErrnoRet architectures flags listenerPath listenerMetadata syscalls ");
	if (listener >= 0 && !json_is(j, listener, ""))
		die(1, "%s.listenerPath: a seccomp agent (SCMP_ACT_NOTIFY) is not supported", sc_where);
	p->def = map_seccomp_action(j, t, "defaultAction", "defaultErrnoRet");
	if (arches >= 0 && j->tok[arches].type != JSON_NULL) {
		if (j->tok[arches].type != JSON_ARRAY)
			die(1, "%s.architectures: not an array", sc_where);
		JSON_EACH(j, arches, e, i)
			if (json_str(j, e, name, sizeof(name)) < 0 || strncmp(name, "SCMP_ARCH_", 10))
				die(1, "%s.architectures: SCMP_ARCH_ names are required", sc_where);
	}
	if (flags >= 0 && j->tok[flags].type != JSON_NULL) {
		if (j->tok[flags].type != JSON_ARRAY)
			die(1, "%s.flags: not an array", sc_where);
		JSON_EACH(j, flags, e, i) {
			if (json_str(j, e, name, sizeof(name)) < 0 || !(flag = seccomp_flag(name)))
				die(1, "%s.flags: '%s' is not supported", sc_where, name);
			p->flags |= flag;
		}
	}
	if (sys >= 0 && j->tok[sys].type != JSON_NULL) {
		if (j->tok[sys].type != JSON_ARRAY)
			die(1, "%s.syscalls: not an array", sc_where);
		JSON_EACH(j, sys, e, i)
			map_seccomp_syscall(j, e, p);
	}
	if (seccomp_compile(p, f, LEN(f)) < 0)
		die(1, "%s: the profile needs more than %d BPF instructions", sc_where, BPF_MAXINSNS);
}
#endif

/* ---------- capabilities, no_new_privs, seccomp ---------- */

#if WITH_CAPS
#include <cap-ng.h>

/* libcap-ng reports a failed capng_apply() through syslog(3). There is no
 * syslog daemon in an initramfs or a container, and musl's syslog() with
 * its time formatting would be a tenth of this binary: say it on stderr. */
void syslog(int priority, const char *fmt, ...)
{
	va_list ap;

	(void)priority;
	va_start(ap, fmt);
	vdprintf(STDERR_FILENO, fmt, ap);
	va_end(ap);
	dprintf(STDERR_FILENO, "\n");
}

/* libcap-ng reads the bounding and ambient sets from /proc/PID/status with
 * sscanf(buf, "CapBnd:  %08x%08x", ...), on paths this program never
 * takes (it applies the permitted and effective sets only), yet they are
 * linked. musl's scanf, with its float parsing, would be a twentieth of
 * this binary: here is a scanf of literal text, white space and
 * hexadecimal fields ("%x", "%08x") only. Any other conversion ends the
 * scan, as a mismatch does; the result is the fields assigned. */
int sscanf(const char *s, const char *fmt, ...)
{
	unsigned width, digit, *out;
	va_list ap;
	int n = 0;

	va_start(ap, fmt);
	for (; *fmt; fmt++) {
		if (isspace((unsigned char)*fmt)) {
			while (isspace((unsigned char)*s))
				s++;
		} else if (*fmt != '%') {
			if (*s++ != *fmt)
				break;
		} else {
			for (width = 0; isdigit((unsigned char)*++fmt);)
				width = width * 10 + (unsigned)(*fmt - '0');
			if (*fmt != 'x' || !isxdigit((unsigned char)*s))
				break;
			out = va_arg(ap, unsigned *);
			for (*out = 0, width = width ? width : UINT_MAX; isxdigit((unsigned char)*s) && width--; s++) {
				digit = isdigit((unsigned char)*s) ? (unsigned)(*s - '0') : (unsigned)((*s | 32) - 'a' + 10);
				*out = *out * 16 + digit;
			}
			n++;
		}
	}
	va_end(ap);
	return n;
}

/* Permitted and effective sets: CAPS, inheritable: none. */
static void set_capabilities(uint64_t caps)
{
	size_t i;

	capng_clear(CAPNG_SELECT_CAPS);
	for (i = 0; i < LEN(cap_names); i++)
		if (caps & (UINT64_C(1) << i))
			capng_update(CAPNG_ADD, CAPNG_EFFECTIVE | CAPNG_PERMITTED, i);
	if (capng_apply(CAPNG_SELECT_CAPS) < 0)
		die(EXIT_SETUP, "apply capabilities:");
}
#else
static void set_capabilities(uint64_t caps)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[2] = { { 0 } };

	data[0].effective = data[0].permitted = (uint32_t)caps;
	data[1].effective = data[1].permitted = (uint32_t)(caps >> 32);
	if (syscall(SYS_capset, &hdr, data) < 0)
		die(EXIT_SETUP, "set capabilities:");
}
#endif

/* Keep exactly CAPS in the bounding, permitted and effective sets; clear
 * inheritable and ambient. A non-root user loses permitted and effective
 * in setresuid(), as the kernel does without keepcaps. The bounding and
 * ambient sets are prctl's work: libcap-ng's capng_apply() of the bounding
 * set reads /proc/self/status three times, a twentieth of a start. */
static void apply_caps(uint64_t caps, uid_t uid, gid_t gid, int userns)
{
	unsigned long i;

	for (i = 0; i < 64; i++)
		if (!(caps & (UINT64_C(1) << i)) && prctl(PR_CAPBSET_DROP, i, 0, 0, 0) < 0 && errno != EINVAL)
			die(EXIT_SETUP, "drop capability %lu from the bounding set:", i);
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL)
		die(EXIT_SETUP, "clear the ambient capabilities:");
	if ((!userns && setgroups(0, NULL) < 0) || setresgid(gid, gid, gid) < 0)
		die(EXIT_SETUP, "set group %u:", (unsigned)gid);
	if (uid != 0) {
		if (setresuid(uid, uid, uid) < 0)
			die(EXIT_SETUP, "set user %u:", (unsigned)uid);
		return;
	}
	set_capabilities(caps);
}

#if WITH_SECCOMP
/* Syscalls Docker's default profile denies to a container without
 * CAP_SYS_ADMIN and friends; they fail with EPERM. */
static const int denied_syscalls[] = {
	SYS_kexec_load, SYS_kexec_file_load, SYS_init_module, SYS_finit_module,
	SYS_delete_module, SYS_reboot, SYS_bpf, SYS_perf_event_open, SYS_keyctl,
	SYS_add_key, SYS_request_key, SYS_open_by_handle_at, SYS_swapon,
	SYS_swapoff, SYS_acct, SYS_settimeofday, SYS_clock_settime,
	SYS_clock_adjtime, SYS_adjtimex, SYS_iopl, SYS_ioperm, SYS_userfaultfd,
	SYS_lookup_dcookie, SYS_quotactl, SYS_nfsservctl, SYS_uselib,
	SYS_vhangup, SYS_mount, SYS_umount2, SYS_pivot_root,
	SYS_fsopen, SYS_fsconfig, SYS_fsmount, SYS_fspick, SYS_open_tree,
	SYS_move_mount, SYS_mount_setattr, SYS_setns, SYS_syslog,
	SYS_get_mempolicy, SYS_set_mempolicy, SYS_mbind, SYS_move_pages,
	SYS_kcmp,
};

#define SC_ERRNO  (SECCOMP_RET_ERRNO | (EPERM & SECCOMP_RET_DATA))

/* A plain BPF filter: wrong architecture is killed, x32 is refused, the
 * syscalls above, the TIOCSTI and TIOCLINUX ioctls (input pushed into a
 * terminal) and unshare/clone of a user namespace get EPERM, clone3 gets
 * ENOSYS (its flags are out of reach) so libcs fall back to clone. */
static void apply_seccomp(void)
{
	struct sock_filter f[2 * LEN(denied_syscalls) + 24];
	struct sock_fprog prog;
	size_t i, n = 0;

	f[n++] = BPF_STMT_(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch));
	f[n++] = BPF_JUMP_(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0);
	f[n++] = BPF_STMT_(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS);
	f[n++] = BPF_STMT_(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr));
	f[n++] = BPF_JUMP_(BPF_JMP | BPF_JGE | BPF_K, 0x40000000, 0, 1);
	f[n++] = BPF_STMT_(BPF_RET | BPF_K, SC_ERRNO);
	for (i = 0; i < LEN(denied_syscalls); i++) {
		f[n++] = BPF_JUMP_(BPF_JMP | BPF_JEQ | BPF_K, denied_syscalls[i], 0, 1);
		f[n++] = BPF_STMT_(BPF_RET | BPF_K, SC_ERRNO);
	}
	f[n++] = BPF_JUMP_(BPF_JMP | BPF_JEQ | BPF_K, SYS_ioctl, 0, 4);
	f[n++] = BPF_STMT_(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[1]));
	f[n++] = BPF_JUMP_(BPF_JMP | BPF_JEQ | BPF_K, TIOCSTI, 1, 0);
	f[n++] = BPF_JUMP_(BPF_JMP | BPF_JEQ | BPF_K, TIOCLINUX, 0, 8);
	f[n++] = BPF_STMT_(BPF_RET | BPF_K, SC_ERRNO);
	f[n++] = BPF_JUMP_(BPF_JMP | BPF_JEQ | BPF_K, SYS_clone3, 0, 1);
	f[n++] = BPF_STMT_(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS);
	f[n++] = BPF_JUMP_(BPF_JMP | BPF_JEQ | BPF_K, SYS_unshare, 1, 0);
	f[n++] = BPF_JUMP_(BPF_JMP | BPF_JEQ | BPF_K, SYS_clone, 0, 3);
	f[n++] = BPF_STMT_(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[0]));
	f[n++] = BPF_JUMP_(BPF_JMP | BPF_JSET | BPF_K, CLONE_NEWUSER, 0, 1);
	f[n++] = BPF_STMT_(BPF_RET | BPF_K, SC_ERRNO);
	f[n++] = BPF_STMT_(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	prog.len = (unsigned short)n;
	prog.filter = f;
	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0) < 0)
		die(EXIT_SETUP, "install the seccomp filter:");
}
#endif

/* Privileges last, just before exec: ids and capabilities, no_new_privs,
 * then the syscall filter. */
static void drop_privileges(const struct config *c)
{
	uint64_t caps = c->caps;
	size_t i;

	/* Nothing beyond what we hold ourselves (--cap-add ALL) */
	for (i = 0; i < LEN(cap_names); i++)
		if (prctl(PR_CAPBSET_READ, i, 0, 0, 0) != 1)
			caps &= ~(UINT64_C(1) << i);
#if WITH_OCI
	/* without no_new_privs a filter needs CAP_SYS_ADMIN: before the
	 * capabilities go, as runc orders it */
	if (oci_profile.set && !oci_profile.none && c->new_privs)
		install_profile(&oci_profile);
#endif
	apply_caps(caps, c->uid, c->gid, c->userns || IS_OCI(c));  /* OCI: additionalGids set */
	if (!(WITH_OCI && c->new_privs) && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		die(EXIT_SETUP, "set no_new_privs:");
#if WITH_OCI
	/* config.json's profile, last, replaces the built-in filter */
	if (oci_profile.set) {
		if (!oci_profile.none && !c->new_privs)
			install_profile(&oci_profile);
		return;
	}
#endif
#if WITH_SECCOMP
	apply_seccomp();
#endif
}

/* ---------- block devices: superblock probe, loop devices ---------- */

struct probe { char type[16], label[256], uuid[40]; };

#define PROBE_SIZE (65536 + 4096)

static uint32_t le32(const unsigned char *p) { return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24; }

static void format_uuid(const unsigned char *u, char *out)
{
	static const char hex[] = "0123456789abcdef";
	int i;

	for (i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			*out++ = '-';
		*out++ = hex[u[i] >> 4];
		*out++ = hex[u[i] & 15];
	}
	*out = '\0';
}

static void copy_label(char *dst, const unsigned char *src, size_t n)
{
	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* Identify a filesystem from its first PROBE_SIZE bytes (N may be less).
 * Returns 0 and fills P, or -1 when nothing is recognized. */
static int probe_buffer(const unsigned char *b, size_t n, struct probe *p)
{
	memset(p, 0, sizeof(*p));
	if (n >= 4 && !memcmp(b, "hsqs", 4)) {
		strcpy(p->type, "squashfs");
	} else if (n >= 1024 + 80 && le32(b + 1024) == 0xE0F5E1E2) {
		strcpy(p->type, "erofs");
		format_uuid(b + 1024 + 48, p->uuid);
		copy_label(p->label, b + 1024 + 64, 16);
	} else if (n >= 65536 + 0x12b + 256 && !memcmp(b + 65536 + 64, "_BHRfS_M", 8)) {
		strcpy(p->type, "btrfs");
		format_uuid(b + 65536 + 32, p->uuid);
		copy_label(p->label, b + 65536 + 0x12b, 255);
	} else if (n >= 120 && !memcmp(b, "XFSB", 4)) {
		strcpy(p->type, "xfs");
		format_uuid(b + 32, p->uuid);
		copy_label(p->label, b + 108, 12);
	} else if (n >= 1024 + 136 && b[1024 + 56] == 0x53 && b[1024 + 57] == 0xEF &&
	           le32(b + 1024 + 24) <= 6) {  /* two magic bytes, and a sane block size */
		strcpy(p->type, "ext4");
		format_uuid(b + 1024 + 104, p->uuid);
		copy_label(p->label, b + 1024 + 120, 16);
	} else {
		return -1;
	}
	return 0;
}

static int probe_path(const char *path, struct probe *p)
{
	static unsigned char buf[PROBE_SIZE];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	n = pread(fd, buf, sizeof(buf), 0);
	close(fd);
	return n < 0 ? -1 : probe_buffer(buf, (size_t)n, p);
}

#if WITH_INIT || WITH_PROBE
/* A device spec that names a filesystem or a GPT partition, not a path. */
static int id_spec(const char *spec)
{
	return !strncmp(spec, "LABEL=", 6) || !strncmp(spec, "UUID=", 5) ||
	       !strncmp(spec, "PARTLABEL=", 10) || !strncmp(spec, "PARTUUID=", 9);
}
#endif

#if WITH_PROBE
static uint64_t le64(const unsigned char *p) { return le32(p) | (uint64_t)le32(p + 4) << 32; }

/* The GPT entry of partition NAME (a /sys/class/block entry): its name
 * (UTF-16 to ASCII, '?' for the rest) and unique GUID as PARTUUID prints
 * it. Read from the disk itself: squashfs has no label, and there is no
 * udev in an initramfs. -1 when NAME is no GPT partition. */
static int gpt_entry(const char *name, char *label, size_t lsize, char *uuid)
{
	char path[PATH_MAX], disk[PATH_MAX], text[32], *slash;
	unsigned char h[92], e[128], guid[16];
	long part, sector = 512;
	size_t i;
	int fd, rc = -1;

	if (fmt_path(path, sizeof(path), "/sys/class/block/%s/partition", name) < 0 ||
	    read_file(path, text, sizeof(text)) <= 0 ||
	    (text[strcspn(text, "\n")] = '\0', parse_long(text, 1, 1 << 16, &part) < 0) ||
	    fmt_path(path, sizeof(path), "/sys/class/block/%s", name) < 0 ||
	    !realpath(path, disk) || !(slash = strrchr(disk, '/')))
		return -1;
	*slash = '\0';  /* .../vda/vda1: the disk is the parent */
	if (fmt_path(path, sizeof(path), "%s/queue/logical_block_size", disk) == 0 &&
	    read_file(path, text, sizeof(text)) > 0)
		sector = atol(text) >= 512 ? atol(text) : 512;
	if (fmt_path(path, sizeof(path), "/dev/%s", strrchr(disk, '/') + 1) < 0 ||
	    (fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	if (pread(fd, h, sizeof(h), sector) == (ssize_t)sizeof(h) && !memcmp(h, "EFI PART", 8) &&
	    (uint32_t)part <= le32(h + 80) && le32(h + 84) >= sizeof(e) &&
	    pread(fd, e, sizeof(e), (off_t)(le64(h + 72) * sector + (part - 1) * le32(h + 84))) == (ssize_t)sizeof(e)) {
		/* the first three GUID fields are little-endian */
		static const unsigned char order[16] = { 3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15 };
		for (i = 0; i < 16; i++)
			guid[i] = e[16 + order[i]];
		format_uuid(guid, uuid);
		for (i = 0; i < 36 && i < lsize - 1 && (e[56 + 2 * i] || e[57 + 2 * i]); i++)
			label[i] = e[57 + 2 * i] || e[56 + 2 * i] >= 0x7f ? '?' : (char)e[56 + 2 * i];
		label[i] = '\0';
		rc = 0;
	}
	close(fd);
	return rc;
}

/* The /dev path of the block device whose label or UUID (LABEL=, UUID=)
 * or GPT partition name or GUID (PARTLABEL=, PARTUUID=) matches. */
struct id_search { const char *spec; char *dev; size_t size; };

static int device_matches(int dirfd, const char *name, void *arg)
{
	struct id_search *q = arg;
	int part = !strncmp(q->spec, "PART", 4);
	const char *s = q->spec + (part ? 4 : 0);
	int by_label = !strncmp(s, "LABEL=", 6);
	const char *want = s + (by_label ? 6 : 5);
	struct probe p;

	(void)dirfd;
	if (fmt_path(q->dev, q->size, "/dev/%s", name) < 0 ||
	    (part ? gpt_entry(name, p.label, sizeof(p.label), p.uuid) : probe_path(q->dev, &p)) < 0)
		return 0;
	return by_label ? !strcmp(p.label, want) : !strcasecmp(p.uuid, want);
}

static int find_by_id(const char *spec, char *dev, size_t size)
{
	struct id_search q = { spec, dev, size };

	return each_entry(AT_FDCWD, "/sys/class/block", device_matches, &q) == 1 ? 0 : -1;
}
#endif

#if WITH_INIT
/* Resolve a device SPEC (a path, LABEL=, UUID=, PARTLABEL=, PARTUUID=)
 * into DEV, waiting up to WAIT seconds for it to appear. */
static int find_device(const char *spec, char *dev, size_t size, int wait)
{
	long long end = now_ms() + wait * 1000LL;
	int by_id = WITH_PROBE && id_spec(spec);

	for (;;) {
#if WITH_PROBE
		if (by_id && find_by_id(spec, dev, size) == 0)
			return 0;
#endif
		if (!by_id && access(spec, F_OK) == 0)
			return fmt_path(dev, size, "%s", spec);
		if (now_ms() >= end)
			return errno = ENOENT, -1;
		sleep_ms(50);
	}
}
#endif

#if WITH_LOOP
/* Attach FILE read-only to a free loop device; returns its fd (keep it
 * open until the mount holds the device; autoclear frees it after). */
static int loop_attach(const char *file, char *dev, size_t size)
{
	struct loop_config lc = { .info.lo_flags = LO_FLAGS_READ_ONLY | LO_FLAGS_AUTOCLEAR };
	int ctl, fd, nr, tries, file_fd = open(file, O_RDONLY | O_CLOEXEC);

	ctl = open("/dev/loop-control", O_RDWR | O_CLOEXEC);
	if (file_fd < 0 || ctl < 0)
		die(EXIT_SETUP, "loop device for %s:", file);
	lc.fd = (uint32_t)file_fd;
	for (tries = 0; tries < 16; tries++) {
		if ((nr = ioctl(ctl, LOOP_CTL_GET_FREE)) < 0)
			die(EXIT_SETUP, "find a free loop device:");
		must_path(dev, size, "/dev/loop%d", nr);
		if ((fd = open(dev, O_RDONLY | O_CLOEXEC)) < 0)
			die(EXIT_SETUP, "open %s:", dev);
		if (ioctl(fd, LOOP_CONFIGURE, &lc) == 0)
			break;
		if (errno == EINVAL || errno == ENOTTY) {
			if (ioctl(fd, LOOP_SET_FD, file_fd) == 0 && ioctl(fd, LOOP_SET_STATUS64, &lc.info) == 0)
				break;
		}
		if (errno != EBUSY)
			die(EXIT_SETUP, "attach %s to %s:", file, dev);
		close(fd);
	}
	/* each free device was taken by someone else first: the fd is closed */
	if (tries == 16)
		die(EXIT_SETUP, "attach %s: the free loop devices stay busy", file);
	close(ctl);
	close(file_fd);
	return fd;
}
#endif

/* Mount SOURCE (an image file or a block device) read-only at TARGET. */
static void mount_image(const char *source, const char *target)
{
	static const char *const types[] = { "squashfs", "erofs", "ext4", "btrfs", "xfs" };
	char dev[PATH_MAX];
	struct probe p;
	struct stat st;
	int loopfd = -1;
	size_t i;

	if (stat(source, &st) < 0)
		die(EXIT_SETUP, "rootfs %s:", source);
	must_path(dev, sizeof(dev), "%s", source);
	if (S_ISREG(st.st_mode)) {
#if WITH_LOOP
		loopfd = loop_attach(source, dev, sizeof(dev));
#else
		die(EXIT_SETUP, "rootfs %s: image files need WITH_LOOP", source);
#endif
	}
	if (mkdir_p(target, 0755) < 0)
		die(EXIT_SETUP, "mkdir %s:", target);
	/* The probed type first; the usual ones if that does not mount. */
	if (probe_path(dev, &p) < 0 || mount(dev, target, p.type, MS_RDONLY, NULL) < 0) {
		for (i = 0; i < LEN(types); i++)
			if (mount(dev, target, types[i], MS_RDONLY, NULL) == 0)
				break;
		if (i == LEN(types))
			die(EXIT_SETUP, "rootfs %s: no known filesystem found", source);
	}
	if (loopfd >= 0)
		close(loopfd);
}

/* ---------- kernel modules ---------- */

#if WITH_MODULES
/* Is the module of modules.dep path PATH loaded already? */
static int module_loaded(const char *path)
{
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	char sys[PATH_MAX], *p;

	if (fmt_path(sys, sizeof(sys), "/sys/module/%.*s", (int)strcspn(base, "."), base) < 0)
		return 0;
	for (p = sys + 12; *p; p++)
		if (*p == '-')
			*p = '_';
	return access(sys, F_OK) == 0;
}

static void load_module_file(const char *dir, const char *path)
{
	char full[PATH_MAX];
	const char *ext = strrchr(path, '.');
	int flags = ext && strcmp(ext, ".ko") ? MODULE_INIT_COMPRESSED_FILE : 0;
	int fd;

	if (module_loaded(path))
		return;
	must_path(full, sizeof(full), "%s/%s", dir, path);
	if ((fd = open(full, O_RDONLY | O_CLOEXEC)) < 0)
		die(EXIT_SETUP, "module %s:", full);
	if (syscall(SYS_finit_module, fd, "", flags) < 0 && errno != EEXIST)
		die(EXIT_SETUP, "load module %s:", full);
	close(fd);
	debug("loaded %s", path);
}

/* Does the modules.dep path P name module NAME? ('-' and '_' are one.) */
static int module_matches(const char *p, size_t len, const char *name)
{
	const char *base = p, *q;
	size_t i, n = strlen(name);

	for (q = p; q < p + len; q++)
		if (*q == '/')
			base = q + 1;
	if ((size_t)(p + len - base) < n + 3 || strncmp(base + n, ".ko", 3))
		return 0;
	for (i = 0; i < n; i++) {
		char a = base[i] == '-' ? '_' : base[i], b = name[i] == '-' ? '_' : name[i];
		if (a != b)
			return 0;
	}
	return 1;
}

/* In modules.dep text DEP, find the line of module NAME. Returns a pointer
 * to the line and its length through LEN, or NULL. */
static const char *modules_dep_find(const char *dep, const char *name, size_t *len)
{
	const char *line = dep, *colon, *end;

	for (; *line; line = *end ? end + 1 : end) {
		end = strchr(line, '\n');
		if (!end)
			end = line + strlen(line);
		colon = memchr(line, ':', end - line);
		if (colon && module_matches(line, colon - line, name)) {
			*len = end - line;
			return line;
		}
	}
	return NULL;
}

/* The words of NAME's line in modules.dep text DEP, cut in BUF (of SIZE):
 * the module's path, then its dependencies, into WORDS (MAX at most, the
 * last NULL). Returns how many, or -1 when NAME has no line or its line
 * does not fit. PID 1 runs this on a file from the image: every step is
 * bounded (fuzzed in tests/fuzz/fuzz_modules_dep.c). */
static int modules_dep_words(const char *dep, const char *name, char *buf, size_t size, char **words, int max)
{
	const char *line;
	char *w, *save;
	size_t len;
	int n = 0;

	if (!(line = modules_dep_find(dep, name, &len)) || len >= size)
		return -1;
	memcpy(buf, line, len);
	buf[len] = '\0';
	*strchr(buf, ':') = ' ';  /* modules_dep_find found one in the line */
	for (w = strtok_r(buf, " \t", &save); w; w = strtok_r(NULL, " \t", &save)) {
		if (n == max - 1)
			return -1;
		words[n++] = w;
	}
	words[n] = NULL;
	return n;
}

/* Load each module of the comma-separated LIST and its dependencies, which
 * modules.dep lists in full, to be loaded from the last to the first. */
static void load_modules(const char *list)
{
	static char dep[1 << 20];
	char dir[PATH_MAX], path[PATH_MAX], line[PATH_MAX], names[1024], *name, *save, *words[64];
	struct utsname u;
	size_t len;
	int n;

	if (!*list)
		return;
	uname(&u);
	must_path(dir, sizeof(dir), "/lib/modules/%s", u.release);
	must_path(path, sizeof(path), "%s/modules.dep", dir);
	if (read_whole(path, dep, sizeof(dep)) < 0)
		die(EXIT_SETUP, "read %s:", path);
	must_path(names, sizeof(names), "%s", list);
	for (name = strtok_r(names, ",", &save); name; name = strtok_r(NULL, ",", &save)) {
		if ((n = modules_dep_words(dep, name, line, sizeof(line), words, LEN(words))) < 0)
			die(EXIT_SETUP, "module %s: %s %s", name,
			    modules_dep_find(dep, name, &len) ? "line too long in" : "not in", path);
		while (n-- > 0)
			load_module_file(dir, words[n]);
	}
}
#endif

/* ---------- root filesystem: overlay, pivot_root, mounts inside ---------- */

/* Where one container's layers and root live. */
struct layout {
	char lower[PATH_MAX];    /* directory used as lowerdir */
	char image[PATH_MAX];    /* image or device to mount at lower, or "" */
	char layer[PATH_MAX];    /* holds upper/ and work/ */
	char root[PATH_MAX];     /* overlay mount point */
};

/* The entry "upper", seen with the type getdents gave it: DT_UNKNOWN is
 * a filesystem without d_type. */
static int upper_has_dtype(int dirfd, const char *name, void *arg)
{
	(void)dirfd;
	(void)arg;
	return !strcmp(name, "upper") ? (each_type == DT_DIR ? 1 : 2) : 0;
}

/* overlayfs needs d_type and trusted xattrs on the upper filesystem; say
 * so now rather than fail at the first copy-up. */
static void check_upper(const char *layer)
{
	char work[PATH_MAX];

	if (each_entry(AT_FDCWD, layer, upper_has_dtype, NULL) != 1)
		die(EXIT_SETUP, "%s: the filesystem does not report d_type, which overlayfs needs", layer);
	must_path(work, sizeof(work), "%s/work", layer);
	if (setxattr(work, "trusted.container.probe", "1", 1, 0) < 0 && errno != EPERM)
		die(EXIT_SETUP, "%s: extended attributes, which overlayfs needs:", layer);
	removexattr(work, "trusted.container.probe");
}

static int read_only(const char *path)
{
	struct statvfs sv;

	return statvfs(path, &sv) == 0 && (sv.f_flag & ST_RDONLY);
}

static void mount_overlay(const struct layout *l, int userns)
{
	char opts[3 * PATH_MAX + 64], dir[PATH_MAX];

	if (strpbrk(l->lower, ",:") || strpbrk(l->layer, ",:"))
		die(EXIT_SETUP, "%s or %s: overlayfs paths cannot hold ',' or ':'", l->lower, l->layer);
	must_path(dir, sizeof(dir), "%s/upper", l->layer);
	if (mkdir_p(dir, 0755) < 0)
		die(EXIT_SETUP, "mkdir %s:", dir);
	must_path(dir, sizeof(dir), "%s/work", l->layer);
	if (mkdir_p(dir, 0700) < 0)
		die(EXIT_SETUP, "mkdir %s:", dir);
	if (!userns)
		check_upper(l->layer);
	must_path(opts, sizeof(opts),
	          "lowerdir=%s,upperdir=%s/upper,workdir=%s/work,index=off,metacopy=off%s",
	          l->lower, l->layer, l->layer, userns ? ",userxattr" : "");
	if (mkdir_p(l->root, 0755) < 0)
		die(EXIT_SETUP, "mkdir %s:", l->root);
	debug("overlay %s", opts);
	if (mount("overlay", l->root, "overlay", MS_NODEV, opts) == 0) {
		if (!read_only(l->root))
			return;
		umount2(l->root, MNT_DETACH);
	}
	/* A work/ left by a crash can refuse the mount, or make overlayfs
	 * fall back to read-only: empty it, try again. */
	if (remove_tree(dir) < 0 || mkdir(dir, 0700) < 0 ||
	    mount("overlay", l->root, "overlay", MS_NODEV, opts) < 0)
		die(EXIT_SETUP, "mount the overlay on %s (%s):", l->root, opts);
	if (read_only(l->root))
		die(EXIT_SETUP, "the overlay on %s came up read-only (see the kernel log)", l->root);
}

#if WITH_INIT
/* pivot_root cannot leave the initramfs (rootfs has no parent mount:
 * EINVAL). In our own mount namespace: bind / onto a directory, move that
 * mount over /, chroot into it; pivot_root works from there. */
static void leave_initramfs(void)
{
	if (mkdir("/.root", 0700) < 0 && errno != EEXIST)
		die(EXIT_SETUP, "mkdir /.root:");
	if (mount("/", "/.root", NULL, MS_BIND | MS_REC, NULL) < 0 || chdir("/.root") < 0 ||
	    mount("/.root", "/", NULL, MS_MOVE, NULL) < 0 || chroot(".") < 0 || chdir("/") < 0)
		die(EXIT_SETUP, "leave the initramfs:");
}
#endif

static int open_tree_clone(const char *path, uint64_t attrs, int recursive)
{
	struct mount_attr_ a = { .attr_set = attrs };
	int fd = (int)syscall(SYS_open_tree, AT_FDCWD, path,
	                      OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | (recursive ? AT_RECURSIVE : 0));

	if (fd < 0)
		die(EXIT_SETUP, "bind %s:", path);
	if (attrs && syscall(SYS_mount_setattr, fd, "", AT_EMPTY_PATH | (recursive ? AT_RECURSIVE : 0),
	                     &a, sizeof(a)) < 0)
		die(EXIT_SETUP, "set attributes of %s:", path);
	return fd;
}

/* Attach a detached mount FD at PATH, resolved inside the current root
 * (after pivot_root a symlink planted in the image cannot lead out). A
 * missing PATH is made: a directory, or an empty file for a file mount. */
static void attach_at(int fd, const char *path, int dir)
{
	char parent[PATH_MAX], *slash;
	int f;

	must_path(parent, sizeof(parent), "%s", path);
	if ((slash = strrchr(parent, '/')))
		*slash = '\0';
	if (slash && parent[0] && mkdir_p(parent, 0755) < 0)
		die(EXIT_SETUP, "mkdir %s:", parent);
	if (dir && mkdir(path, 0755) < 0 && errno != EEXIST)
		die(EXIT_SETUP, "mkdir %s:", path);
	if (!dir && (f = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644)) >= 0)
		close(f);
	if (syscall(SYS_move_mount, fd, "", AT_FDCWD, path, MOVE_MOUNT_F_EMPTY_PATH) < 0)
		die(EXIT_SETUP, "mount on %s:", path);
	close(fd);
}

/* A new filesystem of table entry M as a detached mount. Made before
 * pivot_root: in a user namespace the kernel allows a new proc or sysfs
 * only while the host's is still visible in the mount namespace. */
static int new_mount(const struct mount_entry *m)
{
	static const struct { unsigned long ms; unsigned attr; } attrs[] = {
		{ MS_RDONLY, MOUNT_ATTR_RDONLY }, { MS_NOSUID, MOUNT_ATTR_NOSUID },
		{ MS_NODEV, MOUNT_ATTR_NODEV }, { MS_NOEXEC, MOUNT_ATTR_NOEXEC },
		{ MS_STRICTATIME, MOUNT_ATTR_STRICTATIME },
	};
	char data[256], *opt, *val, *save;
	unsigned attr = 0;
	size_t i;
	int fs, mnt;

	if ((fs = (int)syscall(SYS_fsopen, m->type, FSOPEN_CLOEXEC)) < 0 ||
	    syscall(SYS_fsconfig, fs, FSCONFIG_SET_STRING, "source", m->src, 0) < 0)
		die(EXIT_SETUP, "mount %s on %s:", m->type, m->dst);
	must_path(data, sizeof(data), "%s", m->data ? m->data : "");
	for (opt = strtok_r(data, ",", &save); opt; opt = strtok_r(NULL, ",", &save)) {
		if ((val = strchr(opt, '=')))
			*val++ = '\0';
		if (syscall(SYS_fsconfig, fs, val ? FSCONFIG_SET_STRING : FSCONFIG_SET_FLAG, opt, val, 0) < 0)
			die(EXIT_SETUP, "mount %s on %s: option %s:", m->type, m->dst, opt);
	}
	for (i = 0; i < LEN(attrs); i++)
		if (m->flags & attrs[i].ms)
			attr |= attrs[i].attr;
	if (syscall(SYS_fsconfig, fs, FSCONFIG_CMD_CREATE, NULL, NULL, 0) < 0 ||
	    (mnt = (int)syscall(SYS_fsmount, fs, FSMOUNT_CLOEXEC, attr)) < 0)
		die(EXIT_SETUP, "mount %s on %s:", m->type, m->dst);
	close(fs);
	return mnt;
}

/* What the container's root gets after pivot_root, prepared before: its
 * kernel filesystems, device nodes and volumes, as detached mounts. */
struct carry {
	int fs[LEN(container_mounts)];
	int dev[LEN(container_devs) + 1];
	int vol[MAX_VOLUMES];
	int vol_dir[MAX_VOLUMES];
};

static void carry_in(const struct config *c, struct carry *k, int console)
{
	char path[64];
	struct stat st;
	int i;

	for (i = 0; i < (int)LEN(container_mounts); i++)
		k->fs[i] = new_mount(&container_mounts[i]);
	for (i = 0; i < (int)LEN(container_devs); i++) {
		must_path(path, sizeof(path), "/dev/%s", container_devs[i].name);
		k->dev[i] = open_tree_clone(path, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC, 0);
	}
	k->dev[i] = console ? open_tree_clone("/dev/console", MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC, 0) : -1;
	for (i = 0; i < c->nvol; i++) {
		if (stat(c->vol[i].src, &st) < 0)
			die(EXIT_SETUP, "volume %s:", c->vol[i].src);
		k->vol_dir[i] = S_ISDIR(st.st_mode);
		k->vol[i] = open_tree_clone(c->vol[i].src, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV |
		                            (c->vol[i].ro ? MOUNT_ATTR_RDONLY : 0), 1);
	}
}

static void enter_root(const char *root)
{
	if (chdir(root) < 0 || syscall(SYS_pivot_root, ".", ".") < 0)
		die(EXIT_SETUP, "pivot_root into %s:", root);
	if (umount2(".", MNT_DETACH) < 0 || chdir("/") < 0)
		die(EXIT_SETUP, "detach the old root:");
}

static void mount_table(struct carry *k)
{
	size_t i;

	for (i = 0; i < LEN(container_mounts); i++)
		attach_at(k->fs[i], container_mounts[i].dst, 1);
}

/* Cover P: a file by /dev/null, a directory by an empty read-only tmpfs.
 * Paths this kernel does not have are skipped. */
static void mask_path(const char *p)
{
	struct stat st;

	if (stat(p, &st) < 0)
		return;
	if (S_ISDIR(st.st_mode) ? mount("tmpfs", p, "tmpfs", MS_RDONLY, "size=0") < 0
	                        : mount("/dev/null", p, NULL, MS_BIND, NULL) < 0)
		die(EXIT_SETUP, "mask %s:", p);
}

static void readonly_path(const char *p)
{
	const unsigned long ro = MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC;
	struct stat st;

	if (stat(p, &st) < 0)
		return;
	if (mount(p, p, NULL, MS_BIND | MS_REC, NULL) < 0 || mount(NULL, p, NULL, ro, NULL) < 0)
		die(EXIT_SETUP, "make %s read-only:", p);
}

/* runc's defaults: masked paths are covered, read-only paths rebound
 * read-only. */
static void protect_proc(void)
{
	size_t i;

	for (i = 0; masked_paths[i]; i++)
		mask_path(masked_paths[i]);
	for (i = 0; readonly_paths[i]; i++)
		readonly_path(readonly_paths[i]);
}

static void populate_dev(struct carry *k)
{
	char path[64];
	size_t i;

	for (i = 0; i < LEN(container_devs); i++) {
		must_path(path, sizeof(path), "/dev/%s", container_devs[i].name);
		attach_at(k->dev[i], path, 0);
	}
	if (k->dev[i] >= 0)
		attach_at(k->dev[i], "/dev/console", 0);
	for (i = 0; i < LEN(container_links); i++)
		if (symlink(container_links[i].target, container_links[i].path) < 0 && errno != EEXIST)
			die(EXIT_SETUP, "symlink %s:", container_links[i].path);
}

/* Mount the container's root and enter it: overlay, pivot_root, the
 * kernel filesystems, /dev, masked paths, volumes. */
static void setup_root(const struct config *c, const struct layout *l, int machine)
{
	struct carry k;
	int i;

	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		die(EXIT_SETUP, "make / private:");
#if WITH_INIT
	if (machine)
		leave_initramfs();
#endif
	if (l->image[0])
		mount_image(l->image, l->lower);
	if (c->volatile_root && (mkdir_p(l->layer, 0755) < 0 ||
	    mount("tmpfs", l->layer, "tmpfs", MS_NOSUID | MS_NODEV, "mode=755") < 0))
		die(EXIT_SETUP, "mount tmpfs on %s:", l->layer);
	mount_overlay(l, c->userns);
	debug("overlay on %s", l->root);
	carry_in(c, &k, machine);
	enter_root(l->root);
	mount_table(&k);
	populate_dev(&k);
	protect_proc();
	debug("root ready");
	for (i = 0; i < c->nvol; i++)
		attach_at(k.vol[i], c->vol[i].dst, k.vol_dir[i]);
}

/* ---------- namespaces ---------- */

#if WITH_NETNS || WITH_MONITOR
static void loopback_up(void)
{
	struct ifreq ifr = { .ifr_name = "lo" };
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (s < 0 || ioctl(s, SIOCGIFFLAGS, &ifr) < 0)
		die(EXIT_SETUP, "find lo:");
	ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
	if (ioctl(s, SIOCSIFFLAGS, &ifr) < 0)
		die(EXIT_SETUP, "bring lo up:");
	close(s);
}
#endif

#if WITH_USERNS
/* Container root is userns_start on the host; setgroups is denied. */
static void write_id_maps(pid_t pid)
{
	static const char *const files[] = { "uid_map", "setgroups", "gid_map" };
	char path[64], map[64];
	size_t i;

	snprintf(map, sizeof(map), "0 %ld %ld\n", userns_start, userns_count);
	for (i = 0; i < LEN(files); i++) {
		must_path(path, sizeof(path), "/proc/%d/%s", (int)pid, files[i]);
		if (write_file(path, i == 1 ? "deny" : map) < 0)
			die(EXIT_SETUP, "write %s:", path);
	}
}

/* upper/ and work/ belong to the mapped root, which may only pass through
 * <persist>/<NAME> (root's, 0710): the saved config stays root's alone. */
static void chown_layer(const char *layer)
{
	static const char *const dirs[] = { "upper", "work" };
	char dir[PATH_MAX];
	size_t i;

	if (chown(layer, 0, (gid_t)userns_start) < 0 || chmod(layer, 0710) < 0)
		die(EXIT_SETUP, "chown %s:", layer);
	for (i = 0; i < LEN(dirs); i++) {
		must_path(dir, sizeof(dir), "%s/%s", layer, dirs[i]);
		if (mkdir_p(dir, 0755) < 0 || chown(dir, (uid_t)userns_start, (gid_t)userns_start) < 0)
			die(EXIT_SETUP, "chown %s:", dir);
	}
}
#endif

#if WITH_NETNS
/* Enter the network namespace at PATH (a bind mount or /proc/PID/ns/net):
 * children made now are born in it. Returns an fd of the namespace left,
 * for setns() back. For --net ns:PATH, and init mode's kept namespace. */
static int netns_join(const char *path)
{
	int old = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC), fd = open(path, O_RDONLY | O_CLOEXEC);

	if (old < 0 || fd < 0 || setns(fd, CLONE_NEWNET) < 0)
		die(EXIT_SETUP, "network namespace %s:", path);
	close(fd);
	return old;
}
#endif

static unsigned long namespace_flags(const struct config *c)
{
	unsigned long flags = CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWUTS | CLONE_NEWIPC;

	if (IS_OCI(c))
		return c->oci->ns_new;
	if (c->netns)
		flags |= CLONE_NEWNET;
	if (c->userns)
		flags |= CLONE_NEWUSER;
	return flags;
}

/* ---------- network: netlink, bridge, veth, leases ---------- */

#if WITH_BRIDGE
/* Netlink requests are built in one buffer on the stack: a header, the
 * message's fixed part, then attributes, some nested. nl_talk() sends one
 * and reads the kernel's ack: 0, or -1 with the kernel's errno. */
union nlmsg { struct nlmsghdr h; char b[512]; };

static struct nlmsghdr *nl_start(union nlmsg *m, int type, int flags, const void *fixed, size_t len)
{
	memset(m, 0, sizeof(*m));
	m->h.nlmsg_len = NLMSG_LENGTH(len);
	m->h.nlmsg_type = (unsigned short)type;
	m->h.nlmsg_flags = (unsigned short)(NLM_F_REQUEST | NLM_F_ACK | flags);
	memcpy(NLMSG_DATA(&m->h), fixed, len);
	return &m->h;
}

static struct rtattr *nl_attr(struct nlmsghdr *h, int type, const void *data, size_t len)
{
	struct rtattr *a = (struct rtattr *)((char *)h + NLMSG_ALIGN(h->nlmsg_len));

	a->rta_type = (unsigned short)type;
	a->rta_len = (unsigned short)RTA_LENGTH(len);
	if (len)
		memcpy(RTA_DATA(a), data, len);
	h->nlmsg_len = NLMSG_ALIGN(h->nlmsg_len) + RTA_ALIGN(a->rta_len);
	return a;
}

static void nl_str(struct nlmsghdr *h, int type, const char *s)
{
	nl_attr(h, type, s, strlen(s) + 1);
}

static void nl_u32(struct nlmsghdr *h, int type, uint32_t v)
{
	nl_attr(h, type, &v, sizeof(v));
}

/* A nest is an attribute whose length is set when it ends. */
static struct rtattr *nl_nest(struct nlmsghdr *h, int type)
{
	return nl_attr(h, type, NULL, 0);
}

static void nl_nest_end(struct nlmsghdr *h, struct rtattr *a)
{
	a->rta_len = (unsigned short)((char *)h + h->nlmsg_len - (char *)a);
}

static int nl_talk(struct nlmsghdr *h)
{
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	union { struct nlmsghdr h; char b[1024]; } ack;
	int s = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE), err = EPROTO;
	ssize_t n;

	if (s < 0)
		return -1;
	if (sendto(s, h, h->nlmsg_len, 0, (struct sockaddr *)&kernel, sizeof(kernel)) < 0)
		err = errno;
	else if ((n = recv(s, &ack, sizeof(ack), 0)) < 0)
		err = errno;
	else if (n >= (ssize_t)NLMSG_LENGTH(sizeof(struct nlmsgerr)) && ack.h.nlmsg_type == NLMSG_ERROR)
		err = -((struct nlmsgerr *)NLMSG_DATA(&ack.h))->error;
	close(s);
	errno = err;
	return err ? -1 : 0;
}

/* The index of link NAME in this network namespace, 0 if there is none. */
static int ifindex(const char *name)
{
	struct ifreq r = { 0 };
	int s, index = 0;

	if (strlen(name) >= sizeof(r.ifr_name) || (s = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) < 0)
		return 0;
	strcpy(r.ifr_name, name);
	if (ioctl(s, SIOCGIFINDEX, &r) == 0)
		index = r.ifr_ifindex;
	close(s);
	return index;
}

/* A new link NAME of KIND; a veth gets its PEER made directly in the
 * network namespace of process PEER_NS. */
static int link_add(const char *name, const char *kind, const char *peer, pid_t peer_ns)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC };
	struct rtattr *info, *data, *end;
	union nlmsg m;
	struct nlmsghdr *h = nl_start(&m, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, &ifi, sizeof(ifi));

	nl_str(h, IFLA_IFNAME, name);
	info = nl_nest(h, IFLA_LINKINFO);
	nl_attr(h, IFLA_INFO_KIND, kind, strlen(kind));
	if (peer) {
		data = nl_nest(h, IFLA_INFO_DATA);
		end = nl_attr(h, VETH_INFO_PEER, &ifi, sizeof(ifi));
		nl_str(h, IFLA_IFNAME, peer);
		nl_u32(h, IFLA_NET_NS_PID, (uint32_t)peer_ns);
		nl_nest_end(h, end);
		nl_nest_end(h, data);
	}
	nl_nest_end(h, info);
	return nl_talk(h);
}

/* Link INDEX up, enslaved to MASTER (when > 0), or moved to the network
 * namespace NS_FD (when >= 0). */
static int link_set(int index, int master, int ns_fd)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC, .ifi_index = index };
	union nlmsg m;
	struct nlmsghdr *h;

	if (ns_fd < 0)
		ifi.ifi_flags = ifi.ifi_change = IFF_UP;
	h = nl_start(&m, RTM_NEWLINK, 0, &ifi, sizeof(ifi));
	if (master > 0)
		nl_u32(h, IFLA_MASTER, (uint32_t)master);
	if (ns_fd >= 0)
		nl_u32(h, IFLA_NET_NS_FD, (uint32_t)ns_fd);
	return nl_talk(h);
}

static int link_del(const char *name)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC, .ifi_index = ifindex(name) };
	union nlmsg m;

	if (!ifi.ifi_index)
		return 0;
	return nl_talk(nl_start(&m, RTM_DELLINK, 0, &ifi, sizeof(ifi)));
}

/* ADDR/PREFIX (network order) on link INDEX; DEL removes it. */
static int addr_set(int index, uint32_t addr, int prefix, int del)
{
	struct ifaddrmsg ifa = { .ifa_family = AF_INET, .ifa_prefixlen = (unsigned char)prefix,
	                         .ifa_scope = RT_SCOPE_UNIVERSE, .ifa_index = (unsigned)index };
	union nlmsg m;
	struct nlmsghdr *h = nl_start(&m, del ? RTM_DELADDR : RTM_NEWADDR,
	                              del ? 0 : NLM_F_CREATE | NLM_F_REPLACE, &ifa, sizeof(ifa));

	nl_attr(h, IFA_LOCAL, &addr, 4);
	nl_attr(h, IFA_ADDRESS, &addr, 4);
	return nl_talk(h);
}

/* The default route through GW (network order). */
static int route_default(uint32_t gw)
{
	struct rtmsg rt = { .rtm_family = AF_INET, .rtm_table = RT_TABLE_MAIN, .rtm_protocol = RTPROT_BOOT,
	                    .rtm_scope = RT_SCOPE_UNIVERSE, .rtm_type = RTN_UNICAST };
	union nlmsg m;
	struct nlmsghdr *h = nl_start(&m, RTM_NEWROUTE, NLM_F_CREATE | NLM_F_REPLACE, &rt, sizeof(rt));

	nl_attr(h, RTA_GATEWAY, &gw, 4);
	return nl_talk(h);
}

/* NAME up with ADDR/PREFIX, and the default route through GW when there
 * is one: a container's eth0, or a machine's NIC. */
static void iface_configure(const char *name, uint32_t addr, int prefix, uint32_t gw)
{
	int index = ifindex(name);

	if (!index || addr_set(index, addr, prefix, 0) < 0 || link_set(index, 0, -1) < 0)
		die(EXIT_SETUP, "configure %s:", name);
	if (gw && route_default(gw) < 0)
		die(EXIT_SETUP, "default route on %s:", name);
}
#endif

#if WITH_BRIDGE && WITH_LAUNCHER
/* What a launcher holds for a container on the bridge. */
static struct {
	uint32_t addr;              /* its address (network order), 0 if none */
	int lease;                  /* its lease file, flock-held while it lives */
	int sock[MAX_PUBLISH];      /* the published ports' host sockets */
	int nsock;
	pid_t forwarder;
} net = { .lease = -1 };

/* config.h's subnet: network address (host order) and prefix length. */
static uint32_t bridge_net(int *prefix)
{
	uint32_t a = 0;

	parse_cidr(bridge_subnet, &a, prefix);
	return ntohl(a) & prefix_mask(*prefix);
}

/* The host end of the veth of ADDR: "ct" and the address in hex. */
static void veth_name(uint32_t addr, char *out)
{
	snprintf(out, IFNAMSIZ, "ct%08x", (unsigned)ntohl(addr));
}

/* container0 with the gateway address, up. Only ever this link and its
 * address: the host's own interfaces and routes are never touched. */
static void bridge_up(void)
{
	int prefix, index;
	uint32_t base = bridge_net(&prefix);

	if (!ifindex(bridge_name) && link_add(bridge_name, "bridge", NULL, 0) < 0 && errno != EEXIST)
		die(EXIT_SETUP, "create bridge %s:", bridge_name);
	index = ifindex(bridge_name);
	if (!index || addr_set(index, htonl(base + 1), prefix, 0) < 0 || link_set(index, 0, -1) < 0)
		die(EXIT_SETUP, "bridge %s:", bridge_name);
}

/* A veth pair for the container process PID: ctXXXXXXXX on the bridge,
 * eth0 in its network namespace (which it configures itself). */
static void veth_attach(pid_t pid)
{
	char veth[IFNAMSIZ];
	int index;

	veth_name(net.addr, veth);
	link_del(veth);  /* the last run's, if its namespace is not gone yet */
	if (link_add(veth, "veth", "eth0", pid) < 0 || !(index = ifindex(veth)) ||
	    link_set(index, ifindex(bridge_name), -1) < 0)
		die(EXIT_SETUP, "veth %s:", veth);
}

/* In the container: eth0 with the leased address, the default route via
 * the gateway. */
static void bridge_eth0(void)
{
	int prefix;
	uint32_t base = bridge_net(&prefix);

	iface_configure("eth0", net.addr, prefix, htonl(base + 1));
}

/* Leases are files <runtime>/.net/ADDRESS holding a container's name,
 * flock-held by its supervisor; one not held is what a crash left.
 * Taking, giving back and sweeping are serialised by .net/lock. */
static int leases_lock(void)
{
	char path[PATH_MAX];
	int fd;

	snprintf(path, sizeof(path), "%s/.net", runtime_dir);
	if (mkdir_p(path, 0700) < 0)
		return -1;
	snprintf(path, sizeof(path), "%s/.net/lock", runtime_dir);
	if ((fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600)) < 0)
		return -1;
	if (flock(fd, LOCK_EX) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static void lease_path(uint32_t addr, char *out, size_t size)
{
	snprintf(out, size, "%s/.net/%s", runtime_dir, ip_text(addr));
}

/* Hold the lease of ADDR for NAME: its fd, or -1 if it is held. */
static int lease_try(uint32_t addr, const char *name)
{
	char path[PATH_MAX];
	int fd;

	lease_path(addr, path, sizeof(path));
	if ((fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600)) < 0)
		die(EXIT_SETUP, "open %s:", path);
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		close(fd);
		return -1;
	}
	if (ftruncate(fd, 0) < 0 || dprintf(fd, "%s\n", name) < 0)
		die(EXIT_SETUP, "write %s:", path);
	return fd;
}

/* C's address: --ip, or the first free one of the subnet (the network,
 * the gateway and the broadcast address excepted). */
static void lease_take(const struct config *c)
{
	char text[16];
	int prefix, lock = leases_lock();
	uint32_t base = bridge_net(&prefix), last = base | ~prefix_mask(prefix), a;

	if (lock < 0)
		die(EXIT_SETUP, "lock the leases in %s:", runtime_dir);
	copy_cut(text, sizeof(text), ip_text(c->ip));
	for (a = c->ip ? ntohl(c->ip) : base + 2; a < last && net.lease < 0; a = c->ip ? last : a + 1)
		if ((net.lease = lease_try(htonl(a), c->name)) >= 0)
			net.addr = htonl(a);
	close(lock);
	if (net.lease < 0 && c->ip)
		die(EXIT_SETUP, "--ip %s: taken by another container", text);
	if (net.lease < 0)
		die(EXIT_SETUP, "no free address left in %s", bridge_subnet);
}

/* Does the container named in lease FD still run? Its workload may have
 * outlived its supervisor: it keeps its address and veth until stopped. */
static int lease_in_use(int fd)
{
	char name[NAME_MAX_LEN + 2];
	ssize_t n = read(fd, name, sizeof(name) - 1);

	if (n <= 0)
		return 0;
	name[n] = '\0';
	name[strcspn(name, "\n")] = '\0';
	return valid_name(name) && workload_alive(name);
}

static int sweep_one(int dirfd, const char *file, void *unused)
{
	char veth[IFNAMSIZ];
	uint32_t a;
	int fd;

	(void)unused;
	if (parse_ip(file, &a) < 0 || (fd = openat(dirfd, file, O_RDONLY | O_CLOEXEC)) < 0)
		return 0;
	if (flock(fd, LOCK_EX | LOCK_NB) == 0 && !lease_in_use(fd)) {
		veth_name(a, veth);
		link_del(veth);
		unlinkat(dirfd, file, 0);
	}
	close(fd);
	return 0;
}

/* What a supervisor killed with SIGKILL left: leases of containers that
 * are gone, and their veths. Run by every launcher command. */
static void net_sweep(void)
{
	char path[PATH_MAX];
	int lock;

	snprintf(path, sizeof(path), "%s/.net", runtime_dir);
	if (access(path, F_OK) < 0 || (lock = leases_lock()) < 0)
		return;
	each_entry(AT_FDCWD, path, sweep_one, NULL);
	close(lock);
}


/* ---------- network: published ports (launcher) ---------- */

/* A published port's host socket, bound now so that a port in use is
 * refused before the container starts. */
static int publish_bind(const struct publish *p)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(p->hport), .sin_addr.s_addr = p->ip };
	int one = 1, s = socket(AF_INET, (p->udp ? SOCK_DGRAM : SOCK_STREAM) | SOCK_CLOEXEC, 0);

	if (s < 0 || (!p->udp && setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0) ||
	    bind(s, (struct sockaddr *)&a, sizeof(a)) < 0 || (!p->udp && listen(s, 128) < 0))
		die(EXIT_SETUP, "publish %s:%u/%s:", ip_text(p->ip), p->hport, p->udp ? "udp" : "tcp");
	return s;
}

/* The forwarder and its helpers die with the supervisor, however it ends. */
static pid_t fork_child(void)
{
	pid_t pid = fork();

	if (pid == 0)
		prctl(PR_SET_PDEATHSIG, SIGKILL);
	return pid;
}

/* One direction of a TCP connection, through a pipe with splice: the
 * bytes never cross into user space. At its end the write side is shut,
 * and on an error both, so the other direction ends too. */
static void pump(int from, int to) __attribute__((noreturn));
static void pump(int from, int to)
{
	ssize_t n = -1, m;
	int p[2];

	if (pipe2(p, O_CLOEXEC) == 0) {
		fcntl(p[1], F_SETPIPE_SZ, 1 << 20);
		while ((n = splice(from, NULL, p[1], NULL, 1 << 20, SPLICE_F_MOVE)) > 0) {
			while (n > 0 && (m = splice(p[0], NULL, to, NULL, (size_t)n, SPLICE_F_MOVE)) > 0)
				n -= m;
			if (n > 0) {
				n = -1;
				break;
			}
		}
	}
	if (n < 0)
		shutdown(from, SHUT_RDWR);
	shutdown(to, n < 0 ? SHUT_RDWR : SHUT_WR);
	_exit(n < 0);
}

/* An accepted connection: one to the container's PORT, and a process for
 * each direction. */
static void tcp_relay(int client, uint16_t port) __attribute__((noreturn));
static void tcp_relay(int client, uint16_t port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = net.addr };
	int one = 1, up = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	pid_t pid;

	if (up < 0 || connect(up, (struct sockaddr *)&a, sizeof(a)) < 0)
		_exit(1);
	setsockopt(up, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	setsockopt(client, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if ((pid = fork_child()) < 0)
		_exit(1);
	if (pid == 0)
		pump(client, up);
	pump(up, client);
}

/* UDP: a socket toward the container per client address, forgotten after
 * udp_idle_s of silence or when the table is full (the oldest). */
struct flow { int fd, pub; struct sockaddr_in client; long long last; };

static struct flow *udp_flow(struct flow *f, int n, int pub, const struct sockaddr_in *from, uint16_t port)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = net.addr };
	struct flow *old = f;
	int i;

	for (i = 0; i < n; i++) {
		if (f[i].fd >= 0 && f[i].pub == pub && f[i].client.sin_addr.s_addr == from->sin_addr.s_addr &&
		    f[i].client.sin_port == from->sin_port)
			return &f[i];
		if (f[i].fd < 0 || f[i].last < old->last || (old->fd >= 0 && f[i].fd < 0))
			old = &f[i];
	}
	if (old->fd >= 0)
		close(old->fd);
	old->fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (old->fd >= 0 && connect(old->fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
		close(old->fd);
		old->fd = -1;
	}
	old->pub = pub;
	old->client = *from;
	return old;
}

/* The forwarder: a child of the supervisor with the published sockets,
 * for as long as the container lives, restarts included. */
static void forwarder(const struct config *c) __attribute__((noreturn));
static void forwarder(const struct config *c)
{
	struct pollfd pf[MAX_PUBLISH + MAX_FLOWS];
	struct flow flows[MAX_FLOWS];
	struct sockaddr_in from;
	socklen_t len;
	char buf[65536];
	ssize_t n;
	int i, s;
	struct flow *f;

	sigaction(SIGCHLD, &(struct sigaction){ .sa_handler = SIG_IGN }, NULL);  /* helpers reap themselves */
	for (i = 0; i < MAX_FLOWS; i++)
		flows[i].fd = -1;
	for (;;) {
		for (i = 0; i < net.nsock; i++)
			pf[i] = (struct pollfd){ .fd = net.sock[i], .events = POLLIN };
		for (i = 0; i < MAX_FLOWS; i++) {
			if (flows[i].fd >= 0 && now_ms() - flows[i].last > udp_idle_s * 1000LL) {
				close(flows[i].fd);
				flows[i].fd = -1;
			}
			pf[net.nsock + i] = (struct pollfd){ .fd = flows[i].fd, .events = POLLIN };
		}
		if (poll(pf, (nfds_t)(net.nsock + MAX_FLOWS), 10000) < 0)
			continue;
		for (i = 0; i < net.nsock; i++) {
			if (!(pf[i].revents & POLLIN))
				continue;
			len = sizeof(from);
			if (!c->pub[i].udp) {
				if ((s = (int)syscall(SYS_accept4, net.sock[i], NULL, NULL, SOCK_CLOEXEC)) < 0)
					continue;
				if (fork_child() == 0)
					tcp_relay(s, c->pub[i].port);
				close(s);
			} else if ((n = recvfrom(net.sock[i], buf, sizeof(buf), 0, (struct sockaddr *)&from, &len)) >= 0) {
				f = udp_flow(flows, MAX_FLOWS, i, &from, c->pub[i].port);
				f->last = now_ms();
				if (f->fd >= 0)
					send(f->fd, buf, (size_t)n, 0);
			}
		}
		for (i = 0; i < MAX_FLOWS; i++)
			if ((pf[net.nsock + i].revents & POLLIN) && (n = recv(flows[i].fd, buf, sizeof(buf), 0)) >= 0) {
				flows[i].last = now_ms();
				sendto(net.sock[flows[i].pub], buf, (size_t)n, 0,
				       (struct sockaddr *)&flows[i].client, sizeof(flows[i].client));
			}
	}
}

/* Start the forwarder of C's published ports. It keeps only its sockets:
 * a held name lock or lease would outlive a killed supervisor. */
static void forward_start(const struct config *c)
{
	sigset_t none;
	int fd, i, keep;

	if (!net.nsock)
		return;
	if ((net.forwarder = fork_child()) < 0)
		die(EXIT_SETUP, "start the port forwarder:");
	if (net.forwarder > 0) {
		while (net.nsock > 0)  /* the forwarder's alone now */
			close(net.sock[--net.nsock]);
		return;
	}
	for (fd = 3; fd < 1024; fd++) {
		for (keep = i = 0; i < net.nsock; i++)
			keep |= net.sock[i] == fd;
		if (!keep)
			close(fd);
	}
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	forwarder(c);
}

/* Before anything of the container is written: its published ports bound
 * (a port in use is refused now, and they are inherited by a -d
 * supervisor), --ip checked against the subnet. */
static void net_check(const struct config *c)
{
	int i, prefix;
	uint32_t base = bridge_net(&prefix), a = ntohl(c->ip);

	net_sweep();
	for (i = 0; i < c->npub; i++)
		net.sock[net.nsock++] = publish_bind(&c->pub[i]);
	if (c->ip && ((a & prefix_mask(prefix)) != base || a <= base + 1 || a >= (base | ~prefix_mask(prefix))))
		die(EXIT_SETUP, "--ip %s: not a container address of %s (%s)", ip_text(c->ip),
		    bridge_name, bridge_subnet);
}

/* Then the bridge and the container's address. */
static void net_up(const struct config *c)
{
	if (!c->bridge)
		return;
	bridge_up();
	lease_take(c);
}

/* The container is over: no forwarder, socket, veth or lease is left. */
static void net_down(void)
{
	char veth[IFNAMSIZ], path[PATH_MAX];
	int lock;

	if (net.forwarder > 0) {
		kill(net.forwarder, SIGKILL);
		waitpid(net.forwarder, NULL, 0);
	}
	if (net.lease < 0)
		return;
	veth_name(net.addr, veth);
	link_del(veth);
	lock = leases_lock();
	lease_path(net.addr, path, sizeof(path));
	unlink(path);
	close(net.lease);
	net.lease = -1;
	if (lock >= 0)
		close(lock);
}
#endif

/* ---------- cgroup v2 ---------- */

#if WITH_CGROUPS
/* The cgroup2 directory new groups go under: in init mode the hierarchy
 * PID 1 mounted, on a host the launcher's own group. */
static char cg_mnt[PATH_MAX];  /* where cgroup2 is mounted */

static int cgroup_base(char *base, size_t size, int machine)
{
	static char buf[65536];
	char own[PATH_MAX] = "", *mnt = cg_mnt, *line, *save;

	if (machine)
		return fmt_path(mnt, PATH_MAX, "%s", cgroup_root) < 0 ? -1 : fmt_path(base, size, "%s", cgroup_root);
	if (read_file("/proc/self/mountinfo", buf, sizeof(buf)) < 0)
		return -1;
	for (line = strtok_r(buf, "\n", &save); line && !mnt[0]; line = strtok_r(NULL, "\n", &save))
		if (strstr(line, " - cgroup2 ") && fmt_path(mnt, PATH_MAX, "%s", field(line, 4)) < 0)
			return -1;
	if (!mnt[0] || read_file("/proc/self/cgroup", buf, sizeof(buf)) < 0)
		return -1;
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		if (!strncmp(line, "0::", 3) && fmt_path(own, sizeof(own), "%s", line + 3) < 0)
			return -1;
	return fmt_path(base, size, "%s%s", mnt, strcmp(own, "/") ? own : "");
}

static int has_word(const char *text, const char *word)
{
	size_t n = strlen(word);
	const char *p;

	for (p = text; (p = strstr(p, word)); p += n)
		if ((p == text || isspace((unsigned char)p[-1])) && (!p[n] || isspace((unsigned char)p[n])))
			return 1;
	return 0;
}

static void cgroup_set(const char *group, const char *file, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void cgroup_set(const char *group, const char *file, const char *fmt, ...)
{
	char path[PATH_MAX], value[128];
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = vfmt_path(value, sizeof(value), fmt, ap);
	va_end(ap);
	must_path(path, sizeof(path), "%s/%s", group, file);
	if (rc < 0 || write_file(path, value) < 0)
		die(EXIT_SETUP, "cgroup: write %s to %s:", value, path);
}

/* Enable CONTROLLERS (space separated, each "+name") in DIR's children;
 * -1 if one cannot be. */
static int enable_controllers(const char *dir, const char *controllers)
{
	char path[PATH_MAX], list[64], *one, *save;

	if (fmt_path(path, sizeof(path), "%s/cgroup.subtree_control", dir) < 0 ||
	    fmt_path(list, sizeof(list), "%s", controllers) < 0)
		return -1;
	for (one = strtok_r(list, " ", &save); one; one = strtok_r(NULL, " ", &save))
		if (write_file(path, one) < 0)
			return -1;
	return 0;
}

/* The device number of block device PATH, for io.max. */
static dev_t block_device(const char *path)
{
	struct stat st;

	if (stat(path, &st) < 0)
		die(EXIT_SETUP, "io limit on %s:", path);
	if (!S_ISBLK(st.st_mode))
		die(EXIT_SETUP, "io limit on %s: not a block device", path);
	return st.st_rdev;
}

static const char *rate_text(long long rate, char *buf)
{
	if (!rate)
		return "max";
	snprintf(buf, 24, "%lld", rate);
	return buf;
}

/* Where groups go and the controllers there, read once: neither changes
 * while this process lives (the launcher's check, each restart). */
static struct { int known; char base[PATH_MAX], avail[256]; } cg;

/* Refuse a limit whose controller is missing, or an io limit on what is not
 * a block device. */
static void cgroup_check(const struct config *c, int machine)
{
	const char *need[] = {
		c->memory || c->swap ? "memory" : NULL, c->pids ? "pids" : NULL,
		c->cpu_quota || c->cpu_weight ? "cpu" : NULL, c->io_weight || c->nio ? "io" : NULL,
	};
	char path[PATH_MAX];
	size_t i;

	if (!cg.known && cgroup_base(cg.base, sizeof(cg.base), machine) == 0 &&
	    fmt_path(path, sizeof(path), "%s/cgroup.controllers", cg.base) == 0)
		read_file(path, cg.avail, sizeof(cg.avail));
	cg.known = 1;
	for (i = 0; i < LEN(need); i++)
		if (need[i] && !has_word(cg.avail, need[i]))
			die(EXIT_SETUP, "cgroup v2 controller %s is not available%s%s: the limit cannot be set",
			    need[i], cg.base[0] ? " in " : "", cg.base);
	for (i = 0; i < (size_t)c->nio; i++)
		block_device(c->io[i].dev);
}

#endif

#if WITH_OCI && WITH_CGROUPS
/* ---------- cgroup v2 device program (config.json) ---------- */

#include <linux/bpf.h>

static struct dev_rules oci_devices; /* set: attach a device program */

/* Access "rwm" as BPF_DEVCG_ACC_* bits; -1 if it has another letter. */
static int dev_access(const char *s)
{
	int acc = 0;

	if (!*s)
		return BPF_DEVCG_ACC_READ | BPF_DEVCG_ACC_WRITE | BPF_DEVCG_ACC_MKNOD;
	for (; *s; s++) {
		const char *p = strchr("mrw", *s);

		if (!p)
			return -1;
		acc |= 1 << (p - "mrw");
	}
	return acc;
}

static void dev_rule_add(struct dev_rules *d, int allow, char type, int access, int64_t major, int64_t minor)
{
	if (d->n == MAX_DEV_RULES)
		die(EXIT_SETUP, "linux.resources.devices: more than %d rules", MAX_DEV_RULES);
	d->r[d->n++] = (struct dev_rule){ (char)allow, type, (uint8_t)access, major, minor };
}

struct ebpf_out { struct bpf_insn *i; size_t n, max; };

static void ebpf(struct ebpf_out *o, uint8_t code, uint8_t dst, uint8_t src, int16_t off, int32_t imm)
{
	if (o->n < o->max)
		o->i[o->n] = (struct bpf_insn){ .code = code, .dst_reg = dst, .src_reg = src, .off = off, .imm = imm };
	o->n++;
}

/* Compile rules D into a BPF_PROG_TYPE_CGROUP_DEVICE program in I (room
 * for MAX): the last rule that matches a device and access decides, as
 * rules are read in order (a later rule overrides an earlier one); none:
 * denied. A rule matches when its type is 'a' or the device's, its
 * major and minor are -1 or the device's, and the access asked is within
 * its access. Returns the length, -1 when it exceeds MAX. */
static int dev_compile(const struct dev_rules *d, struct bpf_insn *insn, size_t max)
{
	struct ebpf_out o = { insn, 0, max };
	const uint8_t JNE = BPF_JMP | BPF_JNE | BPF_K;
	int i;

	/* r2: type, r3: access, r4: major, r5: minor (struct bpf_cgroup_dev_ctx) */
	ebpf(&o, BPF_LDX | BPF_W | BPF_MEM, 2, 1, 0, 0);
	ebpf(&o, BPF_ALU | BPF_MOV | BPF_X, 3, 2, 0, 0);
	ebpf(&o, BPF_ALU | BPF_AND | BPF_K, 2, 0, 0, 0xffff);
	ebpf(&o, BPF_ALU | BPF_RSH | BPF_K, 3, 0, 0, 16);
	ebpf(&o, BPF_LDX | BPF_W | BPF_MEM, 4, 1, 4, 0);
	ebpf(&o, BPF_LDX | BPF_W | BPF_MEM, 5, 1, 8, 0);
	for (i = d->n - 1; i >= 0; i--) {
		const struct dev_rule *r = &d->r[i];
		int all = BPF_DEVCG_ACC_READ | BPF_DEVCG_ACC_WRITE | BPF_DEVCG_ACC_MKNOD;
		size_t end = o.n + 2 + (r->type != 'a') + 3 * (r->access != all) + (r->major >= 0) + (r->minor >= 0);

		if (r->type != 'a')
			ebpf(&o, JNE, 2, 0, (int16_t)(end - o.n - 1), r->type == 'b' ? BPF_DEVCG_DEV_BLOCK : BPF_DEVCG_DEV_CHAR);
		if (r->access != all) {
			ebpf(&o, BPF_ALU | BPF_MOV | BPF_X, 6, 3, 0, 0);
			ebpf(&o, BPF_ALU | BPF_AND | BPF_K, 6, 0, 0, ~r->access & all);
			ebpf(&o, JNE, 6, 0, (int16_t)(end - o.n - 1), 0);
		}
		if (r->major >= 0)
			ebpf(&o, JNE, 4, 0, (int16_t)(end - o.n - 1), (int32_t)r->major);
		if (r->minor >= 0)
			ebpf(&o, JNE, 5, 0, (int16_t)(end - o.n - 1), (int32_t)r->minor);
		ebpf(&o, BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, r->allow ? 1 : 0);
		ebpf(&o, BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
		if (r->type == 'a' && r->access == all && r->major < 0 && r->minor < 0)
			return o.n > max ? -1 : (int)o.n; /* matches all: the verifier refuses dead code */
	}
	ebpf(&o, BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 0);
	ebpf(&o, BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
	return o.n > max ? -1 : (int)o.n;
}

/* The device program of D loaded into the kernel: its fd. */
static int dev_load(const struct dev_rules *d)
{
	static struct bpf_insn insn[8 + 10 * (MAX_DEV_RULES + LEN(container_devs) + LEN(always_allowed_devs))];
	static char log[4096];
	union bpf_attr a;
	int n = dev_compile(d, insn, LEN(insn)), fd;

	memset(&a, 0, sizeof(a));
	a.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
	a.insns = (uintptr_t)insn;
	a.insn_cnt = (uint32_t)n;
	a.license = (uintptr_t)"MIT";
	a.log_buf = (uintptr_t)log;
	a.log_size = sizeof(log);
	a.log_level = 1;
	fd = (int)syscall(SYS_bpf, BPF_PROG_LOAD, &a, sizeof(a));
	if (fd < 0)
		die(EXIT_SETUP, "load the cgroup device program: %s%s", strerror(errno), g.debug ? log : "");
	return fd;
}

/* Attach to GROUP the device program of config.json's rules, followed by
 * the nodes every container gets (container_devs, always_allowed_devs),
 * as runc appends its default devices. */
static void dev_attach(const char *group)
{
	struct dev_rules d = oci_devices;
	union bpf_attr a;
	struct stat st;
	char path[PATH_MAX];
	size_t i;
	int prog, dir;

	for (i = 0; i < LEN(container_devs); i++)
		if (snprintf(path, sizeof(path), "/dev/%s", container_devs[i].name) < (int)sizeof(path) &&
		    stat(path, &st) == 0 && S_ISCHR(st.st_mode))
			dev_rule_add(&d, 1, 'c', dev_access("rwm"), major(st.st_rdev), minor(st.st_rdev));
	for (i = 0; i < LEN(always_allowed_devs); i++)
		dev_rule_add(&d, 1, always_allowed_devs[i].type, dev_access("rwm"),
		             always_allowed_devs[i].major, always_allowed_devs[i].minor);
	prog = dev_load(&d);
	if ((dir = open(group, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		die(EXIT_SETUP, "cgroup: open %s:", group);
	memset(&a, 0, sizeof(a));
	a.target_fd = (uint32_t)dir;
	a.attach_bpf_fd = (uint32_t)prog;
	a.attach_type = BPF_CGROUP_DEVICE;
	a.attach_flags = BPF_F_ALLOW_MULTI;
	if (syscall(SYS_bpf, BPF_PROG_ATTACH, &a, sizeof(a)) < 0)
		die(EXIT_SETUP, "cgroup: attach the device program to %s:", group);
	close(dir);
	close(prog);
}

/* linux.resources.devices (array T, -1 when absent) into D: {allow, type,
 * major, minor, access}; type "a" or absent matches all, major or minor -1
 * or absent any. D is set either way: a bundle's group always gets a
 * device program (with no rules: only the nodes every container has). */
__attribute__((unused)) static void map_devices(const struct json *j, int t, struct dev_rules *d)
{
	const char *p = "linux.resources.devices", *type, *access, *where;
	char known[64];
	int e, i, allow;

	d->set = 1;
	if (t < 0 || j->tok[t].type == JSON_NULL)
		return;
	if (j->tok[t].type != JSON_ARRAY)
		oci_bad(p, "not an array");
	JSON_EACH(j, t, e, i) {
		snprintf(known, sizeof(known), "config.json: %s[%d]", p, i);
		where = known + strlen("config.json: ");
		if (oci_want(j, e, JSON_OBJECT, where) < 0)
			oci_bad(where, "expected an object");
		json_known(j, e, known, " allow type major minor access ");
		if ((allow = oci_get(j, e, "allow", JSON_TRUE, where)) < 0)
			oci_bad(where, "allow: true or false is required");
		if (!(type = oci_str(j, e, "type", where, 0)))
			type = "a";
		if (strcmp(type, "a") && strcmp(type, "b") && strcmp(type, "c"))
			oci_bad(where, "type: \"a\", \"b\" or \"c\" is required");
		if (!(access = oci_str(j, e, "access", where, 0)))
			access = "";
		if (dev_access(access) < 0)
			oci_bad(where, "access: letters of \"rwm\" are required");
		dev_rule_add(d, json_bool(j, allow), type[0], dev_access(access),
		             oci_num(j, e, "major", -1, INT32_MAX, -1, where), oci_num(j, e, "minor", -1, INT32_MAX, -1, where));
	}
}
#endif

#if WITH_CGROUPS
#if WITH_OCI
/* config.json's cgroupsPath as GROUP: absolute from the cgroup2 root (as
 * runc reads it), else under our own group; the controllers enabled in
 * each group on the way, those made as needed. The group itself is made
 * by the caller. */
static int oci_group_dir(const char *path, const char *enable, char *group, size_t size)
{
	const char *top = path[0] == '/' ? cg_mnt : cg.base;
	char *p, *q;
	int rc;

	must_path(group, size, "%s/%s", top, path + strspn(path, "/"));
	for (p = group + strlen(top); (q = strchr(p + 1, '/')) || 1; p = q) {
		*p = '\0';
		rc = enable_controllers(group, enable);
		*p = '/';
		if (rc < 0 || !q)
			return rc;
		*q = '\0';
		rc = mkdir(group, 0755) < 0 && errno != EEXIST ? -1 : 0;
		*q = '/';
		if (rc < 0)
			return -1;
	}
}
#endif

/* Where the container's group goes, <base>/container/<NAME> (or
 * config.json's cgroupsPath), controllers enabled above it; -1 when they
 * cannot be. */
static int group_dir(const struct config *c, const char *enable, char *group, size_t size)
{
	char parent[PATH_MAX];

#if WITH_OCI
	if (c->oci && c->oci->cgroups_path)
		return oci_group_dir(c->oci->cgroups_path, enable, group, size);
#endif
	must_path(parent, sizeof(parent), "%s/%s", cg.base, cgroup_parent);
	must_path(group, size, "%s/%s", parent, c->name);
	if (enable_controllers(cg.base, enable) < 0 || (mkdir(parent, 0755) < 0 && errno != EEXIST) ||
	    enable_controllers(parent, enable) < 0)
		return -1;
	return 0;
}

/* Make the container's group with its limits. GROUP becomes "" when no
 * limit was asked for and the system has no cgroup v2 controllers, or no
 * place for a group (a host cgroup that holds processes cannot delegate
 * controllers to children). */
static void cgroup_create(const struct config *c, int machine, char *group, size_t size)
{
	static const char *const used[] = { "memory", "pids", "cpu", "io" };
	char enable[64] = "", rbps[24], wbps[24];
	int limited = c->memory || c->swap || c->pids || c->cpu_quota || c->cpu_weight ||
	              c->io_weight || c->nio;
	size_t i;

	group[0] = '\0';
	cgroup_check(c, machine);
	for (i = 0; i < LEN(used); i++)
		if (has_word(cg.avail, used[i]))
			snprintf(enable + strlen(enable), sizeof(enable) - strlen(enable), "+%s ", used[i]);
	if (!enable[0])
		return;
	if (group_dir(c, enable, group, size) < 0) {
		if (limited)
			die(EXIT_SETUP, "cgroup: no group with controllers can be made under %s:", cg.base);
		group[0] = '\0';
		return;
	}
	if (mkdir(group, 0755) < 0 && (errno != EEXIST || rmdir(group) < 0 || mkdir(group, 0755) < 0))
		die(EXIT_SETUP, "cgroup: mkdir %s:", group);
	made_group = group;  /* die() from here on removes it */
#if WITH_OCI
	if (oci_devices.set)
		dev_attach(group);
#endif
	if (c->memory)
		cgroup_set(group, "memory.max", c->memory < 0 ? "max" : "%lld", c->memory);
	if (c->swap)
		cgroup_set(group, "memory.swap.max", c->swap < 0 ? "max" : "%lld", c->swap);
	if (c->pids)
		cgroup_set(group, "pids.max", c->pids < 0 ? "max" : "%ld", c->pids);
	if (c->cpu_quota)
		cgroup_set(group, "cpu.max", "%lld %d", c->cpu_quota, cpu_period_us);
	if (c->cpu_weight)
		cgroup_set(group, "cpu.weight", "%ld", c->cpu_weight);
	if (c->io_weight)
		cgroup_set(group, "io.weight", "default %ld", c->io_weight);
	for (i = 0; i < (size_t)c->nio; i++) {
		dev_t dev = block_device(c->io[i].dev);

		cgroup_set(group, "io.max", "%u:%u rbps=%s wbps=%s", major(dev), minor(dev),
		           rate_text(c->io[i].rbps, rbps), rate_text(c->io[i].wbps, wbps));
	}
}

/* Peak memory and OOM kills of GROUP, read before it is removed. */
static void cgroup_stats(const char *group, long long *peak, long *ooms)
{
	char path[PATH_MAX], buf[1024], *p;

	*peak = -1;
	*ooms = -1;
	if (fmt_path(path, sizeof(path), "%s/memory.peak", group) == 0 && read_file(path, buf, sizeof(buf)) > 0)
		*peak = atoll(buf);
	if (fmt_path(path, sizeof(path), "%s/memory.events", group) == 0 &&
	    read_file(path, buf, sizeof(buf)) > 0 && (p = strstr(buf, "oom_kill ")))
		*ooms = atol(p + 9);
}

/* Kill what is left in GROUP and remove it. */
static void cgroup_remove(const char *group)
{
	char path[PATH_MAX];
	int i;

	if (made_group == group)
		made_group = NULL;
	if (!group[0] || fmt_path(path, sizeof(path), "%s/cgroup.kill", group) < 0)
		return;
	for (i = 0; i < 200 && rmdir(group) < 0 && errno == EBUSY; i++) {
		write_file(path, "1");
		sleep_ms(10);
	}
}
#endif

/* ---------- OCI: terminal and console socket ---------- */

#if WITH_OCI
/* The engine's --console-socket, connected from the caller's mount
 * namespace before the container is made. */
static int console_connect(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(path) >= sizeof(sa.sun_path))
		die(1, "console socket %s: path too long", path);
	strcpy(sa.sun_path, path);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0 ||
	    connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		die(1, "console socket %s:", path);
	return fd;
}

/* In the container, its devpts mounted and its root entered, in a session
 * of its own: a new pty of that devpts; the master goes to the engine (one
 * byte, one SCM_RIGHTS fd, no reply), the slave becomes stdin, stdout,
 * stderr and the controlling terminal. The slave is opened through the
 * master (TIOCGPTPEER), never by a path the container could swap. */
static void console_attach(int sock)
{
	union { struct cmsghdr h; char buf[CMSG_SPACE(sizeof(int))]; } ctl;
	struct iovec iov = { .iov_base = "", .iov_len = 1 };
	struct msghdr msg = { .msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = ctl.buf, .msg_controllen = sizeof(ctl.buf) };
	struct cmsghdr *cm;
	int master, slave, unlock = 0, fd;

	if ((master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC)) < 0 ||
	    ioctl(master, TIOCSPTLCK, &unlock) < 0 ||
	    (slave = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY)) < 0)
		die(EXIT_SETUP, "terminal: a pty from /dev/ptmx:");
	memset(ctl.buf, 0, sizeof(ctl.buf));
	cm = CMSG_FIRSTHDR(&msg);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &master, sizeof(int));
	while (syscall(SYS_sendmsg, sock, &msg, MSG_NOSIGNAL) < 0)  /* libc's copies MSG */
		if (errno != EINTR)
			die(EXIT_SETUP, "terminal: send the pty to the console socket:");
	close(master);
	close(sock);
	g.console = -1;
	if (ioctl(slave, TIOCSCTTY, 0) < 0)
		die(EXIT_SETUP, "terminal: make the pty the controlling terminal:");
	for (fd = 0; fd < 3; fd++)
		if (dup2(slave, fd) < 0)
			die(EXIT_SETUP, "terminal: dup2:");
	if (slave > 2)
		close(slave);
}
#endif

/* ---------- the container process ---------- */

/* The environment: config.h's defaults, overridden key by key by -e. */
static void build_env(const struct config *c, const char **env, size_t size)
{
	size_t n = 0, i, j, k;

	for (i = 0; !IS_OCI(c) && default_env[i] && n < size - 1; i++)  /* config.json: its own */
		env[n++] = default_env[i];
	for (i = 0; i < (size_t)c->nenv; i++) {
		k = strchr(c->env[i], '=') - c->env[i] + 1;
		for (j = 0; j < n && strncmp(env[j], c->env[i], k); j++)
			;
		if (j < n)
			env[j] = c->env[i];
		else if (n < size - 1)
			env[n++] = c->env[i];
	}
	env[n] = NULL;
}

static void exec_workload(const struct config *c) __attribute__((noreturn));
static void exec_workload(const struct config *c)
{
	static const char *env[MAX_ARGS + 16];
	sigset_t none;

	build_env(c, env, LEN(env));
	if (syscall(SYS_close_range, 3 + g.keep_fds, ~0U, CLOSE_RANGE_CLOEXEC) < 0)
		die(EXIT_SETUP, "close the launcher's descriptors:");
	drop_privileges(c);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	environ = (char **)env;
	execvp(c->argv[0], c->argv);
	die(errno == ENOENT ? EXIT_NOTFOUND : EXIT_CANNOT, "exec %s:", c->argv[0]);
}

/* Signals a supervisor waits for: those it forwards, SIGCHLD, and the
 * power signals of init mode. */
static void supervisor_sigset(sigset_t *set)
{
	size_t i;

	sigemptyset(set);
	for (i = 0; i < LEN(forwarded); i++)
		sigaddset(set, forwarded[i]);
	sigaddset(set, SIGCHLD);
	sigaddset(set, SIGPWR);
}

/* Reap every child that has exited (SIGCHLDs coalesce, so loop); return
 * 1 and the status when MAIN was among them. */
static int reap(pid_t main, int *status)
{
	int st = 0, found = 0;
	pid_t pid;

	while ((pid = waitpid(-1, &st, WNOHANG)) > 0)
		if (pid == main) {
			*status = st;
			found = 1;
		} else {
			monitor_reaped(pid);
		}
	return found;
}

/* --init: a tiny reaper stays PID 1 of the container, forwards signals to
 * the workload, and exits with its status. */
static void reaper(const struct config *c) __attribute__((noreturn));
static void reaper(const struct config *c)
{
	struct config self = *c;
	sigset_t set;
	siginfo_t si;
	int status = 0, sig;
	pid_t pid = fork();

	if (pid < 0)
		die(EXIT_SETUP, "fork:");
	if (pid == 0)
		exec_workload(c);
	close(g.err_fd);
	g.err_fd = -1;
	self.uid = 0;
	self.gid = 0;
	drop_privileges(&self);
	/* the workload may not open our /proc/PID/exe (a sealed copy
	 * anyway: see exec_sealed) */
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	supervisor_sigset(&set);
	for (;;) {
		if ((sig = sigwaitinfo(&set, &si)) < 0)
			continue;
		if (sig != SIGCHLD)
			kill(pid, sig);
		else if (reap(pid, &status))
			_exit(status_code(status));
	}
}

/* The child of spawn(): wait for the parent's go, then build and enter the
 * container and exec the workload. Never returns. */
static void child_main(const struct config *c, const struct layout *l, int go, int machine)
{
	const char *host = c->hostname[0] ? c->hostname : c->name;
	char byte;

	if (read(go, &byte, 1) != 1)
		_exit(EXIT_SETUP);
	close(go);
	/* Keep stdio, the error pipe and an engine's console socket only: a
	 * host fd left open (a lock, the cgroup) would be a way out through
	 * /proc/self/fd. */
	if (g.console == 3 && (g.console = fcntl(3, F_DUPFD_CLOEXEC, 4)) < 0)
		_exit(EXIT_SETUP);
	if (dup2(g.err_fd, 3) < 0 || fcntl(3, F_SETFD, FD_CLOEXEC) < 0)
		_exit(EXIT_SETUP);
	g.err_fd = 3;
	if (g.console > 4 && syscall(SYS_close_range, 4, g.console - 1, 0) < 0)
		die(EXIT_SETUP, "close the launcher's descriptors:");
	if (syscall(SYS_close_range, g.console < 4 ? 4 : g.console + 1, ~0U, 0) < 0)
		die(EXIT_SETUP, "close the launcher's descriptors:");
	/* Its own session: no controlling terminal of the caller's to push
	 * input into (TIOCSTI). On a machine the console is the workload's
	 * own, and its terminal: Ctrl-C and job control work there. */
	setsid();
	if (machine)
		ioctl(STDIN_FILENO, TIOCSCTTY, 1);
#if WITH_USERNS
	/* Still host root by id: become the namespace's root, now mapped. */
	if (c->userns && (setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0))
		die(EXIT_SETUP, "become root of the user namespace:");
#endif
	if (unshare(CLONE_NEWCGROUP) < 0)
		die(EXIT_SETUP, "new cgroup namespace:");
	setup_root(c, l, machine);
	if (sethostname(host, strlen(host)) < 0)
		die(EXIT_SETUP, "set the hostname %s:", host);
#if WITH_OCI
	if (g.console >= 0)
		console_attach(g.console);
#endif
#if WITH_NETNS
	if (c->netns)
		loopback_up();
#endif
#if WITH_BRIDGE && WITH_LAUNCHER
	if (net.addr)
		bridge_eth0();
#endif
	if (c->workdir && (mkdir_p(c->workdir, 0755) < 0 || chdir(c->workdir) < 0))
		die(EXIT_SETUP, "workdir %s:", c->workdir);
	if (c->init)
		reaper(c);
	exec_workload(c);
}

/* Clone the container's first process into new namespaces (and into
 * GROUP, where there is one), let it go, and return; CH holds its pid and
 * the read end of its error pipe. */
static void spawn(const struct config *c, const struct layout *l, int machine, struct child *ch)
{
	struct clone_args args = { .flags = namespace_flags(c), .exit_signal = SIGCHLD };
	int go[2], err[2], cgfd = -1, netns = -1;
	char path[PATH_MAX], pid_text[16];
	pid_t pid;

	if (pipe2(go, O_CLOEXEC) < 0 || pipe2(err, O_CLOEXEC) < 0)
		die(EXIT_SETUP, "pipe:");
	if (ch->cgroup[0]) {
		if ((cgfd = open(ch->cgroup, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
			die(EXIT_SETUP, "cgroup: open %s:", ch->cgroup);
		args.flags |= CLONE_INTO_CGROUP;
		args.cgroup = (uint64_t)cgfd;
	}
#if WITH_NETNS
	if (c->netns_path[0])
		netns = netns_join(c->netns_path);
#endif
	pid = (pid_t)syscall(SYS_clone3, &args, sizeof(args));
	if (pid < 0 && (errno == ENOSYS || errno == E2BIG || errno == EINVAL)) {
		/* a kernel without clone3 or CLONE_INTO_CGROUP: plain clone,
		 * and cgroup.procs before the child may go on */
		args.flags &= ~(uint64_t)CLONE_INTO_CGROUP;
		pid = (pid_t)syscall(SYS_clone, (unsigned long)args.flags | SIGCHLD, 0, 0, 0, 0);
	}
	if (pid < 0)
		die(EXIT_SETUP, "create the container's namespaces:");
	if (pid > 0 && netns >= 0 && (setns(netns, CLONE_NEWNET) < 0 || close(netns) < 0))
		die(EXIT_SETUP, "back to the host's network namespace:");
	if (pid == 0) {
		close(go[1]);
		close(err[0]);
		g.err_fd = err[1];
		g.init_mode = 0;
#if WITH_OCI
		if (c->oci)
			oci_child(c, go[0]);
#endif
		child_main(c, l, go[0], machine);
	}
	close(go[0]);
	close(err[1]);
	if (cgfd >= 0)
		close(cgfd);
	if (ch->cgroup[0] && !(args.flags & CLONE_INTO_CGROUP)) {
		must_path(path, sizeof(path), "%s/cgroup.procs", ch->cgroup);
		snprintf(pid_text, sizeof(pid_text), "%d", (int)pid);
		if (write_file(path, pid_text) < 0)
			die(EXIT_SETUP, "cgroup: move %d into %s:", (int)pid, ch->cgroup);
	}
#if WITH_USERNS
	if (c->userns && !IS_OCI(c))
		write_id_maps(pid);
#endif
#if WITH_BRIDGE && WITH_LAUNCHER
	if (net.addr)
		veth_attach(pid);
#endif
#if WITH_OCI
	if (c->oci)
		oci_spawned(c->oci, pid);
#endif
	if (write(go[1], &pid, sizeof(pid)) != sizeof(pid))
		die(EXIT_SETUP, "start the container:");
	close(go[1]);
	debug("container process %d started", (int)pid);
	ch->pid = pid;
	ch->err_fd = err[0];
}

/* Did the workload's exec happen? 0 if so; else the child's message is
 * printed on REPORT and its exit code (125, 126 or 127) returned. */
static int started(struct child *ch, int report)
{
	char buf[1024];
	ssize_t n;
	int status;

	while ((n = read(ch->err_fd, buf, sizeof(buf) - 1)) < 0 && errno == EINTR)
		;
	close(ch->err_fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	if (write(report, buf + 1, (size_t)n - 1) < 0) {
		/* the code still tells */
	}
	waitpid(ch->pid, &status, 0);
	return (unsigned char)buf[0];
}

/* Wait for the container's first process, passing signals on, and
 * return its wait status. TERM, INT and PWR ask to stop (*STOP becomes 1)
 * and, on a machine, so does USR1 (reboot: 2); a machine then sends the
 * workload STOPSIG (SIGTERM, or the image's stop signal) and SIGKILL after
 * GRACE seconds, a launcher passes SIGTERM on as STOPSIG and the others
 * as they came. */
static int supervise(pid_t pid, int machine, int grace, int stopsig, int *stop)
{
	long long deadline = 0, left;
	struct timespec ts;
	sigset_t set;
	siginfo_t si;
	int sig, status = 0;

	supervisor_sigset(&set);
	for (;;) {
		left = deadline ? deadline - now_ms() : 0;
		if (deadline && left <= 0) {
			kill(pid, SIGKILL);
			deadline = 0;
			continue;
		}
		ts.tv_sec = left / 1000;
		ts.tv_nsec = (left % 1000) * 1000000;
		if ((sig = sigtimedwait(&set, &si, deadline ? &ts : NULL)) < 0)
			continue;
		if (sig == SIGCHLD) {
			if (reap(pid, &status))
				return status;
		} else if (sig == SIGTERM || sig == SIGINT || sig == SIGPWR || (machine && sig == SIGUSR1)) {
			if (!*stop && machine)
				deadline = now_ms() + grace * 1000LL;
			*stop = sig == SIGUSR1 ? 2 : 1;
			kill(pid, machine || sig == SIGPWR || (WITH_IMAGES && sig == SIGTERM) ? stopsig : sig);
		} else {
			kill(pid, sig);
		}
	}
}

/* Sleep MS before a restart; a stop signal cuts it short and returns 1,
 * or 2 for SIGUSR1 (a machine reboots). */
static int backoff_sleep(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	long long end = now_ms() + ms;
	sigset_t set;
	int sig;

	supervisor_sigset(&set);
	while ((sig = sigtimedwait(&set, NULL, &ts)) >= 0 || errno == EINTR) {
		if (sig == SIGTERM || sig == SIGINT || sig == SIGPWR || sig == SIGUSR1)
			return sig == SIGUSR1 ? 2 : 1;
		ms = end - now_ms();
		if (ms <= 0)
			return 0;
		ts.tv_sec = ms / 1000;
		ts.tv_nsec = (ms % 1000) * 1000000L;
	}
	return 0;
}

static void block_signals(void)
{
	sigset_t set;

	supervisor_sigset(&set);
	sigprocmask(SIG_BLOCK, &set, NULL);
}

/* Should a workload that ended with CODE be started again? */
static int restart_due(const struct config *c, int code, int restarts)
{
	if (c->restart == RESTART_ALWAYS)
		return 1;
	if (c->restart == RESTART_ON_FAILURE && code != 0)
		return !c->restart_max || restarts < c->restart_max;
	return 0;
}

static long backoff_ms(int restarts)
{
	long ms = restart_backoff_ms;

	while (restarts-- > 0 && ms < restart_backoff_max_ms)
		ms *= 2;
	return ms < restart_backoff_max_ms ? ms : restart_backoff_max_ms;
}

/* ---------- OCI runtime: the container's first process ---------- */

#if WITH_OCI
/* The state of the runtime spec, as hooks read it on stdin and `state`
 * prints it; the annotations are config.json's own text. */
static int oci_state_json(const struct oci *o, const char *status, pid_t pid, char *buf, size_t size)
{
	const struct json *j = o->j;
	const struct jtok *a = o->annotations >= 0 ? &j->tok[o->annotations] : NULL;
	int n = snprintf(buf, size, "{\"ociVersion\":\"1.0.2\",\"id\":\"%s\",\"status\":\"%s\",\"pid\":%d,\"bundle\":\"",
	                 o->id, status, (int)pid);
	const char *p;

	for (p = o->bundle; *p && n > 0 && (size_t)n + 8 < size; p++)
		n += snprintf(buf + n, size - (size_t)n, *p == '"' || *p == '\\' ? "\\%c" : (unsigned char)*p < 0x20 ? "\\u%04x" : "%c", *p);
	n += snprintf(buf + n, n > 0 && (size_t)n < size ? size - (size_t)n : 0, "\",\"annotations\":%.*s}",
	              a ? a->end - a->start : 2, a ? j->text + a->start : "{}");
	return n > 0 && (size_t)n < size ? n : -1;
}

/* The strings of array T (validated) into V, NULL-terminated, their text
 * in BUF from USED on; returns the new USED. */
static size_t hook_strings(const struct json *j, int t, const char **v, char *buf, size_t used)
{
	int e, i, len;

	if (t < 0 || j->tok[t].type != JSON_ARRAY)
		return used;
	JSON_EACH(j, t, e, i) {
		if (i == MAX_ARGS - 1 || (len = json_str(j, e, buf + used, 65536 - used)) < 0)
			break;
		v[i] = buf + used;
		v[i + 1] = NULL;
		used += (size_t)len + 1;
	}
	return used;
}

/* Run the hooks of kind WHICH, each with the state (STATUS, PID) on its
 * stdin, and wait for each up to its timeout (oci_hook_timeout when it
 * gives none). A failure ends the process when FATAL, else it is a
 * warning. */
static void run_hooks(const struct oci *o, int which, const char *status, pid_t cpid, int fatal)
{
	static char strings[65536], state[65536];
	const struct json *j = o->j;
	const char *argv[MAX_ARGS], *envp[MAX_ARGS];
	char path[PATH_MAX];
	struct sigaction pipe_was;
	long long deadline, timeout;
	int h, n, fd[2], rc = 0;
	size_t used;
	pid_t pid;

	envp[0] = NULL;
	if (o->hooks[which] < 0)
		return;
	if (oci_state_json(o, status, cpid, state, sizeof(state)) < 0)
		die(EXIT_SETUP, "the state is too large for hooks");
	JSON_EACH(j, o->hooks[which], h, n) {
		json_str(j, json_get(j, h, "path"), path, sizeof(path));
		argv[0] = path;
		argv[1] = NULL;
		used = hook_strings(j, json_get(j, h, "args"), argv, strings, 0);
		hook_strings(j, json_get(j, h, "env"), envp, strings, used);
		timeout = oci_hook_timeout;
		json_int(j, json_get(j, h, "timeout"), 1, 86400, &timeout);
		if (pipe2(fd, O_CLOEXEC) < 0 || (pid = fork()) < 0)
			die(1, "hook %s:", path);
		if (pid == 0) {
			dup2(fd[0], STDIN_FILENO);
			execve(path, (char *const *)argv, (char *const *)envp);
			warn("%s hook %s:", hook_names[which], path);
			_exit(127);
		}
		close(fd[0]);
		sigaction(SIGPIPE, &(struct sigaction){ .sa_handler = SIG_IGN }, &pipe_was);
		if (write(fd[1], state, strlen(state)) < 0) { /* a hook need not read it */ }
		sigaction(SIGPIPE, &pipe_was, NULL);
		close(fd[1]);
		for (deadline = now_ms() + timeout * 1000; waitpid(pid, &rc, WNOHANG) == 0; sleep_ms(5))
			if (now_ms() > deadline) {
				kill(pid, SIGKILL);
				waitpid(pid, &rc, 0);
				rc = -1;
				break;
			}
		if (rc == 0)
			continue;
		if (rc < 0 && fatal)
			die(1, "%s hook %s: no end after %lld s", hook_names[which], path, timeout);
		if (fatal)
			die(1, "%s hook %s failed with status %d", hook_names[which], path, status_code(rc));
		warn("%s hook %s failed", hook_names[which], path);
	}
}

/* What the root gets after pivot_root, opened before: config.json's
 * mounts, the default device nodes, linux.devices. */
struct oci_carry {
	int fd[MAX_OCI_MOUNTS];
	char dir[MAX_OCI_MOUNTS];
	unsigned long prop[MAX_OCI_MOUNTS];  /* propagation to set once attached */
	int dev[MAX_OCI_DEVICES];
	struct carry k;
	int have_dev;
};

static uint64_t mount_attrs(unsigned long flags)
{
	return (flags & MS_RDONLY ? MOUNT_ATTR_RDONLY : 0) | (flags & MS_NOSUID ? MOUNT_ATTR_NOSUID : 0) |
	       (flags & MS_NODEV ? MOUNT_ATTR_NODEV : 0) | (flags & MS_NOEXEC ? MOUNT_ATTR_NOEXEC : 0);
}

/* Mount I of config.json, detached. Binds of what is not a device node
 * and every tmpfs are nodev: CAP_MKNOD makes nodes, nodev keeps them dead
 * (SPEC 7); the nodes a container may use are bound in. */
static void oci_mount_open(const struct json *j, int m, struct oci_carry *k, int i, int fresh)
{
	char dst[PATH_MAX], src[PATH_MAX], type[16] = "bind", data[256];
	unsigned long flags, bind, prop;
	struct mount_entry me;
	struct stat st;

	json_str(j, json_get(j, m, "destination"), dst, sizeof(dst));
	if (json_str(j, json_get(j, m, "source"), src, sizeof(src)) < 0)
		src[0] = '\0';
	json_str(j, json_get(j, m, "type"), type, sizeof(type));
	oci_mount_opts(j, m, &flags, &bind, &prop, data, sizeof(data));
	k->prop[i] = prop;
	k->have_dev |= !strcmp(dst, "/dev");
	if ((bind == 0) != fresh)
		return;
	if (bind) {
		if (stat(src, &st) < 0)
			die(EXIT_SETUP, "mount on %s: source %s:", dst, src);
		k->dir[i] = S_ISDIR(st.st_mode);
		if (!S_ISCHR(st.st_mode) && !S_ISBLK(st.st_mode))
			flags |= MS_NODEV;
		k->fd[i] = open_tree_clone(src, mount_attrs(flags), (bind & MS_REC) != 0);
		return;
	}
	if (!strcmp(type, "tmpfs"))
		flags |= MS_NODEV;
	me = (struct mount_entry){ src[0] ? src : type, dst, !strcmp(type, "cgroup") ? "cgroup2" : type, flags, data };
	k->dir[i] = 1;
	k->fd[i] = new_mount(&me);
}

/* A node of linux.devices: the host's node at the same path, if it is
 * the one asked for, bound in. */
static int oci_device_open(const struct json *j, int d)
{
	char path[PATH_MAX], type[4];
	long long maj = 0, min = 0;
	struct stat st;

	json_str(j, json_get(j, d, "path"), path, sizeof(path));
	json_str(j, json_get(j, d, "type"), type, sizeof(type));
	json_int(j, json_get(j, d, "major"), 0, 0xfff, &maj);
	json_int(j, json_get(j, d, "minor"), 0, 0xfffff, &min);
	if (stat(path, &st) < 0 || (type[0] == 'b' ? !S_ISBLK(st.st_mode) : !S_ISCHR(st.st_mode)) ||
	    st.st_rdev != makedev(maj, min))
		die(EXIT_SETUP, "linux.devices: the host has no node %s %lld:%lld at %s: nodes are bound from the host",
		    type, maj, min, path);
	return open_tree_clone(path, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC, 0);
}

/* FRESH 0: what comes from the host's paths (binds, nodes); 1: the new
 * filesystems, made by who will own them (a user namespace's root). */
static void oci_carry_in(const struct oci *o, struct oci_carry *k, int fresh)
{
	const struct json *j = o->j;
	char path[64];
	int e, i;

	k->have_dev = 0;
	if (o->mounts >= 0)
		JSON_EACH(j, o->mounts, e, i)
			oci_mount_open(j, e, k, i, fresh);
	if (fresh)
		return;
	for (i = 0; i < (int)LEN(container_devs); i++) {
		snprintf(path, sizeof(path), "/dev/%s", container_devs[i].name);
		k->k.dev[i] = open_tree_clone(path, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC, 0);
	}
	k->k.dev[i] = -1;
	if (o->devices >= 0)
		JSON_EACH(j, o->devices, e, i)
			k->dev[i] = oci_device_open(j, e);
}

static void oci_attach(const struct oci *o, struct oci_carry *k)
{
	const struct json *j = o->j;
	char dst[PATH_MAX];
	int e, i;

	if (o->mounts >= 0)
		JSON_EACH(j, o->mounts, e, i) {
			json_str(j, json_get(j, e, "destination"), dst, sizeof(dst));
			attach_at(k->fd[i], dst, k->dir[i]);
			if (k->prop[i] && mount(NULL, dst, NULL, k->prop[i], NULL) < 0)
				die(EXIT_SETUP, "propagation of %s:", dst);
		}
	if (k->have_dev)
		populate_dev(&k->k);
	if (o->devices >= 0)
		JSON_EACH(j, o->devices, e, i) {
			json_str(j, json_get(j, e, "path"), dst, sizeof(dst));
			attach_at(k->dev[i], dst, 0);
		}
}

/* linux.sysctl, written in the container's own /proc/sys. */
static void oci_sysctls_set(const struct oci *o)
{
	const struct json *j = o->j;
	char key[128], value[256], path[160], *p;
	int e, i;

	if (o->sysctl < 0)
		return;
	JSON_EACH(j, o->sysctl, e, i) {
		json_str(j, e, key, sizeof(key));
		json_str(j, e + 1, value, sizeof(value));
		for (p = key; *p; p++)
			*p = *p == '.' ? '/' : *p;
		must_path(path, sizeof(path), "/proc/sys/%s", key);
		if (write_file(path, value) < 0)
			die(EXIT_SETUP, "sysctl %s:", path);
	}
}

/* linux.maskedPaths and linux.readonlyPaths, instead of config.h's. */
static void oci_protect(const struct oci *o)
{
	const struct json *j = o->j;
	char path[PATH_MAX];
	int e, i;

	if (o->masked >= 0)
		JSON_EACH(j, o->masked, e, i)
			if (json_str(j, e, path, sizeof(path)) >= 0)
				mask_path(path);
	if (o->readonly_paths >= 0)
		JSON_EACH(j, o->readonly_paths, e, i)
			if (json_str(j, e, path, sizeof(path)) >= 0)
				readonly_path(path);
}

/* The root: root.path bound nodev, or with container.persist an overlay
 * of it and <persist>/<NAME>/upper; mounted on ROOT. */
static void oci_rootfs(const struct config *c, const struct oci *o, const char *root)
{
	struct layout l;

	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		die(EXIT_SETUP, "make / private:");
	if (!o->persist) {
		attach_at(open_tree_clone(o->root_path, MOUNT_ATTR_NODEV, 1), root, 1);
		return;
	}
	memset(&l, 0, sizeof(l));
	if (!realpath(o->root_path, l.lower))
		die(EXIT_SETUP, "root.path %s:", o->root_path);
	must_path(l.layer, sizeof(l.layer), "%s/%s", persist_dir, o->persist);
	copy_cut(l.root, sizeof(l.root), root);
	mount_overlay(&l, c->userns);
}

/* Join the namespaces config.json names by path (pid: the parent did, it
 * counts for children only). */
static void oci_join(const struct oci *o)
{
	size_t i;
	int fd;

	for (i = 0; i < LEN(oci_namespaces); i++) {
		if (!o->ns_path[i] || oci_namespaces[i].flag == CLONE_NEWPID)
			continue;
		if ((fd = open(o->ns_path[i], O_RDONLY | O_CLOEXEC)) < 0 || setns(fd, (int)oci_namespaces[i].flag) < 0)
			die(EXIT_SETUP, "join the %s namespace %s:", oci_namespaces[i].type, o->ns_path[i]);
		close(fd);
	}
}

/* What the process gets last, while it still holds its capabilities. */
static void oci_process_attrs(const struct config *c, const struct oci *o)
{
	char text[16], lsm[512];
	struct rlimit rl;
	int i;

	for (i = 0; i < o->nrlim; i++) {
		rl.rlim_cur = (rlim_t)o->rlim[i].soft;
		rl.rlim_max = (rlim_t)o->rlim[i].hard;
		if (syscall(SYS_prlimit64, 0, o->rlim[i].res, &rl, NULL) < 0)  /* setrlimit, without libc's thread sync */
			die(EXIT_SETUP, "process.rlimits:");
	}
	snprintf(text, sizeof(text), "%d", o->oom);
	if (o->has_oom && write_file("/proc/self/oom_score_adj", text) < 0)
		die(EXIT_SETUP, "process.oomScoreAdj %d:", o->oom);
	if (o->umask >= 0)
		umask((mode_t)o->umask);
	if ((o->ngroups || !c->userns) && setgroups((size_t)o->ngroups, o->groups) < 0)
		die(EXIT_SETUP, "process.user.additionalGids:");
	/* create left these out where the host has no such LSM, as runc */
	snprintf(lsm, sizeof(lsm), "exec %s", o->apparmor ? o->apparmor : "");
	if (o->apparmor && write_file("/proc/thread-self/attr/apparmor/exec", lsm) < 0 &&
	    write_file("/proc/thread-self/attr/exec", lsm) < 0)
		die(EXIT_SETUP, "process.apparmorProfile %s:", o->apparmor);
	if (o->selinux && write_file("/proc/thread-self/attr/exec", o->selinux) < 0)
		die(EXIT_SETUP, "process.selinuxLabel %s:", o->selinux);
}

/* The first process of a bundle container: joins and enters what
 * config.json asks, says it is ready, waits at the exec fifo for `start`,
 * runs startContainer hooks, execs. */
static void oci_child(const struct config *c, int go)
{
	const struct oci *o = c->oci;
	char path[PATH_MAX], root[PATH_MAX], byte;
	struct oci_carry k;
	pid_t pid;
	int fifo, base, err, con = -1, rootfd;

	if (read(go, &pid, sizeof(pid)) != sizeof(pid))
		_exit(EXIT_SETUP);
	close(go);
	/* stdio, the fds --preserve-fds passes, then the error pipe and the
	 * console socket; nothing else of the host's */
	base = 3 + o->preserve_fds;
	/* both out of the way first: the console socket may be fd BASE */
	if ((err = fcntl(g.err_fd, F_DUPFD_CLOEXEC, base + 2)) < 0 ||
	    (g.console >= 0 && (con = fcntl(g.console, F_DUPFD_CLOEXEC, base + 2)) < 0) ||
	    syscall(SYS_dup3, err, base, O_CLOEXEC) < 0 || (con >= 0 && syscall(SYS_dup3, con, base + 1, O_CLOEXEC) < 0))
		_exit(EXIT_SETUP);
	g.err_fd = base;
	g.console = g.console >= 0 ? base + 1 : -1;
	syscall(SYS_close_range, base + 2, ~0U, 0);
	setsid();
	oci_join(o);
	must_path(path, sizeof(path), "%s/exec.fifo", o->dir);
	must_path(root, sizeof(root), "%s/root", o->dir);
	if ((fifo = open(path, O_RDWR | O_CLOEXEC)) < 0)
		die(EXIT_SETUP, "open %s:", path);
	oci_rootfs(c, o, root);
	oci_carry_in(o, &k, 0);
	run_hooks(o, HOOK_CREATE_CONTAINER, "creating", pid, 1);
	/* Host root by id until here, for the bundle's and the state's paths
	 * (0700); from here the user namespace's root, mapped, who owns what
	 * is made inside. */
	if ((rootfd = open(root, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0)
		die(EXIT_SETUP, "open %s:", root);
	if (c->userns && (setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0))
		die(EXIT_SETUP, "become root of the user namespace:");
	oci_carry_in(o, &k, 1);
	if (syscall(SYS_fchdir, rootfd) < 0)
		die(EXIT_SETUP, "chdir %s:", root);
	close(rootfd);
	enter_root(".");
	if (o->rootfs_prop && mount(NULL, "/", NULL, o->rootfs_prop, NULL) < 0)
		die(EXIT_SETUP, "linux.rootfsPropagation:");
	oci_attach(o, &k);
	if ((o->ns_new & CLONE_NEWUTS) && c->hostname[0] && sethostname(c->hostname, strlen(c->hostname)) < 0)
		die(EXIT_SETUP, "set the hostname %s:", c->hostname);
	oci_sysctls_set(o);
	oci_protect(o);
	if (o->readonly && syscall(SYS_mount_setattr, AT_FDCWD, "/", 0,
	                           &(struct mount_attr_){ .attr_set = MOUNT_ATTR_RDONLY }, sizeof(struct mount_attr_)) < 0)
		die(EXIT_SETUP, "make the root read-only:");
#if WITH_NETNS
	if (o->ns_new & CLONE_NEWNET)
		loopback_up();
#endif
	if (c->workdir && (mkdir_p(c->workdir, 0755) < 0 || chdir(c->workdir) < 0))
		die(EXIT_SETUP, "process.cwd %s:", c->workdir);
	if (o->terminal)
		console_attach(g.console);
	/* ready: from now on errors go to the container's stderr, with the
	 * workload's exit codes (126, 127), not an OCI verb's 1 */
	if (write(g.err_fd, "", 1) != 1)
		_exit(EXIT_SETUP);
	close(g.err_fd);
	g.err_fd = -1;
	rt.fail1 = 0;
	if (read(fifo, &byte, 1) != 1)
		die(EXIT_SETUP, "wait for start:");
	close(fifo);
	run_hooks(o, HOOK_START_CONTAINER, "created", pid, 1);
	oci_process_attrs(c, o);
	exec_workload(c);
}
#endif

/* ---------- runtime state ---------- */

#if WITH_STATE
/* A state file: three paths and a dozen short fields. */
#define STATE_MAX (4 * PATH_MAX + 512)

struct state {
	pid_t pid, sup;              /* container's first process, supervisor */
	unsigned long long start;    /* start time of pid, against pid reuse */
	unsigned long long sup_start; /* start time of sup */
	char status[16];             /* created | running | stopped */
	int exit_code;
	char created[32];            /* RFC 3339 */
	char rootfs[PATH_MAX], persist[PATH_MAX], cgroup[PATH_MAX];
	long long peak;
	long ooms;                   /* over every run of this supervisor */
	int restarts;                /* by the restart policy */
};

static void runtime_path(const char *name, const char *file, char *out, size_t size)
{
	must_path(out, size, "%s/%s%s%s", RUNTIME_DIR, name, file ? "/" : "", file ? file : "");
}

#if WITH_LAUNCHER
/* <persist>/<NAME>[/FILE]: the persistent layer and what it holds. */
static void layer_path(const char *persist, const char *name, const char *file, char *out, size_t size)
{
	must_path(out, size, "%s/%s%s%s", persist, name, file ? "/" : "", file ? file : "");
}
#endif

/* Field 22 of /proc/PID/stat, 0 if there is no such process. */
static unsigned long long start_time(pid_t pid)
{
	char path[64], buf[1024], *p;
	unsigned long long t = 0;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	if (pid <= 0 || read_file(path, buf, sizeof(buf)) <= 0 || !(p = strrchr(buf, ')')) || p[2] == 'Z')
		return 0;  /* no such process, or a zombie: gone */
	t = strtoull(field(p + 2, 19), NULL, 10);
	return t;
}

#if WITH_LAUNCHER
/* Take NAME's lock: held by the supervisor as long as the container
 * lives, so one NAME never runs twice. Returns the fd, or -1 if held. */
static int lock_name(const char *name)
{
	char path[PATH_MAX];
	int fd;

	runtime_path(name, NULL, path, sizeof(path));
	if (mkdir_p(path, 0711) < 0)
		die(1, "mkdir %s:", path);
	runtime_path(name, "lock", path, sizeof(path));
	if ((fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600)) < 0)
		die(1, "open %s:", path);
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Is NAME's lock free (no supervisor left)? */
static int lock_free(const char *name)
{
	char path[PATH_MAX];
	int fd, free_;

	runtime_path(name, "lock", path, sizeof(path));
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return 1;
	free_ = flock(fd, LOCK_SH | LOCK_NB) == 0;
	close(fd);
	return free_;
}
#endif

static int state_load(const char *name, struct state *s)
{
	char path[PATH_MAX], buf[STATE_MAX], *line, *save;

	memset(s, 0, sizeof(*s));
	strcpy(s->status, "stopped");
	runtime_path(name, "state", path, sizeof(path));
	if (read_whole(path, buf, sizeof(buf)) < 0)
		return -1;
	for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *v = strchr(line, '=');

		if (!v)
			continue;
		*v++ = '\0';
		if (!strcmp(line, "pid")) s->pid = atoi(v);
		else if (!strcmp(line, "sup")) s->sup = atoi(v);
		else if (!strcmp(line, "start")) s->start = strtoull(v, NULL, 10);
		else if (!strcmp(line, "supstart")) s->sup_start = strtoull(v, NULL, 10);
		else if (!strcmp(line, "status")) copy_cut(s->status, sizeof(s->status), v);
		else if (!strcmp(line, "exit")) s->exit_code = atoi(v);
		else if (!strcmp(line, "created")) copy_cut(s->created, sizeof(s->created), v);
		else if (!strcmp(line, "rootfs")) copy_cut(s->rootfs, sizeof(s->rootfs), v);
		else if (!strcmp(line, "persist")) copy_cut(s->persist, sizeof(s->persist), v);
		else if (!strcmp(line, "cgroup")) copy_cut(s->cgroup, sizeof(s->cgroup), v);
		else if (!strcmp(line, "peak")) s->peak = atoll(v);
		else if (!strcmp(line, "ooms")) s->ooms = atol(v);
		else if (!strcmp(line, "restarts")) s->restarts = atoi(v);
	}
	return 0;
}

/* Is PID still the process that started at START (not a reused pid)? */
static int proc_is(pid_t pid, unsigned long long start)
{
	return pid > 0 && start && start_time(pid) == start;
}

/* Is the process of state S still the container's? */
static int alive(const struct state *s)
{
	return proc_is(s->pid, s->start);
}

#if WITH_BRIDGE && WITH_LAUNCHER
static int workload_alive(const char *name)
{
	struct state s;

	return state_load(name, &s) == 0 && alive(&s);
}
#endif

#if WITH_LAUNCHER
/* Send SIG to PID only while it is the process that started at START.
 * Through a pidfd opened before the check, the signal cannot reach a
 * process that took the pid after it. */
static int signal_proc(pid_t pid, unsigned long long start, int sig)
{
	int fd = pid > 0 ? (int)syscall(SYS_pidfd_open, pid, 0) : -1, rc;

	if (!proc_is(pid, start))
		rc = (errno = ESRCH, -1);
	else if (fd < 0)
		rc = kill(pid, sig);  /* a kernel without pidfds */
	else
		rc = (int)syscall(SYS_pidfd_send_signal, fd, sig, NULL, 0);
	if (fd >= 0)
		close(fd);
	return rc;
}

/* Poll DONE(ARG) every 10 ms for up to MS; 1 once it holds, else 0. */
static int poll_until(int (*done)(const void *), const void *arg, long ms)
{
	long long end = now_ms() + ms;

	while (!done(arg)) {
		if (now_ms() >= end)
			return 0;
		sleep_ms(10);
	}
	return 1;
}

/* NAME's state. A workload that has just died while its supervisor still
 * lives is given a moment to be recorded, with its real exit code; a
 * state whose process is gone, or whose pid now names another process,
 * is a stopped container. */
static int state_read(const char *name, struct state *s)
{
	int i;

	if (state_load(name, s) < 0)
		return -1;
	for (i = 0; i < 100 && strcmp(s->status, "stopped") && !alive(s) && !lock_free(name); i++) {
		sleep_ms(10);
		if (state_load(name, s) < 0)
			return -1;
	}
	if (strcmp(s->status, "stopped") && !alive(s) && !(WITH_OCI && !s->pid && !strcmp(s->status, "created")))
		strcpy(s->status, "stopped");
	if (!strcmp(s->status, "stopped"))
		s->pid = 0;
	return 0;
}

#endif

static void state_write(const char *name, const struct state *s)
{
	char path[PATH_MAX], buf[STATE_MAX];
	int n;

	runtime_path(name, "state", path, sizeof(path));
	n = snprintf(buf, sizeof(buf),
	             "pid=%d\nsup=%d\nstart=%llu\nsupstart=%llu\nstatus=%s\nexit=%d\ncreated=%s\nrootfs=%s\n"
	             "persist=%s\ncgroup=%s\npeak=%lld\nooms=%ld\nrestarts=%d\n",
	             (int)s->pid, (int)s->sup, s->start, s->sup_start, s->status, s->exit_code, s->created,
	             s->rootfs, s->persist, s->cgroup, s->peak, s->ooms, s->restarts);
	/* Runtime state does not outlive a reboot (SPEC: it lives on tmpfs):
	 * whole or old after a crash is enough, the rename need not last. */
	if (n < 0 || n >= (int)sizeof(buf))
		warn("%s: the state does not fit in %zu bytes", path, sizeof(buf));
	else if (write_atomic(path, buf, (size_t)n, 0) < 0)
		warn("write %s:", path);
}

/* A start: CODE 0, the workload runs as CH's pid; else it failed with CODE. */
static void state_started(const char *name, struct state *s, const struct child *ch, int code)
{
	copy_cut(s->cgroup, sizeof(s->cgroup), ch->cgroup);
	s->pid = code ? 0 : ch->pid;
	s->start = code ? 0 : start_time(ch->pid);
	s->exit_code = code;
	strcpy(s->status, code ? "stopped" : "running");
	state_write(name, s);
}

/* The end of a run with CODE, its memory PEAK and OOM kills (-1: unknown). */
static void state_stopped(const char *name, struct state *s, int code, long long peak, long ooms)
{
	s->pid = 0;
	s->exit_code = code;
	s->peak = peak;
	if (ooms > 0)
		s->ooms += ooms;
	strcpy(s->status, "stopped");
	state_write(name, s);
}

static void rfc3339(time_t t, char *out, size_t size)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	fmt_path(out, size, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900, tm.tm_mon + 1,
	         tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

#if WITH_MONITOR
/* Text for stdout (O NULL), or made in O's fixed buffer (the monitor's
 * answers), FULL once something did not fit. */
struct out { char *p; size_t n, size; int full; };

static void put(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(struct out *o, const char *fmt, ...)
{
	va_list ap;
	int k;

	va_start(ap, fmt);
	if (!o) {
		vprintf(fmt, ap);
	} else {
		k = vsnprintf(o->p + o->n, o->size - o->n, fmt, ap);
		if (k < 0 || (size_t)k >= o->size - o->n)
			o->full = 1;
		else
			o->n += (size_t)k;
	}
	va_end(ap);
}
#else
/* Without the monitor, text goes to stdout only. */
struct out;
#define put(o, ...) ((void)(o), printf(__VA_ARGS__))
#endif

static void json_string(struct out *o, const char *s)
{
	put(o, "\"");
	for (; *s; s++)
		put(o, *s == '"' || *s == '\\' ? "\\%c" : (unsigned char)*s < 0x20 ? "\\u%04x" : "%c", *s);
	put(o, "\"");
}

/* NAME's state as ps --json and state print it; with OPEN, without the
 * figures of its last run and the closing brace (the monitor adds its). */
static void print_json(struct out *o, const char *name, const struct state *s, int open)
{
	put(o, "{\"ociVersion\":\"1.0.2\",\"id\":");
	json_string(o, name);
	put(o, ",\"status\":\"%s\",\"pid\":%d,\"bundle\":", s->status, (int)s->pid);
	json_string(o, s->rootfs);
	put(o, ",\"rootfs\":");
	json_string(o, s->rootfs);
	put(o, ",\"created\":\"%s\"", s->created);
	if (!strcmp(s->status, "stopped"))
		put(o, ",\"exitCode\":%d", s->exit_code);
	if (open)
		return;
	if (s->peak > 0)
		put(o, ",\"memoryPeak\":%lld", s->peak);
	if (s->ooms >= 0 && (s->peak > 0 || s->ooms > 0))
		put(o, ",\"oomKills\":%ld", s->ooms);
	put(o, "}");
}

#endif

/* ---------- saved configuration ---------- */

#if WITH_LAUNCHER || WITH_IMAGES
static const char config_magic[] = "# container config 1\n";
static const char config_end[] = "# end\n";
#endif

#if WITH_LAUNCHER

/* Append ARG as one escaped line; past SIZE, POS becomes SIZE for good. */
static size_t put_arg(char *buf, size_t pos, size_t size, const char *arg)
{
	for (; *arg && pos + 2 < size; arg++) {
		if (*arg == '\\' || *arg == '\n')
			buf[pos++] = '\\';
		buf[pos++] = *arg == '\n' ? 'n' : *arg;
	}
	if (*arg || pos + 1 >= size)
		return size;
	buf[pos++] = '\n';
	return pos;
}

/* The configuration as run options, one per line: read back by the same
 * parser as the command line, so a saved config is never a second format.
 * Returns its length, or 0 if it does not fit in SIZE. */
static size_t config_format(const struct config *c, char *buf, size_t size)
{
	char v[PATH_MAX * 2 + 8], flag[NAME_MAX_LEN];
	const char *val;
	size_t pos, k;
	int i;

	pos = snprintf(buf, size, "%s", config_magic);
	for (k = 0; k < LEN(options); k++) {
		const struct opt *o = &options[k];

		if (!o->flag)
			continue;
		snprintf(flag, sizeof(flag), "--%s", o->flag);
		for (i = 0; o->get && (val = o->get(c, i, v, sizeof(v))); i++) {
			pos = put_arg(buf, pos, size, flag);
			if (o->takes)
				pos = put_arg(buf, pos, size, val);
		}
	}
	pos = put_arg(buf, pos, size, c->name);
	pos = put_arg(buf, pos, size, "--");
	/* no command given: none saved, so that an image's CMD still applies */
	for (i = 0; (!WITH_IMAGES || c->argv_set || c->argv != (char *const *)default_cmd) && c->argv[i]; i++)
		pos = put_arg(buf, pos, size, c->argv[i]);
	if (pos + sizeof(config_end) > size)
		return 0;
	memcpy(buf + pos, config_end, sizeof(config_end));
	return pos + sizeof(config_end) - 1;
}

#endif

#if WITH_LAUNCHER || WITH_IMAGES
/* Split a saved config into ARGV (unescaped in place); -1 if it is not a
 * complete config file. */
static int config_split(char *text, char **argv, int max)
{
	size_t n = strlen(text), m = strlen(config_end);
	char *line, *end, *r, *w;
	int argc = 0;

	if (strncmp(text, config_magic, strlen(config_magic)) || n < strlen(config_magic) + m ||
	    strcmp(text + n - m, config_end))
		return -1;
	text[n - m] = '\0';
	for (line = text + strlen(config_magic); *line; line = end + 1) {
		if (!(end = strchr(line, '\n')) || argc >= max - 1)
			return -1;
		*end = '\0';
		for (r = w = line; *r; r++, w++) {
			if (*r == '\\' && (r[1] == 'n' || r[1] == '\\'))
				*w = *++r == 'n' ? '\n' : '\\';
			else if (*r == '\\')
				return -1;
			else
				*w = *r;
		}
		*w = '\0';
		argv[argc++] = line;
	}
	argv[argc] = NULL;
	return argc;
}
#endif

/* ---------- images: the store, an image's config, A/B slots ---------- */

#if WITH_IMAGES
/* An image's config (SPEC 11): its /.container/image, in the format of a
 * saved config: "--KEY VALUE" pairs (entrypoint and env repeated, one
 * word or variable each), then "--" and CMD. Strings point into TEXT. */
struct image {
	char text[64 * 1024];
	char *argv[MAX_CONFIG_ARGS];
	const char *entry[MAX_ARGS], *env[MAX_ARGS], *cmd[MAX_CMD + 1];
	int nentry, nenv;
	const char *workdir, *user, *stop, *source, *digest, *created;
};

/* Parse IM->text in place; -1 if it is not an image config. Keys this
 * build does not use (expose, label) are skipped. */
static int image_parse(struct image *im)
{
	int argc = config_split(im->text, im->argv, (int)LEN(im->argv)), i, n = 0;
	const char *k, *v;

	if (argc < 0)
		return -1;
	for (i = 0; i < argc && strcmp(im->argv[i], "--"); i += 2) {
		if (i + 1 >= argc || strncmp(k = im->argv[i], "--", 2))
			return -1;
		v = im->argv[i + 1];
		k += 2;
		if (!strcmp(k, "entrypoint") && im->nentry < MAX_ARGS - 1)
			im->entry[im->nentry++] = v;
		else if (!strcmp(k, "env") && im->nenv < MAX_ARGS - 1 && parse_env(v) == 0)
			im->env[im->nenv++] = v;
		else if (!strcmp(k, "workdir") && v[0] == '/')
			im->workdir = v;
		else if (!strcmp(k, "user"))
			im->user = v;
		else if (!strcmp(k, "stop-signal"))
			im->stop = v;
		else if (!strcmp(k, "source"))
			im->source = v;
		else if (!strcmp(k, "digest"))
			im->digest = v;
		else if (!strcmp(k, "created"))
			im->created = v;
	}
	for (i++; i < argc && n < MAX_CMD; i++)
		im->cmd[n++] = im->argv[i];
	return 0;
}

/* Docker's rules: the image's settings are defaults. The command is
 * ENTRYPOINT + CMD; a command given replaces CMD and keeps ENTRYPOINT;
 * --entrypoint replaces ENTRYPOINT and drops CMD. The image's env comes
 * before -e (which wins key by key); -w, -u and a stop signal given win. */
static void image_apply(struct config *c, const struct image *im, const char *what)
{
	static const char *argv[MAX_ARGS + MAX_CMD + 1], *env[MAX_ARGS];
	const char *const *entry = c->entry_set ? c->entry : im->entry;
	const char *const *cmd = c->argv_set ? (const char *const *)c->argv : c->entry_set ? NULL : im->cmd;
	int n = 0, i, sig = 0;

	for (i = 0; i < (c->entry_set ? c->nentry : im->nentry); i++)
		argv[n++] = entry[i];
	for (i = 0; cmd && cmd[i] && n < (int)LEN(argv) - 1; i++)
		argv[n++] = cmd[i];
	argv[n] = NULL;
	if (n)
		c->argv = (char *const *)argv;
	for (n = 0; n < im->nenv; n++)
		env[n] = im->env[n];
	for (i = 0; i < c->nenv && n < MAX_ARGS - 1; i++)
		env[n++] = c->env[i];
	memcpy(c->env, env, n * sizeof(*env));
	c->nenv = n;
	if (!c->workdir)
		c->workdir = im->workdir;
	if (!c->user_set && im->user && parse_user(im->user, &c->uid, &c->gid) < 0)
		die(EXIT_SETUP, "%s: invalid user '%s' in its config", what, im->user);
	if (!c->stop_signal && im->stop && (sig = parse_signal(im->stop)) < 0)
		die(EXIT_SETUP, "%s: invalid stop signal '%s' in its config", what, im->stop);
	if (!c->stop_signal)
		c->stop_signal = sig;
}

/* The config of a mounted base image at DIR; an image without one (a
 * plain root filesystem) leaves C as it is, but for --entrypoint. */
static void image_config_dir(struct config *c, const char *dir)
{
	static struct image im;
	char path[PATH_MAX];

	memset(&im, 0, offsetof(struct image, argv));
	must_path(path, sizeof(path), "%s%s", dir, image_config);
	if (read_file(path, im.text, sizeof(im.text)) < 0) {
		if (errno != ENOENT)
			die(EXIT_SETUP, "read %s:", path);
		im.text[0] = '\0';
	} else if (image_parse(&im) < 0) {
		die(EXIT_SETUP, "%s: not an image config (import the image again)", path);
	}
	image_apply(c, &im, path);
}
#endif

#if WITH_IMAGES && WITH_LAUNCHER
/* The image store: $CONTAINER_IMAGES, else config.h's. */
static const char *images_path(void)
{
	const char *env = getenv(images_env);

	return env && *env ? env : images_dir;
}

/* NAME -> <images>/NAME.squashfs or .erofs; a path (holding '/') is taken
 * as it is. -1 if there is no such image. */
static int image_find(const char *name, char *path, size_t size)
{
	static const char *const ext[] = { "squashfs", "erofs" };
	size_t i;

	if (strchr(name, '/'))
		return fmt_path(path, size, "%s", name) < 0 || access(path, R_OK) < 0 ? -1 : 0;
	if (!valid_name(name))
		return errno = EINVAL, -1;
	for (i = 0; i < LEN(ext); i++)
		if (fmt_path(path, size, "%s/%s.%s", images_path(), name, ext[i]) == 0 && access(path, R_OK) == 0)
			return 0;
	return errno = ENOENT, -1;
}

/* --image NAME: its file in the store in place of the name. */
static void image_resolve(struct config *c)
{
	char path[PATH_MAX];

	if (!c->from_image)
		return;
	if (image_find(c->rootfs, path, sizeof(path)) < 0)
		die(EXIT_SETUP, "image %s: not found in %s (import one: initramfs/import.sh SRC NAME)",
		    c->rootfs, images_path());
	must_path(c->rootfs, sizeof(c->rootfs), "%s", path);
}

/* import.sh appends the config to the image file, then one line
 * "# container image LENGTH": read without mounting. -1 if it has none. */
static int image_trailer(const char *path, struct image *im)
{
	static const char tag[] = "# container image ";
	char foot[sizeof(tag) + 11];
	struct stat st;
	long len;
	int fd = open(path, O_RDONLY | O_CLOEXEC), ok = 0;

	memset(im, 0, offsetof(struct image, argv));
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) == 0 && st.st_size > (off_t)sizeof(foot) &&
	    pread(fd, foot, sizeof(foot) - 1, st.st_size - (off_t)sizeof(foot) + 1) == (ssize_t)sizeof(foot) - 1) {
		foot[sizeof(foot) - 2] = '\0';  /* the newline */
		ok = !strncmp(foot, tag, sizeof(tag) - 1) &&
		     parse_long(foot + sizeof(tag) - 1, 1, (long)sizeof(im->text) - 1, &len) == 0 &&
		     len < st.st_size && pread(fd, im->text, (size_t)len, st.st_size - (off_t)sizeof(foot) + 1 - len) == len;
	}
	close(fd);
	if (!ok)
		return -1;
	im->text[len] = '\0';
	return image_parse(im);
}

/* --image: the store's image and its config, applied to C. */
static void image_load(struct config *c)
{
	static struct image im;

	if (c->from_image && image_trailer(c->rootfs, &im) < 0)
		die(EXIT_SETUP, "image %s: no config found at its end (import it with initramfs/import.sh)", c->rootfs);
	image_apply(c, &im, c->rootfs);
}

static int print_image(int dirfd, const char *name, void *arg)
{
	static struct image im;
	char path[PATH_MAX], created[32];
	const char *dot = strrchr(name, '.');
	struct stat st;

	(void)arg;
	if (name[0] == '.' || !dot || (strcmp(dot, ".squashfs") && strcmp(dot, ".erofs")) ||
	    fstatat(dirfd, name, &st, 0) < 0 || !S_ISREG(st.st_mode) ||
	    fmt_path(path, sizeof(path), "%s/%s", images_path(), name) < 0)
		return 0;
	if (image_trailer(path, &im) < 0)
		im.source = im.created = NULL;
	rfc3339(st.st_mtime, created, sizeof(created));
	printf("%-24.*s %8.1fM  %-19.19s  %-12.12s  %s\n", (int)(dot - name), name, st.st_size / 1048576.0,
	       im.created ? im.created : created, im.digest ? im.digest + strcspn(im.digest, ":") + !!*im.digest : "-",
	       im.source ? im.source : "-");
	return 0;
}

/* container images: NAME SIZE CREATED SOURCE (and digest) of the store. */
static int cmd_images(int argc, char **argv)
{
	if (argc > 1 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")))
		return puts("usage: container images   list <images> (CONTAINER_IMAGES, else /var/lib/container/images)"), 0;
	if (argc > 1)
		die(1, "images: no arguments expected (usage: container images)");
	printf("%-24s %9s  %-19s  %-12s  %s\n", "NAME", "SIZE", "CREATED", "DIGEST", "SOURCE");
	fflush(stdout);
	if (each_entry(AT_FDCWD, images_path(), print_image, NULL) < 0 && errno != ENOENT)
		die(1, "images: %s:", images_path());
	return 0;
}
#endif

#if WITH_IMAGES && WITH_INIT
/* The A/B slot record at the top of the persistent partition: which
 * base slot (a GPT partition name) to boot, the one before it, and how
 * far the slot got. initramfs/appliance.sh --update writes "new"; then
 *   new      this boot tries the slot: "trying", confirmed "good" once
 *            the workload runs;
 *   trying   the last boot on the slot never reached its workload:
 *            back to the previous slot, the record says "failed";
 *   good, failed   boot the slot.
 * The kernel command line stays the same: any bootloader will do. */
struct slots { char slot[64], previous[64], state[16]; };

static int slot_trying;  /* this boot tries a new slot: confirm it */

static void slots_path(char *path, size_t size)
{
	must_path(path, size, "%s/persist/%s", init_mnt, slot_record);
}

static int slots_read(struct slots *s)
{
	char path[PATH_MAX], text[256], *line, *save, *v;

	slots_path(path, sizeof(path));
	memset(s, 0, sizeof(*s));
	if (read_file(path, text, sizeof(text)) < 0)
		return -1;
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (!(v = strchr(line, '=')))
			continue;
		*v++ = '\0';
		if (!strcmp(line, "slot")) copy_cut(s->slot, sizeof(s->slot), v);
		else if (!strcmp(line, "previous")) copy_cut(s->previous, sizeof(s->previous), v);
		else if (!strcmp(line, "state")) copy_cut(s->state, sizeof(s->state), v);
	}
	return s->slot[0] ? 0 : -1;
}

static void slots_write(const struct slots *s)
{
	char path[PATH_MAX], text[256];
	int n = snprintf(text, sizeof(text), "slot=%s\nprevious=%s\nstate=%s\n", s->slot, s->previous, s->state);

	slots_path(path, sizeof(path));
	if (write_atomic(path, text, (size_t)n, 1) < 0)
		die(EXIT_SETUP, "write %s:", path);
}

/* Choose the base image from the record, if there is one: LOWER becomes
 * PARTLABEL=<slot>. */
static void slots_choose(char *lower, size_t size)
{
	struct slots s;

	if (slots_read(&s) < 0)
		return;
	if (!strcmp(s.state, "trying") && s.previous[0]) {
		char failed[sizeof(s.slot)];

		warn("base slot %s never reached its workload: back to %s", s.slot, s.previous);
		memcpy(failed, s.slot, sizeof(failed));  /* swap */
		memcpy(s.slot, s.previous, sizeof(s.slot));
		memcpy(s.previous, failed, sizeof(s.previous));
		snprintf(s.state, sizeof(s.state), "failed");
		slots_write(&s);
	} else if (!strcmp(s.state, "new")) {
		snprintf(s.state, sizeof(s.state), "trying");
		slots_write(&s);
		slot_trying = 1;
	}
	must_path(lower, size, "PARTLABEL=%s", s.slot);
	debug("base slot %s (%s)", s.slot, s.state);
}

/* The workload runs: the slot on trial is good. */
static void slots_confirm(void)
{
	struct slots s;

	slot_trying = 0;
	if (slots_read(&s) < 0 || strcmp(s.state, "trying"))
		return;
	snprintf(s.state, sizeof(s.state), "good");
	slots_write(&s);
	sync();
}
#endif

/* ---------- launcher: options ---------- */

#if WITH_LAUNCHER
/* getopt's view of options[]: a letter, else 256 + the row. */
static const struct option *long_options(void)
{
	static struct option o[LEN(options) + 2];
	size_t i, n = 0;

	for (i = 0; i < LEN(options); i++)
		if (options[i].flag)
			o[n++] = (struct option){ options[i].flag, options[i].takes, NULL,
			                          options[i].letter ? options[i].letter : 256 + (int)i };
	o[n] = (struct option){ "help", 0, NULL, 'h' };
	return o;
}

static const char *short_options(void)
{
	static char s[2 * LEN(options) + 4];  /* bss, not a data page */
	size_t i, n = 3;

	if (s[0])
		return s;  /* made at the first call */
	memcpy(s, "+:h", n);
	for (i = 0; i < LEN(options); i++)
		if (options[i].letter) {
			s[n++] = options[i].letter;
			if (options[i].takes)
				s[n++] = ':';
		}
	return s;
}

static void run_usage(void)
{
	char left[64];
	size_t i;

	puts("usage: container run [OPTIONS] NAME [--] [CMD [ARG...]]");
	for (i = 0; i < LEN(options); i++) {
		const struct opt *o = &options[i];

		if (!o->flag)
			continue;
		snprintf(left, sizeof(left), "%s%c%s--%s%s%s", o->letter ? "-" : "", o->letter ? o->letter : ' ',
		         o->letter ? ", " : "", o->flag, o->meta ? " " : "", o->meta ? o->meta : "");
		printf("  %-25s %s\n", left + (o->letter ? 0 : 1), o->help);
	}
}

static void bad_value(const char *opt, const char *val) __attribute__((noreturn));
static void bad_value(const char *opt, const char *val)
{
	die(EXIT_SETUP, "invalid value '%s' for --%s (see container run --help)", val, opt + strspn(opt, "-"));
}

/* Parse run's ARGV (options, NAME, command) into C; 125 on any bad input,
 * before anything is touched. */
static void parse_run(int argc, char **argv, struct config *c)
{
	const struct option *longopts = long_options();
	const struct opt *o;
	int opt;
	size_t i;

	optind = 0;
	opterr = 0;
	c->cap_add = c->cap_drop = 0;
	while ((opt = getopt_long(argc, argv, short_options(), longopts, NULL)) != -1) {
		if (opt == 'h')
			run_usage(), exit(0);
		if (opt == ':')
			die(EXIT_SETUP, "option %s needs a value (see container run --help)", argv[optind - 1]);
		for (i = 0, o = NULL; i < LEN(options) && !o; i++)
			if (opt == (options[i].letter ? options[i].letter : 256 + (int)i))
				o = &options[i];
		if (!o)
			die(EXIT_SETUP, "unknown option %s (see container run --help)", argv[optind - 1]);
		if (o->set(c, o->takes ? optarg : "1") < 0)
			bad_value(o->flag, optarg);
	}
	/* As Docker: ALL added is every capability but those dropped; ALL
	 * dropped is only those added; else the defaults, adjusted. */
	if (c->cap_add == CAP_ALL_MASK)
		c->caps = CAP_ALL_MASK & ~c->cap_drop;
	else if (c->cap_drop == CAP_ALL_MASK)
		c->caps = c->cap_add;
	else
		c->caps = (c->caps & ~c->cap_drop) | c->cap_add;
	if (optind >= argc)
		die(EXIT_SETUP, "run: missing NAME (see container run --help)");
	if (!valid_name(argv[optind]))
		die(EXIT_SETUP, "invalid container name '%s': use [A-Za-z0-9][A-Za-z0-9_.-]{0,63}", argv[optind]);
	copy_cut(c->name, sizeof(c->name), argv[optind++]);
	if (optind < argc && !strcmp(argv[optind], "--"))
		optind++;
	if (argc - optind > MAX_CMD)
		die(EXIT_SETUP, "run: a command of more than %d words", MAX_CMD);
	if (optind < argc)
		c->argv = argv + optind;
	if (WITH_IMAGES && optind < argc)
		c->argv_set = 1;
	if (!c->rootfs[0])
		die(EXIT_SETUP, WITH_IMAGES ? "no rootfs: give --rootfs PATH or --image NAME" : "no rootfs: give --rootfs PATH");
	if ((c->npub || c->ip) && !c->bridge)
		die(EXIT_SETUP, "--publish and --ip need --net bridge");
#if WITH_IMAGES
	image_resolve(c);  /* for run, create and start alike */
#endif
}

/* Paths that must not depend on the current directory when saved. */
static void make_absolute(struct config *c)
{
	char abs[PATH_MAX];
	int i;

#if WITH_PROBE
	/* LABEL=, UUID=, PARTLABEL=, PARTUUID=: the device they name now */
	if (id_spec(c->rootfs) && find_by_id(c->rootfs, abs, sizeof(abs)) < 0)
		die(EXIT_SETUP, "rootfs %s: no such device", c->rootfs);
	if (id_spec(c->rootfs))
		must_path(c->rootfs, sizeof(c->rootfs), "%s", abs);
#endif
	if (!realpath(c->rootfs, abs))
		die(EXIT_SETUP, "rootfs %s:", c->rootfs);
	copy_cut(c->rootfs, sizeof(c->rootfs), abs);
	for (i = 0; i < c->nvol; i++) {
		if (!realpath(c->vol[i].src, abs))
			die(EXIT_SETUP, "volume %s:", c->vol[i].src);
		copy_cut(c->vol[i].src, sizeof(c->vol[i].src), abs);
	}
	if (c->persist[0] != '/')
		die(EXIT_SETUP, "--persist %s: give an absolute path", c->persist);
}

/* NAME's saved config, split into ARGV (of MAX): its argc, -1 when there
 * is none, -2 (said on stderr) when it cannot be read or is corrupt. */
static int read_config(const char *persist, const char *name, char **argv, int max)
{
	static char text[64 * 1024];
	char path[PATH_MAX];
	int argc = -1;

	layer_path(persist, name, "config", path, sizeof(path));
	if (read_whole(path, text, sizeof(text)) < 0) {
		if (errno == ENOENT)
			return -1;
	} else {
		argc = config_split(text, argv, max);
	}
	if (argc < 0) {
		warn("%s: saved config is corrupt or truncated; the persistent layer is kept", path);
		return -2;
	}
	return argc;
}

static int load_config(const char *persist, const char *name, struct config *c)
{
	int argc;

	config_defaults(c);  /* clears argbuf too */
	if ((argc = read_config(persist, name, c->argbuf + 1, MAX_CONFIG_ARGS - 1)) == -2)
		exit(1);
	if (argc < 0)
		return -1;
	c->argbuf[0] = "run";
	parse_run(argc + 1, c->argbuf, c);
	return 0;
}

static void save_config(const struct config *c)
{
	static char text[64 * 1024], old[64 * 1024];
	char path[PATH_MAX];
	size_t n = config_format(c, text, sizeof(text));

	if (n == 0)
		die(EXIT_SETUP, "the configuration of %s is too large to save (%zu bytes at most)", c->name, sizeof(text));

	/* Nobody but root may reach upper/: a setuid file or a device node
	 * made inside must not serve a local user on the host. */
	layer_path(c->persist, c->name, NULL, path, sizeof(path));
	if (mkdir_p(path, 0711) < 0 || chmod(path, 0700) < 0)
		die(EXIT_SETUP, "mkdir %s:", path);
	layer_path(c->persist, c->name, "config", path, sizeof(path));
	if (read_file(path, old, sizeof(old)) == (ssize_t)n && !memcmp(old, text, n))
		return;  /* unchanged: spare the disk two fsyncs */
	if (write_atomic(path, text, n, 1) < 0)
		die(EXIT_SETUP, "write %s:", path);
}
#endif

/* ---------- launcher: run and start ---------- */

#if WITH_LAUNCHER
static void launcher_layout(const struct config *c, struct layout *l)
{
	char run[PATH_MAX];
	struct stat st;

	runtime_path(c->name, NULL, run, sizeof(run));
	memset(l, 0, sizeof(*l));
	if (stat(c->rootfs, &st) < 0)
		die(EXIT_SETUP, "rootfs %s:", c->rootfs);
	if (S_ISDIR(st.st_mode)) {
		must_path(l->lower, sizeof(l->lower), "%s", c->rootfs);
	} else {
		must_path(l->image, sizeof(l->image), "%s", c->rootfs);
		must_path(l->lower, sizeof(l->lower), "%s/lower", run);
	}
	if (c->volatile_root)
		must_path(l->layer, sizeof(l->layer), "%s/volatile", run);
	else
		layer_path(c->persist, c->name, NULL, l->layer, sizeof(l->layer));
	must_path(l->root, sizeof(l->root), "%s/root", run);
	/* made here: in a user namespace the child may not write in <run> */
	if (mkdir_p(l->root, 0755) < 0 || (c->volatile_root && mkdir_p(l->layer, 0755) < 0) ||
	    (l->image[0] && mkdir_p(l->lower, 0755) < 0))
		die(EXIT_SETUP, "mkdir in %s:", run);
}

/* Start the container and supervise it until it ends for good (restarts
 * included). The first start's outcome is reported on REPORT and through
 * NOTIFY (one byte: 0 or the exit code) when NOTIFY >= 0. Returns the exit
 * code of the last run. */
static int run_supervised(const struct config *c, int report, int notify)
{
	struct state s = { 0 };
	struct child ch = { 0 };
	struct layout l;
	int code, stop = 0;
	unsigned char byte;
	long long peak;
	long ooms;

	launcher_layout(c, &l);
#if WITH_USERNS
	if (c->userns && !c->volatile_root)
		chown_layer(l.layer);
	/* A user namespace may neither attach a loop device nor mount an
	 * image: the supervisor mounts it, in a mount namespace of its own
	 * that ends with it, and the container inherits the mount. */
	if (c->userns && l.image[0]) {
		if (unshare(CLONE_NEWNS) < 0 || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
			die(EXIT_SETUP, "a mount namespace for the image %s:", l.image);
		mount_image(l.image, l.lower);
		l.image[0] = '\0';
	}
#endif
	s.sup = getpid();
	s.sup_start = start_time(s.sup);
	rfc3339(time(NULL), s.created, sizeof(s.created));
	copy_cut(s.rootfs, sizeof(s.rootfs), c->rootfs);
	copy_cut(s.persist, sizeof(s.persist), c->persist);
#if WITH_BRIDGE
	forward_start(c);
#endif
	for (;;) {
#if WITH_CGROUPS
		cgroup_create(c, 0, ch.cgroup, sizeof(ch.cgroup));
#endif
		spawn(c, &l, 0, &ch);
		code = started(&ch, report);
#if WITH_CGROUPS
		if (code)
			cgroup_remove(ch.cgroup);
#endif
		state_started(c->name, &s, &ch, code);
		if (notify >= 0) {
			byte = (unsigned char)code;
			if (write(notify, &byte, 1) < 0) { /* the launcher is gone */ }
			close(notify);
			notify = -1;
			/* the launcher's stderr, kept for this report: let it go */
			close(report);
			report = STDERR_FILENO;
			g.report_fd = -1;
		}
		if (code)
			break;
		code = status_code(supervise(ch.pid, 0, stop_grace, WITH_IMAGES && c->stop_signal ? c->stop_signal : SIGTERM, &stop));
		peak = ooms = -1;
#if WITH_CGROUPS
		if (ch.cgroup[0]) {
			cgroup_stats(ch.cgroup, &peak, &ooms);
			cgroup_remove(ch.cgroup);
		}
#endif
		state_stopped(c->name, &s, code, peak, ooms);
		if (stop || !restart_due(c, code, s.restarts) || backoff_sleep(backoff_ms(s.restarts)))
			break;
		s.restarts++;
	}
#if WITH_BRIDGE
	net_down();
#endif
	return code;
}

/* -d: a supervisor, double-forked into its own session with its output in
 * <runtime>/<NAME>/log, runs the container; the launcher returns once the
 * first start is known to have worked or failed. */
static int run_detached(const struct config *c)
{
	char log[PATH_MAX];
	unsigned char code = EXIT_SETUP;
	int pipefd[2], fd, report, null;
	pid_t pid;

	runtime_path(c->name, "log", log, sizeof(log));
	if (pipe2(pipefd, O_CLOEXEC) < 0 || (pid = fork()) < 0)
		die(EXIT_SETUP, "start a supervisor:");
	if (pid > 0) {
		close(pipefd[1]);
		waitpid(pid, NULL, 0);
		if (read(pipefd[0], &code, 1) != 1)
			return EXIT_SETUP;
		return code;
	}
	close(pipefd[0]);
	if (setsid() < 0 || (pid = fork()) < 0)
		_exit(EXIT_SETUP);
	if (pid > 0)
		_exit(0);
	report = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
	fd = open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	null = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (report < 0 || fd < 0 || null < 0 || dup2(null, 0) < 0 || dup2(fd, 1) < 0 || dup2(fd, 2) < 0)
		die(EXIT_SETUP, "redirect to %s:", log);
	close(fd);
	close(null);
	g.report_fd = report;  /* until the first start is reported */
	if (chdir("/") < 0)
		die(EXIT_SETUP, "chdir /:");
	_exit(run_supervised(c, report, pipefd[1]));
}

/* NAME's lock is held. A supervisor that has recorded "stopped" is on its
 * way out: wait a little for it; else NAME is running. */
static int lock_after_stop(const char *name)
{
	struct state s;
	int lock = -1, i;

	for (i = 0; i < 200 && lock < 0; i++) {
		if (state_read(name, &s) < 0 || strcmp(s.status, "stopped"))
			break;
		sleep_ms(10);
		lock = lock_name(name);
	}
	if (lock < 0)
		die(1, "%s is already running", name);
	return lock;
}

/* Run C: take its NAME's lock, save its config, start it. */
static int launch(struct config *c)
{
	struct state s;
	int lock;

	if (geteuid() != 0)
		die(EXIT_SETUP, "%s: namespaces and mounts need root: run as root", c->name);
	/* The container gets no group of the caller's: in a user namespace
	 * "deny" in setgroups keeps it from dropping them itself. */
	if (setgroups(0, NULL) < 0)
		die(EXIT_SETUP, "drop the supplementary groups:");
	make_absolute(c);
	if (access(c->rootfs, R_OK) < 0)
		die(EXIT_SETUP, "rootfs %s:", c->rootfs);
#if WITH_CGROUPS
	cgroup_check(c, 0);
#endif
#if WITH_BRIDGE
	net_check(c);
#endif
	if ((lock = lock_name(c->name)) < 0)
		lock = lock_after_stop(c->name);
	if (state_read(c->name, &s) == 0 && alive(&s))
		die(1, "%s is already running (pid %d, its supervisor is gone): stop it first", c->name, (int)s.pid);
	save_config(c);
#if WITH_IMAGES
	image_load(c);  /* after saving: start applies the image's config again */
#endif
#if WITH_BRIDGE
	net_up(c);
#endif
	block_signals();
	if (c->detach)
		return run_detached(c);
	return run_supervised(c, STDERR_FILENO, -1);
}

static int cmd_run(int argc, char **argv)
{
	struct config c;

	config_defaults(&c);
	parse_run(argc, argv, &c);
	return launch(&c);
}

/* Parse "[-x ...] NAME" style arguments shared by the small commands. */
static const char *parse_name(int argc, char **argv, const char *opts, const struct option *longopts,
                              const char *usage, int (*take)(int opt, const char *arg))
{
	int opt;

	optind = 0;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, opts, longopts, NULL)) != -1) {
		if (opt == 'h') {
			printf("usage: container %s\n", usage);
			exit(0);
		}
		if (opt == '?' || opt == ':' || take(opt, optarg) < 0)
			die(1, "%s: bad option %s (usage: container %s)", argv[0], argv[optind - 1], usage);
	}
	if (optind >= argc || !valid_name(argv[optind]))
		die(1, "%s: %s (usage: container %s)", argv[0],
		    optind >= argc ? "missing NAME" : "invalid container name", usage);
	return argv[optind];
}

static struct {
	int attach, force, purge, all, json, grace;
	char persist[PATH_MAX];
} opt;

static int take_opt(int o, const char *arg)
{
	long n;

	switch (o) {
	case 'a': opt.attach = 1; return 0;
	case 'f': opt.force = 1; return 0;
	case 'p': opt.purge = 1; return 0;
	case 'j': opt.json = 1; return 0;
	case 'P': return fmt_path(opt.persist, sizeof(opt.persist), "%s", arg);
	case 't': return parse_long(arg, 0, 86400, &n) < 0 ? -1 : (opt.grace = (int)n, 0);
	}
	return -1;
}

static const struct option small_options[] = {
	{ "attach", 0, NULL, 'a' }, { "force", 0, NULL, 'f' }, { "purge", 0, NULL, 'p' },
	{ "persist", 1, NULL, 'P' }, { "time", 1, NULL, 't' }, { "all", 0, NULL, 'A' },
	{ "json", 0, NULL, 'j' }, { "help", 0, NULL, 'h' }, { NULL, 0, NULL, 0 },
};

static const char *persist_of(const char *name)
{
	struct state s;

	if (opt.persist[0])
		return opt.persist;
	if (state_read(name, &s) == 0 && s.persist[0])
		return strcpy(opt.persist, s.persist);
	return persist_dir;
}

static int cmd_start(int argc, char **argv)
{
	const char *name = parse_name(argc, argv, "+:aP:h", small_options, "start [-a] [--persist DIR] NAME", take_opt);
	struct config c;

	if (load_config(persist_of(name), name, &c) < 0)
		die(1, "%s: no saved config in %s/%s (was it ever run?)", name, persist_of(name), name);
	c.detach = !opt.attach;
	return launch(&c);
}

/* ---------- launcher: stop, kill, exec ---------- */

static void must_run(const char *name, struct state *s)
{
	if (state_read(name, s) < 0 || strcmp(s->status, "running"))
		die(1, "%s is not running", name);
}

/* Are the supervisor and the workload of state S both gone? Each by its
 * pid and start time: a new start of the same NAME is not this one. */
static int container_gone(const void *arg)
{
	const struct state *s = arg;

	return !proc_is(s->sup, s->sup_start) && !alive(s);
}

/* cgroup.kill of the group of S, only while the workload of S is in it:
 * the group is held open while that is checked, so a group of the same
 * name made by a later start is out of reach. */
static void cgroup_kill(const struct state *s)
{
	int dir = s->cgroup[0] ? open(s->cgroup, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
	int fd = dir >= 0 && alive(s) ? openat(dir, "cgroup.kill", O_WRONLY | O_CLOEXEC) : -1;

	if (fd >= 0 && write(fd, "1", 1) < 0)
		warn("%s/cgroup.kill:", s->cgroup);
	if (fd >= 0)
		close(fd);
	if (dir >= 0)
		close(dir);
}

/* SIGTERM through the supervisor (so it does not restart, even in its
 * back-off), SIGKILL to the container after GRACE seconds, then wait until
 * it is really gone. A workload whose supervisor died is signalled
 * directly, and its end recorded here. Every signal goes to a process
 * known by pid and start time, never to a pid that was reused. */
static void stop_container(const char *name, int grace)
{
	struct state s;
	int supervised;

	if (state_read(name, &s) < 0)
		die(1, "%s is not running", name);
	supervised = proc_is(s.sup, s.sup_start);
	if (!supervised && !alive(&s))
		die(1, "%s is not running", name);
	if (supervised)
		signal_proc(s.sup, s.sup_start, SIGTERM);
	else
		signal_proc(s.pid, s.start, SIGTERM);
	if (!poll_until(container_gone, &s, grace * 1000L)) {
		signal_proc(s.pid, s.start, SIGKILL);
		cgroup_kill(&s);
		if (!poll_until(container_gone, &s, 10000))
			die(1, "%s: still running 10 s after SIGKILL", name);
	}
	if (!supervised) {
		strcpy(s.status, "stopped");
		s.exit_code = 128 + SIGKILL;
		state_write(name, &s);
	}
}

static int cmd_stop(int argc, char **argv)
{
	const char *name;

	opt.grace = stop_grace;
	name = parse_name(argc, argv, "+:t:h", small_options, "stop [-t SECONDS] NAME", take_opt);
	stop_container(name, opt.grace);
	return 0;
}

static int cmd_kill(int argc, char **argv)
{
	const char *name = parse_name(argc, argv, "+:h", small_options, "kill NAME [SIGNAL]", take_opt);
	const char *signame = optind + 1 < argc ? argv[optind + 1] : "TERM";
	struct state s;
	int sig = parse_signal(signame);

	if (sig < 0)
		die(1, "kill: unknown signal '%s'", signame);
	must_run(name, &s);
	if (signal_proc(s.pid, s.start, sig) < 0)
		die(1, "kill %s:", name);
	return 0;
}

/* Join every namespace of PID: one setns() on a pidfd where the kernel
 * has it, else one /proc/PID/ns file at a time (user first, mount last). */
static void join_namespaces(pid_t pid, unsigned long long start, unsigned long flags)
{
	static const struct { unsigned long flag; const char *name; } ns[] = {
		{ CLONE_NEWUSER, "user" }, { CLONE_NEWIPC, "ipc" }, { CLONE_NEWUTS, "uts" },
		{ CLONE_NEWNET, "net" }, { CLONE_NEWPID, "pid" }, { CLONE_NEWCGROUP, "cgroup" },
		{ CLONE_NEWNS, "mnt" },
	};
	char path[64];
	size_t i;
	int fd = (int)syscall(SYS_pidfd_open, pid, 0);

	if (!proc_is(pid, start))  /* checked with the pidfd open: not a reused pid */
		die(1, "the container's process %d is gone", (int)pid);
	if (fd >= 0 && setns(fd, (int)flags) == 0)
		return close(fd), (void)0;
	if (fd >= 0)
		close(fd);
	for (i = 0; i < LEN(ns); i++) {
		if (!(flags & ns[i].flag))
			continue;
		snprintf(path, sizeof(path), "/proc/%d/ns/%s", (int)pid, ns[i].name);
		if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0 || setns(fd, 0) < 0)
			die(1, "join %s:", path);
		close(fd);
	}
}

/* exec runs with the container's saved configuration (capabilities,
 * environment, user), overridden by exec's own -e, -w and -u in C. */
static void exec_override(struct config *base, const struct config *c, int user_given)
{
	int i;

	for (i = 0; i < c->nenv && base->nenv < MAX_ARGS - 1; i++)
		base->env[base->nenv++] = c->env[i];
	if (c->workdir)
		base->workdir = c->workdir;
	if (user_given) {
		base->uid = c->uid;
		base->gid = c->gid;
	}
}

static void exec_config(struct config *c, const char *persist, const char *name, int user_given)
{
	struct config saved;

	if (load_config(persist, name, &saved) < 0)
		return;
#if WITH_IMAGES
	image_load(&saved);  /* the image's env, workdir and user, as docker exec */
#endif
	exec_override(&saved, c, user_given);
	*c = saved;
}


static int cmd_exec(int argc, char **argv)
{
	struct config c;
	struct state s;
	const char *name;
	char path[PATH_MAX], pid_text[16];
	int o, status, stop = 0, user_given = 0;
	char **cmd;
	pid_t pid;

	config_defaults(&c);
	optind = 0;
	opterr = 0;
	while ((o = getopt_long(argc, argv, "+:e:w:u:h", long_options(), NULL)) != -1) {
		if (o == 'e' && parse_env(optarg) == 0 && c.nenv < MAX_ARGS - 1)
			c.env[c.nenv++] = optarg;
		else if (o == 'w' && optarg[0] == '/')
			c.workdir = optarg;
		else if (o == 'u' && parse_user(optarg, &c.uid, &c.gid) == 0)
			user_given = 1;
		else if (o == 'h')
			return puts("usage: container exec [-e K=V] [-w DIR] [-u UID[:GID]] NAME CMD [ARG...]"), 0;
		else
			die(1, "exec: bad option %s", argv[optind - 1]);
	}
	if (optind + 1 >= argc || !valid_name(argv[optind]))
		die(1, "exec: usage: container exec [-e K=V] [-w DIR] [-u UID[:GID]] NAME CMD [ARG...]");
	name = argv[optind];
	cmd = argv + optind + 1;
	must_run(name, &s);
	exec_config(&c, s.persist, name, user_given);
	c.argv = cmd;
	if (s.cgroup[0]) {
		must_path(path, sizeof(path), "%s/cgroup.procs", s.cgroup);
		snprintf(pid_text, sizeof(pid_text), "%d", (int)getpid());
		if (write_file(path, pid_text) < 0)
			die(1, "join cgroup %s:", s.cgroup);
	}
	/* no group of the caller's inside (a user namespace denies
	 * setgroups), and a child the workload cannot open /proc/PID/exe of
	 * until it execs */
	if (setgroups(0, NULL) < 0 || prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
		die(1, "exec: drop groups and dumpable:");
	join_namespaces(s.pid, s.start, namespace_flags(&c) | CLONE_NEWCGROUP);
	block_signals();
	if ((pid = fork()) < 0)
		die(1, "fork:");
	if (pid == 0) {
		if (chdir(c.workdir ? c.workdir : "/") < 0)
			die(EXIT_CANNOT, "workdir %s:", c.workdir);
		exec_workload(&c);
	}
	status = supervise(pid, 0, 0, SIGTERM, &stop);
	return status_code(status);
}

/* ---------- launcher: ps, state, rm, reset ---------- */

/* What is known of NAME: its runtime state, else its saved config (a
 * container after a host reboot). -1 if neither exists. */
static int describe(const char *name, const char *persist, struct state *s)
{
	static char *argv[MAX_CONFIG_ARGS];
	struct stat st;
	char path[PATH_MAX];
	int argc;

	if (state_read(name, s) == 0)
		return 0;
	/* its --rootfs, the first line: without the option parser, which
	 * would end ps -a at the first config it refuses */
	layer_path(persist, name, "config", path, sizeof(path));
	if (stat(path, &st) < 0 || (argc = read_config(persist, name, argv, LEN(argv))) == -1)
		return -1;
	fmt_path(s->rootfs, sizeof(s->rootfs), "%s", argc >= 2 && !strcmp(argv[0], "--rootfs") ? argv[1] : "?");
	copy_cut(s->persist, sizeof(s->persist), persist);
	rfc3339(st.st_mtime, s->created, sizeof(s->created));
	return 0;
}

static int cmd_state(int argc, char **argv)
{
	const char *name = parse_name(argc, argv, "+:P:h", small_options, "state [--persist DIR] NAME", take_opt);
	struct state s;

	if (describe(name, persist_of(name), &s) < 0)
		die(1, "%s: no such container", name);
	print_json(NULL, name, &s, 0);
	putchar('\n');
	return 0;
}

static void sort_names(char **names, int n)
{
	char *x;
	int i, j;

	for (i = 1; i < n; i++) {
		for (x = names[i], j = i; j > 0 && strcmp(names[j - 1], x) > 0; j--)
			names[j] = names[j - 1];
		names[j] = x;
	}
}

/* Container names seen in the directories ps lists, without repeats. */
static struct {
	char name[4096][NAME_MAX_LEN + 1];
	char *sorted[4096];
	int n;
} known;

static int add_name(int dirfd, const char *name, void *arg)
{
	int i;

	(void)dirfd;
	(void)arg;
	if (!valid_name(name) || known.n >= (int)LEN(known.name))
		return 0;
	for (i = 0; i < known.n; i++)
		if (!strcmp(known.name[i], name))
			return 0;
	copy_cut(known.name[known.n], sizeof(known.name[0]), name);
	known.sorted[known.n] = known.name[known.n];
	known.n++;
	return 0;
}

static int cmd_ps(int argc, char **argv)
{
	char **names = known.sorted;
	const char *persist;
	struct state s;
	int o, n, i, shown = 0;

	optind = 0;
	opterr = 0;
	while ((o = getopt_long(argc, argv, "+:ajP:h", small_options, NULL)) != -1) {
		if (o == 'a' || o == 'A')
			opt.all = 1;
		else if (o == 'h')
			return puts("usage: container ps [-a] [--json] [--persist DIR]"), 0;
		else if (take_opt(o, optarg) < 0)
			die(1, "ps: bad option %s", argv[optind - 1]);
	}
	persist = opt.persist[0] ? opt.persist : persist_dir;
	each_entry(AT_FDCWD, RUNTIME_DIR, add_name, NULL);
	if (opt.all)
		each_entry(AT_FDCWD, persist, add_name, NULL);
	n = known.n;
	sort_names(names, n);
	if (opt.json)
		putchar('[');
	else
		printf("%-20s %-8s %-8s %-20s %s\n", "NAME", "PID", "STATUS", "CREATED", "ROOTFS");
	for (i = 0; i < n; i++) {
		if (describe(names[i], persist, &s) < 0 || (!opt.all && strcmp(s.status, "running")))
			continue;
		if (opt.json) {
			if (shown++)
				putchar(',');
			print_json(NULL, names[i], &s, 0);
		} else {
			printf("%-20s %-8d %-8s %-20s %s\n", names[i], (int)s.pid, s.status, s.created, s.rootfs);
		}
	}
	if (opt.json)
		puts("]");
	return 0;
}

static int cmd_rm(int argc, char **argv)
{
	const char *name = parse_name(argc, argv, "+:fpP:h", small_options,
	                              "rm [-f] [--purge] [--persist DIR] NAME", take_opt);
	const char *persist = persist_of(name);
	char path[PATH_MAX];
	struct state s;
	int lock;

	if (describe(name, persist, &s) < 0)
		die(1, "%s: no such container", name);
	if (!strcmp(s.status, "running") || !lock_free(name)) {
		if (!opt.force)
			die(1, "%s is running: stop it first, or use rm -f", name);
		stop_container(name, 0);
	}
	if ((lock = lock_name(name)) < 0)
		die(1, "%s was started again meanwhile", name);
	if (opt.purge) {
		layer_path(persist, name, NULL, path, sizeof(path));
		if (remove_tree(path) < 0)
			die(1, "remove %s:", path);
	}
	runtime_path(name, NULL, path, sizeof(path));
	if (remove_tree(path) < 0)
		die(1, "remove %s:", path);
	close(lock);
	return 0;
}

/* Discard the changes: upper/ and work/ are renamed aside, made again
 * empty, then the old ones deleted. A crash leaves the old layer or an
 * empty one, never half of one; what was set aside goes at the next
 * reset or rm --purge. */
static int cmd_reset(int argc, char **argv)
{
	const char *name = parse_name(argc, argv, "+:P:h", small_options, "reset [--persist DIR] NAME", take_opt);
	const char *persist = persist_of(name);
	static const char *const dirs[] = { "upper", "work" };
	char path[PATH_MAX], aside[PATH_MAX], file[16];
	struct state s;
	size_t i;
	int lock;

	if (describe(name, persist, &s) < 0)
		die(1, "%s: no such container", name);
	if ((lock = lock_name(name)) < 0)
		die(1, "%s is running: stop it before reset", name);
	if (state_read(name, &s) == 0 && alive(&s))  /* its supervisor died: as rm */
		die(1, "%s is running (pid %d, its supervisor is gone): stop it before reset", name, (int)s.pid);
	for (i = 0; i < LEN(dirs); i++) {
		layer_path(persist, name, dirs[i], path, sizeof(path));
		must_path(file, sizeof(file), ".%s.old", dirs[i]);
		layer_path(persist, name, file, aside, sizeof(aside));
		if (remove_tree(aside) < 0 || (rename(path, aside) < 0 && errno != ENOENT) ||
		    mkdir(path, 0755) < 0)
			die(1, "reset %s:", path);
	}
	for (i = 0; i < LEN(dirs); i++) {
		must_path(file, sizeof(file), ".%s.old", dirs[i]);
		layer_path(persist, name, file, aside, sizeof(aside));
		if (remove_tree(aside) < 0)
			die(1, "reset: remove %s:", aside);
	}
	close(lock);
	return 0;
}

#if WITH_MONITOR
static int cmd_monitor(int argc, char **argv);
#endif
#endif

/* ---------- OCI runtime: create, start, state, kill, delete, ... ---------- */

#if WITH_OCI
/* The container being created, undone by oci_undo() in die() unless its
 * creation finished: nothing is left behind by a failure. */
static struct {
	struct oci *o;
	pid_t pid;
	char cgroup[PATH_MAX];
	int done;
} making;

/* Is LSM NAME active on this host? */
static int lsm_enabled(const char *name)
{
	char list[256];

	return read_file("/sys/kernel/security/lsm", list, sizeof(list)) > 0 && strstr(list, name);
}

/* <persist>/<NAME>/owner names the live container that holds NAME: one at
 * a time. Taken under flock; a holder that is gone is replaced. */
static void persist_take(const struct oci *o)
{
	char path[PATH_MAX], owner[NAME_MAX_LEN + 2], state[PATH_MAX];
	struct state s;
	int fd, n;

	must_path(path, sizeof(path), "%s/%s", persist_dir, o->persist);
	if (mkdir_p(path, 0700) < 0)
		die(1, "mkdir %s:", path);
	must_path(path, sizeof(path), "%s/%s/owner", persist_dir, o->persist);
	if ((fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600)) < 0 || flock(fd, LOCK_EX) < 0)
		die(1, "open %s:", path);
	if ((n = (int)pread(fd, owner, sizeof(owner) - 1, 0)) > 0) {
		owner[n] = '\0';
		runtime_path(owner, "state", state, sizeof(state));
		if (valid_name(owner) && strcmp(owner, o->id) && access(state, F_OK) == 0 &&
		    state_read(owner, &s) == 0 && alive(&s))
			die(1, "container.persist=%s is in use by container %s", o->persist, owner);
	}
	if (ftruncate(fd, 0) < 0 || pwrite(fd, o->id, strlen(o->id), 0) != (ssize_t)strlen(o->id))
		die(1, "write %s:", path);
	close(fd);
}

static void persist_release(const char *name, const char *id)
{
	char path[PATH_MAX], owner[NAME_MAX_LEN + 2];

	must_path(path, sizeof(path), "%s/%s/owner", persist_dir, name);
	if (read_file(path, owner, sizeof(owner)) > 0 && !strcmp(owner, id))
		unlink(path);
}

static void oci_undo(void)
{
	char dir[PATH_MAX];

	if (!making.o || making.done)
		return;
	making.done = 1;  /* once: a die() in here ends it */
	if (making.pid > 0) {
		kill(making.pid, SIGKILL);
		waitpid(making.pid, NULL, 0);
	}
#if WITH_CGROUPS
	cgroup_remove(making.cgroup);
#endif
	if (making.o->persist)
		persist_release(making.o->persist, making.o->id);
	copy_cut(dir, sizeof(dir), making.o->dir);
	remove_tree(dir);
}

/* The parent's part between clone and go: id maps, then the prestart and
 * createRuntime hooks, which see the new namespaces. */
static void oci_spawned(const struct oci *o, pid_t pid)
{
	char path[64];

	making.pid = pid;
	if (o->uid_map) {
		must_path(path, sizeof(path), "/proc/%d/uid_map", (int)pid);
		if (write_file(path, o->uid_map) < 0)
			die(1, "write %s:", path);
		must_path(path, sizeof(path), "/proc/%d/gid_map", (int)pid);
		if (write_file(path, o->gid_map) < 0)
			die(1, "write %s:", path);
	}
	run_hooks(o, HOOK_PRESTART, "creating", pid, 1);
	run_hooks(o, HOOK_CREATE_RUNTIME, "creating", pid, 1);
}

/* The child is ready (one NUL byte), or failed: its message, exit 1. */
static void oci_ready(struct child *ch)
{
	char buf[1024];
	ssize_t n;

	while ((n = read(ch->err_fd, buf, sizeof(buf) - 1)) < 0 && errno == EINTR)
		;
	close(ch->err_fd);
	if (n == 1 && buf[0] == '\0')
		return;
	if (n <= 1)
		die(1, "the container's first process ended during its setup");
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	die(1, "%s", buf + 1 + strlen("container: "));
}

/* The state file: the launcher's keys (state_load reads them) and the
 * bundle's. */
static void oci_state_write(const struct oci *o, const char *status, pid_t pid, const char *cgroup, const char *created)
{
	char path[PATH_MAX], buf[4 * PATH_MAX + 512];
	int n;

	runtime_path(o->id, "state", path, sizeof(path));
	n = snprintf(buf, sizeof(buf), "pid=%d\nstart=%llu\nstatus=%s\ncreated=%s\nrootfs=%s\ncgroup=%s\n"
	             "bundle=%s\nnsflags=%lu\npersistname=%s\n", (int)pid, start_time(pid), status, created,
	             o->root_path, cgroup, o->bundle, o->ns_new, o->persist ? o->persist : "");
	if (n >= (int)sizeof(buf) || write_atomic(path, buf, (size_t)n, 0) < 0)
		die(1, "write %s:", path);
}

/* Value of KEY in ID's state file, "" when absent; -1 when there is no
 * such bundle container. */
static int state_key(const char *id, const char *key, char *out, size_t size)
{
	char path[PATH_MAX], buf[4 * PATH_MAX + 512], *p;
	size_t n = strlen(key);

	out[0] = '\0';
	runtime_path(id, "state", path, sizeof(path));
	if (!valid_name(id) || read_file(path, buf, sizeof(buf)) < 0 || !strstr(buf, "\nbundle="))
		return -1;
	for (p = buf; p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
		if (!strncmp(p, key, n) && p[n] == '=') {
			snprintf(out, size, "%.*s", (int)strcspn(p + n + 1, "\n"), p + n + 1);
			break;
		}
	return 0;
}

static int is_bundle(const char *id)
{
	char v[8];

	return state_key(id, "nsflags", v, sizeof(v)) == 0;
}

/* Read, parse and map <bundle>/config.json (from the state dir once
 * created); the process works in the bundle from here on, as runc. */
static void oci_load(struct oci *o, struct config *c, const char *file)
{
	static char text[JSON_MAX_SIZE + 2];
	static struct jtok tok[JSON_MAX_TOKENS];
	static struct json j;
	ssize_t n;

	/* once created, the state dir has config.json (FILE absolute): a
	 * bundle an engine has removed since does not stop delete */
	if (chdir(o->bundle) < 0 && (file[0] != '/' || chdir("/") < 0))
		die(1, "bundle %s:", o->bundle);
	if ((n = read_file(file, text, sizeof(text))) < 0)
		die(1, "%s/%s:", o->bundle, file);
	if (json_parse(&j, text, (size_t)n, tok, JSON_MAX_TOKENS) < 0)
		die(1, "config.json: %s", j.err);
	config_defaults(c);
	copy_cut(c->name, sizeof(c->name), o->id);
	oci_map(&j, c, o);
	map_seccomp(&j, json_get(&j, json_get(&j, 0, "linux"), "seccomp"), &oci_profile);
	map_devices(&j, json_get(&j, json_get(&j, json_get(&j, 0, "linux"), "resources"), "devices"), &oci_devices);
}

/* create --bundle: everything up to the first process blocked before its
 * exec; RUN: started too. */
static int oci_create(struct oci *o, int run)
{
	static struct config c;
	struct child ch = { 0 };
	char path[PATH_MAX], created[32], pid_text[16];
	int fd;

	if (!valid_name(o->id))
		die(1, "invalid container ID '%s': use [A-Za-z0-9][A-Za-z0-9_.-]{0,63}", o->id);
	if (geteuid() != 0)
		die(1, "namespaces and mounts need root: run as root (rootless is not supported)");
	if (!realpath(o->bundle, path))
		die(1, "bundle %s:", o->bundle);
	o->bundle = strdup(path);
	oci_load(o, &c, "config.json");
	if (o->terminal && !o->console_socket)
		die(1, "process.terminal needs --console-socket");
	if (o->terminal)
		g.console = console_connect(o->console_socket);
	g.keep_fds = o->preserve_fds;
	if (o->apparmor && !lsm_enabled("apparmor"))
		o->apparmor = NULL;
	if (o->selinux && !lsm_enabled("selinux"))
		o->selinux = NULL;
	if (o->selinux_mount && lsm_enabled("selinux"))
		die(1, "config.json: linux.mountLabel: SELinux mount labels are not supported");
	if (access(o->root_path, X_OK) < 0)
		die(1, "config.json: root.path %s:", o->root_path);
	runtime_path(o->id, NULL, o->dir, sizeof(o->dir));
	if (mkdir_p(RUNTIME_DIR, 0711) < 0)
		die(1, "mkdir %s:", RUNTIME_DIR);
	if (mkdir(o->dir, 0700) < 0)
		die(1, errno == EEXIST ? "container %s already exists" : "mkdir %s:", errno == EEXIST ? o->id : o->dir);
	making.o = o;   /* from here die() undoes it (oci_undo) */
	if (o->persist)
		persist_take(o);
	must_path(path, sizeof(path), "%s/exec.fifo", o->dir);
	if (mkfifo(path, 0600) < 0)
		die(1, "mkfifo %s:", path);
	must_path(path, sizeof(path), "%s/config.json", o->dir);
	if (write_atomic(path, o->j->text, o->j->len, 0) < 0)
		die(1, "write %s:", path);
#if WITH_CGROUPS
	cgroup_create(&c, 0, ch.cgroup, sizeof(ch.cgroup));
	copy_cut(making.cgroup, sizeof(making.cgroup), ch.cgroup);
#endif
	if (o->ns_path[4] && ((fd = open(o->ns_path[4], O_RDONLY | O_CLOEXEC)) < 0 || setns(fd, CLONE_NEWPID) < 0))
		die(1, "join the pid namespace %s:", o->ns_path[4]);
	if (run)
		block_signals();
	spawn(&c, NULL, 0, &ch);
	oci_ready(&ch);
	/* the pty went through it: our end closes, as the engine expects
	 * nothing more (run goes on, waiting for the workload) */
	if (g.console >= 0) {
		close(g.console);
		g.console = -1;
	}
	rfc3339(time(NULL), created, sizeof(created));
	oci_state_write(o, "created", ch.pid, ch.cgroup, created);
	if (o->pid_file) {
		snprintf(pid_text, sizeof(pid_text), "%d", (int)ch.pid);
		if (write_atomic(o->pid_file, pid_text, strlen(pid_text), 0) < 0)
			die(1, "write the pid file %s:", o->pid_file);
	}
	making.done = 1;
#if WITH_CGROUPS
	if (!ch.cgroup[0])
		warn("no cgroup v2 controllers here: %s has no group of its own (no limit was asked)", o->id);
#endif
	return ch.pid;
}

/* ID's state, its bundle container's config mapped into O; dies with
 * "does not exist" when there is none. */
static void oci_open(const char *id, struct oci *o, struct state *s, struct config *c)
{
	static char bundle[PATH_MAX];

	if (!valid_name(id) || state_key(id, "bundle", bundle, sizeof(bundle)) < 0 || state_read(id, s) < 0)
		die(1, "container %s does not exist", id);
	memset(o, 0, sizeof(*o));
	o->id = id;
	o->bundle = bundle;
	runtime_path(id, NULL, o->dir, sizeof(o->dir));
	if (c) {
		char path[PATH_MAX];

		must_path(path, sizeof(path), "%s/config.json", o->dir);
		oci_load(o, c, path);
	}
}

/* Status as engines read it: created while the process waits at the exec
 * fifo, running after start, stopped when it is gone. */
static const char *oci_status(const struct oci *o, struct state *s)
{
	char path[PATH_MAX];

	if (!alive(s))
		return "stopped";
	must_path(path, sizeof(path), "%s/exec.fifo", o->dir);
	return access(path, F_OK) == 0 ? "created" : "running";
}

static int oci_start(const char *id)
{
	static struct config c;
	struct oci o;
	struct state s;
	char path[PATH_MAX];
	int fd;

	oci_open(id, &o, &s, &c);
	if (strcmp(oci_status(&o, &s), "created"))
		die(1, "container %s is %s, not created: it cannot be started", id, oci_status(&o, &s));
	must_path(path, sizeof(path), "%s/exec.fifo", o.dir);
	if ((fd = open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC)) < 0)
		die(1, errno == ENXIO ? "container not running" : "open %s:", path);
	if (write(fd, "1", 1) != 1)
		die(1, "start %s:", id);
	close(fd);
	unlink(path);
	oci_state_write(&o, "running", s.pid, s.cgroup, s.created);
	run_hooks(&o, HOOK_POSTSTART, "running", s.pid, 0);
	return 0;
}

/* each_pid's walk of /proc: the pid namespace's link, whom to call. */
struct pid_walk { char ns[64]; void (*fn)(pid_t, void *); void *arg; };

static int pid_in_ns(int dirfd, const char *name, void *arg)
{
	struct pid_walk *w = arg;
	char path[64], other[64] = "";

	(void)dirfd;
	if (isdigit((unsigned char)name[0]) && snprintf(path, sizeof(path), "/proc/%.16s/ns/pid", name) > 0 &&
	    readlink(path, other, sizeof(other) - 1) > 0 && !strcmp(w->ns, other))
		w->fn((pid_t)atoi(name), w->arg);
	return 0;
}

/* Call FN for each process of the container of S: its group's, else its
 * pid namespace's (where it has one of its own), else its first. */
static void each_pid(const struct state *s, unsigned long nsflags, void (*fn)(pid_t, void *), void *arg)
{
	static char buf[65536];
	struct pid_walk w = { "", fn, arg };
	char path[PATH_MAX], *line, *save;

	must_path(path, sizeof(path), "%s/cgroup.procs", s->cgroup);
	if (s->cgroup[0] && read_file(path, buf, sizeof(buf)) >= 0) {
		for (line = strtok_r(buf, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
			fn((pid_t)atoi(line), arg);
		return;
	}
	must_path(path, sizeof(path), "/proc/%d/ns/pid", (int)s->pid);
	if (!(nsflags & CLONE_NEWPID) || readlink(path, w.ns, sizeof(w.ns) - 1) <= 0 ||
	    each_entry(AT_FDCWD, "/proc", pid_in_ns, &w) < 0)
		fn(s->pid, arg);
}

static void kill_one(pid_t pid, void *sig) { kill(pid, *(int *)sig); }

static unsigned long state_nsflags(const char *id)
{
	char v[24];

	state_key(id, "nsflags", v, sizeof(v));
	return strtoul(v, NULL, 10);
}

static int oci_kill(const char *id, const char *signame, int all)
{
	struct oci o;
	struct state s;
	int sig = parse_signal(signame);

	if (sig < 0)
		die(1, "kill: unknown signal '%s'", signame);
	oci_open(id, &o, &s, NULL);
	if (!alive(&s))
		die(1, "container not running");
	if (!all) {
		if (kill(s.pid, sig) < 0)
			die(1, "kill %s:", id);
		return 0;
	}
	each_pid(&s, state_nsflags(id), kill_one, &sig);
	return 0;
}

/* delete: a created container (or with --force a running one) is killed;
 * then poststop hooks, its group, the persist name and its state go. */
static int oci_delete(const char *id, int force)
{
	static struct config c;
	struct oci o;
	struct state s;
	char name[NAME_MAX_LEN + 1];
	int sig = SIGKILL, i;

	oci_open(id, &o, &s, &c);
	if (!strcmp(oci_status(&o, &s), "running") && !force)
		die(1, "container %s is running: stop it first, or use delete --force", id);
	if (alive(&s)) {
		each_pid(&s, o.ns_new, kill_one, &sig);
		for (i = 0; i < 1000 && alive(&s); i++)
			sleep_ms(10);
	}
	run_hooks(&o, HOOK_POSTSTOP, "stopped", s.pid, 0);
#if WITH_CGROUPS
	cgroup_remove(s.cgroup);
#endif
	if (state_key(id, "persistname", name, sizeof(name)) == 0 && name[0])
		persist_release(name, id);
	if (remove_tree(o.dir) < 0)
		die(1, "remove %s:", o.dir);
	return 0;
}

/* run --bundle: create and start; in the foreground wait, passing signals
 * on, then delete, as runc run does. */
static int oci_run(struct oci *o, int detach)
{
	int status, stop = 0;
	pid_t pid = oci_create(o, 1);

	oci_start(o->id);
	if (detach)
		return 0;
	status = supervise(pid, 0, 0, SIGTERM, &stop);
	oci_delete(o->id, 1);
	return status_code(status);
}

static void print_pid(pid_t pid, void *n)
{
	printf(rt.json ? "%s%d" : "%s%d\n", rt.json && (*(int *)n)++ ? "," : "", (int)pid);
}

static int oci_ps(const char *id)
{
	struct oci o;
	struct state s;
	int n = 0;

	oci_open(id, &o, &s, NULL);
	fputs(rt.json ? "[" : "PID\n", stdout);
	if (alive(&s))
		each_pid(&s, state_nsflags(id), print_pid, &n);
	if (rt.json)
		puts("]");
	return 0;
}

static void oci_print_state(const char *id, int full)
{
	struct oci o;
	struct state s;

	oci_open(id, &o, &s, NULL);
	printf("{\"ociVersion\":\"1.0.2\",\"id\":\"%s\",\"pid\":%d,\"status\":\"%s\",\"bundle\":",
	       id, alive(&s) ? (int)s.pid : 0, oci_status(&o, &s));
	json_string(NULL, o.bundle);
	printf(",\"rootfs\":");
	json_string(NULL, s.rootfs);
	printf(",\"created\":\"%s\",\"owner\":\"root\"%s", s.created, full ? "" : "}");
}

static int oci_list_one(int dirfd, const char *id, void *n)
{
	struct oci o;
	struct state s;

	(void)dirfd;
	if (!is_bundle(id))
		return 0;
	if (rt.json) {
		printf("%s", (*(int *)n)++ ? "," : "");
		oci_print_state(id, 0);
		return 0;
	}
	oci_open(id, &o, &s, NULL);
	printf("%-20s %-8d %-8s %-40s %-20s root\n", id, alive(&s) ? (int)s.pid : 0, oci_status(&o, &s), o.bundle, s.created);
	return 0;
}

#endif

/* ---------- OCI runtime: exec ---------- */

#if WITH_OCI
/* exec's runc-shaped flags (SPEC 10); -e, -w and -u as the launcher's. */
static const struct option exec_options[] = {
	{ "process", 1, NULL, 'p' }, { "detach", 0, NULL, 'd' }, { "pid-file", 1, NULL, 'P' },
	{ "tty", 0, NULL, 't' }, { "console-socket", 1, NULL, 'C' }, { "preserve-fds", 1, NULL, 'F' },
	{ "env", 1, NULL, 'e' }, { "cwd", 1, NULL, 'w' }, { "workdir", 1, NULL, 'w' },
	{ "user", 1, NULL, 'u' }, { "help", 0, NULL, 'h' }, { NULL, 0, NULL, 0 },
};
#define EXEC_OCI_USAGE "exec [--process FILE] [-d|--detach] [--pid-file F] [-t|--tty] " \
	"[--console-socket S] [--preserve-fds N] [-e K=V] [-w DIR] [-u UID[:GID]] ID [CMD...]"

struct exec_req {
	const char *process, *pid_file, *console;
	int detach, tty, user_given;
};

/* Does this exec take the OCI path: one of its flags, or a bundle
 * container's ID? */
static int oci_exec_wanted(int argc, char **argv)
{
	static const char *const flags[] = { "--process", "-d", "--detach", "--pid-file", "-t",
		"--tty", "--console-socket", "--preserve-fds", "--cwd", "-p" };
	static const char *const with_value[] = { "-e", "--env", "-w", "--workdir", "-u", "--user" };
	size_t k, n;
	int i;

	for (i = 1; i < argc && argv[i][0] == '-' && strcmp(argv[i], "--"); i++) {
		for (k = 0; k < LEN(flags); k++) {
			n = strlen(flags[k]);
			if (!strncmp(argv[i], flags[k], n) && (!argv[i][n] || argv[i][n] == '='))
				return 1;
		}
		for (k = 0; k < LEN(with_value); k++)
			if (!strcmp(argv[i], with_value[k]))
				i++;
	}
	return i < argc && is_bundle(argv[i]);
}

static void exec_parse(int argc, char **argv, struct config *c, struct exec_req *r)
{
	long n;
	int o;

	optind = 0;
	opterr = 0;
	while ((o = getopt_long(argc, argv, "+:p:dtP:e:w:u:h", exec_options, NULL)) != -1) {
		if (o == 'p')
			r->process = optarg;
		else if (o == 'd')
			r->detach = 1;
		else if (o == 'P')
			r->pid_file = optarg;
		else if (o == 't')
			r->tty = 1;
		else if (o == 'C')
			r->console = optarg;
		else if (o == 'F' && parse_long(optarg, 0, 1 << 16, &n) == 0)
			g.keep_fds = (int)n;
		else if (o == 'e' && parse_env(optarg) == 0 && c->nenv < MAX_ARGS - 1)
			c->env[c->nenv++] = optarg;
		else if (o == 'w' && optarg[0] == '/')
			c->workdir = optarg;
		else if (o == 'u' && parse_user(optarg, &c->uid, &c->gid) == 0)
			r->user_given = 1;
		else if (o == 'h')
			printf("usage: container %s\n", EXEC_OCI_USAGE), exit(0);
		else  /* the texts oci_args() prints, one copy */
			die(1, "%s: bad option %s (usage: container %s)", "exec", argv[optind - 1], EXEC_OCI_USAGE);
	}
	if (optind >= argc || (!r->process && optind + 1 >= argc))
		die(1, "exec: usage: container %s", EXEC_OCI_USAGE);
}

/* A terminal needs a console socket, and a console socket a terminal. */
static void exec_terminal(int tty, const char *console)
{
	if (tty && !console)
		die(1, "exec: a terminal (-t, process.terminal) needs --console-socket");
	if (console && !tty)
		die(1, "exec: --console-socket needs a terminal (-t, process.terminal)");
}

/* --process FILE, read before anything changes the directory. */
static const char *exec_process_text(const char *path, size_t *len)
{
	static char text[JSON_MAX_SIZE + 2];
	ssize_t n;

	if ((n = read_file(path, text, sizeof(text))) < 0)
		die(1, "exec --process %s:", path);
	*len = (size_t)n;
	return text;
}

/* A bundle container's process for exec: config.json's (kept in its state
 * dir), or, given --process, that process object instead (as runc). */
static void exec_bundle(const char *id, const char *text, size_t len, struct config *c, struct oci *o)
{
	static struct jtok tok[4096];
	static struct json j;
	int t;

	o->id = id;
	runtime_path(id, NULL, o->dir, sizeof(o->dir));
	o->bundle = o->dir;
	oci_load(o, c, "config.json");
	if (text) {
		if (json_parse(&j, text, len, tok, LEN(tok)) < 0)
			die(1, "exec --process: %s", j.err);
		o->nrlim = o->terminal = 0;
		o->apparmor = o->selinux = NULL;
		c->workdir = NULL;
		oci_process(&j, 0, c, o);
		if ((t = oci_get(&j, 0, "cwd", JSON_STRING, "process")) >= 0)
			c->workdir = oci_string(&j, t, "process.cwd");
	}
	if (o->apparmor && !lsm_enabled("apparmor"))
		o->apparmor = NULL;
	if (o->selinux && !lsm_enabled("selinux"))
		o->selinux = NULL;
}

/* The namespaces of PID that are not already ours. */
static unsigned long ns_to_join(pid_t pid)
{
	static const struct { unsigned long flag; const char *name; } ns[] = {
		{ CLONE_NEWUSER, "user" }, { CLONE_NEWIPC, "ipc" }, { CLONE_NEWUTS, "uts" },
		{ CLONE_NEWNET, "net" }, { CLONE_NEWPID, "pid" }, { CLONE_NEWCGROUP, "cgroup" },
		{ CLONE_NEWNS, "mnt" },
	};
	unsigned long flags = 0;
	struct stat mine, theirs;
	char path[64];
	size_t i;

	for (i = 0; i < LEN(ns); i++) {
		snprintf(path, sizeof(path), "/proc/%d/ns/%s", (int)pid, ns[i].name);
		if (stat(path, &theirs) < 0)
			die(1, "exec: %s:", path);
		snprintf(path, sizeof(path), "/proc/self/ns/%s", ns[i].name);
		if (stat(path, &mine) < 0 || mine.st_ino != theirs.st_ino || mine.st_dev != theirs.st_dev)
			flags |= ns[i].flag;
	}
	return flags;
}

/* The pid file engines read: decimal, no newline, written by rename. Its
 * directory is opened first (pid_dir), while we still see the caller's
 * files: the pid is known only inside the container's namespaces. */
static int pid_dir(const char *path)
{
	char dir[PATH_MAX];
	const char *slash = strrchr(path, '/');
	int fd;

	if (snprintf(dir, sizeof(dir), "%.*s", slash ? (int)(slash - path) + 1 : 1,
		     slash ? path : ".") >= (int)sizeof(dir))
		die(1, "pid file %s: path too long", path);
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		die(1, "pid file %s:", path);
	return fd;
}

static void write_pid_file(int dir, const char *path, pid_t pid)
{
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	char text[16], tmp[NAME_MAX + 1];
	int fd, n = snprintf(text, sizeof(text), "%d", (int)pid);

	if (snprintf(tmp, sizeof(tmp), ".%.*s.tmp", NAME_MAX - 5, base) >= (int)sizeof(tmp))
		die(1, "pid file %s: name too long", path);
	if ((fd = openat(dir, tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)) < 0)
		die(1, "pid file %s:", path);
	if (write(fd, text, (size_t)n) != n || close(fd) < 0 || renameat(dir, tmp, dir, base) < 0) {
		unlinkat(dir, tmp, 0);
		die(1, "pid file %s:", path);
	}
}

/* The exec'd process: a session of its own, the terminal, the cwd, exec. */
static void exec_child(struct config *c, int console, int err)
{
	g.err_fd = err;
	setsid();
	if (console >= 0)
		console_attach(console);
	if (chdir(c->workdir ? c->workdir : "/") < 0)
		die(EXIT_CANNOT, "workdir %s:", c->workdir ? c->workdir : "/");
	if (c->oci)
		oci_process_attrs(c, c->oci);
	exec_workload(c);
}

/* exec of a runtime's caller (conmon, the containerd shim): into the
 * namespaces and cgroup of the container's first process; detached, the
 * pid file is written once the command runs, and the process is left to
 * the caller (a subreaper) to reap. Attached, its exit code is ours. */
static int cmd_oci_exec(int argc, char **argv)
{
	static struct config over, c;
	static struct oci o;
	struct exec_req r = { 0 };
	struct child ch = { 0 };
	struct state s;
	const char *id, *text = NULL;
	char path[PATH_MAX], pid_text[16], **cmd;
	int err[2], console = -1, piddir = -1, code, status, stop = 0, bundle;
	size_t len = 0;
	pid_t pid;

	config_defaults(&over);
	exec_parse(argc, argv, &over, &r);
	id = argv[optind];
	cmd = argv + optind + 1;
	if (!valid_name(id) || state_read(id, &s) < 0)
		die(1, "exec: container %s does not exist", id);
	bundle = is_bundle(id);
	if (bundle ? !strcmp(s.status, "stopped") : strcmp(s.status, "running") != 0)
		die(1, "exec: container not running: %s", id);
	if (r.process)
		text = exec_process_text(r.process, &len);
	if (r.pid_file)
		piddir = pid_dir(r.pid_file);
	if (r.console)
		console = console_connect(r.console);
	if (bundle) {
		exec_bundle(id, text, len, &c, &o);
		exec_override(&c, &over, r.user_given);
	} else {
		if (text)
			die(1, "exec --process: %s is not a bundle container", id);
		c = over;
		exec_config(&c, s.persist, id, r.user_given);
	}
	if (!text)
		c.argv = cmd;
	exec_terminal(r.tty || (bundle && o.terminal), r.console);
	if (s.cgroup[0]) {
		if (snprintf(path, sizeof(path), "%s/cgroup.procs", s.cgroup) >= (int)sizeof(path))
			die(1, "exec: cgroup path too long");
		snprintf(pid_text, sizeof(pid_text), "%d", (int)getpid());
		if (write_file(path, pid_text) < 0)
			die(1, "join cgroup %s:", s.cgroup);
	}
	/* as cmd_exec: no caller's groups, a child not dumpable until it execs */
	if (setgroups(0, NULL) < 0 || prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0)
		die(1, "exec: drop groups and dumpable:");
	join_namespaces(s.pid, s.start, ns_to_join(s.pid));
	block_signals();
	/* the fds passed on (3..) are open: the pipe's are above them */
	if (pipe2(err, O_CLOEXEC) < 0)
		die(1, "exec: pipe:");
	if ((pid = fork()) < 0)
		die(1, "fork:");
	if (pid == 0) {
		close(err[0]);
		exec_child(&c, console, err[1]);
	}
	close(err[1]);
	if (console >= 0)
		close(console);
	ch.pid = pid;
	ch.err_fd = err[0];
	if ((code = started(&ch, STDERR_FILENO)) != 0)
		return code;
	if (r.pid_file)
		write_pid_file(piddir, r.pid_file, pid);
	if (r.detach)
		return 0;
	status = supervise(pid, 0, 0, SIGTERM, &stop);
	return status_code(status);
}

/* exec: runc's for bundle containers and OCI flags, else the launcher's. */
static int exec_any(int argc, char **argv)
{
	if (argc == 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")))
		return puts("usage: container exec [-e K=V] [-w DIR] [-u UID[:GID]] NAME CMD [ARG...]\n"
		            "       container " EXEC_OCI_USAGE), 0;
	return oci_exec_wanted(argc, argv) ? cmd_oci_exec(argc, argv) : cmd_exec(argc, argv);
}
#endif

/* ---------- OCI runtime: the runc-shaped command line ---------- */

#if WITH_OCI
/* Flags of the OCI verbs, wherever they appear before the ID. */
static struct {
	const char *bundle, *pid_file, *console_socket;
	int detach, all, force, preserve_fds;
} va;

static const struct option verb_options[] = {
	{ "bundle", 1, NULL, 'b' }, { "pid-file", 1, NULL, 'p' }, { "console-socket", 1, NULL, 'c' },
	{ "no-pivot", 0, NULL, 'N' }, { "no-new-keyring", 0, NULL, 'K' }, { "preserve-fds", 1, NULL, 'P' },
	{ "detach", 0, NULL, 'd' }, { "all", 0, NULL, 'a' }, { "force", 0, NULL, 'f' },
	{ "format", 1, NULL, 'F' }, { "help", 0, NULL, 'h' }, { NULL, 0, NULL, 0 },
};

/* Parse an OCI verb's flags (SHORT: its getopt letters); returns the
 * index of the ID, which must be there unless NOID. */
static int oci_args(int argc, char **argv, const char *shorts, const char *usage, int noid)
{
	long n;
	int o;

	rt.fail1 = 1;
	optind = 0;
	opterr = 0;
	while ((o = getopt_long(argc, argv, shorts, verb_options, NULL)) != -1) {
		switch (o) {
		case 'b': va.bundle = optarg; break;
		case 'p': va.pid_file = optarg; break;
		case 'c': va.console_socket = optarg; break;
		case 'N': case 'K': break;  /* pivot_root is always used; no session keyring is made */
		case 'P':
			if (parse_long(optarg, 0, 1024, &n) < 0)
				die(1, "--preserve-fds: a number of fds");
			va.preserve_fds = (int)n;
			break;
		case 'd': va.detach = 1; break;
		case 'a': va.all = 1; break;
		case 'f':
			if (!strstr(shorts, "f:")) {
				va.force = 1;
				break;
			}
			/* list -f and ps -f are --format */
			/* fall through */
		case 'F':
			if (strcmp(optarg, "json") && strcmp(optarg, "table"))
				die(1, "--format: table or json");
			rt.json = !strcmp(optarg, "json");
			break;
		case 'h': printf("usage: container %s\n", usage); exit(0);
		default: die(1, "%s: bad option %s (usage: container %s)", argv[0], argv[optind - 1], usage);
		}
	}
	if (optind >= argc && !noid)
		die(1, "%s: missing ID (usage: container %s)", argv[0], usage);
	return optind;
}

/* Do ARGV's options name a bundle (--bundle, -b)? Then the verb is the
 * OCI one; else the launcher's. */
static int names_bundle(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc && argv[i][0] == '-' && strcmp(argv[i], "--"); i++)
		if (!strcmp(argv[i], "-b") || !strncmp(argv[i], "--bundle", 8))
			return 1;
	return 0;
}

/* The first argument that is not an option (or an option's value). */
static const char *first_operand(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--format") || !strcmp(argv[i], "-f") || !strcmp(argv[i], "--persist") ||
		    !strcmp(argv[i], "-t") || !strcmp(argv[i], "--time"))
			i++;
		else if (argv[i][0] != '-')
			return argv[i];
	}
	return NULL;
}

/* Known to the launcher: runtime state or a saved config. */
static int launcher_known(const char *name)
{
	struct state s;

	return valid_name(name) && describe(name, persist_dir, &s) == 0;
}

/* An ID that is neither a bundle container nor the launcher's (whose
 * saved config may be elsewhere with --persist: then the launcher says). */
static void must_exist(int argc, char **argv, const char *id)
{
	int i;

	for (i = 1; i < argc; i++)
		if (!strncmp(argv[i], "--persist", 9))
			return;
	if (id && !is_bundle(id) && !launcher_known(id)) {
		rt.fail1 = 1;
		die(1, "container %s does not exist", id);
	}
}

static int oci_create_cmd(int argc, char **argv, int run)
{
	static struct oci o;
	int i = oci_args(argc, argv, run ? "+b:dh" : "+b:h", run ? "run --bundle DIR [-d] [--pid-file F] [--console-socket S] ID" :
	                 "create --bundle DIR [--pid-file F] [--console-socket S] ID", 0);

	if (i + 1 != argc)
		die(1, "%s: one ID, after the options", argv[0]);
	o.id = argv[i];
	o.bundle = va.bundle;
	o.pid_file = va.pid_file;
	o.console_socket = va.console_socket;
	o.preserve_fds = va.preserve_fds;
	return run ? oci_run(&o, va.detach) : (oci_create(&o, 0), 0);
}

/* The launcher's pre-warm: config saved and state "created", nothing runs
 * until start. */
static int create_prewarm(int argc, char **argv)
{
	static struct config c;
	struct state s;
	int lock;

	config_defaults(&c);
	parse_run(argc, argv, &c);
	if (geteuid() != 0)
		die(EXIT_SETUP, "%s: namespaces and mounts need root: run as root", c.name);
	make_absolute(&c);
	if ((lock = lock_name(c.name)) < 0 || (state_read(c.name, &s) == 0 && alive(&s)))
		die(1, "%s is already running", c.name);
	save_config(&c);
	memset(&s, 0, sizeof(s));
	strcpy(s.status, "created");
	rfc3339(time(NULL), s.created, sizeof(s.created));
	copy_cut(s.rootfs, sizeof(s.rootfs), c.rootfs);
	copy_cut(s.persist, sizeof(s.persist), c.persist);
	state_write(c.name, &s);
	return 0;
}

static int cmd_create(int argc, char **argv)
{
	return names_bundle(argc, argv) ? oci_create_cmd(argc, argv, 0) : create_prewarm(argc, argv);
}

static int cmd_delete(int argc, char **argv)
{
	int i = oci_args(argc, argv, "+fh", "delete [--force|-f] ID", 0);

	if (!is_bundle(argv[i])) {
		must_exist(argc, argv, argv[i]);
		return cmd_rm(argc, argv);
	}
	return oci_delete(argv[i], va.force);
}

static int cmd_list(int argc, char **argv)
{
	int n = 0;

	oci_args(argc, argv, "+f:h", "list [--format table|json]", 1);
	if (rt.json)
		putchar('[');
	else
		printf("%-20s %-8s %-8s %-40s %-20s %s\n", "ID", "PID", "STATUS", "BUNDLE", "CREATED", "OWNER");
	each_entry(AT_FDCWD, RUNTIME_DIR, oci_list_one, &n);
	if (rt.json)
		puts("]");
	return 0;
}

static int cmd_features(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("{\"ociVersionMin\":\"1.0.0\",\"ociVersionMax\":\"1.1.0\",\"hooks\":[");
	print_names(hook_names, sizeof(hook_names[0]), OCI_HOOKS, 1, "");
	printf("],\"mountOptions\":[");
	print_names(mount_opts[0].name, sizeof(mount_opts[0]), LEN(mount_opts), 0, "");
	printf("],\"linux\":{\"namespaces\":[");
	print_names(oci_namespaces[0].type, sizeof(oci_namespaces[0]), LEN(oci_namespaces), 0, "");
	printf("],\"capabilities\":[");
	print_names(cap_names, sizeof(cap_names[0]), LEN(cap_names), 1, "CAP_");
	printf("],\"cgroup\":{\"v1\":false,\"v2\":%s,\"systemd\":false,\"systemdUser\":false},"
	       "\"seccomp\":{\"enabled\":true", WITH_CGROUPS ? "true" : "false");
	seccomp_features();
	printf("},\"apparmor\":{\"enabled\":%s},\"selinux\":{\"enabled\":%s}},"
	       "\"annotations\":{\"org.opencontainers.runtime.name\":\"container\",\"container.version\":\"%s\"}}\n",
	       lsm_enabled("apparmor") ? "true" : "false", lsm_enabled("selinux") ? "true" : "false", VERSION);
	return 0;
}

static void print_strings(const char *key, const char *const *v, const char *prefix)
{
	printf("\"%s\":[", key);
	print_names(v, sizeof(*v), SIZE_MAX, 1, prefix);
	putchar(']');
}

/* spec: a config.json of config.h's defaults (the launcher's container:
 * its mounts, capabilities, masked paths), for a rootfs in <bundle>/rootfs. */
static int cmd_spec(int argc, char **argv)
{
	char path[PATH_MAX];
	size_t i, k;
	int fd;

	oci_args(argc, argv, "+b:h", "spec [--bundle DIR]", 1);
	must_path(path, sizeof(path), "%s/config.json", va.bundle ? va.bundle : ".");
	/* written through stdout, which has nothing else to say */
	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644)) < 0 || dup2(fd, STDOUT_FILENO) < 0)
		die(1, errno == EEXIST ? "%s exists: remove it first" : "create %s:", path);
	printf("{\"ociVersion\":\"1.0.2\",\"process\":{\"terminal\":false,\"user\":{\"uid\":0,\"gid\":0},"
	        "\"args\":[\"sh\"],");
	print_strings("env", default_env, "");
	printf(",\"cwd\":\"/\",\"capabilities\":{");
	for (i = 0; i < 3; i++) {
		print_strings((const char *[]){ "bounding", "effective", "permitted" }[i], default_caps, "CAP_");
		putchar(i < 2 ? ',' : '}');
	}
	printf(",\"rlimits\":[{\"type\":\"RLIMIT_NOFILE\",\"hard\":1024,\"soft\":1024}],\"noNewPrivileges\":true},"
	        "\"root\":{\"path\":\"rootfs\",\"readonly\":true},\"hostname\":\"container\",\"mounts\":[");
	for (i = 0; i < LEN(container_mounts); i++) {
		const struct mount_entry *m = &container_mounts[i];

		printf("%s{\"destination\":\"%s\",\"type\":\"%s\",\"source\":\"%s\",\"options\":[", i ? "," : "",
		        m->dst, strcmp(m->type, "cgroup2") ? m->type : "cgroup", m->src);
		for (k = 0; k < LEN(mount_opts); k++)
			if (mount_opts[k].flag & m->flags && !mount_opts[k].clear && !mount_opts[k].prop &&
			    !(mount_opts[k].flag & MS_BIND))
				printf("\"%s\",", mount_opts[k].name);
		printf("\"%s\"]}", m->flags & MS_RDONLY ? "ro" : "rw");
	}
	printf("],\"linux\":{\"namespaces\":[{\"type\":\"pid\"},{\"type\":\"network\"},{\"type\":\"ipc\"},"
	        "{\"type\":\"uts\"},{\"type\":\"mount\"},{\"type\":\"cgroup\"}],");
	print_strings("maskedPaths", masked_paths, "");
	putchar(',');
	print_strings("readonlyPaths", readonly_paths, "");
	printf("}}\n");
	if (fflush(stdout) != 0 || ferror(stdout))
		die(1, "write %s:", path);
	return 0;
}

/* Global options, before the verb, as runc's: --opt V and --opt=V. Returns
 * how many words they took. */
static int global_options(int argc, char **argv)
{
	static const char systemd[] = "the systemd cgroup manager is not supported (no D-Bus client): "
	                              "use cgroupfs (Podman: cgroup_manager = \"cgroupfs\" in containers.conf)";
	/* those after "debug" and "systemd-cgroup" take a value */
	static const char *const names[] = { "debug", "systemd-cgroup", "root", "log", "log-format", "cgroup-manager",
	                                     "rootless" };
	const char *val;
	char name[32];
	size_t k;
	int i;

	for (i = 1; i < argc && !strncmp(argv[i], "--", 2) && argv[i][2]; i++) {
		snprintf(name, sizeof(name), "%.*s", (int)strcspn(argv[i] + 2, "="), argv[i] + 2);
		val = strchr(argv[i], '=') ? strchr(argv[i], '=') + 1 : NULL;
		if ((rt.fail1 = (k = find_name(names, sizeof(names[0]), LEN(names), 1, name)) < LEN(names)) == 0)
			break;  /* --help, --version */
		if (k == 0) {
			g.debug = 1;
			continue;
		}
		if (k == 1)
			die(1, "--systemd-cgroup: %s", systemd);
		if (!val && (val = argv[++i]) == NULL)
			die(1, "--%s needs a value", name);
		if (k == 2)
			rt.root = val;
		else if (k == 3 && (rt.log_fd = open(val, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644)) < 0)
			die(1, "--log %s:", val);
		else if (k == 4 && (rt.log_json = !strcmp(val, "json")) == 0 && strcmp(val, "text"))
			die(1, "--log-format: text or json");
		else if (k == 5 && !strcmp(val, "systemd"))
			die(1, "--cgroup-manager systemd: %s", systemd);
		else if (k == 5 && strcmp(val, "cgroupfs") && strcmp(val, "disabled"))
			die(1, "--cgroup-manager: cgroupfs or disabled");
		else if (k == 6 && !strcmp(val, "true"))
			die(1, "--rootless true: rootless containers are not supported: run as root");
	}
	return i - 1;
}

/* One line of --log: text as on stderr, or runc's JSON object. */
static void log_line(const char *level, const char *line)
{
	char buf[1200], t[32];
	size_t n = 0;
	const char *p = line;

	if (rt.log_fd <= 0)
		return;
	if (!rt.log_json) {
		if (write(rt.log_fd, line, strlen(line)) < 0) { /* nowhere to say it */ }
		return;
	}
	rfc3339(time(NULL), t, sizeof(t));
	n = (size_t)snprintf(buf, sizeof(buf), "{\"level\":\"%s\",\"msg\":\"", level);
	for (p += strncmp(p, "container: ", 11) ? 0 : 11; *p && *p != '\n' && n < sizeof(buf) - 64; p++) {
		if (*p == '"' || *p == '\\')
			buf[n++] = '\\';
		buf[n++] = *p;
	}
	n += (size_t)snprintf(buf + n, sizeof(buf) - n, "\",\"time\":\"%s\"}\n", t);
	if (write(rt.log_fd, buf, n) < 0) { /* nowhere to say it */ }
}
#endif

/* ---------- network: the machine's interface (init mode) ---------- */

#if WITH_BRIDGE && WITH_INIT
/* A BOOTP/DHCP message (RFC 2131) as it goes on the wire. */
struct dhcp {
	uint8_t op, htype, hlen, hops;
	uint32_t xid;
	uint16_t secs, flags;
	uint32_t ciaddr, yiaddr, siaddr, giaddr;
	uint8_t chaddr[16], sname[64], file[128], cookie[4], opt[312];
};

/* What an answer gave: addresses in network order. */
struct lease { uint32_t addr, server, router, dns[2]; int prefix; long secs; };

enum { DHCP_DISCOVER = 1, DHCP_OFFER = 2, DHCP_REQUEST = 3, DHCP_ACK = 5, DHCP_NAK = 6 };
static const uint8_t dhcp_cookie[4] = { 99, 130, 83, 99 };

/* A request of TYPE; REQ and SERVER (options 50 and 54) when not 0; a
 * renewal carries its address in CIADDR and is answered by unicast, the
 * others ask for a broadcast answer (no address here yet to receive on). */
static void dhcp_build(struct dhcp *m, int type, const uint8_t *mac, uint32_t xid, uint32_t ciaddr,
                       uint32_t req, uint32_t server)
{
	uint8_t *o = m->opt;

	memset(m, 0, sizeof(*m));
	m->op = 1, m->htype = 1, m->hlen = 6, m->xid = xid, m->ciaddr = ciaddr;
	m->flags = ciaddr ? 0 : htons(0x8000);
	memcpy(m->chaddr, mac, 6);
	memcpy(m->cookie, dhcp_cookie, 4);
	*o++ = 53, *o++ = 1, *o++ = (uint8_t)type;
	if (req)
		*o++ = 50, *o++ = 4, memcpy(o, &req, 4), o += 4;
	if (server)
		*o++ = 54, *o++ = 4, memcpy(o, &server, 4), o += 4;
	*o++ = 55, *o++ = 4, *o++ = 1, *o++ = 3, *o++ = 6, *o++ = 51;  /* mask, router, dns, lease */
	*o = 255;
}

/* An answer of N bytes to XID: its message type, the rest in L; -1 if it
 * is not one. Every option is bounds-checked: this is network input. */
static int dhcp_parse(const struct dhcp *m, size_t n, uint32_t xid, struct lease *l)
{
	const uint8_t *o = m->opt, *end = (const uint8_t *)m + n;
	uint32_t mask;
	int type = -1, k;

	if (n < offsetof(struct dhcp, opt) || n > sizeof(*m) || m->op != 2 || m->xid != xid ||
	    memcmp(m->cookie, dhcp_cookie, 4))
		return -1;
	memset(l, 0, sizeof(*l));
	l->addr = m->yiaddr;
	for (; o < end && *o != 255; o += *o ? 2 + o[1] : 1) {
		if (!*o)
			continue;
		if (o + 2 > end || o + 2 + o[1] > end)
			return -1;
		if (o[0] == 53 && o[1] == 1)
			type = o[2];
		else if (o[0] == 1 && o[1] == 4) {
			memcpy(&mask, o + 2, 4);
			for (l->prefix = 0, mask = ntohl(mask); mask & 0x80000000u; mask <<= 1)
				l->prefix++;  /* the last such option counts */
		} else if (o[0] == 3 && o[1] >= 4)
			memcpy(&l->router, o + 2, 4);
		else if (o[0] == 6)
			for (k = 0; k < 2 && (k + 1) * 4 <= o[1]; k++)
				memcpy(&l->dns[k], o + 2 + 4 * k, 4);
		else if (o[0] == 51 && o[1] == 4)
			l->secs = (long)((uint32_t)o[2] << 24 | (uint32_t)o[3] << 16 | o[4] << 8 | o[5]);
		else if (o[0] == 54 && o[1] == 4)
			memcpy(&l->server, o + 2, 4);
	}
	if (!l->prefix)
		l->prefix = 24;
	if (l->secs <= 0 || l->secs > 0x7fffffffL / 1000)
		l->secs = 0x7fffffffL / 1000;  /* infinite, or beyond what we count */
	return type;
}

/* Port 68 on IFNAME alone; broadcasts allowed. */
static int dhcp_socket(const char *ifname)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(68) };
	int one = 1, s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (s < 0 || setsockopt(s, SOL_SOCKET, SO_BROADCAST, &one, sizeof(one)) < 0 ||
	    setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
	    setsockopt(s, SOL_SOCKET, SO_BINDTODEVICE, ifname, (socklen_t)strlen(ifname)) < 0 ||
	    bind(s, (struct sockaddr *)&a, sizeof(a)) < 0)
		die(EXIT_SETUP, "dhcp on %s: socket:", ifname);
	return s;
}

/* Send M to DST until an answer of type WANT (or a NAK) comes: TRIES
 * times, waiting 1, 2, 4... seconds. Its type, or -1. */
static int dhcp_ask(int s, const struct dhcp *m, uint32_t dst, int want, struct lease *l, int tries)
{
	struct sockaddr_in to = { .sin_family = AF_INET, .sin_port = htons(67), .sin_addr.s_addr = dst };
	struct pollfd pf = { .fd = s, .events = POLLIN };
	struct dhcp r;
	long long end;
	long wait = 1000;
	ssize_t n;
	int type;

	for (; tries > 0; tries--, wait *= 2) {
		sendto(s, m, sizeof(*m), 0, (struct sockaddr *)&to, sizeof(to));
		for (end = now_ms() + wait; now_ms() < end;)
			if (poll(&pf, 1, (int)(end - now_ms())) > 0 && (n = recv(s, &r, sizeof(r), 0)) > 0 &&
			    ((type = dhcp_parse(&r, (size_t)n, m->xid, l)) == want || type == DHCP_NAK))
				return type;
	}
	return -1;
}

/* DISCOVER, OFFER, REQUEST, ACK: 0 and the lease in L, or -1. */
static int dhcp_acquire(int s, const uint8_t *mac, struct lease *l, int tries)
{
	struct dhcp m;
	uint32_t xid = (uint32_t)now_ms() ^ (uint32_t)mac[5] << 24;

	dhcp_build(&m, DHCP_DISCOVER, mac, xid, 0, 0, 0);
	if (dhcp_ask(s, &m, INADDR_BROADCAST, DHCP_OFFER, l, tries) != DHCP_OFFER)
		return -1;
	dhcp_build(&m, DHCP_REQUEST, mac, xid, 0, l->addr, l->server);
	return dhcp_ask(s, &m, INADDR_BROADCAST, DHCP_ACK, l, tries) == DHCP_ACK ? 0 : -1;
}

/* resolv.conf for the workload (bound over its /etc/resolv.conf),
 * rewritten in place when a renewal changes it. */
static void write_resolv(const uint32_t *dns)
{
	char text[128];
	int n = 0, i, fd;

	for (i = 0; i < 2 && dns[i]; i++)
		n += snprintf(text + n, sizeof(text) - (size_t)n, "nameserver %s\n", ip_text(dns[i]));
	if ((fd = open(init_resolv, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)) < 0 ||
	    write(fd, text, (size_t)n) != n)
		warn("write %s:", init_resolv);
	if (fd >= 0)
		close(fd);
}

static void lease_apply(const char *ifname, const struct lease *l)
{
	iface_configure(ifname, l->addr, l->prefix, l->router);
	if (l->dns[0])
		write_resolv(l->dns);
	debug("dhcp: %s on %s for %ld s", ip_text(l->addr), ifname, l->secs);
}

/* PID 1's child for the lease's life: it renews at half the lease from
 * the server, asks any server from 7/8 on, and when the lease runs out
 * drops the address and seeks a new one. It may fail; PID 1 only reaps. */
static void dhcp_renewer(int s, const char *ifname, const uint8_t *mac, struct lease l) __attribute__((noreturn));
static void dhcp_renewer(int s, const char *ifname, const uint8_t *mac, struct lease l)
{
	struct lease got;
	struct dhcp m;
	long long start, left;

	g.init_mode = 0;  /* a die() here ends this process, not the machine */
	for (;;) {
		start = now_ms();
		sleep_ms(l.secs * 500);
		while ((left = start + l.secs * 1000 - now_ms()) > 0) {
			int rebind = now_ms() - start >= l.secs * 875;

			dhcp_build(&m, DHCP_REQUEST, mac, (uint32_t)now_ms(), l.addr, 0, 0);
			if (dhcp_ask(s, &m, rebind ? INADDR_BROADCAST : l.server, DHCP_ACK, &got, 2) == DHCP_ACK &&
			    got.addr == l.addr)
				break;
			sleep_ms(left / 2 > 60000 ? 60000 : left / 2 + 1);
		}
		if (left > 0) {
			got.router = got.router ? got.router : l.router;
			l = got;
			if (l.dns[0])
				write_resolv(l.dns);
			debug("dhcp: %s renewed for %ld s", ip_text(l.addr), l.secs);
			continue;
		}
		warn("dhcp: the lease of %s on %s ran out", ip_text(l.addr), ifname);
		addr_set(ifindex(ifname), l.addr, l.prefix, 1);
		while (dhcp_acquire(s, mac, &l, 4) < 0)
			sleep_ms(10000);
		lease_apply(ifname, &l);
	}
}

/* An ethernet interface with a device behind it, of the lowest index
 * seen: the first. OUT holds its name, or is empty. */
static int iface_first(int dirfd, const char *name, void *out)
{
	char path[64], text[16];
	int index;

	(void)dirfd;
	if (fmt_path(path, sizeof(path), "/sys/class/net/%s/type", name) < 0 ||
	    read_file(path, text, sizeof(text)) <= 0 || atoi(text) != 1)
		return 0;
	snprintf(path, sizeof(path), "/sys/class/net/%s/device", name);
	if (access(path, F_OK) == 0 && (index = ifindex(name)) &&
	    (!*(char *)out || index < ifindex(out)))
		snprintf(out, IFNAMSIZ, "%s", name);
	return 0;
}

/* container.iface, or the first ethernet interface with a device behind
 * it, waited for as long as the disks are. */
static void find_iface(const char *want, long wait_s, char *out)
{
	long long end = now_ms() + wait_s * 1000;

	for (;;) {
		out[0] = '\0';
		if (want[0] && ifindex(want)) {
			snprintf(out, IFNAMSIZ, "%s", want);
			return;
		}
		if (!want[0] && (each_entry(AT_FDCWD, "/sys/class/net", iface_first, out), out[0]))
			return;
		if (now_ms() >= end)
			die(EXIT_SETUP, "network interface %s: not found after %ld s", want[0] ? want : "(first ethernet)", wait_s);
		sleep_ms(100);
	}
}

/* A network namespace for the workload that outlives its restarts: made
 * here, IFNAME moved into it, and kept by a bind mount that spawn()
 * joins (as --net ns:PATH). PID 1 is left inside it; OLD is where it was. */
static int machine_netns(const char *ifname, struct config *c)
{
	int old = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC), fd, now;

	if (old < 0 || unshare(CLONE_NEWNET) < 0 || (now = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC)) < 0)
		die(EXIT_SETUP, "network namespace for %s:", ifname);
	if ((fd = open(init_netns, O_RDONLY | O_CREAT | O_CLOEXEC, 0600)) < 0 || close(fd) < 0 ||
	    mount("/proc/self/ns/net", init_netns, NULL, MS_BIND, NULL) < 0)
		die(EXIT_SETUP, "keep the network namespace at %s:", init_netns);
	if (setns(old, CLONE_NEWNET) < 0 || link_set(ifindex(ifname), 0, now) < 0 ||
	    setns(now, CLONE_NEWNET) < 0)
		die(EXIT_SETUP, "move %s into the container's network namespace:", ifname);
	close(now);
	copy_cut(c->netns_path, sizeof(c->netns_path), init_netns);
	c->netns = 0;
	return old;
}

#endif

/* ---------- monitor: a page, JSON and metrics over HTTP ---------- */

#if WITH_MONITOR
/* One process, poll(), fixed buffers (config.h): a request head of at most
 * MONITOR_REQUEST bytes and MONITOR_HEADERS lines per client, at most
 * MONITOR_CLIENTS clients (the next get 503), a deadline for each, and
 * every response built whole, then written in one go. Read-only: it
 * reads runtime state files and cgroup files, nothing else. */

/* The figures of a container, -1 where unavailable (no cgroup, stopped);
 * a memory limit of "max" is NO_LIMIT. */
enum { F_UP, F_RESTARTS, F_MEM, F_PEAK, F_LIMIT, F_CPU, F_PIDS, F_OOMS, F_START, NFIG };
#define NO_LIMIT (-2)

/* Each figure: metric (with a name label), type, help, key in the JSON,
 * and the cgroup file (and key in it) that gives it while it runs. */
static const struct { const char *metric, *type, *help, *json, *file, *key; } figs[NFIG] = {
	{ "container_up", "gauge", "1 while the workload runs.", NULL, NULL, NULL },
	{ "container_restarts_total", "counter", "Restarts by policy.", "restarts", NULL, NULL },
	{ "container_memory_bytes", "gauge", "memory.current", "memory", "memory.current", NULL },
	{ "container_memory_peak_bytes", "gauge", "memory.peak", "memoryPeak", "memory.peak", NULL },
	{ "container_memory_limit_bytes", "gauge", "memory.max", "memoryLimit", "memory.max", NULL },
	{ "container_cpu_seconds_total", "counter", "cpu.stat usage_usec", "cpuSeconds", "cpu.stat", "usage_usec " },
	{ "container_pids", "gauge", "pids.current", "pids", "pids.current", NULL },
	{ "container_oom_kills_total", "counter", "memory.events oom_kill, every run", "oomKills", "memory.events", "oom_kill " },
	{ "container_start_time_seconds", "gauge", "Start of the running workload.", "startTime", NULL, NULL },
};

struct mon_ctr {
	char name[NAME_MAX_LEN + 1], status[16];
	int used, seen, pid;
	long long v[NFIG];
	long long cpu_prev, ms_prev;  /* the last sample, for the CPU share */
	int cpu;                      /* per mille of one CPU then, -1 unknown */
	int nh, ih;                   /* history: samples held, next slot */
	long long hmem[MONITOR_HISTORY];
	short hcpu[MONITOR_HISTORY];
};

struct request { int head; char path[64]; };

static struct {
	struct mon_ctr c[MONITOR_MAX];
	int order[MONITOR_MAX], n;    /* used entries, sorted by name */
	const char *persist;          /* also list its containers (a host) */
	long long btime, sampled;
	int listen_fd;
	pid_t pid;                    /* init mode: the monitor process */
	long long forked;
	char reply[MONITOR_REPLY];
} mon;

static const struct { int code; const char *reason; } http_status[] = {
	{ 200, "OK" }, { 400, "Bad Request" }, { 404, "Not Found" },
	{ 405, "Method Not Allowed" }, { 408, "Request Timeout" }, { 413, "Content Too Large" },
	{ 414, "URI Too Long" }, { 431, "Request Header Fields Too Large" },
	{ 500, "Internal Server Error" }, { 503, "Service Unavailable" },
};

static int token_char(int ch)
{
	return ch > ' ' && ch < 127 && !strchr("\"(),/:;<=>?@[\\]{}", ch);
}

/* Parse the request head in BUF[0..LEN), not NUL-terminated: 0 while it
 * is incomplete, 200 with R filled, or the status of the error. */
static int http_parse(const char *buf, size_t len, struct request *r)
{
	const char *p = buf, *end = buf + len, *eol, *sp, *q, *qe;
	int host = 0, lines = 0, v11;

	for (q = p; q < end && token_char(*q); q++)
		;
	if (q < end && (q == p || *q != ' ' || (q + 1 < end && q[1] != '/')))
		return 400;  /* known as soon as it is seen */
	if (!(eol = memchr(p, '\n', len)))
		return len < MONITOR_REQUEST ? 0 : q < end ? 414 : 400;
	r->head = q - p == 4 && !memcmp(p, "HEAD", 4);
	if (!r->head && (q - p != 3 || memcmp(p, "GET", 3)))
		return 405;
	for (sp = ++q; sp < eol && *sp > ' ' && *sp < 127; sp++)
		;
	if (eol - sp < 9 || eol - sp > 10 || memcmp(sp, " HTTP/1.", 8) || !strchr("01", sp[8]) ||
	    (eol - sp == 10 && sp[9] != '\r'))
		return 400;
	v11 = sp[8] == '1';
	/* the path without the query; one longer than any route is none */
	if (!(qe = memchr(q, '?', sp - q)))
		qe = sp;
	snprintf(r->path, sizeof(r->path), "%.*s", qe - q < (long)sizeof(r->path) ? (int)(qe - q) : 0, q);
	for (p = eol + 1; p < end && (eol = memchr(p, '\n', end - p)); p = eol + 1) {
		size_t n = eol - p - (eol > p && eol[-1] == '\r');

		if (n == 0)
			return v11 && !host ? 400 : 200;
		if (++lines > MONITOR_HEADERS)
			return 431;
		for (q = p; q < p + n && token_char(*q); q++)
			;
		if (q == p || q == p + n || *q != ':')
			return 400;  /* no name, no colon, or a folded line */
		for (sp = q + 1; sp < p + n; sp++)
			if ((unsigned char)*sp < ' ' && *sp != '\t')
				return 400;
		host |= q - p == 4 && !strncasecmp(p, "host", 4);
		if (q - p == 14 && !strncasecmp(p, "content-length", 14))
			for (sp = q + 1; sp < p + n; sp++)
				if (!strchr(" \t0", *sp))
					return 413;  /* no route takes a body */
		if (q - p == 17 && !strncasecmp(p, "transfer-encoding", 17))
			return 413;
	}
	return len >= MONITOR_REQUEST ? 431 : 0;
}

/* The number in GROUP/FILE, after KEY when given; -1 if none. */
static long long cg_read(const char *group, const char *file, const char *key)
{
	char path[PATH_MAX], buf[1024], *p = buf;

	if (snprintf(path, sizeof(path), "%s/%s", group, file) >= (int)sizeof(path) ||
	    read_file(path, buf, sizeof(buf)) <= 0 || (key && !(p = strstr(buf, key))))
		return -1;
	p += key ? strlen(key) : 0;
	return isdigit((unsigned char)*p) ? atoll(p) : -1;
}

/* M's figures from its state S and its cgroup. Earlier runs' OOM kills
 * are in the state; the running one's in its group. */
static void mon_figures(struct mon_ctr *m, const struct state *s)
{
	long long ooms;
	int i, up = !strcmp(s->status, "running") && alive(s);

	for (i = 0; i < NFIG; i++)
		m->v[i] = -1;
	copy_cut(m->status, sizeof(m->status), up || strcmp(s->status, "running") ? s->status : "stopped");
	m->pid = up ? s->pid : 0;
	m->v[F_UP] = up;
	m->v[F_RESTARTS] = s->restarts;
	if (s->cgroup[0]) {
		m->v[F_PEAK] = s->peak > 0 ? s->peak : -1;
		m->v[F_OOMS] = s->ooms > 0 ? s->ooms : 0;
	}
	if (!up)
		return;
	m->v[F_START] = mon.btime + (long long)(s->start / 100);  /* USER_HZ */
	if (!s->cgroup[0])
		return;
	ooms = m->v[F_OOMS];
	for (i = 0; i < NFIG; i++)
		if (figs[i].file)
			m->v[i] = cg_read(s->cgroup, figs[i].file, figs[i].key);
	if (m->v[F_LIMIT] < 0 && m->v[F_MEM] >= 0)
		m->v[F_LIMIT] = NO_LIMIT;
	if (m->v[F_OOMS] >= 0)
		m->v[F_OOMS] += ooms;
}

#if WITH_LAUNCHER
/* A container known only by its saved config (after a reboot): stopped,
 * with the rootfs it names. No parse_run: a bad file must not end us. */
static int mon_saved(const char *name, struct state *s)
{
	static char text[64 * 1024], *argv[MAX_CONFIG_ARGS];
	char path[PATH_MAX];
	struct stat st;
	int i, n;

	memset(s, 0, sizeof(*s));
	strcpy(s->status, "stopped");
	if (!mon.persist || snprintf(path, sizeof(path), "%s/%s/config", mon.persist, name) >= (int)sizeof(path) ||
	    stat(path, &st) < 0 || read_file(path, text, sizeof(text)) < 0 ||
	    (n = config_split(text, argv, MAX_CONFIG_ARGS)) < 0)
		return -1;
	for (i = 0; i + 1 < n && strcmp(argv[i], "--"); i++)
		if (!strcmp(argv[i], "--rootfs"))
			copy_cut(s->rootfs, sizeof(s->rootfs), argv[i + 1]);
	rfc3339(st.st_mtime, s->created, sizeof(s->created));
	return 0;
}
#else
#define mon_saved(name, s) (-1)
#endif

/* NAME's state, from its runtime state or its saved config. */
static int mon_state(const char *name, struct state *s)
{
	return state_load(name, s) == 0 ? 0 : mon_saved(name, s);
}

static int mon_add(int dirfd, const char *name, void *arg)
{
	struct state s;
	struct mon_ctr *m = NULL;
	int i;

	(void)dirfd;
	(void)arg;
	for (i = 0; i < MONITOR_MAX; i++)
		if (mon.c[i].used && !strcmp(mon.c[i].name, name))
			break;
	if (i < MONITOR_MAX && mon.c[i].seen)
		return 0;
	if (!valid_name(name) || mon_state(name, &s) < 0)
		return 0;
	if (i < MONITOR_MAX) {
		m = &mon.c[i];
	} else {
		for (i = 0; i < MONITOR_MAX && mon.c[i].used; i++)
			;
		if (i == MONITOR_MAX)
			return 0;
		m = &mon.c[i];
		memset(m, 0, offsetof(struct mon_ctr, hmem));
		copy_cut(m->name, sizeof(m->name), name);
		m->used = 1;
		m->cpu = -1;
	}
	m->seen = 1;
	mon_figures(m, &s);
	return 0;
}

/* Every container: refresh the table, forget those gone, sort by name. */
static void mon_scan(void)
{
	int i, j;

	for (i = 0; i < MONITOR_MAX; i++)
		if (mon.c[i].used)
			mon.c[i].seen = 0;
	each_entry(AT_FDCWD, runtime_dir, mon_add, NULL);
	if (mon.persist)
		each_entry(AT_FDCWD, mon.persist, mon_add, NULL);
	for (i = mon.n = 0; i < MONITOR_MAX; i++) {
		mon.c[i].used &= mon.c[i].seen;
		if (!mon.c[i].used)
			continue;
		for (j = mon.n++; j > 0 && strcmp(mon.c[mon.order[j - 1]].name, mon.c[i].name) > 0; j--)
			mon.order[j] = mon.order[j - 1];
		mon.order[j] = i;
	}
}

/* A history sample of each container: memory, and the CPU share since the
 * sample before. */
static void mon_sample(void)
{
	long long now = now_ms();
	struct mon_ctr *m;
	int i;

	mon_scan();
	for (i = 0; i < mon.n; i++) {
		m = &mon.c[mon.order[i]];
		m->cpu = m->v[F_CPU] >= 0 && m->cpu_prev >= 0 && m->v[F_CPU] >= m->cpu_prev && now > m->ms_prev ?
		         (int)((m->v[F_CPU] - m->cpu_prev) / (now - m->ms_prev)) : -1;
		m->cpu_prev = m->v[F_CPU];
		m->ms_prev = now;
		m->hmem[m->ih] = m->v[F_MEM];
		m->hcpu[m->ih] = (short)m->cpu;
		m->ih = (m->ih + 1) % MONITOR_HISTORY;
		m->nh += m->nh < MONITOR_HISTORY;
	}
	mon.sampled = now;
}

/* V as KIND: 'n' a number, 's' microseconds as seconds, 'p' per mille as
 * a percentage, 'm' bytes in MiB, 't' seconds as h:mm:ss; NONE if
 * unavailable, MAX if NO_LIMIT. */
static void put_fig(struct out *f, long long v, int kind, const char *none, const char *max)
{
	if (v < 0)
		put(f, "%s", v == NO_LIMIT ? max : none);
	else if (kind == 's')
		put(f, "%lld.%06lld", v / 1000000, v % 1000000);
	else if (kind == 'p')
		put(f, "%lld.%lld", v / 10, v % 10);
	else if (kind == 'm')
		put(f, "%.1f MiB", v / 1048576.0);
	else if (kind == 't')
		put(f, "%lld:%02lld:%02lld", v / 3600, v / 60 % 60, v % 60);
	else
		put(f, "%lld", v);
}

static void render_metrics(struct out *f)
{
	int i, k;

	for (k = 0; k < NFIG; k++) {
		put(f, "# HELP %s %s\n# TYPE %s %s\n", figs[k].metric, figs[k].help, figs[k].metric, figs[k].type);
		for (i = 0; i < mon.n; i++) {
			struct mon_ctr *m = &mon.c[mon.order[i]];

			if (m->v[k] < 0 && m->v[k] != NO_LIMIT)
				continue;  /* unavailable: left out, never 0 */
			put(f, "%s{name=\"%s\"} ", figs[k].metric, m->name);
			put_fig(f, m->v[k], k == F_CPU ? 's' : 'n', "", "+Inf");
			put(f, "\n");
		}
	}
}

static long long uptime_s(const struct mon_ctr *m)
{
	return m->v[F_START] < 0 ? -1 : time(NULL) - m->v[F_START];
}

static void render_json(struct out *f)
{
	struct state s;
	int i, k;

	put(f, "[");
	for (i = 0; i < mon.n; i++) {
		struct mon_ctr *m = &mon.c[mon.order[i]];

		if (mon_state(m->name, &s) < 0)
			continue;
		copy_cut(s.status, sizeof(s.status), m->status);
		s.pid = m->pid;
		put(f, "%s", i ? "," : "");
		print_json(f, m->name, &s, 1);
		for (k = F_RESTARTS; k < NFIG; k++) {
			put(f, ",\"%s\":", figs[k].json);
			put_fig(f, m->v[k], k == F_CPU ? 's' : 'n', "null", "\"max\"");
		}
		put(f, ",\"uptime\":");
		put_fig(f, uptime_s(m), 'n', "null", "");
		put(f, ",\"cpuPercent\":");
		put_fig(f, m->cpu, 'p', "null", "");
		put(f, "}");
	}
	put(f, "]\n");
}

/* The history as two lines: memory (blue) under its own peak, CPU (red)
 * under one CPU or its peak. Unavailable samples are left out. */
static void put_svg(struct out *f, const struct mon_ctr *m)
{
	long long top[2] = { 1, 1000 }, v;
	int i, j, k;

	for (k = 0; k < 2; k++)
		for (i = 0; i < m->nh; i++) {
			j = (m->ih - m->nh + i + MONITOR_HISTORY) % MONITOR_HISTORY;
			v = k ? m->hcpu[j] : m->hmem[j];
			top[k] = v > top[k] ? v : top[k];
		}
	put(f, "<td><svg width=\"144\" height=\"28\">");
	for (k = 0; k < 2; k++) {
		put(f, "<polyline fill=\"none\" stroke=\"%s\" points=\"", k ? "#c33" : "#36c");
		for (i = 0; i < m->nh; i++) {
			j = (m->ih - m->nh + i + MONITOR_HISTORY) % MONITOR_HISTORY;
			v = k ? m->hcpu[j] : m->hmem[j];
			if (v >= 0)
				put(f, "%d,%lld ", (MONITOR_HISTORY - m->nh + i) * 2, 26 - v * 24 / top[k]);
		}
		put(f, "\"/>");
	}
	put(f, "</svg>");
}

static void render_page(struct out *f)
{
	static const char head[] = "<tr><th>name<th>state<th>pid<th>uptime<th>restarts<th>memory<th>peak"
	                           "<th>limit<th>CPU %<th>pids<th>OOM kills<th>memory, CPU";
	static const char kind[] = "ntnmmmpnn";
	int i, k;

	put(f, "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><meta http-equiv=\"refresh\" content=\"%d\">"
	    "<title>containers</title><style>body{font:14px sans-serif}table{border-collapse:collapse}"
	    "td,th{padding:3px 9px;text-align:right;border-bottom:1px solid #ddd}th:first-child{text-align:left}svg{background:#f4f4f4}"
	    ".running{color:#070}"
	    "</style></head><body><table>%s", monitor_refresh_s, head);
	for (i = 0; i < mon.n; i++) {
		struct mon_ctr *m = &mon.c[mon.order[i]];
		long long cell[] = { m->pid ? m->pid : -1, uptime_s(m), m->v[F_RESTARTS], m->v[F_MEM],
		                     m->v[F_PEAK], m->v[F_LIMIT], m->cpu, m->v[F_PIDS], m->v[F_OOMS] };

		put(f, "\n<tr class=\"ctr\" id=\"c-%s\"><th>%s<td class=\"%s\">%s", m->name, m->name, m->status, m->status);
		for (k = 0; k < (int)LEN(cell); k++) {
			put(f, "<td>");
			put_fig(f, cell[k], kind[k], "&ndash;", "max");
		}
		put_svg(f, m);
	}
	put(f, "\n</table><p>&ndash;: not available (not running, or no cgroup). <a href=\"/metrics\">metrics</a> "
	    "<a href=\"/containers.json\">JSON</a></body></html>\n");
}

static void render_health(struct out *f)
{
	put(f, "ok\n");
}

static const struct { const char *path, *type; void (*render)(struct out *); } routes[] = {
	{ "/", "text/html; charset=utf-8", render_page },
	{ "/containers.json", "application/json", render_json },
	{ "/metrics", "text/plain; version=0.0.4; charset=utf-8", render_metrics },
	{ "/healthz", "text/plain", render_health },
};

/* Send LEN bytes in one go; a client that takes more than
 * monitor_write_ms for them is left. */
static void send_all(int fd, const char *buf, size_t len)
{
	long long end = now_ms() + monitor_write_ms;
	struct pollfd p = { .fd = fd, .events = POLLOUT };
	ssize_t n;

	while (len > 0 && now_ms() < end) {
		if ((n = send(fd, buf, len, MSG_NOSIGNAL)) > 0) {
			buf += n;
			len -= (size_t)n;
		} else if (n < 0 && errno != EAGAIN && errno != EINTR) {
			return;
		} else {
			poll(&p, 1, (int)(end - now_ms()));
		}
	}
}

/* The response to R (or the error CODE): the body made in the reply
 * buffer after room for the head, then the head put before it. */
static void respond(int fd, int code, const struct request *r)
{
	char head[256];
	struct out o = { mon.reply + sizeof(head), 0, sizeof(mon.reply) - sizeof(head), 0 };
	const char *type = "text/plain";
	size_t i = 0, h;

	while (code == 200 && i < LEN(routes) && strcmp(routes[i].path, r->path))
		i++;
	if (code == 200 && i == LEN(routes))
		code = 404;
	if (code == 200) {
		if (routes[i].render != render_health)
			mon_scan();
		routes[i].render(&o);
		type = routes[i].type;
		code = o.full ? 500 : 200;
	}
	for (i = 0; http_status[i].code != code; i++)
		;
	if (code != 200) {
		o.n = 0;
		put(&o, "%d %s\n", code, http_status[i].reason);
	}
	h = (size_t)snprintf(head, sizeof(head), "HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n"
	                     "Cache-Control: no-store\r\n%sConnection: close\r\n\r\n", code, http_status[i].reason,
	                     type, o.n, code == 405 ? "Allow: GET, HEAD\r\n" : "");
	memcpy(o.p - h, head, h);
	send_all(fd, o.p - h, h + (r && r->head ? 0 : o.n));
}

struct client { int fd, closing; size_t len; long long deadline; char buf[MONITOR_REQUEST]; };
static struct client clients[MONITOR_CLIENTS];

/* After an error: no more reading, the client is left to close first, so
 * that what it still sends does not reset the connection before it has
 * read the answer. */
static void client_done(struct client *c, int code, const struct request *r)
{
	respond(c->fd, code, r);
	if (code == 200 || shutdown(c->fd, SHUT_WR) < 0) {
		close(c->fd);
		c->fd = -1;
		return;
	}
	c->closing = 1;
	c->deadline = now_ms() + monitor_write_ms;
}

static void client_read(struct client *c)
{
	struct request r = { 0 };
	ssize_t n;
	int code;

	if (c->closing) {
		n = recv(c->fd, c->buf, sizeof(c->buf), 0);
	} else {
		n = recv(c->fd, c->buf + c->len, sizeof(c->buf) - c->len, 0);
		if (n > 0) {
			c->len += (size_t)n;
			if ((code = http_parse(c->buf, c->len, &r)))
				client_done(c, code, &r);
			return;
		}
	}
	if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
		close(c->fd);
		c->fd = -1;
	}
}

static void accept_clients(void)
{
	int fd, i;

	/* accept4 as a system call: libc's adds a fallback for kernels
	 * before 2.6.28 */
	while ((fd = (int)syscall(SYS_accept4, mon.listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC)) >= 0) {
		for (i = 0; i < MONITOR_CLIENTS && clients[i].fd >= 0; i++)
			;
		if (i == MONITOR_CLIENTS) {
			respond(fd, 503, NULL);
			close(fd);
			continue;
		}
		clients[i] = (struct client){ .fd = fd, .deadline = now_ms() + monitor_timeout_ms };
	}
}

/* Serve on the bound socket mon.listen_fd until killed. */
static void monitor_serve(void) __attribute__((noreturn));
static void monitor_serve(void)
{
	struct pollfd p[MONITOR_CLIENTS + 1];
	long long now, wait;
	char buf[4096], *bt;
	int i;

	if (read_file("/proc/stat", buf, sizeof(buf)) > 0 && (bt = strstr(buf, "btime ")))
		mon.btime = atoll(bt + 6);
	for (i = 0; i < MONITOR_CLIENTS; i++)
		clients[i].fd = -1;
	for (;;) {
		now = now_ms();
		if (now - mon.sampled >= monitor_sample_ms)
			mon_sample();
		wait = mon.sampled + monitor_sample_ms - now;
		p[0] = (struct pollfd){ .fd = mon.listen_fd, .events = POLLIN };
		for (i = 0; i < MONITOR_CLIENTS; i++) {
			struct client *c = &clients[i];

			if (c->fd >= 0 && c->deadline <= now) {
				if (c->closing)
					close(c->fd), c->fd = -1;
				else
					client_done(c, 408, NULL);
			}
			if (c->fd >= 0 && c->deadline - now < wait)
				wait = c->deadline - now;
			p[i + 1] = (struct pollfd){ .fd = c->fd, .events = POLLIN };
		}
		if (poll(p, LEN(p), wait > 0 ? (int)wait : 0) < 0)
			continue;
		for (i = 0; i < MONITOR_CLIENTS; i++)
			if (clients[i].fd >= 0 && p[i + 1].revents)
				client_read(&clients[i]);
		if (p[0].revents & POLLIN)
			accept_clients();
	}
}

/* A listening socket on SA, or -1 with errno. */
static int monitor_socket(const struct sockaddr_in *sa)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0), on = 1;

	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) < 0 ||
	    bind(fd, (const struct sockaddr *)sa, sizeof(*sa)) < 0 || listen(fd, 128) < 0) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

#if WITH_LAUNCHER
static int cmd_monitor(int argc, char **argv)
{
	static const char use[] = "usage: container monitor [--listen ADDR:PORT] [--persist DIR]";
	const char *listen_at = monitor_listen;
	struct sockaddr_in sa;
	int i;

	mon.persist = persist_dir;
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return puts(use), 0;
		if (i + 1 < argc && !strcmp(argv[i], "--listen"))
			listen_at = argv[++i];
		else if (i + 1 < argc && !strcmp(argv[i], "--persist"))
			mon.persist = argv[++i];
		else
			die(1, "monitor: bad argument '%s' (%s)", argv[i], use);
	}
	if (parse_listen(listen_at, "", &sa) < 0 || !strchr(listen_at, ':'))
		die(1, "monitor: invalid --listen '%s': give ADDR:PORT, e.g. 127.0.0.1:9180", listen_at);
	if ((mon.listen_fd = monitor_socket(&sa)) < 0)
		die(1, "monitor: listen on %s:", listen_at);
	monitor_serve();
}
#endif

#if WITH_INIT
/* Init mode: a child of PID 1, unprivileged, on the socket PID 1 keeps.
 * One that died within a second is started again a second later. */
static void monitor_fork(void)
{
	long long now = now_ms();
	int again = mon.forked && now - mon.forked < 1000;

	mon.forked = now;
	if ((mon.pid = fork()) < 0) {
		warn("monitor: fork:");
		mon.pid = 0;
	}
	if (mon.pid) {
		debug("monitor %d started", (int)mon.pid);
		return;
	}
	g.init_mode = 0;
	/* nothing of PID 1's but the console and the socket */
	if (mon.listen_fd > 3)
		syscall(SYS_close_range, 3, mon.listen_fd - 1, 0);
	syscall(SYS_close_range, mon.listen_fd + 1, ~0U, 0);
	if (again)
		sleep_ms(1000);
	if (setgroups(0, NULL) < 0 || setresgid(monitor_uid, monitor_uid, monitor_uid) < 0 ||
	    setresuid(monitor_uid, monitor_uid, monitor_uid) < 0 || prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		die(1, "monitor: drop privileges:");
	monitor_serve();
}

/* PID 1 reaped PID: the monitor is started again if that was it. */
static void monitor_reaped(pid_t pid)
{
	if (pid != mon.pid || pid <= 0)
		return;
	warn("monitor %d ended: started again", (int)pid);
	monitor_fork();
}

/* C's monitor, listening in the workload's network: the namespace PID 1
 * keeps for it (with the NIC, container.ip=), else the machine's own. */
static void monitor_start(const struct config *c)
{
	const struct sockaddr_in *sa = &c->monitor;
	const unsigned char *ip = (const unsigned char *)&sa->sin_addr;
	int old = -1, ns = -1;
	char addr[32];

	snprintf(addr, sizeof(addr), "%u.%u.%u.%u:%u", ip[0], ip[1], ip[2], ip[3], ntohs(sa->sin_port));
	if (!c->netns_path[0])
		loopback_up();  /* reached over it from a workload of net=host */
	else if ((old = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC)) < 0 ||
	         (ns = open(c->netns_path, O_RDONLY | O_CLOEXEC)) < 0 || setns(ns, CLONE_NEWNET) < 0)
		die(EXIT_SETUP, "monitor: enter the network namespace %s:", c->netns_path);
	if (ns >= 0)
		close(ns);
	mon.listen_fd = monitor_socket(sa);
	if (old >= 0 && (setns(old, CLONE_NEWNET) < 0 || close(old) < 0))
		die(EXIT_SETUP, "monitor: back to PID 1's network namespace:");
	if (mon.listen_fd < 0) {
		warn("monitor: listen on %s:", addr);
		return;
	}
	debug("monitor on %s", addr);
	monitor_fork();
}
#endif
#endif

/* ---------- init mode (PID 1) ---------- */

#if WITH_INIT
struct init_params {
	char lower[PATH_MAX], persist[256], persistfs[32], modules[1024];
	long rootwait;
};

/* One container.KEY=VAL word of the kernel command line: the machine's
 * own parameters here, a container option through options[]. Returns 0,
 * -1 for a bad value, -2 for an unknown key. */
static int init_param(struct init_params *p, struct config *c, const char *key, const char *val)
{
	size_t i;

	if (!strcmp(key, "lower"))
		return copy_text(p->lower, sizeof(p->lower), val, 0);
	if (!strcmp(key, "persist"))
		return copy_text(p->persist, sizeof(p->persist), val, 0);
	if (!strcmp(key, "persistfs"))
		return copy_text(p->persistfs, sizeof(p->persistfs), val, 0);
	if (!strcmp(key, "modules"))
		return copy_text(p->modules, sizeof(p->modules), val, 1);
	if (!strcmp(key, "name"))
		return valid_name(val) ? (snprintf(c->name, sizeof(c->name), "%s", val), 0) : -1;
	if (!strcmp(key, "rootwait"))
		return parse_long(val, 0, 3600, &p->rootwait);
	if (!strcmp(key, "debug"))
		return g.debug = 1, 0;
	if (!strcmp(key, "net") && strcmp(val, "none") && strcmp(val, "host"))
		return -1;  /* a machine's workload: its own network or the VM's */
	for (i = 0; i < LEN(options); i++)
		if (options[i].param && !strcmp(options[i].param, key))
			return options[i].set(c, val);
	return -2;
}

/* Parse the kernel command line TEXT (changed in place) up to "--". Words
 * may hold double-quoted parts, as the kernel allows. Returns the number
 * of words after "--"; on error, -1 with a one-line reason in ERR. */
static int parse_cmdline(char *text, struct init_params *p, struct config *c, char *err, size_t size)
{
	char *r = text, *w, *word, *eq;
	int quoted, rc, after = -1;

	text[strcspn(text, "\n")] = '\0';  /* /proc/cmdline ends in one */
	for (;;) {
		while (isspace((unsigned char)*r))
			r++;
		if (!*r)
			return after < 0 ? 0 : after;
		for (word = w = r, quoted = 0; *r && (quoted || !isspace((unsigned char)*r)); r++)
			if (*r == '"')
				quoted = !quoted;
			else
				*w++ = *r;
		if (*r)
			r++;
		*w = '\0';
		if (after >= 0 || !strcmp(word, "--")) {
			after++;
			continue;
		}
		if (strncmp(word, "container.", 10))
			continue;
		word += 10;
		eq = strchr(word, '=');
		if (eq)
			*eq = '\0';
		rc = init_param(p, c, word, eq ? eq + 1 : "");
		if (rc == -1)
			return snprintf(err, size, "container.%s=%s: invalid value", word, eq ? eq + 1 : ""), -1;
		if (rc == -2)
			warn("unknown parameter container.%s ignored", word);
	}
}

static void init_mount(const char *src, const char *dst, const char *type, unsigned long flags, const char *data)
{
	if (mkdir(dst, 0755) < 0 && errno != EEXIST)
		die(EXIT_SETUP, "mkdir %s:", dst);
	if (mount(src, dst, type, flags, data) < 0 && errno != EBUSY)
		die(EXIT_SETUP, "mount %s on %s:", type, dst);
}

/* Stop is done or setup failed: unmount the persistent partition cleanly
 * (read-only if it stays busy), sync, power off or reboot. */
static void init_poweroff(int how)
{
	char path[PATH_MAX], status[2048], *rss;
	int i;

	g.init_mode = 0;
	sync();
	snprintf(path, sizeof(path), "%s/persist", init_mnt);
	for (i = 0; i < 100 && umount(path) < 0 && errno == EBUSY; i++)
		sleep_ms(20);
	if (i == 100 && mount(NULL, path, NULL, MS_REMOUNT | MS_RDONLY, NULL) < 0)
		warn("remount %s read-only:", path);
	snprintf(path, sizeof(path), "%s/lower", init_mnt);
	umount2(path, MNT_DETACH);
	sync();
	/* smaps_rollup walks the page tables: VmHWM of a quiet process lags
	 * behind (the kernel syncs its counters every 64 faults). */
	if (g.debug && read_file("/proc/self/smaps_rollup", status, sizeof(status)) > 0 &&
	    (rss = strstr(status, "\nRss:")))
		debug("PID 1 RSS at power off: %ld kB", atol(rss + 5 + strspn(rss + 5, " ")));
	debug("%s", how == RB_AUTOBOOT ? "reboot" : "power off");
	reboot(how);
	for (;;)
		pause();
}

/* Mount the persistent partition, then the base image (its slot may be
 * chosen by a record on the former); fill L. */
static void init_layers(struct init_params *p, const struct config *c, struct layout *l)
{
	char dev[PATH_MAX], persist[PATH_MAX];
	struct stat st;

	memset(l, 0, sizeof(*l));
	must_path(persist, sizeof(persist), "%s/persist", init_mnt);
	if (!strcmp(p->persist, "tmpfs")) {
		init_mount("tmpfs", persist, "tmpfs", MS_NOSUID | MS_NODEV, "mode=755");
	} else {
		if (find_device(p->persist, dev, sizeof(dev), (int)p->rootwait) < 0)
			die(EXIT_SETUP, "persistent partition %s: not found after %ld s", p->persist, p->rootwait);
		if (mkdir_p(persist, 0755) < 0 || mount(dev, persist, p->persistfs, MS_NOSUID | MS_NODEV, NULL) < 0)
			die(EXIT_SETUP, "mount persistent partition %s (%s) on %s:", dev, p->persistfs, persist);
#if WITH_IMAGES
		slots_choose(p->lower, sizeof(p->lower));
#endif
	}
	debug("persistent partition %s on %s", p->persist, persist);
	if (stat(p->lower, &st) == 0 && S_ISDIR(st.st_mode)) {
		copy_cut(l->lower, sizeof(l->lower), p->lower);
	} else {
		if (find_device(p->lower, dev, sizeof(dev), (int)p->rootwait) < 0)
			die(EXIT_SETUP, "base image %s: not found after %ld s", p->lower, p->rootwait);
		snprintf(l->lower, sizeof(l->lower), "%s/lower", init_mnt);
		mount_image(dev, l->lower);
	}
	debug("base image %s on %s", p->lower, l->lower);
	must_path(l->layer, sizeof(l->layer), "%s/%s", persist, c->name);
	must_path(l->root, sizeof(l->root), "%s/root", init_mnt);
}

#if WITH_BRIDGE
/* container.ip: IFNAME configured by DHCP or statically, resolv.conf for
 * the workload; with container.net=host in PID 1's own namespace, else
 * in the workload's (machine_netns). Renewal: a child of PID 1 in that
 * namespace, whose socket stays there whatever PID 1 does. */
static void init_net(const struct init_params *p, struct config *c)
{
	char ifname[IFNAMSIZ];
	struct ifreq ifr = { 0 };
	struct lease l = { 0 };
	uint8_t mac[6];
	int old = -1, s;
	pid_t pid;

	if (!c->ipcfg[0])
		return;
	find_iface(c->iface, p->rootwait, ifname);
	if (c->netns)
		old = machine_netns(ifname, c);
	loopback_up();
	if (strcmp(c->ipcfg, "dhcp")) {
		parse_ipcfg(c->ipcfg, &l.addr, &l.prefix, &l.router);
		iface_configure(ifname, l.addr, l.prefix, l.router);
	} else {
		copy_cut(ifr.ifr_name, sizeof(ifr.ifr_name), ifname);
		s = dhcp_socket(ifname);
		if (link_set(ifindex(ifname), 0, -1) < 0 || ioctl(s, SIOCGIFHWADDR, &ifr) < 0)
			die(EXIT_SETUP, "bring %s up:", ifname);
		memcpy(mac, ifr.ifr_hwaddr.sa_data, 6);
		if (dhcp_acquire(s, mac, &l, 4) < 0)
			die(EXIT_SETUP, "dhcp on %s: no lease offered in 15 s", ifname);
		lease_apply(ifname, &l);
		if ((pid = fork()) == 0)
			dhcp_renewer(s, ifname, mac, l);
		if (pid < 0)
			warn("dhcp: no renewal of the lease on %s:", ifname);
		close(s);
	}
	if (c->dns[0])
		memcpy(l.dns, c->dns, sizeof(l.dns));
	if (l.dns[0] && c->nvol < MAX_VOLUMES) {
		write_resolv(l.dns);
		c->vol[c->nvol++] = (struct volume){ .dst = "/etc/resolv.conf", .ro = 1 };
		copy_cut(c->vol[c->nvol - 1].src, sizeof(c->vol[0].src), init_resolv);
	}
	if (old >= 0 && (setns(old, CLONE_NEWNET) < 0 || close(old) < 0))
		die(EXIT_SETUP, "back to PID 1's network namespace:");
}
#endif

#if WITH_MONITOR
/* The workload's runtime state for the monitor, in the launcher's format,
 * in a directory the monitor's uid may list. */
static void init_state(const struct config *c, const struct layout *l, struct state *s)
{
	char path[PATH_MAX];

	memset(s, 0, sizeof(*s));
	s->sup = 1;
	rfc3339(time(NULL), s->created, sizeof(s->created));
	copy_cut(s->rootfs, sizeof(s->rootfs), l->lower);
	runtime_path(c->name, NULL, path, sizeof(path));
	if (mkdir_p(path, 0755) < 0)
		warn("mkdir %s:", path);
}
#endif

/* Run the workload, restart it by policy, power off when it is over. */
static void init_run(const struct config *c, const struct layout *l) __attribute__((noreturn));
static void init_run(const struct config *c, const struct layout *l)
{
	struct child ch = { 0 };
	long long peak = -1;
	long ooms = -1;
	int code, stop = 0, restarts;
#if WITH_MONITOR
	struct state s;

	init_state(c, l, &s);
#endif

	for (restarts = 0;; restarts++) {
#if WITH_CGROUPS
		cgroup_create(c, 1, ch.cgroup, sizeof(ch.cgroup));
#endif
		spawn(c, l, 1, &ch);
		if ((code = started(&ch, STDERR_FILENO)))
			init_poweroff(RB_POWER_OFF);
#if WITH_IMAGES
		if (slot_trying)
			slots_confirm();
#endif
		debug("workload %s started", c->argv[0]);
#if WITH_MONITOR
		s.restarts = restarts;
		state_started(c->name, &s, &ch, 0);
#endif
		code = status_code(supervise(ch.pid, 1, init_grace, WITH_IMAGES && c->stop_signal ? c->stop_signal : SIGTERM, &stop));
#if WITH_CGROUPS
		if (ch.cgroup[0]) {
			cgroup_stats(ch.cgroup, &peak, &ooms);
			cgroup_remove(ch.cgroup);
		}
#endif
#if WITH_MONITOR
		state_stopped(c->name, &s, code, peak, ooms);
#endif
		if (ooms > 0)
			warn("workload exited with status %d (OOM kills: %ld, memory peak: %lld bytes)", code, ooms, peak);
		else
			warn("workload exited with status %d", code);
		if (!stop && !restart_due(c, code, restarts))
			stop = 1;
		if (stop || (stop = backoff_sleep(backoff_ms(restarts))))
			init_poweroff(stop == 2 ? RB_AUTOBOOT : RB_POWER_OFF);
	}
}

static void init_main(int argc, char **argv) __attribute__((noreturn));
static void init_main(int argc, char **argv)
{
	static char cmdline[4096];
	struct init_params p = { .rootwait = init_rootwait };
	struct config c;
	struct layout l;
	char err[512];
	int fd, i, words;

	g.init_mode = 1;
	block_signals();
	init_mount("devtmpfs", "/dev", "devtmpfs", MS_NOSUID, "mode=0755");
	/* Without a /dev/console in the initramfs the kernel starts us with
	 * no fds 0-2, and the console opens as one of them: that one stays
	 * open (dup2 onto itself does nothing), and is not close-on-exec:
	 * opened without O_CLOEXEC, as dup2 makes the others. */
	if ((fd = open("/dev/console", O_RDWR)) >= 0) {
		for (i = 0; i < 3; i++)
			dup2(fd, i);
		if (fd > 2)
			close(fd);
	}
	init_mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
	config_defaults(&c);
	copy_cut(c.name, sizeof(c.name), init_name);
	parse_restart(init_restart, &c.restart, &c.restart_max);
	copy_cut(p.lower, sizeof(p.lower), init_lower);
	copy_cut(p.persist, sizeof(p.persist), init_persist);
	copy_cut(p.persistfs, sizeof(p.persistfs), init_persistfs);
	copy_cut(p.modules, sizeof(p.modules), init_modules);
	if (read_file("/proc/cmdline", cmdline, sizeof(cmdline)) < 0)
		die(EXIT_SETUP, "read /proc/cmdline:");
	if ((words = parse_cmdline(cmdline, &p, &c, err, sizeof(err))) < 0)
		die(EXIT_SETUP, "%s", err);
	/* The kernel gives init its command line's bare words too ("single",
	 * a typo): only the words after "--", the last of argv, are the
	 * workload. */
	if (words > argc - 1)
		words = argc - 1;
	if (argc - 1 > words)
		warn("ignored kernel command line words: %s%s (a command goes after --)", argv[1],
		     argc - 1 - words > 1 ? " ..." : "");
	if (words > 0)
		c.argv = argv + argc - words, c.argv_set = 1;
	debug("init: %s", c.name);
	init_mount("sysfs", "/sys", "sysfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
	init_mount("tmpfs", "/run", "tmpfs", MS_NOSUID | MS_NODEV, "mode=755");
#if WITH_MODULES
	load_modules(p.modules);
#endif
	init_layers(&p, &c, &l);
#if WITH_BRIDGE
	init_net(&p, &c);
#endif
#if WITH_IMAGES
	image_config_dir(&c, l.lower);
#endif
#if WITH_CGROUPS
	init_mount("cgroup2", cgroup_root, "cgroup2", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
#endif
#if WITH_MONITOR
	if (c.monitor.sin_port)
		monitor_start(&c);
#endif
	init_run(&c, &l);
}
#endif

/* ---------- main ---------- */

#if WITH_LAUNCHER
static const char usage[] =
	"usage: container COMMAND [OPTIONS] ...\n"
	"  run [OPTIONS] NAME [--] [CMD [ARG...]]   create and start (see run --help)\n"
	"  start [-a] NAME                          start a stopped container again\n"
	"  stop [-t SECONDS] NAME                   SIGTERM, then SIGKILL after the grace\n"
	"  exec [-e K=V] [-w DIR] [-u UID[:GID]] NAME CMD [ARG...]\n"
	"  kill NAME [SIGNAL]                       send a signal to the workload\n"
	"  ps [-a] [--json]                         list running (-a: all) containers\n"
	"  state NAME                               its state as JSON\n"
	"  rm [-f] [--purge] NAME                   forget it; --purge deletes its changes\n"
	"  reset NAME                               discard its changes, keep its config\n"
#if WITH_MONITOR
	"  monitor [--listen ADDR:PORT]             a page, JSON and metrics of every container\n"
#endif
#if WITH_IMAGES
	"  images                                   the image store (run --image NAME)\n"
#endif
#if WITH_OCI
	"  create [OPTIONS] NAME [--] [CMD...]      made, not started (start runs it)\n"
	"OCI runtime (runc's command line, SPEC 10):\n"
	"  [--root DIR] [--log FILE] [--log-format text|json] [--debug] VERB ...\n"
	"  create --bundle DIR [--pid-file F] [--console-socket S] [--preserve-fds N] ID\n"
	"  run --bundle DIR [-d] [--pid-file F] [--console-socket S] ID   start ID   state ID\n"
	"  kill [--all] ID [SIGNAL]   delete [--force] ID   ps [--format table|json] ID\n"
	"  list [--format table|json]   features   spec [--bundle DIR]\n"
	"  exec [--process F] [-d] [--pid-file F] [-t --console-socket S] [--preserve-fds N] ID [CMD...]\n"
#endif
	"As PID 1 of an initramfs it boots the machine into a container.\n";

/* A process of this binary runs inside the container: the --init reaper,
 * an exec's child until it execs. Its /proc/PID/exe must not be the
 * host's file, which a workload could open and, once no copy runs,
 * overwrite (CVE-2019-5736). So run, start and exec run from a sealed
 * memfd copy of the binary, as runc does. */
static void exec_sealed(char **argv)
{
	int exe = open("/proc/self/exe", O_RDONLY | O_CLOEXEC), fd;
	struct stat st;
	off_t done = 0;
	ssize_t n;

	if (exe >= 0 && fcntl(exe, F_GET_SEALS) >= 0)
		return (void)close(exe);  /* the copy already */
	fd = memfd_create("container", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (exe < 0 || fd < 0 || fstat(exe, &st) < 0)
		die(g.fail_code, "copy /proc/self/exe:");
	while (done < st.st_size && (n = sendfile(fd, exe, NULL, (size_t)(st.st_size - done))) > 0)
		done += n;
	if (done != st.st_size ||
	    fcntl(fd, F_ADD_SEALS, F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE) < 0)
		die(g.fail_code, "copy /proc/self/exe:");
	close(exe);
	/* fexecve() without its fallback for kernels before execveat */
	syscall(SYS_execveat, fd, "", argv, environ, AT_EMPTY_PATH);
	die(g.fail_code, "exec the sealed copy of /proc/self/exe:");
}

#if WITH_OCI
/* Verbs that are both the launcher's and runc's: the arguments tell which
 * (see container.1). */
static int run_any(int argc, char **argv)
{
	return names_bundle(argc, argv) ? oci_create_cmd(argc, argv, 1) : cmd_run(argc, argv);
}

static int start_any(int argc, char **argv)
{
	const char *id = first_operand(argc, argv);

	if (id && is_bundle(id) && oci_args(argc, argv, "+h", "start ID", 0))
		return oci_start(id);
	must_exist(argc, argv, id);
	return cmd_start(argc, argv);
}

static int state_any(int argc, char **argv)
{
	const char *id = first_operand(argc, argv);

	if (id && is_bundle(id) && oci_args(argc, argv, "+h", "state ID", 0)) {
		oci_print_state(id, 1);
		puts("}");
		return 0;
	}
	must_exist(argc, argv, id);
	return cmd_state(argc, argv);
}

static int kill_any(int argc, char **argv)
{
	const char *id = first_operand(argc, argv);
	int i;

	if (id && is_bundle(id)) {
		i = oci_args(argc, argv, "+ah", "kill [--all|-a] ID [SIGNAL]", 0);
		return oci_kill(argv[i], i + 1 < argc ? argv[i + 1] : "TERM", va.all);
	}
	must_exist(argc, argv, id);
	return cmd_kill(argc, argv);
}

static int ps_any(int argc, char **argv)
{
	const char *id = first_operand(argc, argv);

	if (!id)
		return cmd_ps(argc, argv);
	return oci_ps(argv[oci_args(argc, argv, "+f:h", "ps [--format table|json] ID", 0)]);
}
#define VERB(oci, launcher) oci
#else
#define VERB(oci, launcher) launcher
#endif

static const struct { const char *name; int (*run)(int, char **); } commands[] = {
	{ "run", VERB(run_any, cmd_run) }, { "start", VERB(start_any, cmd_start) }, { "stop", cmd_stop },
	{ "exec", VERB(exec_any, cmd_exec) }, { "kill", VERB(kill_any, cmd_kill) }, { "ps", VERB(ps_any, cmd_ps) },
	{ "state", VERB(state_any, cmd_state) }, { "rm", cmd_rm }, { "reset", cmd_reset },
#if WITH_IMAGES
	{ "images", cmd_images },
#endif
#if WITH_MONITOR
	{ "monitor", cmd_monitor },
#endif
#if WITH_OCI
	{ "create", cmd_create }, { "delete", cmd_delete }, { "list", cmd_list },
	{ "features", cmd_features }, { "spec", cmd_spec },
#endif
};
#undef VERB

/* The version and the subsystems this build has (+) or lacks (-). */
static int print_version(void)
{
	static const struct { int on; const char *name; } features[] = {
		{ WITH_INIT, "init" }, { WITH_LAUNCHER, "launcher" }, { WITH_CGROUPS, "cgroups" },
		{ WITH_CAPS, "caps" }, { WITH_USERNS, "userns" }, { WITH_NETNS, "netns" },
		{ WITH_LOOP, "loop" }, { WITH_PROBE, "probe" }, { WITH_MODULES, "modules" },
		{ WITH_SECCOMP, "seccomp" }, { WITH_OCI, "oci" }, { WITH_BRIDGE, "bridge" },
		{ WITH_MONITOR, "monitor" }, { WITH_IMAGES, "images" },
	};
	size_t i;

	printf("container %s", VERSION);
	for (i = 0; i < LEN(features); i++)
		printf(" %c%s", features[i].on ? '+' : '-', features[i].name);
	putchar('\n');
	return 0;
}
#endif

int main(int argc, char **argv)
{
#if WITH_INIT
	/* The machine's PID 1, not PID 1 of some runtime's container: only
	 * in the first pid namespace may reboot() set Ctrl-Alt-Del (in
	 * another it fails, EINVAL or EPERM), which init mode wants anyway. */
	if (getpid() == 1 && reboot(RB_DISABLE_CAD) == 0)
		init_main(argc, argv);
#endif
#if WITH_LAUNCHER
	char **all = argv;  /* with the global options, for the sealed copy */
	size_t i;

	if (argc < 2 && getpid() == 1)
		die(1, "PID 1 of a container, not of a machine: init mode is not for this; give a command (see container --help)");
#if WITH_OCI
	i = (size_t)global_options(argc, argv);
	argv += i;  /* argv[0] is no longer the program: unused from here */
	argc -= (int)i;
#endif
	if (argc < 2)
		die(1, "no command given (see container --help)");
	if (strcmp(argv[1], "run") && strcmp(argv[1], "start"))
		g.fail_code = 1;  /* SPEC 3: 125 is for what run and start set up */
	if (!strcmp(argv[1], "run") || !strcmp(argv[1], "start") || !strcmp(argv[1], "exec") ||
	    !strcmp(argv[1], "create"))
		exec_sealed(all);
	if (!strcmp(argv[1], "--version"))
		return print_version();
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
		return fputs(usage, stdout), 0;
#if WITH_BRIDGE
	net_sweep();
#endif
	for (i = 0; i < LEN(commands); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].run(argc - 1, argv + 1);
	die(1, "unknown command '%s' (see container --help)", argv[1]);
#else
	(void)argc;
	(void)argv;
	fputs("container: this build is an init only: boot it as a machine's /init\n", stderr);
	return 1;
#endif
}
