/*
 * Unit-test helpers.  Temp dirs live under $TMPDIR and are removed when
 * the forked test process exits.
 */
#include "config.h"

#include "unit.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/diag.h"
#include "base/fsio.h"
#include "base/xmalloc.h"

static char	 unit_dir[4096];

static void
unit_rmdir(void)
{
	char	 cmd[4200];

	if (unit_dir[0] == '\0')
		return;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", unit_dir);
	if (system(cmd) != 0)
		fprintf(stderr, "unit: could not remove %s\n", unit_dir);
	unit_dir[0] = '\0';
}

const char *
unit_tmpdir(void)
{
	const char	*base = getenv("TMPDIR");

	if (unit_dir[0] != '\0')
		return unit_dir;
	snprintf(unit_dir, sizeof unit_dir, "%s/barge-unit.XXXXXX",
	    base != NULL ? base : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(unit_dir));
	atexit(unit_rmdir);
	return unit_dir;
}

const char *
unit_write(const char *dir, const char *name, const char *text)
{
	static char	 path[4096];
	FILE		*fp;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	fp = fopen(path, "w");
	ck_assert_ptr_nonnull(fp);
	ck_assert_int_eq(fputs(text, fp) >= 0, 1);
	ck_assert_int_eq(fclose(fp), 0);
	return path;
}

const char *
unit_data(const char *rel)
{
	static char	 path[4096];
	const char	*top = getenv("top_srcdir");

	snprintf(path, sizeof path, "%s/tests/data/%s",
	    top != NULL ? top : ".", rel);
	return path;
}

void
unit_expect_diags(const char *path, const struct diag *d)
{
	struct buf	 b, want;
	char		*line, *save, *p;
	size_t		 n = 0;

	buf_init(&b);
	buf_init(&want);
	ck_assert_int_eq(fsio_read_file(path, &b, NULL), 0);
	for (line = strtok_r(b.data, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, "# expect: ", 10) != 0)
			continue;
		buf_reset(&want);
		buf_printf(&want, "%s:", path);
		for (p = line + 10; *p != '\0'; p++) {
			if (strncmp(p, "FILE", 4) == 0) {
				buf_puts(&want, path);
				p += 3;
			} else
				buf_putc(&want, *p);
		}
		ck_assert_msg(n < diag_count(d), "%s: missing diagnostic %s",
		    path, want.data);
		ck_assert_str_eq(diag_get(d, n), want.data);
		n++;
	}
	if (n != diag_count(d))
		ck_abort_msg("%s: unexpected diagnostic %s", path,
		    diag_get(d, n));
	ck_assert_uint_gt(n, 0);
	buf_clear(&b);
	buf_clear(&want);
}

void
unit_each_file(const char *rel, size_t min, void (*fn)(const char *path))
{
	struct dirent	**ents;
	char		 *dir = xstrdup(unit_data(rel));
	int		  n, i;

	n = scandir(dir, &ents, NULL, alphasort);
	ck_assert_int_gt(n, (int)min);
	for (i = 0; i < n; i++) {
		if (ents[i]->d_name[0] != '.') {
			char	*path = xasprintf("%s/%s", dir,
			    ents[i]->d_name);

			fn(path);
			free(path);
		}
		free(ents[i]);
	}
	free(ents);
	free(dir);
}
