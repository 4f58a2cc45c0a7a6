/* ps [--format table|json] ID [-- ps args]: the container's processes.  json prints the pids
 * as an array; table runs ps(1) (default `ps -ef`) and keeps the header and the lines whose PID
 * column is one of the container's, as runc does. */
#include "cmd/args.h"

#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/cleanup.h"

extern char **environ;

static const struct option ps_options[] = {
    {"format", required_argument, NULL, 'f'},
    {NULL, 0, NULL, 0},
};

static int print_json(const pid_t *pids, size_t n)
{
	putchar('[');
	for (size_t i = 0; i < n; i++)
		printf("%s%d", i ? "," : "", (int)pids[i]);
	puts("]");
	return 0;
}

/* Run ps with args, its stdout into *out. */
static int run_ps(char **args, int n_args, char **out, struct herr *err)
{
	_cleanup_free_ char **argv = calloc((size_t)n_args + 3, sizeof(char *));
	posix_spawn_file_actions_t fa;
	int pipefd[2], status, r, k = 0;
	_cleanup_fclose_ FILE *f = NULL;
	size_t size = 0;
	pid_t pid;

	if (!argv)
		return herr_errno(err, ENOMEM, "ps");
	argv[k++] = (char *)"ps";
	if (n_args == 0)
		argv[k++] = (char *)"-ef";
	for (int i = 0; i < n_args; i++)
		argv[k++] = args[i];
	if (pipe2(pipefd, O_CLOEXEC) < 0)
		return herr_sys(err, "ps: pipe");
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, pipefd[1], STDOUT_FILENO);
	r = posix_spawnp(&pid, "ps", &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(pipefd[1]);
	if (r != 0) {
		close(pipefd[0]);
		return herr_errno(err, r, "ps: exec ps");
	}
	f = fdopen(pipefd[0], "r");
	if (!f) {
		close(pipefd[0]);
		waitpid(pid, NULL, 0);
		return herr_sys(err, "ps");
	}
	{
		FILE *mem = open_memstream(out, &size);
		char buf[4096];
		size_t n;

		if (!mem)
			return herr_sys(err, "ps");
		while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
			fwrite(buf, 1, n, mem);
		fclose(mem);
	}
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return herr_set(err, -EIO, "ps: `ps` failed (status %d)",
				WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	return 0;
}

static int print_table(const pid_t *pids, size_t n, char **args, int n_args, struct herr *err)
{
	_cleanup_free_ char *out = NULL;
	char *save = NULL, *line;
	int pid_col = -1, r;

	r = run_ps(args, n_args, &out, err);
	if (r < 0)
		return r;
	line = strtok_r(out, "\n", &save);
	if (!line)
		return herr_set(err, -EIO, "ps: no output from ps");
	{
		_cleanup_free_ char *hdr = strdup(line);
		char *s2 = NULL;
		int col = 0;

		if (!hdr)
			return herr_errno(err, ENOMEM, "ps");
		for (char *t = strtok_r(hdr, " \t", &s2); t;
		     t = strtok_r(NULL, " \t", &s2), col++) {
			if (strcmp(t, "PID") == 0)
				pid_col = col;
		}
	}
	if (pid_col < 0)
		return herr_set(err, -EINVAL, "couldn't find PID field in ps output");
	puts(line);
	while ((line = strtok_r(NULL, "\n", &save))) {
		_cleanup_free_ char *copy = strdup(line);
		char *s2 = NULL, *t;
		int col = 0;
		long pid;

		if (!copy)
			return herr_errno(err, ENOMEM, "ps");
		for (t = strtok_r(copy, " \t", &s2); t && col < pid_col;
		     t = strtok_r(NULL, " \t", &s2))
			col++;
		if (!t)
			continue;
		pid = strtol(t, NULL, 10);
		for (size_t i = 0; i < n; i++) {
			if (pids[i] == pid) {
				puts(line);
				break;
			}
		}
	}
	return 0;
}

CMD_DECLARE(ps)
{
	struct runtime_opts o = args_runtime(g);
	const char *format = "table";
	struct container *c = NULL;
	_cleanup_free_ pid_t *pids = NULL;
	size_t n = 0;
	int ch, r;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "+f:", ps_options, NULL)) != -1) {
		if (ch != 'f')
			return args_bad_flag("ps", argc, argv, err);
		format = optarg;
	}
	r = cmd_require_args("ps", argc - optind, 1, -1, err);
	if (r < 0)
		return r;
	if (strcmp(format, "table") != 0 && strcmp(format, "json") != 0)
		return herr_set(err, -EINVAL, "invalid format option");
	r = container_open(&o, argv[optind], false, &c, err);
	if (r < 0)
		return r;
	if (c->status == STATUS_STOPPED || !c->cg)
		r = herr_set(err, -EINVAL, "container %s is not running", argv[optind]);
	else
		r = cgroup_pids(c->cg, &pids, &n, err);
	container_close(c);
	if (r < 0)
		return r;
	if (strcmp(format, "json") == 0)
		return print_json(pids, n);
	/* "ps ID -- -o pid,comm": the ps arguments follow the id, after an optional "--" */
	optind++;
	if (optind < argc && strcmp(argv[optind], "--") == 0)
		optind++;
	return print_table(pids, n, argv + optind, argc - optind, err);
}
