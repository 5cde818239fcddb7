/* fuzz_seccomp: the profile compiler and the device program compiler on
 * config.json's shapes. Input: JSON; an object is a linux.seccomp, an
 * array a linux.resources.devices. The mapping may refuse (one line, exit
 * 1); what it accepts compiles into a program the kernel would take: at
 * most BPF_MAXINSNS instructions, every jump inside it, loads inside
 * struct seccomp_data, a return at its end; run on seccomp_data made from
 * the input, it always returns, and a syscall no rule names gets the
 * default action (or ENOSYS past the highest named). */
#include "fuzz.h"

static struct jtok tok[JSON_MAX_TOKENS];
static struct seccomp_profile prof;
static struct sock_filter filter[BPF_MAXINSNS];
static struct dev_rules devs;
static struct bpf_insn dprog[8 + 10 * MAX_DEV_RULES];

#include "../lib/bpf-run.h"

/* The filter's verdict on D: it always returns, on what the compiler emits. */
static uint32_t run(int n, const struct seccomp_data *d)
{
	uint32_t r = bpf_run(filter, n, d);

	FUZZ_ASSERT(r != 0xdead);
	return r;
}

static void check_seccomp(const uint8_t *data, size_t size)
{
	struct seccomp_data d;
	int n = seccomp_compile(&prof, filter, LEN(filter)), pc, i, named, top = prof.top - 1;

	FUZZ_ASSERT(n > 0 && n <= BPF_MAXINSNS);
	FUZZ_ASSERT(BPF_CLASS(filter[n - 1].code) == BPF_RET);
	for (pc = 0; pc < n; pc++) {
		const struct sock_filter *f = &filter[pc];

		if (f->code == (BPF_JMP | BPF_JA))
			FUZZ_ASSERT(pc + 1 + (long)f->k < n);
		else if (BPF_CLASS(f->code) == BPF_JMP)
			FUZZ_ASSERT(pc + 1 + f->jt < n && pc + 1 + f->jf < n);
		if (f->code == (BPF_LD | BPF_W | BPF_ABS))
			FUZZ_ASSERT(f->k % 4 == 0 && f->k + 4 <= sizeof(struct seccomp_data));
	}
	memset(&d, 0, sizeof(d));
	d.arch = AUDIT_ARCH_X86_64;
	memcpy(d.args, data, size < sizeof(d.args) ? size : sizeof(d.args));
	for (d.nr = 0; d.nr < 480; d.nr++) {
		uint32_t got = run(n, &d);

		for (named = 0, i = 0; i < prof.nrules && !named; i++)
			named = prof.rule[i].nr == d.nr;
		if (!named)
			FUZZ_ASSERT(got == prof.def || got == (SECCOMP_RET_ERRNO | ENOSYS));
		if (!named && d.nr <= top)
			FUZZ_ASSERT(got == prof.def);
	}
}

static void check_devices(void)
{
	int n = dev_compile(&devs, dprog, LEN(dprog)), pc;

	FUZZ_ASSERT(n >= 2 && dprog[n - 1].code == (BPF_JMP | BPF_EXIT));
	for (pc = 0; pc < n; pc++)
		if (dprog[pc].code == (BPF_JMP | BPF_JNE | BPF_K))
			FUZZ_ASSERT(dprog[pc].off >= 0 && pc + 1 + dprog[pc].off < n);
}

static void fuzz_target(const uint8_t *data, size_t size)
{
	char *text = fuzz_string(data, size);
	struct json j;
	int rc;

	if (json_parse(&j, text, size, tok, JSON_MAX_TOKENS) < 0)
		return;
	if (j.tok[0].type == JSON_ARRAY) {
		memset(&devs, 0, sizeof(devs));
		rc = FUZZ_CATCH(map_devices(&j, 0, &devs));
		FUZZ_ASSERT(rc == -1 || rc == 1);
		if (rc == -1)
			check_devices();
		return;
	}
	rc = FUZZ_CATCH(map_seccomp(&j, 0, &prof));
	FUZZ_ASSERT(rc == -1 || rc == 1);
	if (rc == -1 && !prof.none)
		check_seccomp(data, size);
}
