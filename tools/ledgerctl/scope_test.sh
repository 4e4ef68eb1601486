#!/usr/bin/env bash
# ledgerctl --scope, --actor and audit (registered with CTest in
# tools/CMakeLists.txt; contactledger/scope.h):
#
#   bash tools/ledgerctl/scope_test.sh path/to/ledgerctl WORK_DIR
#
# The county office (actor "office") records, in UTC:
#   areas       c -> t1 -> v11, v12;  c -> t2 -> v21
#   households  h11 in v11 (worker w-li);  h21 in v21, address 8 Willow Lane
#   persons     a1 in h11;  out-zhao in h21 (name, national id, phone)
#   exposure    a1 - out-zhao 01-23 09:00-10:00, note quoting Zhao's name
#   diagnosis   out-zhao confirmed 01-25 10:00, onset 01-24
# At AT = 01-27 12:00 (china-2020) a1 is a close contact of out-zhao,
# unplaced since 01-26 10:00. Through --scope v11, out-zhao and everything
# private about them must never be printed, a1's source is an opaque id,
# asking about out-zhao exits 1, and an import touching v12 or v21 exits 1
# recording nothing. audit lists each event's actor.
set -uo pipefail
# shellcheck source=SCRIPTDIR/test_lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/test_lib.sh"

AT=2020-01-27T12:00:00Z
ZHAO_ID=43122219900101123X
ZHAO_PHONE=13912345678

run init 0 init ledger
mkdir -p csv
cat >csv/areas.csv <<'EOF'
area_id,parent_id,level
c,,county
t1,c,township
t2,c,township
v11,t1,village
v12,t1,village
v21,t2,village
EOF
cat >csv/households.csv <<'EOF'
household_id,area_id,address,responsible_worker
h11,v11,,w-li
h21,v21,8 Willow Lane,
EOF
cat >csv/persons.csv <<EOF
person_id,household_id,name,national_id,phone
a1,h11,Alice An,,
out-zhao,h21,Zhao Dawei,${ZHAO_ID},${ZHAO_PHONE}
EOF
cat >csv/diagnoses.csv <<'EOF'
person_id,status,onset,time
out-zhao,confirmed,2020-01-24,2020-01-25T10:00:00Z
EOF
cat >world.jsonl <<'EOF'
{"exposure": {"person_a": "a1", "person_b": "out-zhao", "start": "2020-01-23T09:00:00Z", "end": "2020-01-23T10:00:00Z", "setting": "EXPOSURE_SETTING_GATHERING", "note": "met Zhao Dawei at the market"}}
EOF
for kind in areas households persons diagnoses; do
  run "import_${kind}" 0 import ledger --kind "${kind}" --actor office \
    "csv/${kind}.csv"
done
run import_world 0 import ledger --actor office world.jsonl

# --- reads through --scope v11 ----------------------------------------------
run roster 0 roster ledger --at "${AT}" --scope v11
if ! grep -qE '^a1,close_contact,ext-[0-9a-f]{16},2020-01-23T10:00:00\+00:00,2020-02-06,false,centralized$' roster.out; then
  fail "roster: a1's row with an opaque source is missing:"
  sed 's/^/    /' roster.out >&2
fi
expect_grep roster_unscoped_has_zhao <("${ctl}" roster ledger --at "${AT}") \
  "out-zhao,case"
run loops 0 loops ledger --at "${AT}" --scope v11 --format json
expect_grep loops loops.out '"person_id": "a1", "kind": "unplaced"'
run explain 0 explain ledger --person a1 --at "${AT}" --scope v11
expect_grep explain explain.out "source: ext-"
run pass 1 pass ledger --person a1 --checkpoint gate-1 --at "${AT}" \
  --scope v11
expect_grep pass pass.out "refused: close_contact of ext-"
run chains 0 chains ledger --at "${AT}" --scope v11
expect_file chains chains.out <<'EOF'
chain,from,to,rule,exposures
EOF
run rollup 0 rollup ledger --area v11 --at "${AT}" --scope v11
run contacts 0 contacts ledger --person a1 --hops 1 \
  --from 2020-01-20T00:00:00Z --to "${AT}" --scope v11
if ! grep -qE '^ext-[0-9a-f]{16},1$' contacts.out; then
  fail "contacts: no opaque contact at 1 hop:"
  sed 's/^/    /' contacts.out >&2
fi
run export 0 export ledger --scope v11
expect_grep export export.out '"person_a":"a1","person_b":"ext-'
expect_no_grep export_note export.out "market"
run audit_scoped 0 audit ledger --person a1 --scope v11

# Nothing about out-zhao leaves the view, in any output.
for name in roster loops explain pass chains rollup contacts export \
    audit_scoped; do
  for secret in out-zhao Zhao "${ZHAO_ID}" "${ZHAO_PHONE}" "Willow" h21 \
      v21; do
    expect_no_grep "${name}_secret" "${name}.out" "${secret}"
  done
done

# Asking about an outsider, or an id nobody knows, exits 1 the same way.
run explain_outsider 1 explain ledger --person out-zhao --at "${AT}" \
  --scope v11
expect_grep explain_outsider explain_outsider.err \
  "no person 'out-zhao' in the scope of this view (area 'v11')"
run explain_nobody 1 explain ledger --person nobody --at "${AT}" --scope v11
expect_grep explain_nobody explain_nobody.err \
  "no person 'nobody' in the scope of this view (area 'v11')"
run audit_outsider 1 audit ledger --person out-zhao --scope v11
run rollup_outside 1 rollup ledger --area t2 --at "${AT}" --scope v11
run unknown_scope 1 roster ledger --at "${AT}" --scope v99
expect_grep unknown_scope unknown_scope.err "--scope: area_id: no area 'v99'"

# --- writes through --scope -------------------------------------------------
events_before=$("${ctl}" export ledger | wc -l)
cat >csv/new_persons.csv <<'EOF'
person_id,household_id,area_id
n1,h11,
n2,,v12
EOF
run import_outside 1 import ledger --kind persons --scope v11 --actor wang \
  csv/new_persons.csv
expect_grep import_outside import_outside.err \
  "event 2 of 2 (person 'n2'): area_id: area 'v12' is outside the scope of this view (area 'v11')"
expect_grep import_outside_row import_outside.err "(event 2 is the file's data row 2)"
events_after=$("${ctl}" export ledger | wc -l)
checks=$((checks + 1))
if [[ "${events_before}" != "${events_after}" ]]; then
  fail "import_outside recorded something: ${events_before} -> ${events_after} events"
fi
run import_no_actor 2 import ledger --kind persons --scope v11 \
  csv/new_persons.csv
expect_grep import_no_actor import_no_actor.err "--scope needs --actor"

cat >csv/checks.csv <<'EOF'
person_id,time,temperature_c
a1,2020-01-27T09:00:00Z,36.6
EOF
run import_inside 0 import ledger --kind checks --scope v11 --actor wang \
  csv/checks.csv
expect_grep import_inside import_inside.out "imported 1 event"
# An exposure with an outsider is the village's to record.
cat >exposure.jsonl <<'EOF'
{"actor": "forged", "exposure": {"person_a": "out-zhao", "person_b": "a1", "start": "2020-01-26T09:00:00Z", "end": "2020-01-26T09:30:00Z", "setting": "EXPOSURE_SETTING_WORK"}}
EOF
run import_exposure 0 import ledger --scope v11 --actor wang exposure.jsonl
seq=$(sed -E 's/.*sequence number ([0-9]+).*/\1/' import_exposure.out)
cat >retract.jsonl <<EOF
{"retraction": {"sequence_number": ${seq}, "reason": "wrong day"}}
EOF
run import_retraction 0 import ledger --scope v11 --actor li retract.jsonl

# --- audit -----------------------------------------------------------------
run audit 0 audit ledger --person a1
cut -d, -f1,3,4,5,6,7 audit.out >audit.cut
expect_file audit audit.cut <<EOF
sequence_number,actor,kind,retracted,retracted_by,retracts
9,office,person,false,,
12,office,exposure,false,,
13,wang,health_check,false,,
${seq},wang,exposure,true,$((seq + 1)),
$((seq + 1)),li,retraction,false,,${seq}
EOF
run audit_json 0 audit ledger --person a1 --format json
expect_grep audit_json audit_json.out '"actor": "li", "kind": "retraction"'
run audit_nobody 1 audit ledger --person nobody
# generate --actor stamps every event it records.
run init_generated 0 init generated
run generate_actor 0 generate generated --persons 10 --actor generator
"${ctl}" export generated >generated.jsonl 2>/dev/null
checks=$((checks + 1))
if grep -vqF '"actor":"generator"' generated.jsonl ||
    ! [[ -s generated.jsonl ]]; then
  fail "generate_actor: an event without the actor 'generator':"
  grep -vF '"actor":"generator"' generated.jsonl | head -3 >&2
fi

# --- an exposure's own id (issue 15, finding 2) ------------------------------
# A caller's exposure id built from the outsider's id and phone is shown, as
# the partner is, as an opaque id through --scope; unscoped, as recorded.
cat >exposure_id.jsonl <<'EOF'
{"exposure": {"id": "x-out-zhao-a1-13912345678", "person_a": "out-zhao", "person_b": "a1", "start": "2020-01-24T09:00:00Z", "end": "2020-01-24T09:30:00Z", "setting": "EXPOSURE_SETTING_WORK"}}
EOF
run import_exposure_id 0 import ledger --actor office exposure_id.jsonl
run export_exposure_id 0 export ledger --scope v11
checks=$((checks + 1))
if ! grep -qE '"id":"ext-[0-9a-f]{16}","person_a":"ext-[0-9a-f]{16}","person_b":"a1"' \
    export_exposure_id.out; then
  fail "export_exposure_id: the exposure's id is not an opaque id:"
  grep -F '"exposure"' export_exposure_id.out | sed 's/^/    /' >&2
fi
for secret in out-zhao Zhao "${ZHAO_PHONE}" "x-out"; do
  expect_no_grep "export_exposure_id_secret" export_exposure_id.out "${secret}"
done
expect_grep export_exposure_id_unscoped <("${ctl}" export ledger) \
  '"id":"x-out-zhao-a1-13912345678"'

finish
