/* Mount options: the input split at ',' and NUL into an option list for mount_opts_parse(),
 * which sorts names into MS_* flags, propagation, mount_setattr attributes and data. */
#include "fuzz.h"

#include <stdbool.h>
#include <sys/mount.h>

#include "linux/mount.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = fuzz_cstr(data, size);
	char **opts = calloc(size + 1, sizeof(*opts));
	struct mount_opts o;
	struct herr err = {0};
	size_t n = 0;

	if (!opts)
		abort();
	/* Empty items are kept: config.json may hold "" in options. */
	opts[n++] = text;
	for (size_t i = 0; i < size; i++) {
		if (text[i] == ',' || text[i] == '\0') {
			text[i] = '\0';
			opts[n++] = text + i + 1;
		}
	}
	if (mount_opts_parse(opts, n, &o, &err) == 0) {
		/* data holds only the unknown, non-empty names: never longer than the input */
		if (o.data && strlen(o.data) > size)
			abort();
		if ((o.flags & o.clear) || (o.attr_set & o.attr_clr & ~(uint64_t)MOUNT_ATTR__ATIME))
			abort(); /* a flag both set and cleared (the atime field excepted) */
		/* the atime field holds one mode (mount_setattr(2) refuses more: EINVAL) */
		if (__builtin_popcountll(o.attr_set & MOUNT_ATTR__ATIME) > 1)
			abort();
		mount_opts_free(&o);
	}
	free(opts);
	free(text);
	return 0;
}
