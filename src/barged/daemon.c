/*
 * Process plumbing.  sd_notify is one datagram to $NOTIFY_SOCKET, so a
 * dozen lines here spare a dependency on libsystemd.
 */
#include "config.h"

#include "barged/daemon.h"

#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/un.h>

#include <errno.h>
#include <stddef.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/fsio.h"
#include "base/log.h"

void
daemon_detach(void)
{
	int	 fd;

	switch (fork()) {
	case -1:
		fatal("daemon: fork");
	case 0:
		break;
	default:
		_exit(0);
	}
	if (setsid() == -1)
		fatal("daemon: setsid");
	if ((fd = open("/dev/null", O_RDWR)) != -1) {
		dup2(fd, STDIN_FILENO);
		dup2(fd, STDOUT_FILENO);
		dup2(fd, STDERR_FILENO);
		if (fd > STDERR_FILENO)
			close(fd);
	}
}

int
daemon_pidfile(const char *path, struct error *err)
{
	struct buf	 b;
	char		 pid[32];
	long		 old;

	buf_init(&b);
	if (fsio_read_file(path, &b, NULL) == 0 && b.len > 0 &&
	    (old = strtol(b.data, NULL, 10)) > 0 && old != getpid() &&
	    (kill((pid_t)old, 0) == 0 || errno == EPERM)) {
		buf_clear(&b);
		return error_set(err, ERR_INPUT, "daemon: %s: barged is "
		    "already running as pid %ld", path, old);
	}
	buf_clear(&b);
	snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
	return fsio_write_file_atomic(path, pid, strlen(pid), err);
}

int
daemon_drop(const char *user, struct error *err)
{
	struct passwd	*pw;

	if (user == NULL)
		return 0;
	if ((pw = getpwnam(user)) == NULL)
		return error_set(err, ERR_INPUT, "daemon: no user %s", user);
	/* Started again by exec (barged/diskfull.h): already that user. */
	if (getuid() == pw->pw_uid && geteuid() == pw->pw_uid &&
	    getgid() == pw->pw_gid)
		return 0;
	if (initgroups(pw->pw_name, pw->pw_gid) == -1 ||
	    setresgid(pw->pw_gid, pw->pw_gid, pw->pw_gid) == -1 ||
	    setresuid(pw->pw_uid, pw->pw_uid, pw->pw_uid) == -1)
		return error_sys(err, "daemon: cannot become %s", user);
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1)
		return error_sys(err, "daemon: no_new_privs");
	return 0;
}

void
daemon_notify(const char *state)
{
	const char	*path = getenv("NOTIFY_SOCKET");
	struct sockaddr_un sun;
	socklen_t	 len;
	int		 fd;

	if (path == NULL || (path[0] != '/' && path[0] != '@') ||
	    strlen(path) >= sizeof sun.sun_path)
		return;
	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path, path, strlen(path));
	if (path[0] == '@')		/* abstract namespace */
		sun.sun_path[0] = '\0';
	len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) +
	    strlen(path));
	if ((fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1)
		return;
	if (sendto(fd, state, strlen(state), MSG_NOSIGNAL,
	    (struct sockaddr *)&sun, len) == -1)
		log_debug("daemon: sd_notify: %s", strerror(errno));
	close(fd);
}
