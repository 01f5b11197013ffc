/*
 * barged/diskfull: which errors are a full disk, how much room it waits
 * for, and how its wait grows with each start again that filled the
 * disk before its first sync point (carried in the environment across
 * exec) and falls back once a sync point succeeds.
 */
#include "config.h"

#include <sys/statvfs.h>

#include <errno.h>
#include <stdlib.h>

#include "barged/diskfull.h"
#include "base/error.h"

#include "unit.h"

static char	*diskfull_args[] = { (char *)"barged", (char *)"-c",
		    (char *)"x.yaml", NULL };

START_TEST(test_diskfull_is)
{
	struct error	 err;

	error_set(&err, ERR_SYS, "x");
	err.sys = ENOSPC;
	ck_assert(diskfull_is(&err));
	err.sys = EDQUOT;
	ck_assert(diskfull_is(&err));
	err.sys = EIO;
	ck_assert(!diskfull_is(&err));
	error_set(&err, ERR_INPUT, "x");
	err.sys = ENOSPC;
	ck_assert(!diskfull_is(&err));
}
END_TEST

START_TEST(test_diskfull_wanted)
{
	const char	*dir = unit_tmpdir();
	struct statvfs	 st;
	uint64_t	 half, free_bytes;

	ck_assert_int_eq(statvfs(dir, &st), 0);
	half = (uint64_t)st.f_blocks * st.f_frsize / 2;
	ck_assert_uint_eq(diskfull_wanted(dir),
	    half < DISKFULL_RESUME_BYTES ? half : DISKFULL_RESUME_BYTES);
	ck_assert_uint_eq(diskfull_has_room(dir, &free_bytes),
	    free_bytes >= diskfull_wanted(dir));
	ck_assert_uint_eq(free_bytes, (uint64_t)st.f_bavail * st.f_frsize);
	ck_assert(!diskfull_has_room("/no/such/folder", &free_bytes));
	ck_assert_uint_eq(free_bytes, 0);
}
END_TEST

START_TEST(test_diskfull_wait)
{
	unsetenv("BARGED_DISKFULL_RESTARTS");
	diskfull_init(3, diskfull_args);
	ck_assert_uint_eq(diskfull_wait_ms(), 1000);

	setenv("BARGED_DISKFULL_RESTARTS", "3", 1);
	diskfull_init(3, diskfull_args);
	ck_assert_uint_eq(diskfull_wait_ms(), 8000);
	diskfull_clear();
	ck_assert_uint_eq(diskfull_wait_ms(), 1000);
	ck_assert_ptr_null(getenv("BARGED_DISKFULL_RESTARTS"));

	setenv("BARGED_DISKFULL_RESTARTS", "8", 1);
	diskfull_init(3, diskfull_args);
	ck_assert_uint_eq(diskfull_wait_ms(), 256000);
	setenv("BARGED_DISKFULL_RESTARTS", "40", 1);
	diskfull_init(3, diskfull_args);
	ck_assert_uint_eq(diskfull_wait_ms(), 300000);
}
END_TEST

Suite *
unit_suite(void)
{
	Suite	*s = suite_create("diskfull");
	TCase	*tc = tcase_create("diskfull");

	tcase_add_test(tc, test_diskfull_is);
	tcase_add_test(tc, test_diskfull_wanted);
	tcase_add_test(tc, test_diskfull_wait);
	suite_add_tcase(s, tc);
	return s;
}
