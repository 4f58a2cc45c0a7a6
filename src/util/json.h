/* Thin helpers over yajl for the JSON husk writes (state, hooks' stdin, list) and reads back
 * (its own state file).  config.json is parsed by spec/, not here. */
#ifndef HUSK_UTIL_JSON_H
#define HUSK_UTIL_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <yajl/yajl_gen.h>
#include <yajl/yajl_tree.h>

yajl_gen json_gen_new(bool pretty);
void json_key(yajl_gen g, const char *key);
void json_key_str(yajl_gen g, const char *key, const char *value); /* NULL -> "" */
void json_key_int(yajl_gen g, const char *key, long long value);
void json_key_bool(yajl_gen g, const char *key, bool value);
/* Copy the generated text into a malloc'ed NUL-terminated string and free the generator. */
char *json_gen_take(yajl_gen g, size_t *len);

/* Members of an object node; NULL (or the fallback) when absent or of another type. */
const char *json_get_str(yajl_val obj, const char *key);
long long json_get_int(yajl_val obj, const char *key, long long fallback);
bool json_get_bool(yajl_val obj, const char *key);
yajl_val json_get_obj(yajl_val obj, const char *key);

#endif
