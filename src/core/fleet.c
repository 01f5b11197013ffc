/*
 * Names and times of the fleet's records.  The layout lives here only, so
 * the writer and the readers cannot drift apart.
 */
#include "config.h"

#include "core/fleet.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "base/clock.h"
#include "base/xmalloc.h"

#define FLEET_DIR	"_barge"

int64_t
fleet_day_of(int64_t hour)
{
	return hour >= 0 ? hour / 24 : -((-hour + 23) / 24);
}

void
fleet_day_name(int64_t day, char out[FLEET_DAY_LEN])
{
	int64_t		 y;
	unsigned	 m, d;
	char		 tmp[48];

	clock_civil_from_days(day, &y, &m, &d);
	/* Years outside 0..9999 have no place in a partition name. */
	if (y < 0 || y > 9999)
		y = y < 0 ? 0 : 9999;
	snprintf(tmp, sizeof tmp, "%04d-%02u-%02u", (int)y, m % 100, d % 100);
	snprintf(out, FLEET_DAY_LEN, "%.10s", tmp);
}

void
fleet_hour_name(int64_t hour, char out[FLEET_HOUR_LEN])
{
	char	 day[FLEET_DAY_LEN];
	int64_t	 h = hour - fleet_day_of(hour) * 24;

	fleet_day_name(fleet_day_of(hour), day);
	snprintf(out, FLEET_HOUR_LEN, "%s""T%02d", day, (int)h);
}

int
fleet_parse_day(const char *s, int64_t *day)
{
	unsigned	 y, m, d;
	int		 n = 0;

	if (strlen(s) != FLEET_DAY_LEN - 1 || s[4] != '-' || s[7] != '-' ||
	    sscanf(s, "%4u-%2u-%2u%n", &y, &m, &d, &n) != 3 || n != 10 ||
	    m < 1 || m > 12 || d < 1 || d > 31)
		return -1;
	*day = clock_days_from_civil(y, m, d);
	return 0;
}

int
fleet_parse_hour(const char *s, int64_t *hour)
{
	char		 day[FLEET_DAY_LEN];
	unsigned	 h;
	int64_t		 d;

	if (strlen(s) != FLEET_HOUR_LEN - 1 || s[10] != 'T' ||
	    s[11] < '0' || s[11] > '9' || s[12] < '0' || s[12] > '9')
		return -1;
	memcpy(day, s, 10);
	day[10] = '\0';
	h = (unsigned)(s[11] - '0') * 10 + (unsigned)(s[12] - '0');
	if (h > 23 || fleet_parse_day(day, &d) == -1)
		return -1;
	*hour = d * 24 + h;
	return 0;
}

char *
fleet_hosts_dir(const char *root)
{
	return xasprintf("%s/" FLEET_DIR "/hosts", root);
}

char *
fleet_marker_path(const char *root, const char *host, int64_t hour)
{
	char	 h[FLEET_HOUR_LEN];

	fleet_hour_name(hour, h);
	return xasprintf("%s/" FLEET_DIR "/hosts/%s@%s", root, host, h);
}

char *
fleet_manifest_dir(const char *root, int64_t day)
{
	char	 d[FLEET_DAY_LEN];

	fleet_day_name(day, d);
	return xasprintf("%s/" FLEET_DIR "/manifests/dt=%s", root, d);
}

char *
fleet_manifest_path(const char *root, const char *host, int64_t day)
{
	char	 d[FLEET_DAY_LEN];

	fleet_day_name(day, d);
	return xasprintf("%s/" FLEET_DIR "/manifests/dt=%s/%s.json", root, d,
	    host);
}

int
fleet_parse_marker(const char *name, char host[FLEET_HOST_MAX],
    int64_t *hour)
{
	const char	*at = strrchr(name, '@');
	size_t		 n;

	if (at == NULL || at == name || fleet_parse_hour(at + 1, hour) == -1)
		return -1;
	if ((n = (size_t)(at - name)) >= FLEET_HOST_MAX)
		return -1;
	memcpy(host, name, n);
	host[n] = '\0';
	return 0;
}

uint64_t
fleet_offset_ms(const char *host, uint64_t spread_ms)
{
	uint64_t	 h = 0xcbf29ce484222325ULL;	/* FNV-1a */

	if (spread_ms == 0)
		return 0;
	for (; *host != '\0'; host++) {
		h ^= (unsigned char)*host;
		h *= 0x100000001b3ULL;
	}
	/* FNV's low bits mix poorly for short names: fold the high ones in. */
	h ^= h >> 29;
	h *= 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 32;
	return h % spread_ms;
}

int64_t
fleet_close_ms(int64_t hour, uint64_t close_after_ms, uint64_t offset_ms)
{
	return (hour + 1) * 3600 * 1000 + (int64_t)close_after_ms +
	    (int64_t)offset_ms;
}
