/*
 * The generators' common parts.  The language-specific rules (escapes,
 * limits, error texts) are not here but in <barge/log.h>'s tables.
 */
#include "config.h"

#include "barge/gen.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <barge/log.h>

#include "base/cdefs.h"
#include "base/xmalloc.h"
#include "barge/cmd.h"
#include "barge/defs.h"

const struct gen_escape gen_escapes[] = {
#define GEN_ESCAPE(byte, letter)	{ (byte), (letter) },
	BARGE_LOG_ESCAPES(GEN_ESCAPE)
#undef GEN_ESCAPE
};
const size_t gen_nescapes = nitems(gen_escapes);

static int
gen_select(struct gen *g, int n, char **names)
{
	const struct message *m;
	const char	*colon;
	size_t		 i, len, found;
	unsigned long	 version;
	char		*end;
	int		 j;

	g->chosen = xcalloc(schema_count(g->schema) == 0 ? 1 :
	    schema_count(g->schema), sizeof(*g->chosen));
	for (i = 0; n == 0 && i < schema_count(g->schema); i++)
		g->chosen[i] = true;
	for (j = 0; j < n; j++) {
		version = 0;
		if ((colon = strchr(names[j], ':')) != NULL) {
			len = (size_t)(colon - names[j]);
			version = strtoul(colon + 1, &end, 10);
			if (colon[1] < '0' || colon[1] > '9' || *end != '\0' ||
			    version == 0) {
				fprintf(stderr, "barge: %s: %s: expected NAME "
				    "or NAME:VERSION\n", g->cmd, names[j]);
				return CMD_USAGE;
			}
		} else
			len = strlen(names[j]);
		for (i = 0, found = 0; i < schema_count(g->schema); i++) {
			m = schema_get(g->schema, i);
			if (strlen(m->name) == len &&
			    strncmp(m->name, names[j], len) == 0 &&
			    (version == 0 || m->version == version)) {
				g->chosen[i] = true;
				found++;
			}
		}
		if (found == 0) {
			fprintf(stderr, "barge: %s: %s: no such message\n",
			    g->cmd, names[j]);
			return CMD_FAIL;
		}
	}
	return CMD_OK;
}

int
gen_start(struct gen *g, const char *cmd, const char *help, int argc,
    char **argv, int *exitp)
{
	static const struct option longopts[] = {
		DEFS_LONGOPTS,
		{ NULL, 0, NULL, 0 }
	};
	struct defs_args args = { NULL, NULL };
	int		 ch;

	while ((ch = getopt_long(argc, argv, DEFS_OPTSTRING, longopts,
	    NULL)) != -1) {
		ch = defs_option(ch, cmd, help, &args);
		if (ch != DEFS_NEXT) {
			/* --help and --version end the command too. */
			*exitp = ch;
			return -1;
		}
	}
	*exitp = gen_load(g, cmd, &args, argc - optind, argv + optind);
	return *exitp == CMD_OK ? 0 : -1;
}

int
gen_load(struct gen *g, const char *cmd, const struct defs_args *a, int n,
    char **names)
{
	int	 rc;

	memset(g, 0, sizeof(*g));
	g->cmd = cmd;
	buf_init(&g->out);
	if (defs_load(cmd, a->config, a->messages, &g->cfg, &g->schema) == -1)
		rc = CMD_FAIL;
	else
		rc = gen_select(g, n, names);
	if (rc != CMD_OK)
		gen_free(g);
	return rc;
}

const struct message *
gen_next(const struct gen *g, size_t *i)
{
	for (; *i < schema_count(g->schema); (*i)++)
		if (g->chosen[*i])
			return schema_get(g->schema, (*i)++);
	return NULL;
}

int
gen_finish(struct gen *g)
{
	int	 rc = CMD_OK;

	if (fwrite(g->out.data, 1, g->out.len, stdout) != g->out.len ||
	    fflush(stdout) != 0) {
		fprintf(stderr, "barge: %s: write error\n", g->cmd);
		rc = CMD_FAIL;
	}
	gen_free(g);
	return rc;
}

void
gen_free(struct gen *g)
{
	free(g->chosen);
	g->chosen = NULL;
	buf_clear(&g->out);
	schema_free(g->schema);
	g->schema = NULL;
	config_free(g->cfg);
	g->cfg = NULL;
}

void
gen_ident(struct buf *out, const char *name, const char *const *reserved,
    size_t n, bool (*must_rename)(const char *))
{
	bool	 rename = must_rename != NULL && must_rename(name);
	size_t	 i;

	for (i = 0; !rename && i < n; i++)
		if (strcmp(name, reserved[i]) == 0)
			rename = true;
	buf_printf(out, "%s%s", name, rename ? "_" : "");
}

static bool
gen_is_upper(char c)
{
	return c >= 'A' && c <= 'Z';
}

static bool
gen_is_lower_or_digit(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

void
gen_snake(struct buf *out, const char *name)
{
	size_t	 i;

	for (i = 0; name[i] != '\0'; i++) {
		/* A word starts at "aB" and at the "Bc" of "ABc". */
		if (i > 0 && gen_is_upper(name[i]) && name[i - 1] != '_' &&
		    (gen_is_lower_or_digit(name[i - 1]) ||
		    gen_is_lower_or_digit(name[i + 1])))
			buf_putc(out, '_');
		buf_putc(out, gen_is_upper(name[i]) ? name[i] - 'A' + 'a' :
		    name[i]);
	}
}

void
gen_comment(struct buf *out, const char *s, const char *const *avoid)
{
	size_t	 i, n;

	while (*s != '\0') {
		for (i = 0; avoid[i] != NULL; i += 2) {
			n = strlen(avoid[i]);
			if (strncmp(s, avoid[i], n) == 0)
				break;
		}
		if (avoid[i] != NULL) {
			buf_puts(out, avoid[i + 1]);
			s += n;
		} else {
			buf_putc(out, (unsigned char)*s < 0x20 || *s == 0x7f ?
			    ' ' : *s);
			s++;
		}
	}
}

int
gen_unique(const struct gen *g,
    void (*ident)(struct buf *, const struct message *))
{
	const struct message *a, *b;
	struct buf	 x, y;
	size_t		 i, j;
	int		 rc = 0;

	buf_init(&x);
	buf_init(&y);
	for (i = 0; rc == 0 && (a = gen_next(g, &i)) != NULL;) {
		buf_reset(&x);
		ident(&x, a);
		for (j = i; rc == 0 && (b = gen_next(g, &j)) != NULL;) {
			buf_reset(&y);
			ident(&y, b);
			if (x.len != y.len || memcmp(x.data, y.data, x.len))
				continue;
			fprintf(stderr, "barge: %s: %s:%u: %s:%u and %s:%u "
			    "(%s:%u) would both be %.*s\n", g->cmd, b->file,
			    b->line, b->name, b->version, a->name, a->version,
			    a->file, a->line, (int)x.len, x.data);
			rc = -1;
		}
	}
	buf_clear(&x);
	buf_clear(&y);
	return rc;
}

const char *
gen_basename(const struct message *m)
{
	const char	*base = strrchr(m->file, '/');

	return base != NULL ? base + 1 : m->file;
}

void
gen_quote(struct buf *out, const char *s)
{
	unsigned char	 c;

	buf_putc(out, '"');
	for (; *s != '\0'; s++) {
		c = (unsigned char)*s;
		if (c == '\\' || c == '"')
			buf_printf(out, "\\%c", c);
		else if (c == '\t')
			buf_puts(out, "\\t");
		else if (c == '\n')
			buf_puts(out, "\\n");
		else if (c == '\r')
			buf_puts(out, "\\r");
		else if (c < 0x20 || c == 0x7f)
			buf_printf(out, "\\%03o", c);
		else
			buf_putc(out, (char)c);
	}
	buf_putc(out, '"');
}
