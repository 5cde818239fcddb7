/* subreaper CMD [ARG...]: as conmon and the containerd shim, become a
 * child subreaper, run CMD, then reap every process that ends up ours
 * (orphans of CMD included) and print "PID CODE" for each, CODE as a
 * shell reports it (128+N for signal N). Exits when none is left. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int status;
	pid_t pid;

	if (argc < 2 || prctl(PR_SET_CHILD_SUBREAPER, 1) < 0) {
		fprintf(stderr, "usage: subreaper CMD [ARG...] (as root or not)\n");
		return 2;
	}
	if ((pid = fork()) == 0) {
		execvp(argv[1], argv + 1);
		_exit(127);
	}
	while ((pid = wait(&status)) > 0 || errno == EINTR)
		if (pid > 0)
			printf("%d %d\n", (int)pid, WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
	return 0;
}
