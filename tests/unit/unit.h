/*
 * Helpers shared by the unit suites: temporary folders, file fixtures,
 * and the suite entry point every check_<module>.c defines.
 */
#ifndef TESTS_UNIT_H
#define TESTS_UNIT_H

#include <check.h>
#include <stddef.h>

Suite	*unit_suite(void);

/* Creates a fresh temp dir for the running test; returns its path. */
const char *unit_tmpdir(void);
/* Writes text to dir/name and returns the full path (static storage). */
const char *unit_write(const char *dir, const char *name, const char *text);
/* Path of a file under tests/data in the source tree (static storage). */
const char *unit_data(const char *rel);

/*
 * Asserts that d holds exactly the diagnostics the file at path lists in
 * its "# expect: line:col: message" lines, in order ("FILE" in them
 * stands for path).
 */
struct diag;
void	unit_expect_diags(const char *path, const struct diag *d);

/* Calls fn for each file (not dot-files) of tests/data/rel; expects > min. */
void	unit_each_file(const char *rel, size_t min,
	    void (*fn)(const char *path));

#endif
