#ifndef HUSK_CMD_ARGS_H
#define HUSK_CMD_ARGS_H

#endif
