/*
 * barge gen-header: writes a C header with one typed static inline
 * function per message definition, barge_log_<Name>_v<version>(), built
 * on <barge/log.h>.  The parameters follow the fields in order, so the
 * compiler rejects a missing field or a wrong type.  The header is
 * written to stdout only once it is complete.
 */
#include "config.h"

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/cdefs.h"
#include "base/xmalloc.h"
#include "barge/cmd.h"
#include "barge/defs.h"

static const char cmd_gen_header_help[] =
    "Writes to standard output a C header (C99 and C++11) with one\n"
    "function per message definition:\n"
    "  int barge_log_<Name>_v<version>(<one parameter per field>);\n"
    "  int barge_log_<Name>_v<version>_pri(int priority, <fields>);\n"
    "Strings are const char *, scalars int32_t, int64_t, double or bool,\n"
    "timestamps int64_t in the field's unit; a nullable scalar is passed\n"
    "by pointer and NULL means NULL.  NAME or NAME:VERSION limits the\n"
    "output to those definitions.  See barge_log(3).\n\n"
    "  -c, --config file    barge.yaml naming the messages folder\n"
    "  -m, --messages dir   use the definitions in dir\n";

/*
 * Identifiers a field name may not be as a parameter: C and C++ keywords
 * (up to C++20), and lower-case object-like macros of glibc's headers or
 * of GNU modes, which a program may include before the generated header.
 */
static const char *const cmd_gen_header_reserved[] = {
	"alignas", "alignof", "and", "and_eq", "asm", "auto", "bitand",
	"bitor", "bool", "break", "case", "catch", "char", "char16_t",
	"char32_t", "char8_t", "class", "co_await", "co_return", "co_yield",
	"compl", "concept", "const", "const_cast", "consteval", "constexpr",
	"constinit", "continue", "decltype", "default", "delete", "do",
	"double", "dynamic_cast", "else", "enum", "errno", "explicit",
	"export", "extern", "false", "float", "for", "friend", "goto",
	"h_errno", "i386", "if", "inline", "int", "linux",
	"long", "math_errhandling", "mutable", "namespace", "new", "noexcept",
	"not", "not_eq", "nullptr", "operator", "or", "or_eq", "private",
	"protected", "public", "register", "reinterpret_cast", "requires",
	"restrict", "return", "sa_handler", "sa_sigaction", "short", "signed",
	"sizeof", "st_atime", "st_ctime", "st_mtime", "static",
	"static_assert", "static_cast", "stderr", "stdin", "stdout", "struct",
	"switch", "template", "this", "thread_local", "throw", "true", "try",
	"typedef", "typeid", "typename", "union", "unix", "unsigned", "using",
	"virtual", "void", "volatile", "wchar_t", "while", "xor", "xor_eq",
};

/*
 * The parameter name of a field: its name, with '_' appended if it is in
 * the list above, starts with '_' or "barge_" (the generated code's own
 * names), or has no lower-case letter (macros are written in capitals).
 */
static void
cmd_gen_header_param(struct buf *out, const struct field *f)
{
	const char	*p;
	size_t		 i;
	bool		 rename, lower = false;

	for (p = f->name; *p != '\0'; p++)
		if (*p >= 'a' && *p <= 'z')
			lower = true;
	rename = !lower || f->name[0] == '_' ||
	    strncmp(f->name, "barge_", 6) == 0;
	for (i = 0; !rename && i < nitems(cmd_gen_header_reserved); i++)
		if (strcmp(f->name, cmd_gen_header_reserved[i]) == 0)
			rename = true;
	buf_printf(out, "%s%s", f->name, rename ? "_" : "");
}

static const char *
cmd_gen_header_ctype(const struct field *f)
{
	switch (f->type) {
	case FIELD_STRING:
		return "const char *";
	case FIELD_INT32:
		return f->nullable ? "const int32_t *" : "int32_t ";
	case FIELD_INT64:
	case FIELD_TIMESTAMP:
		return f->nullable ? "const int64_t *" : "int64_t ";
	case FIELD_DOUBLE:
		return f->nullable ? "const double *" : "double ";
	case FIELD_BOOL:
		return f->nullable ? "const bool *" : "bool ";
	}
	return "?";
}

/* Appends text to a comment: no "*" "/", no control characters. */
static void
cmd_gen_header_comment_text(struct buf *out, const char *s)
{
	for (; *s != '\0'; s++) {
		if (s[0] == '*' && s[1] == '/')
			buf_puts(out, "* ");
		else if ((unsigned char)*s < 0x20 || *s == 0x7f)
			buf_putc(out, ' ');
		else
			buf_putc(out, *s);
	}
}

static void
cmd_gen_header_doc(struct buf *out, const struct message *m)
{
	const struct field *f;
	const char	*base;
	size_t		 i, w = 0;

	base = strrchr(m->file, '/');
	buf_printf(out, "/*\n * %s version %u, ", m->name, m->version);
	cmd_gen_header_comment_text(out, base != NULL ? base + 1 : m->file);
	buf_printf(out, ":%u\n", m->line);
	if (m->description != NULL) {
		buf_puts(out, " * ");
		cmd_gen_header_comment_text(out, m->description);
		buf_puts(out, "\n");
	}
	if (m->owner != NULL) {
		buf_puts(out, " * Owner: ");
		cmd_gen_header_comment_text(out, m->owner);
		buf_puts(out, "\n");
	}
	buf_puts(out, " *\n");
	for (i = 0; i < m->nfields; i++)
		if (strlen(m->fields[i].name) > w)
			w = strlen(m->fields[i].name);
	for (i = 0; i < m->nfields; i++) {
		f = &m->fields[i];
		buf_printf(out, " *   %-*s  %s", (int)w, f->name,
		    schema_type_name(f->type));
		if (f->type == FIELD_TIMESTAMP)
			buf_printf(out, ", %s since the epoch",
			    f->unit == FIELD_UNIT_S ? "seconds" :
			    "milliseconds");
		if (f->type == FIELD_STRING && f->max_length != 0)
			buf_printf(out, ", at most %zu bytes", f->max_length);
		if (f->nullable)
			buf_puts(out, ", nullable: NULL for NULL");
		buf_puts(out, "\n");
	}
	if (m->nfields > 0)
		buf_puts(out, " *\n");
	buf_puts(out, " * Returns 0 once sent, or a negative BARGE_LOG_E* "
	    "code and sends nothing.\n */\n");
}

/*
 * Appends "(" lead, then one parameter per field, then ")", wrapping at
 * 80 columns with the 4-space continuation of style(9).  col is the
 * column of the "("; in_body says whether the code is indented a tab.
 */
static void
cmd_gen_header_params(struct buf *out, size_t col, const char *lead,
    const struct message *m, bool types, bool in_body)
{
	struct buf	 p;
	size_t		 i;

	buf_init(&p);
	buf_printf(out, "(%s", lead);
	col += 1 + strlen(lead);
	if (m->nfields == 0 && *lead == '\0')
		buf_puts(out, types ? "void" : "");
	for (i = 0; i < m->nfields; i++) {
		buf_reset(&p);
		if (types)
			buf_puts(&p, cmd_gen_header_ctype(&m->fields[i]));
		cmd_gen_header_param(&p, &m->fields[i]);
		if (i > 0 || *lead != '\0') {
			buf_putc(out, ',');
			col++;
			if (col + 1 + p.len + 2 > 80) {
				buf_puts(out, in_body ? "\n\t    " : "\n    ");
				col = in_body ? 12 : 4;
			} else {
				buf_putc(out, ' ');
				col++;
			}
		}
		buf_append(out, p.data, p.len);
		col += p.len;
	}
	buf_putc(out, ')');
	buf_clear(&p);
}

static void
cmd_gen_header_add(struct buf *out, const struct field *f)
{
	static const char *const scalar[] = {
		[FIELD_INT32] = "int32",
		[FIELD_INT64] = "int64",
		[FIELD_DOUBLE] = "double",
		[FIELD_BOOL] = "bool",
		[FIELD_TIMESTAMP] = "timestamp",
	};

	if (f->type == FIELD_STRING) {
		buf_puts(out, "\tbarge_log_add_string_checked(&barge_m_, ");
		cmd_gen_header_param(out, f);
		buf_printf(out, ", %s, %zu);\n", f->nullable ? "true" : "false",
		    f->max_length);
		return;
	}
	buf_printf(out, "\tbarge_log_add_%s%s(&barge_m_, ", scalar[f->type],
	    f->nullable ? "_or_null" : "");
	cmd_gen_header_param(out, f);
	buf_puts(out, ");\n");
}

static void
cmd_gen_header_message(struct buf *out, const struct message *m)
{
	char	 fn[128];
	size_t	 i;

	cmd_gen_header_doc(out, m);
	snprintf(fn, sizeof(fn), "barge_log_%s_v%u", m->name, m->version);
	buf_printf(out, "static inline int\n%s_pri", fn);
	cmd_gen_header_params(out, strlen(fn) + 4, "int barge_priority_", m,
	    true, false);
	buf_printf(out, "\n{\n\tstruct barge_log_msg barge_m_;\n\n"
	    "\tbarge_log_begin(&barge_m_, \"%s\", %u);\n", m->name,
	    m->version);
	for (i = 0; i < m->nfields; i++)
		cmd_gen_header_add(out, &m->fields[i]);
	buf_puts(out, "\treturn barge_log_send(&barge_m_, barge_priority_);"
	    "\n}\n\n");

	buf_printf(out, "static inline int\n%s", fn);
	cmd_gen_header_params(out, strlen(fn), "", m, true, false);
	buf_printf(out, "\n{\n\treturn %s_pri", fn);
	cmd_gen_header_params(out, 8 + 7 + strlen(fn) + 4,
	    "BARGE_LOG_PRIORITY", m, false, true);
	buf_puts(out, ";\n}\n\n");
}

/*
 * Which definitions to write: those named "Name" (every version) or
 * "Name:version" in names, or all when there are none.  Sets *chosenp to
 * an array of schema_count() flags and returns CMD_OK, or prints why and
 * returns CMD_USAGE or CMD_FAIL.
 */
static int
cmd_gen_header_select(const struct schema *s, int n, char **names,
    bool **chosenp)
{
	const struct message *m;
	bool		*chosen;
	const char	*colon;
	size_t		 i, len, found;
	unsigned long	 version;
	char		*end;
	int		 j;

	chosen = xcalloc(schema_count(s) == 0 ? 1 : schema_count(s),
	    sizeof(*chosen));
	for (i = 0; n == 0 && i < schema_count(s); i++)
		chosen[i] = true;
	for (j = 0; j < n; j++) {
		version = 0;
		if ((colon = strchr(names[j], ':')) != NULL) {
			len = (size_t)(colon - names[j]);
			version = strtoul(colon + 1, &end, 10);
			if (colon[1] < '0' || colon[1] > '9' || *end != '\0' ||
			    version == 0) {
				fprintf(stderr, "barge: gen-header: %s: "
				    "expected NAME or NAME:VERSION\n",
				    names[j]);
				free(chosen);
				return CMD_USAGE;
			}
		} else
			len = strlen(names[j]);
		for (i = 0, found = 0; i < schema_count(s); i++) {
			m = schema_get(s, i);
			if (strlen(m->name) == len &&
			    strncmp(m->name, names[j], len) == 0 &&
			    (version == 0 || m->version == version)) {
				chosen[i] = true;
				found++;
			}
		}
		if (found == 0) {
			fprintf(stderr, "barge: gen-header: %s: no such "
			    "message\n", names[j]);
			free(chosen);
			return CMD_FAIL;
		}
	}
	*chosenp = chosen;
	return CMD_OK;
}

int
cmd_gen_header(int argc, char **argv)
{
	static const struct option longopts[] = {
		DEFS_LONGOPTS,
		{ NULL, 0, NULL, 0 }
	};
	struct defs_args args = { NULL, NULL };
	struct config	*cfg = NULL;
	struct schema	*s = NULL;
	struct buf	 out;
	bool		*chosen = NULL;
	size_t		 i;
	int		 ch, rc = CMD_FAIL;

	while ((ch = getopt_long(argc, argv, DEFS_OPTSTRING, longopts,
	    NULL)) != -1) {
		switch (ch) {
		default:
			ch = defs_option(ch, "gen-header", cmd_gen_header_help, &args);
			if (ch != DEFS_NEXT)
				return ch;
			break;
		}
	}
	if (defs_load("gen-header", args.config, args.messages, &cfg, &s) == -1)
		return CMD_FAIL;
	buf_init(&out);
	if ((rc = cmd_gen_header_select(s, argc - optind, argv + optind,
	    &chosen)) != CMD_OK)
		goto out;
	rc = CMD_FAIL;

	buf_puts(&out, "/*\n * Typed emitters for barge analytics messages.  "
	    "Generated by\n * barge gen-header (barge " PACKAGE_VERSION "): "
	    "do not edit.  barge_log(3)\n * describes the functions and what "
	    "they return.\n */\n"
	    "#ifndef BARGE_MESSAGES_H\n#define BARGE_MESSAGES_H\n\n"
	    "#include <barge/log.h>\n\n");
	for (i = 0; i < schema_count(s); i++)
		if (chosen[i])
			cmd_gen_header_message(&out, schema_get(s, i));
	buf_puts(&out, "#endif /* BARGE_MESSAGES_H */\n");

	if (fwrite(out.data, 1, out.len, stdout) != out.len ||
	    fflush(stdout) != 0) {
		fprintf(stderr, "barge: gen-header: write error\n");
		goto out;
	}
	rc = CMD_OK;
out:
	free(chosen);
	buf_clear(&out);
	schema_free(s);
	config_free(cfg);
	return rc;
}
