#include "linux/rootfs.h"
