/* fuzz_oci: config.json as create reads it: json_parse, then oci_map and
 * the seccomp and device mappings. Input: any bytes. The mapping may
 * refuse (die, exit 1), never crash or exit otherwise; what it accepts
 * has something to run, a root, a mount namespace of its own, and
 * strings that fit their arena. */
#include "fuzz.h"

static struct jtok tok[JSON_MAX_TOKENS];
static struct config c;
static struct oci o;

static void map(const struct json *j)
{
	int l = json_get(j, 0, "linux");

	oci_map(j, &c, &o);
	map_seccomp(j, json_get(j, l, "seccomp"), &oci_profile);
	map_devices(j, json_get(j, json_get(j, l, "resources"), "devices"), &oci_devices);
}

static void fuzz_target(const uint8_t *data, size_t size)
{
	char *text = fuzz_string(data, size);
	struct json j;
	int rc, i;

	if (json_parse(&j, text, size, tok, JSON_MAX_TOKENS) < 0)
		return;
	config_defaults(&c);
	memset(&o, 0, sizeof(o));
	o.id = "fuzz";
	o.bundle = "/";
	rc = FUZZ_CATCH(map(&j));
	FUZZ_ASSERT(rc == -1 || rc == 1);
	if (rc != -1)
		return;
	FUZZ_ASSERT(c.oci == &o && c.argv && c.argv[0]);
	for (i = 0; c.argv[i]; i++)
		FUZZ_ASSERT(i < MAX_CMD);
	for (i = 0; i < c.nenv; i++)
		FUZZ_ASSERT(c.env[i] && strchr(c.env[i], '='));
	FUZZ_ASSERT(o.root_path && o.root_path[0]);
	FUZZ_ASSERT(o.ns_new & CLONE_NEWNS);
	FUZZ_ASSERT(!(o.ns_new & o.ns_join));
	FUZZ_ASSERT(arena.used <= size + 1);
	FUZZ_ASSERT(!o.persist || valid_name(o.persist));
	FUZZ_ASSERT(o.nrlim <= (int)LEN(o.rlim) && o.ngroups <= (int)LEN(o.groups));
	FUZZ_ASSERT(!c.workdir || c.workdir[0] == '/');
}
