#include "linux/mount.h"
