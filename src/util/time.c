/* UTC calendar arithmetic for timestamps: days since the epoch to a civil date in the
 * proleptic Gregorian calendar, in 400-year eras of 146097 days (every era alike). */
#include "util/time.h"

#include <stdio.h>

void time_utc_rfc3339(char *buf, size_t size, time_t sec, long nsec)
{
	long long days = sec / 86400, rem = sec % 86400;

	if (rem < 0) {
		rem += 86400;
		days--;
	}
	/* shift the epoch to 0000-03-01 so that the leap day ends a year */
	days += 719468;
	long long era = (days >= 0 ? days : days - 146096) / 146097;
	long long doe = days - era * 146097;                                 /* [0, 146096] */
	long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365; /* [0, 399] */
	long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);             /* [0, 365] */
	long long mp = (5 * doy + 2) / 153;                                  /* March = 0 */
	int day = (int)(doy - (153 * mp + 2) / 5 + 1);
	int month = (int)(mp < 10 ? mp + 3 : mp - 9);
	long long year = yoe + era * 400 + (month <= 2);
	int hour = (int)(rem / 3600), min = (int)(rem / 60 % 60), s = (int)(rem % 60);

	if (nsec >= 0)
		snprintf(buf, size, "%04lld-%02d-%02dT%02d:%02d:%02d.%09ldZ", year, month, day, hour,
			 min, s, nsec);
	else
		snprintf(buf, size, "%04lld-%02d-%02dT%02d:%02d:%02dZ", year, month, day, hour, min,
			 s);
}
