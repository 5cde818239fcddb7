/* fuzz_modules_dep: modules_dep_find. Input: a module name, a newline,
 * then the text of a modules.dep. The line found must be a whole line of
 * the text whose module (the path before ':') is NAME. */
#include "fuzz.h"

static void fuzz_target(const uint8_t *data, size_t size)
{
	const uint8_t *nl = memchr(data, '\n', size);
	size_t nlen = nl ? (size_t)(nl - data) : size;
	char *name = fuzz_string(data, nlen);
	char *dep = nl ? fuzz_string(nl + 1, size - nlen - 1) : fuzz_string(data, 0);
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
