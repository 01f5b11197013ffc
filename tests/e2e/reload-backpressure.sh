#!/bin/sh
# SIGHUP and a full spool:
#  1. a definition added to messages_dir and SIGHUP: barged matches it
#     from then on, without a restart (before, its lines were
#     unknown-message);
#  2. a broken definition and SIGHUP: barged says why, keeps running
#     and keeps the definitions it had;
#  3. spool.max_bytes tiny and HDFS away: barged pauses its input (the
#     offset stops short of the end of the file) and says so in
#     barge status; once a NameNode is back at the same address
#     everything arrives and the input resumes.
set -eu

: "${top_srcdir:?}" "${top_builddir:?}" "${BARGE:?}"
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/e2e/common.sh"
lib_init reload-backpressure
e2e_init

start_minidfs nn1 --owner "$E2E_USER"
NN=$MD_NN
e2e_config "$NN"
: >"$E2E_INPUT"
e2e_start

logged() {
	grep -q "$1" "$T/barged.log"
}

# 1. Late:1 is not known yet: quarantined.
e2e_append 1 200
e2e_late 1 50
wait_for 30 e2e_caught_up "$E2E_INPUT"
cat >"$T/messages/late.yaml" <<'EOF'
messages:
  - name: Late
    version: 1
    fields:
      - {name: seq, type: int64}
      - {name: what, type: string}
EOF
kill -HUP "$BD_PID"
wait_for 10 logged '^barged: reload: 2 message definitions$'
E2E_LATE_FROM=51
e2e_late 51 100
e2e_append 201 400
wait_for 30 e2e_drained "$E2E_INPUT"
[ "$(e2e_json '.messages[] | select(.name == "Late:1") | .rows')" = 50 ] ||
    fail "Late:1 after the reload: $(e2e_json .messages)"

# 2. A broken file: the reload is refused, the old definitions stay.
cat >"$T/messages/broken.yaml" <<'EOF'
messages:
  - name: Broken
    version: 1
    colour: red
    fields:
      - {name: a, type: int32}
EOF
kill -HUP "$BD_PID"
wait_for 10 logged 'reload: .* has errors: keeping the running configuration'
logged "^barged: config: $T/messages/broken\\.yaml:4:[0-9]*: " ||
    fail "the error does not say where: $(tail -3 "$T/barged.log")"
kill -0 "$BD_PID" || fail "barged died on a broken reload"
rm "$T/messages/broken.yaml"
e2e_late 101 150
e2e_append 401 600
wait_for 30 e2e_drained "$E2E_INPUT"
[ "$(e2e_json '.messages[] | select(.name == "Late:1") | .rows')" = 100 ] ||
    fail "Late:1 after the broken reload: $(e2e_json .messages)"
e2e_collect "$NN"
e2e_term

# 3. Backpressure: a 4 KiB spool and no HDFS.
lib_stop "$MD_PID"
E2E_SPOOL_MAX=4K
e2e_config "$NN"
e2e_start
paused() {
	e2e_status | jq -e '.spool.paused' >/dev/null
}
paused_or_caught_up() {
	paused || e2e_caught_up "$E2E_INPUT"
}
n=600
while ! paused; do
	[ "$n" -lt 20000 ] || fail "never paused: $(e2e_status)"
	e2e_append $((n + 1)) $((n + 500))
	n=$((n + 500))
	wait_for 30 paused_or_caught_up
done
logged 'spool: full ([0-9]* bytes): input paused' ||
    fail "the pause was not logged"
e2e_append $((n + 1)) $((n + 500))
n=$((n + 500))
# Nothing to wait for: the point is that the offset does not move over
# several sync and stat periods (1 s each).
off=$(e2e_json '.inputs[0].offset')
sleep 3
[ "$(e2e_json '.inputs[0].offset')" = "$off" ] ||
    fail "the input went on while paused: $off, $(e2e_json .inputs)"
[ "$off" -lt "$(stat -c %s "$E2E_INPUT")" ] ||
    fail "paused only after reading everything"
[ "$(e2e_json '.spool.bytes >= .spool.max_bytes')" = true ] ||
    fail "paused below the limit: $(e2e_json .spool)"

start_minidfs nn2 --owner "$E2E_USER" --nn-port "${NN#127.0.0.1:}"
wait_for 90 e2e_drained "$E2E_INPUT"
# The pause is decided at each sync point (1 s).
not_paused() {
	! paused
}
wait_for 5 not_paused
logged 'spool: below its limit again: input resumed' ||
    fail "the resume was not logged"
e2e_collect "$NN"
e2e_expect "$E2E_INPUT"
e2e_compare 1 "$n"
e2e_term
e2e_spool_gone
echo "reload-backpressure: $n lines, paused at offset $off of" \
    "$(stat -c %s "$E2E_INPUT")"
echo "PASS: reload-backpressure"
