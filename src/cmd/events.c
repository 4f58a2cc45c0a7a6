/* events [--stats] [--interval 5s] ID: runc's event stream, one JSON object a line.
 *   {"type":"stats","id":ID,"data":{"cpu":{...},"memory":{...},"pids":{...}}}
 *   {"type":"oom","id":ID}
 * --stats prints one stats event and exits; otherwise stats every interval and an oom event
 * whenever the kernel's OOM-kill counter moves, until the container stops. */
#include "cmd/args.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/cleanup.h"

static const struct option events_options[] = {
    {"stats", no_argument, NULL, 's'},
    {"interval", required_argument, NULL, 'i'},
    {NULL, 0, NULL, 0},
};

/* Go durations as runc takes them: "5s", "500ms", "1m30s", "2h", "100us", "1.5s". */
static int parse_duration(const char *s, long long *ns)
{
	static const struct {
		const char *unit;
		long long ns;
	} units[] = {
	    {"ns", 1},		 {"us", 1000},	       {"µs", 1000},	      {"ms", 1000000},
	    {"s", 1000000000LL}, {"m", 60000000000LL}, {"h", 3600000000000LL}};
	long double total = 0;

	if (!*s)
		return -EINVAL;
	while (*s) {
		char *end;
		long double v = strtold(s, &end);
		size_t best = 0;
		int which = -1;

		if (end == s || v < 0)
			return -EINVAL;
		for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
			size_t l = strlen(units[i].unit);
			if (strncmp(end, units[i].unit, l) == 0 && l > best) {
				best = l;
				which = (int)i;
			}
		}
		if (which < 0)
			return -EINVAL;
		total += v * units[which].ns;
		s = end + best;
	}
	*ns = (long long)total;
	return *ns > 0 ? 0 : -EINVAL;
}

static void json_str(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			printf("\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			printf("\\u%04x", *s);
		else
			putchar(*s);
	}
	putchar('"');
}

static void print_mem(const char *name, const struct cgroup_mem_usage *m, bool comma)
{
	printf("\"%s\":{\"limit\":%llu,\"usage\":%llu,\"max\":%llu,\"failcnt\":%llu}%s", name,
	       m->limit, m->usage, m->max, m->failcnt, comma ? "," : "");
}

static void print_stats(const char *id, const struct cgroup_stats *st)
{
	bool first = true;

	printf("{\"type\":\"stats\",\"id\":");
	json_str(id);
	printf(",\"data\":{");
	if (st->has_cpu) {
		printf("\"cpu\":{\"usage\":{\"total\":%llu", st->cpu_total);
		if (st->n_percpu) {
			printf(",\"percpu\":[");
			for (size_t i = 0; i < st->n_percpu; i++)
				printf("%s%llu", i ? "," : "", st->percpu[i]);
			putchar(']');
		}
		printf(",\"kernel\":%llu,\"user\":%llu},\"throttling\":{", st->cpu_kernel,
		       st->cpu_user);
		if (st->throttle_periods)
			printf(
			    "\"periods\":%llu,\"throttled_periods\":%llu,\"throttled_time\":%llu",
			    st->throttle_periods, st->throttle_throttled, st->throttle_time);
		printf("}}");
		first = false;
	}
	if (st->has_memory) {
		printf("%s\"memory\":{\"cache\":%llu,", first ? "" : ",", st->mem_cache);
		print_mem("usage", &st->mem, true);
		print_mem("swap", &st->swap, true);
		print_mem("kernel", &st->kernel, true);
		print_mem("kernelTCP", &st->kernel_tcp, true);
		printf("\"raw\":{");
		for (size_t i = 0; i < st->n_mem_raw; i++) {
			printf("%s", i ? "," : "");
			json_str(st->mem_raw[i].key);
			printf(":%s", st->mem_raw[i].value);
		}
		printf("}}");
		first = false;
	}
	if (st->has_pids) {
		printf("%s\"pids\":{\"current\":%llu", first ? "" : ",", st->pids_current);
		if (st->pids_limit)
			printf(",\"limit\":%llu", st->pids_limit);
		putchar('}');
		first = false;
	}
	/* runc: usage and max are omitted when 0 (omitempty), failcnt never */
	printf("%s\"blkio\":{},\"hugetlb\":{", first ? "" : ",");
	for (size_t i = 0; i < st->n_hugetlb; i++) {
		const struct cgroup_hugetlb *h = &st->hugetlb[i];

		printf("%s\"%s\":{", i ? "," : "", h->size);
		if (h->usage)
			printf("\"usage\":%llu,", h->usage);
		if (h->max)
			printf("\"max\":%llu,", h->max);
		printf("\"failcnt\":%llu}", h->failcnt);
	}
	printf("},\"intel_rdt\":{}}}\n");
	fflush(stdout);
}

/* Open the container for one round: NULL (and 0) once it is gone or stopped. */
static int stats_round(const struct runtime_opts *o, const char *id, bool *gone,
		       unsigned long long *ooms, bool emit_stats, struct herr *err)
{
	struct container *c = NULL;
	int r = container_open(o, id, false, &c, err);

	if (r < 0)
		return r;
	if (c->status == STATUS_STOPPED || !c->cg) {
		*gone = true;
		container_close(c);
		return 0;
	}
	{
		unsigned long long now = cgroup_oom_count(c->cg);
		for (; *ooms < now; (*ooms)++) {
			printf("{\"type\":\"oom\",\"id\":");
			json_str(id);
			printf("}\n");
			fflush(stdout);
		}
	}
	if (emit_stats) {
		struct cgroup_stats st;
		r = cgroup_stats(c->cg, &st, err);
		if (r == 0)
			print_stats(id, &st);
		cgroup_stats_free(&st);
	}
	container_close(c);
	return r;
}

CMD_DECLARE(events)
{
	struct runtime_opts o = args_runtime(g);
	long long interval = 5000000000LL, waited = 0;
	const long long tick = 100000000LL; /* OOM polling: 100 ms */
	unsigned long long ooms = 0;
	bool once = false, gone = false;
	int ch, r;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "+", events_options, NULL)) != -1) {
		if (ch == 's')
			once = true;
		else if (ch == 'i' && parse_duration(optarg, &interval) == 0)
			continue;
		else if (ch == 'i')
			return herr_set(err, -EINVAL,
					"invalid value \"%s\" for flag -interval: "
					"parse error",
					optarg);
		else
			return args_bad_flag("events", argc, argv, err);
	}
	r = cmd_require_args("events", argc - optind, 1, 1, err);
	if (r < 0)
		return r;
	if (once) {
		struct container *c = NULL;
		struct cgroup_stats st;

		r = container_open(&o, argv[optind], false, &c, err);
		if (r < 0)
			return r;
		if (c->status == STATUS_STOPPED || !c->cg) {
			container_close(c);
			return herr_set(err, -EINVAL, "container with id %s is not running",
					argv[optind]);
		}
		r = cgroup_stats(c->cg, &st, err);
		if (r == 0)
			print_stats(argv[optind], &st);
		cgroup_stats_free(&st);
		container_close(c);
		return r < 0 ? r : 0;
	}
	{
		/* OOM kills before `events` started are not news */
		struct container *c = NULL;
		if (container_open(&o, argv[optind], false, &c, err) < 0)
			return err->code;
		if (c->cg)
			ooms = cgroup_oom_count(c->cg);
		container_close(c);
	}
	for (;;) {
		bool emit = waited >= interval;

		r = stats_round(&o, argv[optind], &gone, &ooms, emit, err);
		if (r < 0 || gone)
			return r < 0 ? r : 0;
		if (emit)
			waited = 0;
		nanosleep(&(struct timespec){.tv_sec = tick / 1000000000LL,
					     .tv_nsec = tick % 1000000000LL},
			  NULL);
		waited += tick;
	}
}
