#include "linux/terminal.h"
