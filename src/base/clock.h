/*
 * Time: the monotonic clock for timers and deadlines, and UTC civil
 * time arithmetic that never consults the time zone database.
 */
#ifndef BASE_CLOCK_H
#define BASE_CLOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/error.h"

/* Milliseconds of CLOCK_MONOTONIC. */
uint64_t	clock_mono_ms(void);
/* Milliseconds since the epoch, wall clock (or the test clock). */
int64_t		clock_wall_ms(void);
/*
 * The test clock, for benchmarks that need hours to pass in minutes:
 * BARGE_TEST_CLOCK="REAL0:FAKE0:SPEED" (ms since the epoch, ms, a factor)
 * makes clock_wall_ms() return FAKE0 + (real - REAL0) * SPEED, the same
 * in every process given the same value.  Timers and deadlines keep the
 * monotonic clock.  Returns 1 if it is set, 0 if not, -1 with err if the
 * value is malformed.  Call before starting threads.
 */
int		clock_init_env(struct error *err);
/* The test clock's SPEED, else 1. */
int64_t		clock_speed(void);
/* Days since 1970-01-01 of a proleptic Gregorian date (month 1-12). */
int64_t		clock_days_from_civil(int64_t y, unsigned m, unsigned d);
/* The inverse of clock_days_from_civil. */
void		clock_civil_from_days(int64_t days, int64_t *y, unsigned *m,
		    unsigned *d);
/*
 * Parses RFC 3339 ("2026-11-26T06:12:01.123456+01:00", "Z" or an offset;
 * 't', 'z' and ' ' between date and time accepted) into ms since the
 * epoch.  Returns the number of bytes used, 0 if s does not start with
 * one.  Fractions below a millisecond are truncated.
 */
size_t		clock_parse_rfc3339(const char *s, size_t len, int64_t *ms);
/* Formats ms since the epoch as "YYYY-MM-DD" and "HH" in UTC. */
void		clock_utc_day_hour(int64_t ms, char day[11], char hour[3]);
/* Exponential backoff with full jitter: in [0, min(cap, base * 2^n)]. */
uint64_t	clock_backoff_ms(unsigned attempt, uint64_t base, uint64_t cap);

#endif
