#!/usr/bin/env bash
# ctest ledgerctl_dashboard: `ledgerctl dashboard` without a browser (the
# page in Chromium is tests/browser/dashboard_browser_test.py): the page
# written and replaced, what it says on standard output, the area it picks,
# bad flags (exit 2) and bad input (exit 1) with their messages, --redact on
# a ledger whose ids and names are private, and --scope.
#
#   bash dashboard_test.sh LEDGERCTL WORK_DIR
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/test_lib.sh"

AT=2020-02-06T12:00:00+08:00

# A county whose case's id is a resident identity number, with names in
# Chinese and one name that is markup.
run init 0 init county --time-zone Asia/Shanghai
mkdir -p csv
cat >csv/areas.csv <<'EOF'
area_id,parent_id,level,name
c1,,county,Yuanling County
t1,c1,township,Madiyi
t2,c1,township,Nanmupu
v1,t1,village,Upper
EOF
cat >csv/households.csv <<'EOF'
household_id,area_id,address,responsible_worker
h1,v1,"Room 3, call 13912345678",王小明
h2,t2,Lane 2,
EOF
cat >csv/persons.csv <<'EOF'
person_id,household_id,name,national_id,phone
431222198506300024,h1,张三丰,431222198506300024,13812345678
p2,h1,<b>李四光</b>,,
p3,h2,Wang Fang,,
EOF
cat >csv/exposures.csv <<'EOF'
person_a,person_b,start,end,setting
431222198506300024,p3,2020-02-02T09:00:00+08:00,2020-02-02T10:00:00+08:00,work
EOF
cat >csv/diagnoses.csv <<'EOF'
person_id,status,onset,time
431222198506300024,confirmed,2020-02-03,2020-02-05T10:00:00+08:00
EOF
run import 0 import county csv/areas.csv csv/households.csv csv/persons.csv \
  csv/exposures.csv csv/diagnoses.csv

# --- the page --------------------------------------------------------------
run page 0 dashboard county --at "${AT}" --out page.html --days 3
expect_grep page page.out "wrote page.html: "
expect_grep page page.out "; area c1, 2 areas, 3 in the roster, "
expect_grep page page.out ", 3 days"
[[ -s page.html ]] || fail "page: page.html is empty"
checks=$((checks + 1))
expect_grep page_csp page.html \
  '<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;;'
expect_grep page_name page.html '<td>&lt;b&gt;李四光&lt;/b&gt;</td>'
expect_no_grep page_markup page.html '<b>李四光'
expect_grep page_id page.html '<tr data-person="431222198506300024">'
expect_grep page_days page.html '<tr data-day="2020-02-04">'
expect_grep page_drill page.html '<table class="children" data-parent="t1">'
compgen -G 'page.html.tmp*' >/dev/null &&
  fail "page: a temporary file was left behind: $(echo page.html.tmp*)"
# Written again: replaced, not appended to.
run page_again 0 dashboard county --at "${AT}" --out page.html --days 3
checks=$((checks + 1))
[[ $(grep -c '<!DOCTYPE html>' page.html) -eq 1 ]] ||
  fail "page_again: page.html holds more than one page"
# --area picks another area; the default is the one county.
run page_area 0 dashboard county --at "${AT}" --out t1.html --area t1
expect_grep page_area page_area.out "; area t1, 1 area, "
expect_grep page_area_table t1.html '<table id="rollup-table" data-parent="t1">'

# --- --redact --------------------------------------------------------------
run redact 0 dashboard county --at "${AT}" --out redacted.html --redact
checks=$((checks + 1))
for value in 431222198506300024 13812345678 张三丰 李四光 王小明 "Wang Fang"; do
  if grep -qF -- "${value}" redacted.html redact.out; then
    fail "redact: the page holds the private value '${value}'"
  fi
done
expect_grep redact_id redacted.html '<tr data-person="431222********0024">'
expect_grep redact_name redacted.html '<td>W********</td>'
expect_grep redact_note redacted.html 'id="redacted"'

# --- --scope ---------------------------------------------------------------
run scope 0 dashboard county --at "${AT}" --out scope.html --scope t2
expect_grep scope scope.out "; area t2, "
expect_grep scope_roster scope.html '<tr data-person="p3">'
expect_no_grep scope_case scope.html 'data-person="431222198506300024"'
expect_grep scope_ext scope.html '<td>ext-'

# --- bad flags and input ---------------------------------------------------
run no_out 2 dashboard county --at "${AT}"
expect_grep no_out no_out.err "--out"
run no_at 2 dashboard county --out x.html
expect_grep no_at no_at.err "--at"
run days_zero 2 dashboard county --at "${AT}" --out x.html --days 0
expect_grep days_zero days_zero.err "--days '0' is not a number of days from 1 to 366"
run days_word 2 dashboard county --at "${AT}" --out x.html --days many
expect_grep days_word days_word.err "--days 'many'"
run max_listed 2 dashboard county --at "${AT}" --out x.html --max-listed 0
expect_grep max_listed max_listed.err "--max-listed '0'"
run bad_at 2 dashboard county --at yesterday --out x.html
expect_grep bad_at bad_at.err "is not an RFC 3339 time"
run format 2 dashboard county --at "${AT}" --out x.html --format csv
run unknown_area 1 dashboard county --at "${AT}" --out x.html --area nowhere
expect_grep unknown_area unknown_area.err "nowhere"
run no_dir 1 dashboard county --at "${AT}" --out missing/dir/x.html
expect_grep no_dir no_dir.err "no directory 'missing/dir' to write it in"
mkdir -p adir
run out_dir 1 dashboard county --at "${AT}" --out adir
expect_grep out_dir out_dir.err "is a directory"
run no_ledger 1 dashboard nowhere --at "${AT}" --out x.html
expect_absent no_output x.html
# Two counties: the area must be named.
printf 'area_id,level,name\nc2,county,Other County\n' >csv/more_areas.csv
run import_more 0 import county --kind areas csv/more_areas.csv
run two_counties 2 dashboard county --at "${AT}" --out x.html
expect_grep two_counties two_counties.err "2 areas with no parent (c1, c2): choose one with --area"
run two_counties_area 0 dashboard county --at "${AT}" --out x.html --area c2
# A ledger with no area at all.
run init_empty 0 init empty
run empty 1 dashboard empty --at "${AT}" --out x2.html
expect_grep empty empty.err "holds no area with no parent"

run help 0 dashboard --help
expect_grep help help.out "usage: ledgerctl dashboard DIR --at TIME --out FILE.html"
expect_grep help help.out "--scope AREA"
expect_grep help help.out "--redact"

finish
