#include "util/json.h"

#include <stdlib.h>
#include <string.h>

yajl_gen json_gen_new(bool pretty)
{
	yajl_gen g = yajl_gen_alloc(NULL);

	if (g && pretty) {
		yajl_gen_config(g, yajl_gen_beautify, 1);
		yajl_gen_config(g, yajl_gen_indent_string, "  ");
	}
	return g;
}

void json_key(yajl_gen g, const char *key)
{
	yajl_gen_string(g, (const unsigned char *)key, strlen(key));
}

void json_key_str(yajl_gen g, const char *key, const char *value)
{
	json_key(g, key);
	value = value ? value : "";
	yajl_gen_string(g, (const unsigned char *)value, strlen(value));
}

void json_key_int(yajl_gen g, const char *key, long long value)
{
	json_key(g, key);
	yajl_gen_integer(g, value);
}

void json_key_bool(yajl_gen g, const char *key, bool value)
{
	json_key(g, key);
	yajl_gen_bool(g, value);
}

char *json_gen_take(yajl_gen g, size_t *len)
{
	const unsigned char *buf;
	size_t n;
	char *out = NULL;

	if (yajl_gen_get_buf(g, &buf, &n) == yajl_gen_status_ok) {
		out = malloc(n + 1);
		if (out) {
			memcpy(out, buf, n);
			out[n] = '\0';
			if (len)
				*len = n;
		}
	}
	yajl_gen_free(g);
	return out;
}

static yajl_val json_member(yajl_val obj, const char *key)
{
	if (!YAJL_IS_OBJECT(obj))
		return NULL;
	for (size_t i = 0; i < obj->u.object.len; i++)
		if (strcmp(obj->u.object.keys[i], key) == 0)
			return obj->u.object.values[i];
	return NULL;
}

const char *json_get_str(yajl_val obj, const char *key)
{
	yajl_val v = json_member(obj, key);
	return YAJL_IS_STRING(v) ? YAJL_GET_STRING(v) : NULL;
}

long long json_get_int(yajl_val obj, const char *key, long long fallback)
{
	yajl_val v = json_member(obj, key);
	return YAJL_IS_INTEGER(v) ? YAJL_GET_INTEGER(v) : fallback;
}

bool json_get_bool(yajl_val obj, const char *key)
{
	return YAJL_IS_TRUE(json_member(obj, key));
}

yajl_val json_get_obj(yajl_val obj, const char *key)
{
	yajl_val v = json_member(obj, key);
	return YAJL_IS_OBJECT(v) ? v : NULL;
}
