/*
 * Becoming a daemon: detaching, the pid file, dropping root, and telling
 * systemd we are ready (the sd_notify datagram, without libsystemd).
 */
#ifndef BARGED_DAEMON_H
#define BARGED_DAEMON_H

#include "base/error.h"

/* Forks into the background with a new session; the parent exits 0. */
void	daemon_detach(void);
/*
 * Writes our pid to path (atomically); fails if another live barged
 * holds it.
 */
int	daemon_pidfile(const char *path, struct error *);
/* Switches to user (and its groups) for good; no-op if user is NULL. */
int	daemon_drop(const char *user, struct error *);
/* Sends state ("READY=1", "RELOADING=1", "STOPPING=1") to systemd. */
void	daemon_notify(const char *state);

#endif
