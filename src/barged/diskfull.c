#include "config.h"

#include "barged/diskfull.h"

#include <sys/statvfs.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "base/log.h"
#include "base/xmalloc.h"

#define DISKFULL_ENV		"BARGED_DISKFULL_RESTARTS"
#define DISKFULL_WAIT_MAX_MS	300000

static char	**diskfull_argv;
static unsigned	  diskfull_restarts;	/* in a row, from the environment */

void
diskfull_init(int argc, char **argv)
{
	const char	*s = getenv(DISKFULL_ENV);
	int		 i;

	if (s != NULL)
		diskfull_restarts = (unsigned)strtoul(s, NULL, 10);

	/* argv[0], "-f", then the rest: detached once is enough. */
	free(diskfull_argv);
	diskfull_argv = xcalloc((size_t)argc + 2, sizeof *diskfull_argv);
	diskfull_argv[0] = argv[0];
	diskfull_argv[1] = (char *)"-f";
	for (i = 1; i < argc; i++)
		diskfull_argv[i + 1] = argv[i];
}

bool
diskfull_is(const struct error *err)
{
	return err->code == ERR_SYS && (err->sys == ENOSPC ||
	    err->sys == EDQUOT);
}

uint64_t
diskfull_wanted(const char *dir)
{
	struct statvfs	 st;
	uint64_t	 half;

	if (statvfs(dir, &st) == -1)
		return DISKFULL_RESUME_BYTES;
	half = (uint64_t)st.f_blocks * st.f_frsize / 2;
	return DISKFULL_RESUME_BYTES < half ? DISKFULL_RESUME_BYTES : half;
}

bool
diskfull_has_room(const char *dir, uint64_t *free_bytes)
{
	struct statvfs	 st;

	if (statvfs(dir, &st) == -1) {
		*free_bytes = 0;
		return false;
	}
	*free_bytes = (uint64_t)st.f_bavail * st.f_frsize;
	return *free_bytes >= diskfull_wanted(dir);
}

uint64_t
diskfull_wait_ms(void)
{
	uint64_t	 ms = 1000ULL << (diskfull_restarts < 9 ?
			    diskfull_restarts : 9);

	return ms < DISKFULL_WAIT_MAX_MS ? ms : DISKFULL_WAIT_MAX_MS;
}

void
diskfull_clear(void)
{
	if (diskfull_restarts == 0)
		return;
	diskfull_restarts = 0;
	unsetenv(DISKFULL_ENV);
}

void
diskfull_restart(void)
{
	char	 n[16];

	snprintf(n, sizeof n, "%u", diskfull_restarts + 1);
	setenv(DISKFULL_ENV, n, 1);
	execv("/proc/self/exe", diskfull_argv);
	fatal("barged: exec /proc/self/exe to start again");
}
