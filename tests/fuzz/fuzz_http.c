/* fuzz_http: the monitor's request parser. Input: the bytes a client
 * sends, given to http_parse as they would sit in a client's buffer (not
 * NUL-terminated, at most MONITOR_REQUEST bytes), whole and cut at every
 * length a read could leave. Properties: the answer is "more, please" (0)
 * only while the head is incomplete and the buffer not full, else a status
 * of its table; a request taken (200) names a path that is a route or
 * nothing, printable, and GET or HEAD; a head, once complete, keeps its
 * answer when more bytes follow it. The same input as a --listen value:
 * an accepted one has a port. */
#include "fuzz.h"

static int known_status(int code)
{
	size_t i;

	for (i = 0; i < LEN(http_status); i++)
		if (http_status[i].code == code)
			return code != 500 && code != 503 && code != 408;
	return 0;
}

static void fuzz_target(const uint8_t *data, size_t size)
{
	size_t n = size < MONITOR_REQUEST ? size : MONITOR_REQUEST, cut;
	char *buf = malloc(n ? n : 1), *s;
	struct request r, r2;
	struct sockaddr_in sa;
	int code, code2;
	size_t i;

	if (!buf || fz.nmem == (int)LEN(fz.mem))
		abort();
	fz.mem[fz.nmem++] = buf;
	memcpy(buf, data, n);
	memset(&r, 0, sizeof(r));
	code = http_parse(buf, n, &r);
	FUZZ_ASSERT(code == 0 ? n < MONITOR_REQUEST : known_status(code));
	if (code == 200) {
		FUZZ_ASSERT(r.head == 0 || r.head == 1);
		FUZZ_ASSERT(r.path[0] == '/' || r.path[0] == '\0');
		for (i = 0; r.path[i]; i++)
			FUZZ_ASSERT(r.path[i] > ' ' && r.path[i] < 127 && r.path[i] != '?');
	}
	/* every shorter read: incomplete, or already an answer that the
	 * whole input does not change */
	for (cut = 0; cut < n; cut += 1 + cut / 8) {
		memset(&r2, 0, sizeof(r2));
		code2 = http_parse(buf, cut, &r2);
		FUZZ_ASSERT(code2 == 0 || known_status(code2));
		if (code2 == 200)
			FUZZ_ASSERT(code == 200 && !strcmp(r.path, r2.path) && r.head == r2.head);
	}
	s = fuzz_string(data, size);
	if (parse_listen(s, init_monitor_addr, &sa) == 0)
		FUZZ_ASSERT(sa.sin_port != 0 && sa.sin_family == AF_INET);
}
