#!/usr/bin/env bash
# What the ledgerctl script tests (e2e_test.sh, scope_test.sh, ...) share:
# the check of their arguments, a fresh work directory, and the checks and
# their count. A test sources it first, after `set -uo pipefail`:
#
#   source "$(dirname "${BASH_SOURCE[0]}")/test_lib.sh"
#
# Sourcing it checks the script's arguments, LEDGERCTL WORK_DIR: with
# another number, it prints the usage and exits 2. A script that takes more
# sets `test_usage` before sourcing (for instance test_usage="LEDGERCTL
# WRITER_HELPER WORK_DIR"): the first argument is still LEDGERCTL, the last
# WORK_DIR, and the script reads the others itself ($2, ...). Then it empties
# WORK_DIR (making it writable first: a test may have left it read-only),
# creates it and changes to it, and sets:
#
#   ctl       LEDGERCTL, the ledgerctl binary
#   work      WORK_DIR, where every output is kept
#   checks    0, the number of checks made; each expect_* and run adds 1, and
#             a script's own checks add 1 each (checks=$((checks + 1)))
#   failures  0, the number of checks failed; fail adds 1
#
# and defines:
#
#   fail MESSAGE...                 prints "FAIL: MESSAGE" and counts it
#   run NAME STATUS ARGS...         runs ledgerctl ARGS, its standard output
#                                   in NAME.out and standard error in
#                                   NAME.err; checks it exits STATUS
#   expect_grep NAME FILE TEXT      FILE has a line with the fixed string
#   expect_no_grep NAME FILE TEXT   FILE has no line with the fixed string
#   expect_file NAME FILE           FILE equals the text on standard input
#   expect_same NAME FILE1 FILE2    the two files are byte for byte the same
#   expect_absent NAME PATH         nothing is at PATH
#   expect_json NAME FILE           FILE is valid JSON (checked when python3
#                                   is there)
#   finish                          prints "N passed, M failed" and exits:
#                                   1 if any check failed, else 0
#
# NAME names the check in its failure message and the files it keeps
# (NAME.diff, NAME.jsonerr).

test_usage="${test_usage:-LEDGERCTL WORK_DIR}"
read -ra test_usage_words <<<"${test_usage}"
if [[ $# -ne ${#test_usage_words[@]} ]]; then
  echo "usage: $0 ${test_usage}" >&2
  exit 2
fi
ctl="$1"
work="${!#}"
if [[ -e "${work}" ]]; then
  chmod -R u+w "${work}" 2>/dev/null
  rm -rf "${work}"
fi
mkdir -p "${work}"
cd "${work}" || exit 1

checks=0
failures=0

# fail MESSAGE...: prints the failure and counts it.
fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

# run NAME EXPECTED_STATUS ledgerctl-args...: runs ledgerctl, keeps its
# standard output in NAME.out and standard error in NAME.err, and checks the
# exit status.
run() {
  local name="$1" expected="$2"
  shift 2
  checks=$((checks + 1))
  "${ctl}" "$@" >"${name}.out" 2>"${name}.err"
  local status=$?
  if [[ ${status} -ne ${expected} ]]; then
    fail "${name}: 'ledgerctl $*' exited ${status}, expected ${expected}"
    sed 's/^/    stderr: /' "${name}.err" >&2
  fi
}

# expect_grep NAME FILE PATTERN: FILE has a line with the fixed string.
expect_grep() {
  checks=$((checks + 1))
  if ! grep -qF -- "$3" "$2"; then
    fail "$1: $2 has no '$3'; it holds:"
    sed 's/^/    /' "$2" >&2
  fi
}

# expect_no_grep NAME FILE PATTERN: FILE has no line with the fixed string.
expect_no_grep() {
  checks=$((checks + 1))
  if grep -qF -- "$3" "$2"; then
    fail "$1: $2 has '$3':"
    sed 's/^/    /' "$2" >&2
  fi
}

# expect_file NAME FILE: FILE equals the text on standard input.
expect_file() {
  checks=$((checks + 1))
  if ! diff -u - "$2" >"$1.diff"; then
    fail "$1: $2 differs from the expected text:"
    sed 's/^/    /' "$1.diff" >&2
  fi
}

# expect_same NAME FILE1 FILE2: the files are byte for byte the same. On a
# difference, prints the first lines of the diff (all of it is in NAME.diff).
expect_same() {
  checks=$((checks + 1))
  if ! cmp -s "$2" "$3"; then
    fail "$1: $2 and $3 differ (the diff is in $1.diff):"
    diff -u "$2" "$3" >"$1.diff"
    head -n 40 "$1.diff" | sed 's/^/    /' >&2
  fi
}

# expect_absent NAME PATH: nothing is at PATH.
expect_absent() {
  checks=$((checks + 1))
  if [[ -e "$2" ]]; then
    fail "$1: $2 exists"
  fi
}

# expect_json NAME FILE: FILE is valid JSON (checked when python3 is there).
expect_json() {
  checks=$((checks + 1))
  if command -v python3 >/dev/null 2>&1; then
    if ! python3 -m json.tool "$2" >/dev/null 2>"$1.jsonerr"; then
      fail "$1: $2 is not valid JSON: $(cat "$1.jsonerr")"
    fi
  fi
}

# finish: the summary, and the script's exit status.
finish() {
  echo "$((checks - failures)) passed, ${failures} failed"
  if [[ ${failures} -ne 0 ]]; then
    echo "outputs are in ${work}" >&2
    exit 1
  fi
  exit 0
}
