#include "state/state.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util/arena.h"
#include "util/cleanup.h"
#include "util/fs.h"
#include "util/json.h"
#include "util/time.h"

#define STATE_FILE "state.json"

static const char *const status_names[] = {
	[STATUS_CREATING] = "creating", [STATUS_CREATED] = "created",
	[STATUS_RUNNING] = "running",	[STATUS_PAUSED] = "paused",
	[STATUS_STOPPED] = "stopped",
};

const char *state_status_name(enum container_status status)
{
	return status_names[status];
}

int state_validate_id(const char *id, struct herr *err)
{
	size_t len = strlen(id);

	if (len == 0)
		return herr_set(err, -EINVAL, "invalid container ID: must not be empty");
	if (len > STATE_ID_MAX)
		return herr_set(err, -EINVAL, "invalid container ID: longer than %d bytes",
				STATE_ID_MAX);
	if (!isalnum((unsigned char)id[0]))
		return herr_set(err, -EINVAL, "invalid container ID format: %s", id);
	for (const char *p = id; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr("_.+-", *p))
			return herr_set(err, -EINVAL, "invalid container ID format: %s", id);
	return 0;
}

int state_root_open(const char *root, bool create, int *root_fd, struct herr *err)
{
	int fd;

	if (create) {
		int r = mkdir_p(root, 0700, err);
		if (r < 0)
			return r;
	}
	fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return herr_sys(err, "open state root %s", root);
	*root_fd = fd;
	return 0;
}

static int state_lock(struct state_handle *h, bool exclusive, struct herr *err)
{
	while (flock(h->dir_fd, exclusive ? LOCK_EX : LOCK_SH) < 0)
		if (errno != EINTR)
			return herr_sys(err, "lock container %s", h->id);
	return 0;
}

int state_create(int root_fd, const char *id, struct state_handle *h, struct herr *err)
{
	int r = state_validate_id(id, err);

	if (r < 0)
		return r;
	if (mkdirat(root_fd, id, 0711) < 0) {
		if (errno == EEXIST)
			return herr_set(err, -EEXIST, "container with id %s already exists", id);
		return herr_sys(err, "create state directory for %s", id);
	}
	h->root_fd = root_fd;
	snprintf(h->id, sizeof(h->id), "%s", id);
	h->dir_fd = openat(root_fd, id, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (h->dir_fd < 0)
		return herr_sys(err, "open state directory for %s", id);
	return state_lock(h, true, err);
}

int state_open(int root_fd, const char *id, bool exclusive, struct state_handle *h,
	       struct herr *err)
{
	struct stat st;
	int r = state_validate_id(id, err);

	if (r < 0)
		return r;
	h->root_fd = root_fd;
	snprintf(h->id, sizeof(h->id), "%s", id);
	h->dir_fd = openat(root_fd, id, O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOFOLLOW);
	if (h->dir_fd < 0) {
		if (errno == ENOENT || errno == ENOTDIR || errno == ELOOP)
			return herr_set(err, -ENOENT, "container %s does not exist", id);
		return herr_sys(err, "open state of container %s", id);
	}
	r = state_lock(h, exclusive, err);
	if (r < 0)
		return r;
	/* A delete that held the lock before us has removed the directory. */
	if (fstat(h->dir_fd, &st) < 0 || st.st_nlink == 0)
		return herr_set(err, -ENOENT, "container %s does not exist", id);
	return 0;
}

void state_close(struct state_handle *h)
{
	if (h->dir_fd >= 0)
		close(h->dir_fd);
	h->dir_fd = -1;
}

static void state_gen_annotations(yajl_gen g, const struct container_state *s)
{
	json_key(g, "annotations");
	yajl_gen_map_open(g);
	for (size_t i = 0; i < s->n_annotations; i++)
		json_key_str(g, s->annotations[i].key, s->annotations[i].value);
	yajl_gen_map_close(g);
}

int state_save(struct state_handle *h, const struct container_state *s, struct herr *err)
{
	yajl_gen g = json_gen_new(false);
	_cleanup_free_ char *text = NULL;
	size_t len = 0;

	if (!g)
		return herr_set(err, -ENOMEM, "save state: out of memory");
	yajl_gen_map_open(g);
	json_key_str(g, "ociVersion", s->oci_version);
	json_key_str(g, "id", s->id);
	json_key_int(g, "pid", s->pid);
	json_key_int(g, "pidStart", (long long)s->pid_start);
	json_key_str(g, "bundle", s->bundle);
	json_key_str(g, "rootfs", s->rootfs);
	json_key_str(g, "created", s->created);
	if (s->cgroup_path)
		json_key_str(g, "cgroupPath", s->cgroup_path);
	json_key_bool(g, "systemdCgroup", s->systemd_cgroup);
	json_key_bool(g, "rootless", s->rootless);
	state_gen_annotations(g, s);
	yajl_gen_map_close(g);
	text = json_gen_take(g, &len);
	if (!text)
		return herr_set(err, -ENOMEM, "save state: out of memory");
	return write_file_atomic_at(h->dir_fd, STATE_FILE, text, len, 0600, err);
}

static char *state_dup(struct arena *a, const char *s)
{
	return s ? arena_strdup(a, s) : NULL;
}

static int state_load_annotations(struct container_state *s, yajl_val obj)
{
	yajl_val ann = json_get_obj(obj, "annotations");

	if (!ann || ann->u.object.len == 0)
		return 0;
	s->annotations = arena_alloc(s->arena, ann->u.object.len * sizeof(*s->annotations));
	if (!s->annotations)
		return -ENOMEM;
	for (size_t i = 0; i < ann->u.object.len; i++) {
		yajl_val v = ann->u.object.values[i];
		s->annotations[i].key = arena_strdup(s->arena, ann->u.object.keys[i]);
		s->annotations[i].value = arena_strdup(s->arena, YAJL_IS_STRING(v) ? v->u.string : "");
	}
	s->n_annotations = ann->u.object.len;
	return 0;
}

int state_load(struct state_handle *h, struct container_state **out, struct herr *err)
{
	_cleanup_free_ char *text = NULL;
	struct container_state *s;
	char ebuf[256];
	yajl_val root;
	int r;

	r = read_file_at(h->dir_fd, STATE_FILE, &text, NULL, err);
	if (r == -ENOENT)
		return r;
	if (r < 0)
		return herr_wrap(err, "container %s", h->id);
	root = yajl_tree_parse(text, ebuf, sizeof(ebuf));
	if (!root || !YAJL_IS_OBJECT(root)) {
		yajl_tree_free(root);
		return herr_set(err, -EINVAL, "container %s: corrupt state file", h->id);
	}
	s = calloc(1, sizeof(*s));
	if (s)
		s->arena = arena_new();
	if (!s || !s->arena) {
		free(s);
		yajl_tree_free(root);
		return herr_set(err, -ENOMEM, "load state: out of memory");
	}
	s->oci_version = state_dup(s->arena, json_get_str(root, "ociVersion"));
	s->id = state_dup(s->arena, json_get_str(root, "id"));
	s->pid = (pid_t)json_get_int(root, "pid", 0);
	s->pid_start = (unsigned long long)json_get_int(root, "pidStart", 0);
	s->bundle = state_dup(s->arena, json_get_str(root, "bundle"));
	s->rootfs = state_dup(s->arena, json_get_str(root, "rootfs"));
	s->created = state_dup(s->arena, json_get_str(root, "created"));
	s->cgroup_path = state_dup(s->arena, json_get_str(root, "cgroupPath"));
	s->systemd_cgroup = json_get_bool(root, "systemdCgroup");
	s->rootless = json_get_bool(root, "rootless");
	r = state_load_annotations(s, root);
	yajl_tree_free(root);
	if (r < 0 || !s->id) {
		state_free(s);
		return herr_set(err, -EINVAL, "container %s: corrupt state file", h->id);
	}
	*out = s;
	return 0;
}

void state_free(struct container_state *s)
{
	if (!s)
		return;
	arena_free(s->arena);
	free(s);
}

int state_destroy(struct state_handle *h, struct herr *err)
{
	_cleanup_closedir_ DIR *d = NULL;
	int fd = openat(h->dir_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct dirent *de;

	if (fd < 0)
		return herr_sys(err, "remove state of %s", h->id);
	d = fdopendir(fd);
	if (!d) {
		close(fd);
		return herr_sys(err, "remove state of %s", h->id);
	}
	/* husk puts only plain files in the directory */
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			unlinkat(h->dir_fd, de->d_name, 0);
	if (unlinkat(h->root_fd, h->id, AT_REMOVEDIR) < 0 && errno != ENOENT)
		return herr_sys(err, "remove state directory of %s", h->id);
	return 0;
}

unsigned long long state_pid_start(pid_t pid)
{
	char path[64], buf[1024], *p, state;
	unsigned long long start = 0;
	_cleanup_close_ int fd = -1;
	ssize_t n;

	if (pid <= 0)
		return 0;
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	/* comm may hold spaces and parentheses: fields resume after the last ')' */
	p = strrchr(buf, ')');
	if (!p || sscanf(p + 1,
			 " %c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d %*d %*d "
			 "%*d %*d %llu",
			 &state, &start) != 2)
		return 0;
	if (state == 'Z' || state == 'X')
		return 0;
	return start;
}

bool state_init_alive(const struct container_state *s)
{
	return s->pid > 0 && s->pid_start && state_pid_start(s->pid) == s->pid_start;
}

enum container_status state_status(const struct state_handle *h, const struct container_state *s)
{
	struct stat st;

	if (!s)
		return STATUS_CREATING;
	if (!state_init_alive(s))
		return STATUS_STOPPED;
	if (fstatat(h->dir_fd, STATE_FIFO, &st, AT_SYMLINK_NOFOLLOW) == 0)
		return STATUS_CREATED;
	return STATUS_RUNNING;
}

char *state_to_json(const struct container_state *s, enum container_status status,
		    const char *owner, bool pretty, size_t *len)
{
	yajl_gen g = json_gen_new(pretty);
	size_t n = 0;
	char *text;

	if (!g)
		return NULL;
	yajl_gen_map_open(g);
	json_key_str(g, "ociVersion", s->oci_version);
	json_key_str(g, "id", s->id);
	json_key_int(g, "pid", status == STATUS_STOPPED ? 0 : s->pid);
	json_key_str(g, "status", state_status_name(status));
	json_key_str(g, "bundle", s->bundle);
	json_key_str(g, "rootfs", s->rootfs);
	json_key_str(g, "created", s->created);
	json_key_str(g, "owner", owner);
	if (s->n_annotations)
		state_gen_annotations(g, s);
	yajl_gen_map_close(g);
	text = json_gen_take(g, &n);
	if (text && n && text[n - 1] == '\n') /* runc prints none */
		text[--n] = '\0';
	if (len)
		*len = n;
	return text;
}

void state_now_rfc3339(char *buf, size_t size)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	time_utc_rfc3339(buf, size, ts.tv_sec, ts.tv_nsec);
}

static int state_cmp_ids(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int state_list_ids(int root_fd, char ***ids, struct herr *err)
{
	_cleanup_closedir_ DIR *d = NULL;
	_cleanup_strv_ char **v = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	int fd = openat(root_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0 || !(d = fdopendir(fd))) {
		if (fd >= 0)
			close(fd);
		return herr_sys(err, "list containers");
	}
	v = calloc(1, sizeof(*v));
	if (!v)
		return herr_set(err, -ENOMEM, "list containers: out of memory");
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.' || de->d_type != DT_DIR)
			continue;
		if (n + 2 > cap) {
			char **nv = realloc(v, (cap = cap ? cap * 2 : 16) * sizeof(*v));
			if (!nv)
				return herr_set(err, -ENOMEM, "list containers: out of memory");
			v = nv;
		}
		v[n] = strdup(de->d_name);
		if (!v[n])
			return herr_set(err, -ENOMEM, "list containers: out of memory");
		v[++n] = NULL;
	}
	qsort(v, n, sizeof(*v), state_cmp_ids);
	*ids = steal_pointer(&v);
	return 0;
}
