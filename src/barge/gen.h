/*
 * What barge gen-header, gen-python and gen-java share: loading the
 * definitions and choosing among them, identifiers safe in the target
 * language, text safe in its comments, and writing the result to stdout
 * only once it is complete.
 */
#ifndef BARGE_GEN_H
#define BARGE_GEN_H

#include <stdbool.h>
#include <stddef.h>

#include "base/buf.h"
#include "barge/defs.h"

struct gen {
	const char	*cmd;		/* "gen-python", for messages */
	struct config	*cfg;
	struct schema	*schema;
	bool		*chosen;	/* per schema_get() index */
	struct buf	 out;		/* the file being written */
};

/*
 * Loads the definitions of a (see defs_load) and chooses those named
 * "Name" (every version) or "Name:version" in names, or all when n is
 * 0.  Returns CMD_OK, or prints why and returns CMD_USAGE or CMD_FAIL
 * (g is then freed).
 */
int	gen_load(struct gen *g, const char *cmd, const struct defs_args *a,
	    int n, char **names);
/*
 * The whole start of a generator that takes only the definitions'
 * options (--config, --messages, --help, --version): parses argv and
 * gen_load()s.  Returns 0 with g loaded, or -1 with *exitp the code the
 * command ends with (help and version printed, or an error; g not held).
 */
int	gen_start(struct gen *g, const char *cmd, const char *help, int argc,
	    char **argv, int *exitp);
/* The i-th chosen definition in schema order, or NULL past the last. */
const struct message *gen_next(const struct gen *g, size_t *i);
/* Writes g->out to stdout and frees g; returns CMD_OK or CMD_FAIL. */
int	gen_finish(struct gen *g);
void	gen_free(struct gen *g);

/*
 * Appends name, with '_' added if it is one of the n sorted or unsorted
 * reserved words, or if must_rename() says so (may be NULL).
 */
void	gen_ident(struct buf *out, const char *name,
	    const char *const *reserved, size_t n,
	    bool (*must_rename)(const char *));

/* Appends Name as lower_snake_case: "HTTPServerHit" -> "http_server_hit". */
void	gen_snake(struct buf *out, const char *name);

/*
 * Appends s for a comment or docstring: control characters become
 * spaces, and each occurrence of a string in avoid[] (pairs: the string
 * and what replaces it, NULL-terminated) is replaced.
 */
void	gen_comment(struct buf *out, const char *s, const char *const *avoid);

/*
 * Fails, naming both definitions, when two chosen messages would get the
 * same identifier from ident() (e.g. "EmailSent" and "Email_Sent" in
 * Python).  Returns 0 or -1 after printing the reason.
 */
int	gen_unique(const struct gen *g,
	    void (*ident)(struct buf *, const struct message *));

/*
 * Appends s as a double-quoted string literal valid in C, Python and
 * Java: backslash escapes for '\\', '"', TAB, LF, CR, octal for the
 * other control bytes, UTF-8 unchanged.
 */
void	gen_quote(struct buf *out, const char *s);

/* <barge/log.h>'s BARGE_LOG_ESCAPES as an array. */
struct gen_escape {
	char	 byte;
	char	 letter;
};
extern const struct gen_escape gen_escapes[];
extern const size_t gen_nescapes;

/* The file name (without folders) a definition came from. */
const char *gen_basename(const struct message *m);

#endif
