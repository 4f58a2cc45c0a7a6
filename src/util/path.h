#ifndef HUSK_UTIL_PATH_H
#define HUSK_UTIL_PATH_H

#endif
