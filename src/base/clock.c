/*
 * Clock helpers.  Civil-date arithmetic uses Howard Hinnant's public
 * days-from-civil algorithm so that event times convert in constant time
 * without mktime() or the TZ database.
 */
#include "config.h"

#include "base/clock.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static struct {
	bool		 on;
	int64_t		 real0, fake0, speed;
} clock_test;

uint64_t
clock_mono_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

int64_t
clock_wall_ms(void)
{
	struct timespec	 ts;
	int64_t		 ms;

	clock_gettime(CLOCK_REALTIME, &ts);
	ms = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
	if (clock_test.on)
		ms = clock_test.fake0 + (ms - clock_test.real0) *
		    clock_test.speed;
	return ms;
}

int64_t
clock_speed(void)
{
	return clock_test.on ? clock_test.speed : 1;
}

int
clock_init_env(struct error *err)
{
	const char	*s = getenv("BARGE_TEST_CLOCK");
	int64_t		 real0, fake0, speed;
	int		 n = 0;

	if (s == NULL || *s == '\0')
		return 0;
	if (sscanf(s, "%" SCNd64 ":%" SCNd64 ":%" SCNd64 "%n", &real0,
	    &fake0, &speed, &n) != 3 || s[n] != '\0' || real0 <= 0 ||
	    fake0 <= 0 || speed < 1 || speed > 3600)
		return error_set(err, ERR_INPUT, "BARGE_TEST_CLOCK=%s: want "
		    "REAL0:FAKE0:SPEED (ms since the epoch twice, a speed of "
		    "1 to 3600)", s);
	clock_test.real0 = real0;
	clock_test.fake0 = fake0;
	clock_test.speed = speed;
	clock_test.on = true;
	return 1;
}

int64_t
clock_days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t		 era;
	unsigned	 yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

void
clock_civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	int64_t		 era;
	unsigned	 doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int64_t)yoe + era * 400 + (*m <= 2);
}

static int
clock_digits(const char *s, size_t n)
{
	int	 v = 0;
	size_t	 i;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

static unsigned
clock_month_days(int64_t y, unsigned m)
{
	static const unsigned char days[] =
	    { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return days[m - 1];
}

size_t
clock_parse_rfc3339(const char *s, size_t len, int64_t *out)
{
	int	 y, mo, d, h, mi, sec, frac = 0, fdigits = 0;
	int	 oh, om, sign;
	size_t	 i;
	int64_t	 ms;

	if (len < 20 || s[4] != '-' || s[7] != '-' || s[13] != ':' ||
	    s[16] != ':')
		return 0;
	if (s[10] != 'T' && s[10] != 't' && s[10] != ' ')
		return 0;
	y = clock_digits(s, 4);
	mo = clock_digits(s + 5, 2);
	d = clock_digits(s + 8, 2);
	h = clock_digits(s + 11, 2);
	mi = clock_digits(s + 14, 2);
	sec = clock_digits(s + 17, 2);
	if (y < 0 || mo < 1 || mo > 12 || d < 1 || h < 0 || h > 23 ||
	    mi < 0 || mi > 59 || sec < 0 || sec > 60)
		return 0;
	if ((unsigned)d > clock_month_days(y, (unsigned)mo))
		return 0;
	i = 19;
	if (i < len && s[i] == '.') {
		i++;
		if (i >= len || s[i] < '0' || s[i] > '9')
			return 0;
		for (; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
			if (fdigits < 3) {
				frac = frac * 10 + (s[i] - '0');
				fdigits++;
			}
		}
		for (; fdigits < 3; fdigits++)
			frac *= 10;
	}
	if (i >= len)
		return 0;
	if (s[i] == 'Z' || s[i] == 'z') {
		sign = 0;
		oh = om = 0;
		i++;
	} else if (s[i] == '+' || s[i] == '-') {
		if (i + 6 > len || s[i + 3] != ':')
			return 0;
		sign = s[i] == '-' ? -1 : 1;
		oh = clock_digits(s + i + 1, 2);
		om = clock_digits(s + i + 4, 2);
		if (oh < 0 || oh > 23 || om < 0 || om > 59)
			return 0;
		i += 6;
	} else
		return 0;
	if (sec == 60)		/* a leap second folds into the next one */
		sec = 59, frac = 999;
	ms = clock_days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400;
	ms += h * 3600 + mi * 60 + sec;
	ms -= sign * (oh * 3600 + om * 60);
	*out = ms * 1000 + frac;
	return i;
}

void
clock_utc_day_hour(int64_t ms, char day[11], char hour[3])
{
	int64_t		 secs, days, y;
	unsigned	 m, d, h;

	secs = ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);
	days = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
	h = (unsigned)((secs - days * 86400) / 3600);
	clock_civil_from_days(days, &y, &m, &d);
	/* Years outside 0..9999 cannot come from a syslog timestamp. */
	y = y < 0 ? 0 : y > 9999 ? 9999 : y;
	day[0] = (char)('0' + y / 1000);
	day[1] = (char)('0' + y / 100 % 10);
	day[2] = (char)('0' + y / 10 % 10);
	day[3] = (char)('0' + y % 10);
	day[4] = '-';
	day[5] = (char)('0' + m / 10);
	day[6] = (char)('0' + m % 10);
	day[7] = '-';
	day[8] = (char)('0' + d / 10);
	day[9] = (char)('0' + d % 10);
	day[10] = '\0';
	hour[0] = (char)('0' + h / 10);
	hour[1] = (char)('0' + h % 10);
	hour[2] = '\0';
}

uint64_t
clock_backoff_ms(unsigned attempt, uint64_t base, uint64_t cap)
{
	uint64_t	 ceil = base;

	while (attempt-- > 0 && ceil < cap)
		ceil *= 2;
	if (ceil > cap)
		ceil = cap;
	return ceil == 0 ? 0 : (uint64_t)random() % (ceil + 1);
}
