/* nosys: run a command with one system call failing with ENOSYS, as on a
 * kernel without it, to see that what depends on it fails closed. Used by
 * tests/host-harden.t. Build: musl-gcc -static -Ibuild/include.
 *
 *   nosys NR CMD [ARG...]     NR: the syscall number (x86_64)
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <unistd.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

int main(int argc, char **argv)
{
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { sizeof(f) / sizeof(f[0]), f };

	if (argc < 3) {
		fprintf(stderr, "usage: nosys NR CMD [ARG...]\n");
		return 2;
	}
	f[1].k = (unsigned)atoi(argv[1]);
	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0) < 0) {
		perror("nosys: seccomp");
		return 2;
	}
	execvp(argv[2], argv + 2);
	perror("nosys: exec");
	return 127;
}
