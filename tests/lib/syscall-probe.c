/* syscall-probe: try syscalls with harmless arguments (bad descriptors,
 * NULL pointers, invalid flags: nothing is changed when one is allowed)
 * and print one line per call: its name and the errno it failed with, or
 * 0. Run under two runtimes with the same seccomp profile, the outputs
 * must be the same (tests/host-oci-seccomp.t). Static, no libc beyond
 * syscall(2). "syscall-probe int80" makes one call through the i386 ABI. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#define NUL 0L
#define BAD (-1L)

struct call { const char *name; long nr, a[6]; };

static const struct call calls[] = {
	{ "getpid", SYS_getpid, { 0 } },
	{ "read", SYS_read, { BAD, NUL, 0 } },
	{ "uname", SYS_uname, { NUL } },
	{ "personality(query)", SYS_personality, { 0xffffffffL } },
	{ "personality(PER_LINUX)", SYS_personality, { 0 } },
	{ "personality(UNAME26)", SYS_personality, { 0x0020000L } },
	{ "personality(1)", SYS_personality, { 1 } },
	{ "socket(AF_UNIX)", SYS_socket, { AF_UNIX, SOCK_STREAM, 0 } },
	{ "socket(AF_NETLINK,NETLINK_AUDIT)", SYS_socket, { AF_NETLINK, SOCK_RAW, 9 } },
	{ "socket(AF_NETLINK,ROUTE)", SYS_socket, { AF_NETLINK, SOCK_RAW, 0 } },
	{ "socket(AF_INET6)", SYS_socket, { AF_INET6, SOCK_DGRAM, 0 } },
	{ "mount", SYS_mount, { NUL, NUL, NUL, 0, NUL } },
	{ "umount2", SYS_umount2, { NUL, 0 } },
	{ "pivot_root", SYS_pivot_root, { NUL, NUL } },
	{ "chroot", SYS_chroot, { NUL } },
	{ "unshare", SYS_unshare, { BAD } },
	{ "setns", SYS_setns, { BAD, 0 } },
	{ "clone3", SYS_clone3, { NUL, 0 } },
	{ "reboot", SYS_reboot, { 0, 0, 0, NUL } },
	{ "kexec_load", SYS_kexec_load, { 0, 0, NUL, 0xdead0000L } },
	{ "kexec_file_load", SYS_kexec_file_load, { BAD, BAD, 0, NUL, 0 } },
	{ "init_module", SYS_init_module, { NUL, 0, NUL } },
	{ "finit_module", SYS_finit_module, { BAD, NUL, 0 } },
	{ "delete_module", SYS_delete_module, { NUL, 0 } },
	{ "create_module", SYS_create_module, { NUL, 0 } },
	{ "query_module", SYS_query_module, { NUL, 0, NUL, 0, NUL } },
	{ "get_kernel_syms", SYS_get_kernel_syms, { NUL } },
	{ "bpf", SYS_bpf, { BAD, NUL, 0 } },
	{ "perf_event_open", SYS_perf_event_open, { NUL, 0, BAD, BAD, 0 } },
	{ "fanotify_init", SYS_fanotify_init, { 0xffffffffL, 0 } },
	{ "lookup_dcookie", SYS_lookup_dcookie, { 0, NUL, 0 } },
	{ "acct", SYS_acct, { 1 } },
	{ "kcmp", SYS_kcmp, { 0, 0, BAD, 0, 0 } },
	{ "process_madvise", SYS_process_madvise, { BAD, NUL, 0, 0, 0 } },
	{ "iopl", SYS_iopl, { 99 } },
	{ "ioperm", SYS_ioperm, { 0x10000, 1, 1 } },
	{ "clock_settime", SYS_clock_settime, { BAD, NUL } },
	{ "settimeofday", SYS_settimeofday, { 1, NUL } },
	{ "clock_adjtime", SYS_clock_adjtime, { BAD, NUL } },
	{ "adjtimex", SYS_adjtimex, { NUL } },
	{ "vhangup", SYS_vhangup, { 0 } },
	{ "open_by_handle_at", SYS_open_by_handle_at, { BAD, NUL, 0 } },
	{ "name_to_handle_at", SYS_name_to_handle_at, { BAD, NUL, NUL, NUL, 0 } },
	{ "syslog", SYS_syslog, { BAD, NUL, 0 } },
	{ "add_key", SYS_add_key, { NUL, NUL, NUL, 0, 0 } },
	{ "keyctl", SYS_keyctl, { BAD, 0, 0, 0, 0 } },
	{ "request_key", SYS_request_key, { NUL, NUL, NUL, 0 } },
	{ "userfaultfd", SYS_userfaultfd, { BAD } },
	{ "mbind", SYS_mbind, { 1, 1, 0, NUL, 0, 0 } },
	{ "set_mempolicy", SYS_set_mempolicy, { BAD, NUL, 0 } },
	{ "get_mempolicy", SYS_get_mempolicy, { NUL, NUL, 0, NUL, BAD } },
	{ "move_pages", SYS_move_pages, { BAD, 1, NUL, NUL, NUL, 0 } },
	{ "migrate_pages", SYS_migrate_pages, { BAD, 0, NUL, NUL } },
	{ "swapon", SYS_swapon, { NUL, 0 } },
	{ "swapoff", SYS_swapoff, { NUL } },
	{ "quotactl", SYS_quotactl, { 0, NUL, 0, NUL } },
	{ "nfsservctl", SYS_nfsservctl, { 0, NUL, NUL } },
	{ "uselib", SYS_uselib, { NUL } },
	{ "ustat", SYS_ustat, { 0, NUL } },
	{ "sysfs", SYS_sysfs, { BAD, 0, 0 } },
	{ "fsopen", SYS_fsopen, { NUL, 0 } },
	{ "fsconfig", SYS_fsconfig, { BAD, 0, NUL, NUL, 0 } },
	{ "fsmount", SYS_fsmount, { BAD, 0, 0 } },
	{ "fspick", SYS_fspick, { BAD, NUL, 0 } },
	{ "open_tree", SYS_open_tree, { BAD, NUL, 0 } },
	{ "move_mount", SYS_move_mount, { BAD, NUL, BAD, NUL, 0 } },
	{ "mount_setattr", SYS_mount_setattr, { BAD, NUL, 0, NUL, 0 } },
	{ "ptrace", SYS_ptrace, { BAD, 0, 0, 0 } },
	{ "process_vm_readv", SYS_process_vm_readv, { 0, NUL, 0, NUL, 0, 0 } },
	{ "io_uring_setup", SYS_io_uring_setup, { 0, NUL } },
	{ "io_uring_enter", SYS_io_uring_enter, { BAD, 0, 0, 0, NUL, 0 } },
	{ "pidfd_getfd", SYS_pidfd_getfd, { BAD, BAD, 0 } },
	{ "pkey_alloc", SYS_pkey_alloc, { BAD, 0 } },
	{ "modify_ldt", SYS_modify_ldt, { 99, NUL, 0 } },
	{ "arch_prctl", SYS_arch_prctl, { 0, 0 } },
	{ "vmsplice", SYS_vmsplice, { BAD, NUL, 0, 0 } },
	{ "memfd_secret", 447, { 0xffff } },
	{ "landlock_create_ruleset", 444, { NUL, 0, 0xffff } },
	{ "process_mrelease", 448, { BAD, 0 } },
	{ "futex_waitv", 449, { NUL, 0, 0xffff, NUL, 0 } },
	{ "set_mempolicy_home_node", 450, { 0, 0, 0, 0xffff } },
	{ "cachestat", 451, { BAD, NUL, NUL, 0 } },
	{ "fchmodat2", 452, { BAD, NUL, 0, 0xffff } },
	{ "statmount", 457, { NUL, NUL, 0, 0xffff } },
	{ "listmount", 458, { NUL, NUL, 0, 0xffff } },
	{ "lsm_get_self_attr", 459, { 0, NUL, NUL, 0xffff } },
	{ "mseal", 462, { 1, 1, 0xffff } },
	{ "x32_getpid", 0x40000000L | SYS_getpid, { 0 } },
};

/* getpid through the i386 ABI (int 0x80, its number 20): the call's
 * result, or the process is killed by the filter. */
static long int80_getpid(void)
{
	long r;

	__asm__ volatile ("int $0x80" : "=a"(r) : "a"(20L) : "memory");
	return r;
}

int main(int argc, char **argv)
{
	size_t i;

	if (argc > 1 && !strcmp(argv[1], "int80")) {
		long r = int80_getpid();

		printf("int80_getpid %ld\n", r < 0 ? -r : 0);
		return 0;
	}

	for (i = 0; i < sizeof(calls) / sizeof(calls[0]); i++) {
		const struct call *c = &calls[i];
		long r = syscall(c->nr, c->a[0], c->a[1], c->a[2], c->a[3], c->a[4], c->a[5]);

		if (r >= 0 && c->nr == SYS_socket)
			close((int)r);
		printf("%s %d\n", c->name, r < 0 ? errno : 0);
	}
	return 0;
}
