/* linux.seccomp: a config.json through spec_parse(), then seccomp_prepare() (libseccomp
 * compiles the filter, husk exports it and prepends its -ENOSYS stub).  Nothing is loaded. */
#include "fuzz.h"

#include "linux/seccomp.h"
#include "spec/spec.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_quiet_log();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct seccomp_prog *prog = NULL;
	struct spec *spec = NULL;
	struct herr err = {0};

	if (spec_parse((const char *)data, size, "config.json", &spec, &err) < 0)
		return 0;
	if (spec->linux_ && spec->linux_->seccomp) {
		if (seccomp_prepare(spec->linux_->seccomp, &prog, &err) == 0) {
			/* the stub plus at least one instruction, within the kernel's limit */
			if (seccomp_prog_len(prog) < 2 || seccomp_prog_len(prog) > 4096)
				abort();
			seccomp_prog_free(prog);
		} else if (err.code >= 0 || !err.msg[0]) {
			abort();
		}
	}
	spec_free(spec);
	return 0;
}
