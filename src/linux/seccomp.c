#include "linux/seccomp.h"
