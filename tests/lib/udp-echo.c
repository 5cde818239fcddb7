/* udp-echo PORT: send each datagram back to where it came from (a UDP
 * echo server for containers whose busybox nc has no -u). Static, musl. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/socket.h>

int main(int argc, char **argv)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len;
	char buf[65536];
	ssize_t n;
	int s = socket(AF_INET, SOCK_DGRAM, 0);

	if (argc != 2 || s < 0)
		return 2;
	a.sin_port = htons((unsigned short)atoi(argv[1]));
	if (bind(s, (struct sockaddr *)&a, sizeof(a)) < 0)
		return 1;
	for (;;) {
		len = sizeof(a);
		if ((n = recvfrom(s, buf, sizeof(buf), 0, (struct sockaddr *)&a, &len)) >= 0)
			sendto(s, buf, (size_t)n, 0, (struct sockaddr *)&a, len);
	}
}
