/* fuzz_cmdline: parse_cmdline, the kernel command line of init mode.
 * Input: the text of /proc/cmdline. */
#include "fuzz.h"

static void fuzz_target(const uint8_t *data, size_t size)
{
	static struct init_params p;
	static struct config c;
	char err[512];
	char *text = fuzz_string(data, size);
	int rc;

	memset(&p, 0, sizeof(p));
	p.rootwait = init_rootwait;
	config_defaults(&c);
	snprintf(c.name, sizeof(c.name), "%s", init_name);
	snprintf(p.lower, sizeof(p.lower), "%s", init_lower);
	snprintf(p.persist, sizeof(p.persist), "%s", init_persist);
	snprintf(p.persistfs, sizeof(p.persistfs), "%s", init_persistfs);
	snprintf(p.modules, sizeof(p.modules), "%s", init_modules);
	memset(err, 'x', sizeof(err));
	err[0] = '\0';

	rc = parse_cmdline(text, &p, &c, err, sizeof(err));
	g.debug = 0;

	FUZZ_ASSERT(rc == -1 || (rc >= 0 && (size_t)rc <= size));	/* -1, or the words after "--" */
	if (rc == -1)	/* one line, naming the parameter */
		FUZZ_ASSERT(!strncmp(err, "container.", 10) && !strchr(err, '\n') && strlen(err) < sizeof(err));
	if (rc >= 0) {	/* what init goes on with */
		FUZZ_ASSERT(valid_name(c.name));
		FUZZ_ASSERT(p.lower[0] && p.persist[0] && p.persistfs[0]);
		FUZZ_ASSERT(p.rootwait >= 0 && p.rootwait <= 3600);
		FUZZ_ASSERT(strlen(c.hostname) < sizeof(c.hostname));
		FUZZ_ASSERT(c.memory >= -1 && c.swap >= -1 && c.pids >= -1 && c.cpu_quota >= 0);
	}
}
