/*
 * Syslog line parsing.  RFC 3164 stamps carry no year and are local
 * time: the year is the latest one that does not put the line more than
 * a week in the future of the reference time (so December lines read in
 * January belong to the old year), and the zone offset comes from
 * mktime(), cached per local hour because mktime is slow.
 */
#include "config.h"

#include "core/syslog.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/clock.h"
#include "base/xmalloc.h"

#define SYSLOG_FUTURE_MS	(7LL * 86400 * 1000)
/* Longer stamps than this are read every time. */
#define SYSLOG_STAMP_CACHE	40

struct syslog_parser {
	int64_t		 now_ms;
	int		 now_year;
	/* Cache: local hour start (y, m, d, h) -> UTC seconds. */
	int		 cache_y, cache_m, cache_d, cache_h;
	int64_t		 cache_utc;
	/*
	 * The last stamp read and its time: lines come in runs of one
	 * second, and comparing 15 bytes is cheaper than reading a date.
	 */
	enum syslog_format last_format;
	char		 last_stamp[SYSLOG_STAMP_CACHE];
	size_t		 last_len;	/* 0: none */
	int64_t		 last_ms;
};

struct syslog_parser *
syslog_parser_new(int64_t now_ms)
{
	struct syslog_parser *p = xcalloc(1, sizeof *p);

	tzset();
	p->cache_y = -1;
	syslog_parser_set_now(p, now_ms);
	return p;
}

void
syslog_parser_free(struct syslog_parser *p)
{
	free(p);
}

void
syslog_parser_set_now(struct syslog_parser *p, int64_t now_ms)
{
	time_t		 t = (time_t)(now_ms / 1000);
	struct tm	 tm;

	p->now_ms = now_ms;
	p->last_len = 0;	/* the year of a stamp may change */
	localtime_r(&t, &tm);
	p->now_year = tm.tm_year + 1900;
}

static int
syslog_month(const char *s)
{
	/* Compare three letters at once; "Jan".."Dec" as rsyslog writes. */
	switch (s[0]) {
	case 'J':
		if (s[1] == 'a' && s[2] == 'n')
			return 1;
		if (s[1] == 'u' && s[2] == 'n')
			return 6;
		if (s[1] == 'u' && s[2] == 'l')
			return 7;
		break;
	case 'F':
		if (s[1] == 'e' && s[2] == 'b')
			return 2;
		break;
	case 'M':
		if (s[1] == 'a' && s[2] == 'r')
			return 3;
		if (s[1] == 'a' && s[2] == 'y')
			return 5;
		break;
	case 'A':
		if (s[1] == 'p' && s[2] == 'r')
			return 4;
		if (s[1] == 'u' && s[2] == 'g')
			return 8;
		break;
	case 'S':
		if (s[1] == 'e' && s[2] == 'p')
			return 9;
		break;
	case 'O':
		if (s[1] == 'c' && s[2] == 't')
			return 10;
		break;
	case 'N':
		if (s[1] == 'o' && s[2] == 'v')
			return 11;
		break;
	case 'D':
		if (s[1] == 'e' && s[2] == 'c')
			return 12;
		break;
	}
	return 0;
}

static bool
syslog_is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* "Mmm dd hh:mm:ss" or "Mmm  d hh:mm:ss": 15 bytes. */
static bool
syslog_is_3164_stamp(const char *s, size_t len)
{
	return len >= 16 && syslog_month(s) != 0 && s[3] == ' ' &&
	    (s[4] == ' ' || syslog_is_digit(s[4])) && syslog_is_digit(s[5]) &&
	    s[6] == ' ' && syslog_is_digit(s[7]) && syslog_is_digit(s[8]) &&
	    s[9] == ':' && syslog_is_digit(s[10]) && syslog_is_digit(s[11]) &&
	    s[12] == ':' && syslog_is_digit(s[13]) && syslog_is_digit(s[14]) &&
	    s[15] == ' ';
}

/* Length of the run of non-space bytes at s. */
static size_t
syslog_word(const char *s, size_t len)
{
	const char	*sp = memchr(s, ' ', len);

	return sp != NULL ? (size_t)(sp - s) : len;
}

/*
 * Whether the n bytes at s are "tag[digits]": what rsyslog's traditional
 * file format writes, with no ':', for a message that came in RFC 5424
 * (APP-NAME and PROCID).
 */
static bool
syslog_is_tag_pid(const char *s, size_t n)
{
	const char	*br = memchr(s, '[', n);
	const char	*p;

	if (br == NULL || br == s || n < 4 || s[n - 1] != ']' ||
	    br + 1 == s + n - 1)
		return false;
	for (p = br + 1; p < s + n - 1; p++)
		if (!syslog_is_digit(*p))
			return false;
	return true;
}

/*
 * "tag[pid]: msg" after the host, as rsyslog's file format writes it, or
 * "tag[digits] msg".  Any other first word that does not end in ':' is no
 * tag: the whole rest is the message.
 */
static void
syslog_split_tag(const char *s, size_t len, struct syslog_line *out)
{
	size_t	 w = syslog_word(s, len), t;
	const char *br;

	out->tag = s;
	out->taglen = 0;
	out->pid = s;
	out->pidlen = 0;
	if (w > 0 && s[w - 1] == ':')
		t = w - 1;
	else if (syslog_is_tag_pid(s, w))
		t = w;
	else {
		out->msg = s;
		out->msglen = len;
		return;
	}
	out->taglen = t;
	br = memchr(s, '[', t);
	if (br != NULL && t > 0 && s[t - 1] == ']') {
		out->taglen = (size_t)(br - s);
		out->pid = br + 1;
		out->pidlen = (size_t)(s + t - 1 - (br + 1));
	}
	/* rsyslog puts one space after the tag unless the message had one. */
	if (w < len && s[w] == ' ')
		w++;
	out->msg = s + w;
	out->msglen = len - w;
}

static int
syslog_parse_5424(const char *s, size_t len, struct syslog_line *out)
{
	const char	*p = s, *end = s + len;
	size_t		 w;

	/* "<PRI>" already checked by the caller; then "1 " */
	p = memchr(s, '>', len);
	p++;
	if (end - p < 2 || p[0] != '1' || p[1] != ' ')
		return -1;
	p += 2;
	out->format = SYSLOG_RFC5424;
	out->stamp = p;
	out->stamplen = w = syslog_word(p, (size_t)(end - p));
	if (w == 0 || p + w >= end)
		return -1;
	p += w + 1;
	out->host = p;
	out->hostlen = w = syslog_word(p, (size_t)(end - p));
	if (w == 0 || p + w >= end)
		return -1;
	p += w + 1;
	out->tag = p;
	out->taglen = w = syslog_word(p, (size_t)(end - p));
	if (w == 0 || p + w >= end)
		return -1;
	p += w + 1;
	out->pid = p;
	out->pidlen = w = syslog_word(p, (size_t)(end - p));
	if (w == 0 || p + w >= end)
		return -1;
	p += w + 1;
	w = syslog_word(p, (size_t)(end - p));	/* MSGID */
	if (w == 0 || p + w >= end)
		return -1;
	p += w + 1;
	/* STRUCTURED-DATA: "-" or one or more [id param="value"...] */
	if (p == end)
		return -1;
	if (*p == '-')
		p++;
	else if (*p == '[') {
		while (p < end && *p == '[') {
			bool	 quoted = false;

			for (p++; p < end; p++) {
				if (quoted && *p == '\\' && p + 1 < end)
					p++;
				else if (*p == '"')
					quoted = !quoted;
				else if (!quoted && *p == ']')
					break;
			}
			if (p == end)
				return -1;
			p++;
		}
	} else
		return -1;
	if (p < end && *p == ' ')
		p++;
	else if (p != end)
		return -1;
	/*
	 * rsyslog's RFC 5424 template keeps the space that its message
	 * property starts with, so its lines have two spaces here.
	 */
	if (p < end && *p == ' ')
		p++;
	/* An optional UTF-8 byte order mark before the message. */
	if (end - p >= 3 && (unsigned char)p[0] == 0xef &&
	    (unsigned char)p[1] == 0xbb && (unsigned char)p[2] == 0xbf)
		p += 3;
	if (out->taglen == 1 && out->tag[0] == '-')
		out->taglen = 0;
	if (out->pidlen == 1 && out->pid[0] == '-')
		out->pidlen = 0;
	out->msg = p;
	out->msglen = (size_t)(end - p);
	return 0;
}

int
syslog_parse(const char *s, size_t len, struct syslog_line *out)
{
	const char	*p;
	size_t		 w;

	if (len > 0 && s[0] == '<') {
		for (p = s + 1; p < s + len && p - s <= 4 &&
		    syslog_is_digit(*p); p++)
			;
		if (p == s + 1 || p >= s + len || *p != '>')
			return -1;
		if (s + len - p > 2 && p[1] == '1' && p[2] == ' ')
			return syslog_parse_5424(s, len, out);
		/* A PRI before a traditional line: skip it. */
		len -= (size_t)(p + 1 - s);
		s = p + 1;
	}
	if (syslog_is_3164_stamp(s, len)) {
		out->format = SYSLOG_RFC3164;
		out->stamp = s;
		out->stamplen = 15;
		p = s + 16;
	} else if (len > 20 && syslog_is_digit(s[0]) && s[4] == '-' &&
	    s[10] == 'T') {
		out->format = SYSLOG_RFC3339;
		out->stamp = s;
		out->stamplen = w = syslog_word(s, len);
		if (w == len)
			return -1;
		p = s + w + 1;
	} else
		return -1;
	len -= (size_t)(p - s);
	out->host = p;
	out->hostlen = w = syslog_word(p, len);
	if (w == 0)
		return -1;
	if (w == len) {
		out->tag = out->pid = out->msg = p + w;
		out->taglen = out->pidlen = out->msglen = 0;
		return 0;
	}
	syslog_split_tag(p + w + 1, len - w - 1, out);
	return 0;
}

static int64_t
syslog_local_hour(struct syslog_parser *p, int y, int m, int d, int h)
{
	struct tm	 tm;
	time_t		 t;

	if (y == p->cache_y && m == p->cache_m && d == p->cache_d &&
	    h == p->cache_h)
		return p->cache_utc;
	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_isdst = -1;
	t = mktime(&tm);
	p->cache_y = y;
	p->cache_m = m;
	p->cache_d = d;
	p->cache_h = h;
	p->cache_utc = (int64_t)t;
	return p->cache_utc;
}

static int
syslog_time_3164(struct syslog_parser *p, const char *s, int64_t *out)
{
	int	 m = syslog_month(s), d, h, mi, sec, y;
	int64_t	 ms;

	d = (s[4] == ' ' ? 0 : (s[4] - '0') * 10) + (s[5] - '0');
	h = (s[7] - '0') * 10 + (s[8] - '0');
	mi = (s[10] - '0') * 10 + (s[11] - '0');
	sec = (s[13] - '0') * 10 + (s[14] - '0');
	if (d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60)
		return -1;
	if (sec == 60)
		sec = 59;
	if (d > 30 && (m == 4 || m == 6 || m == 9 || m == 11))
		return -1;
	if (m == 2 && d > 29)
		return -1;
	/*
	 * Pick the year on the stamp read as UTC: the zone offset (under a
	 * day) cannot matter against a week of slack, and it keeps mktime()
	 * to one call per local hour.
	 */
	for (y = p->now_year + 1; y >= p->now_year - 1; y--) {
		/* Feb 29 exists only in leap years. */
		if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) ||
		    y % 400 == 0))
			continue;
		ms = (clock_days_from_civil(y, (unsigned)m, (unsigned)d) *
		    86400 + h * 3600 + mi * 60 + sec) * 1000;
		if (ms <= p->now_ms + SYSLOG_FUTURE_MS)
			break;
	}
	if (y < p->now_year - 1)
		return -1;
	*out = (syslog_local_hour(p, y, m, d, h) + mi * 60 + sec) * 1000;
	return 0;
}

static int
syslog_time_read(struct syslog_parser *p, const struct syslog_line *l,
    int64_t *ms)
{
	switch (l->format) {
	case SYSLOG_RFC3164:
		return syslog_time_3164(p, l->stamp, ms);
	case SYSLOG_RFC3339:
	case SYSLOG_RFC5424:
		if (clock_parse_rfc3339(l->stamp, l->stamplen, ms) !=
		    l->stamplen)
			return -1;
		return 0;
	}
	return -1;
}

int
syslog_time(struct syslog_parser *p, const struct syslog_line *l,
    int64_t *ms)
{
	if (p->last_len != 0 && l->stamplen == p->last_len &&
	    l->format == p->last_format &&
	    memcmp(l->stamp, p->last_stamp, l->stamplen) == 0) {
		*ms = p->last_ms;
		return 0;
	}
	if (syslog_time_read(p, l, ms) == -1)
		return -1;
	if (l->stamplen > 0 && l->stamplen <= sizeof p->last_stamp) {
		memcpy(p->last_stamp, l->stamp, l->stamplen);
		p->last_len = l->stamplen;
		p->last_format = l->format;
		p->last_ms = *ms;
	}
	return 0;
}
