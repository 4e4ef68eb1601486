#!/usr/bin/env bash
# ledgerctl's reading commands beside a writer, and on a directory nobody may
# write (registered with CTest in tools/CMakeLists.txt):
#
#   bash tools/ledgerctl/readers_test.sh LEDGERCTL WRITER_HELPER WORK_DIR
#
# 1. `ledgerctl generate` fills a ledger; then WRITER_HELPER
#    (tests/ledger_writer_helper.cc) opens it for writing, holding its LOCK,
#    and appends a batch of 5 persons every 10 ms, with a snapshot after every
#    20th batch. Meanwhile, round after round, roster, loops, export, audit,
#    show, contacts and verify succeed on the directory (they open it
#    read-only: Ledger::OpenReadOnly), export ends on a whole batch with the
#    sequence numbers 1..N, later rounds see more; and import, which writes,
#    is refused with "in use".
# 2. The writer stopped, a copy of the directory made read-only (chmod -R
#    a-w): the same commands succeed and change no file. As root, whom the
#    permissions do not stop, the commands run and are checked all the same,
#    but that a writer is refused there is not.
set -uo pipefail
test_usage="LEDGERCTL WRITER_HELPER WORK_DIR"
# shellcheck source=SCRIPTDIR/test_lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/test_lib.sh"
helper="$2"

# check_export NAME FILE: the events are numbered 1..N, one per line, and the
# last is a whole batch: either not the writer's, or its 5th person.
check_export() {
  checks=$((checks + 1))
  local lines last
  lines=$(wc -l <"$2")
  last=$(tail -n 1 "$2" | grep -o '"sequence_number":"[0-9]*"' |
    grep -o '[0-9][0-9]*')
  if [[ "${last}" != "${lines}" ]]; then
    fail "$1: $2 has ${lines} lines, its last event is number '${last}'"
  fi
  if tail -n 1 "$2" | grep -q '"id":"writer-[0-9]*-[0-3]"'; then
    fail "$1: $2 ends inside a batch of the writer:"
    tail -n 1 "$2" | sed 's/^/    /' >&2
  fi
}

AT=2020-02-01T12:00:00+08:00
COMMANDS=(roster loops export audit show contacts verify)

# read_all ROUND DIR: every reading command on DIR, each expected to succeed.
read_all() {
  local round="$1" dir="$2"
  run "${round}.roster" 0 roster "${dir}" --at "${AT}"
  run "${round}.loops" 0 loops "${dir}" --at "${AT}"
  run "${round}.export" 0 export "${dir}"
  check_export "${round}.export" "${round}.export.out"
  run "${round}.audit" 0 audit "${dir}" --person "${person}"
  run "${round}.show" 0 show "${dir}" --person "${person}"
  run "${round}.contacts" 0 contacts "${dir}" --person "${person}" \
    --hops 2 --from 2020-01-01T00:00:00Z --to 2020-03-01T00:00:00Z
  run "${round}.verify" 0 verify "${dir}"
  expect_grep "${round}.verify" "${round}.verify.out" "ok"
}

# --- 1. Beside a writer --------------------------------------------------
run init 0 init ledger --time-zone Asia/Shanghai
run generate 0 generate ledger --persons 1000 --seed 7
run first_export 0 export ledger
person=$(grep -o '"person":{"id":"[^"]*"' first_export.out | head -n 1 |
  sed 's/.*"id":"\([^"]*\)"/\1/')
if [[ -z "${person}" ]]; then
  fail "the generated ledger has no person"
  person=nobody
fi

"${helper}" ledger --interval-ms 10 --batch-size 5 --snapshot-every 20 \
  --ready ready >helper.out 2>helper.err &
helper_pid=$!
stop_helper() {
  if [[ -n "${helper_pid}" ]]; then
    kill "${helper_pid}" 2>/dev/null
    wait "${helper_pid}" 2>/dev/null
    helper_pid=""
  fi
}
trap stop_helper EXIT
for _ in $(seq 1 200); do
  [[ -f ready ]] && break
  sleep 0.05
done
if [[ ! -f ready ]]; then
  fail "the writer did not start:"
  sed 's/^/    /' helper.err >&2
fi

previous=0
for round in 1 2 3; do
  read_all "writer${round}" ledger
  events=$(wc -l <"writer${round}.export.out")
  checks=$((checks + 1))
  if [[ ${events} -lt ${previous} ]]; then
    fail "round ${round}: export saw ${events} events, round before ${previous}"
  fi
  previous=${events}
  sleep 0.3
done
checks=$((checks + 1))
if [[ ${previous} -le $(wc -l <first_export.out) ]]; then
  fail "the readers never saw the writer's batches"
fi
# A second writer is refused while the helper holds the directory.
printf 'area_id,level,name\nextra-county,county,Extra\n' >extra.csv
run import_refused 1 import ledger extra.csv --kind areas
expect_grep import_refused import_refused.err "in use"
if ! kill -0 "${helper_pid}" 2>/dev/null; then
  fail "the writer died:"
  sed 's/^/    /' helper.err >&2
fi
stop_helper
trap - EXIT

# --- 2. A directory nobody may write -------------------------------------
cp -a ledger readonly
chmod -R a-w readonly
listing() {
  (cd readonly && find . -print0 | sort -z | xargs -0 ls -ld --time-style=+%s |
    awk '{print $1, $5, $6, $7}' && find . -type f -print0 | sort -z |
    xargs -0 sha256sum)
}
listing >before.txt
read_all readonly readonly
listing >after.txt
checks=$((checks + 1))
if ! diff -u before.txt after.txt >readonly.diff; then
  fail "reading the read-only copy changed it:"
  sed 's/^/    /' readonly.diff >&2
fi
if [[ $(id -u) -eq 0 ]]; then
  echo "note: running as root, whom chmod does not stop: that a writer is" \
    "refused on the read-only copy is not checked"
else
  run import_readonly 1 import readonly extra.csv --kind areas
  listing >after_import.txt
  checks=$((checks + 1))
  if ! diff -q before.txt after_import.txt >/dev/null; then
    fail "a refused import changed the read-only copy"
  fi
fi
chmod -R u+w readonly

finish
