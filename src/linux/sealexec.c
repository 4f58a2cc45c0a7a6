#include "linux/sealexec.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "util/cleanup.h"
#include "util/fs.h"
#include "util/log.h"

/* The trampoline's bytes, built by Makefile.am from linux/exec_stub.c. */
extern const unsigned char sealexec_stub[];
extern const unsigned char sealexec_stub_end[];
__asm__(".section .rodata\n"
	".balign 16\n"
	".globl sealexec_stub\n"
	"sealexec_stub:\n"
	".incbin \"src/linux/exec_stub.bin\"\n"
	".globl sealexec_stub_end\n"
	"sealexec_stub_end:\n"
	".previous\n");

#define SEALS (F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE)
#ifdef MFD_EXEC
#define SEALEXEC_MFD_EXEC MFD_EXEC
#else
#define SEALEXEC_MFD_EXEC 0x0010U
#endif

int sealexec_prepare(struct herr *err)
{
	/* MFD_EXEC: with vm.memfd_noexec set, a memfd is otherwise not executable (Linux 6.3+);
	 * older kernels refuse the flag. */
	_cleanup_close_ int fd =
		memfd_create("husk-exec", MFD_CLOEXEC | MFD_ALLOW_SEALING | SEALEXEC_MFD_EXEC);
	int r;

	if (fd < 0 && errno == EINVAL)
		fd = memfd_create("husk-exec", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (fd < 0)
		return herr_sys(err, "exec guard: memfd_create");
	r = write_all(fd, sealexec_stub, (size_t)(sealexec_stub_end - sealexec_stub));
	if (r < 0)
		return herr_errno(err, r, "exec guard: write");
	if (fchmod(fd, 0555) < 0 || fcntl(fd, F_ADD_SEALS, SEALS) < 0)
		return herr_sys(err, "exec guard: seal");
	return steal_fd(&fd);
}

int sealexec_execve(int stub_fd, const char *path, char *const argv[], char *const envp[])
{
	size_t n = 0;
	char **targv;

	if (stub_fd < 0) {
		execve(path, argv, envp);
		return -errno;
	}
	while (argv[n])
		n++;
	targv = calloc(n + 3, sizeof(*targv));
	if (!targv)
		return -ENOMEM;
	targv[0] = (char *)"husk-exec";
	targv[1] = (char *)path;
	memcpy(targv + 2, argv, n * sizeof(*targv));
	syscall(SYS_execveat, stub_fd, "", targv, envp, AT_EMPTY_PATH);
	log_debug("exec guard: execveat: %s; plain execve", strerror(errno));
	free(targv);
	execve(path, argv, envp);
	return -errno;
}
