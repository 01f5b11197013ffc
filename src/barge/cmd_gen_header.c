/*
 * barge gen-header: writes a C header with one typed static inline
 * function per message definition, barge_log_<Name>_v<version>(), built
 * on <barge/log.h>.  The parameters follow the fields in order, so the
 * compiler rejects a missing field or a wrong type.  The header is
 * written to stdout only once it is complete.
 */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/cdefs.h"
#include "barge/cmd.h"
#include "barge/gen.h"

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
 * Field names to rename as parameters: those starting with '_' or
 * "barge_" (the generated code's own names), or without a lower-case
 * letter (macros are written in capitals).
 */
static bool
cmd_gen_header_must_rename(const char *name)
{
	const char	*p;

	for (p = name; *p != '\0'; p++)
		if (*p >= 'a' && *p <= 'z')
			break;
	return *p == '\0' || name[0] == '_' || strncmp(name, "barge_", 6) == 0;
}

/* The parameter name of a field: its name, or with '_' appended. */
static void
cmd_gen_header_param(struct buf *out, const struct field *f)
{
	gen_ident(out, f->name, cmd_gen_header_reserved,
	    nitems(cmd_gen_header_reserved), cmd_gen_header_must_rename);
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
	static const char *const avoid[] = { "*/", "* /", NULL };

	gen_comment(out, s, avoid);
}

static void
cmd_gen_header_doc(struct buf *out, const struct message *m)
{
	const struct field *f;
	size_t		 i, w = 0;

	buf_printf(out, "/*\n * %s version %u, ", m->name, m->version);
	cmd_gen_header_comment_text(out, gen_basename(m));
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
	buf_printf(out, "\tbarge_log_add_%s%s%s(&barge_m_, ", scalar[f->type],
	    f->type == FIELD_TIMESTAMP && f->unit == FIELD_UNIT_S ? "_s" : "",
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

int
cmd_gen_header(int argc, char **argv)
{
	const struct message *m;
	struct gen	 g;
	size_t		 i = 0;
	int		 rc;

	if (gen_start(&g, "gen-header", cmd_gen_header_help, argc, argv,
	    &rc) == -1)
		return rc;
	buf_puts(&g.out, "/*\n * Typed emitters for barge analytics messages.  "
	    "Generated by\n * barge gen-header (barge " PACKAGE_VERSION "): "
	    "do not edit.  barge_log(3)\n * describes the functions and what "
	    "they return.\n */\n"
	    "#ifndef BARGE_MESSAGES_H\n#define BARGE_MESSAGES_H\n\n"
	    "#include <barge/log.h>\n\n");
	while ((m = gen_next(&g, &i)) != NULL)
		cmd_gen_header_message(&g.out, m);
	buf_puts(&g.out, "#endif /* BARGE_MESSAGES_H */\n");
	return gen_finish(&g);
}
