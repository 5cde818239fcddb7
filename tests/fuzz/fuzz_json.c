/* fuzz_json: json_parse, the strict reader of config.json, and its
 * accessors. Input: any bytes. json_parse may refuse (with a message that
 * says where), never crash or read past the input; what it accepts is
 * one value whose tokens nest properly, whose strings unescape to UTF-8
 * without NUL, and which parses the same way twice. */
#include "fuzz.h"

static struct jtok tok[JSON_MAX_TOKENS], tok2[JSON_MAX_TOKENS];
static char str[JSON_MAX_SIZE + 1];

/* Walk value T; returns the index after it. */
static int walk(const struct json *j, int t, int depth)
{
	int e, i, end = t + 1;
	long long v;

	FUZZ_ASSERT(t < j->ntok && depth <= JSON_MAX_DEPTH);
	FUZZ_ASSERT(j->tok[t].start >= 0 && j->tok[t].start <= j->tok[t].end && (size_t)j->tok[t].end <= j->len);
	switch (j->tok[t].type) {
	case JSON_OBJECT:
	case JSON_ARRAY:
		JSON_EACH(j, t, e, i) {
			if (j->tok[t].type == JSON_OBJECT) {
				FUZZ_ASSERT(j->tok[e].type == JSON_STRING);
				FUZZ_ASSERT(json_get(j, t, "ociVersion") != e);
				end = walk(j, walk(j, e, depth + 1), depth + 1);
			} else {
				end = walk(j, e, depth + 1);
			}
			FUZZ_ASSERT(end == j->tok[j->tok[t].type == JSON_OBJECT ? e + 1 : e].next);
		}
		FUZZ_ASSERT(e == j->tok[t].next);
		return j->tok[t].next;
	case JSON_STRING: {
		int n = json_str(j, t, str, sizeof(str));

		FUZZ_ASSERT(n >= 0 && (size_t)n == strlen(str));
		FUZZ_ASSERT(n <= 2 * (j->tok[t].end - j->tok[t].start));
		break;
	}
	case JSON_NUMBER:
		if (json_int(j, t, LLONG_MIN, LLONG_MAX, &v) == 0)
			FUZZ_ASSERT(memchr(j->text + j->tok[t].start, '.', (size_t)(j->tok[t].end - j->tok[t].start)) == NULL);
		break;
	case JSON_TRUE: case JSON_FALSE:
		FUZZ_ASSERT(json_bool(j, t) >= 0);
		break;
	case JSON_NULL:
		break;
	default:
		FUZZ_ASSERT(!"a token of no type");
	}
	FUZZ_ASSERT(j->tok[t].next == t + 1);
	return end;
}

static void fuzz_target(const uint8_t *data, size_t size)
{
	char *text = fuzz_string(data, size);
	struct json j, j2;
	int rc = json_parse(&j, text, size, tok, JSON_MAX_TOKENS);

	FUZZ_ASSERT(json_parse(&j2, text, size, tok2, JSON_MAX_TOKENS) == rc);
	if (rc < 0) {
		FUZZ_ASSERT(!strncmp(j.err, "line ", 5) && strchr(j.err, ':'));
		return;
	}
	FUZZ_ASSERT(j.ntok > 0 && j.ntok == j2.ntok && !memcmp(tok, tok2, sizeof(tok[0]) * (size_t)j.ntok));
	FUZZ_ASSERT(walk(&j, 0, 0) == j.ntok);
}
