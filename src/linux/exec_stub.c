/* husk-exec: the trampoline linux/sealexec.c runs from a sealed memfd.
 *   husk-exec PATH ARGV0 [ARGS...]   ->   execve(PATH, [ARGV0, ARGS...], envp)
 * Built with no libc (a few hundred bytes) and embedded in husk.  Not part of libhusk. */
#include <asm/unistd.h>

#if defined(__x86_64__)
static long sys3(long n, long a, long b, long c)
{
	long r;

	__asm__ volatile("syscall" : "=a"(r) : "a"(n), "D"(a), "S"(b), "d"(c) : "rcx", "r11", "memory");
	return r;
}
__asm__(".text\n.globl _start\n_start:\n\txor %rbp, %rbp\n\tmov %rsp, %rdi\n"
	"\tand $-16, %rsp\n\tcall stub_main\n\thlt\n");
#elif defined(__aarch64__)
static long sys3(long n, long a, long b, long c)
{
	register long x8 __asm__("x8") = n;
	register long x0 __asm__("x0") = a;
	register long x1 __asm__("x1") = b;
	register long x2 __asm__("x2") = c;

	__asm__ volatile("svc #0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2) : "memory");
	return x0;
}
__asm__(".text\n.globl _start\n_start:\n\tmov x0, sp\n\tbl stub_main\n");
#else
#error "exec_stub: no system call glue for this architecture"
#endif

static void put(const char *s)
{
	long n = 0;

	while (s[n])
		n++;
	sys3(__NR_write, 2, (long)s, n);
}

__attribute__((used, noreturn)) void stub_main(long *sp)
{
	long argc = sp[0], r = -22;
	char **argv = (char **)(sp + 1);
	char **envp = argv + argc + 1;
	char num[24], *p = num + sizeof(num);

	if (argc >= 3)
		r = sys3(__NR_execve, (long)argv[1], (long)(argv + 2), (long)envp);
	*--p = '\0';
	*--p = '\n';
	*--p = ')';
	for (r = -r; r > 0 || p == num + sizeof(num) - 3; r /= 10)
		*--p = (char)('0' + r % 10);
	put("husk-exec: cannot execute ");
	put(argc >= 3 ? argv[1] : "(nothing)");
	put(" (errno ");
	put(p);
	for (;;)
		sys3(__NR_exit_group, 127, 0, 0);
}
