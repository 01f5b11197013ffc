/*
 * Manifests.  Journals are <dir>/<YYYY-MM-DD>.tsv, a line per file:
 *	<m|d|q> TAB <name> TAB <version> TAB <hour> TAB <bytes> TAB <rows>
 *	TAB <path> LF
 * (<rows> "-" when unknown), and <dir>/published holds "<day> <count>"
 * lines: how many of each day's entries HDFS has.  Days in memory are few
 * (today, yesterday, late files), so they sit in a short array.
 */
#include "config.h"

#include "core/manifest.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/fsio.h"
#include "base/hmap.h"
#include "base/json.h"
#include "base/xmalloc.h"
#include "core/fleet.h"

struct manifest_day {
	int64_t			 day;
	struct manifest_entry	*entries;
	size_t			 n;
	size_t			 published;
	struct hmap		*paths;		/* path -> entry index + 1 */
	int			 fd;		/* the journal, for appends */
};

struct manifest {
	char			*dir;
	char			*host;
	struct manifest_day	*days;
	size_t			 ndays;
};

static void
manifest_entry_copy(struct manifest_entry *to, const struct manifest_entry *e)
{
	*to = *e;
	to->path = xstrdup(e->path);
}

static char *
manifest_journal_path(const struct manifest *m, int64_t day)
{
	char	 d[FLEET_DAY_LEN];

	fleet_day_name(day, d);
	return xasprintf("%s/%s.tsv", m->dir, d);
}

static struct manifest_day *
manifest_find_day(const struct manifest *m, int64_t day)
{
	size_t	 i;

	for (i = 0; i < m->ndays; i++)
		if (m->days[i].day == day)
			return &m->days[i];
	return NULL;
}

static struct manifest_day *
manifest_new_day(struct manifest *m, int64_t day)
{
	struct manifest_day *d;

	m->days = xreallocarray(m->days, m->ndays + 1, sizeof *m->days);
	d = &m->days[m->ndays++];
	memset(d, 0, sizeof *d);
	d->day = day;
	d->paths = hmap_new();
	d->fd = -1;
	return d;
}

static void
manifest_day_clear(struct manifest_day *d)
{
	size_t	 i;

	for (i = 0; i < d->n; i++)
		free(d->entries[i].path);
	free(d->entries);
	hmap_free(d->paths);
	if (d->fd != -1)
		close(d->fd);
}

static void
manifest_day_push(struct manifest_day *d, const struct manifest_entry *e)
{
	d->entries = xreallocarray(d->entries, d->n + 1, sizeof *d->entries);
	manifest_entry_copy(&d->entries[d->n], e);
	d->n++;
	hmap_put(d->paths, e->path, strlen(e->path), (void *)(uintptr_t)d->n);
}

/* One journal line (without LF) into e; -1 if it is not one. */
static int
manifest_parse_line(char *line, struct manifest_entry *e)
{
	char		 kind, name[sizeof e->key.name], rows[24];
	unsigned	 version;
	int64_t		 hour;
	int		 n = 0;

	memset(e, 0, sizeof *e);
	if (sscanf(line, "%c\t%71[^\t]\t%u\t%" SCNd64 "\t%" SCNu64 "\t%23[^\t]"
	    "\t%n", &kind, name, &version, &hour, &e->bytes, rows, &n) != 6 ||
	    n == 0 || line[n] == '\0' || (kind != 'm' && kind != 'd' &&
	    kind != 'q'))
		return -1;
	if (strcmp(rows, "-") == 0)
		e->rows = SEGMENT_ROWS_UNKNOWN;
	else if (sscanf(rows, "%" SCNu64, &e->rows) != 1)
		return -1;
	e->key.kind = kind == 'q' ? SEGMENT_QUARANTINE : SEGMENT_MESSAGE;
	e->key.is_daily = kind == 'd';
	snprintf(e->key.name, sizeof e->key.name, "%s", name);
	e->key.version = version;
	e->key.hour = hour;
	e->path = line + n;
	return 0;
}

static int
manifest_load_journal(struct manifest *m, int64_t day, struct error *err)
{
	struct manifest_day *d = manifest_new_day(m, day);
	struct manifest_entry e;
	struct buf	 b;
	char		*path = manifest_journal_path(m, day), *p, *nl;
	size_t		 good = 0;
	unsigned	 lineno = 0;
	int		 rc = 0;

	buf_init(&b);
	if (fsio_read_file(path, &b, err) == -1) {
		rc = -1;
		goto out;
	}
	for (p = b.data; p < b.data + b.len; p = nl + 1) {
		lineno++;
		if ((nl = memchr(p, '\n', (size_t)(b.data + b.len - p))) ==
		    NULL)
			break;		/* cut short by a crash */
		*nl = '\0';
		if (manifest_parse_line(p, &e) == -1) {
			rc = error_set(err, ERR_INPUT, "%s:%u: not a manifest "
			    "journal line", path, lineno);
			goto out;
		}
		if (hmap_get(d->paths, e.path, strlen(e.path)) == NULL)
			manifest_day_push(d, &e);
		good = (size_t)(nl + 1 - b.data);
	}
	if (good < b.len && truncate(path, (off_t)good) == -1)
		rc = error_sys(err, "manifest: truncate %s", path);
out:
	buf_clear(&b);
	free(path);
	return rc;
}

static int
manifest_load_published(struct manifest *m, struct error *err)
{
	char		*path = xasprintf("%s/published", m->dir), *p, *nl;
	char		 day[FLEET_DAY_LEN];
	struct manifest_day *d;
	struct buf	 b;
	size_t		 count;
	int64_t		 dn;
	int		 rc = 0;

	buf_init(&b);
	if (fsio_read_file(path, &b, err) == -1) {
		rc = err->code == ERR_NOTFOUND ? 0 : -1;
		goto out;
	}
	for (p = b.data; (nl = strchr(p, '\n')) != NULL; p = nl + 1) {
		*nl = '\0';
		if (sscanf(p, "%10s %zu", day, &count) != 2 ||
		    fleet_parse_day(day, &dn) == -1) {
			rc = error_set(err, ERR_INPUT, "%s: bad line '%s'",
			    path, p);
			goto out;
		}
		if ((d = manifest_find_day(m, dn)) != NULL)
			d->published = count < d->n ? count : d->n;
	}
out:
	buf_clear(&b);
	free(path);
	return rc;
}

struct manifest *
manifest_open(const char *dir, const char *host, struct error *err)
{
	struct manifest	*m = xcalloc(1, sizeof *m);
	struct dirent	**ents = NULL;
	int		 n, i, rc = 0;

	m->dir = xstrdup(dir);
	m->host = xstrdup(host);
	if (fsio_mkdir_p(dir, 0750, err) == -1)
		goto fail;
	if ((n = scandir(dir, &ents, NULL, alphasort)) == -1) {
		error_sys(err, "manifest: %s", dir);
		goto fail;
	}
	for (i = 0; i < n; i++) {
		const char	*name = ents[i]->d_name;
		char		 day[FLEET_DAY_LEN];
		int64_t		 dn;

		if (rc == 0 && strlen(name) == FLEET_DAY_LEN - 1 + 4 &&
		    strcmp(name + FLEET_DAY_LEN - 1, ".tsv") == 0) {
			memcpy(day, name, FLEET_DAY_LEN - 1);
			day[FLEET_DAY_LEN - 1] = '\0';
			if (fleet_parse_day(day, &dn) == 0)
				rc = manifest_load_journal(m, dn, err);
		}
		free(ents[i]);
	}
	free(ents);
	if (rc == -1 || manifest_load_published(m, err) == -1)
		goto fail;
	return m;
fail:
	manifest_free(m);
	return NULL;
}

void
manifest_free(struct manifest *m)
{
	size_t	 i;

	if (m == NULL)
		return;
	for (i = 0; i < m->ndays; i++)
		manifest_day_clear(&m->days[i]);
	free(m->days);
	free(m->dir);
	free(m->host);
	free(m);
}

static char
manifest_kind_char(const struct segment_key *k)
{
	if (k->kind == SEGMENT_QUARANTINE)
		return 'q';
	return k->is_daily ? 'd' : 'm';
}

int
manifest_add(struct manifest *m, const struct manifest_entry *e,
    struct error *err)
{
	int64_t		 day = fleet_day_of(e->key.hour);
	struct manifest_day *d = manifest_find_day(m, day);
	struct buf	 line;
	char		*path;
	int		 rc = 1;

	if (strchr(e->path, '\t') != NULL || strchr(e->path, '\n') != NULL)
		return error_set(err, ERR_INPUT, "manifest: %s: a path with "
		    "TAB or LF", e->path);
	if (d == NULL)
		d = manifest_new_day(m, day);
	if (hmap_get(d->paths, e->path, strlen(e->path)) != NULL)
		return 0;
	if (d->fd == -1) {
		path = manifest_journal_path(m, day);
		d->fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC,
		    0640);
		if (d->fd == -1)
			error_sys(err, "manifest: %s", path);
		else if (fsio_fsync_dir(m->dir, err) == -1) {
			close(d->fd);
			d->fd = -1;
		}
		free(path);
		if (d->fd == -1)
			return -1;
	}
	buf_init(&line);
	buf_printf(&line, "%c\t%s\t%u\t%" PRId64 "\t%" PRIu64 "\t",
	    manifest_kind_char(&e->key), e->key.name, e->key.version,
	    e->key.hour, e->bytes);
	if (e->rows == SEGMENT_ROWS_UNKNOWN)
		buf_puts(&line, "-");
	else
		buf_printf(&line, "%" PRIu64, e->rows);
	buf_printf(&line, "\t%s\n", e->path);
	if (fsio_write_full(d->fd, line.data, line.len, err) == -1)
		rc = -1;
	else if (fdatasync(d->fd) == -1)
		rc = error_sys(err, "manifest: fdatasync");
	buf_clear(&line);
	if (rc == 1)
		manifest_day_push(d, e);
	return rc;
}

size_t
manifest_dirty_days(const struct manifest *m, int64_t *days, size_t n)
{
	size_t	 i, k = 0;

	for (i = 0; i < m->ndays && k < n; i++)
		if (m->days[i].n > m->days[i].published)
			days[k++] = m->days[i].day;
	return k;
}

size_t
manifest_count(const struct manifest *m, int64_t day)
{
	const struct manifest_day *d = manifest_find_day(m, day);

	return d == NULL ? 0 : d->n;
}

void
manifest_render(const struct manifest *m, int64_t day, struct buf *out,
    size_t *count)
{
	const struct manifest_day *d = manifest_find_day(m, day);
	char		 dn[FLEET_DAY_LEN], hn[FLEET_HOUR_LEN];
	size_t		 i, n = d == NULL ? 0 : d->n;

	fleet_day_name(day, dn);
	buf_puts(out, "{\"host\":");
	json_put_string(out, m->host);
	buf_printf(out, ",\"day\":\"%s\",\"files\":[", dn);
	for (i = 0; i < n; i++) {
		const struct manifest_entry *e = &d->entries[i];

		buf_puts(out, i == 0 ? "\n{\"path\":" : ",\n{\"path\":");
		json_put_string(out, e->path);
		if (e->key.kind == SEGMENT_QUARANTINE) {
			buf_puts(out, ",\"quarantine\":");
			json_put_string(out, e->key.name);
		} else {
			buf_puts(out, ",\"message\":");
			json_put_string(out, e->key.name);
			buf_printf(out, ",\"version\":%u", e->key.version);
		}
		if (e->key.is_daily)
			buf_puts(out, ",\"hour\":null");
		else {
			fleet_hour_name(e->key.hour, hn);
			buf_printf(out, ",\"hour\":\"%s\"", hn);
		}
		buf_printf(out, ",\"bytes\":%" PRIu64, e->bytes);
		if (e->rows == SEGMENT_ROWS_UNKNOWN)
			buf_puts(out, ",\"rows\":null}");
		else
			buf_printf(out, ",\"rows\":%" PRIu64 "}", e->rows);
	}
	buf_puts(out, "\n]}\n");
	*count = n;
}

static int
manifest_write_published(const struct manifest *m, struct error *err)
{
	char		 dn[FLEET_DAY_LEN], *path;
	struct buf	 b;
	size_t		 i;
	int		 rc;

	buf_init(&b);
	for (i = 0; i < m->ndays; i++) {
		fleet_day_name(m->days[i].day, dn);
		buf_printf(&b, "%s %zu\n", dn, m->days[i].published);
	}
	path = xasprintf("%s/published", m->dir);
	rc = fsio_write_file_atomic(path, b.data != NULL ? b.data : "", b.len,
	    err);
	free(path);
	buf_clear(&b);
	return rc;
}

int
manifest_published(struct manifest *m, int64_t day, size_t count,
    struct error *err)
{
	struct manifest_day *d = manifest_find_day(m, day);

	if (d == NULL || count <= d->published)
		return 0;
	d->published = count;
	return manifest_write_published(m, err);
}

int
manifest_prune(struct manifest *m, int64_t before_day, struct error *err)
{
	size_t	 i = 0;
	bool	 changed = false;

	while (i < m->ndays) {
		struct manifest_day *d = &m->days[i];
		char	*path;

		if (d->day >= before_day) {
			i++;
			continue;
		}
		path = manifest_journal_path(m, d->day);
		if (unlink(path) == -1 && errno != ENOENT) {
			error_sys(err, "manifest: unlink %s", path);
			free(path);
			return -1;
		}
		free(path);
		manifest_day_clear(d);
		memmove(d, d + 1, (m->ndays - i - 1) * sizeof *d);
		m->ndays--;
		changed = true;
	}
	return changed ? manifest_write_published(m, err) : 0;
}

/* One entry of "files"; -1 with err. */
static int
manifest_parse_entry(const struct json *j, size_t i, struct manifest_entry *e,
    struct error *err)
{
	const struct json *v;
	const char	*s;
	uint64_t	 u;

	memset(e, 0, sizeof *e);
	if ((s = json_string(json_get(j, "path"))) == NULL || s[0] != '/')
		return error_set(err, ERR_INPUT, "files[%zu]: no \"path\"", i);
	if ((v = json_get(j, "quarantine")) != NULL) {
		e->key.kind = SEGMENT_QUARANTINE;
		if ((s = json_string(v)) == NULL ||
		    strlen(s) >= sizeof e->key.name)
			return error_set(err, ERR_INPUT, "files[%zu]: bad "
			    "\"quarantine\"", i);
		snprintf(e->key.name, sizeof e->key.name, "%s", s);
	} else {
		e->key.kind = SEGMENT_MESSAGE;
		if ((s = json_string(json_get(j, "message"))) == NULL ||
		    strlen(s) >= sizeof e->key.name)
			return error_set(err, ERR_INPUT, "files[%zu]: no "
			    "\"message\"", i);
		snprintf(e->key.name, sizeof e->key.name, "%s", s);
		if (json_uint(json_get(j, "version"), UINT32_MAX, &u) == -1)
			return error_set(err, ERR_INPUT, "files[%zu]: no "
			    "\"version\"", i);
		e->key.version = (unsigned)u;
	}
	v = json_get(j, "hour");
	if (v != NULL && v->kind == JSON_NULL)
		e->key.is_daily = true;
	else if ((s = json_string(v)) == NULL ||
	    fleet_parse_hour(s, &e->key.hour) == -1)
		return error_set(err, ERR_INPUT, "files[%zu]: bad \"hour\"", i);
	if (json_uint(json_get(j, "bytes"), UINT64_MAX, &e->bytes) == -1)
		return error_set(err, ERR_INPUT, "files[%zu]: bad \"bytes\"", i);
	v = json_get(j, "rows");
	if (v != NULL && v->kind == JSON_NULL)
		e->rows = SEGMENT_ROWS_UNKNOWN;
	else if (json_uint(v, UINT64_MAX - 1, &e->rows) == -1)
		return error_set(err, ERR_INPUT, "files[%zu]: bad \"rows\"", i);
	e->path = xstrdup(json_string(json_get(j, "path")));
	return 0;
}

int
manifest_parse(const char *text, size_t len, struct manifest_doc *doc,
    struct error *err)
{
	const struct json *files;
	struct json	*j;
	const char	*s;
	size_t		 i;

	memset(doc, 0, sizeof *doc);
	if ((j = json_parse(text, len, err)) == NULL)
		return -1;
	if ((s = json_string(json_get(j, "host"))) == NULL) {
		error_set(err, ERR_INPUT, "no \"host\"");
		goto fail;
	}
	doc->host = xstrdup(s);
	if ((s = json_string(json_get(j, "day"))) == NULL ||
	    fleet_parse_day(s, &doc->day) == -1) {
		error_set(err, ERR_INPUT, "no \"day\"");
		goto fail;
	}
	if ((files = json_get(j, "files")) == NULL ||
	    files->kind != JSON_ARRAY) {
		error_set(err, ERR_INPUT, "no \"files\" list");
		goto fail;
	}
	doc->entries = xcalloc(files->n + 1, sizeof *doc->entries);
	for (i = 0; i < files->n; i++) {
		if (manifest_parse_entry(files->items[i], i,
		    &doc->entries[i], err) == -1)
			goto fail;
		if (doc->entries[i].key.is_daily)
			doc->entries[i].key.hour = doc->day * 24;
		doc->n++;
	}
	json_free(j);
	return 0;
fail:
	json_free(j);
	manifest_doc_clear(doc);
	return -1;
}

void
manifest_doc_clear(struct manifest_doc *doc)
{
	size_t	 i;

	for (i = 0; i < doc->n; i++)
		free(doc->entries[i].path);
	free(doc->entries);
	free(doc->host);
	memset(doc, 0, sizeof *doc);
}
