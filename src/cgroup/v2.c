#include "cgroup/internal.h"
