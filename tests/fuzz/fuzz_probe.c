/* fuzz_probe: probe_buffer, the superblock probe. Input: the first bytes
 * of a block device or image (up to PROBE_SIZE). */
#include "fuzz.h"

static void fuzz_target(const uint8_t *data, size_t size)
{
	static const char *const types[] = { "ext4", "btrfs", "xfs", "squashfs", "erofs" };
	struct probe p;
	size_t i;
	int rc;

	if (size > PROBE_SIZE)
		size = PROBE_SIZE;
	memset(&p, 0x5a, sizeof(p));
	rc = probe_buffer(data, size, &p);
	FUZZ_ASSERT(rc == 0 || rc == -1);
	FUZZ_ASSERT(memchr(p.type, 0, sizeof(p.type)) && memchr(p.label, 0, sizeof(p.label)) &&
	            memchr(p.uuid, 0, sizeof(p.uuid)));
	if (rc == 0) {
		for (i = 0; i < LEN(types) && strcmp(p.type, types[i]); i++)
			;
		FUZZ_ASSERT(i < LEN(types));
		FUZZ_ASSERT(strlen(p.uuid) == 36 || p.uuid[0] == '\0');
	} else {
		FUZZ_ASSERT(!p.type[0]);
	}
}
