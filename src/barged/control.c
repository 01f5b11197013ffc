/*
 * Control socket server and Prometheus endpoint on the main loop.  Each
 * connection is read until its two lines arrive (bounded: a client that
 * sends too much or stalls is dropped), answered, and closed.
 */
#include "config.h"

#include "barged/control.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <netinet/in.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/http.h>
#include <event2/listener.h>

#include "base/buf.h"
#include "base/fsio.h"
#include "base/log.h"
#include "base/xmalloc.h"

#define CONTROL_TIMEOUT_S	5

struct control {
	struct evconnlistener	*listener;
	struct evhttp		*http;
	char			*path;
	control_metrics_cb	 metrics_cb;
	void			*arg;
};

struct control_conn {
	struct control		*ctl;
	struct control_req	 req;
};

static void
control_conn_free(struct bufferevent *bev, struct control_conn *c)
{
	bufferevent_free(bev);
	free(c);
}

static void
control_write_cb(struct bufferevent *bev, void *arg)
{
	struct control_conn *c = arg;

	if (evbuffer_get_length(bufferevent_get_output(bev)) == 0 &&
	    c->req.nlines >= 2)
		control_conn_free(bev, c);
}

/* Whether the line is word, all of it: a NUL does not end a line. */
static bool
control_is(const char *line, size_t len, const char *word)
{
	return len == strlen(word) && memcmp(line, word, len) == 0;
}

static void
control_answer(struct control_req *r, const char *request, size_t len,
    control_metrics_cb cb, void *arg, struct buf *out)
{
	const struct metrics *m = cb(arg);

	if (!r->is_hello)
		buf_printf(out, "error: expected \"%s\"\n", CONTROL_HELLO);
	else if (control_is(request, len, "status"))
		metrics_text(m, out);
	else if (control_is(request, len, "status json"))
		metrics_json(m, out);
	else if (control_is(request, len, "metrics"))
		metrics_prometheus(m, out);
	else {
		buf_puts(out, "error: unknown request \"");
		buf_append(out, request, len);
		buf_puts(out, "\"\n");
	}
}

int
control_request(struct control_req *r, struct evbuffer *in,
    control_metrics_cb cb, void *arg, struct buf *out)
{
	struct evbuffer_ptr eol;
	char		*line;
	size_t		 len;

	while (r->nlines < 2) {
		/* Too long is too long, in one read or in many. */
		eol = evbuffer_search_eol(in, NULL, NULL, EVBUFFER_EOL_LF);
		if (eol.pos == -1)
			return evbuffer_get_length(in) > CONTROL_MAX_REQUEST ?
			    -1 : 0;
		if (eol.pos > CONTROL_MAX_REQUEST)
			return -1;
		if ((line = evbuffer_readln(in, &len, EVBUFFER_EOL_LF)) == NULL)
			fatalx("control: out of memory");
		if (r->nlines++ == 0)
			r->is_hello = control_is(line, len, CONTROL_HELLO);
		else
			control_answer(r, line, len, cb, arg, out);
		free(line);
	}
	return 1;
}

static void
control_read_cb(struct bufferevent *bev, void *arg)
{
	struct control_conn *c = arg;
	struct buf	 out;
	int		 rc;

	buf_init(&out);
	rc = control_request(&c->req, bufferevent_get_input(bev),
	    c->ctl->metrics_cb, c->ctl->arg, &out);
	if (out.len > 0)
		bufferevent_write(bev, out.data, out.len);
	buf_clear(&out);
	if (rc == -1) {
		control_conn_free(bev, c);
		return;
	}
	if (rc == 1)
		bufferevent_disable(bev, EV_READ);
}

static void
control_event_cb(struct bufferevent *bev, short what, void *arg)
{
	(void)what;
	control_conn_free(bev, arg);
}

static void
control_accept_cb(struct evconnlistener *l, evutil_socket_t fd,
    struct sockaddr *sa, int salen, void *arg)
{
	struct control	*ctl = arg;
	struct bufferevent *bev;
	struct control_conn *c = xcalloc(1, sizeof *c);
	struct timeval	 tv = { CONTROL_TIMEOUT_S, 0 };

	(void)sa;
	(void)salen;
	c->ctl = ctl;
	bev = bufferevent_socket_new(evconnlistener_get_base(l), fd,
	    BEV_OPT_CLOSE_ON_FREE);
	bufferevent_setcb(bev, control_read_cb, control_write_cb,
	    control_event_cb, c);
	bufferevent_set_timeouts(bev, &tv, &tv);
	bufferevent_enable(bev, EV_READ | EV_WRITE);
}

static void
control_http_cb(struct evhttp_request *req, void *arg)
{
	struct control	*ctl = arg;
	struct evbuffer	*out;
	struct buf	 b;

	if (evhttp_request_get_command(req) != EVHTTP_REQ_GET) {
		evhttp_send_error(req, 405, "only GET");
		return;
	}
	buf_init(&b);
	metrics_prometheus(ctl->metrics_cb(ctl->arg), &b);
	out = evbuffer_new();
	evbuffer_add(out, b.data, b.len);
	evhttp_add_header(evhttp_request_get_output_headers(req),
	    "Content-Type", "text/plain; version=0.0.4");
	evhttp_send_reply(req, 200, "OK", out);
	evbuffer_free(out);
	buf_clear(&b);
}

static int
control_http_open(struct control *ctl, struct event_base *base,
    const char *hostport, struct error *err)
{
	const char	*colon = strrchr(hostport, ':');
	char		*host = xstrndup(hostport, (size_t)(colon - hostport));
	struct evhttp_bound_socket *bs;
	struct sockaddr_storage ss;
	socklen_t	 len = sizeof ss;
	int		 rc = 0, port = 0;

	ctl->http = evhttp_new(base);
	evhttp_set_cb(ctl->http, "/metrics", control_http_cb, ctl);
	bs = evhttp_bind_socket_with_handle(ctl->http, host,
	    (ev_uint16_t)atoi(colon + 1));
	if (bs == NULL)
		rc = error_sys(err, "control: metrics endpoint %s", hostport);
	else if (getsockname(evhttp_bound_socket_get_fd(bs),
	    (struct sockaddr *)&ss, &len) == 0) {
		/* Port 0 picks a free port: say which. */
		if (ss.ss_family == AF_INET)
			port = ntohs(((struct sockaddr_in *)&ss)->sin_port);
		else if (ss.ss_family == AF_INET6)
			port = ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
		log_info("control: metrics on http://%s:%d/metrics", host,
		    port);
	}
	free(host);
	return rc;
}

struct control *
control_open(struct event_base *base, const char *path, const char *http,
    control_metrics_cb cb, void *arg, struct error *err)
{
	struct control	*ctl = xcalloc(1, sizeof *ctl);
	struct sockaddr_un sun;
	char		*copy = xstrdup(path), *slash;
	mode_t		 old;

	ctl->path = xstrdup(path);
	ctl->metrics_cb = cb;
	ctl->arg = arg;
	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	if (strlen(path) >= sizeof sun.sun_path) {
		error_set(err, ERR_INPUT, "control: %s: path too long", path);
		goto fail;
	}
	memcpy(sun.sun_path, path, strlen(path));
	if ((slash = strrchr(copy, '/')) != NULL && slash != copy) {
		*slash = '\0';
		if (fsio_mkdir_p(copy, 0755, err) == -1)
			goto fail;
	}
	/* A socket left by a crashed barged would make bind() fail. */
	if (unlink(path) == -1 && errno != ENOENT) {
		error_sys(err, "control: %s", path);
		goto fail;
	}
	old = umask(0117);	/* rw for owner and group: barge status */
	ctl->listener = evconnlistener_new_bind(base, control_accept_cb, ctl,
	    LEV_OPT_CLOSE_ON_FREE | LEV_OPT_CLOSE_ON_EXEC, 16,
	    (struct sockaddr *)&sun, (int)sizeof sun);
	umask(old);
	if (ctl->listener == NULL) {
		error_sys(err, "control: %s", path);
		goto fail;
	}
	if (http != NULL && http[0] != '\0' &&
	    control_http_open(ctl, base, http, err) == -1)
		goto fail;
	free(copy);
	return ctl;
fail:
	free(copy);
	control_close(ctl);
	return NULL;
}

void
control_close(struct control *ctl)
{
	if (ctl == NULL)
		return;
	if (ctl->listener != NULL) {
		evconnlistener_free(ctl->listener);
		unlink(ctl->path);
	}
	if (ctl->http != NULL)
		evhttp_free(ctl->http);
	free(ctl->path);
	free(ctl);
}
