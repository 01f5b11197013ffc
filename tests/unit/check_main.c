/*
 * The shared main() of every unit-test program: each check_<module>.c
 * defines unit_suite(), and this runs it and turns failures into the exit
 * status automake's harness reads.
 */
#include "config.h"

#include <check.h>
#include <stdlib.h>

#include "unit.h"

int
main(void)
{
	SRunner	*sr = srunner_create(unit_suite());
	int	 failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
