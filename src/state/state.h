#ifndef HUSK_STATE_STATE_H
#define HUSK_STATE_STATE_H

#endif
