/* tests/unit.c: unit tests of container.c's parsers, printed as TAP.
 *
 * container.c is included whole, with its main renamed, so that every
 * static function is visible here. exit() and _exit() are routed through
 * unit_exit(), which returns to the test by longjmp when a test expects
 * die() (parse_run on bad input), and exits otherwise.
 *
 * Build (tests/unit.t does it for every configuration):
 *   musl-gcc -static -Ibuild/include -Ibuild/capng/include [-include CFG] \
 *     -o build/unit/unit tests/unit.c -Lbuild/capng/lib -lcap-ng
 * Run: build/unit/unit prints "ok N - ..." lines, then the plan.
 * Tests of a subsystem are compiled only when its WITH_* switch is on. */
_Noreturn void unit_exit(int code);
#define exit unit_exit
#define _exit unit_exit
#define main container_main
#include "../container.c"
#undef main
#undef exit
#undef _exit

#include <setjmp.h>
_Noreturn void exit(int);

/* ---------- TAP ---------- */

static int ntest, nfail;

static void vtap(int pass, const char *directive, const char *fmt, va_list ap)
{
	char desc[512];
	size_t i;

	vsnprintf(desc, sizeof(desc), fmt, ap);
	for (i = 0; desc[i]; i++)	/* '#' starts a TAP directive */
		if (desc[i] == '#' || desc[i] == '\n')
			desc[i] = '_';
	printf("%sok %d - %s%s%s\n", pass ? "" : "not ", ++ntest, desc,
	       directive ? " # " : "", directive ? directive : "");
	if (!pass && !directive)
		nfail++;
	fflush(stdout);
}

static int ok(int pass, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int ok(int pass, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vtap(pass, NULL, fmt, ap);
	va_end(ap);
	return pass;
}

/* A test of a known bug: TAP "# TODO" keeps the stream passing while it
 * fails, and prove reports it as "unexpectedly succeeded" once fixed. */
static void skip(const char *why, const char *desc)
{
	printf("ok %d - %s # SKIP %s\n", ++ntest, desc, why);
	fflush(stdout);
}

static void diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void diag(const char *fmt, ...)
{
	char buf[1024], *p, *nl;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	for (p = buf; *p; p = nl + 1) {
		nl = strchr(p, '\n');
		printf("# %.*s\n", nl ? (int)(nl - p) : (int)strlen(p), p);
		if (!nl)
			break;
	}
	fflush(stdout);
}

/* S printable for a description: C escapes, truncated. */
static const char *show(const char *s)
{
	static char bufs[4][160];
	static int k;
	char *b = bufs[k++ & 3], *w = b;

	for (; *s && w < b + sizeof(bufs[0]) - 8; s++) {
		unsigned char ch = (unsigned char)*s;
		if (ch == '\n') w += sprintf(w, "\\n");
		else if (ch == '\\') w += sprintf(w, "\\\\");
		else if (ch < 32 || ch >= 127 || ch == '#') w += sprintf(w, "\\x%02x", ch);
		else *w++ = (char)ch;
	}
	if (*s)
		w += sprintf(w, "...");
	*w = '\0';
	return b;
}

static int is_ll(long long got, long long want, const char *desc)
{
	if (!ok(got == want, "%s", desc))
		diag("got %lld, want %lld", got, want);
	return got == want;
}

static int is_str(const char *got, const char *want, const char *desc)
{
	int pass = got && want ? !strcmp(got, want) : got == want;

	if (!ok(pass, "%s", desc))
		diag("got '%s', want '%s'", got ? show(got) : "(null)", want ? show(want) : "(null)");
	return pass;
}

/* ---------- catching die() and output ---------- */

static jmp_buf *catcher;
static int caught;

void unit_exit(int code)
{
	if (catcher) {
		caught = code;
		longjmp(*catcher, 1);
	}
	fflush(stdout);
	exit(code);
}

static int saved_out = -1, saved_err = -1;
static FILE *capture_file;

/* Send stdout and stderr to a file until quiet_end(), which returns what
 * was written (NUL-terminated, truncated to SIZE). */
static void quiet_begin(void)
{
	fflush(stdout);
	fflush(stderr);
	if (!capture_file && !(capture_file = tmpfile())) {
		perror("tmpfile");
		abort();
	}
	if (ftruncate(fileno(capture_file), 0) < 0 || lseek(fileno(capture_file), 0, SEEK_SET) < 0)
		abort();
	saved_out = dup(1);
	saved_err = dup(2);
	dup2(fileno(capture_file), 1);
	dup2(fileno(capture_file), 2);
}

static void quiet_end(char *buf, size_t size)
{
	ssize_t n;

	fflush(stdout);
	fflush(stderr);
	dup2(saved_out, 1);
	dup2(saved_err, 2);
	close(saved_out);
	close(saved_err);
	n = pread(fileno(capture_file), buf, size - 1, 0);
	buf[n > 0 ? n : 0] = '\0';
}

#if WITH_LAUNCHER
__attribute__((noinline)) static int count_args(char **argv)
{
	int n = 0;

	while (argv[n])
		n++;
	return n;
}

/* parse_run on ARGV (NULL-terminated, "run" first) into C, which the
 * caller filled. Returns -1 when it returned, else the exit code of its
 * die() or exit(). What it printed goes to OUT. */
static int try_run(char **argv, struct config *c, char *out, size_t size)
{
	jmp_buf jb;
	volatile int rc = -1;
	const int argc = count_args(argv);

	quiet_begin();
	catcher = &jb;
	if (!setjmp(jb))
		parse_run(argc, argv, c);
	else
		rc = caught;
	catcher = NULL;
	quiet_end(out, size);
	return rc;
}
#endif

static char *repeat(char ch, size_t n)
{
	static char bufs[4][PATH_MAX * 2];
	static int k;
	char *b = bufs[k++ & 3];

	memset(b, ch, n);
	b[n] = '\0';
	return b;
}

/* ---------- valid_name, parse_long ---------- */

static void test_names(void)
{
	static const struct { const char *in; int want; } t[] = {
		{ "a", 1 }, { "web-1", 1 }, { "A.b_c-d", 1 }, { "0", 1 }, { "x..y", 1 },
		{ "", 0 }, { "../x", 0 }, { "a/b", 0 }, { ".x", 0 }, { "-x", 0 },
		{ "_x", 0 }, { ".", 0 }, { "..", 0 }, { "a b", 0 }, { "a\n", 0 },
		{ "a:b", 0 }, { "a$", 0 }, { "\xc3\xa9t\xc3\xa9", 0 }, { "a\tb", 0 }, { "/a", 0 },
	};
	char name[80];
	size_t i;

	for (i = 0; i < LEN(t); i++)
		ok(valid_name(t[i].in) == t[i].want, "valid_name('%s') is %d", show(t[i].in), t[i].want);
	memset(name, 'a', 64);
	name[64] = '\0';
	ok(valid_name(name) == 1, "valid_name: 64 characters is valid");
	name[63] = '.';
	ok(valid_name(name) == 1, "valid_name: 64 characters ending in '.' is valid");
	name[64] = 'a';
	name[65] = '\0';
	ok(valid_name(name) == 0, "valid_name: 65 characters is refused");
}

static void test_long(void)
{
	static const struct { const char *in; long min, max; int rc; long v; } t[] = {
		{ "0", 0, 10, 0, 0 }, { "10", 0, 10, 0, 10 }, { "11", 0, 10, -1, 0 },
		{ "-1", 0, 10, -1, 0 }, { "-1", -5, 10, 0, -1 }, { "", 0, 10, -1, 0 },
		{ " 1", 0, 10, -1, 0 }, { "1 ", 0, 10, -1, 0 }, { "1x", 0, 10, -1, 0 },
		{ "0x1", 0, 10, -1, 0 }, { "007", 0, 10, 0, 7 }, { "abc", 0, 10, -1, 0 },
		{ "99999999999999999999", 0, LONG_MAX, -1, 0 },
		{ "9223372036854775807", 0, LONG_MAX, 0, LONG_MAX },
	};
	size_t i;
	long v;
	int rc;

	for (i = 0; i < LEN(t); i++) {
		v = -12345;
		rc = parse_long(t[i].in, t[i].min, t[i].max, &v);
		if (t[i].rc)
			ok(rc == -1 && v == -12345, "parse_long('%s', %ld, %ld) refused, output untouched",
			   show(t[i].in), t[i].min, t[i].max);
		else if (!ok(rc == 0 && v == t[i].v, "parse_long('%s', %ld, %ld) = %ld",
		             show(t[i].in), t[i].min, t[i].max, t[i].v))
			diag("rc %d, value %ld", rc, v);
	}
}

/* ---------- parse_size, parse_cpus ---------- */

static void test_size(void)
{
	static const struct { const char *in; int rc; long long v; } t[] = {
		{ "512K", 0, 524288 }, { "64M", 0, 67108864 }, { "2G", 0, 2147483648LL },
		{ "1t", 0, 1099511627776LL }, { "1T", 0, 1099511627776LL }, { "1k", 0, 1024 },
		{ "1g", 0, 1073741824 }, { "max", 0, -1 }, { "1", 0, 1 }, { "4096", 0, 4096 },
		{ "512KB", 0, 524288 }, { "1mb", 0, 1048576 }, { "007M", 0, 7340032 },
		{ "9223372036854775807", 0, LLONG_MAX },
		{ "8388607T", 0, 8388607LL << 40 },
		{ "12Q", -1, 0 }, { "-1", -1, 0 }, { "", -1, 0 }, { "0", -1, 0 }, { "0K", -1, 0 },
		{ "1K5", -1, 0 }, { "99999999999999999999G", -1, 0 }, { "99999999999999999999", -1, 0 },
		{ "9223372036854775808", -1, 0 }, { "8388608T", -1, 0 }, { "9007199254740992K", -1, 0 },
		{ "MAX", -1, 0 }, { "max ", -1, 0 }, { " 1", -1, 0 }, { "1 ", -1, 0 }, { "+1", -1, 0 },
		{ "0x10", -1, 0 }, { "1.5G", -1, 0 }, { "1B", -1, 0 }, { "1KK", -1, 0 }, { "K", -1, 0 },
		{ "1KBB", -1, 0 }, { "1P", -1, 0 }, { "1e3", -1, 0 }, { "18446744073709551615", -1, 0 },
	};
	size_t i;
	long long v;
	int rc;

	for (i = 0; i < LEN(t); i++) {
		v = 12345;
		rc = parse_size(t[i].in, &v);
		if (t[i].rc)
			ok(rc == -1 && v == 12345, "parse_size('%s') refused", show(t[i].in));
		else if (!ok(rc == 0 && v == t[i].v, "parse_size('%s') = %lld", show(t[i].in), t[i].v))
			diag("rc %d, value %lld", rc, v);
	}
}

static void test_cpus(void)
{
	static const struct { const char *in; int rc; long long v; } t[] = {
		{ "0.2", 0, 20000 }, { "1.5", 0, 150000 }, { "1", 0, 100000 }, { "2", 0, 200000 },
		{ "0.01", 0, 1000 }, { "0.5", 0, 50000 }, { "1024", 0, 102400000 },
		{ "0.123456", 0, 12345 }, { "00001.5", 0, 150000 }, { "1.000000", 0, 100000 },
		{ "1024.999999", 0, 102499999 },
		{ "0", -1, 0 }, { "0.0", -1, 0 }, { "abc", -1, 0 }, { "1.", -1, 0 }, { ".5", -1, 0 },
		{ "2000", -1, 0 }, { "1025", -1, 0 }, { "0.009", -1, 0 }, { "0.0099999", -1, 0 },
		{ "0.1234567", -1, 0 }, { "1.5x", -1, 0 }, { "", -1, 0 }, { "-1", -1, 0 },
		{ "1,5", -1, 0 }, { " 1", -1, 0 }, { "1 ", -1, 0 }, { "+1", -1, 0 }, { "1..5", -1, 0 },
		{ "1.5.5", -1, 0 }, { "99999999999999999999", -1, 0 }, { "1e2", -1, 0 },
	};
	size_t i;
	long long v;
	int rc;

	for (i = 0; i < LEN(t); i++) {
		v = 12345;
		rc = parse_cpus(t[i].in, &v);
		if (t[i].rc)
			ok(rc == -1, "parse_cpus('%s') refused", show(t[i].in));
		else if (!ok(rc == 0 && v == t[i].v, "parse_cpus('%s') = %lld us", show(t[i].in), t[i].v))
			diag("rc %d, value %lld", rc, v);
	}
}

/* ---------- parse_signal, parse_volume, parse_env, parse_user ---------- */

#if WITH_LAUNCHER

static void test_signal(void)
{
	static const struct { const char *in; int want; } t[] = {
		{ "TERM", SIGTERM }, { "SIGTERM", SIGTERM }, { "term", SIGTERM }, { "sigterm", SIGTERM },
		{ "SigTerm", SIGTERM }, { "9", 9 }, { "KILL", SIGKILL }, { "HUP", SIGHUP },
		{ "USR1", SIGUSR1 }, { "SIGUSR2", SIGUSR2 }, { "WINCH", SIGWINCH }, { "PWR", SIGPWR },
		{ "1", 1 }, { "64", 64 }, { "15", 15 },
		{ "0", -1 }, { "65", -1 }, { "BOGUS", -1 }, { "", -1 }, { "SIG", -1 }, { "9x", -1 },
		{ "-9", -1 }, { "+9", -1 }, { " 9", -1 }, { "SIGSIGTERM", -1 }, { "TERM ", -1 },
		{ "SIG9", -1 }, { "99999999999999999999", -1 },
	};
	char desc[128];
	size_t i;

	for (i = 0; i < LEN(t); i++) {
		snprintf(desc, sizeof(desc), "parse_signal('%s') = %d", show(t[i].in), t[i].want);
		is_ll(parse_signal(t[i].in), t[i].want, desc);
	}
}

static void test_volume(void)
{
	static const struct { const char *in; int rc; const char *src, *dst; int ro; } t[] = {
		{ "/a:/b", 0, "/a", "/b", 0 }, { "/a:/b:ro", 0, "/a", "/b", 1 },
		{ "/a:/b:rw", 0, "/a", "/b", 0 }, { "/host/dir:/in/dir", 0, "/host/dir", "/in/dir", 0 },
		{ "rel:/b", 0, "rel", "/b", 0 }, { "/a b:/c d:ro", 0, "/a b", "/c d", 1 },
		{ "/a", -1, 0, 0, 0 }, { "/a:b", -1, 0, 0, 0 }, { "/a:/b:bogus", -1, 0, 0, 0 },
		{ ":/b", -1, 0, 0, 0 }, { "/a:", -1, 0, 0, 0 }, { "/a:/b:", -1, 0, 0, 0 },
		{ "/a:/b:ro:x", -1, 0, 0, 0 }, { "", -1, 0, 0, 0 }, { ":", -1, 0, 0, 0 },
		{ "/a::/b", -1, 0, 0, 0 }, { "/a:/b:RO", -1, 0, 0, 0 }, { "/a:b:ro", -1, 0, 0, 0 },
		{ "/a:/b:ro ", -1, 0, 0, 0 }, { "::", -1, 0, 0, 0 },
	};
	struct volume v;
	char spec[PATH_MAX + 64];
	size_t i;
	int rc;

	for (i = 0; i < LEN(t); i++) {
		memset(&v, 0, sizeof(v));
		rc = parse_volume(t[i].in, &v);
		if (t[i].rc)
			ok(rc == -1, "parse_volume('%s') refused", show(t[i].in));
		else if (!ok(rc == 0 && !strcmp(v.src, t[i].src) && !strcmp(v.dst, t[i].dst) && v.ro == t[i].ro,
		             "parse_volume('%s') = %s -> %s%s", show(t[i].in), t[i].src, t[i].dst, t[i].ro ? " ro" : ""))
			diag("rc %d, src '%s', dst '%s', ro %d", rc, show(v.src), show(v.dst), v.ro);
	}
	snprintf(spec, sizeof(spec), "/a:/%s", repeat('d', PATH_MAX - 2));
	ok(parse_volume(spec, &v) == 0 && strlen(v.dst) == PATH_MAX - 1, "parse_volume: destination of PATH_MAX-1 bytes");
	snprintf(spec, sizeof(spec), "/a:/%s", repeat('d', PATH_MAX - 1));
	ok(parse_volume(spec, &v) == -1, "parse_volume: destination of PATH_MAX bytes refused");
	snprintf(spec, sizeof(spec), "/%s:/b", repeat('s', PATH_MAX - 1));
	ok(parse_volume(spec, &v) == -1, "parse_volume: source of PATH_MAX bytes refused");
}

static void test_env(void)
{
	static const struct { const char *in; int rc; } t[] = {
		{ "K=V", 0 }, { "K=", 0 }, { "K=V=W", 0 }, { "K=a\nb", 0 }, { "PATH=/bin:/usr/bin", 0 },
		{ "=V", -1 }, { "K", -1 }, { "", -1 }, { "=", -1 },
	};
	size_t i;

	for (i = 0; i < LEN(t); i++)
		ok(parse_env(t[i].in) == t[i].rc, "parse_env('%s') is %d", show(t[i].in), t[i].rc);
}

static void test_user(void)
{
	static const struct { const char *in; int rc; long uid, gid; } t[] = {
		{ "0", 0, 0, 0 }, { "65534:65534", 0, 65534, 65534 }, { "1000", 0, 1000, 1000 },
		{ "1:2", 0, 1, 2 }, { "0:5", 0, 0, 5 }, { "2147483647", 0, 2147483647, 2147483647 },
		{ "abc", -1, 0, 0 }, { "1:", -1, 0, 0 }, { ":1", -1, 0, 0 }, { "", -1, 0, 0 },
		{ "-1", -1, 0, 0 }, { "1:2:3", -1, 0, 0 }, { "2147483648", -1, 0, 0 },
		{ "4294967295", -1, 0, 0 }, { "1:abc", -1, 0, 0 }, { " 1", -1, 0, 0 }, { "1 ", -1, 0, 0 },
		{ "root", -1, 0, 0 }, { ":", -1, 0, 0 }, { "1:-1", -1, 0, 0 },
		{ "1111111111111111111111111111111111111:1", -1, 0, 0 },
	};
	size_t i;
	uid_t u;
	gid_t gr;
	int rc;

	for (i = 0; i < LEN(t); i++) {
		u = 777, gr = 777;
		rc = parse_user(t[i].in, &u, &gr);
		if (t[i].rc)
			ok(rc == -1 && u == 777 && gr == 777, "parse_user('%s') refused, output untouched", show(t[i].in));
		else if (!ok(rc == 0 && (long)u == t[i].uid && (long)gr == t[i].gid,
		             "parse_user('%s') = %ld:%ld", show(t[i].in), t[i].uid, t[i].gid))
			diag("rc %d, %u:%u", rc, (unsigned)u, (unsigned)gr);
	}
}

#endif /* WITH_LAUNCHER */

/* ---------- parse_restart, parse_cap ---------- */

static void test_restart(void)
{
	static const struct { const char *in; int rc; enum restart p; int max; } t[] = {
		{ "no", 0, RESTART_NO, 0 }, { "always", 0, RESTART_ALWAYS, 0 },
		{ "on-failure", 0, RESTART_ON_FAILURE, 0 }, { "on-failure:3", 0, RESTART_ON_FAILURE, 3 },
		{ "on-failure:1000000", 0, RESTART_ON_FAILURE, 1000000 },
		{ "on-failure:0", -1, 0, 0 }, { "on-failure:x", -1, 0, 0 }, { "on-failure:", -1, 0, 0 },
		{ "on-failurex", -1, 0, 0 }, { "on-failure:-1", -1, 0, 0 }, { "on-failure:1000001", -1, 0, 0 },
		{ "on-failure:3x", -1, 0, 0 }, { "", -1, 0, 0 }, { "yes", -1, 0, 0 }, { "Always", -1, 0, 0 },
		{ "NO", -1, 0, 0 }, { "no ", -1, 0, 0 }, { "on", -1, 0, 0 }, { "unless-stopped", -1, 0, 0 },
	};
	enum restart p;
	size_t i;
	int rc, max;

	for (i = 0; i < LEN(t); i++) {
		p = (enum restart)-7;
		max = -7;
		rc = parse_restart(t[i].in, &p, &max);
		if (t[i].rc)
			ok(rc == -1 && max == -7, "parse_restart('%s') refused", show(t[i].in));
		else if (!ok(rc == 0 && p == t[i].p && max == t[i].max, "parse_restart('%s') = %d, max %d",
		             show(t[i].in), (int)t[i].p, t[i].max))
			diag("rc %d, policy %d, max %d", rc, (int)p, max);
	}
}

static void test_cap(void)
{
	/* every name, at the number the kernel gives it */
	static const struct { const char *name; int num; } k[] = {
		{ "CHOWN", CAP_CHOWN }, { "DAC_OVERRIDE", CAP_DAC_OVERRIDE },
		{ "DAC_READ_SEARCH", CAP_DAC_READ_SEARCH }, { "FOWNER", CAP_FOWNER },
		{ "FSETID", CAP_FSETID }, { "KILL", CAP_KILL }, { "SETGID", CAP_SETGID },
		{ "SETUID", CAP_SETUID }, { "SETPCAP", CAP_SETPCAP },
		{ "LINUX_IMMUTABLE", CAP_LINUX_IMMUTABLE }, { "NET_BIND_SERVICE", CAP_NET_BIND_SERVICE },
		{ "NET_BROADCAST", CAP_NET_BROADCAST }, { "NET_ADMIN", CAP_NET_ADMIN },
		{ "NET_RAW", CAP_NET_RAW }, { "IPC_LOCK", CAP_IPC_LOCK }, { "IPC_OWNER", CAP_IPC_OWNER },
		{ "SYS_MODULE", CAP_SYS_MODULE }, { "SYS_RAWIO", CAP_SYS_RAWIO },
		{ "SYS_CHROOT", CAP_SYS_CHROOT }, { "SYS_PTRACE", CAP_SYS_PTRACE },
		{ "SYS_PACCT", CAP_SYS_PACCT }, { "SYS_ADMIN", CAP_SYS_ADMIN }, { "SYS_BOOT", CAP_SYS_BOOT },
		{ "SYS_NICE", CAP_SYS_NICE }, { "SYS_RESOURCE", CAP_SYS_RESOURCE },
		{ "SYS_TIME", CAP_SYS_TIME }, { "SYS_TTY_CONFIG", CAP_SYS_TTY_CONFIG },
		{ "MKNOD", CAP_MKNOD }, { "LEASE", CAP_LEASE }, { "AUDIT_WRITE", CAP_AUDIT_WRITE },
		{ "AUDIT_CONTROL", CAP_AUDIT_CONTROL }, { "SETFCAP", CAP_SETFCAP },
		{ "MAC_OVERRIDE", CAP_MAC_OVERRIDE }, { "MAC_ADMIN", CAP_MAC_ADMIN },
		{ "SYSLOG", CAP_SYSLOG }, { "WAKE_ALARM", CAP_WAKE_ALARM },
		{ "BLOCK_SUSPEND", CAP_BLOCK_SUSPEND }, { "AUDIT_READ", CAP_AUDIT_READ },
#ifdef CAP_PERFMON
		{ "PERFMON", CAP_PERFMON }, { "BPF", CAP_BPF }, { "CHECKPOINT_RESTORE", CAP_CHECKPOINT_RESTORE },
#endif
	};
	static const struct { const char *in; uint64_t want; } t[] = {
		{ "chown", UINT64_C(1) << CAP_CHOWN }, { "CHOWN", UINT64_C(1) << CAP_CHOWN },
		{ "CAP_SYS_ADMIN", UINT64_C(1) << CAP_SYS_ADMIN }, { "cap_net_raw", UINT64_C(1) << CAP_NET_RAW },
		{ "Cap_Kill", UINT64_C(1) << CAP_KILL },
		{ "all", CAP_ALL_MASK }, { "ALL", CAP_ALL_MASK }, { "CAP_ALL", CAP_ALL_MASK },
		{ "bogus", 0 }, { "", 0 }, { "CAP_", 0 }, { "SYS_ADMINX", 0 }, { "SYS", 0 },
		{ "CAP_CAP_CHOWN", 0 }, { " CHOWN", 0 }, { "21", 0 },
	};
	size_t i;
	uint64_t m;
	int bits;

	for (i = 0; i < LEN(t); i++)
		ok(parse_cap(t[i].in) == t[i].want, "parse_cap('%s') = %#llx", show(t[i].in), (unsigned long long)t[i].want);
	for (i = 0; i < LEN(k); i++)
		if (parse_cap(k[i].name) != UINT64_C(1) << k[i].num)
			break;
	ok(i == LEN(k), "parse_cap: each of %zu names is the kernel's number", LEN(k));
	if (i < LEN(k))
		diag("first mismatch: %s", k[i].name);
	ok(LEN(cap_names) == CAP_LAST_CAP + 1, "cap_names covers 0..CAP_LAST_CAP (%d)", CAP_LAST_CAP);
	ok(CAP_ALL_MASK == (UINT64_C(2) << CAP_LAST_CAP) - 1, "CAP_ALL_MASK has every capability and no more");
	m = default_cap_mask();
	for (bits = 0; m; m &= m - 1)
		bits++;
	is_ll(bits, 14, "default capability set: 14 capabilities (Docker/runc)");
	ok(!(default_cap_mask() & (UINT64_C(1) << CAP_SYS_ADMIN)), "default capability set lacks SYS_ADMIN");
	ok(!!(default_cap_mask() & (UINT64_C(1) << CAP_MKNOD)), "default capability set has MKNOD");
}

/* ---------- sscanf (libcap-ng's, WITH_CAPS) ---------- */

#if WITH_CAPS
/* The two formats libcap-ng gives it, and what ends a scan. */
static void test_sscanf(void)
{
	unsigned hi = 7, lo = 7;

	ok(sscanf("CapBnd:\t000001ffffffffff\n", "CapBnd:  %08x%08x", &hi, &lo) == 2 &&
	   hi == 0x1ff && lo == 0xffffffff, "sscanf: CapBnd as /proc/PID/status writes it");
	ok(sscanf("CapAmb:\t0000000000000000\n", "CapAmb:  %08x%08x", &hi, &lo) == 2 && !hi && !lo,
	   "sscanf: CapAmb of nothing");
	ok(sscanf("CapAmb: 0000000000000AbC\n", "CapAmb:  %08x%08x", &hi, &lo) == 2 && !hi && lo == 0xabc,
	   "sscanf: upper and lower case hex, at most 8 digits a field");
	hi = lo = 7;
	ok(sscanf("CapBnd:\t12", "CapBnd:  %08x%08x", &hi, &lo) == 1 && hi == 0x12 && lo == 7,
	   "sscanf: a line cut short assigns what it has");
	ok(sscanf("CapEff:\t0000", "CapBnd:  %08x%08x", &hi, &lo) == 0, "sscanf: another line assigns nothing");
	ok(sscanf("12", "%d", &hi) == 0, "sscanf: a conversion other than %%x ends the scan");
}
#endif

/* ---------- set_option, config_defaults ---------- */

/* A shared option (one with a container.* parameter) by its flag or its
 * parameter name, as the launcher and init mode set it. */
static int set_option(struct config *c, const char *key, const char *val)
{
	size_t i;

	for (i = 0; i < LEN(options); i++)
		if (options[i].param && (!strcmp(options[i].param, key) || (options[i].flag && !strcmp(options[i].flag, key))))
			return options[i].set(c, val);
	return -1;
}

static void test_set_option(void)
{
	static const struct { const char *key, *val; int rc; } t[] = {
		{ "memory", "512M", 0 }, { "mem", "64M", 0 }, { "mem", "max", 0 }, { "memory", "12Q", -1 },
		{ "memory", "0", -1 }, { "memory-swap", "1G", 0 }, { "memory-swap", "", -1 },
		{ "pids", "max", 0 }, { "pids", "100", 0 }, { "pids", "0", -1 }, { "pids", "4194304", 0 },
		{ "pids", "4194305", -1 }, { "pids", "-1", -1 }, { "cpus", "0.5", 0 }, { "cpus", "0", -1 },
		{ "cpu-weight", "1", 0 }, { "cpu-weight", "10000", 0 }, { "cpu-weight", "0", -1 },
		{ "cpu-weight", "10001", -1 }, { "hostname", "h", 0 }, { "hostname", "", -1 },
		{ "net", "none", WITH_NETNS ? 0 : -1 }, { "net", "host", 0 }, { "net", "bridge", WITH_BRIDGE ? 0 : -1 }, { "net", "", -1 },
		{ "net", "ns:/run/netns/x", WITH_NETNS ? 0 : -1 }, { "net", "ns:rel", -1 }, { "net", "ns:", -1 },
		{ "ip", "dhcp", WITH_BRIDGE && WITH_INIT ? 0 : -1 }, { "ip", "10.0.2.15/24", WITH_BRIDGE && WITH_INIT ? 0 : -1 },
		{ "ip", "10.0.2.15", -1 }, { "dns", "10.0.2.3", WITH_BRIDGE && WITH_INIT ? 0 : -1 }, { "dns", "x", -1 },
		{ "iface", "eth0", WITH_BRIDGE && WITH_INIT ? 0 : -1 }, { "iface", "", -1 },
		{ "restart", "always", 0 }, { "restart", "on-failure:2", 0 }, { "restart", "sometimes", -1 },
		{ "init", "1", 0 }, { "init", "0", 0 }, { "init", "2", -1 }, { "init", "", -1 },
		{ "bogus", "1", -1 }, { "", "", -1 }, { "rootfs", "/x", -1 },
		{ "io-weight", "100", 0 }, { "io-weight", "0", -1 }, { "io-weight", "10001", -1 },
		{ "device-read-bps", "/dev/vda:1M", 0 }, { "device-write-bps", "/dev/sda:512K", 0 },
		{ "device-write-bps", "/dev/vda", -1 }, { "device-write-bps", "vda:1M", -1 },
		{ "device-write-bps", "/dev/vda:12Q", -1 }, { "device-read-bps", ":1M", -1 },
	};
	struct config c;
	size_t i;

	for (i = 0; i < LEN(t); i++) {
		config_defaults(&c);
		ok(set_option(&c, t[i].key, t[i].val) == t[i].rc, "set_option(%s, '%s') is %d",
		   t[i].key[0] ? t[i].key : "''", show(t[i].val), t[i].rc);
	}
	config_defaults(&c);
	set_option(&c, "mem", "64M");
	set_option(&c, "pids", "max");
	set_option(&c, "cpus", "1.5");
	set_option(&c, "net", "host");
	set_option(&c, "restart", "on-failure:2");
	set_option(&c, "init", "1");
	set_option(&c, "cpu-weight", "50");
	set_option(&c, "memory-swap", "max");
	ok(c.memory == 64 << 20 && c.pids == -1 && c.cpu_quota == 150000 && !c.netns &&
	   c.restart == RESTART_ON_FAILURE && c.restart_max == 2 && c.init == 1 && c.cpu_weight == 50 &&
	   c.swap == -1, "set_option stores each value in its field");
	config_defaults(&c);
	set_option(&c, "device-read-bps", "/dev/vda:1M");
	set_option(&c, "device-write-bps", "/dev/vda:2M");
	set_option(&c, "device-write-bps", "/dev/vdb:3K");
	ok(c.nio == 2 && !strcmp(c.io[0].dev, "/dev/vda") && c.io[0].rbps == 1 << 20 && c.io[0].wbps == 2 << 20 &&
	   !strcmp(c.io[1].dev, "/dev/vdb") && c.io[1].wbps == 3 << 10 && !c.io[1].rbps,
	   "set_option: io limits of one device merge, another gets its own");
	ok(set_option(&c, "hostname", repeat('h', 64)) == 0 && strlen(c.hostname) == 64, "set_option: hostname of 64 bytes");
	ok(set_option(&c, "hostname", repeat('h', 65)) == -1, "set_option: hostname of 65 bytes refused");
#if WITH_NETNS
	set_option(&c, "net", "none");
	ok(c.netns == 1, "set_option: net none sets netns");
#endif
}

static void test_defaults(void)
{
	struct config c;

	memset(&c, 0x5a, sizeof(c));
	config_defaults(&c);
	is_str(c.persist, persist_dir, "config_defaults: persist from config.h");
	is_str(c.rootfs, default_rootfs, "config_defaults: rootfs from config.h");
	ok(c.caps == default_cap_mask(), "config_defaults: default capabilities");
	ok(c.netns == (WITH_NETNS && default_netns) && c.init == default_init,
	   "config_defaults: netns (when built in) and init from config.h");
	ok(c.argv == (char *const *)default_cmd, "config_defaults: default command");
	ok(c.nenv == 0 && c.nvol == 0 && !c.workdir && !c.uid && !c.gid && !c.name[0] && !c.hostname[0],
	   "config_defaults: no env, volumes, workdir, user, name");
	ok(c.restart == RESTART_NO && !c.restart_max && !c.detach && !c.userns && !c.volatile_root,
	   "config_defaults: no restart, detach, userns, volatile");
	ok(c.pids == default_pids && c.cpu_weight == default_cpu_weight, "config_defaults: pids and cpu-weight");
}

/* ---------- other pure helpers ---------- */

static void test_helpers(void)
{
	struct config c;
	const char *env[8];
	char uuid[40];
	static const unsigned char u[16] = { 0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef,
	                                     0xfe, 0xdc, 0xba, 0x98, 0x76, 0x54, 0x32, 0x10 };

	is_ll(status_code(0), 0, "status_code: exit 0");
	is_ll(status_code(3 << 8), 3, "status_code: exit 3");
	is_ll(status_code(SIGKILL), 128 + SIGKILL, "status_code: killed by SIGKILL is 137");
	is_ll(status_code(SIGTERM | 0x80), 128 + SIGTERM, "status_code: SIGTERM with core flag is 143");
	config_defaults(&c);
	ok(!restart_due(&c, 1, 0), "restart_due: no");
	c.restart = RESTART_ALWAYS;
	ok(restart_due(&c, 0, 99), "restart_due: always, even after exit 0");
	c.restart = RESTART_ON_FAILURE;
	ok(!restart_due(&c, 0, 0) && restart_due(&c, 1, 1000), "restart_due: on-failure unlimited");
	c.restart_max = 3;
	ok(restart_due(&c, 1, 2) && !restart_due(&c, 1, 3), "restart_due: on-failure:3 gives 3 restarts");
	is_ll(backoff_ms(0), restart_backoff_ms, "backoff_ms(0) is the first delay");
	is_ll(backoff_ms(1), restart_backoff_ms * 2 < restart_backoff_max_ms ? restart_backoff_ms * 2 : restart_backoff_max_ms,
	      "backoff_ms(1) doubles");
	is_ll(backoff_ms(1000), restart_backoff_max_ms, "backoff_ms caps at the maximum");
#if WITH_CGROUPS
	ok(has_word("cpu io memory pids", "memory"), "has_word: a middle word");
	ok(has_word("cpu io memory pids\n", "pids"), "has_word: the last word, before a newline");
	ok(!has_word("cpuset io", "cpu"), "has_word: a prefix is no word");
	ok(!has_word("xcpu io", "cpu"), "has_word: a suffix is no word");
	ok(has_word("cpuset cpu", "cpu"), "has_word: a word after a longer one");
#endif
	config_defaults(&c);
	c.env[c.nenv++] = "TERM=xterm";
	c.env[c.nenv++] = "NEW=1";
	c.env[c.nenv++] = "PATHX=2";
	build_env(&c, env, LEN(env));
	{
		int i, term = 0, new = 0, pathx = 0, path = 0, n;
		for (n = 0; env[n]; n++) {
			term += !strcmp(env[n], "TERM=xterm") - !strcmp(env[n], "TERM=linux");
			new += !strcmp(env[n], "NEW=1");
			pathx += !strcmp(env[n], "PATHX=2");
			path += !strncmp(env[n], "PATH=", 5);
		}
		for (i = 0; default_env[i]; i++)
			;
		ok(term == 1 && new == 1 && pathx == 1 && path == 1 && n == i + 2,
		   "build_env: -e overrides a default by key, adds new keys");
	}
	format_uuid(u, uuid);
	is_str(uuid, "01234567-89ab-cdef-fedc-ba9876543210", "format_uuid");
}

/* ---------- saved config: format, split, parse back ---------- */

#if WITH_LAUNCHER
static char fmt_buf[64 * 1024], fmt_buf2[64 * 1024];
static struct config rt_a, rt_b;

static int same_config(const struct config *a, const struct config *b, char *why, size_t size)
{
	int i;

#define DIFF(cond, ...) do { if (cond) { fmt_path(why, size, __VA_ARGS__); return 0; } } while (0)
	DIFF(strcmp(a->name, b->name), "name '%s' vs '%s'", a->name, b->name);
	DIFF(strcmp(a->rootfs, b->rootfs), "rootfs '%s' vs '%s'", show(a->rootfs), show(b->rootfs));
	DIFF(strcmp(a->persist, b->persist), "persist '%s' vs '%s'", show(a->persist), show(b->persist));
	DIFF(a->volatile_root != b->volatile_root, "volatile");
	DIFF(a->memory != b->memory, "memory %lld vs %lld", a->memory, b->memory);
	DIFF(a->swap != b->swap, "swap %lld vs %lld", a->swap, b->swap);
	DIFF(a->cpu_quota != b->cpu_quota, "cpu_quota %lld vs %lld", a->cpu_quota, b->cpu_quota);
	DIFF(a->pids != b->pids, "pids %ld vs %ld", a->pids, b->pids);
	DIFF(a->cpu_weight != b->cpu_weight, "cpu_weight %ld vs %ld", a->cpu_weight, b->cpu_weight);
	DIFF(strcmp(a->hostname, b->hostname), "hostname '%s' vs '%s'", show(a->hostname), show(b->hostname));
	DIFF(a->nenv != b->nenv, "nenv %d vs %d", a->nenv, b->nenv);
	for (i = 0; i < a->nenv; i++)
		DIFF(strcmp(a->env[i], b->env[i]), "env[%d] '%s' vs '%s'", i, show(a->env[i]), show(b->env[i]));
	DIFF(!a->workdir != !b->workdir || (a->workdir && strcmp(a->workdir, b->workdir)), "workdir");
	DIFF(a->uid != b->uid || a->gid != b->gid, "user %u:%u vs %u:%u",
	     (unsigned)a->uid, (unsigned)a->gid, (unsigned)b->uid, (unsigned)b->gid);
	DIFF(a->io_weight != b->io_weight, "io_weight %ld vs %ld", a->io_weight, b->io_weight);
	DIFF(a->nio != b->nio, "nio %d vs %d", a->nio, b->nio);
	for (i = 0; i < a->nio; i++)
		DIFF(strcmp(a->io[i].dev, b->io[i].dev) || a->io[i].rbps != b->io[i].rbps ||
		     a->io[i].wbps != b->io[i].wbps, "io %d", i);
	DIFF(a->nvol != b->nvol, "nvol %d vs %d", a->nvol, b->nvol);
	for (i = 0; i < a->nvol; i++)
		DIFF(strcmp(a->vol[i].src, b->vol[i].src) || strcmp(a->vol[i].dst, b->vol[i].dst) ||
		     a->vol[i].ro != b->vol[i].ro, "volume %d", i);
	DIFF(a->netns != b->netns, "netns %d vs %d", a->netns, b->netns);
	DIFF(a->bridge != b->bridge || strcmp(a->netns_path, b->netns_path), "net bridge %d ns '%s' vs %d '%s'",
	     a->bridge, a->netns_path, b->bridge, b->netns_path);
	DIFF(a->ip != b->ip, "ip %#x vs %#x", (unsigned)a->ip, (unsigned)b->ip);
	DIFF(a->npub != b->npub, "npub %d vs %d", a->npub, b->npub);
	for (i = 0; i < a->npub; i++)
		DIFF(memcmp(&a->pub[i], &b->pub[i], sizeof(a->pub[i])), "publish %d", i);
	DIFF(a->userns != b->userns, "userns %d vs %d", a->userns, b->userns);
	DIFF(a->init != b->init, "init %d vs %d", a->init, b->init);
	DIFF(a->restart != b->restart || a->restart_max != b->restart_max, "restart %d:%d vs %d:%d",
	     (int)a->restart, a->restart_max, (int)b->restart, b->restart_max);
	DIFF(a->caps != b->caps, "caps %#llx vs %#llx", (unsigned long long)a->caps, (unsigned long long)b->caps);
	for (i = 0; a->argv[i] && b->argv[i]; i++)
		DIFF(strcmp(a->argv[i], b->argv[i]), "argv[%d] '%s' vs '%s'", i, show(a->argv[i]), show(b->argv[i]));
	DIFF(a->argv[i] || b->argv[i], "argc differs at %d", i);
#undef DIFF
	return 1;
}

/* Format A, split it, parse it back into rt_b. Returns the exit code
 * caught from parse_run (-1: it returned) or -2 when config_split
 * refused; the formatted text is in fmt_buf. */
static int round_trip(const struct config *a, size_t *len)
{
	static char text[64 * 1024], out[1024];
	int argc;

	*len = config_format(a, fmt_buf, sizeof(fmt_buf));
	memcpy(text, fmt_buf, sizeof(text));
	config_defaults(&rt_b);
	if ((argc = config_split(text, rt_b.argbuf + 1, MAX_CONFIG_ARGS - 1)) < 0)
		return -2;
	rt_b.argbuf[0] = "run";
	rt_b.argbuf[argc + 1] = NULL;
	return try_run(rt_b.argbuf, &rt_b, out, sizeof(out));
}

static void check_round_trip(const struct config *a, const char *what)
{
	char why[512];
	size_t len, len2;
	int rc = round_trip(a, &len);

	if (!ok(rc == -1, "config round trip (%s): split and parse back", what)) {
		diag("rc %d; text:\n%s", rc, fmt_buf);
		return;
	}
	if (!ok(same_config(a, &rt_b, why, sizeof(why)), "config round trip (%s): every field equal", what))
		diag("%s", why);
	len2 = config_format(&rt_b, fmt_buf2, sizeof(fmt_buf2));
	ok(len == len2 && !memcmp(fmt_buf, fmt_buf2, len), "config round trip (%s): formats the same again", what);
}

static char *const rt_argv[] = { "/bin/sh", "-c", "echo \"a\\b\" \\n; printf '%s\\n' x", "",
                                 "--", "-e", "line1\nline2", "\\", "\\\\n", "# end", "\n", NULL };

static void fill_full(struct config *c)
{
	config_defaults(c);
	snprintf(c->name, sizeof(c->name), "web.1_x-y");
	snprintf(c->rootfs, sizeof(c->rootfs), "/images/base image.squashfs");
	snprintf(c->persist, sizeof(c->persist), "/var/lib/ctr\\store");
	c->volatile_root = 1;
	c->memory = 512LL << 20;
	c->swap = -1;
	c->pids = 100;
	c->cpu_quota = 150000;
	c->cpu_weight = 250;
	c->io_weight = 300;
	/* sorted by device, as parse_io keeps them */
	snprintf(c->io[0].dev, sizeof(c->io[0].dev), "/dev/disk/by-label/x");
	c->io[0].rbps = 4096;
	c->io[0].wbps = 8192;
	snprintf(c->io[1].dev, sizeof(c->io[1].dev), "/dev/vda");
	c->io[1].wbps = 1 << 20;
	c->nio = 2;
	snprintf(c->hostname, sizeof(c->hostname), "box\\name");
	c->env[c->nenv++] = "A=1";
	c->env[c->nenv++] = "MULTI=line1\nline2\n";
	c->env[c->nenv++] = "BACK=C:\\dir\\";
	c->env[c->nenv++] = "LIT=\\n is not a newline";
	c->env[c->nenv++] = "EMPTY=";
	c->env[c->nenv++] = "EQ=a=b=c";
	c->env[c->nenv++] = "MIX=\\\n\\\\\n\n";
	c->workdir = "/srv/my dir";
	c->uid = 1000;
	c->gid = 100;
	snprintf(c->vol[0].src, sizeof(c->vol[0].src), "/host/data");
	snprintf(c->vol[0].dst, sizeof(c->vol[0].dst), "/data");
	c->vol[0].ro = 1;
	snprintf(c->vol[1].src, sizeof(c->vol[1].src), "/host/with space");
	snprintf(c->vol[1].dst, sizeof(c->vol[1].dst), "/in\\side");
	c->nvol = 2;
	c->netns = 0;
#if WITH_BRIDGE
	c->netns = c->bridge = 1;
	c->ip = htonl(0x0a590063);
	c->pub[0] = (struct publish){ htonl(0x7f000001), 18080, 80, 0 };
	c->pub[1] = (struct publish){ 0, 53, 5353, 1 };
	c->npub = 2;
#endif
#if WITH_USERNS
	c->userns = 1;
#endif
	c->init = 1;
	c->restart = RESTART_ON_FAILURE;
	c->restart_max = 5;
	c->caps = (default_cap_mask() | (UINT64_C(1) << CAP_SYS_ADMIN)) & ~(UINT64_C(1) << CAP_MKNOD);
	c->argv = rt_argv;
}

static void test_config_round_trip(void)
{
	static char *const one[] = { "true", NULL };
	struct config *c = &rt_a;

	fill_full(c);
	check_round_trip(c, "every field");

	config_defaults(c);
	snprintf(c->name, sizeof(c->name), "a");
	snprintf(c->rootfs, sizeof(c->rootfs), "/r");
	check_round_trip(c, "defaults");

	c->caps = 0;
	c->memory = -1;
	c->pids = -1;
	c->restart = RESTART_ON_FAILURE;
	c->cpu_quota = 1000;
	c->argv = one;
	check_round_trip(c, "no capabilities, max, on-failure, 0.01 cpus");

	c->caps = CAP_ALL_MASK;
	c->restart = RESTART_ALWAYS;
	c->uid = 0;
	c->gid = 5;
	c->cpu_quota = 102400000;
	check_round_trip(c, "all capabilities, always, 0:5, 1024 cpus");
#if WITH_NETNS
	snprintf(c->netns_path, sizeof(c->netns_path), "/run/netns/with space");
	c->netns = 0;
	check_round_trip(c, "--net ns:PATH");
#endif

	{
		int i;
		static const long long q[] = { 1000, 1001, 12345, 99999, 100000, 100001, 123456789 / 10 };
		for (i = 0; i < (int)LEN(q); i++) {
			struct config d;
			config_defaults(&d);
			snprintf(d.name, sizeof(d.name), "q");
			snprintf(d.rootfs, sizeof(d.rootfs), "/r");
			d.cpu_quota = q[i];
			if (round_trip(&d, &(size_t){ 0 }) != -1 || rt_b.cpu_quota != q[i])
				break;
		}
		ok(i == (int)LEN(q), "config round trip: cpu quotas keep their exact value");
	}
}

/* A bigger configuration than parse_run refuses must also load back. */
static void test_config_limits(void)
{
	static char vals[MAX_ARGS][16], text[64 * 1024], out[512];
	static char *argv[512];
	struct config *c = &rt_a;
	size_t len;
	int i, argc, rc;

	/* What run accepts: MAX_ARGS-1 -e options. */
	argc = 0;
	argv[argc++] = "run";
	argv[argc++] = "--rootfs";
	argv[argc++] = "/r";
	for (i = 0; i < 200; i++) {
		snprintf(vals[i], sizeof(vals[i]), "K%d=%d", i, i);
		argv[argc++] = "-e";
		argv[argc++] = vals[i];
	}
	argv[argc++] = "many";
	argv[argc] = NULL;
	config_defaults(c);
	rc = try_run(argv, c, out, sizeof(out));
	ok(rc == -1 && c->nenv == 200, "parse_run: 200 -e options accepted");
	rc = round_trip(c, &len);
	ok(rc == -1 && rt_b.nenv == 200, "config with 200 -e options loads back");

	/* What run accepts: a long command line. */
	{
		static char words[300][8];
		static char *cmd[302];
		config_defaults(c);
		snprintf(c->name, sizeof(c->name), "long");
		snprintf(c->rootfs, sizeof(c->rootfs), "/r");
		for (i = 0; i < 300; i++) {
			snprintf(words[i], sizeof(words[i]), "%d", i);
			cmd[i] = words[i];
		}
		cmd[300] = NULL;
		c->argv = cmd;
		rc = round_trip(c, &len);
		ok(rc == -1, "config of a 300-word command loads back");
	}

	/* An environment value longer than config_format's value buffer. */
	{
		static char big[9002];
		config_defaults(c);
		snprintf(c->name, sizeof(c->name), "bigenv");
		snprintf(c->rootfs, sizeof(c->rootfs), "/r");
		memset(big, 'y', sizeof(big) - 1);
		memcpy(big, "B=", 2);
		c->env[c->nenv++] = big;
		rc = round_trip(c, &len);
		ok(rc == -1 && rt_b.nenv == 1 && strlen(rt_b.env[0]) == strlen(big), "config with a 9000-byte -e value loads it back whole (got %zu)",
		     rc == -1 && rt_b.nenv == 1 ? strlen(rt_b.env[0]) : 0);
	}

	/* config_format with a small buffer must not report more than it wrote. */
	fill_full(c);
	len = config_format(c, text, 64);
	ok(len < 64, "config_format into 64 bytes returns less than 64 (got %zu)", len);
	len = config_format(c, text, sizeof(text));
	{
		size_t full = len, cut = full / 2;
		len = config_format(c, text, cut);
		ok(len < cut, "config_format into half the space returns less than that (got %zu of %zu)", len, cut);
	}
}

/* A config cut short anywhere, or with any byte changed, is refused by
 * config_split or parsed to a clean result or a clean error: never a
 * crash (a crash here ends the test binary, which the wrapper reports). */
static void test_config_corrupt(void)
{
	static char good[64 * 1024], text[64 * 1024], out[1024];
	static const char subst[] = { '\0', '\n', '\\', 'x', '-', ':', '=', ' ', 'n', (char)0xff };
	struct config *c = &rt_a, *d = &rt_b;
	size_t len, k, s;
	int argc, refused = 0, parsed = 0, errors = 0, bad = 0, rc;

	fill_full(c);
	/* "# end" as an argument would make a cut at its end a valid file */
	c->argv = (char *const[]){ "/bin/sh", "-c", "x\\y\nz", NULL };
	len = config_format(c, good, sizeof(good));
	for (k = 0; k < len; k++) {
		memcpy(text, good, k);
		text[k] = '\0';
		if (config_split(text, d->argbuf + 1, MAX_ARGS - 1) >= 0)
			bad++;
	}
	ok(bad == 0, "config cut at each of %zu offsets: config_split refuses", len);
	if (bad)
		diag("%d prefixes were accepted", bad);

	bad = 0;
	for (k = 0; k < len; k++) {
		for (s = 0; s < sizeof(subst); s++) {
			if (good[k] == subst[s])
				continue;
			memcpy(text, good, len + 1);
			text[k] = subst[s];
			config_defaults(d);
			if ((argc = config_split(text, d->argbuf + 1, MAX_ARGS - 1)) < 0) {
				refused++;
				continue;
			}
			d->argbuf[0] = "run";
			rc = try_run(d->argbuf, d, out, sizeof(out));
			if (rc == -1)
				parsed++;
			else if (rc == EXIT_SETUP || rc == 0)
				errors++;
			else if (bad++ < 3)
				diag("offset %zu byte %#x: exit %d: %s", k, (unsigned char)subst[s], rc, out);
		}
	}
	ok(bad == 0, "config with one byte changed (%zu offsets x %zu bytes): no crash, exit only 125",
	   len, sizeof(subst));
	diag("corrupted configs: %d refused by config_split, %d parsed, %d refused by parse_run",
	     refused, parsed, errors);

	/* malformed files, each refused by config_split */
	{
		static const char *const t[] = {
			"", "# container config 1\n", "# end\n", "# container config 1\n# end",
			"# container config 1\nx# end\n", "# container config 2\nx\n# end\n",
			"# container config 1\nbad\\escape\n# end\n", "# container config 1\ntrailing\\\n# end\n",
			"#container config 1\nx\n# end\n", "x# container config 1\nx\n# end\n",
		};
		size_t i;
		for (i = 0; i < LEN(t); i++) {
			snprintf(text, sizeof(text), "%s", t[i]);
			ok(config_split(text, d->argbuf + 1, MAX_ARGS - 1) < 0, "config_split refuses '%s'", show(t[i]));
		}
		snprintf(text, sizeof(text), "# container config 1\n# end\n");
		ok(config_split(text, d->argbuf + 1, MAX_ARGS - 1) == 0, "config_split: an empty config has no arguments");
		snprintf(text, sizeof(text), "# container config 1\n\n\\n\n\\\\\n# end\n");
		ok(config_split(text, d->argbuf + 1, MAX_ARGS - 1) == 3 && !strcmp(d->argbuf[1], "") &&
		   !strcmp(d->argbuf[2], "\n") && !strcmp(d->argbuf[3], "\\") && !d->argbuf[4],
		   "config_split: empty line, \\n, \\\\ unescape");
		/* more lines than MAX_ARGS */
		len = snprintf(text, sizeof(text), "%s", config_magic);
		for (i = 0; i < MAX_ARGS + 5; i++)
			len += snprintf(text + len, sizeof(text) - len, "a\n");
		snprintf(text + len, sizeof(text) - len, "%s", config_end);
		ok(config_split(text, d->argbuf + 1, MAX_ARGS - 1) == -1, "config_split: too many lines refused");
	}
}

/* parse_run itself: options, NAME, command, and each refusal. */
static void test_parse_run(void)
{
	static const struct { const char *argv[12]; const char *msg; } bad[] = {
		{ { "run", NULL }, "missing NAME" },
		{ { "run", "--rootfs", "/r", NULL }, "missing NAME" },
		{ { "run", "--rootfs", "/r", "../x", NULL }, "invalid container name '../x'" },
		{ { "run", "--rootfs", "/r", "", NULL }, "invalid container name ''" },
		{ { "run", "x", NULL }, "no rootfs" },
		{ { "run", "--rootfs", "/r", "-m", "12Q", "x", NULL }, "invalid value '12Q' for --memory" },
		{ { "run", "--rootfs", "/r", "--memory=1K5", "x", NULL }, "invalid value '1K5' for --memory" },
		{ { "run", "--rootfs", "/r", "--cpus", "0", "x", NULL }, "invalid value '0' for --cpus" },
		{ { "run", "--rootfs", "/r", "--pids", "0", "x", NULL }, "invalid value '0' for --pids" },
		{ { "run", "--rootfs", "/r", "--restart", "on-failure:0", "x", NULL }, "for --restart" },
		{ { "run", "--rootfs", "/r", "-v", "/a", "x", NULL }, "invalid value '/a' for --volume" },
		{ { "run", "--rootfs", "/r", "-v", "/a:b", "x", NULL }, "for --volume" },
		{ { "run", "--rootfs", "/r", "-e", "=v", "x", NULL }, "for --env" },
		{ { "run", "--rootfs", "/r", "-u", "abc", "x", NULL }, "for --user" },
		{ { "run", "--rootfs", "/r", "-w", "rel", "x", NULL }, "for --workdir" },
		{ { "run", "--rootfs", "/r", "--cap-add", "bogus", "x", NULL }, "invalid value 'bogus' for --cap-add" },
		{ { "run", "--rootfs", "/r", "--cap-drop", "", "x", NULL }, "for --cap-drop" },
		{ { "run", "--rootfs", "/r", "--net", "bogus", "x", NULL }, "for --net" },
#if WITH_BRIDGE
		{ { "run", "--rootfs", "/r", "--net", "bridge", "-p", "0:80", "x", NULL }, "invalid value '0:80' for --publish" },
		{ { "run", "--rootfs", "/r", "--net", "bridge", "-p", "70000:80", "x", NULL }, "for --publish" },
		{ { "run", "--rootfs", "/r", "--net", "bridge", "-p", "a:b", "x", NULL }, "for --publish" },
		{ { "run", "--rootfs", "/r", "--net", "bridge", "--publish", "80:80/", "x", NULL }, "for --publish" },
		{ { "run", "--rootfs", "/r", "--net", "bridge", "--ip", "10.89.0.300", "x", NULL }, "for --ip" },
		{ { "run", "--rootfs", "/r", "-p", "8080:80", "x", NULL }, "need --net bridge" },
#endif
		{ { "run", "--rootfs", "/r", "--hostname", "", "x", NULL }, "for --hostname" },
		{ { "run", "--rootfs", "/r", "--bogus", "x", NULL }, "unknown option --bogus" },
		{ { "run", "--rootfs", "/r", "-Z", "x", NULL }, "unknown option" },
		{ { "run", "--rootfs", "/r", "x", "--memory", NULL }, NULL }, /* a command, not an option */
		{ { "run", "--rootfs", "/r", "--memory", NULL }, "needs a value" },
		{ { "run", "--rootfs", NULL }, "needs a value" },
	};
	char out[1024], want[256], *argv[16];
	struct config c;
	size_t i, j;
	int rc;

	for (i = 0; i < LEN(bad); i++) {
		for (j = 0; bad[i].argv[j]; j++)
			argv[j] = (char *)bad[i].argv[j];
		argv[j] = NULL;
		config_defaults(&c);
		rc = try_run(argv, &c, out, sizeof(out));
		snprintf(want, sizeof(want), "%s", bad[i].msg ? bad[i].msg : "");
		if (!bad[i].msg) {
			ok(rc == -1 && c.argv[0] && !strcmp(c.argv[0], "--memory") && !c.memory,
			   "parse_run: an option after NAME belongs to the command");
			continue;
		}
		if (!ok(rc == EXIT_SETUP && !strncmp(out, "container: ", 11) && strstr(out, want) &&
		        strchr(out, '\n') == out + strlen(out) - 1,
		        "parse_run %s: exit 125, one line with \"%s\"", show(bad[i].argv[j - 1]), show(want)))
			diag("exit %d, output: %s", rc, out);
	}
#if !WITH_USERNS
	{
		char *a[] = { "run", "--rootfs", "/r", "--userns", "x", NULL };
		config_defaults(&c);
		rc = try_run(a, &c, out, sizeof(out));
		ok(rc == EXIT_SETUP && strstr(out, "--userns"), "parse_run: --userns refused without WITH_USERNS");
	}
#endif
#if !WITH_NETNS
	{
		char *a[] = { "run", "--rootfs", "/r", "--net", "none", "x", NULL };
		config_defaults(&c);
		rc = try_run(a, &c, out, sizeof(out));
		ok(rc == EXIT_SETUP, "parse_run: --net none refused without WITH_NETNS");
	}
#endif
	{
		char *a[] = { "run", "--rootfs", "/r", "--persist", "/p", "--volatile", "-m", "512K",
			      "--memory-swap", "max", "--pids", "max", "--cpus", "0.2", "--cpu-weight", "7",
			      "--hostname", "h", "-e", "A=1", "--env=B=2", "-w", "/w", "-u", "1:2",
			      "-v", "/a:/b:ro", "--volume", "/c:/d", "--net", "host", "--cap-drop", "ALL",
			      "--cap-add", "chown", "--cap-add=CAP_KILL", "--init", "-d",
			      "--restart", "on-failure:3", "name", "--", "cmd", "arg", NULL };
		config_defaults(&c);
		rc = try_run(a, &c, out, sizeof(out));
		if (!ok(rc == -1, "parse_run: every option at once"))
			diag("exit %d: %s", rc, out);
		ok(!strcmp(c.rootfs, "/r") && !strcmp(c.persist, "/p") && c.volatile_root &&
		   c.memory == 524288 && c.swap == -1 && c.pids == -1 && c.cpu_quota == 20000 &&
		   c.cpu_weight == 7 && !strcmp(c.hostname, "h") && c.nenv == 2 &&
		   !strcmp(c.env[0], "A=1") && !strcmp(c.env[1], "B=2") && !strcmp(c.workdir, "/w") &&
		   c.uid == 1 && c.gid == 2 && c.nvol == 2 && c.vol[0].ro && !c.vol[1].ro &&
		   !strcmp(c.vol[1].dst, "/d") && !c.netns && c.init && c.detach &&
		   c.caps == ((UINT64_C(1) << CAP_CHOWN) | (UINT64_C(1) << CAP_KILL)) &&
		   c.restart == RESTART_ON_FAILURE && c.restart_max == 3 && !strcmp(c.name, "name") &&
		   !strcmp(c.argv[0], "cmd") && !strcmp(c.argv[1], "arg") && !c.argv[2],
		   "parse_run: every option lands in its field");
	}
	{
		char *a[] = { "run", "--rootfs", "/r", "x", "--", "-e", NULL };
		config_defaults(&c);
		rc = try_run(a, &c, out, sizeof(out));
		ok(rc == -1 && !strcmp(c.argv[0], "-e") && !c.argv[1], "parse_run: -- before the command is dropped");
	}
	{
		char *a[] = { "run", "--rootfs", "/r", "x", NULL };
		config_defaults(&c);
		rc = try_run(a, &c, out, sizeof(out));
		ok(rc == -1 && c.argv == (char *const *)default_cmd, "parse_run: no command gives the default");
	}
	{
		char *a[] = { "run", "--rootfs", "/r", "-v", "/1:/1", "-v", "/2:/2", "-v", "/3:/3", "-v", "/4:/4",
			      "-v", "/5:/5", "-v", "/6:/6", "-v", "/7:/7", "-v", "/8:/8", "-v", "/9:/9", "-v", "/10:/10",
			      "-v", "/11:/11", "-v", "/12:/12", "-v", "/13:/13", "-v", "/14:/14", "-v", "/15:/15",
			      "-v", "/16:/16", "-v", "/17:/17", "-v", "/18:/18", "-v", "/19:/19", "-v", "/20:/20",
			      "-v", "/21:/21", "-v", "/22:/22", "-v", "/23:/23", "-v", "/24:/24", "-v", "/25:/25",
			      "-v", "/26:/26", "-v", "/27:/27", "-v", "/28:/28", "-v", "/29:/29", "-v", "/30:/30",
			      "-v", "/31:/31", "-v", "/32:/32", "-v", "/33:/33", "x", NULL };
		_Static_assert(MAX_VOLUMES == 32, "the test gives 33 volumes");
		config_defaults(&c);
		rc = try_run(a, &c, out, sizeof(out));
		ok(rc == EXIT_SETUP && c.nvol == MAX_VOLUMES, "parse_run: volume %d is refused", MAX_VOLUMES + 1);
	}
}
#endif /* WITH_LAUNCHER */

/* ---------- kernel command line ---------- */

#if WITH_INIT
static struct init_params ip;
static struct config ic;
static char ierr[512], iout[1024];

static int cmdline(const char *line)
{
	static char text[8192];
	int rc;

	memset(&ip, 0, sizeof(ip));
	ip.rootwait = init_rootwait;
	snprintf(ip.lower, sizeof(ip.lower), "%s", init_lower);
	snprintf(ip.persist, sizeof(ip.persist), "%s", init_persist);
	snprintf(ip.persistfs, sizeof(ip.persistfs), "%s", init_persistfs);
	config_defaults(&ic);
	snprintf(ic.name, sizeof(ic.name), "%s", init_name);
	snprintf(text, sizeof(text), "%s", line);
	ierr[0] = '\0';
	quiet_begin();
	rc = parse_cmdline(text, &ip, &ic, ierr, sizeof(ierr));
	quiet_end(iout, sizeof(iout));
	g.debug = 0;
	return rc;
}

static void test_cmdline(void)
{
	static const struct { const char *line, *err; } bad[] = {
		{ "container.mem=12Q", "container.mem=12Q: invalid value" },
		{ "quiet container.mem=0 container.name=x", "container.mem=0: invalid value" },
		{ "container.pids=0", "container.pids=0: invalid value" },
		{ "container.cpus=2000", "container.cpus=2000: invalid value" },
		{ "container.name=../x", "container.name=../x: invalid value" },
		{ "container.name=", "container.name=: invalid value" },
		{ "container.name", "container.name=: invalid value" },
		{ "container.lower=", "container.lower=: invalid value" },
		{ "container.persist=", "container.persist=: invalid value" },
		{ "container.persistfs=", "container.persistfs=: invalid value" },
		{ "container.rootwait=3601", "container.rootwait=3601: invalid value" },
		{ "container.rootwait=abc", "container.rootwait=abc: invalid value" },
		{ "container.net=bridge", "container.net=bridge: invalid value" },
#if WITH_BRIDGE
		{ "container.ip=10.0.2.15", "container.ip=10.0.2.15: invalid value" },
		{ "container.ip=10.0.2.15/33", "container.ip=10.0.2.15/33: invalid value" },
		{ "container.ip=10.0.2.15/24,gw", "container.ip=10.0.2.15/24,gw: invalid value" },
		{ "container.ip=dhcpx", "container.ip=dhcpx: invalid value" },
		{ "container.dns=8.8.8", "container.dns=8.8.8: invalid value" },
		{ "container.iface=", "container.iface=: invalid value" },
		{ "container.net=ns:/x", "container.net=ns:/x: invalid value" },
#endif
		{ "container.restart=sometimes", "container.restart=sometimes: invalid value" },
		{ "container.init=2", "container.init=2: invalid value" },
		{ "container.hostname=", "container.hostname=: invalid value" },
		{ "container.cpu-weight=0", "container.cpu-weight=0: invalid value" },
		{ "container.memory-swap=1X", "container.memory-swap=1X: invalid value" },
		{ "container.mem=\"12 Q\"", "container.mem=12 Q: invalid value" },
	};
	char line[PATH_MAX + 64];
	size_t i;
	int rc;

	rc = cmdline("BOOT_IMAGE=/vmlinuz root=/dev/vda ro console=ttyS0 quiet "
	             "container.lower=/dev/vda container.persist=LABEL=persist container.persistfs=xfs "
	             "container.name=web container.mem=64M container.pids=100 container.cpus=0.5 "
	             "container.hostname=box container.net=host container.restart=on-failure:3 "
	             "container.modules=virtio_blk,ext4 container.init=1 container.rootwait=5 "
	             "container.memory-swap=max container.cpu-weight=20 -- /bin/sh -c x\n");
	ok(rc == 3, "parse_cmdline: a full line parses, 3 words after --");
	ok(!strcmp(ip.lower, "/dev/vda") && !strcmp(ip.persist, "LABEL=persist") && !strcmp(ip.persistfs, "xfs") &&
	   !strcmp(ip.modules, "virtio_blk,ext4") && ip.rootwait == 5, "parse_cmdline: lower, persist, persistfs, modules, rootwait");
	ok(!strcmp(ic.name, "web") && ic.memory == 64 << 20 && ic.pids == 100 && ic.cpu_quota == 50000 &&
	   !strcmp(ic.hostname, "box") && !ic.netns && ic.restart == RESTART_ON_FAILURE && ic.restart_max == 3 &&
	   ic.init == 1 && ic.swap == -1 && ic.cpu_weight == 20, "parse_cmdline: name and container limits");
	ok(!iout[0], "parse_cmdline: nothing printed for a good line");

	rc = cmdline("container.lower=\"/images/my image.sqfs\" container.hostname=\"a b\"c "
	             "\"container.name=quoted\" container.modules=\"a,b\"");
	ok(rc == 0 && !strcmp(ip.lower, "/images/my image.sqfs"), "parse_cmdline: a quoted value keeps its space");
	is_str(ic.hostname, "a bc", "parse_cmdline: quotes in the middle of a word are removed");
	is_str(ic.name, "quoted", "parse_cmdline: a word quoted whole");
	is_str(ip.modules, "a,b", "parse_cmdline: quoted list");

	rc = cmdline("container.hostname=\"abc def");
	ok(rc == 0 && !strcmp(ic.hostname, "abc def"), "parse_cmdline: an unterminated quote runs to the end");

	/* /proc/cmdline ends in a newline: an unclosed quote must not take it */
	rc = cmdline("container.hostname=\"my box\n");
	ok(rc == 0 && !strcmp(ic.hostname, "my box"), "parse_cmdline: an unclosed quote stops at the newline (got '%s')", show(ic.hostname));
	rc = cmdline("container.name=\"web\n");
	ok(rc == 0 || !strchr(ierr, '\n'), "parse_cmdline: the error for an unclosed quote is one line");

	rc = cmdline("container.name=a -- container.name=b container.mem=12Q");
	ok(rc == 2 && !strcmp(ic.name, "a") && !ic.memory, "parse_cmdline: -- stops parsing; 2 words after it");
	rc = cmdline("-- container.name=b");
	ok(rc == 1 && !strcmp(ic.name, init_name), "parse_cmdline: -- first: defaults stay");
	rc = cmdline("single container.name=a stray -- \"/bin/sh -c\" x");
	ok(rc == 2, "parse_cmdline: bare words before -- are not counted, a quoted word is one (got %d)", rc);
	rc = cmdline("container.name=a --");
	ok(rc == 0, "parse_cmdline: nothing after -- is no command (got %d)", rc);
	rc = cmdline("container.name=a --x container.name=b");
	ok(rc == 0 && !strcmp(ic.name, "b"), "parse_cmdline: --x is not --");

	rc = cmdline("container.bogus=1 container.name=x container.Name=y");
	ok(rc == 0 && !strcmp(ic.name, "x"), "parse_cmdline: unknown keys are ignored");
	ok(strstr(iout, "unknown parameter container.bogus ignored") != NULL, "parse_cmdline: an unknown key is warned about");
	ok(strstr(iout, "container.Name") != NULL, "parse_cmdline: keys are case-sensitive");

	rc = cmdline("container=1 containerX.name=y mycontainer.name=z container.=1 container.");
	ok(rc == 0 && !strcmp(ic.name, init_name), "parse_cmdline: words not container.KEY are not parameters");

	rc = cmdline("");
	ok(rc == 0 && !strcmp(ic.name, init_name) && !strcmp(ip.lower, init_lower), "parse_cmdline: empty line keeps defaults");
	rc = cmdline(" \t\n  \n");
	ok(rc == 0, "parse_cmdline: only whitespace");
	rc = cmdline("\tcontainer.name=tab\n");
	ok(rc == 0 && !strcmp(ic.name, "tab"), "parse_cmdline: tabs and the trailing newline");
	rc = cmdline("container.persist=tmpfs container.modules=");
	ok(rc == 0 && !strcmp(ip.persist, "tmpfs") && !ip.modules[0], "parse_cmdline: tmpfs persist, empty modules");
	rc = cmdline("container.lower=UUID=0123-abcd");
	ok(rc == 0 && !strcmp(ip.lower, "UUID=0123-abcd"), "parse_cmdline: a value with '='");
	rc = cmdline("container.name=first container.name=second");
	ok(rc == 0 && !strcmp(ic.name, "second"), "parse_cmdline: the last of a repeated key wins");

	rc = cmdline("container.debug");
	{
		/* cmdline() resets g.debug; check through init_param */
		struct init_params p2 = { .rootwait = 0 };
		struct config c2;
		config_defaults(&c2);
		ok(rc == 0 && init_param(&p2, &c2, "debug", "") == 0 && g.debug == 1, "parse_cmdline: container.debug");
		g.debug = 0;
		ok(init_param(&p2, &c2, "nonesuch", "1") == -2, "init_param: unknown key is -2");
		ok(init_param(&p2, &c2, "mem", "bad") == -1, "init_param: bad value is -1");
		ok(init_param(&p2, &c2, "memory", "1G") == -2, "init_param: launcher-only option 'memory' is unknown");
		ok(init_param(&p2, &c2, "rootwait", "0") == 0 && p2.rootwait == 0, "init_param: rootwait 0");
	}

	for (i = 0; i < LEN(bad); i++) {
		rc = cmdline(bad[i].line);
		if (!ok(rc == -1 && !strcmp(ierr, bad[i].err), "parse_cmdline '%s': error '%s'", show(bad[i].line), show(bad[i].err)))
			diag("rc %d, err '%s'", rc, ierr);
	}

	snprintf(line, sizeof(line), "container.lower=/%s", repeat('l', PATH_MAX - 2));
	ok(cmdline(line) == 0 && strlen(ip.lower) == PATH_MAX - 1, "parse_cmdline: lower of PATH_MAX-1 bytes");
	snprintf(line, sizeof(line), "container.lower=/%s", repeat('l', PATH_MAX - 1));
	ok(cmdline(line) == -1, "parse_cmdline: lower of PATH_MAX bytes refused");
	snprintf(line, sizeof(line), "container.persist=/%s", repeat('p', 255));
	ok(cmdline(line) == -1, "parse_cmdline: persist of 256 bytes refused");
	snprintf(line, sizeof(line), "container.modules=%s", repeat('m', 1024));
	ok(cmdline(line) == -1, "parse_cmdline: modules of 1024 bytes refused");
	snprintf(line, sizeof(line), "container.hostname=%s", repeat('h', 65));
	ok(cmdline(line) == -1, "parse_cmdline: hostname of 65 bytes refused");
	snprintf(line, sizeof(line), "container.mem=\"%s", repeat('9', 1000));
	ok(cmdline(line) == -1 && strlen(ierr) < sizeof(ierr), "parse_cmdline: a long bad value gives a bounded error");
}
#endif /* WITH_INIT */

/* ---------- modules.dep ---------- */

#if WITH_MODULES
static const char dep_text[] =
	"kernel/drivers/block/virtio_blk.ko.xz: kernel/drivers/virtio/virtio_ring.ko.xz kernel/drivers/virtio/virtio.ko.xz\n"
	"kernel/fs/ext4/ext4.ko.xz: kernel/fs/mbcache.ko.xz kernel/fs/jbd2/jbd2.ko.xz kernel/lib/crc16.ko.xz\n"
	"kernel/fs/jbd2/jbd2.ko.xz:\n"
	"kernel/fs/mbcache.ko.xz:\n"
	"garbage line without a colon ext4.ko\n"
	"\n"
	"kernel/drivers/net/virtio_net.ko: kernel/drivers/net/net_failover.ko kernel/net/core/failover.ko\n"
	"kernel/fs/overlayfs/overlay.ko.zst:\n"
	"kernel/drivers/md/dm-mod.ko.xz:\n"
	"kernel/drivers/scsi/sd_mod.ko.gz: kernel/drivers/scsi/scsi_mod.ko.gz\n"
	"kernel/fs/ext2.ko:";

static void test_modules(void)
{
	static const struct { const char *name, *line; } t[] = {
		{ "virtio_blk", "kernel/drivers/block/virtio_blk.ko.xz: kernel/drivers/virtio/virtio_ring.ko.xz kernel/drivers/virtio/virtio.ko.xz" },
		{ "virtio-blk", "kernel/drivers/block/virtio_blk.ko.xz: kernel/drivers/virtio/virtio_ring.ko.xz kernel/drivers/virtio/virtio.ko.xz" },
		{ "ext4", "kernel/fs/ext4/ext4.ko.xz: kernel/fs/mbcache.ko.xz kernel/fs/jbd2/jbd2.ko.xz kernel/lib/crc16.ko.xz" },
		{ "jbd2", "kernel/fs/jbd2/jbd2.ko.xz:" },
		{ "mbcache", "kernel/fs/mbcache.ko.xz:" },
		{ "virtio_net", "kernel/drivers/net/virtio_net.ko: kernel/drivers/net/net_failover.ko kernel/net/core/failover.ko" },
		{ "overlay", "kernel/fs/overlayfs/overlay.ko.zst:" },
		{ "dm_mod", "kernel/drivers/md/dm-mod.ko.xz:" },
		{ "dm-mod", "kernel/drivers/md/dm-mod.ko.xz:" },
		{ "sd_mod", "kernel/drivers/scsi/sd_mod.ko.gz: kernel/drivers/scsi/scsi_mod.ko.gz" },
		{ "ext2", "kernel/fs/ext2.ko:" },
		{ "ext", NULL }, { "virtio", NULL }, { "failover", NULL }, { "crc16", NULL },
		{ "scsi_mod", NULL }, { "", NULL }, { "ext4.ko", NULL }, { "kernel/fs/ext4/ext4", NULL },
		{ "EXT4", NULL }, { "blk", NULL }, { "overlayfs", NULL }, { "garbage line without a colon ext4", NULL },
	};
	const char *line;
	size_t i, len;
	char got[512], desc[128];

	for (i = 0; i < LEN(t); i++) {
		len = 9999;
		line = modules_dep_find(dep_text, t[i].name, &len);
		if (line)
			snprintf(got, sizeof(got), "%.*s", (int)len, line);
		snprintf(desc, sizeof(desc), "modules_dep_find('%s')", show(t[i].name));
		if (t[i].line)
			is_str(line ? got : NULL, t[i].line, desc);
		else if (!ok(!line, "modules_dep_find('%s'): not found", show(t[i].name)))
			diag("found '%s'", got);
	}
	ok(!modules_dep_find("", "ext4", &len), "modules_dep_find: empty modules.dep");
	ok(!modules_dep_find("\n\n\n", "ext4", &len), "modules_dep_find: only newlines");
	ok(!modules_dep_find(":\n:", "ext4", &len), "modules_dep_find: only colons");
	line = modules_dep_find("a.ko:\r\nb.ko:\r\n", "b", &len);
	ok(line && len == 6, "modules_dep_find: CRLF line ends");

	ok(module_matches("a/b/foo.ko", 10, "foo"), "module_matches: foo in a/b/foo.ko");
	ok(module_matches("foo.ko", 6, "foo"), "module_matches: foo.ko without a directory");
	ok(module_matches("foo.ko.zst", 10, "foo"), "module_matches: compressed");
	ok(!module_matches("foo.k", 5, "foo"), "module_matches: foo.k is no module");
	ok(!module_matches("foobar.ko", 9, "foo"), "module_matches: foo is not foobar");
	ok(!module_matches("fo.ko", 5, "foo"), "module_matches: shorter base");
	ok(module_matches("x/foo-bar.ko", 12, "foo_bar"), "module_matches: - in the file is _ in the name");
	ok(module_matches("x/foo_bar.ko", 12, "foo-bar"), "module_matches: _ in the file is - in the name");
	ok(!module_matches("foo.ko:bar", 3, "foo"), "module_matches: stays within LEN");
	ok(!module_matches("x/", 2, "x"), "module_matches: a directory only");
	ok(!module_matches("", 0, ""), "module_matches: empty");
}
#endif /* WITH_MODULES */

/* ---------- superblock probe ---------- */

#ifdef PROBE_SIZE
static unsigned char sb[PROBE_SIZE];
static const unsigned char uuid16[16] = { 0x2b, 0x1f, 0x5e, 0x10, 0x3c, 0x4d, 0x4e, 0x5f,
                                          0xa0, 0xb1, 0xc2, 0xd3, 0xe4, 0xf5, 0x06, 0x17 };
#define UUID_STR "2b1f5e10-3c4d-4e5f-a0b1-c2d3e4f50617"

static void make_ext4(const char *label)
{
	memset(sb, 0, sizeof(sb));
	sb[1024 + 56] = 0x53;
	sb[1024 + 57] = 0xEF;
	memcpy(sb + 1024 + 104, uuid16, 16);
	memcpy(sb + 1024 + 120, label, strnlen(label, 16));
}

static void make_btrfs(const char *label)
{
	memset(sb, 0, sizeof(sb));
	memcpy(sb + 65536 + 64, "_BHRfS_M", 8);
	memcpy(sb + 65536 + 32, uuid16, 16);
	memcpy(sb + 65536 + 0x12b, label, strnlen(label, 256));
}

static void make_xfs(const char *label)
{
	memset(sb, 0, sizeof(sb));
	memcpy(sb, "XFSB", 4);
	memcpy(sb + 32, uuid16, 16);
	memcpy(sb + 108, label, strnlen(label, 12));
}

static void make_erofs(const char *label)
{
	memset(sb, 0, sizeof(sb));
	sb[1024] = 0xE2, sb[1025] = 0xE1, sb[1026] = 0xF5, sb[1027] = 0xE0;
	memcpy(sb + 1024 + 48, uuid16, 16);
	memcpy(sb + 1024 + 64, label, strnlen(label, 16));
}

static void make_squashfs(void)
{
	memset(sb, 0, sizeof(sb));
	memcpy(sb, "hsqs", 4);
}

static int probe_is(size_t n, const char *type, const char *label, const char *uuid, const char *desc)
{
	struct probe p;
	int rc = probe_buffer(sb, n, &p);

	if (!type) {
		if (!ok(rc == -1 && !p.type[0], "%s: not recognized", desc))
			diag("rc %d, type '%s'", rc, p.type);
		return rc == -1;
	}
	if (!ok(rc == 0 && !strcmp(p.type, type) && !strcmp(p.label, label) && !strcmp(p.uuid, uuid),
	        "%s: %s, label '%s'", desc, type, show(label)))
		diag("rc %d, type '%s', label '%s', uuid '%s'", rc, p.type, show(p.label), p.uuid);
	return rc == 0;
}

static void test_probe_buffer(void)
{
	static char label255[256];

	make_ext4("rootfs");
	probe_is(sizeof(sb), "ext4", "rootfs", UUID_STR, "probe ext4");
	probe_is(1024 + 136, "ext4", "rootfs", UUID_STR, "probe ext4 from 1160 bytes");
	probe_is(1024 + 135, NULL, NULL, NULL, "probe ext4 from 1159 bytes");
	make_ext4("0123456789abcdef");
	probe_is(sizeof(sb), "ext4", "0123456789abcdef", UUID_STR, "probe ext4, a 16-byte label without NUL");
	make_ext4("");
	probe_is(sizeof(sb), "ext4", "", UUID_STR, "probe ext4 without a label");
	sb[1024 + 57] = 0xEE;
	probe_is(sizeof(sb), NULL, NULL, NULL, "probe: ext4 with a wrong magic");

	make_btrfs("data");
	probe_is(sizeof(sb), "btrfs", "data", UUID_STR, "probe btrfs");
	probe_is(65536 + 0x12b + 256, "btrfs", "data", UUID_STR, "probe btrfs from the least bytes");
	probe_is(65536 + 0x12b + 255, NULL, NULL, NULL, "probe btrfs one byte short");
	memset(label255, 'L', 255);
	make_btrfs(label255);
	memset(sb + 65536 + 0x12b + 255, 'X', 64);	/* no NUL after the label */
	probe_is(sizeof(sb), "btrfs", label255, UUID_STR, "probe btrfs, a 255-byte label");

	make_xfs("xfslabel");
	probe_is(sizeof(sb), "xfs", "xfslabel", UUID_STR, "probe xfs");
	make_xfs("twelve_chars");
	sb[120] = 'Z';
	probe_is(120, "xfs", "twelve_chars", UUID_STR, "probe xfs, a 12-byte label from 120 bytes");
	probe_is(119, NULL, NULL, NULL, "probe xfs from 119 bytes");

	make_erofs("erolabel");
	probe_is(sizeof(sb), "erofs", "erolabel", UUID_STR, "probe erofs");
	probe_is(1024 + 80, "erofs", "erolabel", UUID_STR, "probe erofs from 1104 bytes");
	probe_is(1024 + 79, NULL, NULL, NULL, "probe erofs from 1103 bytes");

	make_squashfs();
	probe_is(sizeof(sb), "squashfs", "", "", "probe squashfs");
	probe_is(4, "squashfs", "", "", "probe squashfs from 4 bytes");
	probe_is(3, NULL, NULL, NULL, "probe squashfs from 3 bytes");

	memset(sb, 0, sizeof(sb));
	probe_is(sizeof(sb), NULL, NULL, NULL, "probe zeros");
	probe_is(0, NULL, NULL, NULL, "probe nothing");
	memset(sb, 0xff, sizeof(sb));
	probe_is(sizeof(sb), NULL, NULL, NULL, "probe 0xff bytes");

	/* The ext4 magic is two bytes at 1080: other filesystems can have
	 * them there by chance, and their own longer magic must win. */
	make_erofs("e");
	sb[1024 + 56] = 0x53, sb[1024 + 57] = 0xEF;	/* bytes 8, 9 of the erofs UUID */
	{
		struct probe p;
		probe_buffer(sb, sizeof(sb), &p);
		ok(!strcmp(p.type, "erofs"), "probe: erofs whose UUID holds 53 ef at byte 1080 is erofs (got %s)", p.type);
		make_squashfs();
		sb[1024 + 56] = 0x53, sb[1024 + 57] = 0xEF;
		probe_buffer(sb, sizeof(sb), &p);
		ok(!strcmp(p.type, "squashfs"), "probe: squashfs with 53 ef at byte 1080 is squashfs (got %s)", p.type);
		make_xfs("x");
		sb[1024 + 56] = 0x53, sb[1024 + 57] = 0xEF;
		probe_buffer(sb, sizeof(sb), &p);
		ok(!strcmp(p.type, "xfs"), "probe: xfs with 53 ef at byte 1080 is xfs (got %s)", p.type);
	}
}

/* Real images, made by the filesystem tools at test time. */
static char imgdir[PATH_MAX];

static int have(const char *tool)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "command -v %s >/dev/null 2>&1", tool);
	return system(cmd) == 0;
}

static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int sh(const char *fmt, ...)
{
	char cmd[2048];
	va_list ap;
	int rc;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	fflush(stdout);
	rc = system(cmd);
	if (rc != 0)
		diag("failed (%d): %s", rc, cmd);
	return rc;
}

static void probe_file(const char *file, const char *type, const char *label, const char *uuid, const char *desc)
{
	char path[PATH_MAX];
	struct probe p;
	int rc;

	must_path(path, sizeof(path), "%s/%s", imgdir, file);
	memset(&p, 0x5a, sizeof(p));
	rc = probe_path(path, &p);
	if (!ok(rc == 0 && !strcmp(p.type, type) && (!label || !strcmp(p.label, label)) &&
	        (!uuid || !strcasecmp(p.uuid, uuid)), "%s: %s%s%s", desc, type, label ? " label " : "", label ? label : ""))
		diag("rc %d, type '%.16s', label '%.64s', uuid '%.40s'", rc, p.type, p.label, p.uuid);
}

static void test_probe_images(void)
{
	const char *tmp = getenv("TMPDIR");
	struct probe p;
	char path[PATH_MAX];

	snprintf(imgdir, sizeof(imgdir), "%s/unit-probe.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(imgdir)) {
		skip("no temporary directory", "probe real images");
		return;
	}
	sh("mkdir -p %s/tree/dir && echo hello >%s/tree/dir/file", imgdir, imgdir);

	if (have("mkfs.ext4") && !sh("truncate -s 4M %s/ext4.img && mkfs.ext4 -q -F -L lbl -U " UUID_STR
	                             " %s/ext4.img >/dev/null 2>&1", imgdir, imgdir))
		probe_file("ext4.img", "ext4", "lbl", UUID_STR, "mkfs.ext4 image");
	else
		skip("no mkfs.ext4", "mkfs.ext4 image");
	if (have("mkfs.ext4") && !sh("truncate -s 4M %s/ext4l.img && mkfs.ext4 -q -F -L 0123456789abcdef "
	                             "%s/ext4l.img >/dev/null 2>&1", imgdir, imgdir))
		probe_file("ext4l.img", "ext4", "0123456789abcdef", NULL, "mkfs.ext4 image with a 16-byte label");
	else
		skip("no mkfs.ext4", "mkfs.ext4 image with a 16-byte label");
	if (have("mkfs.ext2") && !sh("truncate -s 2M %s/ext2.img && mkfs.ext2 -q -F -L old "
	                             "%s/ext2.img >/dev/null 2>&1", imgdir, imgdir))
		probe_file("ext2.img", "ext4", "old", NULL, "mkfs.ext2 image (mounted by the ext4 driver)");
	else
		skip("no mkfs.ext2", "mkfs.ext2 image");

	if (have("mksquashfs") && !sh("mksquashfs %s/tree %s/sq.img -noappend -quiet -no-progress >/dev/null 2>&1",
	                              imgdir, imgdir))
		probe_file("sq.img", "squashfs", "", "", "mksquashfs image");
	else
		skip("no mksquashfs", "mksquashfs image");

	if (have("mkfs.erofs")) {
		/* older erofs-utils have no -L */
		int labelled = system("mkfs.erofs --help 2>&1 | grep -q -- '^ *-L'") == 0 &&
		               !sh("mkfs.erofs -Llbl -U" UUID_STR " %s/erofs.img %s/tree >/dev/null 2>&1",
		                   imgdir, imgdir);
		if (labelled || !sh("mkfs.erofs -U" UUID_STR " %s/erofs.img %s/tree >/dev/null 2>&1", imgdir, imgdir))
			probe_file("erofs.img", "erofs", labelled ? "lbl" : "", UUID_STR, "mkfs.erofs image");
		else
			skip("mkfs.erofs failed", "mkfs.erofs image");
		/* a UUID whose bytes 8 and 9 are the ext4 magic */
		if (!sh("mkfs.erofs -U01234567-89ab-cdef-53ef-0123456789ab %s/erofs2.img %s/tree >/dev/null 2>&1",
		        imgdir, imgdir)) {
			must_path(path, sizeof(path), "%s/erofs2.img", imgdir);
			memset(&p, 0, sizeof(p));
			probe_path(path, &p);
			ok(!strcmp(p.type, "erofs"), "mkfs.erofs image with UUID ....-53ef-... is erofs (got %s)", p.type);
		} else {
			skip("mkfs.erofs failed", "mkfs.erofs image with UUID ....-53ef-...");
		}
	} else {
		skip("no mkfs.erofs", "mkfs.erofs image");
		skip("no mkfs.erofs", "mkfs.erofs image with UUID ....-53ef-...");
	}

	if (have("mkfs.btrfs") && !sh("truncate -s 128M %s/btrfs.img && mkfs.btrfs -q -f -L lbl -U " UUID_STR
	                              " %s/btrfs.img >/dev/null 2>&1", imgdir, imgdir))
		probe_file("btrfs.img", "btrfs", "lbl", UUID_STR, "mkfs.btrfs image");
	else
		skip("no mkfs.btrfs", "mkfs.btrfs image");
	if (have("mkfs.xfs") && !sh("truncate -s 300M %s/xfs.img && mkfs.xfs -q -f -L lbl -m uuid=" UUID_STR
	                            " %s/xfs.img >/dev/null 2>&1", imgdir, imgdir))
		probe_file("xfs.img", "xfs", "lbl", UUID_STR, "mkfs.xfs image");
	else
		skip("no mkfs.xfs", "mkfs.xfs image");

	must_path(path, sizeof(path), "%s/missing.img", imgdir);
	ok(probe_path(path, &p) == -1, "probe_path: a missing file");
	must_path(path, sizeof(path), "%s/tree", imgdir);
	ok(probe_path(path, &p) == -1, "probe_path: a directory");
	must_path(path, sizeof(path), "%s/tree/dir/file", imgdir);
	ok(probe_path(path, &p) == -1, "probe_path: a short text file");
	must_path(path, sizeof(path), "%s/empty", imgdir);
	sh("touch %s", path);
	ok(probe_path(path, &p) == -1, "probe_path: an empty file");

	sh("rm -rf %s", imgdir);
}
#endif /* PROBE_SIZE */

/* ---------- seccomp profiles and the cgroup device program (OCI) ---------- */

#if WITH_OCI
#include "lib/bpf-run.h"

static struct seccomp_profile tp;
static struct sock_filter tf[BPF_MAXINSNS];

static uint32_t verdict(int nr, uint32_t arch, const uint64_t *args)
{
	struct seccomp_data d = { .nr = nr, .arch = arch };
	int n = seccomp_compile(&tp, tf, LEN(tf));

	if (args)
		memcpy(d.args, args, sizeof(d.args));
	return n < 0 ? 0xbad : bpf_run(tf, n, &d);
}

static int cond_holds(int op, uint64_t a, uint64_t v, uint64_t v2)
{
	switch (op) {
	case SC_NE: return a != v;
	case SC_LT: return a < v;
	case SC_LE: return a <= v;
	case SC_EQ: return a == v;
	case SC_GE: return a >= v;
	case SC_GT: return a > v;
	default: return (a & v) == v2;
	}
}

static void profile_reset(uint32_t def)
{
	memset(&tp, 0, sizeof(tp));
	tp.set = 1;
	tp.def = def;
}

static int add_cond(int index, int op, uint64_t v, uint64_t v2)
{
	tp.cond[tp.nconds] = (struct sc_cond){ (uint8_t)index, (uint8_t)op, v, v2 };
	return tp.nconds++;
}

static void test_seccomp_names(void)
{
	static const char *const ops[] = { "SCMP_CMP_NE", "SCMP_CMP_LT", "SCMP_CMP_LE", "SCMP_CMP_EQ",
	                                   "SCMP_CMP_GE", "SCMP_CMP_GT", "SCMP_CMP_MASKED_EQ" };
	uint32_t act = 0;
	size_t i;

	is_ll(syscall_number("read"), SYS_read, "syscall_number(read)");
	is_ll(syscall_number("openat"), SYS_openat, "syscall_number(openat)");
	is_ll(syscall_number("clone3"), SYS_clone3, "syscall_number(clone3)");
	is_ll(syscall_number("personality"), SYS_personality, "syscall_number(personality)");
	is_ll(syscall_number("_llseek"), -1, "syscall_number(_llseek): none on x86_64");
	is_ll(syscall_number("arm_fadvise64_64"), -1, "syscall_number(arm_fadvise64_64): none on x86_64");
	is_ll(syscall_number(""), -1, "syscall_number(\"\")");
	is_ll(syscall_number("rea"), -1, "syscall_number(rea): no prefix match");
	ok(SYSCALL_COUNT > 300, "the generated table reaches syscall %d", SYSCALL_COUNT - 1);
	is_ll(syscall_number("set_mempolicy"), SYS_set_mempolicy, "syscall_number(set_mempolicy): past a gap");

	ok(!seccomp_action("SCMP_ACT_ALLOW", -1, &act) && act == SECCOMP_RET_ALLOW, "SCMP_ACT_ALLOW");
	ok(!seccomp_action("SCMP_ACT_ERRNO", -1, &act) && act == (SECCOMP_RET_ERRNO | EPERM), "SCMP_ACT_ERRNO: EPERM by default");
	ok(!seccomp_action("SCMP_ACT_ERRNO", 38, &act) && act == (SECCOMP_RET_ERRNO | 38), "SCMP_ACT_ERRNO with errnoRet 38");
	ok(!seccomp_action("SCMP_ACT_ERRNO", 0, &act) && act == SECCOMP_RET_ERRNO, "SCMP_ACT_ERRNO with errnoRet 0");
	ok(!seccomp_action("SCMP_ACT_TRACE", 7, &act) && act == (SECCOMP_RET_TRACE | 7), "SCMP_ACT_TRACE with errnoRet 7");
	ok(!seccomp_action("SCMP_ACT_KILL", -1, &act) && act == SECCOMP_RET_KILL_THREAD, "SCMP_ACT_KILL kills the thread");
	ok(!seccomp_action("SCMP_ACT_KILL_THREAD", -1, &act) && act == SECCOMP_RET_KILL_THREAD, "SCMP_ACT_KILL_THREAD");
	ok(!seccomp_action("SCMP_ACT_KILL_PROCESS", -1, &act) && act == SECCOMP_RET_KILL_PROCESS, "SCMP_ACT_KILL_PROCESS");
	ok(!seccomp_action("SCMP_ACT_TRAP", -1, &act) && act == SECCOMP_RET_TRAP, "SCMP_ACT_TRAP");
	ok(!seccomp_action("SCMP_ACT_LOG", -1, &act) && act == SECCOMP_RET_LOG, "SCMP_ACT_LOG");
	ok(seccomp_action("SCMP_ACT_NOTIFY", -1, &act) != NULL, "SCMP_ACT_NOTIFY is refused");
	ok(seccomp_action("SCMP_ACT_ALLOWED", -1, &act) != NULL, "an unknown action is refused");
	ok(seccomp_action("SCMP_ACT_ERRNO", 65536, &act) != NULL, "errnoRet 65536 is refused");
	for (i = 0; i < LEN(ops); i++)
		is_ll(seccomp_op(ops[i]), (long long)i, ops[i]);
	is_ll(seccomp_op("SCMP_CMP_MASKED"), -1, "seccomp_op: unknown");
	ok(seccomp_flag("SECCOMP_FILTER_FLAG_LOG") == SECCOMP_FILTER_FLAG_LOG, "SECCOMP_FILTER_FLAG_LOG");
	ok(seccomp_flag("SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV") == 0, "WAIT_KILLABLE_RECV is refused");
}

/* Every operator on the two halves of 64-bit arguments, against C's
 * unsigned comparison, on edge values and random ones. */
static void test_seccomp_conditions(void)
{
	static const uint64_t edge[] = { 0, 1, 2, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff,
	                                 0x100000000, 0x100000001, 0x1ffffffff, 0xffffffff00000000,
	                                 0x8000000000000000, 0xfffffffffffffffe, 0xffffffffffffffff };
	static const char *const names[] = { "NE", "LT", "LE", "EQ", "GE", "GT", "MASKED_EQ" };
	uint64_t vals[LEN(edge) + 6], args[6] = { 0 };
	unsigned seed = 12345;
	size_t i, j, k, bad, tried;
	int op, index;

	for (i = 0; i < LEN(vals); i++) {
		vals[i] = i < LEN(edge) ? edge[i] : 0;
		for (k = 0; i >= LEN(edge) && k < 4; k++)
			vals[i] = vals[i] << 16 | (rand_r(&seed) & 0xffff);
	}
	for (op = SC_NE; op <= SC_MASKED_EQ; op++) {
		bad = tried = 0;
		for (i = 0; i < LEN(vals); i++)
			for (k = 0; k < (op == SC_MASKED_EQ ? 4 : 1); k++) {
				uint64_t v2 = op == SC_MASKED_EQ ? vals[i] & vals[(i + k * 3) % LEN(vals)] : 0;

				index = (int)(i % 6);
				profile_reset(SECCOMP_RET_ALLOW);
				seccomp_add(&tp, "personality", SECCOMP_RET_ERRNO | 1, add_cond(index, op, vals[i], v2), 1);
				for (j = 0; j < LEN(vals); j++) {
					uint32_t want = cond_holds(op, vals[j], vals[i], v2) ? SECCOMP_RET_ERRNO | 1 : SECCOMP_RET_ALLOW;

					args[index] = vals[j];
					bad += verdict(SYS_personality, AUDIT_ARCH_X86_64, args) != want;
					args[index] = 0;
					tried++;
				}
			}
		ok(!bad, "SCMP_CMP_%s on 64-bit arguments: %zu of %zu comparisons right", names[op], tried - bad, tried);
	}
}

static void test_seccomp_rules(void)
{
	uint64_t args[6] = { 0 };
	uint32_t e1 = SECCOMP_RET_ERRNO | 1, e2 = SECCOMP_RET_ERRNO | 2;
	int c, i, n;

	/* socket(AF_NETLINK, *, NETLINK_AUDIT) denied, other sockets allowed */
	profile_reset(SECCOMP_RET_ERRNO | 38);
	c = add_cond(0, SC_EQ, 16, 0);
	add_cond(2, SC_EQ, 9, 0);
	seccomp_add(&tp, "socket", SECCOMP_RET_ERRNO | 22, c, 2);
	seccomp_add(&tp, "socket", SECCOMP_RET_ALLOW, add_cond(2, SC_NE, 9, 0), 1);
	seccomp_add(&tp, "socket", SECCOMP_RET_ALLOW, add_cond(0, SC_NE, 16, 0), 1);
	seccomp_add(&tp, "getpid", SECCOMP_RET_ALLOW, 0, 0);
	args[0] = 16, args[2] = 9;
	is_ll(verdict(SYS_socket, AUDIT_ARCH_X86_64, args), SECCOMP_RET_ERRNO | 22, "two conditions ANDed: both hold");
	args[2] = 0;
	is_ll(verdict(SYS_socket, AUDIT_ARCH_X86_64, args), SECCOMP_RET_ALLOW, "two conditions ANDed: one fails");
	is_ll(verdict(SYS_getpid, AUDIT_ARCH_X86_64, NULL), SECCOMP_RET_ALLOW, "an unconditional rule");
	is_ll(verdict(SYS_getppid, AUDIT_ARCH_X86_64, NULL), SECCOMP_RET_ERRNO | 38, "an unnamed syscall gets the default action");
	is_ll(verdict(SYS_socket, AUDIT_ARCH_I386, args), SECCOMP_RET_KILL_PROCESS, "another architecture is killed");
	is_ll(verdict(SYS_getpid | 0x40000000, AUDIT_ARCH_X86_64, NULL), SECCOMP_RET_ERRNO | ENOSYS, "x32 gets ENOSYS");
	is_ll(verdict(SYS_socket + 100, AUDIT_ARCH_X86_64, NULL), SECCOMP_RET_ERRNO | ENOSYS,
	      "a syscall above the highest named gets ENOSYS when the default denies");
	profile_reset(SECCOMP_RET_ALLOW);
	seccomp_add(&tp, "getpid", e1, 0, 0);
	is_ll(verdict(SYS_getpid + 300, AUDIT_ARCH_X86_64, NULL), SECCOMP_RET_ALLOW, "... and the default when it allows");

	/* personality(0), personality(8) allowed (ORed), others denied */
	profile_reset(e1);
	seccomp_add(&tp, "personality", SECCOMP_RET_ALLOW, add_cond(0, SC_EQ, 0, 0), 1);
	seccomp_add(&tp, "personality", SECCOMP_RET_ALLOW, add_cond(0, SC_EQ, 8, 0), 1);
	args[0] = 0;
	is_ll(verdict(SYS_personality, AUDIT_ARCH_X86_64, args), SECCOMP_RET_ALLOW, "rules ORed: the first");
	args[0] = 8;
	is_ll(verdict(SYS_personality, AUDIT_ARCH_X86_64, args), SECCOMP_RET_ALLOW, "rules ORed: the second");
	args[0] = 9;
	is_ll(verdict(SYS_personality, AUDIT_ARCH_X86_64, args), e1, "rules ORed: none holds, the default");

	/* several rules for one syscall combine as libseccomp's under runc */
	profile_reset(e1);
	seccomp_add(&tp, "uname", SECCOMP_RET_ALLOW, 0, 0);
	seccomp_add(&tp, "uname", e2, 0, 0);
	seccomp_add(&tp, "uname", e2, add_cond(0, SC_EQ, 0, 0), 1);
	is_ll(verdict(SYS_uname, AUDIT_ARCH_X86_64, NULL), SECCOMP_RET_ALLOW, "the first rule without conditions decides");
	seccomp_add(&tp, "kill", e2, add_cond(1, SC_EQ, 9, 0), 1);
	seccomp_add(&tp, "kill", SECCOMP_RET_LOG, 0, 0);
	args[0] = 0, args[1] = 9;
	is_ll(verdict(SYS_kill, AUDIT_ARCH_X86_64, args), SECCOMP_RET_LOG, "... and drops the conditional rules before it");
	seccomp_add(&tp, "getpid", e1, 0, 0);
	seccomp_add(&tp, "getpid", SECCOMP_RET_ALLOW, 0, 0);
	is_ll(verdict(SYS_getpid, AUDIT_ARCH_X86_64, NULL), SECCOMP_RET_ALLOW, "a rule with the default action is left out");
	seccomp_add(&tp, "personality", e2, add_cond(0, SC_EQ, 1, 0), 1);
	seccomp_add(&tp, "personality", SECCOMP_RET_ALLOW, add_cond(1, SC_EQ, 0, 0), 1);
	args[0] = 1, args[1] = 0;
	is_ll(verdict(SYS_personality, AUDIT_ARCH_X86_64, args), SECCOMP_RET_ALLOW,
	      "both conditional rules hold: the one on the later argument decides");
	args[1] = 5;
	is_ll(verdict(SYS_personality, AUDIT_ARCH_X86_64, args), e2, "... only the earlier one holds: it decides");
	profile_reset(SECCOMP_RET_ALLOW);
	seccomp_add(&tp, "personality", SECCOMP_RET_LOG, add_cond(0, SC_LT, 5, 0), 1);
	seccomp_add(&tp, "personality", e2, add_cond(0, SC_EQ, 1, 0), 1);
	args[0] = 1;
	is_ll(verdict(SYS_personality, AUDIT_ARCH_X86_64, args), e2, "on the same argument, the more restrictive action");
	args[0] = 2;
	is_ll(verdict(SYS_personality, AUDIT_ARCH_X86_64, args), SECCOMP_RET_LOG, "... and the other where only it holds");

	is_ll(seccomp_add(&tp, "arm_fadvise64_64", e1, 0, 0), 1, "seccomp_add: a name unknown here is skipped");

	/* many conditional rules on one syscall: past a conditional jump's reach */
	profile_reset(e1);
	for (i = 0; i < 60; i++)
		seccomp_add(&tp, "personality", SECCOMP_RET_ALLOW, add_cond(0, SC_EQ, (uint64_t)i * 3, 0), 1);
	seccomp_add(&tp, "getpid", SECCOMP_RET_ALLOW, 0, 0);
	args[0] = 177;
	is_ll(verdict(SYS_personality, AUDIT_ARCH_X86_64, args), SECCOMP_RET_ALLOW, "a syscall with 60 rules: the last");
	args[0] = 178;
	is_ll(verdict(SYS_personality, AUDIT_ARCH_X86_64, args), e1, "a syscall with 60 rules: none");
	is_ll(verdict(SYS_getpid, AUDIT_ARCH_X86_64, NULL), SECCOMP_RET_ALLOW, "the syscall after it");

	/* every syscall of the table allowed: one JEQ and one RET each */
	profile_reset(e1);
	{
		const char *p = syscall_names;

		for (i = 0; i < SYSCALL_COUNT; i++, p += strlen(p) + 1)
			if (*p)
				tp.rule[tp.nrules++] = (struct sc_rule){ (uint16_t)i, 0, 0, SECCOMP_RET_ALLOW };
	}
	n = seccomp_compile(&tp, tf, LEN(tf));
	ok(n > 0 && n < BPF_MAXINSNS, "every syscall named: %d instructions", n);
	is_ll(verdict(SYS_read, AUDIT_ARCH_X86_64, NULL), SECCOMP_RET_ALLOW, "... read allowed");

	/* too long for the kernel */
	profile_reset(e1);
	c = add_cond(0, SC_MASKED_EQ, 1, 1);
	for (i = 0; i < 5; i++)
		add_cond(i + 1, SC_MASKED_EQ, 1, 1);
	for (i = 0; i < MAX_SC_RULES; i++)
		tp.rule[tp.nrules++] = (struct sc_rule){ (uint16_t)(i % 400), (uint16_t)c, 6, SECCOMP_RET_ALLOW };
	is_ll(seccomp_compile(&tp, tf, LEN(tf)), -1, "a profile over BPF_MAXINSNS instructions: -1");
}

/* The kernel runs what seccomp_compile makes: a child installs a profile
 * and reports what its syscalls returned. */
static void test_seccomp_kernel(void)
{
	int fds[2], status = 0;
	long r[4] = { 0 };
	pid_t pid;

	profile_reset(SECCOMP_RET_ALLOW);
	seccomp_add(&tp, "getppid", SECCOMP_RET_ERRNO | 42, 0, 0);
	seccomp_add(&tp, "personality", SECCOMP_RET_ERRNO | 7, add_cond(0, SC_EQ, 0xffffffffull, 0), 1);
	if (pipe(fds) < 0 || (pid = fork()) < 0) {
		ok(0, "pipe, fork");
		return;
	}
	if (pid == 0) {
		close(fds[0]);
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
			_Exit(3);
		install_profile(&tp);
		r[0] = syscall(SYS_getppid) < 0 ? errno : 0;
		r[1] = syscall(SYS_personality, 0xffffffffUL) < 0 ? errno : 0;
		r[2] = syscall(SYS_personality, 0xfffffffeUL) < 0 ? errno : -1;
		r[3] = syscall(SYS_getpid) > 0;
		if (write(fds[1], r, sizeof(r)) != sizeof(r))
			_Exit(4);
		_Exit(0);
	}
	close(fds[1]);
	if (read(fds[0], r, sizeof(r)) != sizeof(r))
		r[0] = -1;
	close(fds[0]);
	waitpid(pid, &status, 0);
	is_ll(r[0], 42, "kernel: getppid denied with errnoRet 42");
	is_ll(r[1], 7, "kernel: personality(0xffffffff) denied with errnoRet 7");
	ok(r[2] != 7, "kernel: personality(0xfffffffe) not denied");
	is_ll(r[3], 1, "kernel: getpid allowed");
	is_ll(status, 0, "kernel: the child ran to its end");
}
/* map_seccomp or map_devices (DEV) on TEXT: -1 when it returned, else the
 * exit code of its die(); what it printed in OUT. */
static int try_map(const char *text, int dev, char *out, size_t size)
{
	static struct jtok tok[4096];
	struct json j;
	jmp_buf jb;
	volatile int rc = -1;

	memset(&j, 0, sizeof(j));
	out[0] = '\0';
	if (json_parse(&j, text, strlen(text), tok, LEN(tok)) < 0)
		return -2;
	quiet_begin();
	catcher = &jb;
	if (!setjmp(jb)) {
#if WITH_CGROUPS
		static struct dev_rules d;

		memset(&d, 0, sizeof(d));
		if (dev)
			map_devices(&j, 0, &d);
		else
#endif
			map_seccomp(&j, 0, &tp);
	} else {
		rc = caught;
	}
	catcher = NULL;
	quiet_end(out, size);
	(void)dev;
	return rc;
}

static void test_seccomp_map(void)
{
	static const char good[] =
		"{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"defaultErrnoRet\":38,"
		"\"architectures\":[\"SCMP_ARCH_X86_64\",\"SCMP_ARCH_X86\",\"SCMP_ARCH_X32\"],"
		"\"flags\":[\"SECCOMP_FILTER_FLAG_SPEC_ALLOW\"],\"syscalls\":["
		"{\"names\":[\"getppid\",\"_llseek\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":42},"
		"{\"names\":[\"personality\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":[{\"index\":0,"
		"\"value\":18446744073709551615,\"valueTwo\":0,\"op\":\"SCMP_CMP_EQ\"}]},"
		"{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\",\"args\":null}]}";
	static const struct { const char *text, *want; } bad[] = {
		{ "{\"defaultAction\":\"SCMP_ACT_NOTIFY\"}", "SCMP_ACT_NOTIFY: needs a seccomp agent" },
		{ "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"listenerPath\":\"/run/agent.sock\"}", "listenerPath" },
		{ "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"read\"],\"action\":\"SCMP_ACT_NOTIFY\"}]}",
		  "SCMP_ACT_NOTIFY" },
		{ "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ERRNO\","
		  "\"errnoRet\":70000}]}", "errnoRet" },
		{ "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\","
		  "\"args\":[{\"index\":6,\"value\":1,\"op\":\"SCMP_CMP_EQ\"}]}]}", "index" },
		{ "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\","
		  "\"args\":[{\"index\":0,\"value\":-1,\"op\":\"SCMP_CMP_EQ\"}]}]}", "value" },
		{ "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\","
		  "\"args\":[{\"index\":0,\"value\":1,\"op\":\"SCMP_CMP_MASKED\"}]}]}", "op" },
		{ "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\","
		  "\"excludes\":{\"caps\":[\"CAP_SYS_ADMIN\"]}}]}", "unknown field 'excludes'" },
		{ "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"flags\":[\"SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV\"]}", "flags" },
		{ "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"architectures\":[\"x86_64\"]}", "architectures" },
		{ "{\"defaultErrnoRet\":1}", "defaultAction" },
		{ "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":\"read\",\"action\":\"SCMP_ACT_ALLOW\"}]}",
		  "names" },
		{ "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"read\"],\"action\":\"SCMP_ACT_ALLOW\","
		  "\"args\":[{\"index\":0,\"value\":1,\"op\":\"SCMP_CMP_EQ\"},{\"index\":1,\"value\":1,\"op\":\"SCMP_CMP_EQ\"},"
		  "{\"index\":2,\"value\":1,\"op\":\"SCMP_CMP_EQ\"},{\"index\":3,\"value\":1,\"op\":\"SCMP_CMP_EQ\"},"
		  "{\"index\":4,\"value\":1,\"op\":\"SCMP_CMP_EQ\"},{\"index\":5,\"value\":1,\"op\":\"SCMP_CMP_EQ\"},"
		  "{\"index\":0,\"value\":2,\"op\":\"SCMP_CMP_EQ\"}]}]}", "more than 6" },
		{ "[]", "not an object" },
		{ "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":{}}", "not an array" },
	};
	uint64_t args[6] = { 0 };
	char out[512];
	size_t i;
	int rc;

	rc = try_map(good, 0, out, sizeof(out));
	ok(rc == -1 && tp.set && !tp.none, "map_seccomp: a profile with every kind of field");
	is_ll(tp.nrules, 3, "map_seccomp: _llseek (none on x86_64) skipped");
	is_ll(tp.flags, SECCOMP_FILTER_FLAG_SPEC_ALLOW, "map_seccomp: flags");
	is_ll(tp.def, SECCOMP_RET_ERRNO | 38, "map_seccomp: defaultErrnoRet");
	is_ll(verdict(SYS_getppid, AUDIT_ARCH_X86_64, NULL), SECCOMP_RET_ERRNO | 42, "map_seccomp: errnoRet");
	args[0] = UINT64_MAX;
	is_ll(verdict(SYS_personality, AUDIT_ARCH_X86_64, args), SECCOMP_RET_ALLOW, "map_seccomp: a value of 2^64-1");
	args[0] = 0xffffffff;
	is_ll(verdict(SYS_personality, AUDIT_ARCH_X86_64, args), SECCOMP_RET_ERRNO | 38, "map_seccomp: ... only that value");
	for (i = 0; i < LEN(bad); i++) {
		rc = try_map(bad[i].text, 0, out, sizeof(out));
		if (!ok(rc == 1 && !strncmp(out, "container: config.json: linux.seccomp", 37) && strstr(out, bad[i].want) &&
		        strchr(out, '\n') == out + strlen(out) - 1, "map_seccomp refuses %s", show(bad[i].text)))
			diag("exit %d, said: %s", rc, out);
	}
	{
		static struct jtok tok[4];
		struct json j;

		memset(&j, 0, sizeof(j));
		json_parse(&j, "{}", 2, tok, LEN(tok));
		map_seccomp(&j, json_get(&j, 0, "seccomp"), &tp);
		ok(tp.set && tp.none, "map_seccomp: no linux.seccomp, no filter (as runc)");
	}
}

#if WITH_CGROUPS
static void test_devices_map(void)
{
	static const struct { const char *text, *want; } bad[] = {
		{ "[{\"allow\":true,\"type\":\"x\"}]", "type" },
		{ "[{\"allow\":true,\"type\":\"c\",\"access\":\"rwx\"}]", "access" },
		{ "[{\"allow\":true,\"type\":\"c\",\"major\":\"1\"}]", "major" },
		{ "[{\"allow\":\"yes\"}]", "allow" },
		{ "[{\"allow\":true,\"path\":\"/dev/x\"}]", "unknown field 'path'" },
		{ "{}", "not an array" },
	};
	char out[512];
	size_t i;
	int rc;

	rc = try_map("[{\"allow\":false,\"access\":\"rwm\"},{\"allow\":true,\"type\":\"c\",\"major\":1,\"minor\":-1,"
	             "\"access\":\"rw\"},{\"allow\":true,\"type\":\"b\",\"major\":8,\"minor\":0,\"access\":\"r\"}]",
	             1, out, sizeof(out));
	is_ll(rc, -1, "map_devices: containerd's and runc's shapes of rules");
	for (i = 0; i < LEN(bad); i++) {
		rc = try_map(bad[i].text, 1, out, sizeof(out));
		if (!ok(rc == 1 && !strncmp(out, "container: config.json: linux.resources.devices", 47) &&
		        strstr(out, bad[i].want), "map_devices refuses %s", show(bad[i].text)))
			diag("exit %d, said: %s", rc, out);
	}
}
#endif
#endif /* WITH_OCI */

#if WITH_OCI && WITH_CGROUPS
/* An eBPF interpreter for what dev_compile emits; -1 on what it does not know. */
static long ebpf_run(const struct bpf_insn *p, int n, const uint32_t ctx[3])
{
	uint64_t r[11] = { 0 };
	int pc;

	for (pc = 0; pc >= 0 && pc < n; pc++) {
		const struct bpf_insn *i = &p[pc];

		switch (i->code) {
		case BPF_LDX | BPF_W | BPF_MEM:
			if (i->src_reg != 1 || i->off < 0 || i->off > 8 || i->off % 4)
				return -1;
			r[i->dst_reg] = ctx[i->off / 4];
			break;
		case BPF_ALU | BPF_MOV | BPF_X: r[i->dst_reg] = (uint32_t)r[i->src_reg]; break;
		case BPF_ALU | BPF_AND | BPF_K: r[i->dst_reg] = (uint32_t)r[i->dst_reg] & (uint32_t)i->imm; break;
		case BPF_ALU | BPF_RSH | BPF_K: r[i->dst_reg] = (uint32_t)r[i->dst_reg] >> i->imm; break;
		case BPF_ALU64 | BPF_MOV | BPF_K: r[i->dst_reg] = (uint64_t)(int64_t)i->imm; break;
		case BPF_JMP | BPF_JNE | BPF_K:
			if (r[i->dst_reg] != (uint64_t)(int64_t)i->imm)
				pc += i->off;
			break;
		case BPF_JMP | BPF_EXIT: return (long)r[0];
		default: return -1;
		}
	}
	return -1;
}

static int dev_allowed(const struct dev_rules *d, char type, int acc, int major, int minor)
{
	static struct bpf_insn prog[4096];
	uint32_t ctx[3] = { (uint32_t)(acc << 16 | (type == 'b' ? BPF_DEVCG_DEV_BLOCK : BPF_DEVCG_DEV_CHAR)),
	                    (uint32_t)major, (uint32_t)minor };
	int n = dev_compile(d, prog, LEN(prog));

	return n < 0 ? -2 : (int)ebpf_run(prog, n, ctx);
}

static void test_dev_program(void)
{
	struct dev_rules d = { 0 };
	const int R = BPF_DEVCG_ACC_READ, W = BPF_DEVCG_ACC_WRITE, M = BPF_DEVCG_ACC_MKNOD;
	static struct bpf_insn prog[4096];
	int n, fd;

	is_ll(dev_access("rwm"), R | W | M, "dev_access(rwm)");
	is_ll(dev_access("r"), R, "dev_access(r)");
	is_ll(dev_access("mw"), M | W, "dev_access(mw)");
	is_ll(dev_access(""), R | W | M, "dev_access(\"\"): all, as runc");
	is_ll(dev_access("rx"), -1, "dev_access(rx): refused");

	is_ll(dev_allowed(&d, 'c', R, 1, 3), 0, "no rule: denied");
	dev_rule_add(&d, 0, 'a', R | W | M, -1, -1);          /* deny all */
	dev_rule_add(&d, 1, 'c', R | W | M, 1, -1);           /* allow c 1:* */
	dev_rule_add(&d, 0, 'c', W, 1, 5);                    /* deny writing c 1:5 */
	dev_rule_add(&d, 1, 'b', R, 8, 0);                    /* allow reading b 8:0 */
	is_ll(dev_allowed(&d, 'c', R | W, 1, 3), 1, "c 1:3 rw allowed by c 1:* rwm");
	is_ll(dev_allowed(&d, 'c', M, 1, 9), 1, "c 1:9 m allowed by c 1:* rwm");
	is_ll(dev_allowed(&d, 'c', W, 1, 5), 0, "c 1:5 w denied by the later rule");
	is_ll(dev_allowed(&d, 'c', R, 1, 5), 1, "c 1:5 r allowed (the later rule is about w only)");
	is_ll(dev_allowed(&d, 'b', R, 1, 3), 0, "b 1:3 denied: the type differs");
	is_ll(dev_allowed(&d, 'b', R, 8, 0), 1, "b 8:0 r allowed");
	is_ll(dev_allowed(&d, 'b', R | W, 8, 0), 0, "b 8:0 rw denied: w is not in its access");
	is_ll(dev_allowed(&d, 'c', R, 4, 1), 0, "c 4:1 denied by deny all");
	dev_rule_add(&d, 1, 'a', R | W | M, -1, -1);
	is_ll(dev_allowed(&d, 'b', W, 8, 1), 1, "a final allow-all allows everything");

	n = dev_compile(&d, prog, LEN(prog));
	if (geteuid() != 0) {
		skip("not root", "the kernel's verifier accepts the device program");
		return;
	}
	memset(&d, 0, sizeof(d));
	fd = dev_load(&d);
	ok(fd >= 0, "the kernel's verifier accepts the empty device program");
	close(fd);
	d.n = 0;
	dev_rule_add(&d, 0, 'a', R | W | M, -1, -1);
	dev_rule_add(&d, 1, 'c', R | W, 1, -1);
	dev_rule_add(&d, 0, 'c', W, 1, 5);
	dev_rule_add(&d, 1, 'b', M, -1, 0);
	fd = dev_load(&d);
	ok(fd >= 0 && n > 0, "the kernel's verifier accepts a device program with every kind of rule");
	close(fd);
}
#endif

/* ---------- JSON reader ---------- */

#if WITH_OCI
static struct jtok utok[JSON_MAX_TOKENS];

/* json_parse of S (its strlen); the error in J->err. */
static int parse_json(struct json *j, const char *s)
{
	return json_parse(j, s, strlen(s), utok, JSON_MAX_TOKENS);
}

static void test_json_valid(void)
{
	static const char *const good[] = {
		"{}", "[]", "0", "-0", "1.5e-3", "\"\"", "true", "false", "null", " {\"a\" : [1, {\"b\":null}] } \n",
		"[\"\\u00e9\\ud83d\\ude00\\n\\/\"]", "{\"a\":1,\"b\":2}", "[[[[]]]]", "\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"",
	};
	struct json j;
	size_t i;

	for (i = 0; i < LEN(good); i++)
		if (!ok(parse_json(&j, good[i]) == 0, "json_parse accepts %s", show(good[i])))
			diag("%s", j.err);
}

static void test_json_invalid(void)
{
	static const struct { const char *in, *err; } bad[] = {
		{ "", "line 1 column 1: unexpected end of input" },
		{ "{", "unexpected end of input" },
		{ "{\"a\":1,}", "expected a string key" },
		{ "[1,]", "unexpected character" },
		{ "[1 2]", "expected ',' or ']'" },
		{ "{\"a\" 1}", "expected ':'" },
		{ "{\"a\":1 \"b\":2}", "expected ',' or '}'" },
		{ "{a:1}", "expected a string key" },
		{ "01", "invalid number" },
		{ "1.", "invalid number" },
		{ "1e", "invalid number" },
		{ "-", "invalid number" },
		{ ".5", "unexpected character" },
		{ "tru", "unexpected character" },
		{ "nul", "unexpected character" },
		{ "{} {}", "text after the value" },
		{ "[] x", "text after the value" },
		{ "\"abc", "unterminated string" },
		{ "\"a\tb\"", "control character in a string" },
		{ "\"\\x\"", "invalid escape" },
		{ "\"\\u12\"", "invalid escape" },
		{ "\"\\u0000\"", "\\u0000 in a string" },
		{ "\"\\udc00\"", "lone low surrogate" },
		{ "\"\\ud800\"", "lone high surrogate" },
		{ "\"\\ud800\\u0041\"", "lone high surrogate" },
		{ "\"\xff\"", "invalid UTF-8" },
		{ "\"\xc0\xaf\"", "invalid UTF-8" },
		{ "\"\xed\xa0\x80\"", "invalid UTF-8" },
		{ "\"\xf4\x90\x80\x80\"", "invalid UTF-8" },
		{ "\"\xe2\x82\"", "invalid UTF-8" },
		{ "\xef\xbb\xbf{}", "unexpected character" },
		{ "// c\n{}", "unexpected character" },
		{ "{\"a\":1,\"a\":2}", "a key twice in one object" },
		{ "{\"x\":{},\n  \"x\":[]}", "line 2 column 3: a key twice in one object" },
		{ "[1]\n\n  ]", "line 3 column 3: text after the value" },
	};
	struct json j;
	size_t i;

	for (i = 0; i < LEN(bad); i++) {
		int rc = parse_json(&j, bad[i].in);

		if (!ok(rc == -1 && strstr(j.err, bad[i].err), "json_parse refuses %s: %s", show(bad[i].in), bad[i].err))
			diag("rc %d, err '%s'", rc, j.err);
	}
	ok(json_parse(&j, "{} x", 2, utok, JSON_MAX_TOKENS) == 0, "json_parse reads only LEN bytes");
	ok(json_parse(&j, "[\"a\0b\"]", 7, utok, JSON_MAX_TOKENS) == -1, "json_parse refuses a NUL byte in a string");
}

static void test_json_limits(void)
{
	static char deep[4 * JSON_MAX_DEPTH], big[JSON_MAX_SIZE + 16], many[4 * 64];
	struct jtok few[8];
	struct json j;
	int n;

	n = JSON_MAX_DEPTH;
	memset(deep, '[', (size_t)n);
	memset(deep + n, ']', (size_t)n);
	deep[2 * n] = '\0';
	ok(parse_json(&j, deep) == 0, "json_parse: %d arrays nested", n);
	memset(deep, '[', (size_t)n + 1);
	memset(deep + n + 1, ']', (size_t)n + 1);
	deep[2 * n + 2] = '\0';
	snprintf(many, sizeof(many), "line 1 column %d: nested deeper than %d", n + 1, n);
	is_str(parse_json(&j, deep) < 0 ? j.err : "", many, "json_parse: one level deeper is refused, where it starts");
	memset(big, ' ', sizeof(big) - 1);
	big[0] = '0';
	ok(json_parse(&j, big, JSON_MAX_SIZE, utok, JSON_MAX_TOKENS) == 0, "json_parse: %d bytes", JSON_MAX_SIZE);
	ok(json_parse(&j, big, JSON_MAX_SIZE + 1, utok, JSON_MAX_TOKENS) == -1 && strstr(j.err, "larger than"),
	   "json_parse: one byte more is refused");
	ok(json_parse(&j, "[1,2,3,4,5,6,7]", 15, few, 8) == 0 && j.ntok == 8, "json_parse: as many values as tokens");
	ok(json_parse(&j, "[1,2,3,4,5,6,7,8]", 17, few, 8) == -1 && strstr(j.err, "too many values"),
	   "json_parse: one value more than tokens is refused");
	strcpy(many, "{");
	for (n = 0; n < 40; n++)
		sprintf(many + strlen(many), "%s\"k%d\":%d", n ? "," : "", n, n);
	strcat(many, "}");
	ok(parse_json(&j, many) == 0 && utok[0].size == 40 && utok[0].next == 81, "json_parse: 40 distinct keys, size and next");
}

static void test_json_access(void)
{
	static const char doc[] =
		"{\"s\":\"a\\\"b\\\\c\\u00e9\\ud83d\\ude00\",\"n\":-42,\"big\":9223372036854775807,\"f\":1.5,\"e\":1e3,"
		"\"t\":true,\"no\":false,\"z\":null,\"arr\":[1,[2,3],{\"x\":4},5],\"o\":{\"k\":\"v\"},\"\\u0041\":1}";
	struct json j;
	long long v = 0;
	char buf[64];
	int arr, e, i, sum = 0;

	if (!ok(parse_json(&j, doc) == 0, "json: the access document parses"))
		return diag("%s", j.err);
	ok(json_str(&j, json_get(&j, 0, "s"), buf, sizeof(buf)) == 11 && !strcmp(buf, "a\"b\\c\xc3\xa9\xf0\x9f\x98\x80"),
	   "json_str unescapes quotes, backslashes, \\u to UTF-8 and surrogate pairs");
	ok(json_str(&j, json_get(&j, 0, "s"), buf, 11) == -1, "json_str: a buffer one byte short is refused");
	ok(json_str(&j, json_get(&j, 0, "s"), buf, 12) == 11, "json_str: a buffer just large enough");
	ok(json_str(&j, json_get(&j, 0, "n"), buf, sizeof(buf)) == -1, "json_str of a number is -1");
	ok(json_int(&j, json_get(&j, 0, "n"), -100, 100, &v) == 0 && v == -42, "json_int -42");
	ok(json_int(&j, json_get(&j, 0, "n"), 0, 100, &v) == -1, "json_int below MIN is refused");
	ok(json_int(&j, json_get(&j, 0, "big"), LLONG_MIN, LLONG_MAX, &v) == 0 && v == LLONG_MAX, "json_int of LLONG_MAX");
	ok(json_int(&j, json_get(&j, 0, "f"), LLONG_MIN, LLONG_MAX, &v) == -1, "json_int of 1.5 is refused");
	ok(json_int(&j, json_get(&j, 0, "e"), LLONG_MIN, LLONG_MAX, &v) == -1, "json_int of 1e3 is refused");
	ok(json_int(&j, json_get(&j, 0, "s"), LLONG_MIN, LLONG_MAX, &v) == -1, "json_int of a string is refused");
	ok(json_bool(&j, json_get(&j, 0, "t")) == 1 && json_bool(&j, json_get(&j, 0, "no")) == 0, "json_bool true, false");
	ok(json_bool(&j, json_get(&j, 0, "z")) == -1 && json_bool(&j, -1) == -1, "json_bool of null, of nothing");
	ok(json_get(&j, 0, "missing") == -1 && json_get(&j, json_get(&j, 0, "arr"), "x") == -1,
	   "json_get: a missing key, a key of an array");
	ok(json_get(&j, 0, "A") > 0, "json_get unescapes keys");
	ok(json_is(&j, json_get(&j, json_get(&j, 0, "o"), "k"), "v"), "json_get in a nested object");
	arr = json_get(&j, 0, "arr");
	JSON_EACH(&j, arr, e, i)
		if (j.tok[e].type == JSON_NUMBER && json_int(&j, e, 0, 9, &v) == 0)
			sum += (int)v;
	ok(i == 4 && sum == 6, "JSON_EACH skips nested members (4 members, 1 + 5)");
	sum = 0;
	JSON_EACH(&j, json_get(&j, 0, "o"), e, i)
		sum += json_is(&j, e, "k") && json_is(&j, e + 1, "v");
	ok(i == 1 && sum == 1, "JSON_EACH over an object: key and value");
}
#endif

#if WITH_BRIDGE
static void test_net(void)
{
	static const struct { const char *s; int rc; uint32_t ip; unsigned hport, port; int udp; } p[] = {
		{ "8080:80", 0, 0, 8080, 80, 0 }, { "127.0.0.1:18080:80", 0, 0x7f000001, 18080, 80, 0 },
		{ "53:53/udp", 0, 0, 53, 53, 1 }, { "1:65535/tcp", 0, 0, 1, 65535, 0 },
		{ "0:80", -1, 0, 0, 0, 0 }, { "70000:80", -1, 0, 0, 0, 0 }, { "80:0", -1, 0, 0, 0, 0 },
		{ "a:b", -1, 0, 0, 0, 0 }, { "80:80/", -1, 0, 0, 0, 0 }, { "80:80/sctp", -1, 0, 0, 0, 0 },
		{ "80", -1, 0, 0, 0, 0 }, { "host:80:80", -1, 0, 0, 0, 0 }, { "", -1, 0, 0, 0, 0 },
		{ ":80", -1, 0, 0, 0, 0 }, { "1.2.3.4::80", -1, 0, 0, 0, 0 },
	};
	static const struct { const char *s; int rc, prefix; uint32_t addr, gw; } ip[] = {
		{ "dhcp", 0, 0, 0, 0 }, { "10.0.2.15/24", 0, 24, 0x0a00020f, 0 },
		{ "10.0.2.15/24,10.0.2.2", 0, 24, 0x0a00020f, 0x0a000202 }, { "192.168.1.9/32", 0, 32, 0xc0a80109, 0 },
		{ "10.0.2.15", -1, 0, 0, 0 }, { "10.0.2.15/0", -1, 0, 0, 0 }, { "10.0.2.15/24,", -1, 0, 0, 0 },
		{ "/24", -1, 0, 0, 0 }, { "0.0.0.0/8", -1, 0, 0, 0 }, { "DHCP", -1, 0, 0, 0 },
	};
	struct publish pub;
	uint32_t a, gw, dns[2];
	int prefix;
	size_t i;

	for (i = 0; i < LEN(p); i++) {
		int rc = parse_publish(p[i].s, &pub);
		ok(rc == p[i].rc && (rc || (ntohl(pub.ip) == p[i].ip && pub.hport == p[i].hport &&
		   pub.port == p[i].port && pub.udp == p[i].udp)), "parse_publish('%s') is %d", p[i].s, p[i].rc);
	}
	for (i = 0; i < LEN(ip); i++) {
		int rc = parse_ipcfg(ip[i].s, &a, &prefix, &gw);
		ok(rc == ip[i].rc && (rc || (ntohl(a) == ip[i].addr && prefix == ip[i].prefix && ntohl(gw) == ip[i].gw)),
		   "parse_ipcfg('%s') is %d", ip[i].s, ip[i].rc);
	}
	ok(parse_dns("10.0.2.3", dns) == 0 && ntohl(dns[0]) == 0x0a000203 && !dns[1], "parse_dns: one server");
	ok(parse_dns("1.1.1.1,9.9.9.9", dns) == 0 && ntohl(dns[1]) == 0x09090909, "parse_dns: two servers");
	ok(parse_dns("1.1.1.1,", dns) < 0 && parse_dns("", dns) < 0 && parse_dns("a", dns) < 0, "parse_dns: bad input");
#if WITH_INIT
	{
		static const uint8_t mac[6] = { 0x52, 0x54, 0, 0x12, 0x34, 0x56 };
		struct dhcp m;
		struct lease l;
		uint8_t *o;

		dhcp_build(&m, DHCP_DISCOVER, mac, 42, 0, 0, 0);
		ok(m.op == 1 && m.flags == htons(0x8000) && m.opt[0] == 53 && m.opt[2] == DHCP_DISCOVER,
		   "dhcp_build: a broadcast DISCOVER");
		m.op = 2;
		m.yiaddr = htonl(0x0a00020f);
		o = m.opt;
		*o++ = 53, *o++ = 1, *o++ = DHCP_OFFER;
		*o++ = 1, *o++ = 4, *o++ = 255, *o++ = 255, *o++ = 255, *o++ = 0;
		*o++ = 0;  /* a pad */
		*o++ = 3, *o++ = 4, *o++ = 10, *o++ = 0, *o++ = 2, *o++ = 2;
		*o++ = 6, *o++ = 4, *o++ = 10, *o++ = 0, *o++ = 2, *o++ = 3;
		*o++ = 51, *o++ = 4, *o++ = 0, *o++ = 1, *o++ = 0x51, *o++ = 0x80;
		*o++ = 54, *o++ = 4, *o++ = 10, *o++ = 0, *o++ = 2, *o++ = 2;
		*o = 255;
		ok(dhcp_parse(&m, sizeof(m), 42, &l) == DHCP_OFFER && ntohl(l.addr) == 0x0a00020f && l.prefix == 24 &&
		   ntohl(l.router) == 0x0a000202 && ntohl(l.dns[0]) == 0x0a000203 && l.secs == 86400 &&
		   ntohl(l.server) == 0x0a000202, "dhcp_parse: an OFFER, every option");
		ok(dhcp_parse(&m, sizeof(m), 43, &l) == -1, "dhcp_parse: another xid is not ours");
		ok(dhcp_parse(&m, (size_t)(o - (uint8_t *)&m) - 3, 42, &l) == -1, "dhcp_parse: an option past the end");
		ok(dhcp_parse(&m, offsetof(struct dhcp, opt) - 1, 42, &l) == -1, "dhcp_parse: a short message");
	}
#endif
}
#endif
/* ---------- hardening: paths, atomic writes, back-off, modules.dep ---------- */

static void test_paths(void)
{
	char buf[8];

	ok(fmt_path(buf, sizeof(buf), "%s/%s", "ab", "cd") == 0 && !strcmp(buf, "ab/cd"), "fmt_path: a path that fits");
	errno = 0;
	ok(fmt_path(buf, sizeof(buf), "%s/%s", "abc", "defg") == -1 && errno == ENAMETOOLONG && !buf[0],
	   "fmt_path: a path one byte too long is ENAMETOOLONG and empty, never cut");
}

#if WITH_LAUNCHER
/* A path whose "%s.tmp" does not fit in PATH_MAX, and beside it the file
 * the cut temporary name would have been: write_atomic must fail and
 * leave that file alone. */
static void test_write_atomic(void)
{
	char dir[PATH_MAX], path[PATH_MAX], cut[PATH_MAX], text[16];
	size_t len;

	snprintf(dir, sizeof(dir), "/tmp/unit-atomic.%d", (int)getpid());
	mkdir(dir, 0700);
	len = strlen(dir);
	while (len + 1 + 200 + 1 + 7 < PATH_MAX - 4 - 1) {  /* room for "/config" */
		dir[len++] = '/';
		memset(dir + len, 'd', 200);
		len += 200;
		dir[len] = '\0';
		if (mkdir(dir, 0700) < 0 && errno != EEXIST)
			break;
	}
	/* the path: exactly PATH_MAX - 3 characters, so that "%s.tmp" cut
	 * to PATH_MAX - 1 is "<path>.t" */
	must_path(path, sizeof(path), "%s/%s", dir, repeat('f', PATH_MAX - 3 - len - 1));
	snprintf(cut, sizeof(cut), "%.*s.t", (int)(PATH_MAX - 3), path);
	ok(strlen(path) == PATH_MAX - 3 && write_file(cut, "") < 0, "write_atomic: test path of %zu bytes", strlen(path));
	{
		int fd = open(cut, O_WRONLY | O_CREAT | O_TRUNC, 0600);

		ok(fd >= 0 && write(fd, "precious", 8) == 8, "write_atomic: a file named as the cut temporary name");
		close(fd);
	}
	errno = 0;
	ok(write_atomic(path, "new", 3, 1) < 0 && errno == ENAMETOOLONG,
	   "write_atomic: \"%%s.tmp\" that does not fit is an error (ENAMETOOLONG)");
	ok(read_file(cut, text, sizeof(text)) == 8 && !strcmp(text, "precious"),
	   "write_atomic: the file named as the cut temporary name is untouched");
	ok(access(path, F_OK) < 0, "write_atomic: nothing written at the path");
	unlink(cut);
	unlink(path);
	while ((len = strlen(dir)) > 0 && rmdir(dir) == 0 && strrchr(dir, '/'))
		*strrchr(dir, '/') = '\0';
}

/* read_whole: a file larger than the buffer is EFBIG, not its start. */
static void test_read_whole(void)
{
	char path[64], buf[16];
	int fd;

	snprintf(path, sizeof(path), "/tmp/unit-whole.%d", (int)getpid());
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	ok(fd >= 0 && write(fd, "0123456789abcdefXYZ", 19) == 19, "read_whole: a file of 19 bytes");
	close(fd);
	errno = 0;
	ok(read_whole(path, buf, sizeof(buf)) < 0 && errno == EFBIG, "read_whole: into 16 bytes is EFBIG");
	ok(read_file(path, buf, sizeof(buf)) == 15, "read_file: the same is its first 15 bytes (callers that want that)");
	ok(truncate(path, 15) == 0 && read_whole(path, buf, sizeof(buf)) == 15 && !strcmp(buf, "0123456789abcde"), "read_whole: 15 bytes fit in 16");
	unlink(path);
}
#endif

/* A stop signal during the restart back-off: SIGUSR1 is a reboot (2),
 * the others a power off (1). */
static void test_backoff_signal(void)
{
	static const struct { int sig, want; } t[] = {
		{ SIGUSR1, 2 }, { SIGTERM, 1 }, { SIGINT, 1 }, { SIGPWR, 1 },
	};
	long long t0;
	size_t i;
	int n;

	block_signals();
	for (i = 0; i < LEN(t); i++) {
		raise(t[i].sig);
		n = backoff_sleep(5000);
		ok(n == t[i].want, "backoff_sleep: %s cuts the back-off short: %s (got %d)", strsignal(t[i].sig),
		   t[i].want == 2 ? "reboot" : "power off", n);
	}
	t0 = now_ms();
	ok(backoff_sleep(50) == 0 && now_ms() - t0 >= 50, "backoff_sleep: no signal, the whole delay");
}

#if WITH_MODULES
/* modules_dep_words: the words PID 1 loads, from text it read. */
static void test_modules_words(void)
{
	char buf[64], *w[4];
	int n;

	n = modules_dep_words("a/x.ko: b.ko\tc.ko\n", "x", buf, sizeof(buf), w, LEN(w));
	ok(n == 3 && !strcmp(w[0], "a/x.ko") && !strcmp(w[1], "b.ko") && !strcmp(w[2], "c.ko") && !w[3],
	   "modules_dep_words: module, then its dependencies");
	ok(modules_dep_words("a/x.ko: b.ko c.ko d.ko\n", "x", buf, sizeof(buf), w, LEN(w)) == -1,
	   "modules_dep_words: more dependencies than room is an error, not a cut list");
	ok(modules_dep_words(repeat('a', 100), "x", buf, sizeof(buf), w, LEN(w)) == -1,
	   "modules_dep_words: no line for the module");
	{
		static char dep[256];
		char small[16];

		snprintf(dep, sizeof(dep), "x.ko: %s\n", repeat('b', 100));
		ok(modules_dep_words(dep, "x", small, sizeof(small), w, LEN(w)) == -1,
		   "modules_dep_words: a line longer than the buffer is an error (was a cut line, its ':' maybe gone)");
		snprintf(dep, sizeof(dep), "%s/x.ko:\n", repeat('d', 12));
		ok(modules_dep_words(dep, "x", small, sizeof(small), w, LEN(w)) == -1,
		   "modules_dep_words: a line of exactly the buffer's size is an error");
	}
}
#endif

#if WITH_MONITOR
/* ---------- monitor: --listen, container.monitor, the request parser ---------- */

static void test_listen(void)
{
	static const struct { const char *s, *def; int rc; unsigned addr, port; } t[] = {
		{ "127.0.0.1:9180", "", 0, 0x7f000001, 9180 }, { "9180", "0.0.0.0", 0, 0, 9180 },
		{ "10.0.2.15:80", "", 0, 0x0a00020f, 80 }, { "0.0.0.0:65535", "", 0, 0, 65535 },
		{ "9180", "", -1, 0, 0 }, { "127.0.0.1:0", "", -1, 0, 0 }, { "127.0.0.1:65536", "", -1, 0, 0 },
		{ "256.0.0.1:80", "", -1, 0, 0 }, { "1.2.3:80", "", -1, 0, 0 }, { "1.2.3.4.5:80", "", -1, 0, 0 },
		{ "localhost:80", "", -1, 0, 0 }, { "1.2.3.4:80:90", "", -1, 0, 0 }, { ":80", "", -1, 0, 0 },
		{ "1.2.3.4:", "", -1, 0, 0 }, { "", "0.0.0.0", -1, 0, 0 }, { "0001.2.3.4:80", "", -1, 0, 0 },
		{ "-1.2.3.4:80", "", -1, 0, 0 }, { "[::1]:80", "", -1, 0, 0 },
	};
	struct sockaddr_in sa;
	size_t i;
	int rc;

	for (i = 0; i < LEN(t); i++) {
		rc = parse_listen(t[i].s, t[i].def, &sa);
		ok(rc == t[i].rc && (rc || (ntohl(sa.sin_addr.s_addr) == t[i].addr && ntohs(sa.sin_port) == t[i].port)),
		   "parse_listen(\"%s\") = %d", t[i].s, t[i].rc);
	}
}

static void test_http_parse(void)
{
	static const struct { const char *req; int code, head; const char *path; } t[] = {
		{ "GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n", 200, 0, "/metrics" },
		{ "HEAD / HTTP/1.0\r\n\r\n", 200, 1, "/" },
		{ "GET /containers.json?a=b HTTP/1.1\nHost: x\n\n", 200, 0, "/containers.json" },
		{ "GET /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n", 200, 0, "/metrics" },
		{ "GET /metrics HTTP/1.1\r\nHost: x\r\n", 0, 0, "" },
		{ "GET /met", 0, 0, "" },
		{ "", 0, 0, "" },
		{ "POST /metrics HTTP/1.1\r\n\r\n", 405, 0, "" },
		{ "get /metrics HTTP/1.1\r\n\r\n", 405, 0, "" },
		{ "GET /metrics HTTP/1.1\r\n\r\n", 400, 0, "" },
		{ "GET /metrics\r\n\r\n", 400, 0, "" },
		{ "GET  /metrics HTTP/1.1\r\n\r\n", 400, 0, "" },
		{ "GET metrics HTTP/1.1\r\n\r\n", 400, 0, "" },
		{ "GET /metrics HTTP/1.1 \r\n\r\n", 400, 0, "" },
		{ "GET /metrics HTTP/1.2\r\n\r\n", 400, 0, "" },
		{ "GET /metrics HTTP/1.1\r\nHost x\r\n\r\n", 400, 0, "" },
		{ "GET /metrics HTTP/1.1\r\nHost : x\r\n\r\n", 400, 0, "" },
		{ "GET /metrics HTTP/1.1\r\nHost: x\r\n\tfold\r\n\r\n", 400, 0, "" },
		{ "GET /metrics HTTP/1.1\r\nHost: x\x7f\r\n\r\n", 200, 0, "/metrics" },
		{ "GET /metrics HTTP/1.1\r\nHost: \x01\r\n\r\n", 400, 0, "" },
		{ "GET /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n\r\nx", 413, 0, "" },
		{ "GET /metrics HTTP/1.1\r\nHost: x\r\ntransfer-encoding: chunked\r\n\r\n", 413, 0, "" },
	};
	static char big[MONITOR_REQUEST + 64];
	struct request r;
	size_t i, n;

	for (i = 0; i < LEN(t); i++) {
		int code;

		memset(&r, 0, sizeof(r));
		code = http_parse(t[i].req, strlen(t[i].req), &r);
		ok(code == t[i].code && (code != 200 || (r.head == t[i].head && !strcmp(r.path, t[i].path))),
		   "http_parse(\"%.40s\") = %d (got %d)", t[i].req, t[i].code, code);
	}
	memset(big, 'a', sizeof(big));
	ok(http_parse(big, MONITOR_REQUEST, &r) == 400, "a full buffer of one word: 400");
	memcpy(big, "GET /", 5);
	ok(http_parse(big, MONITOR_REQUEST, &r) == 414, "a request line longer than the buffer: 414");
	ok(http_parse(big, 100, &r) == 0, "a long request line not yet in whole: more");
	n = (size_t)snprintf(big, sizeof(big), "GET / HTTP/1.1\r\nHost: x\r\n");
	while (n + 8 < MONITOR_REQUEST)
		n += (size_t)snprintf(big + n, sizeof(big) - n, "X: y\r\n");
	ok(http_parse(big, n, &r) == 431, "more than MONITOR_HEADERS header lines: 431");
	n = (size_t)snprintf(big, sizeof(big), "GET / HTTP/1.1\r\nHost: x\r\nX: ");
	memset(big + n, 'a', sizeof(big) - n);
	ok(http_parse(big, MONITOR_REQUEST, &r) == 431, "a header past the buffer: 431");
	n = (size_t)snprintf(big, sizeof(big), "GET /%0*d HTTP/1.1\r\nHost: x\r\n\r\n", (int)sizeof(r.path), 0);
	ok(http_parse(big, n, &r) == 200 && !r.path[0], "a path longer than any route: none (404)");
}
#endif
/* die() after a group was made for a workload that never ran removes
 * the group (here a plain directory standing for it). */
static void test_die_removes_group(void)
{
	char dir[64], out[256];
	jmp_buf jb;

	snprintf(dir, sizeof(dir), "/tmp/unit-group.%d", (int)getpid());
	ok(mkdir(dir, 0700) == 0, "die: a directory standing for the cgroup");
	made_group = dir;
	quiet_begin();
	catcher = &jb;
	if (!setjmp(jb))
		die(EXIT_SETUP, "a setup error after the group was made");
	catcher = NULL;
	quiet_end(out, sizeof(out));
	made_group = NULL;
	ok(caught == EXIT_SETUP && access(dir, F_OK) < 0 && errno == ENOENT,
	   "die: the group made for the workload is removed (%s)", out);
	rmdir(dir);
}

/* check_upper's d_type test looks at the type getdents gave "upper". */
static void test_upper_dtype(void)
{
	each_type = DT_DIR;
	ok(upper_has_dtype(AT_FDCWD, "upper", NULL) == 1, "upper_has_dtype: upper as DT_DIR is d_type");
	each_type = DT_UNKNOWN;
	ok(upper_has_dtype(AT_FDCWD, "upper", NULL) == 2, "upper_has_dtype: upper as DT_UNKNOWN is no d_type");
	ok(upper_has_dtype(AT_FDCWD, "work", NULL) == 0, "upper_has_dtype: another entry goes on");
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	test_names();
	test_long();
	test_size();
	test_cpus();
#if WITH_LAUNCHER
	test_signal();
	test_volume();
	test_env();
	test_user();
#endif
	test_restart();
	test_cap();
#if WITH_CAPS
	test_sscanf();
#endif
	test_set_option();
	test_defaults();
	test_helpers();
#if WITH_LAUNCHER
	test_config_round_trip();
	test_config_limits();
	test_config_corrupt();
	test_parse_run();
#endif
#if WITH_INIT
	test_cmdline();
#endif
#if WITH_BRIDGE
	test_net();
#endif
#if WITH_MONITOR
	test_listen();
	test_http_parse();
#endif
#if WITH_MODULES
	test_modules();
#endif
#if WITH_OCI
	test_seccomp_names();
	test_seccomp_conditions();
	test_seccomp_rules();
	test_seccomp_kernel();
	test_seccomp_map();
#endif
#if WITH_OCI && WITH_CGROUPS
	test_dev_program();
	test_devices_map();
#endif
#ifdef PROBE_SIZE
	test_probe_buffer();
	test_probe_images();
#endif
#if WITH_OCI
	test_json_valid();
	test_json_invalid();
	test_json_limits();
	test_json_access();
#endif
	test_paths();
#if WITH_LAUNCHER
	test_write_atomic();
	test_read_whole();
#endif
	test_backoff_signal();
	test_die_removes_group();
	test_upper_dtype();
#if WITH_MODULES
	test_modules_words();
#endif
	printf("1..%d\n", ntest);
	return nfail ? 1 : 0;
}
