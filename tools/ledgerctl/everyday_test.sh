#!/usr/bin/env bash
# ledgerctl as a new user meets it (registered with CTest in
# tools/CMakeLists.txt; issue 14): safe answers at the gate, policies as
# changes to a preset, seeing a record and what each event said, a roll-up
# that adds up to the roster, and help that says what the commands do.
#
#   bash tools/ledgerctl/everyday_test.sh path/to/ledgerctl WORK_DIR
#
# The ledger (Asia/Shanghai, all times +08:00):
#   areas       c (county) -> t (township) -> v (village)
#   households  h1 in v (worker Wang Wei, an address quoting a phone)
#   persons     p01 (张三, born 1990-01-01) and p02 in h1; p03 in area v, no
#               household; n1 with neither area nor household; u9 never
#               registered. p02 gets a second version (a phone) and a third
#               (a name) that is retracted.
#   exposures   p01-p03 02-02 09:00-09:10 work (10 minutes)
#               p01-u9  02-02 10:00-11:00 gathering
#               p01-n1  02-02 12:00-13:00 other
#   diagnosis   p01 confirmed 02-05 10:00, onset 2020-02-03
# At AT = 02-06 12:00 under china-2020 (look back 2 days: window from 02-01)
# p01 is a case and p02 (household), p03, u9 and n1 close contacts: 4. With
# min_exposure 15 minutes (base china-2020), p03's 10 minutes do not count:
# 3. u9 and n1 have no area: the county's roll-up counts them in its row
# "(unassigned)", so that its close contacts add up to the roster's 4.
set -uo pipefail
# shellcheck source=SCRIPTDIR/test_lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/test_lib.sh"

AT=2020-02-06T12:00:00+08:00

# --- the ledger ------------------------------------------------------------
run init 0 init ledger --time-zone Asia/Shanghai
mkdir -p csv
cat >csv/areas.csv <<'EOF'
area_id,parent_id,level,name
c,,county,Everyday County
t,c,township,Everyday Township
v,t,village,Everyday Village
EOF
cat >csv/households.csv <<'EOF'
household_id,area_id,address,responsible_worker
h1,v,"3 Elm Rd, call 13800000009",Wang Wei
EOF
cat >csv/persons.csv <<'EOF'
person_id,household_id,area_id,name,phone,birth_date
p01,h1,,张三,13812345678,1990-01-01
p02,h1,,,,
p03,,v,,,
EOF
cat >csv/exposures.csv <<'EOF'
person_a,person_b,start,end,setting
p01,p03,2020-02-02T09:00:00+08:00,2020-02-02T09:10:00+08:00,work
p01,u9,2020-02-02T10:00:00+08:00,2020-02-02T11:00:00+08:00,gathering
p01,n1,2020-02-02T12:00:00+08:00,2020-02-02T13:00:00+08:00,other
EOF
cat >csv/diagnoses.csv <<'EOF'
person_id,status,onset,time
p01,confirmed,2020-02-03,2020-02-05T10:00:00+08:00
EOF
for kind in areas households persons exposures diagnoses; do
  run "import_${kind}" 0 import ledger --kind "${kind}" "csv/${kind}.csv"
done
cat >n1.jsonl <<'EOF'
{"person": {"id": "n1"}}
{"person": {"id": "p02", "household_id": "h1", "phone": "13987654321"}}
{"person": {"id": "p02", "household_id": "h1", "phone": "13987654321", "name": "Li Si"}}
EOF
run import_versions 0 import ledger n1.jsonl
# The third line's event: the last sequence number printed.
last=$(grep -oE '[0-9]+' import_versions.out | tail -n 1)
printf '{"retraction": {"sequence_number": "%s", "reason": "wrong name"}}\n' \
  "${last}" >retract.jsonl
run import_retraction 0 import ledger retract.jsonl

# --- 1. safe answers at the gate -------------------------------------------
# p01 is a confirmed case; P01 is no one the ledger knows: exit 3, not 0.
run pass_P01 3 pass ledger --person P01 --checkpoint xy-cp1 --at "${AT}"
expect_grep pass_P01 pass_P01.out "unknown person: person 'P01' is not in the ledger"
run pass_P01_json 3 pass ledger --person P01 --checkpoint xy-cp1 --at "${AT}" \
  --format json
expect_json pass_P01_json pass_P01_json.out
expect_grep pass_P01_json pass_P01_json.out '"allowed": false, "verdict": "unknown_person"'
run pass_P01_csv 3 pass ledger --person P01 --checkpoint xy-cp1 --at "${AT}" \
  --format csv
expect_grep pass_P01_csv pass_P01_csv.out "P01,xy-cp1,unknown_person,"
run pass_ghost 3 pass ledger --person ghost --checkpoint xy-cp1 --at "${AT}"
# 'p01 ' is trimmed (with a note) and refused as the case.
run pass_p01_space 1 pass ledger --person 'p01 ' --checkpoint ' xy-cp1' \
  --at "${AT}"
expect_grep pass_p01_space pass_p01_space.out "refused: active confirmed case"
expect_grep pass_p01_space pass_p01_space.err "note: --person 'p01 ' has blanks around it; using 'p01'"
run pass_p01_json 1 pass ledger --person p01 --checkpoint xy-cp1 --at "${AT}" \
  --format json
expect_grep pass_p01_json pass_p01_json.out '"allowed": false, "verdict": "refused"'
# u9 was never registered but an exposure names it: known, and a contact.
run pass_u9 1 pass ledger --person u9 --checkpoint xy-cp1 --at "${AT}"
expect_grep pass_u9 pass_u9.out "refused: close_contact of p01"
# Before anything was recorded p01 was unknown too (and the note says so).
run pass_early 3 pass ledger --person p01 --checkpoint xy-cp1 --at "${AT}" \
  --known-at 2000-01-01T00:00:00Z
expect_grep pass_early pass_early.err "is before the first record"
run help_pass 0 pass --help
expect_grep help_pass help_pass.out "3 unknown person"

# --- 2. policies as overlays -----------------------------------------------
run roster 0 roster ledger --at "${AT}"
cat >expected_roster.csv <<'EOF'
person_id,role,source,last_exposure,until,continuous,place
n1,close_contact,p01,2020-02-02T13:00:00+08:00,2020-02-16,false,centralized
p01,case,,,,,hospital
p02,close_contact,p01,2020-02-05T10:00:00+08:00,2020-02-19,true,centralized
p03,close_contact,p01,2020-02-02T09:10:00+08:00,2020-02-16,false,centralized
u9,close_contact,p01,2020-02-02T11:00:00+08:00,2020-02-16,false,centralized
EOF
# (p02's row is checked by role only: the household exposure goes on.)
checks=$((checks + 1))
if [[ "$(cut -d, -f1,2 roster.out)" != "$(cut -d, -f1,2 expected_roster.csv)" ]]; then
  fail "roster: persons and roles differ:"
  diff -u expected_roster.csv roster.out | sed 's/^/    /' >&2
fi
# china-2020 but 15 minutes: a file naming the base and one field.
cat >fifteen.txtpb <<'EOF'
base: "china-2020"
min_exposure { seconds: 900 }
EOF
run roster_fifteen 0 roster ledger --at "${AT}" --policy fifteen.txtpb
expect_no_grep roster_fifteen roster_fifteen.out "p03,"
expect_grep roster_fifteen roster_fifteen.out "u9,close_contact,p01"
expect_grep roster_fifteen roster_fifteen.out "centralized"
printf '{"base": "china-2020", "minExposure": "900s"}\n' >fifteen.json
run roster_fifteen_json 0 roster ledger --at "${AT}" --policy fifteen.json
expect_same roster_fifteen_json roster_fifteen.out roster_fifteen_json.out
# A file with only min_exposure is not a whole policy: the error says base.
printf 'min_exposure { seconds: 900 }\n' >only_min.txtpb
run roster_only_min 1 roster ledger --at "${AT}" --policy only_min.txtpb
expect_grep roster_only_min roster_only_min.err "close_contact_phases"
expect_grep roster_only_min roster_only_min.err "'base'"
# An unknown base lists the presets.
printf 'base: "china-2021"\n' >bad_base.txtpb
run roster_bad_base 1 roster ledger --at "${AT}" --policy bad_base.txtpb
expect_grep roster_bad_base roster_bad_base.err "china-2020, china-2022, who-2020, cdc-2020"
# A missing file is a missing file; a name neither preset nor file lists
# the presets.
run roster_missing 2 roster ledger --at "${AT}" --policy missing.txtpb
expect_grep roster_missing roster_missing.err "no such file: missing.txtpb"
run roster_unknown 2 roster ledger --at "${AT}" --policy china-2021
expect_grep roster_unknown roster_unknown.err "china-2020, china-2022, who-2020, cdc-2020"
# policy show prints a preset ready to copy; as a file it is the preset.
for preset in china-2020 china-2022 who-2020 cdc-2020; do
  run "policy_show_${preset}" 0 policy show "${preset}"
  expect_grep "policy_show_${preset}" "policy_show_${preset}.out" "name: \"${preset}\""
  run "roster_preset_${preset}" 0 roster ledger --at "${AT}" --policy "${preset}"
  run "roster_shown_${preset}" 0 roster ledger --at "${AT}" \
    --policy "policy_show_${preset}.out"
  expect_same "policy_roundtrip_${preset}" "roster_preset_${preset}.out" \
    "roster_shown_${preset}.out"
done
expect_grep policy_show_who policy_show_who-2020.out "min_exposure {"
run policy_show_file 0 policy show fifteen.txtpb
expect_grep policy_show_file policy_show_file.out 'name: "china-2020+min_exposure"'
expect_grep policy_show_file policy_show_file.out "seconds: 900"
run policy_show_unknown 2 policy show china-2021
run policy_bad_subcommand 2 policy list china-2020

# --- 3. seeing the ledger --------------------------------------------------
run show_p01 0 show ledger --person p01 --at "${AT}"
expect_grep show_p01 show_p01.out "person p01"
expect_grep show_p01 show_p01.out "  name: 张三"
expect_grep show_p01 show_p01.out "  household: h1"
expect_grep show_p01 show_p01.out "  area: v"
expect_grep show_p01 show_p01.out "diagnosis (at 2020-02-06T12:00:00+08:00): confirmed at 2020-02-05T10:00:00+08:00, onset 2020-02-03"
expect_grep show_p01 show_p01.out "recorded: 3 exposures, 1 diagnosis"
expect_grep show_p01 show_p01.out "versions:"
expect_grep show_p01 show_p01.out " by ledgerctl"
run show_p02 0 show ledger --person p02
expect_grep show_p02 show_p02.out "  phone: 13987654321"
expect_no_grep show_p02 show_p02.out "Li Si"
expect_grep show_p02 show_p02.out "by ledgerctl, retracted by $((last + 1))"
checks=$((checks + 1))
[[ $(sed -n '/^versions:/,$p' show_p02.out | grep -c ' by ') -eq 3 ]] ||
  fail "show_p02: expected 3 versions: $(cat show_p02.out)"
run show_h1 0 show ledger --household h1
expect_grep show_h1 show_h1.out "  members: p01, p02"
expect_grep show_h1 show_h1.out "  area: v"
expect_grep show_h1 show_h1.out "  responsible_worker: Wang Wei"
run show_t 0 show ledger --area t
expect_grep show_t show_t.out "  parent: c"
expect_grep show_t show_t.out "  children: v"
expect_grep show_t show_t.out "  level: township"
run show_c_json 0 show ledger --area c --format json
expect_json show_c_json show_c_json.out
expect_grep show_c_json show_c_json.out '"related": {"parent": [], "children": ["t"]}'
run show_u9 0 show ledger --person u9
expect_grep show_u9 show_u9.out "not registered"
run show_ghost 1 show ledger --person ghost
run show_none 2 show ledger
run show_two 2 show ledger --person p01 --area c
run show_trimmed 0 show ledger --area ' t '
expect_grep show_trimmed show_trimmed.out "area t"
run show_redact 0 show ledger --person p01 --redact
expect_no_grep show_redact show_redact.out "张三"
expect_no_grep show_redact show_redact.out "1990-01-01"
expect_no_grep show_redact show_redact.out "13812345678"
run show_h1_redact 0 show ledger --household h1 --redact
expect_no_grep show_h1_redact show_h1_redact.out "Elm"
expect_no_grep show_h1_redact show_h1_redact.out "Wang Wei"
expect_no_grep show_h1_redact show_h1_redact.out "13800000009"
run show_scoped 0 show ledger --person p01 --scope v
run show_scoped_out 1 show ledger --person n1 --scope v
# audit shows what each event said.
run audit_p01 0 audit ledger --person p01
expect_grep audit_p01 audit_p01.out ",exposure,false,,,\"with p03 from 2020-02-02T09:00:00+08:00 to 2020-02-02T09:10:00+08:00, work\""
expect_grep audit_p01 audit_p01.out ",diagnosis,false,,,\"confirmed at 2020-02-05T10:00:00+08:00, onset 2020-02-03\""
expect_grep audit_p01 audit_p01.out "registered: name 张三, phone 13812345678, birth_date 1990-01-01, household_id h1"
run audit_p02 0 audit ledger --person p02 --format json
expect_json audit_p02 audit_p02.out
expect_grep audit_p02 audit_p02.out '"detail": "changed: phone (none) -> 13987654321"'
expect_grep audit_p02 audit_p02.out '"detail": "withdraws event '"${last}"': wrong name"'
run audit_redact 0 audit ledger --person p01 --redact
expect_no_grep audit_redact audit_redact.out "张三"
expect_no_grep audit_redact audit_redact.out "13812345678"
expect_no_grep audit_redact audit_redact.out "1990-01-01"
# The county's roll-up adds up to the roster, with the persons of no area.
run rollup 0 rollup ledger --area c --at "${AT}"
expect_grep rollup rollup.out "(unassigned),persons with no area,1,0,0,2,"
checks=$((checks + 1))
rollup_close=$(awk -F, 'NR > 1 { s += $6 } END { print s }' rollup.out)
roster_close=$(grep -c ',close_contact,' roster.out)
[[ "${rollup_close}" == "${roster_close}" && "${roster_close}" == 4 ]] ||
  fail "rollup: ${rollup_close} close contacts in the roll-up, ${roster_close} in the roster"
run rollup_t 0 rollup ledger --area t --at "${AT}"
expect_no_grep rollup_t rollup_t.out "(unassigned)"
# A --known-at before the first record says so, on every command taking it.
for command in roster loops chains; do
  run "early_${command}" 0 "${command}" ledger --at "${AT}" \
    --known-at 2000-01-01T00:00:00Z
  expect_grep "early_${command}" "early_${command}.err" \
    "--known-at 2000-01-01T00:00:00Z is before the first record ("
  expect_grep "early_${command}" "early_${command}.err" \
    "): the ledger knew nothing then"
done
run early_explain 0 explain ledger --person p01 --at "${AT}" \
  --known-at 2000-01-01T00:00:00Z
expect_grep early_explain early_explain.err "is before the first record"
run early_rollup 1 rollup ledger --area c --at "${AT}" \
  --known-at 2000-01-01T00:00:00Z
expect_grep early_rollup early_rollup.err "is before the first record"
run early_audit 0 audit ledger --person p01 --known-at 2000-01-01T00:00:00Z
expect_grep early_audit early_audit.err "is before the first record"
run early_show 1 show ledger --person p01 --known-at 2000-01-01T00:00:00Z
expect_grep early_show early_show.err "is before the first record"
run late_roster 0 roster ledger --at "${AT}" --known-at 2100-01-01T00:00:00Z
expect_no_grep late_roster late_roster.err "note"

# --- 4. help that matches behaviour -----------------------------------------
run chains_json 0 chains ledger --at "${AT}" --format json
expect_json chains_json chains_json.out
expect_grep chains_json chains_json.out '{"chain": 1, "cases": ["p01"], "edges": []}'
run help_explain 0 explain --help
expect_grep help_explain help_explain.out "JSON: one object (not an array)"
expect_no_grep help_explain help_explain.out "JSON is an array"
for command in roster loops explain rollup pass contacts chains audit show \
    export; do
  run "help_scope_${command}" 0 "${command}" --help
  expect_grep "help_scope_${command}" "help_scope_${command}.out" "--scope AREA"
  expect_no_grep "help_scope_${command}" \
    <(grep -e '--scope AREA' "help_scope_${command}.out") "writes"
done
run help_show 0 show --help
expect_grep help_show help_show.out "addresses"
run help_chains 0 chains --help
expect_grep help_chains help_chains.out "[--format csv|json|dot]"
run help_main 0 --help
expect_grep help_main help_main.out "  show "
expect_grep help_main help_main.out "  policy "

finish
