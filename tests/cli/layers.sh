# scripts/check-layers: the tree keeps its layering, and the checker
# catches a layer violation when one is introduced.
. "$top_srcdir/tests/cli/common.sh"

run sh "$top_srcdir/scripts/check-layers" "$top_srcdir"
expect "layers of the tree: rc" "$rc" 0
expect "layers of the tree: output" "$out" "check-layers: ok"

mkdir -p "$tmp/t/src/core" "$tmp/t/src/base" "$tmp/t/src/hdfs" \
    "$tmp/t/src/barged" "$tmp/t/src/barge" "$tmp/t/tests/minidfs"
printf '#include "config.h"\n#include "core/x.h"\n#include "hdfs/hdfs.h"\n#include <event2/event.h>\n' \
    >"$tmp/t/src/core/x.c"
printf '#include "barged/upload.h"\n' >"$tmp/t/src/barge/y.c"
run sh "$top_srcdir/scripts/check-layers" "$tmp/t"
expect "violations: rc" "$rc" 1
expect "violations: output" "$out" "src/core/x.c:3: src/core may not include \"hdfs/hdfs.h\"
src/core/x.c:4: src/core may not include <event2/event.h>
src/barge/y.c:1: src/barge may not include \"barged/upload.h\""

finish
