#!/usr/bin/env bash
# ledgerctl restore (registered with CTest in tools/CMakeLists.txt):
#
#   bash tools/ledgerctl/restore_test.sh path/to/ledgerctl WORK_DIR
#
# A ledger with a synthetic county, an imported CSV and a retraction, made
# over several seconds so that its events carry several record times, is
# exported and restored: the copy's export is the same file byte for byte,
# and so are its answers as known at a moment between two imports. A
# restore that cannot be exact (a gap, a redacted export, a directory that
# is not empty, no time zone) exits non-zero and leaves nothing behind.
set -uo pipefail
# shellcheck source=SCRIPTDIR/test_lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/test_lib.sh"

run init 0 init source --time-zone Asia/Shanghai
run generate 0 generate source --persons 2000 --seed 11 --actor generator
sleep 1.1
cat >late.csv <<'CSV'
person_id,status,onset,time
p00000007,confirmed,2020-01-30,2020-01-31T09:00:00+08:00
CSV
run import_late 0 import source --kind diagnoses late.csv --actor office
"${ctl}" export source >before_retraction.jsonl 2>/dev/null
last=$(wc -l <before_retraction.jsonl)
# The moment between the import and the retraction, as record times go.
between=$(tail -1 before_retraction.jsonl |
  sed 's/.*"record_time":"\([^"]*\)".*/\1/')
sleep 1.1
echo "{\"retraction\":{\"sequence_number\":${last},\"reason\":\"wrong person\"}}" \
  >retract.jsonl
run import_retraction 0 import source retract.jsonl --actor office
run export 0 export source
cp export.out source.jsonl
expect_grep export_has_import source.jsonl '"import_source"'
expect_grep export_has_retraction source.jsonl '"retraction"'

# The copy: the same events, numbers, record times, actors, import sources.
run restore 0 restore copy source.jsonl --time-zone Asia/Shanghai
expect_grep restore_says restore.out "restored $((last + 1)) events"
run export_copy 0 export copy
expect_same export_identical source.jsonl export_copy.out
run verify_copy 0 verify copy
# As known between the import and the retraction, both answer alike.
for ledger in source copy; do
  run "roster_${ledger}" 0 roster "${ledger}" --at 2020-02-01T12:00:00+08:00 \
    --known-at "${between}"
done
expect_same roster_then roster_source.out roster_copy.out
expect_grep roster_then_has_case roster_source.out p00000007
# The copy remembers the imports: the retraction's file again records
# nothing (late.csv, whose only event is retracted, could be imported again).
run import_again 0 import copy retract.jsonl
expect_grep import_again_says import_again.out "already imported"

# What cannot be restored exactly is refused, leaving nothing behind.
run restore_not_empty 1 restore copy source.jsonl --time-zone Asia/Shanghai
expect_grep restore_not_empty_says restore_not_empty.err "not empty"
sed '5d' source.jsonl >gap.jsonl
run restore_gap 1 restore gap gap.jsonl --time-zone Asia/Shanghai
expect_grep restore_gap_names_line restore_gap.err "line 5: sequence_number 6, expected 5"
expect_absent restore_gap_leaves_nothing gap
expect_absent restore_gap_leaves_no_temporary gap.restoring
"${ctl}" export source --redact >redacted.jsonl 2>/dev/null
run restore_redacted 1 restore redacted redacted.jsonl --time-zone Asia/Shanghai
expect_absent restore_redacted_leaves_nothing redacted
head -c 100 source.jsonl >cut.jsonl
run restore_cut 1 restore cut cut.jsonl --time-zone Asia/Shanghai
expect_grep restore_cut_names_line restore_cut.err "cut.jsonl: line 1"
run restore_no_zone 2 restore nozone source.jsonl
run restore_missing 1 restore missing no-such.jsonl --time-zone UTC
expect_grep restore_missing_says restore_missing.err "no such file"

finish
