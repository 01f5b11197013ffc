/*
 * core/schema: loading good definitions, and every kind of error with its
 * exact location.  Each file in tests/data/messages/bad states the
 * diagnostics it must produce in "# expect: line:col: message" lines
 * (FILE stands for the file's own path).
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/error.h"
#include "base/fsio.h"
#include "base/xmalloc.h"
#include "core/schema.h"

#include "unit.h"

START_TEST(test_schema_good)
{
	struct diag	*d = diag_new();
	struct schema	*s = schema_load(unit_data("messages/good"), d);
	const struct message *m;

	diag_print(d, stderr, "unexpected: ");
	ck_assert_uint_eq(diag_count(d), 0);
	ck_assert_ptr_nonnull(s);
	ck_assert_uint_eq(schema_count(s), 3);
	/* Sorted by name, then version. */
	ck_assert_str_eq(schema_get(s, 0)->name, "Click");
	ck_assert_str_eq(schema_get(s, 1)->name, "Typed");
	ck_assert_uint_eq(schema_get(s, 1)->version, 1);
	ck_assert_uint_eq(schema_get(s, 2)->version, 2);

	m = schema_find(s, "Typed", 5, 2);
	ck_assert_ptr_nonnull(m);
	ck_assert_uint_eq(m->nfields, 9);
	ck_assert_str_eq(m->description, "every type");
	ck_assert_str_eq(m->owner, "data@example.com");
	ck_assert_int_eq(m->fields[0].type, FIELD_STRING);
	ck_assert_uint_eq(m->fields[0].max_length, 5);
	ck_assert_int_eq(m->fields[1].type, FIELD_INT32);
	ck_assert_int_eq(m->fields[2].type, FIELD_INT64);
	ck_assert_int_eq(m->fields[3].type, FIELD_DOUBLE);
	ck_assert_int_eq(m->fields[4].type, FIELD_BOOL);
	ck_assert_int_eq(m->fields[5].type, FIELD_TIMESTAMP);
	ck_assert_int_eq(m->fields[5].unit, FIELD_UNIT_MS);
	ck_assert_int_eq(m->fields[6].unit, FIELD_UNIT_S);
	ck_assert(m->fields[7].nullable);
	ck_assert(!m->fields[0].nullable);
	ck_assert_uint_eq(m->line, 3);
	ck_assert_ptr_null(schema_find(s, "Typed", 5, 3));
	ck_assert_ptr_null(schema_find(s, "Type", 4, 2));
	ck_assert(schema_has_name(s, "Click", 5));
	ck_assert(!schema_has_name(s, "Clic", 4));
	ck_assert_str_eq(schema_find(s, "Click", 5, 1)->fields[0].name,
	    "url");
	schema_free(s);
	diag_free(d);
}
END_TEST

START_TEST(test_schema_field_range)
{
	struct field	 f = { .name = "n" };
	int64_t		 lo = 1, hi = 1;

	f.type = FIELD_INT32;
	ck_assert(schema_field_range(&f, &lo, &hi));
	ck_assert_int_eq(lo, -2147483647LL - 1);
	ck_assert_int_eq(hi, 2147483647LL);
	f.type = FIELD_TIMESTAMP;
	ck_assert(schema_field_range(&f, &lo, &hi));
	ck_assert_int_eq(lo, INT64_MIN);
	ck_assert_int_eq(hi, INT64_MAX);
	f.unit = FIELD_UNIT_S;
	ck_assert(schema_field_range(&f, &lo, &hi));
	ck_assert_int_eq(lo, -9223372036854775LL);
	ck_assert_int_eq(hi, 9223372036854775LL);
	f.type = FIELD_DOUBLE;
	lo = hi = 7;
	ck_assert(!schema_field_range(&f, &lo, &hi));
	ck_assert_int_eq(lo, 7);
}
END_TEST

START_TEST(test_schema_many)
{
	char		 dir[4200], name[64], text[256];
	const char	*tmp = unit_tmpdir();
	struct diag	*d = diag_new();
	struct schema	*s;
	int		 i;

	/* Hundreds of definitions load and each is found by name and version. */
	snprintf(dir, sizeof dir, "%s/many", tmp);
	ck_assert_int_eq(fsio_mkdir_p(dir, 0755, NULL), 0);
	for (i = 0; i < 500; i++) {
		snprintf(name, sizeof name, "m%03d.yaml", i);
		snprintf(text, sizeof text, "messages:\n  - name: M%d\n"
		    "    version: %d\n    fields: [{name: f, type: int32}]\n",
		    i / 2, i % 2 + 1);
		unit_write(dir, name, text);
	}
	s = schema_load(dir, d);
	ck_assert_uint_eq(diag_count(d), 0);
	ck_assert_uint_eq(schema_count(s), 500);
	for (i = 0; i < 500; i++) {
		snprintf(name, sizeof name, "M%d", i / 2);
		ck_assert_ptr_nonnull(schema_find(s, name, strlen(name),
		    (unsigned)(i % 2 + 1)));
	}
	schema_free(s);
	diag_free(d);
}
END_TEST

static void
check_schema_bad_file(const char *path)
{
	struct diag	*d = diag_new();
	char		*paths[1];

	paths[0] = (char *)(uintptr_t)path;
	ck_assert_ptr_null(schema_load_files(paths, 1, d));
	unit_expect_diags(path, d);
	diag_free(d);
}

START_TEST(test_schema_bad)
{
	unit_each_file("messages/bad", 10, check_schema_bad_file);
}
END_TEST

START_TEST(test_schema_all_errors_across_files)
{
	const char	*tmp = unit_tmpdir();
	struct diag	*d = diag_new();

	unit_write(tmp, "a.yaml", "messages:\n  - name: A\n    version: 1\n"
	    "    fields: [{name: x, type: str}]\n");
	unit_write(tmp, "b.yaml", "messages:\n  - name: B\n    version: 1\n"
	    "    fields: [{name: x, type: string, colour: red}]\n");
	unit_write(tmp, "c.txt", "not yaml: [\n");
	ck_assert_ptr_null(schema_load(tmp, d));
	ck_assert_uint_eq(diag_count(d), 2);
	ck_assert_ptr_nonnull(strstr(diag_get(d, 0), "/a.yaml:4:30: unknown "
	    "type 'str'"));
	ck_assert_ptr_nonnull(strstr(diag_get(d, 1), "/b.yaml:4:38: unknown "
	    "key 'colour' in a field"));
	diag_free(d);
}
END_TEST

/* Loads text as dir/m.yaml of a fresh folder. */
static struct schema *
check_schema_text(const char *text)
{
	const char	*dir = unit_tmpdir();
	struct diag	*d = diag_new();
	struct schema	*s;

	unit_write(dir, "m.yaml", text);
	s = schema_load(dir, d);
	diag_print(d, stderr, "unexpected: ");
	ck_assert_uint_eq(diag_count(d), 0);
	diag_free(d);
	return s;
}

/* Within a version the layout never changes; the rest may. */
START_TEST(test_schema_layout)
{
	struct schema	*old, *new;
	struct diag	*d = diag_new();
	const char	*file;
	char		 want[600];

	old = check_schema_text("messages:\n"
	    "  - {name: A, version: 1, fields: [{name: x, type: string},\n"
	    "      {name: y, type: int32, nullable: true}]}\n"
	    "  - {name: B, version: 1, fields: [{name: t, type: timestamp}]}\n"
	    "  - {name: C, version: 1, description: old,\n"
	    "      fields: [{name: s, type: string, max_length: 5}]}\n"
	    "  - {name: D, version: 1, fields: [{name: s, type: string}]}\n"
	    "  - {name: E, version: 1, fields: [{name: s, type: string}]}\n"
	    "  - {name: G, version: 1, fields: [{name: s, type: string}]}\n");
	new = check_schema_text("messages:\n"
	    "  - {name: A, version: 1, fields: [{name: x, type: string},\n"
	    "      {name: y, type: int32}]}\n"
	    "  - {name: B, version: 1,\n"
	    "      fields: [{name: t, type: timestamp, unit: s}]}\n"
	    "  - {name: C, version: 1, description: new, owner: o@example.com,\n"
	    "      fields: [{name: s, type: string, max_length: 9}]}\n"
	    "  - {name: D, version: 1, format: avro,\n"
	    "      fields: [{name: s, type: string}]}\n"
	    "  - {name: E, version: 2, fields: [{name: s, type: int32}]}\n"
	    "  - {name: F, version: 1, fields: [{name: s, type: string}]}\n"
	    "  - {name: G, version: 1, partition: day,\n"
	    "      fields: [{name: s, type: string}]}\n");
	ck_assert(message_same_layout(schema_find(old, "C", 1, 1),
	    schema_find(new, "C", 1, 1)));
	ck_assert(!message_same_layout(schema_find(old, "A", 1, 1),
	    schema_find(new, "A", 1, 1)));
	ck_assert_uint_eq(schema_layout_changes(old, new, d), 4);
	ck_assert_uint_eq(diag_count(d), 4);
	file = schema_find(new, "A", 1, 1)->file;
	snprintf(want, sizeof want, "%s:2: A:1: its fields, format or "
	    "partitions differ from the running definition's, and within a "
	    "version they never change: give the change a new version", file);
	ck_assert_str_eq(diag_get(d, 0), want);
	ck_assert_ptr_nonnull(strstr(diag_get(d, 1), ":4: B:1: its fields"));
	ck_assert_ptr_nonnull(strstr(diag_get(d, 2), ":8: D:1: its fields"));
	ck_assert_ptr_nonnull(strstr(diag_get(d, 3), ":12: G:1: its fields"));
	/* A set of definitions against itself has no change. */
	ck_assert_uint_eq(schema_layout_changes(new, new, d), 0);
	diag_free(d);
	schema_free(old);
	schema_free(new);
}
END_TEST

Suite *
unit_suite(void)
{
	Suite	*s = suite_create("schema");
	TCase	*tc = tcase_create("schema");

	tcase_add_test(tc, test_schema_good);
	tcase_add_test(tc, test_schema_many);
	tcase_add_test(tc, test_schema_field_range);
	tcase_add_test(tc, test_schema_bad);
	tcase_add_test(tc, test_schema_all_errors_across_files);
	tcase_add_test(tc, test_schema_layout);
	suite_add_tcase(s, tc);
	return s;
}
