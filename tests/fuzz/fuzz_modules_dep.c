/* fuzz_modules_dep: the modules.dep parser as PID 1 runs it (a crash there
 * is a kernel panic). Input: a container.modules list (comma-separated
 * names), a newline, then the text of a modules.dep. For each name, as
 * load_modules() does: the line found must be a whole line of the text
 * whose module (the path before ':') is the name, and the words to load,
 * cut into a PATH_MAX buffer, must be non-empty words of that line, at
 * most 63, each inside the buffer. */
#include "fuzz.h"

static void check_words(const char *dep, const char *name)
{
	char buf[PATH_MAX], *words[64];
	int n = modules_dep_words(dep, name, buf, sizeof(buf), words, LEN(words)), i;

	FUZZ_ASSERT(n >= -1 && n < (int)LEN(words));
	if (n < 0)
		return;
	FUZZ_ASSERT(n >= 1 && words[n] == NULL);
	for (i = 0; i < n; i++) {
		FUZZ_ASSERT(words[i] >= buf && words[i] < buf + sizeof(buf));
		FUZZ_ASSERT(words[i][0] && !strpbrk(words[i], " \t\n"));
		FUZZ_ASSERT(words[i] + strlen(words[i]) < buf + sizeof(buf));
	}
}

static void check_find(const char *dep, const char *name)
{
	const char *line, *colon;
	size_t len = 0;

	line = modules_dep_find(dep, name, &len);
	if (line) {
		FUZZ_ASSERT(line >= dep && line + len <= dep + strlen(dep));
		FUZZ_ASSERT(line == dep || line[-1] == '\n');
		FUZZ_ASSERT(line[len] == '\n' || line[len] == '\0');
		FUZZ_ASSERT(!memchr(line, '\n', len));
		colon = memchr(line, ':', len);
		FUZZ_ASSERT(colon && module_matches(line, colon - line, name));
	}
}

static void fuzz_target(const uint8_t *data, size_t size)
{
	const uint8_t *nl = memchr(data, '\n', size);
	size_t nlen = nl ? (size_t)(nl - data) : size;
	char *list = fuzz_string(data, nlen);
	char *dep = nl ? fuzz_string(nl + 1, size - nlen - 1) : fuzz_string(data, 0);
	char *name, *save;

	/* the whole first line as one name, as the target always did */
	check_find(dep, list);
	check_words(dep, list);
	for (name = strtok_r(list, ",", &save); name; name = strtok_r(NULL, ",", &save)) {
		check_find(dep, name);
		check_words(dep, name);
	}
}
