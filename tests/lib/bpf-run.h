/* tests/lib/bpf-run.h: included by tests/unit.c and tests/fuzz/fuzz_seccomp.c
 * after container.c (struct sock_filter, struct seccomp_data). */
/* A classic BPF interpreter for what seccomp_compile emits: the filter's
 * verdict on D, or 0xdead on an instruction it does not know, a jump out
 * of the program or falling off its end. */
static uint32_t bpf_run(const struct sock_filter *f, int n, const struct seccomp_data *d)
{
	uint32_t a = 0;
	int pc;

	for (pc = 0; pc >= 0 && pc < n; pc++) {
		const struct sock_filter *i = &f[pc];

		switch (i->code) {
		case BPF_LD | BPF_W | BPF_ABS:
			if (i->k + 4 > sizeof(*d))
				return 0xdead;
			memcpy(&a, (const char *)d + i->k, 4);
			break;
		case BPF_ALU | BPF_AND | BPF_K: a &= i->k; break;
		case BPF_JMP | BPF_JA: pc += (int)i->k; break;
		case BPF_JMP | BPF_JEQ | BPF_K: pc += a == i->k ? i->jt : i->jf; break;
		case BPF_JMP | BPF_JGT | BPF_K: pc += a > i->k ? i->jt : i->jf; break;
		case BPF_JMP | BPF_JGE | BPF_K: pc += a >= i->k ? i->jt : i->jf; break;
		case BPF_RET | BPF_K: return i->k;
		default: return 0xdead;
		}
	}
	return 0xdead;
}
