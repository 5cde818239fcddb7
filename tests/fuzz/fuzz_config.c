/* fuzz_config: config_split and parse_run, the saved configuration that
 * `start` loads. Input: a config file. It is tried as it is, and wrapped
 * in the header and end marker so that parse_run sees arbitrary lines.
 * parse_run may refuse (die, exit 125), never crash; what it accepts must
 * survive config_format -> config_split -> parse_run unchanged. */
#include "fuzz.h"

static char fmt1[64 * 1024], fmt2[64 * 1024];
static struct config c1, c2;

/* Split TEXT and parse it into C; 0 when both succeed. */
static int load(char *t, struct config *c)
{
	int argc, rc;

	config_defaults(c);
	if ((argc = config_split(t, c->argbuf + 1, MAX_CONFIG_ARGS - 1)) < 0)
		return -1;
	FUZZ_ASSERT(argc < MAX_CONFIG_ARGS - 1 && !c->argbuf[argc + 1]);
	c->argbuf[0] = "run";
	rc = FUZZ_CATCH(parse_run(argc + 1, c->argbuf, c));
	FUZZ_ASSERT(rc == -1 || rc == EXIT_SETUP || rc == 0);	/* 0: --help */
	return rc == -1 ? 0 : -1;
}

static void try_one(const char *input, size_t size)
{
	char *text, *copy;
	size_t n1, n2;

	if (size >= sizeof(fmt1))
		return;
	/* exact-size copies: a read past the end is caught */
	text = fuzz_string((const uint8_t *)input, size);
	if (load(text, &c1) < 0)
		return;
	FUZZ_ASSERT(valid_name(c1.name) && c1.rootfs[0]);
	n1 = config_format(&c1, fmt1, sizeof(fmt1));
	FUZZ_ASSERT(n1 < sizeof(fmt1));
	copy = fuzz_string((const uint8_t *)fmt1, n1);
	FUZZ_ASSERT(load(copy, &c2) == 0);	/* what was saved loads */
	n2 = config_format(&c2, fmt2, sizeof(fmt2));
	FUZZ_ASSERT(n1 == n2 && !memcmp(fmt1, fmt2, n1));	/* unchanged */
}

static void fuzz_target(const uint8_t *data, size_t size)
{
	static char wrapped[sizeof(fmt1) + 64];
	char *s = fuzz_string(data, size);
	size_t n = strlen(s);
	int m;

	try_one(s, n);
	m = snprintf(wrapped, sizeof(wrapped), "%s%s%s%s", config_magic, s,
	             n && s[n - 1] == '\n' ? "" : "\n", config_end);
	if (m > 0 && (size_t)m < sizeof(wrapped))
		try_one(wrapped, (size_t)m);
}
