/* escape-probe: escape attempts made from inside a container by
 * tests/host-escape.t. Build: musl-gcc -static -Ibuild/include.
 *
 * Each attempt prints one line LABEL=RESULT, RESULT being "ok" when the
 * call worked and the errno name (EPERM, ENOENT, ...) when it failed.
 * Every attempt is harmless even when it works: reboot gets a wrong
 * magic number, module loading gets /dev/null, writes put back the value
 * that is already there.
 *
 *   escape-probe reboot | modules | mount | userns | setns | misc
 *   escape-probe chroot HOSTPATH     chroot-and-.. escape, then stat HOSTPATH
 *   escape-probe kill PID            kill 0, ptrace, pidfd_open of PID
 *   escape-probe fds                 open descriptors above 2: fds=3,7,...
 *   escape-probe fdwalk HOSTPATH     HOSTPATH through any open descriptor
 *   escape-probe tiocsti             push a newline into the terminal
 *   escape-probe read LABEL PATH     open and read 512 bytes: LABEL_bytes=N
 *   escape-probe write LABEL PATH    write back what PATH holds
 *   escape-probe euid                the effective uid: euid=N
 *   escape-probe exe GOFILE          CVE-2019-5736: an O_PATH fd to
 *       /proc/1/exe (exe1=DEV:INO), and one to the exe of the first new
 *       process whose binary is neither ours nor /bin/busybox (an exec's
 *       child before it execs: exe_exec=DEV:INO, or exe_exec=ENONE when
 *       none could be opened), caught until GOFILE exists; then each is
 *       opened for writing through /proc/self/fd: exe1_write=ok is an
 *       escape (nothing is written)
 *   escape-probe nest N DIR HOSTDIR  N directories nested in DIR, then a
 *       symlink loop and symlinks to / and to HOSTDIR at the bottom
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>
#include <linux/reboot.h>
#include <linux/sched.h>

#ifndef OPEN_TREE_CLONE
#define OPEN_TREE_CLONE 1
#endif

#include <dirent.h>

static const char *ename(int e)
{
	static const struct { int e; const char *name; } names[] = {
		{ EPERM, "EPERM" }, { ENOENT, "ENOENT" }, { ESRCH, "ESRCH" },
		{ EIO, "EIO" }, { ENXIO, "ENXIO" }, { EBADF, "EBADF" },
		{ EACCES, "EACCES" }, { EFAULT, "EFAULT" }, { EBUSY, "EBUSY" },
		{ EEXIST, "EEXIST" }, { ENODEV, "ENODEV" }, { ENOTDIR, "ENOTDIR" },
		{ EISDIR, "EISDIR" }, { EINVAL, "EINVAL" }, { ENOTTY, "ENOTTY" },
		{ EROFS, "EROFS" }, { ENOSYS, "ENOSYS" }, { ELOOP, "ELOOP" },
		{ ENOEXEC, "ENOEXEC" }, { EOPNOTSUPP, "EOPNOTSUPP" },
	};
	static char buf[16];
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].e == e)
			return names[i].name;
	snprintf(buf, sizeof(buf), "E%d", e);
	return buf;
}

static void report(const char *label, long r)
{
	printf("%s=%s\n", label, r < 0 ? ename(errno) : "ok");
	fflush(stdout);
}

static void reportf(const char *prefix, const char *label, long r)
{
	char buf[128];

	snprintf(buf, sizeof(buf), "%s_%s", prefix, label);
	report(buf, r);
}

/* a child in new namespaces that exits at once; -1 and errno if refused */
static long try_clone(unsigned long flags)
{
	long pid = syscall(SYS_clone, flags | SIGCHLD, 0, 0, 0, 0);

	if (pid == 0)
		_exit(0);
	if (pid > 0)
		waitpid((pid_t)pid, NULL, 0);
	return pid;
}

static long try_clone3(unsigned long flags)
{
	struct clone_args a = { .flags = flags, .exit_signal = SIGCHLD };
	long pid = syscall(SYS_clone3, &a, sizeof(a));

	if (pid == 0)
		_exit(0);
	if (pid > 0)
		waitpid((pid_t)pid, NULL, 0);
	return pid;
}

/* DEV:INO of what FD refers to, in BUF */
static const char *ident(int fd, char *buf, size_t size)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		snprintf(buf, size, "%s", ename(errno));
	else
		snprintf(buf, size, "%lu:%lu", (unsigned long)st.st_dev, (unsigned long)st.st_ino);
	return buf;
}

static void try_write(const char *label, int fd)
{
	char path[64];
	int w;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	w = open(path, O_WRONLY | O_CLOEXEC);	/* no O_TRUNC, nothing written */
	report(label, w);
	if (w >= 0)
		close(w);
}

static int exe_attempt(const char *go)
{
	char mine[64], bb[64], id[64], path[64], buf[4096];
	int self = open("/proc/self/exe", O_PATH | O_CLOEXEC);
	int busybox = open("/bin/busybox", O_PATH | O_CLOEXEC);
	int exe1 = open("/proc/1/exe", O_PATH | O_CLOEXEC), exe = -1, proc, fd;
	long n, off, pid, tried = 0, opened = 0;
	struct dirent *e;

	ident(self, mine, sizeof(mine));
	ident(busybox, bb, sizeof(bb));
	if (exe1 < 0)
		report("exe1", -1);
	else
		printf("exe1=%s\n", ident(exe1, id, sizeof(id)));
	printf("watching\n");
	fflush(stdout);
	proc = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	while (access(go, F_OK) < 0) {
		if (exe >= 0) {
			usleep(10000);
			continue;
		}
		lseek(proc, 0, SEEK_SET);
		while (exe < 0 && (n = syscall(SYS_getdents64, proc, buf, sizeof(buf))) > 0)
			for (off = 0; off < n && exe < 0; off += e->d_reclen) {
				e = (struct dirent *)(buf + off);
				pid = atol(e->d_name);
				if (pid <= 1 || pid == getpid())
					continue;
				snprintf(path, sizeof(path), "/proc/%ld/exe", pid);
				tried++;
				if ((fd = open(path, O_PATH | O_CLOEXEC)) < 0)
					continue;
				opened++;
				ident(fd, id, sizeof(id));
				if (strcmp(id, mine) && strcmp(id, bb)) {
					exe = fd;
					printf("caught=%s\n", id);
					fflush(stdout);
				} else
					close(fd);
			}
	}
	if (exe >= 0)
		printf("exe_exec=%s\n", id);
	else
		printf("exe_exec=ENONE\n");
	printf("exe_tried=%ld\nexe_opened=%ld\n", tried, opened);
	if (exe1 >= 0)
		try_write("exe1_write", exe1);
	if (exe >= 0)
		try_write("exe_exec_write", exe);
	fflush(stdout);
	return 0;
}

int main(int argc, char **argv)
{
	const char *op = argc > 1 ? argv[1] : "";
	long r;

	if (!strcmp(op, "reboot")) {
		/* CAD_ON with a wrong second magic: EPERM without CAP_SYS_BOOT,
		 * EINVAL with it; it never does anything */
		r = syscall(SYS_reboot, LINUX_REBOOT_MAGIC1, 0x0badc0de, LINUX_REBOOT_CMD_CAD_ON, NULL);
		report("reboot", r);
	} else if (!strcmp(op, "modules")) {
		int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);

		report("finit_module", syscall(SYS_finit_module, fd, "", 0));
		report("init_module", syscall(SYS_init_module, NULL, 0, ""));
		report("delete_module", syscall(SYS_delete_module, "no_such_module_here", O_NONBLOCK));
	} else if (!strcmp(op, "mount")) {
		report("mount", mount("x", "/mnt", "tmpfs", 0, NULL));
		report("bind", mount("/", "/mnt", NULL, MS_BIND, NULL));
		report("remount_root", mount(NULL, "/", NULL, MS_REMOUNT | MS_BIND, NULL));
		report("remount_sys_rw", mount(NULL, "/sys", NULL, MS_REMOUNT, NULL));
		report("umount_proc", umount2("/proc", MNT_DETACH));
		report("umount_root", umount2("/", MNT_DETACH));
		report("fsopen", syscall(SYS_fsopen, "tmpfs", 0));
		report("fspick", syscall(SYS_fspick, AT_FDCWD, "/", 0));
		report("open_tree", syscall(SYS_open_tree, AT_FDCWD, "/", OPEN_TREE_CLONE));
		report("pivot_root", syscall(SYS_pivot_root, ".", "."));
		report("unshare_mnt", unshare(CLONE_NEWNS));
	} else if (!strcmp(op, "userns")) {
		report("unshare_user", unshare(CLONE_NEWUSER));
		report("unshare_user_mnt", unshare(CLONE_NEWUSER | CLONE_NEWNS));
		report("clone_user", try_clone(CLONE_NEWUSER));
		report("clone3_user", try_clone3(CLONE_NEWUSER));
	} else if (!strcmp(op, "setns")) {
		static const char *ns[] = { "mnt", "pid", "net", "uts", "ipc", "cgroup", "user", "time" };
		char path[64];
		size_t i;
		int fd;

		for (i = 0; i < sizeof(ns) / sizeof(ns[0]); i++) {
			snprintf(path, sizeof(path), "/proc/1/ns/%s", ns[i]);
			if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
				continue;
			reportf("setns", ns[i], setns(fd, 0));
			close(fd);
		}
		r = syscall(SYS_pidfd_open, 1, 0);
		if (r >= 0)
			r = setns((int)r, CLONE_NEWNET);
		report("setns_pidfd", r);
	} else if (!strcmp(op, "misc")) {
		report("bpf", syscall(SYS_bpf, 0, NULL, 0));
		report("perf_event_open", syscall(SYS_perf_event_open, NULL, 0, -1, -1, 0));
		report("keyctl", syscall(SYS_keyctl, 0, 0, 0, 0, 0));
		report("add_key", syscall(SYS_add_key, "user", "escape", "x", 1, -4));
		report("open_by_handle_at", syscall(SYS_open_by_handle_at, AT_FDCWD, NULL, 0));
		report("kexec_load", syscall(SYS_kexec_load, 0, 0, NULL, 0));
		report("swapon", syscall(SYS_swapon, "/nonexistent", 0));
		report("iopl", syscall(SYS_iopl, 0));
		report("syslog", syscall(SYS_syslog, 10 /* SYSLOG_ACTION_SIZE_BUFFER */, NULL, 0));
		report("settimeofday", syscall(SYS_settimeofday, NULL, NULL));
		report("clock_settime", syscall(SYS_clock_settime, 99, NULL));
	} else if (!strcmp(op, "chroot") && argc > 2) {
		struct stat st;
		int i;

		mkdir("/tmp/escape-chroot", 0755);
		report("chroot", chroot("/tmp/escape-chroot"));
		for (i = 0; i < 64; i++)
			if (chdir("..") < 0)
				break;
		report("chroot_dot", chroot("."));
		report("chroot_marker", stat(argv[2], &st));
	} else if (!strcmp(op, "kill") && argc > 2) {
		pid_t pid = (pid_t)atoi(argv[2]);

		report("kill", kill(pid, 0));
		report("ptrace", ptrace(PTRACE_ATTACH, pid, 0, 0));
		report("pidfd_open", syscall(SYS_pidfd_open, pid, 0));
	} else if (!strcmp(op, "fds")) {
		int fd, n = 0;

		printf("fds=");
		for (fd = 3; fd < 65536; fd++)
			if (fcntl(fd, F_GETFD) >= 0)
				printf("%s%d", n++ ? "," : "", fd);
		printf("\n");
	} else if (!strcmp(op, "fdwalk") && argc > 2) {
		char path[PATH_MAX];
		struct stat st;
		int fd, found = 0;

		for (fd = 0; fd < 1024; fd++) {
			snprintf(path, sizeof(path), "/proc/self/fd/%d/%s", fd, argv[2]);
			if (stat(path, &st) == 0) {
				printf("fdwalk_via=%d\n", fd);
				found = 1;
			}
		}
		printf("fdwalk=%s\n", found ? "ok" : "ENOENT");
	} else if (!strcmp(op, "tiocsti")) {
		char c = '\n';
		int fd;

		report("tiocsti_stdin", ioctl(0, TIOCSTI, &c));
		fd = open("/dev/tty", O_RDWR | O_CLOEXEC);
		report("tty_open", fd);
		report("tiocsti_tty", fd >= 0 ? ioctl(fd, TIOCSTI, &c) : -1);
	} else if (!strcmp(op, "read") && argc > 3) {
		char buf[512], label[128];
		int fd = open(argv[3], O_RDONLY | O_NONBLOCK | O_CLOEXEC);

		reportf(argv[2], "open", fd);
		r = fd >= 0 ? read(fd, buf, sizeof(buf)) : -1;
		reportf(argv[2], "read", r);
		snprintf(label, sizeof(label), "%s_bytes", argv[2]);
		printf("%s=%ld\n", label, r > 0 ? r : 0);
	} else if (!strcmp(op, "write") && argc > 3) {
		char buf[4096];
		ssize_t n = 0;
		int fd = open(argv[3], O_RDONLY | O_CLOEXEC);

		if (fd >= 0) {
			n = read(fd, buf, sizeof(buf));
			close(fd);
		}
		if (n <= 0) {
			buf[0] = '\n';
			n = 1;
		}
		fd = open(argv[3], O_WRONLY | O_CLOEXEC);
		reportf(argv[2], "open", fd);
		reportf(argv[2], "write", fd >= 0 ? write(fd, buf, (size_t)n) : -1);
	} else if (!strcmp(op, "exe") && argc > 2) {
		return exe_attempt(argv[2]);
	} else if (!strcmp(op, "nest") && argc > 4) {
		long i, n = atol(argv[2]);

		if (chdir(argv[3]) < 0)
			return report("nest", -1), 1;
		for (i = 0; i < n; i++)
			if ((mkdir("d", 0755) < 0 && errno != EEXIST) || chdir("d") < 0)
				return report("nest", -1), 1;
		report("nest", symlink("loop", "loop") < 0 || symlink(".", "self") < 0 || symlink("..", "up") < 0 ||
		       symlink("/", "root") < 0 || symlink(argv[4], "host") < 0 ? -1 : 0);
		printf("depth=%ld\n", i);
	} else if (!strcmp(op, "euid")) {
		printf("euid=%d\n", (int)geteuid());
	} else {
		fprintf(stderr, "usage: escape-probe OP [ARG...]\n");
		return 2;
	}
	fflush(stdout);
	return 0;
}
