/*
 * base/net: host:port lists, connects that fail fast and clearly, and
 * reads and writes that end at their deadline.
 */
#include "config.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <netinet/in.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/clock.h"
#include "base/error.h"
#include "base/net.h"

#include "unit.h"

START_TEST(test_parse_lists)
{
	struct net_addr	*a;
	struct error	 err;
	size_t		 n;

	a = net_parse_hostports("nn1:8020, nn2.example.com:9000,nn3,[::1]:1,"
	    "[fe80::1]", "8020", &n, &err);
	ck_assert_ptr_nonnull(a);
	ck_assert_uint_eq(n, 5);
	ck_assert_str_eq(a[0].host, "nn1");
	ck_assert_str_eq(a[0].port, "8020");
	ck_assert_str_eq(a[1].host, "nn2.example.com");
	ck_assert_str_eq(a[1].port, "9000");
	ck_assert_str_eq(a[2].host, "nn3");
	ck_assert_str_eq(a[2].port, "8020");
	ck_assert_str_eq(a[3].host, "::1");
	ck_assert_str_eq(a[3].port, "1");
	ck_assert_str_eq(a[4].host, "fe80::1");
	ck_assert_str_eq(a[4].port, "8020");
	free(a);
}
END_TEST

START_TEST(test_parse_errors)
{
	static const struct {
		const char	*in, *msg;
	} bad[] = {
		{ "", ": bad host" },
		{ "nn1:8020,", ": bad host" },
		{ ":8020", ":8020: bad host" },
		{ "nn1:", "nn1:: bad port" },
		{ "nn1:80x", "nn1:80x: bad port" },
		{ "nn1:0", "nn1:0: bad port" },
		{ "nn1:65536", "nn1:65536: bad port" },
		{ "[::1", "[::1: missing ']'" },
		{ "[::1]x", "[::1]x: expected ':' after ']'" },
	};
	struct error	 err;
	size_t		 i, n;

	for (i = 0; i < nitems(bad); i++) {
		ck_assert_msg(net_parse_hostports(bad[i].in, "8020", &n,
		    &err) == NULL, "%s accepted", bad[i].in);
		ck_assert_int_eq(err.code, ERR_INPUT);
		ck_assert_str_eq(err.msg, bad[i].msg);
	}
}
END_TEST

/* A port nobody listens on: refused at once, with errno kept. */
START_TEST(test_connect_refused)
{
	struct sockaddr_in	 sin;
	socklen_t		 len = sizeof sin;
	struct error		 err;
	char			 port[8];
	int			 s;

	/* Bind and close a socket to find a port that is free right now. */
	ck_assert_int_ne(s = socket(AF_INET, SOCK_STREAM, 0), -1);
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(bind(s, (struct sockaddr *)&sin, sizeof sin), 0);
	ck_assert_int_eq(getsockname(s, (struct sockaddr *)&sin, &len), 0);
	close(s);
	snprintf(port, sizeof port, "%u", ntohs(sin.sin_port));
	ck_assert_int_eq(net_connect_tcp("127.0.0.1", port, 2000, &err), -1);
	ck_assert_int_eq(err.code, ERR_SYS);
	ck_assert_int_eq(err.sys, ECONNREFUSED);
	ck_assert_msg(strstr(err.msg, "connect: Connection refused") != NULL,
	    "%s", err.msg);
}
END_TEST

/* Connect, write and read over TCP and over a unix socket. */
START_TEST(test_connect_and_deadlines)
{
	struct sockaddr_in	 sin;
	struct sockaddr_un	 sun;
	socklen_t		 len = sizeof sin;
	struct error		 err;
	uint64_t		 t0;
	char			 port[8], buf[4];
	const char		*path;
	int			 l, c, a;

	ck_assert_int_ne(l = socket(AF_INET, SOCK_STREAM, 0), -1);
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ck_assert_int_eq(bind(l, (struct sockaddr *)&sin, sizeof sin), 0);
	ck_assert_int_eq(listen(l, 1), 0);
	ck_assert_int_eq(getsockname(l, (struct sockaddr *)&sin, &len), 0);
	snprintf(port, sizeof port, "%u", ntohs(sin.sin_port));
	c = net_connect_tcp("localhost", port, 2000, &err);
	ck_assert_msg(c != -1, "%s", err.msg);
	ck_assert_int_ne(a = accept(l, NULL, NULL), -1);
	ck_assert_int_eq(net_write_full(c, "ping", 4, net_deadline(1000),
	    &err), 0);
	ck_assert_int_eq(read(a, buf, 4), 4);
	ck_assert_int_eq(memcmp(buf, "ping", 4), 0);

	/* Nothing comes: the read ends at its deadline. */
	t0 = clock_mono_ms();
	ck_assert_int_eq(net_read_full(c, buf, 4, net_deadline(200), &err),
	    -1);
	ck_assert_int_eq(err.code, ERR_TIMEOUT);
	ck_assert_uint_ge(clock_mono_ms() - t0, 190);
	ck_assert_uint_lt(clock_mono_ms() - t0, 2000);

	/* Two bytes, then the peer leaves. */
	ck_assert_int_eq(write(a, "po", 2), 2);
	close(a);
	ck_assert_int_eq(net_read_full(c, buf, 4, net_deadline(1000), &err),
	    -1);
	ck_assert_int_eq(err.code, ERR_PROTO);
	ck_assert_str_eq(err.msg, "connection closed by peer");
	close(c);
	close(l);

	path = unit_tmpdir();
	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	snprintf(sun.sun_path, sizeof sun.sun_path, "%s/sock", path);
	ck_assert_int_ne(l = socket(AF_UNIX, SOCK_STREAM, 0), -1);
	ck_assert_int_eq(bind(l, (struct sockaddr *)&sun, sizeof sun), 0);
	ck_assert_int_eq(listen(l, 1), 0);
	c = net_connect_unix(sun.sun_path, 1000, &err);
	ck_assert_msg(c != -1, "%s", err.msg);
	ck_assert_int_ne(a = accept(l, NULL, NULL), -1);
	ck_assert_int_eq(write(a, "pong", 4), 4);
	ck_assert_int_eq(net_read_full(c, buf, 4, net_deadline(1000), &err),
	    0);
	ck_assert_int_eq(memcmp(buf, "pong", 4), 0);
	close(a);
	close(c);
	close(l);
	ck_assert_int_eq(net_connect_unix("/nonexistent/sock", 1000, &err),
	    -1);
	ck_assert_str_eq(err.msg,
	    "/nonexistent/sock: connect: No such file or directory");
}
END_TEST

Suite *
unit_suite(void)
{
	Suite	*s = suite_create("net");
	TCase	*tc = tcase_create("net");

	tcase_add_test(tc, test_parse_lists);
	tcase_add_test(tc, test_parse_errors);
	tcase_add_test(tc, test_connect_refused);
	tcase_add_test(tc, test_connect_and_deadlines);
	suite_add_tcase(s, tc);
	return s;
}
