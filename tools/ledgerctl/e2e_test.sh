#!/usr/bin/env bash
# End-to-end test of ledgerctl (registered with CTest in tools/CMakeLists.txt):
#
#   bash tools/ledgerctl/e2e_test.sh path/to/ledgerctl WORK_DIR
#
# Builds a small county through `ledgerctl import` (CSV and JSON Lines), then
# runs every command and checks its output and exit status against answers
# worked out by hand from docs/rules.md below. Prints each failed check and
# exits 1 if any failed.
#
# The county (time zone Asia/Shanghai, all times +08:00):
#   areas       c1 (county) -> t1 -> v1 -> g1;  c1 -> t2 -> v2 -> g2
#   households  h1 in g1 (worker w1);  h2 in g2 (no worker)
#   persons     p1, p2 in h1;  p3, p4 in h2;  p5 in area g2, no household;
#               p6 never registered
#   exposures   #E1 p1-p3 02-02 09:00-11:00 work
#               #E2 p1-p5 01-30 09:00-10:00 gathering (before p1's window)
#               #E3 p3-p6 02-03 09:00-09:30 transport
#   diagnosis   p1 confirmed 02-05 10:00, onset 2020-02-03
#   stays       p1 hospital from 02-05 12:00;  p3 centralized 02-05 20:00
#               to 02-06 09:00
#   checks      p1 02-06 08:00 37.0;  p5 02-06 09:00 38.2
#   passages    p3 gate-1 out 02-06 10:00
# AT = 2020-02-06T12:00+08:00.
#
# Worked answers (china-2020: look back 2 d, 14 d centralized, household rule,
# min_exposure 0, checks every 12 h, fever 37.3, placement 24 h, escalation
# 2 h):
#   p1: onset 02-03 -> ws = 02-01 00:00; removal = hospital start 02-05 12:00
#       = we. Active case, place hospital.
#   p3: #E1 qualifies (02-02 09:00 < we, 11:00 >= ws); last exposure 02-02
#       11:00; until 02-02 + 14 = 02-16; AT is day 4 -> centralized.
#   p2: household of p1: last exposure min(we, AT) = 02-05 12:00; until 02-19.
#   p5: #E2 ended before ws: not a contact. p4: no secondary contacts.
#   required_since(p2) = required_since(p3) = max(diagnosis 02-05 10:00,
#   first qualifying moment) = 02-05 10:00.
#   loops: p2 unplaced since 02-05 10:00 + 24 h = 02-06 10:00;
#          p3 early_release since 02-06 09:00 (stay ended after
#          required_since), no_owner since 02-05 10:00 (h2 has no worker),
#          checkpoint_breach 02-06 10:00 (in the roster then);
#          p5 fever_not_escalated since 09:00 + 2 h = 11:00;
#          p6 unregistered since #E3's start 02-03 09:00;
#          p1: last check 08:00, 4 h ago: no missed_check.
#   china-2022 (7 d centralized + 3 d home; secondary 7 d home): p2 until
#   02-15, p3 until 02-12; p3's window is [f(p3), removal(p3, f(p3))) =
#   [02-02 09:00, 02-05 20:00) (the centralized stay had not ended by f(p3)):
#   p4 (p3's household) is a secondary contact with last exposure 02-05 20:00,
#   until 02-12; p6 (#E3 02-03 09:30) one until 02-10; both at home.
# A second ledger, in UTC, holds two cases linked by an exposure (a chain),
# and a case c still at large whose household member d is a continuous
# close contact (its last exposure is AT: min(we, AT), docs/rules.md section
# 5).
set -uo pipefail
# shellcheck source=SCRIPTDIR/test_lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/test_lib.sh"

AT=2020-02-06T12:00:00+08:00

# --- help and usage --------------------------------------------------------
run help 0 --help
expect_grep help help.out "Commands:"
for command in init import roster loops explain rollup pass contacts chains \
    verify export; do
  run "help_${command}" 0 "${command}" --help
  expect_grep "help_${command}" "help_${command}.out" "usage: ledgerctl ${command}"
done
run help_import_cols 0 import --help
expect_grep help_import_cols help_import_cols.out \
  "person_id*,checkpoint_id*,time*,direction*"
run no_command 2
run unknown_command 2 frobnicate ledger
expect_grep unknown_command unknown_command.err "unknown command 'frobnicate'"
run init_bad_zone 2 init ledger --time-zone Mars/Olympus
[[ -e ledger ]] && fail "init_bad_zone: created the directory"

# --- init ------------------------------------------------------------------
run init 0 init ledger --time-zone Asia/Shanghai
# The zone is the directory's own (its MANIFEST), not a file of ledgerctl's.
[[ -e ledger/LEDGERCTL ]] && fail "init: wrote a LEDGERCTL file"
[[ -f ledger/MANIFEST ]] || fail "init: wrote no MANIFEST"
expect_grep init ledger/MANIFEST "Asia/Shanghai"
run init_again 1 init ledger
expect_grep init_again init_again.err "already a ledger"
run missing_dir 1 roster nowhere --at "${AT}"
expect_grep missing_dir missing_dir.err "no ledger directory 'nowhere'"

# --- import ----------------------------------------------------------------
mkdir -p csv
cat >csv/areas.csv <<'EOF'
area_id,parent_id,level,name
c1,,county,Yuanling County
t1,c1,township,Township One
t2,c1,township,"Township Two, East"
v1,t1,village,Village One
v2,t2,village,Village Two
g1,v1,grid,Grid One
g2,v2,grid,Grid Two
EOF
# Columns in another order; an address with a comma and a line break.
cat >csv/households.csv <<'EOF'
responsible_worker,household_id,address,area_id
w1,h1,"1 Main St, Madiyi",g1
,h2,"Building 2
Room 301",g2
EOF
cat >csv/persons.csv <<'EOF'
person_id,household_id,area_id,name,national_id,phone,birth_date,tags
p1,h1,,张三,43000019900101123X,13800000001,1990-01-01,returnee;from_wuhan
p2,h1,,李四,,,,
p3,h2,,王五,,,1985-06-30,
p4,h2,,,,,,
p5,,g2,赵六,,,,
EOF
cat >csv/exposures.csv <<'EOF'
person_a,person_b,start,end,setting
p1,p3,2020-02-02T09:00:00+08:00,2020-02-02T11:00:00+08:00,work
p1,p5,2020-01-30T09:00:00+08:00,2020-01-30T10:00:00+08:00,gathering
p3,p6,2020-02-03T01:00:00Z,2020-02-03T01:30:00Z,transport
EOF
cat >csv/diagnoses.csv <<'EOF'
person_id,status,onset,time
p1,confirmed,2020-02-03,2020-02-05T10:00:00+08:00
EOF
cat >csv/stays.csv <<'EOF'
person_id,action,time,place
p1,start,2020-02-05T12:00:00+08:00,hospital
p3,start,2020-02-05T20:00:00+08:00,centralized
p3,end,2020-02-06T09:00:00+08:00,
EOF
cat >csv/checks.csv <<'EOF'
person_id,time,temperature_c,symptoms,checked_by
p1,2020-02-06T08:00:00+08:00,37.0,false,nurse-1
p5,2020-02-06T09:00:00+08:00,38.2,true,
EOF
cat >csv/passages.csv <<'EOF'
person_id,checkpoint_id,time,direction
p3,gate-1,2020-02-06T10:00:00+08:00,out
EOF

# A bad row records nothing, and the error names file, line, column, reason.
cat >csv/bad_exposures.csv <<'EOF'
person_a,person_b,start,end,setting
p1,p2,2020-02-02T09:00:00+08:00,2020-02-02T11:00:00+08:00,work
p1,p2,2020-02-02T09:00:00+08:00,2020-02-02T11:00:00+08:00,office
EOF
run import_areas 0 import ledger --kind areas csv/areas.csv
expect_file import_areas import_areas.out <<'EOF'
imported 7 events from csv/areas.csv (sequence numbers 1-7)
EOF
run import_bad 1 import ledger --kind exposures csv/bad_exposures.csv
expect_grep import_bad import_bad.err \
  'csv/bad_exposures.csv: line 3, column "setting": unknown value "office"'
# A household naming an unknown area: the ledger's error, mapped to the row.
printf 'household_id,area_id\nh9,g1\nh8,g9\n' >csv/bad_households.csv
run import_bad_ledger 1 import ledger --kind households csv/bad_households.csv
expect_grep import_bad_ledger import_bad_ledger.err \
  "csv/bad_households.csv: line 3, column \"area_id\": no area 'g9'"
printf 'household_id,area,address\nh9,g1,x\n' >csv/bad_columns.csv
run import_bad_column 1 import ledger --kind households csv/bad_columns.csv
expect_grep import_bad_column import_bad_column.err \
  'line 1, column "area": unknown column'
printf 'household_id,address\nh9,x\n' >csv/missing_column.csv
run import_missing_column 1 import ledger --kind households \
  csv/missing_column.csv
expect_grep import_missing_column import_missing_column.err \
  'missing required column "area_id"'
run import_bad_kind 2 import ledger --kind people csv/persons.csv
run import_missing_file 1 import ledger --kind persons csv/nothing.csv
run import_no_file 2 import ledger --kind persons

for kind in households persons exposures diagnoses stays checks passages; do
  run "import_${kind}" 0 import ledger --kind "${kind}" "csv/${kind}.csv"
done
expect_file import_exposures import_exposures.out <<'EOF'
imported 3 events from csv/exposures.csv (sequence numbers 15-17)
EOF
# Sequence numbers: areas 1-7, households 8-9, persons 10-14, exposures
# 15-17 (#E1 = 15, #E3 = 17), diagnosis 18, stays 19-21, checks 22-23,
# passage 24. The failed imports recorded nothing.

# --- roster ----------------------------------------------------------------
run roster 0 roster ledger --at "${AT}"
expect_file roster roster.out <<'EOF'
person_id,role,source,last_exposure,until,continuous,place
p1,case,,,,,hospital
p2,close_contact,p1,2020-02-05T12:00:00+08:00,2020-02-19,false,centralized
p3,close_contact,p1,2020-02-02T11:00:00+08:00,2020-02-16,false,centralized
EOF
run roster_json 0 roster ledger --at "${AT}" --format json
expect_json roster_json roster_json.out
expect_grep roster_json roster_json.out \
  '{"person_id": "p1", "role": "case", "source": null, "last_exposure": null, "until": null, "continuous": null, "place": "hospital"}'
expect_grep roster_json roster_json.out \
  '{"person_id": "p3", "role": "close_contact", "source": "p1", "last_exposure": "2020-02-02T11:00:00+08:00", "until": "2020-02-16", "continuous": false, "place": "centralized"}'
# Before the diagnosis: nobody.
run roster_before 0 roster ledger --at 2020-02-05T09:59:59+08:00
expect_file roster_before roster_before.out <<'EOF'
person_id,role,source,last_exposure,until,continuous,place
EOF
# After p3's quarantine: p3 leaves the roster on 02-17.
run roster_later 0 roster ledger --at 2020-02-17T00:00:00+08:00
expect_file roster_later roster_later.out <<'EOF'
person_id,role,source,last_exposure,until,continuous,place
p1,case,,,,,hospital
p2,close_contact,p1,2020-02-05T12:00:00+08:00,2020-02-19,false,centralized
EOF
run roster_2022 0 roster ledger --at "${AT}" --policy china-2022
expect_file roster_2022 roster_2022.out <<'EOF'
person_id,role,source,last_exposure,until,continuous,place
p1,case,,,,,hospital
p2,close_contact,p1,2020-02-05T12:00:00+08:00,2020-02-15,false,centralized
p3,close_contact,p1,2020-02-02T11:00:00+08:00,2020-02-12,false,centralized
p4,secondary_contact,p3,2020-02-05T20:00:00+08:00,2020-02-12,false,home
p6,secondary_contact,p3,2020-02-03T09:30:00+08:00,2020-02-10,false,home
EOF
# who-2020: 15 minutes of exposure (#E1 has 2 h), 14 days at home.
run roster_who 0 roster ledger --at "${AT}" --policy who-2020
expect_file roster_who roster_who.out <<'EOF'
person_id,role,source,last_exposure,until,continuous,place
p1,case,,,,,hospital
p2,close_contact,p1,2020-02-05T12:00:00+08:00,2020-02-19,false,home
p3,close_contact,p1,2020-02-02T11:00:00+08:00,2020-02-16,false,home
EOF
# A policy file (protobuf text format): 5 days at home.
cat >policy.txtpb <<'EOF'
name: "five-days-home"
lookback { seconds: 172800 }
close_contact_phases { place: QUARANTINE_PLACE_HOME days: 5 }
household_rule: true
check_interval { seconds: 43200 }
fever_threshold_celsius: 37.3
placement_deadline { seconds: 86400 }
escalation_deadline { seconds: 7200 }
EOF
run roster_policy_file 0 roster ledger --at "${AT}" --policy policy.txtpb
expect_file roster_policy_file roster_policy_file.out <<'EOF'
person_id,role,source,last_exposure,until,continuous,place
p1,case,,,,,hospital
p2,close_contact,p1,2020-02-05T12:00:00+08:00,2020-02-10,false,home
p3,close_contact,p1,2020-02-02T11:00:00+08:00,2020-02-07,false,home
EOF
printf 'lookback { seconds: -1 }\n' >bad_policy.txtpb
run roster_bad_policy_file 1 roster ledger --at "${AT}" --policy bad_policy.txtpb
run roster_unknown_policy 2 roster ledger --at "${AT}" --policy china-2021
expect_grep roster_unknown_policy roster_unknown_policy.err "china-2020"
run roster_no_at 2 roster ledger
expect_grep roster_no_at roster_no_at.err "missing required flag '--at'"
run roster_bad_at 2 roster ledger --at 2020-02-06
run roster_bad_format 2 roster ledger --at "${AT}" --format xml
run roster_unknown_flag 2 roster ledger --at "${AT}" --person p1
run roster_twice 2 roster ledger --at "${AT}" --at "${AT}"
run roster_equals 0 roster ledger --at="${AT}" --format=csv
expect_file roster_equals roster_equals.out <roster.out

# --- loops -----------------------------------------------------------------
run loops 0 loops ledger --at "${AT}"
cut -d, -f1-3 loops.out >loops.cut
expect_file loops loops.cut <<'EOF'
person_id,kind,since
p2,unplaced,2020-02-06T10:00:00+08:00
p3,early_release,2020-02-06T09:00:00+08:00
p3,no_owner,2020-02-05T10:00:00+08:00
p3,checkpoint_breach,2020-02-06T10:00:00+08:00
p5,fever_not_escalated,2020-02-06T11:00:00+08:00
p6,unregistered,2020-02-03T09:00:00+08:00
EOF
expect_grep loops loops.out "gate-1"
run loops_json 0 loops ledger --at "${AT}" --format json
expect_json loops_json loops_json.out
expect_grep loops_json loops_json.out \
  '{"person_id": "p6", "kind": "unregistered", "since": "2020-02-03T09:00:00+08:00", "detail": '

# --- explain ---------------------------------------------------------------
run explain 0 explain ledger --person p3 --at "${AT}"
expect_grep explain explain.out "person p3: in the roster as close_contact"
expect_grep explain explain.out "until: 2020-02-16"
expect_grep explain explain.out "source: p1 by exposure, exposures 15"
run explain_csv 0 explain ledger --person p3 --at "${AT}" --format csv
expect_file explain_csv explain_csv.out <<'EOF'
person_id,in_roster,role,source,rule,exposures,first,last_exposure,overlap_seconds,continuous,until
p3,true,close_contact,p1,exposure,15,2020-02-02T09:00:00+08:00,2020-02-02T11:00:00+08:00,7200,false,2020-02-16
EOF
run explain_p2 0 explain ledger --person p2 --at "${AT}" --format csv
expect_grep explain_p2 explain_p2.out "p2,true,close_contact,p1,household,,"
run explain_json 0 explain ledger --person p5 --at "${AT}" --format json
expect_json explain_json explain_json.out
expect_grep explain_json explain_json.out '"in_roster": false'
run explain_unknown 1 explain ledger --person nobody --at "${AT}"
run explain_no_person 2 explain ledger --at "${AT}"

# --- rollup ----------------------------------------------------------------
run rollup 0 rollup ledger --area c1 --at "${AT}"
expect_file rollup rollup.out <<'EOF'
area_id,name,persons,households,active_cases,close_contacts,secondary_contacts,in_hospital,in_centralized,at_home,unplaced,unisolated_case,early_release,missed_check,fever_not_escalated,no_owner,checkpoint_breach,unregistered,checks_last_24h
t1,Township One,2,1,1,1,0,1,0,0,1,0,0,0,0,0,0,0,1
t2,"Township Two, East",3,1,0,1,0,0,0,0,0,0,1,0,1,1,1,0,1
(unassigned),persons with no area,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,1,0
EOF
run rollup_json 0 rollup ledger --area c1 --at "${AT}" --format json
expect_json rollup_json rollup_json.out
expect_grep rollup_json rollup_json.out '"area_id": "t2", "name": "Township Two, East", "persons": 3'
run rollup_unknown 1 rollup ledger --area nowhere --at "${AT}"

# --- pass ------------------------------------------------------------------
run pass_p3 1 pass ledger --person p3 --checkpoint gate-1 --at "${AT}"
expect_grep pass_p3 pass_p3.out "refused"
run pass_p1 1 pass ledger --person p1 --checkpoint gate-1 --at "${AT}"
expect_grep pass_p1 pass_p1.out "refused"
run pass_p5 0 pass ledger --person p5 --checkpoint gate-1 --at "${AT}"
expect_grep pass_p5 pass_p5.out "allowed"
run pass_p3_later 0 pass ledger --person p3 --checkpoint gate-1 \
  --at 2020-02-17T00:00:00+08:00
run pass_csv 1 pass ledger --person p3 --checkpoint gate-1 --at "${AT}" \
  --format csv
expect_grep pass_csv pass_csv.out "person_id,checkpoint_id,decision,reason"
expect_grep pass_csv pass_csv.out "p3,gate-1,refused,"
run pass_json 0 pass ledger --person p5 --checkpoint gate-1 --at "${AT}" \
  --format json
expect_json pass_json pass_json.out
expect_grep pass_json pass_json.out '"allowed": true'
run pass_no_checkpoint 2 pass ledger --person p5 --at "${AT}"

# --- contacts --------------------------------------------------------------
run contacts 0 contacts ledger --person p1 --hops 2 \
  --from 2020-02-01T00:00:00+08:00 --to "${AT}"
expect_file contacts contacts.out <<'EOF'
person_id,hops
p3,1
p6,2
EOF
run contacts_wide 0 contacts ledger --person p1 --hops 1 \
  --from 2020-01-29T00:00:00+08:00 --to "${AT}"
expect_file contacts_wide contacts_wide.out <<'EOF'
person_id,hops
p3,1
p5,1
EOF
run contacts_json 0 contacts ledger --person p6 --hops 2 \
  --from 2020-01-29T00:00:00+08:00 --to "${AT}" --format json
expect_file contacts_json contacts_json.out <<'EOF'
[
  {"person_id": "p3", "hops": 1},
  {"person_id": "p1", "hops": 2}
]
EOF
run contacts_bad_hops 2 contacts ledger --person p1 --hops 0 \
  --from 2020-02-01T00:00:00+08:00 --to "${AT}"
run contacts_backwards 2 contacts ledger --person p1 --hops 1 \
  --from "${AT}" --to 2020-02-01T00:00:00+08:00
run contacts_unknown 1 contacts ledger --person nobody --hops 1 \
  --from 2020-02-01T00:00:00+08:00 --to "${AT}"

# --- chains ----------------------------------------------------------------
run chains 0 chains ledger --at "${AT}"
expect_file chains chains.out <<'EOF'
chain,from,to,rule,exposures
1,p1,,,
EOF
run chains_dot 0 chains ledger --at "${AT}" --format dot
expect_grep chains_dot chains_dot.out "digraph transmission_chains {"
expect_grep chains_dot chains_dot.out '"p1";'

# --- known_at and retractions (JSON Lines import) --------------------------
# Everything so far was recorded by now; wait so the next record time is
# later than this second.
sleep 1
before_retraction="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
sleep 1
cat >retract.jsonl <<'EOF'
{"retraction": {"sequence_number": "15", "reason": "wrong person"}}

EOF
run import_jsonl 0 import ledger retract.jsonl
expect_file import_jsonl import_jsonl.out <<'EOF'
imported 1 event from retract.jsonl (sequence number 25)
EOF
# #E1 retracted: p3 is no contact; p6 is still an unregistered person.
run roster_retracted 0 roster ledger --at "${AT}"
expect_file roster_retracted roster_retracted.out <<'EOF'
person_id,role,source,last_exposure,until,continuous,place
p1,case,,,,,hospital
p2,close_contact,p1,2020-02-05T12:00:00+08:00,2020-02-19,false,centralized
EOF
run roster_known_at 0 roster ledger --at "${AT}" --known-at "${before_retraction}"
expect_file roster_known_at roster_known_at.out <roster.out
run contacts_retracted 0 contacts ledger --person p1 --hops 2 \
  --from 2020-02-01T00:00:00+08:00 --to "${AT}"
expect_file contacts_retracted contacts_retracted.out <<'EOF'
person_id,hops
EOF
printf '{"retraction": {"sequence_number": "15"}}\n{"area": \n' >bad.jsonl
run import_bad_jsonl 1 import ledger bad.jsonl
# Every bad line is listed: line 1 retracts #E1 again, line 2 is cut off.
expect_grep import_bad_jsonl import_bad_jsonl.err "bad.jsonl: 2 bad lines:"
expect_grep import_bad_jsonl import_bad_jsonl.err \
  "  line 1: sequence_number: event 15 is already retracted (by event 25)"
expect_grep import_bad_jsonl import_bad_jsonl.err "  line 2: not a LedgerEvent"

# --- chains over two linked cases (a ledger in UTC) ------------------------
run init_utc 0 init chains
cat >csv/chain_exposures.csv <<'EOF'
person_a,person_b,start,end,setting
a,b,2020-03-01T10:00:00Z,2020-03-01T11:00:00Z,work
EOF
cat >csv/chain_diagnoses.csv <<'EOF'
person_id,status,onset,time
a,confirmed,2020-03-02,2020-03-03T00:00:00Z
b,confirmed,2020-03-05,2020-03-06T00:00:00Z
c,confirmed,,2020-03-06T00:00:00Z
EOF
cat >csv/chain_areas.csv <<'EOF'
area_id,level
x,county
EOF
cat >csv/chain_households.csv <<'EOF'
household_id,area_id,responsible_worker
hx,x,w9
EOF
cat >csv/chain_persons.csv <<'EOF'
person_id,household_id
c,hx
d,hx
EOF
run chain_import1 0 import chains --kind exposures csv/chain_exposures.csv
run chain_import2 0 import chains --kind diagnoses csv/chain_diagnoses.csv
for kind in areas households persons; do
  run "chain_import_${kind}" 0 import chains --kind "${kind}" \
    "csv/chain_${kind}.csv"
done
run chains2 0 chains chains --at 2020-03-07T00:00:00Z
expect_file chains2 chains2.out <<'EOF'
chain,from,to,rule,exposures
1,a,b,exposure,1
2,c,,,
EOF
run chains2_dot 0 chains chains --at 2020-03-07T00:00:00Z --format dot
expect_grep chains2_dot chains2_dot.out '"a" -> "b" [label="exposure 1"];'
run roster_utc 0 roster chains --at 2020-03-07T00:00:00Z
expect_file roster_utc roster_utc.out <<'EOF'
person_id,role,source,last_exposure,until,continuous,place
a,case,,,,,hospital
b,case,,,,,hospital
c,case,,,,,hospital
d,close_contact,c,2020-03-07T00:00:00+00:00,,true,centralized
EOF
run roster_utc_json 0 roster chains --at 2020-03-07T00:00:00Z --format json
expect_grep roster_utc_json roster_utc_json.out \
  '{"person_id": "d", "role": "close_contact", "source": "c", "last_exposure": "2020-03-07T00:00:00+00:00", "until": null, "continuous": true, "place": "centralized"}'

# --- export, and import of the export ---------------------------------------
run export 0 export ledger
[[ $(wc -l <export.out) -eq 25 ]] ||
  fail "export: $(wc -l <export.out) lines, expected 25"
expect_grep export export.out \
  '{"sequence_number":"15","record_time":'
expect_grep export export.out \
  '"exposure":{"person_a":"p1","person_b":"p3","start":"2020-02-02T01:00:00Z","end":"2020-02-02T03:00:00Z","setting":"EXPOSURE_SETTING_WORK"}}'
run init_copy 0 init copy --time-zone Asia/Shanghai
run import_export 0 import copy export.out
expect_grep import_export import_export.out "(sequence numbers 1-25)"
run export_copy 0 export copy
# An import records new record times and one import source of its own.
strip='s/"record_time":"[^"]*",//; s/"import_source":{[^}]*},//'
sed "${strip}" export.out >export.bodies
sed "${strip}" export_copy.out >export_copy.bodies
expect_file export_copy export_copy.bodies <export.bodies
run roster_copy 0 roster copy --at "${AT}"
expect_file roster_copy roster_copy.out <roster_retracted.out
run export_bad_format 2 export ledger --format csv

# --- private data: identity rules and --redact -----------------------------
# A ledger whose ids and free text carry private data: a person id that is a
# resident identity number, a phone in an address, a worker's name.
run init_private 0 init private --time-zone Asia/Shanghai
expect_grep init_private private/MANIFEST "china"
printf 'area_id,level,name\nc1,county,Yuanling County\n' >csv/private_areas.csv
cat >csv/private_households.csv <<'EOF'
household_id,area_id,address,responsible_worker
h1,c1,"Room 3, call 13912345678",王小明
EOF
cat >csv/private_persons.csv <<'EOF'
person_id,household_id,name,national_id,phone,birth_date
431222198506300024,h1,张三丰,431222198506300024,13812345678,1985-06-30
p2,h1,李四光,43000019900101123X,+86 139 8765 4321,1990-01-01
EOF
cat >csv/private_exposures.csv <<'EOF'
person_a,person_b,start,end,setting
431222198506300024,p2,2020-02-02T09:00:00+08:00,2020-02-02T10:00:00+08:00,work
EOF
cat >csv/private_diagnoses.csv <<'EOF'
person_id,status,onset,time
431222198506300024,confirmed,2020-02-03,2020-02-05T10:00:00+08:00
EOF
for kind in areas households persons exposures diagnoses; do
  run "private_import_${kind}" 0 import private --kind "${kind}" \
    "csv/private_${kind}.csv"
done
# China rules (the default): a foreign national id is refused, by column.
printf 'person_id,national_id\np3,8001015009087\n' >csv/foreign_persons.csv
run private_import_foreign 1 import private --kind persons \
  csv/foreign_persons.csv
expect_grep private_import_foreign private_import_foreign.err \
  'csv/foreign_persons.csv: line 2, column "national_id": is 13 characters; a resident identity number has 18 (GB 11643-1999)'
# Rules "none" take it, and are kept for every later command.
run init_foreign 0 init foreign --identity-rules none
expect_grep init_foreign foreign/MANIFEST "none"
run foreign_import 0 import foreign --kind persons csv/foreign_persons.csv
run init_bad_rules 2 init nowhere --identity-rules mars
expect_grep init_bad_rules init_bad_rules.err "unknown identity rules 'mars'"

# expect_redacted NAME FILE: FILE holds none of the private values.
private_values=(431222198506300024 43000019900101123X 13812345678
  "139 8765 4321" 13912345678 张三丰 李四光 王小明 19850630 19900101)
expect_redacted() {
  checks=$((checks + 1))
  local value
  for value in "${private_values[@]}"; do
    if grep -qF -- "${value}" "$2"; then
      fail "$1: $2 holds the private value '${value}':"
      sed 's/^/    /' "$2" >&2
    fi
  done
}
# (p2 shares the case's household and the case is not removed: a continuous
# close contact.) Without --redact the id is there, so that the checks below
# can fail.
run private_roster 0 roster private --at "${AT}"
expect_grep private_roster private_roster.out "431222198506300024,case"
run redact_roster 0 roster private --at "${AT}" --redact
expect_file redact_roster redact_roster.out <<'EOF'
person_id,role,source,last_exposure,until,continuous,place
431222********0024,case,,,,,hospital
p2,close_contact,431222********0024,2020-02-06T12:00:00+08:00,,true,centralized
EOF
# Every command that prints ledger data, in each of its formats.
AT2=2020-02-07T12:00:00+08:00
n=0
for args in "roster private --at ${AT} --format json" \
  "loops private --at ${AT2}" "loops private --at ${AT2} --format json" \
  "explain private --person 431222198506300024 --at ${AT}" \
  "explain private --person p2 --at ${AT}" \
  "explain private --person p2 --at ${AT} --format csv" \
  "explain private --person p2 --at ${AT} --format json" \
  "rollup private --area c1 --at ${AT}" \
  "pass private --person p2 --checkpoint gate-1 --at ${AT} --format json" \
  "contacts private --person p2 --hops 2 --from ${AT} --to ${AT2}" \
  "chains private --at ${AT}" "chains private --at ${AT} --format dot" \
  "verify private" "export private"; do
  n=$((n + 1))
  # shellcheck disable=SC2086
  "${ctl}" ${args} --redact >"redact_${n}.out" 2>"redact_${n}.err"
  [[ -s "redact_${n}.out" ]] || fail "redact_${n}: 'ledgerctl ${args}' printed nothing"
  expect_redacted "redact_${n}" "redact_${n}.out"
  expect_redacted "redact_${n}" "redact_${n}.err"
done
expect_grep redact_loops redact_2.out \
  '431222********0024,unisolated_case,'
expect_grep redact_explain redact_5.out \
  'source: 431222********0024 by exposure'
run redact_pass 1 pass private --person p2 --checkpoint gate-1 --at "${AT}" \
  --redact
expect_file redact_pass redact_pass.out <<'EOF'
refused: close_contact of 431222********0024, exposure continuing: must be at centralized (checkpoint gate-1)
EOF
run redact_export 0 export private --redact
expect_redacted redact_export redact_export.out
expect_grep redact_export redact_export.out \
  '"person":{"id":"431222********0024","name":"张**","national_id":"431222********0024","phone":"138****5678","household_id":"h1"}'
expect_grep redact_export redact_export.out \
  '"address":"R***********************","responsible_worker":"王**"'
expect_grep redact_export redact_export.out '"phone":"+86 139 **** 4321"'
# Errors are redacted too.
printf 'person_a,person_b,start,end,setting\n13812345678,13812345678,2020-02-02T09:00:00+08:00,2020-02-02T10:00:00+08:00,work\n' \
  >csv/self_exposure.csv
run redact_import_error 1 import private --kind exposures \
  csv/self_exposure.csv --redact
expect_grep redact_import_error redact_import_error.err \
  "a person cannot be exposed to themself ('138****5678')"
expect_redacted redact_import_error redact_import_error.err
run redact_help 0 export --help
expect_grep redact_help redact_help.out "--redact"
run redact_value 2 export private --redact=yes

# --- verify ----------------------------------------------------------------
run verify 0 verify ledger
expect_grep verify verify.out "last sequence number: 25"
expect_grep verify verify.out "ok"
# Damage in the middle of a copy's log: verify fails; the ledger is untouched.
cp -r ledger damaged
log="$(ls damaged/*.log | head -n 1)"
size=$(wc -c <"${log}")
printf '\xff\xff\xff\xff' | dd of="${log}" bs=1 seek=$((size / 3)) conv=notrunc \
  status=none
run verify_damaged 1 verify damaged
expect_grep verify_damaged verify_damaged.out "damaged"
run verify_still_ok 0 verify ledger

# --- progress: on a terminal only -------------------------------------------
# Here standard error is a file: import and generate say nothing there. On a
# terminal (a pseudo-terminal from script(1)) the same commands draw their
# progress on standard error and erase it; the output is the same.
run init_progress 0 init progress --time-zone Asia/Shanghai
run generate_quiet 0 generate progress --persons 100
[[ -s generate_quiet.err ]] &&
  fail "generate_quiet: wrote to standard error, not a terminal: $(cat generate_quiet.err)"
printf 'person_id,time,temperature_c\np00000001,2020-02-06T20:00:00+08:00,36.9\n' \
  >checks_progress.csv
run import_quiet 0 import progress --kind checks checks_progress.csv
[[ -s import_quiet.err ]] &&
  fail "import_quiet: wrote to standard error, not a terminal: $(cat import_quiet.err)"
if script -qec true /dev/null </dev/null >/dev/null 2>&1; then
  script -qec "'${ctl}' import progress --kind checks --again checks_progress.csv" \
    /dev/null </dev/null >import_tty.out 2>&1 ||
    fail "import_tty: exited $?: $(cat import_tty.out)"
  expect_grep import_tty import_tty.out "checks_progress.csv: recording 1 event"
  expect_grep import_tty import_tty.out \
    "imported 1 event from checks_progress.csv"
  script -qec "'${ctl}' generate progress --persons 100 --seed 7 --into-existing" \
    /dev/null </dev/null >generate_tty.out 2>&1 ||
    fail "generate_tty: exited $?: $(cat generate_tty.out)"
  expect_grep generate_tty generate_tty.out "progress: "
  expect_grep generate_tty generate_tty.out " events"
else
  echo "note: no script(1) (util-linux): progress on a terminal not checked" >&2
fi

# --- every --help ends with examples, and they run --------------------------
# The top-level --help and each command's end with example invocations of
# it. They are run here, command by command in the order of 'ledgerctl
# --help', in a directory of their own that holds the files they name.
mkdir -p examples
(
  failures=0  # this subshell's own; added to the script's below
  cd examples || exit 1
  printf 'person_id,time,temperature_c\np00012247,2020-02-01T08:00:00+08:00,36.8\n' \
    >checks.csv
  printf '{"health_check": {"person_id": "p00012247", "time": "2020-02-01T12:00:00Z", "temperature_celsius": 36.7}}\n' \
    >events.jsonl
  "${ctl}" --help >help.txt
  last="$(grep -v '^$' help.txt | tail -n 1)"
  [[ "${last}" == "  ledgerctl "* ]] ||
    fail "help_examples: 'ledgerctl --help' does not end with an example: ${last}"
  commands="$(sed -n '/^Commands:$/,/^$/s/^  \([a-z]*\) .*/\1/p' help.txt)"
  [[ -n "${commands}" ]] || fail "help_examples: no commands in 'ledgerctl --help'"
  for command in ${commands}; do
    "${ctl}" "${command}" --help >"help_${command}.txt"
    last="$(grep -v '^$' "help_${command}.txt" | tail -n 1)"
    if [[ "${last}" != "  ledgerctl ${command} "* ]]; then
      fail "help_examples: 'ledgerctl ${command} --help' does not end with an example of '${command}': ${last}"
      continue
    fi
    sed -n '/^Examples*:$/,$s/^  ledgerctl //p' "help_${command}.txt" \
      >"examples_${command}.txt"
    while IFS= read -r example; do
      eval "\"\${ctl}\" ${example}" >"example.out" 2>"example.err" </dev/null
      status=$?
      # pass exits 1 when it refuses; anything else must succeed.
      if [[ ${status} -ne 0 && ! (${command} == pass && ${status} -eq 1) ]]; then
        fail "help_examples: 'ledgerctl ${example}' exited ${status}: $(cat example.err)"
      fi
    done <"examples_${command}.txt"
  done
  # The examples asked real questions: a roster, and a refused pass.
  "${ctl}" roster county --at 2020-02-01T12:00:00+08:00 >roster.out
  grep -q '^p00012247,close_contact,p00012248,' roster.out ||
    fail "help_examples: p00012247 is not in the examples' roster: $(head -3 roster.out)"
  exit $((failures < 100 ? failures : 100))
) || failures=$((failures + $?))

finish
