#include "linux/process.h"
