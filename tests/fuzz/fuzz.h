/* tests/fuzz/fuzz.h: what every fuzz target shares.
 *
 * container.c is included whole, its main renamed, so its static parsers
 * are callable. Its exit() and _exit() (reached through die() when
 * parse_run refuses an input) come back here: inside FUZZ_CATCH they
 * return to the target by longjmp; anywhere else they are a failure (a
 * parser must not exit).
 *
 * A target defines fuzz_target(data, size), which checks properties with
 * FUZZ_ASSERT. A failed property aborts, as a sanitizer error does, so
 * that libFuzzer saves the input and the replay fails, except when
 * FUZZ_PROPERTY_DIR is set (tests/fuzz/run.sh sets it): then the input
 * is saved there once per failed property, as property-<target>-<line>,
 * and fuzzing goes on, so one known bug does not hide the others.
 *
 * Built with -fsanitize=fuzzer this is a libFuzzer binary; linked with
 * replay.c instead, it replays files (tests/fuzz-regress.t). */
#ifndef WITH_CAPS
#define WITH_CAPS 0	/* no libcap-ng to link; the parsers do not use it */
#endif
#define exit fuzz_exit
#define _exit fuzz_exit
#define main container_main
#include "../../container.c"
#undef main
#undef exit
#undef _exit

#include <setjmp.h>

static void fuzz_target(const uint8_t *data, size_t size);

/* The sanitizers' report goes where libFuzzer wants it even when
 * -close_fd_mask closed stderr; weak, for builds without them. */
extern void __sanitizer_report_error_summary(const char *summary) __attribute__((weak));

static struct {
	const uint8_t *data;		/* the input under test */
	size_t size;
	jmp_buf *top;			/* back to LLVMFuzzerTestOneInput */
	jmp_buf *catch;			/* FUZZ_CATCH */
	int code;			/* what exit() was given */
	void *mem[8];			/* fuzz_alloc()ed, freed after each input */
	int nmem;
	int seen[64];			/* lines of properties failed so far */
	int nseen;
} fz;

static void fuzz_say(const char *msg)
{
	if (__sanitizer_report_error_summary)
		__sanitizer_report_error_summary(msg);
	else
		fprintf(stderr, "%s\n", msg);
}

/* Save the input as DIR/property-<target>-<line>, once. */
static void fuzz_save(const char *dir, const char *file, int line)
{
	char path[4096], name[128];
	const char *base = strrchr(file, '/') ? strrchr(file, '/') + 1 : file;
	int fd;

	snprintf(name, sizeof(name), "%.*s", (int)strcspn(base, "."), base);
	snprintf(path, sizeof(path), "%s/property-%s-%d", dir, name, line);
	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644)) < 0)
		return;
	if (write(fd, fz.data, fz.size) < 0) {
		/* the message says what failed all the same */
	}
	close(fd);
}

__attribute__((noreturn, unused)) static void fuzz_fail(const char *file, int line, const char *what)
{
	const char *dir = getenv("FUZZ_PROPERTY_DIR");
	char msg[512];
	int i;

	snprintf(msg, sizeof(msg), "fuzz: %s:%d: property failed: %s", file, line, what);
	if (!dir || !*dir || !fz.top) {
		fuzz_say(msg);
		abort();
	}
	for (i = 0; i < fz.nseen && fz.seen[i] != line; i++)
		;
	if (i == fz.nseen && fz.nseen < (int)LEN(fz.seen)) {
		fz.seen[fz.nseen++] = line;
		fuzz_say(msg);
		fuzz_save(dir, file, line);
	}
	fz.catch = NULL;
	longjmp(*fz.top, 1);
}
#define FUZZ_ASSERT(cond) do { if (!(cond)) fuzz_fail(__FILE__, __LINE__, #cond); } while (0)

void fuzz_exit(int code)
{
	char msg[64];

	if (fz.catch) {
		fz.code = code;
		longjmp(*fz.catch, 1);
	}
	snprintf(msg, sizeof(msg), "exit(%d) outside FUZZ_CATCH", code);
	fuzz_fail(__FILE__, __LINE__, msg);
}

/* Run STMT; evaluates to -1 when it returned, else the exit code that
 * ended it. */
#define FUZZ_CATCH(STMT) __extension__ ({                     \
	jmp_buf fuzz_jb_;                                     \
	volatile int fuzz_rc_ = -1;                           \
	fz.catch = &fuzz_jb_;                                 \
	if (!setjmp(fuzz_jb_)) { STMT; } else fuzz_rc_ = fz.code; \
	fz.catch = NULL;                                      \
	fuzz_rc_; })

/* DATA as a NUL-terminated string in a heap block of exactly its size,
 * so that reading one byte past the NUL is caught. Freed after the
 * input. */
__attribute__((unused)) static char *fuzz_string(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (!s || fz.nmem == (int)LEN(fz.mem))
		abort();
	fz.mem[fz.nmem++] = s;
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	jmp_buf top;

	fz.data = data;
	fz.size = size;
	fz.top = &top;
	if (!setjmp(top))
		fuzz_target(data, size);
	fz.top = NULL;
	fz.catch = NULL;
	while (fz.nmem > 0)
		free(fz.mem[--fz.nmem]);
	g.debug = 0;
	return 0;
}
