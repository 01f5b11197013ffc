# Reads barged's Avro files with Python's avro package (DataFileReader)
# and prints every record in the Hive form of tests/e2e/common.sh's
# e2e_expect, a double as the 16 hex digits of its IEEE bits.
#
#	avro-rows.py TDIR
#
# TDIR/avro.files lists "LOCAL HDFS-PATH" per file.  Rows of E2e go to
# TDIR/got.rows (appended), those of any other message to
# TDIR/got.NAME.avro.  Every file must carry the schema in TDIR/NAME.avsc
# (what `barge avro-schema` printed) and codec deflate, and every row
# must lie in the dt=/hour= folder of its _time.
import datetime
import struct
import sys

from avro.datafile import DataFileReader
from avro.io import DatumReader

EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)


def hive(v):
    if v is None:
        return "\\N"
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return struct.pack(">d", v).hex()
    if isinstance(v, datetime.datetime):
        return str((v - EPOCH) // datetime.timedelta(milliseconds=1))
    if isinstance(v, int):
        return str(v)
    return (v.replace("\\", "\\\\").replace("\t", "\\\t")
            .replace("\n", "\\n").replace("\r", "\\r"))


def main(tdir):
    out = {}
    for line in open(tdir + "/avro.files"):
        local, path = line.split()
        name = path.split("/")[2]
        if name not in out:
            dest = "/got.rows" if name == "E2e" else "/got." + name + ".avro"
            out[name] = open(tdir + dest, "a", encoding="utf-8")
        want = open(tdir + "/" + name + ".avsc").read().rstrip("\n")
        with open(local, "rb") as fp:
            r = DataFileReader(fp, DatumReader())
            if r.meta["avro.schema"].decode() != want:
                sys.exit(path + ": avro.schema is not barge avro-schema's")
            if r.meta["avro.codec"] != b"deflate":
                sys.exit(path + ": codec " + repr(r.meta["avro.codec"]))
            names = [f.name for f in r.datum_reader.writers_schema.fields]
            for rec in r:
                t = int(hive(rec["_time"]))
                when = datetime.datetime.fromtimestamp(
                    t // 1000, datetime.timezone.utc)
                if when.strftime("/dt=%Y-%m-%d/hour=%H/") not in path:
                    sys.exit(path + ": a row of " + when.isoformat())
                out[name].write("\t".join(hive(rec[n]) for n in names) +
                                "\n")


main(sys.argv[1])
