/*
 * The fleet's records in HDFS (DESIGN 12), shared by barged, which writes
 * them, and barge hours / barge audit, which read them:
 *
 *	<root>/_barge/hosts/<host>@<YYYY-MM-DDTHH>
 *		one empty file per host, renamed forward each time the host
 *		closes hours: the name says the last hour it closed.  One
 *		rename per close; a listing of the folder answers for the
 *		whole fleet; the folder holds one entry per host, ever.
 *	<root>/_barge/manifests/dt=<YYYY-MM-DD>/<host>.json
 *		every file the host shipped into that day's partitions.
 *
 * Hours are counted since the epoch, UTC; days likewise.
 */
#ifndef CORE_FLEET_H
#define CORE_FLEET_H

#include <stddef.h>
#include <stdint.h>

#define FLEET_HOUR_LEN	14	/* "2026-12-03T10" and its NUL */
#define FLEET_DAY_LEN	11	/* "2026-12-03" and its NUL */
#define FLEET_HOST_MAX	256

/* "2026-12-03T10" */
void	 fleet_hour_name(int64_t hour, char out[FLEET_HOUR_LEN]);
/* "2026-12-03" */
void	 fleet_day_name(int64_t day, char out[FLEET_DAY_LEN]);
/* Parse those forms; -1 if s is not exactly one. */
int	 fleet_parse_hour(const char *s, int64_t *hour);
int	 fleet_parse_day(const char *s, int64_t *day);
int64_t	 fleet_day_of(int64_t hour);

/* Heap strings. */
char	*fleet_hosts_dir(const char *root);
char	*fleet_marker_path(const char *root, const char *host, int64_t hour);
char	*fleet_manifest_dir(const char *root, int64_t day);
char	*fleet_manifest_path(const char *root, const char *host, int64_t day);
/*
 * A marker's name back into host and hour; -1 if it is not one.  host is
 * cut at FLEET_HOST_MAX - 1 bytes (then -1).
 */
int	 fleet_parse_marker(const char *name, char host[FLEET_HOST_MAX],
	    int64_t *hour);

/*
 * The host's place in the close window: a deterministic offset in
 * [0, spread_ms) from its name, so a fleet's closes spread evenly.
 */
uint64_t fleet_offset_ms(const char *host, uint64_t spread_ms);
/* When a host may close hour (wall clock ms). */
int64_t	 fleet_close_ms(int64_t hour, uint64_t close_after_ms,
	    uint64_t offset_ms);

#endif
