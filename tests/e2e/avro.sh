#!/bin/sh
# Avro output end to end.  barge.yaml says output.format: avro, so E2e:1
# (no format: key) and AvroAll:1 (format: avro, every type, nullables)
# land in HDFS as Avro container files while the quarantine stays TSV
# gzip.  Three independent readers read the files back from minidfs:
# Python's avro package (DataFileReader), Java's Avro (a few lines
# compiled here against Debian's libavro-java) and Avro C's avrocat.
# Python and Java print each record in the Hive form of e2e_expect, a
# double as its 16 hex digits of IEEE bits, so E2e's rows are compared
# exactly, and exactly once, with what the syslog lines said, and
# AvroAll's with the values written below: TAB, LF, \, #, UTF-8, the
# int32/int64 extremes, doubles, NULLs.  Every file carries the schema
# `barge avro-schema` prints and codec deflate.
set -eu

: "${top_srcdir:?}" "${top_builddir:?}" "${BARGE:?}"
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/e2e/common.sh"
lib_init avro
e2e_init
need_tool javac default-jdk-headless
JARS=/usr/share/java
for j in avro jackson-core-asl jackson-mapper-asl slf4j-api slf4j-nop; do
	[ -r "$JARS/$j.jar" ] || fail "$JARS/$j.jar missing: install libavro-java"
done
CP=$JARS/avro.jar:$JARS/jackson-core-asl.jar:$JARS/jackson-mapper-asl.jar
CP=$CP:$JARS/slf4j-api.jar:$JARS/slf4j-nop.jar

cat >"$T/messages/all.yaml" <<'EOF'
messages:
  - name: AvroAll
    version: 1
    description: Every type, for the Avro readers.
    owner: e2e@example.com
    format: avro
    fields:
      - {name: s, type: string}
      - {name: i, type: int32}
      - {name: l, type: int64, nullable: true}
      - {name: d, type: double}
      - {name: b, type: bool, nullable: true}
      - {name: t, type: timestamp, unit: s}
      - {name: ns, type: string, nullable: true}
EOF

start_minidfs md --owner "$E2E_USER"
e2e_config "$MD_NN" -- "output: {format: avro}"
ALL=$T/all.log
sed -i "s|^  - {path: $E2E_INPUT, start_at: beginning}\$|&\\
  - {path: $ALL, start_at: beginning}|" "$T/barge.yaml"
grep -q "path: $ALL" "$T/barge.yaml" || fail "cannot add $ALL to barge.yaml"

: >"$E2E_INPUT"
e2e_append 1 2000
stamp=$(date '+%b %e %H:%M:%S')
ms=$(date -d "$stamp" +%s)000
# The wire form (DESIGN 3): #011 between fields, \t \n \\ \# escaped.
sed "s/^/$stamp src8 app[43]: /" >"$ALL" <<'EOF'
@AvroAll:1#011a\tb\nc\\d\#e café ☃#0112147483647#0119223372036854775807#0111.5#011true#0111700000000#011x
@AvroAll:1#011#011-2147483648#011-9223372036854775808#011-1.25e-300#011\N#0110#011\N
@AvroAll:1#011\#011 not a separator#0110#011\N#0113.141592653589793#0110#011-1#011
EOF
tab=$(printf '\t')
cat >"$T/want.all" <<EOF
$ms${tab}src8${tab}a\\${tab}b\\nc\\\\d#e café ☃${tab}2147483647${tab}9223372036854775807${tab}3ff8000000000000${tab}true${tab}1700000000000${tab}x
$ms${tab}src8${tab}${tab}-2147483648${tab}-9223372036854775808${tab}81aac9a7b3b7302f${tab}\\N${tab}0${tab}\\N
$ms${tab}src8${tab}#011 not a separator${tab}0${tab}\\N${tab}400921fb54442d18${tab}false${tab}-1000${tab}
EOF

e2e_start
wait_for 60 e2e_caught_up "$ALL"
wait_for 60 e2e_drained "$E2E_INPUT"
e2e_term
e2e_spool_gone

# The quarantine, through the TSV path (Avro folders hold no .gz).
e2e_collect "$MD_NN"
if grep '/\(E2e\|AvroAll\)/.*\.gz$' "$T/ls"; then
	fail "a message of format avro was written as TSV"
fi
e2e_collect_avro "$MD_NN"
e2e_expect "$E2E_INPUT"
e2e_compare 1 2000
cmp "$T/want.all" "$T/got.AvroAll.avro" || {
	diff "$T/want.all" "$T/got.AvroAll.avro"
	fail "AvroAll as Python reads it differs"
}

# Java: the same form from GenericDatumReader.
mkdir "$T/java"
cat >"$T/java/ReadAvro.java" <<'EOF'
import java.io.File;
import org.apache.avro.Schema;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;

public class ReadAvro {
	static String hive(Object v) {
		if (v == null)
			return "\\N";
		if (v instanceof Double)
			return String.format("%016x",
			    Double.doubleToRawLongBits((Double)v));
		return v.toString().replace("\\", "\\\\").replace("\t", "\\\t")
		    .replace("\n", "\\n").replace("\r", "\\r");
	}

	public static void main(String[] args) throws Exception {
		for (String a : args) {
			DataFileReader<GenericRecord> r = new DataFileReader<>(
			    new File(a), new GenericDatumReader<GenericRecord>());
			for (GenericRecord rec : r) {
				StringBuilder b = new StringBuilder();
				for (Schema.Field f : rec.getSchema().getFields()) {
					if (b.length() > 0)
						b.append('\t');
					b.append(hive(rec.get(f.name())));
				}
				System.out.println(b);
			}
			r.close();
		}
	}
}
EOF
timeout 120 javac -nowarn -cp "$CP" -d "$T/java" "$T/java/ReadAvro.java" ||
    fail "javac ReadAvro.java failed"
files_of() {
	grep " /barge/$1/" "$T/avro.files" | cut -d ' ' -f 1
}
# shellcheck disable=SC2046
timeout 120 java -Dfile.encoding=UTF-8 -cp "$CP:$T/java" ReadAvro \
    $(files_of AvroAll) >"$T/java.all" || fail "Java's Avro reader failed"
cmp "$T/want.all" "$T/java.all" || {
	diff "$T/want.all" "$T/java.all"
	fail "AvroAll as Java reads it differs"
}
# shellcheck disable=SC2046
timeout 120 java -Dfile.encoding=UTF-8 -cp "$CP:$T/java" ReadAvro \
    $(files_of E2e) | sort >"$T/java.rows" || fail "Java's Avro reader failed"
cmp "$T/want.rows" "$T/java.rows" || fail "E2e as Java reads it differs"

# avrocat (Avro C): e2e_collect_avro read every file to its end; the
# records of AvroAll as it prints them.
# shellcheck disable=SC2046
avrocat $(files_of AvroAll) >"$T/avrocat.all"
cat >"$T/want.avrocat" <<EOF
{"_time": $ms, "_host": "src8", "s": "a\\tb\\nc\\\\d#e caf\\u00E9 \\u2603", "i": 2147483647, "l": {"long": 9223372036854775807}, "d": 1.5, "b": {"boolean": true}, "t": 1700000000000, "ns": {"string": "x"}}
{"_time": $ms, "_host": "src8", "s": "", "i": -2147483648, "l": {"long": -9223372036854775808}, "d": -1.25e-300, "b": null, "t": 0, "ns": null}
{"_time": $ms, "_host": "src8", "s": "#011 not a separator", "i": 0, "l": null, "d": 3.1415926535897931, "b": {"boolean": false}, "t": -1000, "ns": {"string": ""}}
EOF
cmp "$T/want.avrocat" "$T/avrocat.all" || {
	diff "$T/want.avrocat" "$T/avrocat.all"
	fail "AvroAll as avrocat prints it differs"
}
# barge match shows the records before they are sent, as avrocat does.
timeout 30 "$BARGE" match -c "$T/barge.yaml" "$ALL" >"$T/match.all" ||
    fail "barge match $ALL failed"
sed 's/^/AvroAll:1	/' "$T/want.avrocat" | cmp - "$T/match.all" || {
	sed 's/^/AvroAll:1	/' "$T/want.avrocat" | diff - "$T/match.all"
	fail "barge match does not print AvroAll as avrocat does"
}
echo "avro: $(wc -l <"$T/want.rows") E2e rows and 3 AvroAll rows in" \
    "$(wc -l <"$T/ls.avro") Avro files, read alike by Python, Java and" \
    "avrocat; $(wc -l <"$T/want.qrows") quarantined as TSV"
echo "PASS: avro"
