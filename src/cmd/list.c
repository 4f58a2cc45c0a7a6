#include "cmd/args.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util/cleanup.h"
#include "util/json.h"

struct list_row {
	char *cells[6];
};

static const struct option list_options[] = {
	{ "format", required_argument, NULL, 'f' },
	{ "quiet", no_argument, NULL, 'q' },
	{ NULL, 0, NULL, 0 },
};

/* The owner's name from /etc/passwd (no NSS: husk may be static), else the number. */
static void list_owner(uid_t uid, char *buf, size_t size)
{
	_cleanup_fclose_ FILE *f = fopen("/etc/passwd", "re");
	char line[512];

	snprintf(buf, size, "#%u", (unsigned)uid);
	while (f && fgets(line, sizeof(line), f)) {
		char *name = strtok(line, ":"), *pw = strtok(NULL, ":"), *id = strtok(NULL, ":");
		if (name && pw && id && (uid_t)strtoul(id, NULL, 10) == uid) {
			snprintf(buf, size, "%s", name);
			return;
		}
	}
}

/* runc's text/tabwriter: min width 12, padding 3. */
static void list_print_table(struct list_row *rows, size_t n)
{
	size_t width[6] = { 0 };

	for (size_t i = 0; i < n; i++)
		for (int c = 0; c < 6; c++)
			if (strlen(rows[i].cells[c]) + 3 > width[c])
				width[c] = strlen(rows[i].cells[c]) + 3;
	for (size_t i = 0; i < n; i++) {
		for (int c = 0; c < 5; c++)
			printf("%-*s", (int)(width[c] < 12 ? 12 : width[c]), rows[i].cells[c]);
		printf("%s\n", rows[i].cells[5]);
	}
}

static int list_collect(const struct runtime_opts *o, char **ids, bool json, yajl_gen gen,
			struct list_row **rows, size_t *n)
{
	for (size_t i = 0; ids[i]; i++) {
		struct container *c = NULL;
		struct herr ignored = { 0 };
		char owner[64], pid[24];
		struct stat st;

		if (container_open(o, ids[i], false, &c, &ignored) < 0)
			continue; /* deleted meanwhile */
		if (!c->s) {
			container_close(c);
			continue;
		}
		fstat(c->h.dir_fd, &st);
		list_owner(st.st_uid, owner, sizeof(owner));
		if (json) {
			char *one = state_to_json(c->s, c->status, owner, false, NULL);
			if (one)
				yajl_gen_number(gen, one, strlen(one)); /* already JSON */
			free(one);
		} else {
			struct list_row *r = &(*rows)[(*n)++];
			snprintf(pid, sizeof(pid), "%d", c->status == STATUS_STOPPED ? 0 : c->s->pid);
			r->cells[0] = strdup(ids[i]);
			r->cells[1] = strdup(pid);
			r->cells[2] = strdup(state_status_name(c->status));
			r->cells[3] = strdup(c->s->bundle);
			r->cells[4] = strdup(c->s->created);
			r->cells[5] = strdup(owner);
		}
		container_close(c);
	}
	return 0;
}

CMD_DECLARE(list)
{
	struct runtime_opts o = args_runtime(g);
	_cleanup_strv_ char **ids = NULL;
	_cleanup_free_ struct list_row *rows = NULL;
	_cleanup_close_ int root_fd = -1;
	bool quiet = false, json = false;
	yajl_gen gen = NULL;
	size_t count = 0, n = 1;
	int c, r;

	optind = 0;
	while ((c = getopt_long(argc, argv, "+f:q", list_options, NULL)) != -1) {
		if (c == 'q')
			quiet = true;
		else if (c == 'f' && (!strcmp(optarg, "json") || !strcmp(optarg, "table")))
			json = !strcmp(optarg, "json");
		else if (c == 'f')
			return herr_set(err, -EINVAL, "invalid format option");
		else
			return args_bad_flag("list", argc, argv, err);
	}
	r = cmd_require_args("list", argc - optind, 0, 0, err);
	if (r < 0)
		return r;
	if (state_root_open(o.root, false, &root_fd, err) < 0) {
		ids = calloc(1, sizeof(*ids)); /* no root yet: no containers */
	} else {
		r = state_list_ids(root_fd, &ids, err);
		if (r < 0)
			return r;
	}
	if (!ids)
		return herr_set(err, -ENOMEM, "list: out of memory");
	while (ids[count])
		count++;
	if (quiet) {
		for (size_t i = 0; i < count; i++)
			puts(ids[i]);
		return 0;
	}
	if (json) {
		if (count == 0) { /* runc prints a nil slice */
			puts("null");
			return 0;
		}
		gen = json_gen_new(false);
		yajl_gen_array_open(gen);
		list_collect(&o, ids, true, gen, NULL, NULL);
		yajl_gen_array_close(gen);
		char *text = json_gen_take(gen, NULL);
		if (text)
			puts(text);
		free(text);
		return 0;
	}
	rows = calloc(count + 1, sizeof(*rows));
	if (!rows)
		return herr_set(err, -ENOMEM, "list: out of memory");
	rows[0] = (struct list_row){ { "ID", "PID", "STATUS", "BUNDLE", "CREATED", "OWNER" } };
	list_collect(&o, ids, false, NULL, &rows, &n);
	list_print_table(rows, n);
	for (size_t i = 1; i < n; i++)
		for (int k = 0; k < 6; k++)
			free(rows[i].cells[k]);
	return 0;
}
