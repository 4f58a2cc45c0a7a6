#include "container/container.h"
