#!/bin/sh
# crash.sh with output.format: avro: kill -9 at random moments and right
# after a hidden file's create, 20 times by default; every row is in an
# Avro file exactly once, and every file reads to its end with Python's
# avro and avrocat (a cut-back segment must end on a block).
CRASH_FORMAT=avro
CRASH_ITERATIONS=${CRASH_ITERATIONS:-20}
. "${top_srcdir:?}/tests/e2e/crash.sh"
