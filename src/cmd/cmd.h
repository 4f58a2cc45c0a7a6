#ifndef HUSK_CMD_CMD_H
#define HUSK_CMD_CMD_H

#endif
