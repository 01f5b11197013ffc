/**
 * @file barge/log.h
 * @brief Emit a declared barge analytics message with syslog(3).
 *
 * A service writes one syslog message per event; barged(8) recognises it
 * and ships it to HDFS.  The message part is
 *
 *     @Name:version<TAB>field1<TAB>field2...
 *
 * with every field escaped so that any string arrives intact: `\` is
 * written `\\`, TAB `\t`, LF `\n`, CR `\r`, `#` `\#` (a literal "#011"
 * can then never be taken for rsyslog's rewritten TAB), and `\N` alone
 * is NULL.  Every other control byte (0x01-0x1f except TAB, LF, CR, and
 * 0x7f) is refused: the syslog daemon would rewrite it and the reader
 * accepts no other escape.  Bytes from 0x80 up pass unchanged, so invalid
 * UTF-8 arrives as it was sent.
 *
 * Three ways to use it, from the strictest:
 *
 * - `barge gen-header > barge_messages.h` writes one typed function per
 *   declared message, e.g. `barge_log_EmailSent_v1(const char *username,
 *   int64_t sent_at, ...)`: a wrong type or a missing field is a compile
 *   error, and max_length is checked.
 * - BARGE_LOG("EmailSent", 1, BARGE_STRING(user), BARGE_INT64(ms), ...)
 *   needs no generated code; each value goes through a typed helper.
 * - barge_log_begin(), barge_log_add_*() and barge_log_send() build a
 *   message in a struct barge_log_msg of the caller's.
 *
 * Every call returns 0 when the message was handed to syslog(3), or a
 * negative BARGE_LOG_E* code when it was refused and nothing was sent.
 * The header needs nothing to link, keeps no state, never allocates, and
 * compiles as C99 and as C++11.  barge_log(3) documents it in full.
 */
#ifndef BARGE_LOG_H
#define BARGE_LOG_H

#include <locale.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

/*
 * The longest message part sent, in bytes.  rsyslog's default maximum
 * (8096 bytes, measured with rsyslog 8.2302) counts the whole datagram,
 * whose header "<pri>Mmm dd hh:mm:ss ident[pid]: " takes up to 96 bytes
 * with an ident of 64 characters.  Define it the same in every file of a
 * program.
 */
#ifndef BARGE_LOG_MAX
#define BARGE_LOG_MAX		8000
#endif

/* The priority of BARGE_LOG() and of the generated functions. */
#ifndef BARGE_LOG_PRIORITY
#define BARGE_LOG_PRIORITY	LOG_INFO
#endif

/* How a built message is sent; define it to send elsewhere. */
#ifndef BARGE_LOG_SYSLOG
#define BARGE_LOG_SYSLOG(priority, message) \
	syslog((priority), "%s", (message))
#endif

/* C++ code built with -Wold-style-cast and the like must not see C idioms. */
#ifdef __cplusplus
#define BARGE_LOG_CAST_(type, v)	static_cast<type>(v)
#define BARGE_LOG_NULL_			nullptr
#else
#define BARGE_LOG_CAST_(type, v)	((type)(v))
#define BARGE_LOG_NULL_			NULL
#endif

/*
 * The rules of the wire format, as data.  barge gen-python and barge
 * gen-java write their escaping and checks from these same tables, so
 * the three emitters cannot drift apart.
 *
 * BARGE_LOG_ESCAPES(X) calls X(byte, letter) for each byte written as
 * a backslash and a letter.  Every other byte below BARGE_LOG_CONTROL_END
 * and BARGE_LOG_CONTROL_DEL are refused; the rest pass unchanged.
 */
#define BARGE_LOG_ESCAPES(X) \
	X('\\', '\\') \
	X('\t', 't') \
	X('\n', 'n') \
	X('\r', 'r') \
	X('#', '#')
#define BARGE_LOG_CONTROL_END	0x20
#define BARGE_LOG_CONTROL_DEL	0x7f
#define BARGE_LOG_SEPARATOR	"\t"	/* before each field */
#define BARGE_LOG_NULL_TEXT	"\\N"	/* a NULL value */
#define BARGE_LOG_TRUE_TEXT	"true"
#define BARGE_LOG_FALSE_TEXT	"false"
#define BARGE_LOG_NAME_MAX	64	/* bytes of a message name */
/* Doubles: the fewest of these significant digits that read back. */
#define BARGE_LOG_DOUBLE_DIGITS_MIN	15
#define BARGE_LOG_DOUBLE_DIGITS_MAX	17
/*
 * The longest datagram rsyslog accepts by default: a sender that writes
 * its own syslog header (barge gen-java's) keeps the whole within it.
 */
#define BARGE_LOG_DATAGRAM_MAX	8096

/*
 * Results: 0, or one of these when nothing was sent.  X(name, code,
 * text) for each; the texts are barge_log_strerror()'s and those of the
 * exceptions of the generated Python and Java code.
 */
#define BARGE_LOG_ERRORS(X) \
	X(BARGE_LOG_ETOOLONG, -1, "message too long") \
	X(BARGE_LOG_ENULL, -2, "NULL for a field that is not nullable") \
	X(BARGE_LOG_ECONTROL, -3, \
	    "control character other than TAB, LF or CR") \
	X(BARGE_LOG_ENOTFINITE, -4, "double is not finite") \
	X(BARGE_LOG_EMAXLEN, -5, "string longer than max_length") \
	X(BARGE_LOG_ENAME, -6, "bad message name or version") \
	X(BARGE_LOG_EUSAGE, -7, "BARGE_LOG value without a type helper") \
	X(BARGE_LOG_ERANGE, -8, "timestamp out of range")

#define BARGE_LOG_OK		0
#define BARGE_LOG_ETOOLONG	(-1)	/* longer than BARGE_LOG_MAX */
#define BARGE_LOG_ENULL		(-2)	/* NULL, not nullable */
#define BARGE_LOG_ECONTROL	(-3)	/* control byte but TAB, LF, CR */
#define BARGE_LOG_ENOTFINITE	(-4)	/* NaN or infinite double */
#define BARGE_LOG_EMAXLEN	(-5)	/* string over its max_length */
#define BARGE_LOG_ENAME		(-6)	/* bad name or version */
#define BARGE_LOG_EUSAGE	(-7)	/* BARGE_LOG() value, no helper */
#define BARGE_LOG_ERANGE	(-8)	/* seconds beyond int64 ms */

/*
 * A message being built, on the caller's stack.  The first failure
 * sticks: later additions do nothing and barge_log_send() returns it.
 */
struct barge_log_msg {
	size_t	len;
	int	error;		/* first failure, or 0 */
	int	error_field;	/* its field index; -1: the name */
	int	nfields;
	char	buf[BARGE_LOG_MAX + 1];
};

/* A short English text for a BARGE_LOG_* result. */
static inline const char *
barge_log_strerror(int error)
{
	switch (error) {
	case BARGE_LOG_OK:
		return "success";
#define BARGE_LOG_ERROR_CASE_(name, code, text) \
	case (code): \
		return (text);
	BARGE_LOG_ERRORS(BARGE_LOG_ERROR_CASE_)
#undef BARGE_LOG_ERROR_CASE_
	default:
		return "unknown error";
	}
}

/*
 * Escapes len bytes of src into dst (size bytes, no NUL written) as the
 * wire format above says, and stores the escaped length in *outlen.
 * Fails with BARGE_LOG_ECONTROL or BARGE_LOG_ETOOLONG.
 */
static inline int
barge_log_escape(char *dst, size_t size, const char *src, size_t len,
    size_t *outlen)
{
	size_t		i, o = 0;
	unsigned char	c;
	char		e;

	for (i = 0; i < len; i++) {
		c = BARGE_LOG_CAST_(unsigned char, src[i]);
		switch (c) {
#define BARGE_LOG_ESCAPE_CASE_(byte, letter) \
		case (byte): \
			e = (letter); \
			break;
		BARGE_LOG_ESCAPES(BARGE_LOG_ESCAPE_CASE_)
#undef BARGE_LOG_ESCAPE_CASE_
		default:
			if (c < BARGE_LOG_CONTROL_END ||
			    c == BARGE_LOG_CONTROL_DEL)
				return BARGE_LOG_ECONTROL;
			e = '\0';
			break;
		}
		if (e != '\0') {
			if (size - o < 2)
				return BARGE_LOG_ETOOLONG;
			dst[o++] = '\\';
			dst[o++] = e;
		} else {
			if (size - o < 1)
				return BARGE_LOG_ETOOLONG;
			dst[o++] = src[i];
		}
	}
	*outlen = o;
	return BARGE_LOG_OK;
}

static inline int
barge_log_fail_(struct barge_log_msg *m, int error)
{
	if (m->error == 0) {
		m->error = error;
		m->error_field = m->nfields;
	}
	return m->error;
}

static inline int
barge_log_put_(struct barge_log_msg *m, const char *s, size_t n)
{
	if (n > BARGE_LOG_MAX - m->len)
		return barge_log_fail_(m, BARGE_LOG_ETOOLONG);
	memcpy(m->buf + m->len, s, n);
	m->len += n;
	return 0;
}

/* Appends a field already in wire form. */
static inline int
barge_log_field_(struct barge_log_msg *m, const char *s, size_t n)
{
	if (m->error != 0)
		return m->error;
	if (barge_log_put_(m, BARGE_LOG_SEPARATOR, 1) != 0 || barge_log_put_(m, s, n) != 0)
		return m->error;
	m->nfields++;
	return 0;
}

/* Formats v in decimal at the end of tmp (24 bytes); returns the start. */
static inline char *
barge_log_itoa_(char *tmp, int64_t v)
{
	char		*p = tmp + 24;
	uint64_t	 u;

	u = v < 0 ? 0 - BARGE_LOG_CAST_(uint64_t, v) :
	    BARGE_LOG_CAST_(uint64_t, v);
	do {
		*--p = BARGE_LOG_CAST_(char, '0' + u % 10);
		u /= 10;
	} while (u != 0);
	if (v < 0)
		*--p = '-';
	return p;
}

/*
 * Starts a message "@name:version".  name must match
 * [A-Za-z][A-Za-z0-9_]{0,63} and version be positive, else
 * BARGE_LOG_ENAME.
 */
static inline int
barge_log_begin(struct barge_log_msg *m, const char *name, unsigned version)
{
	char	 tmp[24];
	char	*p;
	size_t	 i, n;

	m->len = 0;
	m->error = 0;
	m->error_field = -1;
	m->nfields = 0;
	m->buf[0] = '\0';
	if (name == BARGE_LOG_NULL_ || version == 0)
		goto bad;
	n = strlen(name);
	if (n == 0 || n > BARGE_LOG_NAME_MAX)
		goto bad;
	for (i = 0; i < n; i++) {
		if ((name[i] >= 'A' && name[i] <= 'Z') ||
		    (name[i] >= 'a' && name[i] <= 'z'))
			continue;
		if (i > 0 && ((name[i] >= '0' && name[i] <= '9') ||
		    name[i] == '_'))
			continue;
		goto bad;
	}
	p = barge_log_itoa_(tmp, BARGE_LOG_CAST_(int64_t, version));
	barge_log_put_(m, "@", 1);
	barge_log_put_(m, name, n);
	barge_log_put_(m, ":", 1);
	barge_log_put_(m, p, BARGE_LOG_CAST_(size_t, tmp + sizeof(tmp) - p));
	m->error_field = 0;
	return m->error;
bad:
	m->error = BARGE_LOG_ENAME;
	return m->error;
}

/* A NULL value, "\N", for a nullable field. */
static inline int
barge_log_add_null(struct barge_log_msg *m)
{
	return barge_log_field_(m, BARGE_LOG_NULL_TEXT,
	    sizeof(BARGE_LOG_NULL_TEXT) - 1);
}

/*
 * A string.  NULL is NULL if nullable, else BARGE_LOG_ENULL; max_length
 * (0: none) bounds its length in bytes before escaping.
 */
static inline int
barge_log_add_string_checked(struct barge_log_msg *m, const char *s,
    bool nullable, size_t max_length)
{
	size_t	n, out;
	int	rc;

	if (m->error != 0)
		return m->error;
	if (s == BARGE_LOG_NULL_) {
		if (!nullable)
			return barge_log_fail_(m, BARGE_LOG_ENULL);
		return barge_log_add_null(m);
	}
	n = strlen(s);
	if (max_length != 0 && n > max_length)
		return barge_log_fail_(m, BARGE_LOG_EMAXLEN);
	if (m->len >= BARGE_LOG_MAX)
		return barge_log_fail_(m, BARGE_LOG_ETOOLONG);
	m->buf[m->len] = BARGE_LOG_SEPARATOR[0];
	rc = barge_log_escape(m->buf + m->len + 1, BARGE_LOG_MAX - m->len - 1,
	    s, n, &out);
	if (rc != 0)
		return barge_log_fail_(m, rc);
	m->len += 1 + out;
	m->nfields++;
	return 0;
}

/* A string that must not be NULL. */
static inline int
barge_log_add_string(struct barge_log_msg *m, const char *s)
{
	return barge_log_add_string_checked(m, s, false, 0);
}

/* A string, NULL meaning NULL. */
static inline int
barge_log_add_string_or_null(struct barge_log_msg *m, const char *s)
{
	return barge_log_add_string_checked(m, s, true, 0);
}

static inline int
barge_log_add_int64(struct barge_log_msg *m, int64_t v)
{
	char	 tmp[24];
	char	*p;

	p = barge_log_itoa_(tmp, v);
	return barge_log_field_(m, p,
	    BARGE_LOG_CAST_(size_t, tmp + sizeof(tmp) - p));
}

static inline int
barge_log_add_int32(struct barge_log_msg *m, int32_t v)
{
	return barge_log_add_int64(m, v);
}

/* A timestamp, as an integer in the unit its definition declares. */
static inline int
barge_log_add_timestamp(struct barge_log_msg *m, int64_t v)
{
	return barge_log_add_int64(m, v);
}

/*
 * A timestamp in seconds: barged stores milliseconds in 64 bits, so it
 * must lie within INT64_MIN / 1000 .. INT64_MAX / 1000, else
 * BARGE_LOG_ERANGE.
 */
static inline int
barge_log_add_timestamp_s(struct barge_log_msg *m, int64_t v)
{
	if (m->error != 0)
		return m->error;
	if (v < INT64_MIN / 1000 || v > INT64_MAX / 1000)
		return barge_log_fail_(m, BARGE_LOG_ERANGE);
	return barge_log_add_int64(m, v);
}

static inline int
barge_log_add_bool(struct barge_log_msg *m, bool v)
{
	return v ? barge_log_field_(m, BARGE_LOG_TRUE_TEXT,
	    sizeof(BARGE_LOG_TRUE_TEXT) - 1) :
	    barge_log_field_(m, BARGE_LOG_FALSE_TEXT,
	    sizeof(BARGE_LOG_FALSE_TEXT) - 1);
}

/*
 * A finite double (else BARGE_LOG_ENOTFINITE), in the fewest of 15 to
 * 17 significant digits that read back the same value, with a '.' as
 * decimal point whatever the locale.
 */
static inline int
barge_log_add_double(struct barge_log_msg *m, double v)
{
	char		 tmp[64], out[64];
	const char	*dp;
	size_t		 dplen, i, o;
	int		 prec;

	/* v - v is NaN for NaN and for either infinity. */
	if (!(v - v == 0.0))
		return barge_log_fail_(m, BARGE_LOG_ENOTFINITE);
	for (prec = BARGE_LOG_DOUBLE_DIGITS_MIN;
	    prec < BARGE_LOG_DOUBLE_DIGITS_MAX; prec++) {
		snprintf(tmp, sizeof(tmp), "%.*g", prec, v);
		if (strtod(tmp, BARGE_LOG_NULL_) == v)
			break;
	}
	if (prec == BARGE_LOG_DOUBLE_DIGITS_MAX)
		snprintf(tmp, sizeof(tmp), "%.*g", prec, v);
	dp = localeconv()->decimal_point;
	dplen = strlen(dp);
	for (i = 0, o = 0; tmp[i] != '\0'; o++) {
		if (dplen > 0 && strncmp(tmp + i, dp, dplen) == 0) {
			out[o] = '.';
			i += dplen;
		} else
			out[o] = tmp[i++];
	}
	return barge_log_field_(m, out, o);
}

/* Nullable scalars: a NULL pointer is NULL. */
static inline int
barge_log_add_int32_or_null(struct barge_log_msg *m, const int32_t *p)
{
	return p == BARGE_LOG_NULL_ ? barge_log_add_null(m) :
	    barge_log_add_int32(m, *p);
}

static inline int
barge_log_add_int64_or_null(struct barge_log_msg *m, const int64_t *p)
{
	return p == BARGE_LOG_NULL_ ? barge_log_add_null(m) :
	    barge_log_add_int64(m, *p);
}

static inline int
barge_log_add_timestamp_or_null(struct barge_log_msg *m, const int64_t *p)
{
	return p == BARGE_LOG_NULL_ ? barge_log_add_null(m) :
	    barge_log_add_timestamp(m, *p);
}

static inline int
barge_log_add_timestamp_s_or_null(struct barge_log_msg *m, const int64_t *p)
{
	return p == BARGE_LOG_NULL_ ? barge_log_add_null(m) :
	    barge_log_add_timestamp_s(m, *p);
}

static inline int
barge_log_add_double_or_null(struct barge_log_msg *m, const double *p)
{
	return p == BARGE_LOG_NULL_ ? barge_log_add_null(m) :
	    barge_log_add_double(m, *p);
}

static inline int
barge_log_add_bool_or_null(struct barge_log_msg *m, const bool *p)
{
	return p == BARGE_LOG_NULL_ ? barge_log_add_null(m) :
	    barge_log_add_bool(m, *p);
}

/*
 * The message built so far, NUL-terminated, or NULL after a failure.
 * It lives in m.
 */
static inline const char *
barge_log_text(struct barge_log_msg *m)
{
	if (m->error != 0)
		return BARGE_LOG_NULL_;
	m->buf[m->len] = '\0';
	return m->buf;
}

/*
 * Sends the message with BARGE_LOG_SYSLOG (syslog(3) by default) at
 * priority, or returns the first failure and sends nothing.
 */
static inline int
barge_log_send(struct barge_log_msg *m, int priority)
{
	const char	*text;

	if ((text = barge_log_text(m)) == BARGE_LOG_NULL_)
		return m->error;
	BARGE_LOG_SYSLOG(priority, text);
	return 0;
}

/*
 * BARGE_LOG(name, version, BARGE_STRING(s), BARGE_INT32(n), ...) builds
 * and sends a message without generated code, at BARGE_LOG_PRIORITY;
 * BARGE_LOG_PRI(priority, name, version, ...) at priority.  Each value
 * goes through the helper of its type, which converts it as a function
 * parameter would (a pointer for an integer is a compile error in C++
 * and a diagnostic in C).  A value without a helper is caught at run
 * time (BARGE_LOG_EUSAGE).  The helpers are not checked against the
 * message's definition: the generated functions are.
 */
#define BARGE_LOG(...) \
	barge_log_fields_(BARGE_LOG_PRIORITY, __VA_ARGS__, BARGE_LOG_T_END_)
#define BARGE_LOG_PRI(priority, ...) \
	barge_log_fields_((priority), __VA_ARGS__, BARGE_LOG_T_END_)

#define BARGE_STRING(s)	BARGE_LOG_T_STRING_, barge_log_v_string_(s)
#define BARGE_STRING_OR_NULL(s) \
	BARGE_LOG_T_STRINGN_, barge_log_v_string_(s)
#define BARGE_INT32(v)	BARGE_LOG_T_INT32_, barge_log_v_int32_(v)
#define BARGE_INT64(v)	BARGE_LOG_T_INT64_, barge_log_v_int64_(v)
#define BARGE_TIMESTAMP(v) \
	BARGE_LOG_T_INT64_, barge_log_v_int64_(v)
#define BARGE_DOUBLE(v)	BARGE_LOG_T_DOUBLE_, barge_log_v_double_(v)
#define BARGE_BOOL(v)	BARGE_LOG_T_BOOL_, barge_log_v_bool_(v)
#define BARGE_INT32_OR_NULL(p) \
	BARGE_LOG_T_INT32P_, barge_log_v_int32p_(p)
#define BARGE_INT64_OR_NULL(p) \
	BARGE_LOG_T_INT64P_, barge_log_v_int64p_(p)
#define BARGE_TIMESTAMP_OR_NULL(p) \
	BARGE_LOG_T_INT64P_, barge_log_v_int64p_(p)
#define BARGE_DOUBLE_OR_NULL(p) \
	BARGE_LOG_T_DOUBLEP_, barge_log_v_doublep_(p)
#define BARGE_BOOL_OR_NULL(p) \
	BARGE_LOG_T_BOOLP_, barge_log_v_boolp_(p)
#define BARGE_NULL	BARGE_LOG_T_NULL_

/* Type tags: unlikely values, so that a forgotten helper is noticed. */
#define BARGE_LOG_T_END_	0x62720000
#define BARGE_LOG_T_STRING_	0x62720001
#define BARGE_LOG_T_STRINGN_	0x62720002
#define BARGE_LOG_T_INT32_	0x62720003
#define BARGE_LOG_T_INT64_	0x62720004
#define BARGE_LOG_T_DOUBLE_	0x62720005
#define BARGE_LOG_T_BOOL_	0x62720006
#define BARGE_LOG_T_INT32P_	0x62720007
#define BARGE_LOG_T_INT64P_	0x62720008
#define BARGE_LOG_T_DOUBLEP_	0x62720009
#define BARGE_LOG_T_BOOLP_	0x6272000a
#define BARGE_LOG_T_NULL_	0x6272000b

/* The helpers' typed identities: the compiler converts or rejects here. */
static inline const char *
barge_log_v_string_(const char *s)
{
	return s;
}

static inline int32_t
barge_log_v_int32_(int32_t v)
{
	return v;
}

static inline int64_t
barge_log_v_int64_(int64_t v)
{
	return v;
}

static inline double
barge_log_v_double_(double v)
{
	return v;
}

static inline int
barge_log_v_bool_(bool v)
{
	return v ? 1 : 0;
}

static inline const int32_t *
barge_log_v_int32p_(const int32_t *p)
{
	return p;
}

static inline const int64_t *
barge_log_v_int64p_(const int64_t *p)
{
	return p;
}

static inline const double *
barge_log_v_doublep_(const double *p)
{
	return p;
}

static inline const bool *
barge_log_v_boolp_(const bool *p)
{
	return p;
}

static inline int
barge_log_fields_(int priority, const char *name, unsigned version, ...)
{
	struct barge_log_msg	m;
	va_list			ap;
	int			tag;

	barge_log_begin(&m, name, version);
	va_start(ap, version);
	while ((tag = va_arg(ap, int)) != BARGE_LOG_T_END_) {
		switch (tag) {
		case BARGE_LOG_T_STRING_:
			barge_log_add_string(&m, va_arg(ap, const char *));
			break;
		case BARGE_LOG_T_STRINGN_:
			barge_log_add_string_or_null(&m,
			    va_arg(ap, const char *));
			break;
		case BARGE_LOG_T_INT32_:
			barge_log_add_int32(&m, va_arg(ap, int32_t));
			break;
		case BARGE_LOG_T_INT64_:
			barge_log_add_int64(&m, va_arg(ap, int64_t));
			break;
		case BARGE_LOG_T_DOUBLE_:
			barge_log_add_double(&m, va_arg(ap, double));
			break;
		case BARGE_LOG_T_BOOL_:
			barge_log_add_bool(&m, va_arg(ap, int) != 0);
			break;
		case BARGE_LOG_T_INT32P_:
			barge_log_add_int32_or_null(&m,
			    va_arg(ap, const int32_t *));
			break;
		case BARGE_LOG_T_INT64P_:
			barge_log_add_int64_or_null(&m,
			    va_arg(ap, const int64_t *));
			break;
		case BARGE_LOG_T_DOUBLEP_:
			barge_log_add_double_or_null(&m,
			    va_arg(ap, const double *));
			break;
		case BARGE_LOG_T_BOOLP_:
			barge_log_add_bool_or_null(&m,
			    va_arg(ap, const bool *));
			break;
		case BARGE_LOG_T_NULL_:
			barge_log_add_null(&m);
			break;
		default:
			/* The rest cannot be read safely: stop here. */
			barge_log_fail_(&m, BARGE_LOG_EUSAGE);
			va_end(ap);
			return m.error;
		}
	}
	va_end(ap);
	return barge_log_send(&m, priority);
}

#endif /* BARGE_LOG_H */
