/* What every unit test binary's main() does: run its suite and exit non-zero when a check
 * failed.  CK_VERBOSITY picks the output; tests/run.sh sets "normal" and reads its summary. */
#pragma once

#include <check.h>
#include <stdlib.h>

static inline int unit_run(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
