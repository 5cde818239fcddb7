/* fuzz_size: the small value parsers. Input: one string, given to each of
 * parse_size, parse_cpus, parse_long, parse_volume, parse_user,
 * parse_signal, parse_restart, parse_cap, parse_env and valid_name; each
 * accepted value must print back to a string that parses to the same
 * value (as a saved config does). */
#include "fuzz.h"

static int name_ok(const char *s)	/* [A-Za-z0-9][A-Za-z0-9_.-]{0,63} */
{
	size_t i, n = strlen(s);

	if (n < 1 || n > 64)
		return 0;
	for (i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		int alnum = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');
		if (!alnum && (i == 0 || !strchr("_.-", ch)))
			return 0;
	}
	return 1;
}

static void fuzz_target(const uint8_t *data, size_t size)
{
	char *s = fuzz_string(data, size), back[2 * PATH_MAX + 16];
	long long v, v2;
	long l;
	static struct volume vol, vol2;
	static struct config c;
	uid_t u, u2;
	gid_t gr, gr2;
	enum restart pol, pol2;
	int max, max2, sig;
	uint64_t cap;

	if (parse_size(s, &v) == 0) {
		FUZZ_ASSERT(v > 0 || v == -1);
		snprintf(back, sizeof(back), v < 0 ? "max" : "%lld", v);
		FUZZ_ASSERT(parse_size(back, &v2) == 0 && v2 == v);
	}
	if (parse_cpus(s, &v) == 0) {
		FUZZ_ASSERT(v >= 1000 && v <= 1025LL * cpu_period_us);
		/* as config_format prints it */
		snprintf(back, sizeof(back), "%lld.%06lld", v / cpu_period_us, v % cpu_period_us * 1000000 / cpu_period_us);
		FUZZ_ASSERT(parse_cpus(back, &v2) == 0 && v2 == v);
	}
	if (parse_long(s, -1000, 1000, &l) == 0)
		FUZZ_ASSERT(l >= -1000 && l <= 1000);
	if (parse_long(s, LONG_MIN, LONG_MAX, &l) == 0) {
		snprintf(back, sizeof(back), "%ld", l);
		FUZZ_ASSERT(parse_long(back, LONG_MIN, LONG_MAX, &l) == 0);
	}
	if (valid_name(s) != name_ok(s))
		FUZZ_ASSERT(!"valid_name disagrees with its regular expression");
	config_defaults(&c);
	set_hostname(&c, s);
	set_net(&c, s);
	set_init(&c, s);
	set_pids(&c, s);
	set_cpu_weight(&c, s);
	FUZZ_ASSERT(c.pids >= -1 && c.pids <= 4194304 && c.cpu_weight >= 0 && c.cpu_weight <= 10000);
	if (parse_restart(s, &pol, &max) == 0) {
		FUZZ_ASSERT(max >= 0 && (max == 0 || pol == RESTART_ON_FAILURE));
		snprintf(back, sizeof(back), "%s", pol == RESTART_NO ? "no" : pol == RESTART_ALWAYS ? "always" : "on-failure");
		if (max)
			snprintf(back + strlen(back), sizeof(back) - strlen(back), ":%d", max);
		FUZZ_ASSERT(parse_restart(back, &pol2, &max2) == 0 && pol2 == pol && max2 == max);
	}
	cap = parse_cap(s);
	FUZZ_ASSERT(!(cap & ~CAP_ALL_MASK) && (cap == CAP_ALL_MASK || (cap & (cap - 1)) == 0));
#if WITH_LAUNCHER
	if (parse_volume(s, &vol) == 0) {
		FUZZ_ASSERT(vol.src[0] && vol.dst[0] == '/' && !strchr(vol.src, ':') && !strchr(vol.dst, ':'));
		snprintf(back, sizeof(back), "%s:%s%s", vol.src, vol.dst, vol.ro ? ":ro" : "");
		FUZZ_ASSERT(parse_volume(back, &vol2) == 0 && !strcmp(vol.src, vol2.src) &&
		            !strcmp(vol.dst, vol2.dst) && vol.ro == vol2.ro);
	}
	if (parse_user(s, &u, &gr) == 0) {
		snprintf(back, sizeof(back), "%u:%u", (unsigned)u, (unsigned)gr);
		FUZZ_ASSERT(parse_user(back, &u2, &gr2) == 0 && u2 == u && gr2 == gr);
	}
	sig = parse_signal(s);
	FUZZ_ASSERT(sig == -1 || (sig >= 1 && sig <= 64));
	if (parse_env(s) == 0)
		FUZZ_ASSERT(strchr(s, '=') && s[0] != '=');
#endif
}
