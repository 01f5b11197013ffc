/*
 * Writes a realistic syslog file for the benchmarks: rsyslog's
 * traditional format, about 30% analytics lines over the five types of
 * bench/messages.d (separators as rsyslog writes them, "#011"), the rest
 * ordinary noise of varied length.  A fixed seed makes every run write
 * the same bytes.  Usage: gen_syslog MEGABYTES > file
 *
 * gen_syslog --fleet DIR HOSTS RATE: the input of bench/fleet.  Appends
 * analytics lines stamped with the wall clock (BARGE_TEST_CLOCK, if set)
 * to DIR/h<i>/syslog for hosts h01..h<HOSTS>, RATE lines an hour per host
 * of that clock, every 100 ms of real time, until DIR/stop exists.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/clock.h"

static uint64_t gen_state = 0x9e3779b97f4a7c15ULL;

static uint32_t
gen_rand(void)
{
	/* xorshift64*: fast and fixed, so output is reproducible. */
	gen_state ^= gen_state >> 12;
	gen_state ^= gen_state << 25;
	gen_state ^= gen_state >> 27;
	return (uint32_t)((gen_state * 0x2545f4914f6cdd1dULL) >> 32);
}

static const char *const gen_words[] = {
	"connection", "from", "closed", "session", "opened", "for", "user",
	"root", "by", "uid=0", "disconnected", "port", "timeout", "request",
	"GET", "/api/v1/items", "200", "took", "ms", "cache", "miss", "hit",
	"worker", "started", "stopped", "queue", "depth", "retrying", "error",
	"warning:", "file", "not", "found", "ok", "done", "pid", "exit",
	"status", "signal", "received", "reload", "config", "backend", "up",
};

static const char *const gen_tags[] = {
	"sshd", "CRON", "nginx", "kernel:", "systemd", "postfix/smtpd",
	"app-server", "dockerd", "mailer", "billing",
};

static void
gen_noise(FILE *fp)
{
	int	 n = 3 + (int)(gen_rand() % 30), i;

	for (i = 0; i < n; i++)
		fprintf(fp, "%s%s", i ? " " : "",
		    gen_words[gen_rand() % (sizeof gen_words /
		    sizeof gen_words[0])]);
}

static void
gen_analytics(FILE *fp, long t)
{
	uint32_t r = gen_rand();

	switch (r % 5) {
	case 0:
		fprintf(fp, "@EmailSent:1#011user%u#011%ld000#011"
		    "spring\\#011sale_%u#011%u#011%s", r % 100000, t, r % 50,
		    r % 7, (r >> 8) % 3 == 0 ? "\\N" : (r >> 9) % 2 ?
		    "true" : "false");
		break;
	case 1:
		fprintf(fp, "@PageView:3#011https://www.example.com/p/%u?q=a"
		    "\\tb#011%s#011%u#011%u.%u", r % 99999, (r >> 7) % 2 ?
		    "\\N" : "https://search.example.net/?q=shoes",
		    r % 1000000, r % 3000, r % 1000);
		break;
	case 2:
		fprintf(fp, "@Purchase:1#011%u%u#011%u.%02u#011EUR#011%ld",
		    r, r % 977, r % 500, r % 100, t);
		break;
	case 3:
		fprintf(fp, "@Login:2#011user%u@example.com#011%s#011%s",
		    r % 50000, r % 10 ? "true" : "false",
		    (r >> 5) % 2 ? "password" : "sso");
		break;
	default:
		fprintf(fp, "@ApiCall:1#011/v2/orders/%u/items#011%u#011%u"
		    "#011%u#011%s", r % 100000, r % 5 ? 200 : 503, r % 2000,
		    r % 1000000, (r >> 3) % 4 ? "mobile-ios/7.1" : "\\N");
		break;
	}
}

static int
gen_fleet(const char *dir, int hosts, long rate)
{
	static const char *const mon[] = { "Jan", "Feb", "Mar", "Apr", "May",
	    "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	struct error	 err;
	char		 path[4096], stop[4096];
	FILE		*fp;
	int64_t		 t0, now, y;
	unsigned	 m, d;
	long		 sent = 0, due, s, k;
	int		 i;

	if (clock_init_env(&err) == -1) {
		fprintf(stderr, "gen_syslog: %s\n", err.msg);
		return 2;
	}
	snprintf(stop, sizeof stop, "%s/stop", dir);
	t0 = clock_wall_ms();
	while (access(stop, F_OK) == -1) {
		now = clock_wall_ms();
		due = (long)((now - t0) * rate / 3600000);
		clock_civil_from_days(now / 86400000, &y, &m, &d);
		s = (long)(now / 1000 % 86400);
		for (i = 1; i <= hosts && due > sent; i++) {
			snprintf(path, sizeof path, "%s/h%02d/syslog", dir, i);
			if ((fp = fopen(path, "a")) == NULL) {
				perror(path);
				return 1;
			}
			for (k = sent; k < due; k++) {
				fprintf(fp, "%s %2u %02ld:%02ld:%02ld h%02d app[%u]: ",
				    mon[m - 1], d, s / 3600, s / 60 % 60, s % 60, i,
				    1000 + (unsigned)i);
				gen_analytics(fp, (long)(now / 1000));
				putc('\n', fp);
			}
			fclose(fp);
		}
		sent = due > sent ? due : sent;
		usleep(100000);
	}
	return 0;
}

int
main(int argc, char **argv)
{
	long		 mb = argc > 1 ? atol(argv[1]) : 64, t = 1795651200;
	unsigned long	 lines = 0;
	char		 obuf[1 << 16];

	if (argc == 5 && strcmp(argv[1], "--fleet") == 0)
		return gen_fleet(argv[2], atoi(argv[3]), atol(argv[4]));
	setvbuf(stdout, obuf, _IOFBF, sizeof obuf);
	while (ftell(stdout) < mb * 1024 * 1024) {
		uint32_t r = gen_rand();
		long	 s = t % 86400;

		if (++lines % 40 == 0)
			t++;
		printf("Nov 26 %02ld:%02ld:%02ld web%02u %s[%u]: ", s / 3600,
		    s / 60 % 60, s % 60, r % 40, gen_tags[r % 10],
		    1000 + (r >> 4) % 30000);
		if (r % 100 < 30)
			gen_analytics(stdout, t);
		else
			gen_noise(stdout);
		putchar('\n');
	}
	return 0;
}
