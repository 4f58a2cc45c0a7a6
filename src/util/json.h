#ifndef HUSK_UTIL_JSON_H
#define HUSK_UTIL_JSON_H

#endif
