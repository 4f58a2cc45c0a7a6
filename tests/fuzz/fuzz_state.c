/* state.json: state_load() of arbitrary bytes written as the state file of a container
 * directory in a temp dir, then state_to_json() of what it loaded (`husk state`). */
#include "fuzz.h"

#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "state/state.h"

static char dir[] = "/tmp/husk-fuzz-state.XXXXXX";
static int dir_fd = -1;

static void cleanup_dir(void)
{
	unlinkat(dir_fd, "state.json", 0);
	rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_quiet_log();
	if (!mkdtemp(dir))
		abort();
	dir_fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dir_fd < 0)
		abort();
	atexit(cleanup_dir);
	return 0;
}

static void write_state(const uint8_t *data, size_t size)
{
	int fd = openat(dir_fd, "state.json", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

	if (fd < 0 || write(fd, data, size) != (ssize_t)size)
		abort();
	close(fd);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct state_handle h = {.root_fd = -1, .dir_fd = dir_fd, .id = "fuzz"};
	struct container_state *s = NULL;
	struct herr err = {0};
	char *json;

	write_state(data, size);
	if (state_load(&h, &s, &err) < 0) {
		if (err.code >= 0 || !err.msg[0])
			abort();
		return 0;
	}
	if (!s->id)
		abort();
	json = state_to_json(s, STATUS_STOPPED, "", false, NULL);
	if (!json)
		abort();
	free(json);
	state_free(s);
	return 0;
}
