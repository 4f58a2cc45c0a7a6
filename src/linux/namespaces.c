#include "linux/namespaces.h"
