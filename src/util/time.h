/* UTC timestamps without the C library's time zone machinery: gmtime_r and strftime read
 * /etc/localtime on first use, a file open on every start path that logs or saves a state. */
#pragma once

#include <stddef.h>
#include <time.h>

/* "YYYY-MM-DDTHH:MM:SS" of sec (UTC) into buf; with nsec >= 0, ".NNNNNNNNN" follows.
 * A "Z" is always appended.  buf needs 32 bytes for any year up to 9999 with nsec. */
void time_utc_rfc3339(char *buf, size_t size, time_t sec, long nsec);
