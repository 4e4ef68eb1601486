#!/usr/bin/env bash
# ledgerctl import, end to end (registered with CTest in tools/CMakeLists.txt
# as ledgerctl_import):
#
#   bash tools/ledgerctl/import_test.sh path/to/ledgerctl WORK_DIR
#
# What a new user met (issue 14) and what ledgerctl now does about it:
#   - a file imported twice is recorded once ("already imported as ...",
#     exit 0); --again records it again, and so the 10-minute exposure of
#     p1 and p3 counts twice and makes p3 a who-2020 close contact (15
#     minutes); `retract --import-of FILE` undoes an import, so that the
#     roster is again what it was before it;
#   - `import --dry-run` lists every bad row of every file (parse errors and
#     what the ledger refuses) and records nothing;
#   - several files in one import are recorded in the order of the kinds,
#     whatever the order given; a file named KIND.csv needs no --kind, any
#     other .csv file gets "add --kind KIND";
#   - a trailing blank line is no error; a semicolon-separated file gets a
#     hint; ids are trimmed ("q8 " is recorded as q8);
#   - `retract --seq` of a retraction is refused, saying why;
#   - generate refuses a ledger that holds events unless --into-existing.
# Prints each failed check and exits 1 if any failed.
set -uo pipefail
# shellcheck source=SCRIPTDIR/test_lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/test_lib.sh"

# events DIR: how many events the ledger in DIR holds.
events() {
  "${ctl}" export "$1" 2>/dev/null | wc -l
}

# expect_events NAME DIR N: the ledger in DIR holds N events.
expect_events() {
  checks=$((checks + 1))
  local n
  n=$(events "$2")
  [[ ${n} -eq $3 ]] || fail "$1: '$2' holds ${n} events, expected $3"
}

AT=2020-02-06T12:00:00+08:00

mkdir -p csv
cat >csv/areas.csv <<'EOF'
area_id,parent_id,level,name
c1,,county,Yuanling County
t1,c1,township,Township One
EOF
cat >csv/households.csv <<'EOF'
household_id,area_id,responsible_worker
h1,t1,w1
h2,t1,w2
EOF
# A spreadsheet's file: an id with a space after it, a blank line at the end.
printf 'person_id,household_id,name\np1,h1,Zhang San\np2,h1,Li Si\np3,h2,Wang Wu\nq8 ,h2,Zhao Liu\n\n' \
  >csv/persons.csv
cat >csv/diagnoses.csv <<'EOF'
person_id,status,onset,time
p1,confirmed,2020-02-03,2020-02-05T10:00:00+08:00
EOF
# Ten minutes: less than who-2020's 15 (docs/rules.md section 6).
cat >csv/exposures.csv <<'EOF'
person_a,person_b,start,end,setting
p1,p3,2020-02-02T09:00:00+08:00,2020-02-02T09:10:00+08:00,work
EOF

run init 0 init county --time-zone Asia/Shanghai

# --- several files at once, in the order of the kinds ------------------------
# Given out of order, without --kind: each file's name says its kind.
run import_several 0 import county csv/diagnoses.csv csv/persons.csv \
  csv/households.csv csv/areas.csv
expect_file import_several import_several.out <<'EOF'
imported 2 events from csv/areas.csv (sequence numbers 1-2)
imported 2 events from csv/households.csv (sequence numbers 3-4)
imported 4 events from csv/persons.csv (sequence numbers 5-8)
imported 1 event from csv/diagnoses.csv (sequence number 9)
EOF
# The trailing blank line was no error, and "q8 " is q8.
run audit_q8 0 audit county --person q8
expect_grep audit_q8 audit_q8.out ",person,false,,"
expect_events several county 9

# --- the same file twice: recorded once ---------------------------------------
run roster_before 0 roster county --at "${AT}" --policy who-2020
run import_exposures 0 import county csv/exposures.csv
expect_file import_exposures import_exposures.out <<'EOF'
imported 1 event from csv/exposures.csv (sequence number 10)
EOF
run import_twice 0 import county csv/exposures.csv
expect_grep import_twice import_twice.out \
  "csv/exposures.csv: already imported as event 10 on "
expect_grep import_twice import_twice.out \
  "(csv/exposures.csv); nothing recorded (use --again to import it again)"
expect_events import_twice county 10
# The same bytes under another name are the same content.
cp csv/exposures.csv copy.csv
run import_copy 2 import county copy.csv
expect_grep import_copy import_copy.err "add --kind KIND (areas, households, persons"
run import_copy_kind 0 import county --kind exposures copy.csv
expect_grep import_copy_kind import_copy_kind.out "copy.csv: already imported as event 10"
expect_events import_copy county 10
# Ten minutes once: p3 is no who-2020 contact yet.
run roster_once 0 roster county --at "${AT}" --policy who-2020
expect_file roster_once roster_once.out <roster_before.out

# --- --again: recorded again (twenty minutes: p3 becomes a contact) ----------
run import_again 0 import county --again csv/exposures.csv
expect_file import_again import_again.out <<'EOF'
imported 1 event from csv/exposures.csv (sequence number 11)
EOF
expect_events import_again county 11
run roster_twice 0 roster county --at "${AT}" --policy who-2020
expect_grep roster_twice roster_twice.out "p3,close_contact,p1,"

# --- retract --import-of: the undo ---------------------------------------------
run retract_newest 0 retract county --import-of csv/exposures.csv
expect_grep retract_newest retract_newest.out \
  "csv/exposures.csv was imported 2 times (--again); the newest import is retracted"
expect_grep retract_newest retract_newest.out \
  "retracted 1 event of the import of csv/exposures.csv (event 11 on "
expect_grep retract_newest retract_newest.out ") as event 12"
run roster_undone_once 0 roster county --at "${AT}" --policy who-2020
expect_file roster_undone_once roster_undone_once.out <roster_before.out
run retract_first 0 retract county --import-of csv/exposures.csv \
  --reason "wrong day"
expect_grep retract_first retract_first.out \
  "retracted 1 event of the import of csv/exposures.csv (event 10 on "
run roster_undone 0 roster county --at "${AT}" --policy who-2020
expect_file roster_undone roster_undone.out <roster_before.out
run roster_undone_china 0 roster county --at "${AT}"
if grep -q '^p3,' roster_undone_china.out; then
  fail "roster_undone_china: p3 is still in the roster after the undo"
fi
run audit_p3 0 audit county --person p3
expect_grep audit_p3 audit_p3.out "withdraws event 10: wrong day"
# Nothing left to undo.
run retract_nothing 0 retract county --import-of csv/exposures.csv
expect_grep retract_nothing retract_nothing.out "is retracted already"
expect_grep retract_nothing retract_nothing.out "nothing to retract"
# Every event retracted: the file may be imported again.
run import_after_undo 0 import county csv/exposures.csv
expect_grep import_after_undo import_after_undo.out \
  "imported 1 event from csv/exposures.csv (sequence number 14)"
run retract_unknown 1 retract county --import-of csv/households.csv.orig
run retract_never 1 retract county --import-of import_twice.out
expect_grep retract_never retract_never.err "no import of import_twice.out's content is recorded"

# --- retract --seq -------------------------------------------------------------
run retract_seq 0 retract county --seq 14 --seq 9 --reason "test"
expect_grep retract_seq retract_seq.out "retracted 2 events (events 9, 14) as events 15-16"
run retract_retraction 1 retract county --seq 15
expect_grep retract_retraction retract_retraction.err \
  "event 15 is itself a retraction (of event 9): a retraction cannot be retracted"
run retract_again 0 retract county --seq 9
expect_grep retract_again retract_again.out "event 9 is already retracted; skipped"
run retract_beyond 1 retract county --seq 99
expect_grep retract_beyond retract_beyond.err "no event 99 is recorded"
run retract_both 2 retract county --seq 1 --import-of csv/areas.csv
run retract_neither 2 retract county
expect_events retract_seq county 16

# --- --dry-run: every bad row, nothing recorded ----------------------------------
run init_dry 0 init dry --time-zone Asia/Shanghai
# Line 3: a day that does not exist; line 4: a household nobody recorded
# (the ledger's check); line 5: no id; line 6: too few fields.
cat >csv/bad_persons.csv <<'EOF'
person_id,household_id,birth_date
d1,h1,1990-01-01
d2,h1,1990-02-30
d3,h9,
,h1,
d6
EOF
mkdir -p bad
cp csv/bad_persons.csv bad/persons.csv
cp csv/areas.csv csv/households.csv bad/
run dry_run 1 import dry --dry-run bad/persons.csv bad/households.csv \
  bad/areas.csv
expect_file dry_run dry_run.out <<'EOF'
bad/areas.csv: would record 2 events
bad/households.csv: would record 2 events
EOF
expect_grep dry_run dry_run.err "bad/persons.csv: 4 bad rows:"
expect_grep dry_run dry_run.err \
  '  line 3, column "birth_date": is not a real day'
expect_grep dry_run dry_run.err \
  "  line 4, column \"household_id\": no household 'h9' is recorded"
expect_grep dry_run dry_run.err '  line 5, column "person_id": is required and empty'
expect_grep dry_run dry_run.err '  line 6: 1 field, but the header has 3'
expect_grep dry_run dry_run.err "dry run: 1 of 3 files have bad rows (above); nothing recorded"
expect_events dry_run dry 0
# The good files alone: checked against each other, as if recorded.
run dry_run_good 0 import dry --dry-run csv/households.csv csv/areas.csv
expect_file dry_run_good dry_run_good.out <<'EOF'
csv/areas.csv: would record 2 events
csv/households.csv: would record 2 events
dry run: would record 4 events; nothing recorded
EOF
expect_events dry_run_good dry 0
# An import (not a dry run) lists every bad row the same way, and stops at
# the bad file: the files before it stay recorded.
run import_bad 1 import dry bad/persons.csv bad/households.csv bad/areas.csv
expect_file import_bad import_bad.out <<'EOF'
imported 2 events from bad/areas.csv (sequence numbers 1-2)
imported 2 events from bad/households.csv (sequence numbers 3-4)
EOF
expect_grep import_bad import_bad.err "bad/persons.csv: 4 bad rows:"
expect_grep import_bad import_bad.err "Nothing of bad/persons.csv was recorded"
expect_grep import_bad import_bad.err \
  "The files before it stay recorded (bad/areas.csv, bad/households.csv)."
expect_events import_bad dry 4
# Corrected, the same command again: the files imported are skipped.
printf 'person_id,household_id\nd1,h1\n' >bad/persons.csv
run import_fixed 0 import dry bad/persons.csv bad/households.csv bad/areas.csv
expect_grep import_fixed import_fixed.out "bad/areas.csv: already imported as events 1-2"
expect_grep import_fixed import_fixed.out "bad/households.csv: already imported as events 3-4"
expect_grep import_fixed import_fixed.out "imported 1 event from bad/persons.csv (sequence number 5)"
expect_events import_fixed dry 5

# --- what spreadsheets write ------------------------------------------------------
printf 'person_id;household_id;area_id\ns1;h1;\n' >semicolon.csv
run semicolon 1 import dry --kind persons semicolon.csv
expect_grep semicolon semicolon.err \
  'semicolon.csv: line 1: the file looks semicolon-separated (header: "person_id;household_id;area_id"); save it as CSV with commas'
printf 'person_id,household_id\r\ns2,h1\r\n\r\n,\r\n' >crlf_blank.csv
run crlf_blank 0 import dry --kind persons crlf_blank.csv
expect_grep crlf_blank crlf_blank.out "imported 1 event from crlf_blank.csv"
# A .csv file whose name is no kind: ask for --kind, before anything.
run missing_kind 2 import dry semicolon.csv
expect_grep missing_kind missing_kind.err \
  "'semicolon.csv' is CSV: add --kind KIND (areas, households, persons, exposures, diagnoses, stays, checks, passages)"
# A CSV file given as JSON Lines says what it looks like.
printf 'person_id,household_id\ns3,h1\n' >rows.txt
run csv_as_jsonl 1 import dry rows.txt
expect_grep csv_as_jsonl csv_as_jsonl.err "the file looks like CSV"
# --kind makes every FILE CSV: a .jsonl among them is a usage error.
printf '{"area": {"id": "c9", "level": "AREA_LEVEL_COUNTY"}}\n' >events.jsonl
run kind_and_jsonl 2 import dry --kind areas csv/areas.csv events.jsonl
expect_events spreadsheets dry 6

# --- help ---------------------------------------------------------------------------
run help_import 0 import --help
expect_grep help_import help_import.out "areas first,"
expect_grep help_import help_import.out "--dry-run"
expect_grep help_import help_import.out "ledgerctl retract DIR --import-of FILE"
run help_retract 0 retract --help
expect_grep help_retract help_retract.out "usage: ledgerctl retract DIR"
run help_main 0 --help
expect_grep help_main help_main.out "retract"
expect_grep help_main help_main.out "import --dry-run"
run help_export 0 export --help
expect_grep help_export help_export.out "'ledgerctl restore DIR2 FILE' reads it back"

# --- generate refuses a ledger that holds events ----------------------------------
run generate_refused 1 generate county --persons 10
expect_grep generate_refused generate_refused.err \
  "'county' already holds "
expect_grep generate_refused generate_refused.err "--into-existing"
n_before=$(events county)
expect_events generate_refused county "${n_before}"
run init_empty 0 init empty
run generate_empty 0 generate empty --persons 10
run generate_into 0 generate empty --persons 10 --seed 7 --into-existing

# --- issue 15: a line's own actor, refused private values ---------------------------
# --actor is stamped on every event: a JSON line's own "actor" is replaced.
run init_actors 0 init actors --time-zone Asia/Shanghai
cat >forged.jsonl <<'EOF2'
{"actor": "forged-v21-worker", "area": {"id": "c1", "level": "AREA_LEVEL_COUNTY"}}
{"person": {"id": "p1", "area_id": "c1"}}
EOF2
run import_forged 0 import actors --actor office forged.jsonl
run audit_forged 0 audit actors --person p1
expect_grep audit_forged audit_forged.out ",office,person,false,,"
run export_forged 0 export actors
expect_no_grep export_forged export_forged.out "forged-v21-worker"
# A refused national id, phone or birth date is not quoted in the error.
cat >private.jsonl <<'EOF2'
{"person": {"id": "p2", "area_id": "c1", "national_id": 431222199001011235}}
{"person": {"id": "p3", "area_id": "c1", "phone": 13800138000}}
{"person": {"id": "p4", "area_id": "c1", "birth_date": "1990-07-15"}}
EOF2
run import_private 1 import actors private.jsonl
for value in 431222199001011235 13800138000 1990-07-15; do
  expect_no_grep import_private import_private.err "${value}"
done
expect_grep import_private import_private.err \
  "(person.national_id): invalid value (not shown: a private field)"
printf 'person_id,area_id,birth_date\np5,c1,1990-02-30\n' >persons_private.csv
for redact in "" --redact; do
  run "import_birth${redact}" 1 import actors ${redact} --kind persons \
    persons_private.csv
  expect_no_grep "import_birth${redact}" "import_birth${redact}.err" 1990-02-30
  expect_grep "import_birth${redact}" "import_birth${redact}.err" \
    'line 2, column "birth_date": is not a real day'
done

finish
