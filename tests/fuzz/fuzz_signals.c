/* `husk kill CONTAINER SIGNAL`: signal_parse() on an arbitrary string.  Any result is a
 * signal the kernel knows, and the name of a named signal parses back to it. */
#include "fuzz.h"

#include <signal.h>
#include <stdio.h>

#include "util/signals.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstr(data, size);
	int sig = signal_parse(s);

	if (sig != -1 && (sig <= 0 || sig >= NSIG))
		abort();
	if (sig > 0) {
		const char *name = signal_name(sig);
		if (name && signal_parse(name) != sig)
			abort();
	}
	free(s);
	return 0;
}
