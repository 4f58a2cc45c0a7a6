#ifndef HUSK_UTIL_SIGNALS_H
#define HUSK_UTIL_SIGNALS_H

#endif
