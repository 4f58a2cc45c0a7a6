#include "cgroup/cgroup.h"
