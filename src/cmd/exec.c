/* exec: runc's command line.  Flag errors exit 1; failures of the exec itself are reported as
 * "exec failed: ..." with exit code 255, as runc does. */
#include "cmd/args.h"

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spec/spec.h"
#include "util/arena.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/log.h"

#define EXEC_FAILED_CODE 255

enum {
	OPT_CONSOLE = 1000,
	OPT_PIDFD,
	OPT_CWD,
	OPT_PIDFILE,
	OPT_LABEL,
	OPT_APPARMOR,
	OPT_NNP,
	OPT_PRESERVE,
	OPT_CGROUP,
	OPT_IGNORE_PAUSED
};

static const struct option exec_options[] = {
    {"console-socket", required_argument, NULL, OPT_CONSOLE},
    {"pidfd-socket", required_argument, NULL, OPT_PIDFD},
    {"cwd", required_argument, NULL, OPT_CWD},
    {"env", required_argument, NULL, 'e'},
    {"tty", optional_argument, NULL, 't'},
    {"user", required_argument, NULL, 'u'},
    {"additional-gids", required_argument, NULL, 'g'},
    {"process", required_argument, NULL, 'p'},
    {"detach", optional_argument, NULL, 'd'},
    {"pid-file", required_argument, NULL, OPT_PIDFILE},
    {"process-label", required_argument, NULL, OPT_LABEL},
    {"apparmor", required_argument, NULL, OPT_APPARMOR},
    {"no-new-privs", optional_argument, NULL, OPT_NNP},
    {"cap", required_argument, NULL, 'c'},
    {"preserve-fds", required_argument, NULL, OPT_PRESERVE},
    {"cgroup", required_argument, NULL, OPT_CGROUP},
    {"ignore-paused", optional_argument, NULL, OPT_IGNORE_PAUSED},
    {NULL, 0, NULL, 0},
};

/* Repeatable flags are collected here (argv outlives the command). */
struct exec_lists {
	char *env[256], *caps[256], *cgroups[64];
	uint32_t gids[256];
	size_t n_cgroups;
	const char *user;
	long long bad_gid; /* a negative --additional-gids value, checked with the process */
	bool has_bad_gid;
};

/* A boolean flag: "--tty", "--tty=true", "--tty=false" (urfave/cli). */
static int exec_bool(const char *flag, const char *value, bool *out, struct herr *err)
{
	if (!value || strcmp(value, "true") == 0 || strcmp(value, "1") == 0)
		*out = true;
	else if (strcmp(value, "false") == 0 || strcmp(value, "0") == 0)
		*out = false;
	else
		return herr_set(err, -EINVAL, "invalid boolean value \"%s\" for flag --%s", value,
				flag);
	return 0;
}

/* Go's strconv.Atoi in runc's messages, as a uint32. */
static int exec_id(const char *what, const char *s, uint32_t *out, struct herr *err)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || end == s || *end || v < 0 || v > UINT32_MAX)
		return herr_set(err, -EINVAL,
				"bad %s: strconv.Atoi: parsing \"%s\": invalid syntax", what, s);
	*out = (uint32_t)v;
	return 0;
}

static int exec_user(const char *user, struct exec_args *a, struct herr *err)
{
	_cleanup_free_ char *dup = strdup(user);
	char *colon;
	int r;

	if (!dup)
		return herr_set(err, -ENOMEM, "out of memory");
	colon = strchr(dup, ':');
	if (colon) {
		*colon = '\0';
		r = exec_id("gid", colon + 1, &a->gid, err);
		if (r < 0)
			return r;
		a->gid_set = true;
	}
	r = exec_id("uid", dup, &a->uid, err);
	if (r < 0)
		return r;
	a->uid_set = true;
	return 0;
}

static int exec_gid(const char *s, struct exec_args *a, struct exec_lists *l, struct herr *err)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || end == s || *end)
		return herr_set(err, -EINVAL, "invalid value \"%s\" for flag --additional-gids", s);
	if (v < 0 || v > UINT32_MAX) {
		l->bad_gid = v;
		l->has_bad_gid = true;
		return 0;
	}
	if (a->n_additional_gids >= ARRAY_SIZE(l->gids))
		return herr_set(err, -E2BIG, "--additional-gids: too many");
	l->gids[a->n_additional_gids++] = (uint32_t)v;
	return 0;
}

static int exec_push(const char *flag, char **v, size_t max, size_t *n, char *s, struct herr *err)
{
	if (*n >= max)
		return herr_set(err, -E2BIG, "--%s: given too many times", flag);
	v[(*n)++] = s;
	return 0;
}

/* runc's getSubCgroupPaths: one "path" (v2), or "ctrl[,ctrl]:path" entries (v1). */
static int exec_cgroups(char **args, size_t n, struct exec_args *a, struct herr *err)
{
	size_t count = 0, k = 0;

	for (size_t i = 0; i < n; i++) {
		char *colon = strchr(args[i], ':');
		count += 1;
		for (char *p = args[i]; colon && p < colon; p++)
			count += *p == ',';
	}
	a->cgroups = calloc(count ? count : 1, sizeof(*a->cgroups));
	if (!a->cgroups)
		return herr_set(err, -ENOMEM, "out of memory");
	for (size_t i = 0; i < n; i++) {
		char *colon = strchr(args[i], ':'), *ctrl, *save = NULL;
		if (!colon) {
			if (n != 1)
				return herr_set(err, -EINVAL,
						"invalid --cgroup argument: %s (missing "
						"<controller>: prefix)",
						args[i]);
			a->cgroups[k++] = (struct cgroup_sub){NULL, args[i]};
			continue;
		}
		_cleanup_free_ char *list = strndup(args[i], (size_t)(colon - args[i]));
		if (!list)
			return herr_set(err, -ENOMEM, "out of memory");
		if (!*list || strstr(list, ",,") || list[strlen(list) - 1] == ',' || *list == ',')
			return herr_set(err, -EINVAL,
					"invalid --cgroup argument: %s (empty <controller> prefix)",
					args[i]);
		for (ctrl = strtok_r(list, ",", &save); ctrl; ctrl = strtok_r(NULL, ",", &save)) {
			for (size_t m = 0; m < k; m++)
				if (a->cgroups[m].controller &&
				    strcmp(a->cgroups[m].controller, ctrl) == 0)
					return herr_set(err, -EINVAL,
							"invalid --cgroup argument(s): "
							"controller %s specified multiple times",
							ctrl);
			/* point into argv: it outlives the command, list does not */
			ctrl = args[i] + (ctrl - list);
			ctrl[strcspn(ctrl, ",:")] = '\0';
			a->cgroups[k++] = (struct cgroup_sub){ctrl, colon + 1};
		}
	}
	a->n_cgroups = k;
	return 0;
}

static int exec_parse(int argc, char **argv, struct exec_args *a, struct exec_lists *l,
		      const char **process_file, struct herr *err)
{
	int c, r = 0;

	optind = 0;
	while ((c = getopt_long(argc, argv, "+e:t::u:g:p:d::c:", exec_options, NULL)) != -1) {
		switch (c) {
		case OPT_CONSOLE:
			a->console_socket = optarg;
			break;
		case OPT_PIDFD:
			a->pidfd_socket = optarg;
			break;
		case OPT_CWD:
			a->cwd = optarg;
			break;
		case OPT_PIDFILE:
			a->pid_file = optarg;
			break;
		case OPT_LABEL:
			a->process_label = optarg;
			break;
		case OPT_APPARMOR:
			a->apparmor = optarg;
			break;
		case 'p':
			*process_file = optarg;
			break;
		case 'e':
			r = exec_push("env", l->env, ARRAY_SIZE(l->env), &a->n_env, optarg, err);
			break;
		case 'c':
			r = exec_push("cap", l->caps, ARRAY_SIZE(l->caps), &a->n_caps, optarg, err);
			break;
		case OPT_CGROUP:
			r = exec_push("cgroup", l->cgroups, ARRAY_SIZE(l->cgroups), &l->n_cgroups,
				      optarg, err);
			break;
		case 't':
			r = exec_bool("tty", optarg, &a->tty, err);
			break;
		case 'd':
			r = exec_bool("detach", optarg, &a->detach, err);
			break;
		case OPT_IGNORE_PAUSED:
			r = exec_bool("ignore-paused", optarg, &a->ignore_paused, err);
			break;
		case OPT_NNP: {
			bool v;
			r = exec_bool("no-new-privs", optarg, &v, err);
			a->no_new_privs = v;
			break;
		}
		case 'u':
			l->user = optarg;
			break;
		case 'g':
			r = exec_gid(optarg, a, l, err);
			break;
		case OPT_PRESERVE:
			r = args_parse_uint("preserve-fds", optarg, &a->preserve_fds, err);
			break;
		default:
			return args_bad_flag("exec", argc, argv, err);
		}
		if (r < 0)
			return r;
	}
	r = cmd_require_args("exec", argc - optind, 1, -1, err);
	if (r < 0)
		return r;
	a->id = argv[optind];
	a->argv = argv + optind + 1;
	a->argc = (size_t)(argc - optind - 1);
	a->env = l->env;
	a->caps = l->caps;
	a->additional_gids = l->gids;
	return 0;
}

/* What runc checks while building the process: failures are "exec failed" (255). */
static int exec_check_flags(struct exec_args *a, struct exec_lists *l, struct herr *err)
{
	int r;

	if (l->user && (r = exec_user(l->user, a, err)) < 0)
		return r;
	if (l->has_bad_gid)
		return herr_set(err, -EINVAL, "additional-gids must be a positive number %lld",
				l->bad_gid);
	return exec_cgroups(l->cgroups, l->n_cgroups, a, err);
}

/* runc checks the preserved fds before anything else opens one of its own. */
static int exec_check_preserved(int n, struct herr *err)
{
	for (int i = 0; i < n; i++)
		if (fcntl(3 + i, F_GETFD) < 0)
			return herr_sys(err, "unable to stat preserved-fd %d (of %d)", i, n);
	return 0;
}

static int exec_load_process(const char *path, struct arena *ar, struct spec_process **out,
			     struct herr *err)
{
	_cleanup_free_ char *text = NULL;
	size_t len;
	int r = read_file_at(AT_FDCWD, path, &text, &len, err);

	if (r < 0)
		return r;
	return spec_parse_process(text, len, path, out, ar, err);
}

CMD_DECLARE(exec)
{
	struct runtime_opts o = args_runtime(g);
	struct exec_args a = {.no_new_privs = -1};
	struct exec_lists *l = calloc(1, sizeof(*l));
	const char *process_file = NULL;
	struct arena *ar = NULL;
	int code = 0, r;

	if (!l)
		return herr_set(err, -ENOMEM, "out of memory");
	r = exec_parse(argc, argv, &a, l, &process_file, err);
	if (r == 0) {
		r = exec_check_flags(&a, l, err);
		if (r == 0)
			r = exec_check_preserved(a.preserve_fds, err);
		if (r == 0 && process_file) {
			ar = arena_new();
			r = ar ? exec_load_process(process_file, ar, &a.process, err)
			       : herr_set(err, -ENOMEM, "out of memory");
		}
		if (r == 0)
			r = container_exec(&o, &a, &code, err);
		if (r < 0)
			log_error("exec failed: %s", err->msg);
		r = r < 0 ? EXEC_FAILED_CODE : code;
	}
	free(a.cgroups);
	free(l);
	if (ar)
		arena_free(ar);
	return r;
}
