/*
 * libFuzzer target: the syslog line parser and event-time conversion.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>

#include "core/syslog.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	static struct syslog_parser *p;
	struct syslog_line l;
	int64_t		 ms;

	if (p == NULL)
		p = syslog_parser_new(1795673521000LL);
	if (syslog_parse((const char *)data, len, &l) == 0) {
		/* Every part must lie inside the input. */
		if (l.msg < (const char *)data || l.msg + l.msglen >
		    (const char *)data + len)
			__builtin_trap();
		(void)syslog_time(p, &l, &ms);
	}
	return 0;
}
