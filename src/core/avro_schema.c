/*
 * Avro schema generation.  The text is laid out one field per line so
 * that `barge avro-schema` prints a readable .avsc, and the files carry
 * the very same text in avro.schema.
 */
#include "config.h"

#include "core/avro_schema.h"

#include "base/json.h"

static const char *
avro_schema_type(enum field_type t)
{
	switch (t) {
	case FIELD_STRING:
		return "\"string\"";
	case FIELD_INT32:
		return "\"int\"";
	case FIELD_INT64:
		return "\"long\"";
	case FIELD_DOUBLE:
		return "\"double\"";
	case FIELD_BOOL:
		return "\"boolean\"";
	case FIELD_TIMESTAMP:
		break;
	}
	return "{\"type\": \"long\", \"logicalType\": \"timestamp-millis\"}";
}

static void
avro_schema_field(struct buf *out, const char *name, enum field_type t,
    bool nullable, const char *doc)
{
	buf_puts(out, ",\n    {\"name\": ");
	json_put_string(out, name);
	buf_puts(out, ", \"type\": ");
	if (nullable)
		buf_printf(out, "[\"null\", %s], \"default\": null",
		    avro_schema_type(t));
	else
		buf_puts(out, avro_schema_type(t));
	if (doc != NULL) {
		buf_puts(out, ", \"doc\": ");
		json_put_string(out, doc);
	}
	buf_puts(out, "}");
}

void
avro_schema_json(struct buf *out, const struct message *m)
{
	struct buf	 doc;
	size_t		 i;

	buf_printf(out, "{\n  \"type\": \"record\",\n  \"name\": \"%s_v%u\",\n"
	    "  \"namespace\": \"barge\",\n", m->name, m->version);
	if (m->description != NULL || m->owner != NULL) {
		buf_init(&doc);
		if (m->description != NULL)
			buf_puts(&doc, m->description);
		if (m->owner != NULL)
			buf_printf(&doc, "%sOwner: %s", doc.len > 0 ? " " : "",
			    m->owner);
		buf_puts(out, "  \"doc\": ");
		json_put_string(out, doc.data);
		buf_puts(out, ",\n");
		buf_clear(&doc);
	}
	/* The first field has no comma before it: _time is always first. */
	buf_puts(out, "  \"fields\": [\n    {\"name\": \"_time\", \"type\": ");
	buf_puts(out, avro_schema_type(FIELD_TIMESTAMP));
	buf_puts(out, ", \"doc\": \"event time of the syslog line, UTC\"}");
	avro_schema_field(out, "_host", FIELD_STRING, false,
	    "host of the syslog line");
	for (i = 0; i < m->nfields; i++)
		avro_schema_field(out, m->fields[i].name, m->fields[i].type,
		    m->fields[i].nullable, NULL);
	buf_puts(out, "\n  ]\n}");
}
