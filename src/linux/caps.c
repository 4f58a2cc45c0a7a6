#include "linux/caps.h"
